//! An upload through a presigned POST form: `multipart/form-data`, every field in the order
//! given and the file part last, streamed from disk with an exact `Content-Length` (never
//! chunked, never held in memory). Success is 200, 201 (with an XML body naming the object) or
//! 204, or a 303 to the form's `success_action_redirect`, which is reported, not followed.

use std::io;
use std::path::Path;
use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use super::Options;
use super::hasher::Hasher;
use super::hasher::verify_md5;
use super::http::{network_error, refusal, response_facts};
use super::meter::Meter;
use super::{Outcome, ResponseFacts, Success, TransferError};

const IO_BUFFER_BYTES: usize = 64 * 1024;

/// The parts before and after the file: every field, then the file part's header; and the
/// closing boundary.
pub(super) fn multipart_frame(
    boundary: &str,
    fields: &[(String, String)],
    file_field: &str,
    file_name: &str,
    file_type: &str,
) -> (Vec<u8>, Vec<u8>) {
    // Quotes and line breaks cannot stand inside a quoted name.
    let quoted = |text: &str| text.replace(['"', '\r', '\n'], "_");
    let mut head = Vec::new();
    for (name, value) in fields {
        head.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{value}\r\n",
                quoted(name)
            )
            .as_bytes(),
        );
    }
    head.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            quoted(file_field),
            quoted(file_name),
            quoted(file_type)
        )
        .as_bytes(),
    );
    let tail = format!("\r\n--{boundary}--\r\n").into_bytes();
    (head, tail)
}

/// A boundary no field value holds.
fn boundary(fields: &[(String, String)]) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut boundary = format!("PresignDeskFormBoundary{nanos:x}");
    while fields.iter().any(|(_, v)| v.contains(&boundary)) {
        boundary.push('x');
    }
    boundary
}

/// What a form post needs besides the client and the URL.
pub(super) struct Form<'a> {
    pub path: &'a Path,
    pub planned_len: u64,
    pub fields: &'a [(String, String)],
    pub file_field: &'a str,
    pub file_type: &'a str,
}

/// Posts the form with the file; one attempt.
pub(super) async fn post(
    client: &reqwest::Client,
    url: reqwest::Url,
    form: &Form<'_>,
    options: &Options,
    meter: &Meter,
) -> Result<Outcome, TransferError> {
    let path = form.path;
    let read_error = |e: io::Error| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let file = tokio::fs::File::open(path).await.map_err(read_error)?;
    let before = file.metadata().await.map_err(read_error)?;
    let len = before.len();
    if len != form.planned_len {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: form.planned_len,
            now: len,
        });
    }
    let file_name = crate::link::file_name(path);
    let boundary = boundary(form.fields);
    let (head, tail) = multipart_frame(
        &boundary,
        form.fields,
        form.file_field,
        &file_name,
        form.file_type,
    );
    let total = head.len() as u64 + len + tail.len() as u64;
    meter.start(Some(len), 0);
    let hasher = options.verify.then(Hasher::of_bytes);
    let (body_meter, feed) = (meter.clone(), hasher.as_ref().map(Hasher::feed));
    let file_part =
        ReaderStream::with_capacity(file.take(len), IO_BUFFER_BYTES).then(move |chunk| {
            let (meter, feed) = (body_meter.clone(), feed.clone());
            async move {
                if let Ok(chunk) = &chunk {
                    if let Some(feed) = feed {
                        feed.bytes(chunk.clone()).await;
                    }
                    meter.count(chunk.len() as u64);
                }
                chunk
            }
        });
    let body = futures_util::stream::iter([Ok::<Bytes, io::Error>(Bytes::from(head))])
        .chain(file_part)
        .chain(futures_util::stream::iter([Ok(Bytes::from(tail))]));
    let started = Instant::now();
    let request = client
        .post(url)
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(CONTENT_LENGTH, total)
        .body(reqwest::Body::wrap_stream(body));
    let mut response = request.send().await.map_err(network_error)?;
    let mut facts = response_facts(response.headers());
    let status = response.status().as_u16();
    let redirected = status == 303 && facts.location.is_some();
    if !(response.status().is_success() || redirected) {
        let mut refused = refusal(response, facts).await;
        // A server may echo the policy (which can hold the token) or the signature.
        let secrets: Vec<&str> = form
            .fields
            .iter()
            .filter(|(n, _)| crate::post::is_secret_field(n))
            .map(|(_, v)| v.as_str())
            .collect();
        refused.body.redact_values(&secrets);
        return Ok(Outcome::Refused(Box::new(refused)));
    }
    // A 201 names the object in XML (ETag, Location, Key); read a little of it.
    let mut body = Vec::new();
    while body.len() < 64 * 1024 {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    merge_created(&mut facts, &body);
    if redirected {
        merge_redirect(&mut facts);
    }
    let bytes = meter.finish();
    let after = tokio::fs::metadata(path).await.map_err(read_error)?;
    if bytes != len || after.len() != len || after.modified().ok() != before.modified().ok() {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: len,
            now: after.len(),
        });
    }
    let verification = verify_md5(hasher, &facts, path).await?;
    Ok(Outcome::Succeeded(Box::new(Success {
        status,
        bytes,
        elapsed: started.elapsed(),
        response: facts,
        saved_to: None,
        verification,
        connections: 1,
        connections_reason: None,
        single_stream_reason: None,
        hash_tail: None,
        parts: 0,
        complete_time: None,
        blocks: false,
    })))
}

