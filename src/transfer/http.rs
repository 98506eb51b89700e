//! HTTP as the engine uses it: the client, the URL exactly as signed, the extra headers, one
//! request sent and its answer read (a refusal's body capped), and network errors in words
//! that hold no URL.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{Outcome, Refusal, ResponseFacts, TransferError};
use crate::exchange::{ErrorBody, MAX_ERROR_BODY_BYTES};
use crate::link::RawUrl;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client every transfer uses: no redirects (SigV4 signs the host, so a redirect
/// cannot be followed with the same link), no added headers beyond what HTTP needs.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
}

/// The `Url` reqwest needs, refusing any link the URL library would rewrite beyond
/// percent-encoding bytes that cannot travel raw (non-ASCII, quotes...).
pub(super) fn wire_url(text: &str) -> Result<reqwest::Url, TransferError> {
    let raw = RawUrl::split(text).map_err(|_| TransferError::CannotSendUnchanged)?;
    let url = reqwest::Url::parse(text).map_err(|_| TransferError::CannotSendUnchanged)?;
    let decoded = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let raw_path = if raw.path().is_empty() {
        "/"
    } else {
        raw.path()
    };
    let same_path = decoded(url.path()) == decoded(raw_path);
    let same_query = url.query().map(decoded) == raw.query().map(decoded);
    if same_path && same_query {
        Ok(url)
    } else {
        Err(TransferError::CannotSendUnchanged)
    }
}

pub(super) fn extra_headers(pairs: &[(String, String)]) -> Result<HeaderMap, TransferError> {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        let invalid = || TransferError::InvalidHeader(name.clone());
        let name_value = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        headers.append(name_value, value);
    }
    Ok(headers)
}
/// What the server answered to the request line and headers.
// Lives for one call, on the stack: boxing the response would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub(super) enum Answer {
    /// 2xx: the body (for a GET) is to be read.
    Accepted(reqwest::Response, ResponseFacts),
    /// Anything else, read into a refusal.
    Refused(Outcome),
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> Result<Answer, TransferError> {
    let response = request.send().await.map_err(network_error)?;
    let facts = response_facts(response.headers());
    if response.status().is_success() {
        Ok(Answer::Accepted(response, facts))
    } else {
        Ok(Answer::Refused(Outcome::Refused(Box::new(
            refusal(response, facts).await,
        ))))
    }
}

pub(super) async fn refusal(mut response: reqwest::Response, facts: ResponseFacts) -> Refusal {
    let status = response.status();
    let mut body = Vec::new();
    // Read at most the cap (plus one byte to know it was cut); a broken body keeps what came.
    while body.len() <= MAX_ERROR_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(MAX_ERROR_BODY_BYTES + 1);
    Refusal {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
        body: ErrorBody::parse(&body),
        response: facts,
        bytes_sent: 0,
        sent_despite_checksum: false,
        part: None,
    }
}

pub(super) fn response_facts(headers: &HeaderMap) -> ResponseFacts {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    ResponseFacts {
        etag: get("etag"),
        version_id: get("x-amz-version-id"),
        request_id: get("x-amz-request-id")
            .or_else(|| get("x-ms-request-id"))
            .or_else(|| get("x-guploader-uploadid")),
        host_id: get("x-amz-id-2"),
        date: get("date"),
        content_type: get("content-type"),
        content_length: get("content-length").and_then(|v| v.parse().ok()),
        location: get("location"),
        key: None,
        error_code: get("x-ms-error-code"),
        content_md5: get("content-md5"),
        goog_hash: get("x-goog-hash"),
        server_side_encryption: get("x-amz-server-side-encryption").or_else(|| {
            get("x-amz-server-side-encryption-customer-algorithm").map(|a| format!("SSE-C {a}"))
        }),
        accept_ranges: get("accept-ranges"),
        content_range: get("content-range"),
        content_disposition: get("content-disposition"),
    }
}

/// A network error as a message with no URL in it (reqwest's own text includes the URL and
/// with it the signature). The innermost cause says the most ("Connection refused").
pub(super) fn network_error(error: reqwest::Error) -> TransferError {
    let connect = error.is_connect();
    let reason = root_cause(&error).unwrap_or_else(|| error.without_url().to_string());
    if connect {
        TransferError::Connect(reason)
    } else {
        TransferError::Network(reason)
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = error.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause.to_string())
}
