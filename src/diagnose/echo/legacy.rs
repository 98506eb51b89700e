//! The echoes of legacy and Azure signatures: a SigV2 / GCS V2 `StringToSign`, and Azure's
//! "String to sign used was …". Pure.

use super::encoding::{classify, percent_decode};
use super::{Change, Difference, Part, Reading, Sent, compare_method};
use crate::link::PresignedLink;

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
    // any sub-resource (`?acl`, `?uploadId=…`), each compared as for SigV4.
    if let Some(resource) = lines.last().filter(|_| lines.len() >= 5) {
        let (resource_path, sub) = resource.split_once('?').unwrap_or((resource, ""));
        let link_path = link.raw().path();
        let link_path = if link_path.is_empty() { "/" } else { link_path };
        // A virtual-hosted link's resource puts the bucket before the path.
        let virtual_bucket = link
            .bucket
            .as_deref()
            .filter(|b| !link_path.starts_with(&format!("/{b}/")) && link_path != format!("/{b}"));
        let received = virtual_bucket
            .and_then(|b| resource_path.strip_prefix(&format!("/{b}")))
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(resource_path);
        if received != link_path
            && let Some(change) = path_change(link_path, received)
        {
            reading.differences.push(Difference {
                part: Part::Path,
                change,
                expected: Some(link_path.to_owned()),
                received: Some(received.to_owned()),
            });
        }
        compare_sub_resources(&mut reading, sub, link);
    }
    reading
}

/// How a legacy string to sign's path (as the server decoded it, or as written) came from the
/// link's, if it did.
fn path_change(link_path: &str, received: &str) -> Option<Change> {
    if received == link_path
        || percent_decode(received) == percent_decode(link_path)
            && !received.contains("%25")
            && !link_path.contains("%25")
    {
        return None;
    }
    // A server that echoes the path decoded: the link's decoded path is no change, unless the
    // link's own path holds an escaped `%`, which then reads the same as a path decoded once
    // on the way.
    if received.as_bytes() == percent_decode(link_path).as_slice() && !link_path.contains("%25") {
        return None;
    }
    classify(link_path, received, true).or(Some(Change::OtherValue))
}

/// The sub-resources a legacy signature signs (`acl`, `uploadId`, `response-*`…): each of the
/// link's against the echo's.
fn compare_sub_resources(reading: &mut Reading, sub: &str, link: &PresignedLink) {
    const SIGNED: &[&str] = &[
        "acl",
        "delete",
        "lifecycle",
        "location",
        "logging",
        "notification",
        "partNumber",
        "policy",
        "requestPayment",
        "torrent",
        "uploadId",
        "uploads",
        "versionId",
        "versioning",
        "versions",
        "website",
        "response-content-type",
        "response-content-language",
        "response-expires",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "generation",
    ];
    let echoed: Vec<(&str, &str)> = sub
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let params = link.raw().query_params();
    for param in &params {
        let Some(name) = SIGNED.iter().find(|n| n.eq_ignore_ascii_case(&param.name)) else {
            continue;
        };
        let found = echoed.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
        let change = match found {
            None => Some(Change::Dropped),
            Some((n, _)) if *n != param.name => Some(Change::CaseChanged),
            Some((_, v)) => value_change(&param.value, v),
        };
        if let Some(change) = change {
            reading.differences.push(Difference {
                part: Part::Param(param.name.clone()),
                change,
                expected: Some(param.value.clone()),
                received: found.map(|(_, v)| (*v).to_owned()),
            });
        }
    }
    for (name, value) in echoed {
        if !link
            .raw()
            .query_params()
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(name))
        {
            reading.differences.push(Difference {
                part: Part::Param(name.to_owned()),
                change: Change::Added,
                expected: None,
                received: Some(value.to_owned()),
            });
        }
    }
}

/// How a value the server echoes decoded (`ours`: the link's, decoded) changed on the way.
fn value_change(ours: &str, echoed: &str) -> Option<Change> {
    let encoded = |text: &str| super::encoding::aws_encode(text.as_bytes(), true);
    Some(if echoed == ours {
        return None;
    } else if ours.is_empty() {
        Change::Added
    } else if echoed.is_empty() {
        Change::Dropped
    } else if echoed == encoded(ours) {
        Change::EncodedTwice
    } else if ours.contains('+') && echoed == ours.replace('+', " ") {
        Change::PlusAsSpace
    } else if echoed.as_bytes() == percent_decode(ours).as_slice() {
        Change::Decoded
    } else if echoed.eq_ignore_ascii_case(ours) {
        Change::CaseChanged
    } else {
        Change::OtherValue
    })
}