/// What a `201 Created` body says about the object, where the headers do not.
fn merge_created(facts: &mut ResponseFacts, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    let xml = crate::exchange::ErrorBody::parse(body);
    if facts.etag.is_none() {
        facts.etag = xml.element("ETag").map(str::to_owned);
    }
    if facts.location.is_none() {
        facts.location = xml.element("Location").map(str::to_owned);
    }
    facts.key = xml.element("Key").map(str::to_owned);
}

/// What a `303` to `success_action_redirect` says about the object: S3 adds `bucket`, `key`
/// and `etag` to the page's address.
fn merge_redirect(facts: &mut ResponseFacts) {
    let Some(page) = facts
        .location
        .as_deref()
        .and_then(|l| crate::link::RawUrl::split(l).ok())
    else {
        return;
    };
    if facts.etag.is_none() {
        facts.etag = page.param("etag");
    }
    if facts.key.is_none() {
        facts.key = page.param("key");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_puts_every_field_first_and_the_file_last() {
        let fields = vec![
            ("key".to_owned(), "uploads/${filename}".to_owned()),
            ("policy".to_owned(), "eyJ9".to_owned()),
        ];
        let (head, tail) = multipart_frame("B", &fields, "file", "見 \"a\".csv", "text/csv");
        let head = String::from_utf8(head).unwrap();
        assert_eq!(
            head,
            "--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\neyJ9\r\n\
             --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"見 _a_.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        );
        assert_eq!(tail, b"\r\n--B--\r\n");
        let b = boundary(&[("x".into(), "PresignDeskFormBoundary".into())]);
        assert!(b.starts_with("PresignDeskFormBoundary"));
    }

    #[test]
    fn a_created_body_names_the_object() {
        let mut facts = ResponseFacts::default();
        merge_created(
            &mut facts,
            b"<PostResponse><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>\"abc\"</ETag></PostResponse>",
        );
        assert_eq!(facts.etag.as_deref(), Some("\"abc\""));
        assert_eq!(facts.location.as_deref(), Some("http://h/b/k"));
        assert_eq!(facts.key.as_deref(), Some("k"));

        let mut facts = ResponseFacts {
            location: Some(
                "https://example.com/done?bucket=b&key=fa-106%2F%E8%A6%8B.csv&etag=%22abc%22"
                    .into(),
            ),
            ..ResponseFacts::default()
        };
        merge_redirect(&mut facts);
        assert_eq!(facts.key.as_deref(), Some("fa-106/見.csv"));
        assert_eq!(facts.etag.as_deref(), Some("\"abc\""));
    }
}
