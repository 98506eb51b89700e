//! The server's echo of the request it checked: a SigV4 or GCS V4 `CanonicalRequest`, a SigV2 or
//! GCS V2 `StringToSign`, or Azure's "String to sign used was …". Each part is compared with
//! what was sent and with the link; every difference is named. Pure.

mod encoding;
mod legacy;

use encoding::{aws_encode, classify, percent_decode};

use crate::link::PresignedLink;
use crate::secret::REDACTED;

/// How a part of the request differs between the link (or what was sent) and the echo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Percent-encoded once more on the way (`%20` became `%2520`).
    EncodedTwice,
    /// Percent-decoded on the way (`%2B` became `+`, which then reads as a space).
    Decoded,
    /// In the echo, not in the link.
    Added,
    /// In the link, not in the echo.
    Dropped,
    /// The same name or value with other upper and lower case.
    CaseChanged,
    /// A `+` became a space on the way (a form decoder read it), the rest unchanged.
    PlusAsSpace,
    /// Another value.
    OtherValue,
}

/// Which part of the request differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The method (a proxy rewrote it).
    Method,
    /// The path.
    Path,
    /// The server name the request was signed for.
    Host,
    /// A query parameter, by name.
    Param(String),
    /// A signed header, by name (lowercase).
    Header(String),
}

/// One difference the echo proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs.
    pub part: Part,
    /// How.
    pub change: Change,
    /// The link's (or the sent) form, when there is one.
    pub expected: Option<String>,
    /// The echo's form, when there is one.
    pub received: Option<String>,
}

/// What the echo shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The method the server received.
    pub method: Option<String>,
    /// The Content-Type the server received, when the echo covers it (empty: none).
    pub content_type: Option<String>,
    /// Every difference from the link and from what was sent.
    pub differences: Vec<Difference>,
    /// Signed headers the request lacked (the echo shows them empty or absent).
    pub missing_headers: Vec<String>,
    /// Signed headers sent with an empty value (the echo shows them empty).
    pub empty_headers: Vec<String>,
    /// Parts the echo shows but PresignDesk cannot compare: a header it did not see sent (the
    /// value the server received, `None` when it is a secret), a value the server itself hid.
    pub unverified: Vec<(Part, Option<String>)>,
    /// Whether the echo covers the path and the query (a full canonical request or string to
    /// sign), so that no difference means the server received what the link asks for.
    pub covers_request: bool,
}

impl Reading {
    /// The server received exactly what the link asks for and what was sent.
    pub fn matches(&self) -> bool {
        self.covers_request
            && self.differences.is_empty()
            && self.missing_headers.is_empty()
            && self.empty_headers.is_empty()
            && self.unverified.is_empty()
    }

    /// Whether the echo tells what the server received for signed header `name` (lowercase):
    /// a value, none, or empty.
    pub fn shows_header(&self, name: &str) -> bool {
        let header = Part::Header(name.to_owned());
        self.missing_headers.iter().any(|h| h == name)
            || self.empty_headers.iter().any(|h| h == name)
            || self.unverified.iter().any(|(p, _)| *p == header)
            || self.differences.iter().any(|d| d.part == header)
    }
}

/// What was sent, as the echo is compared with it.
pub struct Sent<'a> {
    /// `GET` or `PUT`, when known for sure.
    pub method: Option<&'a str>,
    /// Headers sent beyond those HTTP needs, by name.
    pub headers: &'a [(String, String)],
}

impl Sent<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the echo in `elements` (`CanonicalRequest`, `StringToSign`, `AuthenticationErrorDetail`)
/// against `link` and what was `sent`.
pub fn read(
    canonical: Option<&str>,
    string_to_sign: Option<&str>,
    azure_detail: Option<&str>,
    link: Option<&PresignedLink>,
    sent: &Sent<'_>,
) -> Option<Reading> {
    if let Some(text) = canonical.filter(|t| !t.trim().is_empty()) {
        return Some(read_canonical(text, link, sent));
    }
    if let Some(text) =
        string_to_sign.filter(|t| !t.starts_with("AWS4-") && !t.starts_with("GOOG4-"))
    {
        return Some(legacy::read_string_to_sign_v2(text, link, sent));
    }
    let detail = azure_detail?;
    let at = detail.find("String to sign used was")?;
    let text = detail[at + "String to sign used was".len()..].trim_start();
    Some(legacy::read_azure(text, link?))
}