/// The fields of an Azure SAS string to sign, in order, for a link of version `sv`: a service
/// SAS (2015-04-05 and later), with a user delegation key's fields when it has them, or an
/// account SAS. `None` in place of a field the link does not carry as a parameter.
fn azure_layout(link: &PresignedLink) -> Vec<&'static str> {
    let sv = link.raw().param("sv").unwrap_or_default();
    let has = |name: &str| link.raw().param(name).is_some();
    if has("ss") && has("srt") {
        let mut fields = vec![
            "(account)",
            "sp",
            "ss",
            "srt",
            "st",
            "se",
            "sip",
            "spr",
            "sv",
        ];
        if sv.as_str() >= "2020-12-06" {
            fields.push("ses");
        }
        return fields;
    }
    let mut fields = vec!["sp", "st", "se", "(resource)"];
    if has("skoid") {
        fields.extend(["skoid", "sktid", "skt", "ske", "sks", "skv"]);
        if sv.as_str() >= "2020-02-10" {
            fields.extend(["saoid", "suoid", "scid"]);
        }
    } else {
        fields.push("si");
    }
    fields.extend(["sip", "spr", "sv"]);
    if sv.as_str() >= "2018-11-09" {
        fields.extend(["sr", "(snapshot)"]);
    }
    if sv.as_str() >= "2020-12-06" {
        fields.push("ses");
    }
    fields.extend(["rscc", "rscd", "rsce", "rscl", "rsct"]);
    fields
}

/// Azure's SAS string to sign: permissions, start, expiry, the canonical resource, then the
/// other fields in the order the link's version lays them out; each field against the link's
/// parameter, the resource's path against the link's.
pub(super) fn read_azure(text: &str, link: &PresignedLink) -> Reading {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut reading = Reading {
        covers_request: lines.len() >= 4,
        ..Reading::default()
    };
    for (index, field) in azure_layout(link).into_iter().enumerate() {
        let Some(echoed) = lines.get(index).map(|l| l.trim_end_matches('\r')) else {
            break;
        };
        match field {
            "(resource)" => {
                if let Some(d) = azure_path(echoed.trim(), link) {
                    reading.differences.push(d);
                }
            }
            "(account)" | "(snapshot)" => {}
            // A server that fills in the protocol the SAS leaves open.
            "spr"
                if link.raw().param("spr").is_none()
                    && ["https", "https,http"].contains(&echoed.trim()) => {}
            param => {
                let ours = link.raw().param(param).unwrap_or_default();
                if let Some(change) = value_change(&ours, echoed) {
                    reading.differences.push(Difference {
                        part: Part::Param(param.into()),
                        change,
                        expected: Some(ours),
                        received: Some(echoed.to_owned()),
                    });
                }
            }
        }
    }
    reading
}

/// `/blob/ACCOUNT/CONTAINER/BLOB`: the container and blob are the link's path, decoded once.
/// A path encoded once more on the way arrives as the link's text; one decoded on the way
/// arrives decoded twice.
fn azure_path(resource: &str, link: &PresignedLink) -> Option<Difference> {
    let raw = link.raw().path();
    let path = String::from_utf8_lossy(&percent_decode(raw)).into_owned();
    let echoed = resource
        .splitn(4, '/')
        .nth(3)
        .map(|rest| format!("/{rest}"))?;
    if echoed == path {
        return None;
    }
    let twice = String::from_utf8_lossy(&percent_decode(&path)).into_owned();
    let change = if echoed == raw && raw != path {
        Change::EncodedTwice
    } else if echoed == twice && twice != path {
        Change::Decoded
    } else if echoed.eq_ignore_ascii_case(&path) {
        Change::CaseChanged
    } else {
        Change::OtherValue
    };
    Some(Difference {
        part: Part::Path,
        change,
        expected: Some(path),
        received: Some(echoed),
    })
}
