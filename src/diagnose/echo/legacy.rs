//! The echoes of legacy and Azure signatures: a SigV2 / GCS V2 `StringToSign`, and Azure's
//! "String to sign used was …". Pure.

use super::encoding::{classify, percent_decode};
use super::{Change, Difference, Part, Reading, Sent, compare_method};
use crate::link::{PresignedLink, SignatureScheme};

/// A SigV2 / GCS V2 string to sign: verb, Content-MD5, Content-Type, expiry, `x-amz-*` or
/// `x-goog-*` header lines, and the resource.
pub(super) fn read_string_to_sign_v2(
    text: &str,
    link: Option<&PresignedLink>,
    sent: &Sent<'_>,
) -> Reading {
    let lines: Vec<&str> = text.split('\n').collect();
    let method = lines.first().map(|m| m.trim().to_owned());
    let mut reading = Reading {
        method: method.clone(),
        content_type: lines.get(2).map(|t| t.trim().to_owned()),
        covers_request: link.is_some() && lines.len() >= 5,
        ..Reading::default()
    };
    compare_method(&mut reading, method.as_deref(), sent);
    let received_type = reading.content_type.clone().filter(|t| !t.is_empty());
    let sent_type = sent.header("content-type").map(str::trim);
    if let (Some(s), Some(r)) = (sent_type, received_type.as_deref())
        && s != r
    {
        reading.differences.push(Difference {
            part: Part::Header("content-type".into()),
            change: Change::OtherValue,
            expected: Some(s.to_owned()),
            received: Some(r.to_owned()),
        });
    }
    let Some(link) = link else {
        return reading;
    };
    if let (Some(echoed), Some(expires)) = (lines.get(3), link.raw().param("Expires"))
        && echoed.trim() != expires.trim()
    {
        reading.differences.push(Difference {
            part: Part::Param("Expires".into()),
            change: classify(&expires, echoed.trim(), false).unwrap_or(Change::OtherValue),
            expected: Some(expires),
            received: Some(echoed.trim().to_owned()),
        });
    }
    // The resource is the last line: the path (with the bucket for virtual-hosted links) and
    // any sub-resource; only its path part is compared.
    if let Some(resource) = lines.last().filter(|_| lines.len() >= 5) {
        let resource_path = resource.split('?').next().unwrap_or_default();
        let link_path = link.raw().path();
        let same = resource_path == link_path
            || resource_path.ends_with(link_path)
            || percent_decode(resource_path).ends_with(&percent_decode(link_path));
        if !same && link.scheme == SignatureScheme::AwsSigV2 {
            reading.differences.push(Difference {
                part: Part::Path,
                change: classify(link_path, resource_path, true).unwrap_or(Change::OtherValue),
                expected: Some(link_path.to_owned()),
                received: Some(resource_path.to_owned()),
            });
        }
    }
    reading
}

/// Azure's SAS string to sign: permissions, start, expiry, the canonical resource, then the
/// other fields in an order that depends on the version. The first four are compared.
pub(super) fn read_azure(text: &str, link: &PresignedLink) -> Reading {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut reading = Reading {
        covers_request: lines.len() >= 4,
        ..Reading::default()
    };
    for (index, param) in [(0, "sp"), (1, "st"), (2, "se")] {
        let echoed = lines.get(index).map(|l| l.trim()).unwrap_or_default();
        let ours = link.raw().param(param).unwrap_or_default();
        if echoed != ours {
            reading.differences.push(Difference {
                part: Part::Param(param.into()),
                change: if ours.is_empty() {
                    Change::Added
                } else if echoed.is_empty() {
                    Change::Dropped
                } else if echoed.eq_ignore_ascii_case(&ours) {
                    Change::CaseChanged
                } else {
                    Change::OtherValue
                },
                expected: Some(ours),
                received: Some(echoed.to_owned()),
            });
        }
    }
    // `/blob/ACCOUNT/CONTAINER/BLOB`: the container and blob are the link's path, decoded.
    if let Some(resource) = lines.get(3) {
        let path = String::from_utf8_lossy(&percent_decode(link.raw().path())).into_owned();
        let echoed_path = resource
            .trim()
            .splitn(4, '/')
            .nth(3)
            .map(|rest| format!("/{rest}"))
            .unwrap_or_default();
        if !echoed_path.is_empty() && echoed_path != path {
            reading.differences.push(Difference {
                part: Part::Path,
                change: if echoed_path.eq_ignore_ascii_case(&path) {
                    Change::CaseChanged
                } else {
                    Change::OtherValue
                },
                expected: Some(path),
                received: Some(echoed_path),
            });
        }
    }
    reading
}
