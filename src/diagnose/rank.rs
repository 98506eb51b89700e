//! From the evidence to ranked causes: what the link's own fields prove, what the server states
//! by its code, what the echo and the request show, and what is left when nothing states it.
//! Proof first; among equals, the order found (the most common first) stands. Pure.

use jiff::Timestamp;

use super::attempt::{Answer, Attempt};
use super::cause::{Basis, Found, kind};
use super::clock;
use super::provider;
use super::signature;
use crate::link::SignatureScheme;
use crate::text::errors::Family;

/// The causes of a refusal, ranked.
pub(super) fn rank(
    attempt: &Attempt<'_>,
    answer: &Answer<'_>,
    family: Family,
    now: Timestamp,
) -> Vec<Found> {
    let code = answer.code();
    let status = answer.status.unwrap_or(0);
    let mut causes = link_findings(attempt, status);
    causes.extend(by_code(
        attempt,
        answer,
        code.unwrap_or_default(),
        family,
        now,
    ));

    // What the link itself says, when the code alone did not tell.
    if let Some(link) = attempt.link {
        if causes.is_empty() && link.is_expired(now) {
            causes.extend(clock::expired_causes(
                attempt.signed(),
                answer,
                now,
                Basis::Link,
            ));
        }
        if matches!(status, 400 | 403)
            && link.scheme == SignatureScheme::AwsSigV2
            && code == Some("InvalidRequest")
        {
            causes.push(legacy_unsupported(attempt, answer));
        }
        let about_digests = matches!(
            code,
            Some(
                "BadDigest"
                    | "InvalidDigest"
                    | "XAmzContentChecksumMismatch"
                    | "InvalidRequest"
                    | "InvalidArgument"
            )
        );
        if let Some(found) = provider::sdk_checksum(attempt, about_digests) {
            causes.push(found);
        }
    }
    match (code, status) {
        (Some("AccessDenied"), _) if causes.is_empty() => {
            causes.push(provider::permission(attempt))
        }
        (None, 404) => causes.push(provider::not_found(attempt.link, answer.body, None)),
        (None, 301 | 302 | 307 | 308) => causes.push(redirect(answer)),
        (None, 500..=599) => {
            causes.push(Found::new(&kind::RETRYABLE).with("code", status.to_string()))
        }
        (None, 411) => causes.push(Found::new(&kind::CHUNKED)),
        (None, 413) => causes.push(too_large(attempt, answer)),
        _ => {}
    }
    // One cause per id: the first found, which is the best shown.
    let mut seen = Vec::new();
    causes.retain(|c| {
        let new = !seen.contains(&c.kind.id);
        seen.push(c.kind.id);
        new
    });
    causes.sort_by_key(|c| c.strength);
    causes
}

/// What the link's own fields prove about a refusal of its signature or access: it was cut
/// short, or carries no signature at all.
fn link_findings(attempt: &Attempt<'_>, status: u16) -> Vec<Found> {
    let Some(link) = attempt.link else {
        return Vec::new();
    };
    if !matches!(status, 400 | 401 | 403) {
        return Vec::new();
    }
    let mut causes = Vec::new();
    if link.scheme == SignatureScheme::Unsigned {
        causes.push(Found::new(&kind::NOT_PRESIGNED).proven(Basis::Link));
    } else if !link.missing_parameters.is_empty() {
        causes.push(
            Found::new(&kind::INCOMPLETE)
                .with("params", link.missing_parameters.join(", "))
                .proven(Basis::Link),
        );
    }
    causes
}

fn said(found: Found) -> Found {
    found.proven(Basis::ServerSaid)
}

/// What the server's code (with its message and elements) states.
fn by_code(
    attempt: &Attempt<'_>,
    answer: &Answer<'_>,
    code: &str,
    family: Family,
    now: Timestamp,
) -> Vec<Found> {
    let body = answer.body;
    let link = attempt.link;
    let message = body
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let detail = body
        .element("AuthenticationErrorDetail")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let one = |found: Found| vec![found];
    match code {
        "NotImplemented"
            if body
                .element("Header")
                .is_some_and(|h| h.eq_ignore_ascii_case("Transfer-Encoding")) =>
        {
            one(said(Found::new(&kind::CHUNKED)))
        }
        "MissingContentLength" => one(said(Found::new(&kind::CHUNKED))),
        "EntityTooLarge" | "RequestBodyTooLarge" => one(said(too_large(attempt, answer))),
        "InvalidArgument" if message.contains("auth") => one(Found::new(&kind::TWO_AUTH)),
        "MissingRequiredHeader"
            if body
                .element("HeaderName")
                .is_none_or(|h| h.eq_ignore_ascii_case("x-ms-blob-type")) =>
        {
            one(said(Found::new(&kind::BLOB_TYPE)))
        }
        "ExpiredToken" if family == Family::Gcs => {
            clock::expired_causes(attempt.signed(), answer, now, Basis::ServerSaid)
        }
        "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired" => {
            one(said(Found::new(&kind::TEMPORARY_CREDENTIALS)))
        }
        "ExpiredRequest" => clock::expired_causes(attempt.signed(), answer, now, Basis::ServerSaid),
        "AccessDenied" if message.contains("expired") => {
            clock::expired_causes(attempt.signed(), answer, now, Basis::ServerSaid)
        }
        "AccessDenied" if message.contains("not yet valid") => {
            one(clock::signer_ahead(attempt.signed(), answer))
        }
        "AccessDenied"
            if message.contains("not signed") || body.element("HeadersNotSigned").is_some() =>
        {
            let headers = body.element("HeadersNotSigned").unwrap_or("x-amz-*");
            one(said(
                Found::new(&kind::UNSIGNED_HEADERS).with("headers", headers),
            ))
        }
        "AuthenticationFailed" if detail.contains("expir") => {
            clock::expired_causes(attempt.signed(), answer, now, Basis::ServerSaid)
        }
        "AuthenticationFailed" if detail.contains("not yet valid") || detail.contains("start") => {
            one(clock::signer_ahead(attempt.signed(), answer))
        }
        "AuthorizationQueryParametersError"
            if message.contains("expires") || body.element("X-Amz-Expires").is_some() =>
        {
            one(said(Found::new(&kind::EXPIRY_TOO_LONG)))
        }
        "AuthorizationQueryParametersError" | "AuthorizationHeaderMalformed" => {
            wrong_region(attempt, answer, &message)
                .into_iter()
                .collect()
        }
        "PermanentRedirect" | "TemporaryRedirect" => one(said(redirect(answer))),
        "InvalidRequest" if message.contains("aws4-hmac-sha256") => {
            one(said(legacy_unsupported(attempt, answer)))
        }
        "NoSuchKey" | "NoSuchBucket" | "BlobNotFound" | "ContainerNotFound" => {
            one(provider::not_found(link, body, Some(code)))
        }
        "RequestTimeTooSkewed" => clock::skew_causes(attempt.signed(), answer, now),
        "AuthorizationPermissionMismatch" | "AuthorizationFailure" => permission_mismatch(attempt),
        "SlowDown" | "InternalError" | "ServiceUnavailable" | "RequestTimeout" | "ServerBusy"
        | "OperationTimedOut" | "IncompleteBody" => {
            one(said(Found::new(&kind::RETRYABLE).with("code", code)))
        }
        "SignatureDoesNotMatch" => signature::causes(attempt, body),
        "AuthenticationFailed" if detail.contains("signature") || detail.is_empty() => {
            signature::causes(attempt, body)
        }
        _ => Vec::new(),
    }
}

