//! Links of every provider with distinctive secrets (S3 SigV4 with a security token, S3 SigV2,
//! GCS, Azure SAS), a server error body that echoes them all, and the check that none of them
//! appears in a text: the redaction audits of the command line and of the window share them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::fault_server::{FaultServer, Reply, ok, status};

/// A server that accepts every upload and serves "hello" (with its MD5 as ETag), or, while
/// `failing` holds, refuses everything with [`echoing_body`].
pub async fn audit_server(failing: Arc<AtomicBool>) -> FaultServer {
    FaultServer::start(move |_, _| {
        if failing.load(Ordering::SeqCst) {
            let mut reply = status(403, "x");
            if let Reply::Respond { body, .. } = &mut reply {
                *body = echoing_body();
            }
            reply
        } else {
            ok(
                b"hello".to_vec(),
                vec![(
                    "ETag".to_owned(),
                    "\"5d41402abc4b2a76b9719d911017c592\"".to_owned(),
                )],
            )
        }
    })
    .await
}

/// Secrets, each in the form it has in the link and in the forms it may take once decoded.
pub struct Secrets(pub Vec<String>);

impl Secrets {
    pub fn assert_absent(&self, what: &str, text: &str) {
        for secret in &self.0 {
            assert!(
                !text.contains(secret.as_str()),
                "{what}: a secret ({secret}) appears in:\n{text}"
            );
        }
    }
}

const V4_SIGNATURE: &str = "9d1a3c5e7f9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5f7b9d2a4c6e8f0b1d";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEJr7SESSIONTOKENzq8w9x0y1z2";
const V2_SIGNATURE: &str = "Zk9V2sIgNaTuRe7Qa1b2c3d4e5";
const GCS_SIGNATURE: &str = "6c0ffee86d7a9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c";
const SAS_SIG: &str = "SaSsIgVaLuE0123456789abcdefXYZ";
const FORM_SIGNATURE: &str = "f0a1b2c3d4e5f60718293a4b5c6d7e8ff0a1b2c3d4e5f60718293a4b5c6d7e8f";

pub fn links(port: u16) -> Vec<(&'static str, String)> {
    let date = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let expires = jiff::Timestamp::now().as_second() + 3600;
    let base = format!("http://127.0.0.1:{port}/bucket/x.bin");
    vec![
        (
            "s3-v4-token",
            format!(
                "{base}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAX%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires=3600&X-Amz-Security-Token={TOKEN}&X-Amz-SignedHeaders=host&X-Amz-Signature={V4_SIGNATURE}"
            ),
        ),
        (
            "s3-v2",
            format!("{base}?AWSAccessKeyId=AKIAX&Expires={expires}&Signature={V2_SIGNATURE}%2B%3D"),
        ),
        (
            "gcs",
            format!(
                "{base}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20261125%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date={date}&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature={GCS_SIGNATURE}"
            ),
        ),
        ("post-form", post_form(port)),
        (
            "azure-sas",
            format!(
                "{base}?sv=2022-11-02&ss=b&srt=o&sp=rwc&se=2030-01-01T00%3A00%3A00Z&st=2026-01-01T00%3A00%3A00Z&spr=http&sig={SAS_SIG}%2B%2F%3D"
            ),
        ),
    ]
}

/// An upload form signed with temporary credentials, as boto3 prints it: its policy holds the
/// token too.
fn post_form(port: u16) -> String {
    use base64::Engine as _;
    let expiration = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let policy = base64::engine::general_purpose::STANDARD.encode(format!(
        r#"{{"expiration": "{expiration}", "conditions": [{{"bucket": "bucket"}}, ["starts-with", "$key", ""], {{"x-amz-security-token": "{TOKEN}"}}]}}"#
    ));
    format!(
        "{{'url': 'http://127.0.0.1:{port}/bucket', 'fields': {{'key': 'x.bin', 'x-amz-security-token': '{TOKEN}', 'policy': '{policy}', 'x-amz-signature': '{FORM_SIGNATURE}'}}}}"
    )
}

/// The policy of the audit's form, which holds the token (base64): never shown either.
pub fn form_policy(port: u16) -> String {
    let form = post_form(port);
    let at = form.find("'policy': '").unwrap() + "'policy': '".len();
    form[at..at + form[at..].find('\'').unwrap()].to_owned()
}

/// An error body that echoes every secret, in the elements and forms servers use.
pub fn echoing_body() -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code>\
         <Message>The request signature we calculated does not match the signature you provided. \
         sig={SAS_SIG}%2B%2F%3D</Message>\
         <SignatureProvided>{V4_SIGNATURE}</SignatureProvided>\
         <SignatureProvided>{FORM_SIGNATURE}</SignatureProvided>\
         <StringToSign>AWS4-HMAC-SHA256\n20261125T000000Z</StringToSign>\
         <CanonicalRequest>PUT\n/bucket/x.bin\nX-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Security-Token={TOKEN}&amp;X-Amz-Signature={V4_SIGNATURE}&amp;Signature={V2_SIGNATURE}%2B%3D&amp;X-Goog-Signature={GCS_SIGNATURE}\nhost:127.0.0.1\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest>\
         <AuthenticationErrorDetail>Signature did not match. sig={SAS_SIG}%2B%2F%3D</AuthenticationErrorDetail>\
         <Token-0>{TOKEN}</Token-0></Error>"
    )
    .into_bytes()
}

pub fn secrets() -> Secrets {
    Secrets(
        [
            V4_SIGNATURE,
            TOKEN,
            V2_SIGNATURE,
            GCS_SIGNATURE,
            SAS_SIG,
            FORM_SIGNATURE,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    )
}