/// A SigV4 / GCS V4 canonical request: method, path, query, header lines, a blank line, the
/// signed header list, the payload hash.
fn read_canonical(text: &str, link: Option<&PresignedLink>, sent: &Sent<'_>) -> Reading {
    let lines: Vec<&str> = text.lines().collect();
    let method = lines.first().map(|m| m.trim().to_owned());
    let path = lines.get(1).copied().unwrap_or_default();
    let query = lines.get(2).copied().unwrap_or_default();
    let header_lines: Vec<(String, String)> = lines
        .iter()
        .skip(3)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let (n, v) = line.split_once(':')?;
            Some((n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    let signed: Vec<String> = lines
        .iter()
        .skip(3)
        .skip_while(|line| !line.is_empty())
        .nth(1)
        .map(|list| {
            list.split(';')
                .map(|h| h.trim().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let mut reading = Reading {
        method: method.clone(),
        covers_request: link.is_some() && lines.len() >= 3,
        ..Reading::default()
    };
    compare_method(&mut reading, method.as_deref(), sent);
    let Some(link) = link else {
        reading.content_type = header_value(&header_lines, "content-type");
        return reading;
    };
    if let Some(d) = compare_path(path, link.raw().path()) {
        reading.differences.push(d);
    }
    let mut unverified = Vec::new();
    reading
        .differences
        .extend(compare_query(query, link, &mut unverified));
    reading.unverified.extend(unverified);
    let wanted: Vec<&str> = if signed.is_empty() {
        link.signed_headers.iter().map(String::as_str).collect()
    } else {
        signed.iter().map(String::as_str).collect()
    };
    for name in wanted {
        let received = header_value(&header_lines, name);
        match name {
            "host" => {
                let expected = host_as_signed(link);
                if let Some(received) = received.filter(|r| !r.eq_ignore_ascii_case(&expected)) {
                    reading.differences.push(Difference {
                        part: Part::Host,
                        change: Change::OtherValue,
                        expected: Some(expected),
                        received: Some(received),
                    });
                }
            }
            _ => compare_header(&mut reading, name, received, sent),
        }
    }
    reading
}

fn header_value(lines: &[(String, String)], name: &str) -> Option<String> {
    lines
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

pub(super) fn compare_method(reading: &mut Reading, received: Option<&str>, sent: &Sent<'_>) {
    if let (Some(received), Some(sent)) = (received, sent.method)
        && !received.eq_ignore_ascii_case(sent)
    {
        reading.differences.push(Difference {
            part: Part::Method,
            change: Change::OtherValue,
            expected: Some(sent.to_owned()),
            received: Some(received.to_owned()),
        });
    }
}

/// A signed header the echo shows (or does not) against what was sent: not sent, sent empty,
/// received with another value than sent, or received with a value PresignDesk did not see
/// sent and cannot check.
fn compare_header(reading: &mut Reading, name: &str, received: Option<String>, sent: &Sent<'_>) {
    let sent_value = sent.header(name).map(str::trim);
    if name == "content-type" {
        reading.content_type = Some(received.clone().unwrap_or_default());
    }
    let secret = crate::secret::is_secret_header(name);
    let shown = |value: &str| {
        if secret {
            REDACTED.to_owned()
        } else {
            value.to_owned()
        }
    };
    match (sent_value, received.as_deref().filter(|r| !r.is_empty())) {
        (None, None) if name != "content-type" => reading.missing_headers.push(name.to_owned()),
        (Some(""), None) if name != "content-type" => reading.empty_headers.push(name.to_owned()),
        (Some(s), Some(r)) if s != r => reading.differences.push(Difference {
            part: Part::Header(name.to_owned()),
            change: if s.eq_ignore_ascii_case(r) {
                Change::CaseChanged
            } else {
                Change::OtherValue
            },
            expected: Some(shown(s)),
            received: Some(shown(r)),
        }),
        (Some(s), None) if !s.is_empty() => reading.differences.push(Difference {
            part: Part::Header(name.to_owned()),
            change: Change::Dropped,
            expected: Some(shown(s)),
            received: None,
        }),
        // Received, but not seen sent: what the link was signed with is not known here.
        (None, Some(r)) if name != "content-type" => reading.unverified.push((
            Part::Header(name.to_owned()),
            (!secret).then(|| r.to_owned()),
        )),
        _ => {}
    }
}

/// The host as the signer signed it: with the port unless it is the scheme's default.
fn host_as_signed(link: &PresignedLink) -> String {
    let raw = link.raw();
    match raw.port {
        Some(port) if !(raw.is_https && port == 443 || !raw.is_https && port == 80) => {
            format!("{}:{port}", raw.host)
        }
        _ => raw.host.clone(),
    }
}

fn compare_path(received: &str, link_path: &str) -> Option<Difference> {
    let link_path = if link_path.is_empty() { "/" } else { link_path };
    // Some servers echo the path as received, others in canonical form: either matches.
    if received == link_path
        || percent_decode(received) == percent_decode(link_path)
            && !received.contains("%25")
            && !link_path.contains("%25")
    {
        return None;
    }
    let change = classify(link_path, received, true)?;
    Some(Difference {
        part: Part::Path,
        change,
        expected: Some(link_path.to_owned()),
        received: Some(received.to_owned()),
    })
}

/// Parameters whose values are never echoed as they are (redacted) or not echoed at all.
fn is_secret_param(name: &str) -> bool {
    crate::secret::is_token_name(name)
}

fn is_signature_param(name: &str) -> bool {
    name.eq_ignore_ascii_case("X-Amz-Signature") || name.eq_ignore_ascii_case("X-Goog-Signature")
}

/// The echoed canonical query against the link's own parameters: the differences, and the
/// parameters the echo hides (`unverified`).
fn compare_query(
    received: &str,
    link: &PresignedLink,
    unverified: &mut Vec<(Part, Option<String>)>,
) -> Vec<Difference> {
    let mut echoed: Vec<(String, String)> = received
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect();
    let mut differences = Vec::new();
    let link_params: Vec<(String, String)> = link
        .raw()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (n.to_owned(), v.to_owned())
        })
        .filter(|(n, _)| !is_signature_param(&String::from_utf8_lossy(&percent_decode(n))))
        .collect();
    for (raw_name, raw_value) in &link_params {
        let name = aws_encode(&percent_decode(raw_name), false);
        let display = String::from_utf8_lossy(&percent_decode(raw_name)).into_owned();
        let exact = echoed.iter().position(|(n, _)| *n == name);
        let found = exact.or_else(|| {
            echoed
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(&name))
        });
        let Some(at) = found else {
            differences.push(Difference {
                part: Part::Param(display),
                change: Change::Dropped,
                expected: Some(raw_value.clone()),
                received: None,
            });
            continue;
        };
        let (echo_name, echo_value) = echoed.remove(at);
        if exact.is_none() {
            differences.push(Difference {
                part: Part::Param(display),
                change: Change::CaseChanged,
                expected: Some(name.clone()),
                received: Some(echo_name),
            });
            continue;
        }
        // A value the server hid itself cannot be compared: said, never taken as matching.
        if echo_value == REDACTED && raw_value != REDACTED {
            unverified.push((Part::Param(display), None));
            continue;
        }
        // Secrets are compared byte for byte like the rest; only their values are not kept.
        let secret = is_secret_param(&display);
        if let Some(change) = classify(raw_value, &echo_value, false) {
            differences.push(Difference {
                part: Part::Param(display),
                change,
                expected: (!secret).then(|| raw_value.clone()),
                received: (!secret).then_some(echo_value),
            });
        }
    }
    for (name, value) in echoed {
        if is_signature_param(&name) {
            continue;
        }
        let display = String::from_utf8_lossy(&percent_decode(&name)).into_owned();
        let secret = is_secret_param(&display);
        differences.push(Difference {
            part: Part::Param(display),
            change: Change::Added,
            expected: None,
            received: (!secret).then_some(value),
        });
    }
    differences
}

#[cfg(test)]
mod tests;
