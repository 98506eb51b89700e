//! AWS's URI encoding, and how a value changed between the link and the echo. Pure.

use super::Change;

/// Bytes AWS leaves unencoded in a canonical request: letters, digits, `-_.~`.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// AWS's URI encoding of `bytes` (uppercase hex), keeping `/` when `keep_slash`.
pub(super) fn aws_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(super) fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

/// As a form decoder reads it: `+` is a space.
fn form_decode(bytes: &[u8]) -> Vec<u8> {
    let plus_as_space: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space).collect()
}

/// How `received` (canonical form) came from `raw` (the link's text) on the way, if it did.
pub(super) fn classify(raw: &str, received: &str, keep_slash: bool) -> Option<Change> {
    let decoded = percent_decode(raw);
    let canonical = aws_encode(&decoded, keep_slash);
    if canonical == received {
        return None;
    }
    // The server decoded once what the client had encoded once more.
    if aws_encode(raw.as_bytes(), keep_slash) == received {
        return Some(Change::EncodedTwice);
    }
    // The client sent the value decoded, so the server decoded it a second time.
    if aws_encode(&form_decode(&decoded), keep_slash) == received
        || aws_encode(&form_decode(raw.as_bytes()), keep_slash) == received
    {
        // Only its `+` read as a space: said as such.
        let plus_as_space: Vec<u8> = decoded
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        if decoded.contains(&b'+') && aws_encode(&plus_as_space, keep_slash) == received {
            return Some(Change::PlusAsSpace);
        }
        return Some(Change::Decoded);
    }
    if canonical.eq_ignore_ascii_case(received) {
        return Some(Change::CaseChanged);
    }
    Some(Change::OtherValue)
}
