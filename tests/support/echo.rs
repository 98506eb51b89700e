//! Error bodies as Amazon S3 and Google Cloud Storage write them for a signature mismatch: the
//! canonical request the server computed from the request it received (the path and query
//! decoded and encoded again, the query sorted, the signed headers' lines), escaped into XML.

/// Bytes AWS leaves unencoded.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn encode(bytes: &[u8], keep_slash: bool) -> String {
    bytes
        .iter()
        .map(|&b| {
            if unreserved(b) || (keep_slash && b == b'/') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// How the server reads a query value: `+` is a space, then percent-decoding.
fn form_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(&text.replace('+', " ")).collect()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The canonical request a server computes for `sent_url` received with `method` and
/// `headers` (lowercase names, as sent), of which `signed` are signed.
pub fn canonical_request(
    sent_url: &str,
    method: &str,
    headers: &[(&str, &str)],
    signed: &[&str],
) -> String {
    let rest = sent_url.split_once("://").map_or(sent_url, |(_, r)| r);
    let (authority, path_query) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let path = encode(
        &percent_encoding::percent_decode_str(path).collect::<Vec<u8>>(),
        true,
    );
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                encode(&form_decode(n), false),
                encode(&form_decode(v), false),
            )
        })
        .filter(|(n, _)| n != "X-Amz-Signature" && n != "X-Goog-Signature")
        .collect();
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let mut lines = Vec::new();
    for name in signed {
        let value = if *name == "host" {
            authority.to_owned()
        } else {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        lines.push(format!("{name}:{value}"));
    }
    format!(
        "{method}\n{path}\n{}\n{}\n\n{}\nUNSIGNED-PAYLOAD",
        query.join("&"),
        lines.join("\n"),
        signed.join(";")
    )
}

/// A `SignatureDoesNotMatch` body carrying the canonical request of `sent_url`, as Amazon S3
/// writes it (Google Cloud Storage writes the same element).
pub fn signature_mismatch(
    sent_url: &str,
    method: &str,
    headers: &[(&str, &str)],
    signed: &[&str],
) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAX</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n20261124T060000Z\n20261124/us-east-1/s3/aws4_request\n0123</StringToSign><SignatureProvided>abc</SignatureProvided><CanonicalRequest>{}</CanonicalRequest><RequestId>R1</RequestId></Error>",
        xml_escape(&canonical_request(sent_url, method, headers, signed))
    )
}