/// The regions that took Signature Version 2 (those opened before 2014); every later one
/// accepts only version 4.
const SIGV2_REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "us-gov-west-1",
];

/// A SigV2 link refused: in words of the bucket's region when it is known (the link's host or
/// the server's `Region`), as regions opened after early 2014 never took version 2, and older
/// ones stopped for buckets made after June 2020.
fn legacy_unsupported(attempt: &Attempt<'_>, answer: &Answer<'_>) -> Found {
    let region = answer
        .body
        .element("Region")
        .map(str::to_owned)
        .or_else(|| attempt.link.and_then(|l| l.region.clone()))
        .filter(|r| !r.is_empty() && r != "auto")
        // Regions and their history are Amazon's.
        .filter(|_| {
            attempt
                .link
                .is_none_or(|l| l.provider == crate::link::Provider::Aws)
        });
    match region {
        Some(region) if SIGV2_REGIONS.contains(&region.as_str()) => {
            Found::new(&kind::LEGACY_UNSUPPORTED_OLD_REGION).with("region", region)
        }
        Some(region) => Found::new(&kind::LEGACY_UNSUPPORTED_REGION).with("region", region),
        None => Found::new(&kind::LEGACY_UNSUPPORTED),
    }
}

/// The region the server expects (in its `Region` element or its message) against the one the
/// link or the form was signed for.
fn wrong_region(attempt: &Attempt<'_>, answer: &Answer<'_>, message: &str) -> Option<Found> {
    let region = answer
        .body
        .element("Region")
        .map(str::to_owned)
        .or_else(|| quoted_after(message, "expecting"))?;
    let signed = attempt
        .link
        .and_then(|l| l.region.clone())
        .or_else(|| attempt.form.and_then(|f| f.signer.region.clone()))
        .unwrap_or_default();
    Some(said(
        Found::new(&kind::WRONG_REGION)
            .with("region", region)
            .with("signed", signed),
    ))
}

/// Azure's permission refusals: a SAS whose permissions say it was made for the other
/// operation proves it; otherwise the permissions are the cause.
fn permission_mismatch(attempt: &Attempt<'_>) -> Vec<Found> {
    match attempt
        .link
        .and_then(|l| l.operation)
        .filter(|m| *m != attempt.operation)
    {
        Some(made_for) => vec![
            Found::new(&kind::METHOD_STATED)
                .with("made_for", provider::operation_words(made_for))
                .with("used", provider::operation_words(attempt.operation))
                .proven(Basis::Link),
            provider::permission(attempt).possible(),
        ],
        None => vec![provider::permission(attempt)],
    }
}

fn redirect(answer: &Answer<'_>) -> Found {
    Found::new(&kind::REDIRECT).with(
        "endpoint",
        answer
            .body
            .element("Endpoint")
            .or(answer.body.element("Location"))
            .unwrap_or("?"),
    )
}

fn too_large(attempt: &Attempt<'_>, answer: &Answer<'_>) -> Found {
    let number = |name| {
        answer
            .body
            .element(name)
            .and_then(|v| v.parse::<u64>().ok())
    };
    let size = number("ProposedSize")
        .or(attempt.file_len_bytes)
        .map(crate::format::bytes)
        .unwrap_or_else(|| "?".into());
    let max = number("MaxSizeAllowed").map_or_else(|| "5 GiB".to_owned(), crate::format::bytes);
    Found::new(&kind::TOO_LARGE)
        .with("size", size)
        .with("max", max)
}

/// `'ap-northeast-1'` after `word` in a message (S3's region errors quote the region).
fn quoted_after(message: &str, word: &str) -> Option<String> {
    let rest = &message[message.find(word)? + word.len()..];
    let start = rest.find('\'')? + 1;
    let len = rest[start..].find('\'')?;
    Some(rest[start..start + len].to_owned())
}
