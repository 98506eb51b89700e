use super::*;

const EXPIRED_TOKEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>IQoJb3JpZ2luX2VjEJr-secret-token</Token-0><RequestId>4442587FB7D0A2F9</RequestId><HostId>abc=</HostId></Error>"#;

const SIGNATURE_MISMATCH: &str = r#"<Error xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20261124T060000Z</StringToSign><SignatureProvided>deadbeefcafe</SignatureProvided><CanonicalRequest>PUT
/b/k
X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Security-Token=tok-secret&amp;X-Amz-SignedHeaders=content-type%3Bhost
content-type:text/plain
host:b.s3.amazonaws.com

content-type;host
UNSIGNED-PAYLOAD</CanonicalRequest><StringToSignBytes>41 57 53</StringToSignBytes></Error>"#;

#[test]
fn reads_code_message_and_elements() {
    let body = ErrorBody::parse(EXPIRED_TOKEN.as_bytes());
    assert_eq!(body.format, BodyFormat::Xml);
    assert_eq!(body.code.as_deref(), Some("ExpiredToken"));
    assert_eq!(
        body.message.as_deref(),
        Some("The provided token has expired.")
    );
    assert_eq!(body.element("RequestId"), Some("4442587FB7D0A2F9"));
    assert_eq!(body.element("Token-0"), Some(REDACTED));
}

#[test]
fn no_secret_survives_in_elements_or_text() {
    for doc in [EXPIRED_TOKEN, SIGNATURE_MISMATCH] {
        let body = ErrorBody::parse(doc.as_bytes());
        let everything = format!("{body:?}");
        for secret in ["secret-token", "deadbeefcafe", "tok-secret", "41 57 53"] {
            assert!(
                !everything.contains(secret),
                "{secret} leaked: {everything}"
            );
        }
    }
    let body = ErrorBody::parse(SIGNATURE_MISMATCH.as_bytes());
    let canonical = body.element("CanonicalRequest").unwrap();
    assert!(canonical.contains("content-type:text/plain"), "{canonical}");
    assert!(
        canonical.contains("X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders"),
        "{canonical}"
    );
    assert_eq!(body.element("AWSAccessKeyId"), Some("AKIAEXAMPLE"));
}

#[test]
fn bodies_that_are_not_xml() {
    let cases: &[(&[u8], BodyFormat)] = &[
        (b"", BodyFormat::Empty),
        (b"  \n", BodyFormat::Empty),
        (
            b"<!DOCTYPE html><html><body>Proxy says no</body></html>",
            BodyFormat::Html,
        ),
        (b"{\"error\":\"nope\"}", BodyFormat::Json),
        (b"Forbidden", BodyFormat::Text),
        (b"<Error><Code>Trunc", BodyFormat::Xml),
        (&[0xff, 0xfe, 0x00, 0x3c], BodyFormat::Text),
    ];
    for (bytes, format) in cases {
        let body = ErrorBody::parse(bytes);
        assert_eq!(body.format, *format, "{bytes:?}");
    }
    assert_eq!(ErrorBody::parse(b"<Error><Code>Trunc").code, None);
}

#[test]
fn long_bodies_are_cut() {
    let long = vec![b'x'; MAX_ERROR_BODY_BYTES + 10];
    let body = ErrorBody::parse(&long);
    assert!(body.truncated);
    assert_eq!(body.text.len(), MAX_ERROR_BODY_BYTES);
}

#[test]
fn entities_and_namespaced_names() {
    let body = ErrorBody::parse(b"<s:Error xmlns:s='x'><s:Code>A&amp;B</s:Code><s:Message>&lt;&#65;&#x42;&bogus;</s:Message></s:Error>");
    assert_eq!(body.code.as_deref(), Some("A&B"));
    assert_eq!(body.message.as_deref(), Some("<AB&bogus;"));
}

#[test]
fn secret_parameters_in_a_body_are_redacted_in_any_case_and_every_time() {
    let text = "GET /k?x-amz-security-token=tok1&X-GOOG-SIGNATURE=sig2&Sig=sig3 \
                then ?X-Amz-Security-Token=tok4&notsig=kept&signature=sig5";
    let out = redact_text(text);
    for secret in ["tok1", "sig2", "sig3", "tok4", "sig5"] {
        assert!(!out.contains(secret), "{secret} in {out}");
    }
    assert!(
        out.contains("notsig=kept"),
        "a longer name is not a secret's: {out}"
    );
    assert!(out.contains("x-amz-security-token=REDACTED&X-GOOG-SIGNATURE=REDACTED"));
}
