//! From a refusal to what happened, why, and what to do: evidence from the error body, the
//! link and the request that was sent, ranked into causes with stable ids. Pure.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::ErrorBody;
use crate::format;
use crate::link::{Operation, PresignedLink, Provider, SignatureScheme};
use crate::text::errors::{self, ErrorText, Family};
use crate::text::{T, fill, heading, label_value, tr};

/// What was tried: the link and the request as sent.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    /// The link, when known.
    pub link: Option<&'a PresignedLink>,
    /// Upload or download.
    pub operation: Operation,
    /// The Content-Type header sent (`None`: none).
    pub sent_content_type: Option<String>,
    /// The type the file's name suggests, for the "send with this type" fix.
    pub guessed_content_type: Option<String>,
    /// Size of the file uploaded.
    pub file_len_bytes: Option<u64>,
    /// What a safe download probe of the same link showed, when one was made.
    pub download_probe: Option<ProbeVerdict>,
}

/// What a `GET` of the first byte through the same link showed about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeVerdict {
    /// The server accepted the signature for a download (200, 206, or `NoSuchKey`): the link
    /// was made for download.
    MadeForDownload,
    /// The server refused the download's signature too: the method is not the cause.
    NotForDownload,
    /// The probe settled nothing (network, another refusal).
    Unsettled,
}

impl ProbeVerdict {
    /// Reads a probe's answer: its status and error code.
    pub fn of_answer(status: u16, code: Option<&str>) -> Self {
        match (status, code) {
            (200 | 206 | 416, _) | (_, Some("NoSuchKey" | "BlobNotFound")) => {
                ProbeVerdict::MadeForDownload
            }
            (_, Some("SignatureDoesNotMatch" | "AuthenticationFailed")) => {
                ProbeVerdict::NotForDownload
            }
            _ => ProbeVerdict::Unsettled,
        }
    }
}

impl<'a> Attempt<'a> {
    /// `operation` with `link`, nothing else known (no Content-Type sent, no file).
    pub fn new(link: Option<&'a PresignedLink>, operation: Operation) -> Self {
        Attempt {
            link,
            operation,
            sent_content_type: None,
            guessed_content_type: None,
            file_len_bytes: None,
            download_probe: None,
        }
    }

    /// What `plan` sent with `link`.
    pub fn of_plan(plan: &crate::exchange::Plan, link: Option<&'a PresignedLink>) -> Self {
        let (guessed_content_type, file_len_bytes) = match &plan.payload {
            crate::exchange::Payload::Upload { path, len_bytes } => {
                (crate::content_type::guess_for_path(path), Some(*len_bytes))
            }
            crate::exchange::Payload::Download { .. } => (None, None),
        };
        Attempt {
            link,
            operation: plan.operation(),
            sent_content_type: plan.header("content-type").map(str::to_owned),
            guessed_content_type,
            file_len_bytes,
            download_probe: None,
        }
    }
}

impl<'a> Answer<'a> {
    /// What the server answered in `refusal`.
    pub fn of_refusal(refusal: &'a crate::exchange::Refusal) -> Self {
        Answer {
            status: Some(refusal.status),
            body: &refusal.body,
            date: refusal.response.date.as_deref(),
            error_code_header: refusal.response.error_code.as_deref(),
        }
    }
}

/// What the server answered.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// HTTP status, when known.
    pub status: Option<u16>,
    /// The error body, read and redacted.
    pub body: &'a ErrorBody,
    /// The `Date` response header.
    pub date: Option<&'a str>,
    /// Azure's `x-ms-error-code` header.
    pub error_code_header: Option<&'a str>,
}

/// The stable id of a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum CauseId {
    ContentTypeMismatch,
    MethodMismatch,
    UrlAltered,
    WrongSecretOrTampered,
    Expired,
    SignerClock,
    ServerSkewWindow,
    TemporaryCredentials,
    WrongRegion,
    Redirect,
    LegacySignatureUnsupported,
    ChunkedUpload,
    TooLarge,
    SdkChecksum,
    UnsignedHeaders,
    TwoAuthMechanisms,
    MissingBlobType,
    NotFound,
    Permission,
    Retryable,
    ExpiryTooLong,
    ServerStated,
}

/// How sure a cause is. Causes are ranked by it first, then by how common they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// The server's echo or the link's own fields show it.
    Proven,
    /// Consistent with everything seen.
    Likely,
    /// Not ruled out.
    Possible,
}

impl Strength {
    /// The strength in words, in the current language.
    pub fn text(self) -> &'static str {
        tr(match self {
            Strength::Proven => T::StrengthProven,
            Strength::Likely => T::StrengthLikely,
            Strength::Possible => T::StrengthPossible,
        })
    }
}

/// One possible cause, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// Stable id.
    pub id: CauseId,
    /// How sure it is.
    pub strength: Strength,
    /// A sentence that names the cause and what to do.
    pub text: String,
    /// A short title, used when this cause comes first.
    #[serde(skip)]
    pub title: String,
}

/// A retry the app can make that would fix the cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Fix {
    /// Send again with no Content-Type header.
    SendWithoutContentType,
    /// Send again with this Content-Type.
    SendWithContentType(String),
}

impl Fix {
    /// What to type on the command line for the same fix.
    pub fn command_line_hint(&self) -> String {
        match self {
            Fix::SendWithoutContentType => tr(T::FixCliWithoutContentType).to_owned(),
            Fix::SendWithContentType(value) => fill(T::FixCliWithContentType, &[("type", value)]),
        }
    }

    /// The button's label.
    pub fn label(&self) -> String {
        match self {
            Fix::SendWithoutContentType => tr(T::FixWithoutContentType).to_owned(),
            Fix::SendWithContentType(value) => fill(T::FixWithContentType, &[("type", value)]),
        }
    }
}

/// The explanation of a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// `aws`, `s3-compatible`, `gcs`, `azure` or `unknown`.
    pub provider: Provider,
    /// HTTP status.
    pub status: Option<u16>,
    /// The server's error code.
    pub code: Option<String>,
    /// The server's message.
    pub message: Option<String>,
    /// What happened, in one line: the most likely cause.
    pub title: String,
    /// Why, in one or two sentences.
    pub explanation: String,
    /// What the person can do.
    pub actions: Vec<String>,
    /// What to ask the link's creator for.
    pub ask: String,
    /// Possible causes, most likely first.
    pub causes: Vec<Cause>,
    /// Every element of the error, redacted.
    pub details: BTreeMap<String, String>,
    /// A retry the app can make that would fix it.
    pub fix: Option<Fix>,
}

/// Explains a refusal. `now` is this computer's clock.
pub fn diagnose(attempt: &Attempt<'_>, answer: &Answer<'_>, now: Timestamp) -> Diagnosis {
    let link = attempt.link;
    let provider = link.map_or(
        if answer.error_code_header.is_some() {
            Provider::Azure
        } else {
            Provider::Unknown
        },
        |l| l.provider,
    );
    let family = match provider {
        Provider::Azure => Family::Azure,
        Provider::Gcs => Family::Gcs,
        _ if answer.error_code_header.is_some() => Family::Azure,
        _ => Family::S3,
    };
    let body = answer.body;
    let code = body
        .code
        .clone()
        .or_else(|| answer.error_code_header.map(str::to_owned));
    let entry: ErrorText = code
        .as_deref()
        .and_then(|c| errors::for_code(family, c))
        .unwrap_or_else(|| errors::for_status(answer.status.unwrap_or(0)));

    let mut causes = rank_causes(attempt, answer, code.as_deref(), family, now);
    // A code the catalogue knows always has a cause: what the server itself stated.
    let known = code
        .as_deref()
        .is_some_and(|c| errors::for_code(family, c).is_some());
    if causes.is_empty() && known {
        causes.push(Cause {
            id: CauseId::ServerStated,
            strength: Strength::Likely,
            text: entry.meaning.to_owned(),
            title: entry.title.to_owned(),
        });
    }
    let fix = causes
        .first()
        .filter(|c| c.id == CauseId::ContentTypeMismatch)
        .and_then(|_| content_type_fix(attempt));

    let (title, explanation) = match causes.first() {
        Some(cause) => (cause.title.clone(), cause.text.clone()),
        None => (entry.title.to_owned(), entry.meaning.to_owned()),
    };
    let mut details: BTreeMap<String, String> = body.elements.iter().cloned().collect();
    if let Some(code) = &code {
        details.insert("Code".into(), code.clone());
    }
    if let Some(message) = &body.message {
        details.insert("Message".into(), message.clone());
    }
    Diagnosis {
        provider,
        status: answer.status,
        code,
        message: body.message.clone(),
        title,
        explanation,
        actions: vec![entry.action.to_owned()],
        ask: entry.ask.to_owned(),
        causes,
        details,
        fix,
    }
}

/// A cause that is consistent with everything seen ([`Strength::Likely`]).
fn cause(id: CauseId, title: T, text: String) -> Cause {
    Cause {
        id,
        strength: Strength::Likely,
        text,
        title: tr(title).to_owned(),
    }
}

impl Cause {
    fn proven(mut self) -> Self {
        self.strength = Strength::Proven;
        self
    }

    fn possible(mut self) -> Self {
        self.strength = Strength::Possible;
        self
    }
}

/// The retry most likely to carry the signed type. Legacy links (SigV2, GCS V2) sign the type
/// always and are mostly made with none; V4 links that list `content-type` were made with one,
/// most likely the one the file's name suggests.
fn content_type_fix(attempt: &Attempt<'_>) -> Option<Fix> {
    let legacy = attempt
        .link
        .is_some_and(|l| matches!(l.scheme, SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2));
    let guess = attempt.guessed_content_type.clone();
    match (attempt.sent_content_type.as_deref(), legacy) {
        (Some(_), true) => Some(Fix::SendWithoutContentType),
        (None, _) => guess.map(Fix::SendWithContentType),
        (Some(sent), false) => guess.filter(|g| g != sent).map(Fix::SendWithContentType),
    }
}

fn rank_causes(
    attempt: &Attempt<'_>,
    answer: &Answer<'_>,
    code: Option<&str>,
    family: Family,
    now: Timestamp,
) -> Vec<Cause> {
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
    let status = answer.status.unwrap_or(0);
    let mut causes = Vec::new();

    // Evidence the server states outright comes first.
    match code.unwrap_or_default() {
        "NotImplemented"
            if body
                .element("Header")
                .is_some_and(|h| h.eq_ignore_ascii_case("Transfer-Encoding")) =>
        {
            causes.push(chunked().proven());
        }
        "MissingContentLength" => {
            causes.push(chunked().proven());
        }
        "EntityTooLarge" | "RequestBodyTooLarge" => causes.push(too_large(attempt, body).proven()),
        "InvalidArgument" if message.contains("auth") => {
            causes.push(cause(
                CauseId::TwoAuthMechanisms,
                T::CauseTwoAuthTitle,
                tr(T::CauseTwoAuth).to_owned(),
            ));
        }
        "MissingRequiredHeader"
            if body
                .element("HeaderName")
                .is_none_or(|h| h.eq_ignore_ascii_case("x-ms-blob-type")) =>
        {
            causes.push(
                cause(
                    CauseId::MissingBlobType,
                    T::CauseMissingBlobTypeTitle,
                    tr(T::CauseMissingBlobType).to_owned(),
                )
                .proven(),
            );
        }
        "ExpiredToken" if family == Family::Gcs => causes.extend(expired_causes(link, answer, now)),
        "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired" => causes.push(
            cause(
                CauseId::TemporaryCredentials,
                T::CauseTemporaryCredentialsTitle,
                tr(T::CauseTemporaryCredentials).to_owned(),
            )
            .proven(),
        ),
        "ExpiredRequest" => causes.extend(expired_causes(link, answer, now)),
        "AccessDenied" if message.contains("expired") => {
            causes.extend(expired_causes(link, answer, now))
        }
        "AccessDenied" if message.contains("not yet valid") => {
            causes.push(signer_ahead(link, answer));
        }
        "AccessDenied"
            if message.contains("not signed") || body.element("HeadersNotSigned").is_some() =>
        {
            let headers = body.element("HeadersNotSigned").unwrap_or("x-amz-*");
            causes.push(
                cause(
                    CauseId::UnsignedHeaders,
                    T::CauseUnsignedHeadersTitle,
                    fill(T::CauseUnsignedHeaders, &[("headers", headers)]),
                )
                .proven(),
            );
        }
        "AuthenticationFailed" if detail.contains("expir") => {
            causes.extend(expired_causes(link, answer, now))
        }
        "AuthenticationFailed" if detail.contains("not yet valid") || detail.contains("start") => {
            causes.push(signer_ahead(link, answer));
        }
        "AuthorizationQueryParametersError"
            if message.contains("expires") || body.element("X-Amz-Expires").is_some() =>
        {
            causes.push(
                cause(
                    CauseId::ExpiryTooLong,
                    T::CauseExpiryTooLongTitle,
                    tr(T::CauseExpiryTooLong).to_owned(),
                )
                .proven(),
            );
        }
        "AuthorizationQueryParametersError" | "AuthorizationHeaderMalformed" => {
            if let Some(region) = body
                .element("Region")
                .map(str::to_owned)
                .or_else(|| quoted_after(&message, "expecting"))
            {
                let signed = link
                    .and_then(|l| l.region.clone())
                    .unwrap_or_else(|| tr(T::None_).to_owned());
                causes.push(
                    cause(
                        CauseId::WrongRegion,
                        T::CauseWrongRegionTitle,
                        fill(
                            T::CauseWrongRegion,
                            &[("region", &region), ("signed", &signed)],
                        ),
                    )
                    .proven(),
                );
            }
        }
        "PermanentRedirect" | "TemporaryRedirect" => causes.push(redirect(body).proven()),
        "InvalidRequest" if message.contains("aws4-hmac-sha256") => causes.push(
            cause(
                CauseId::LegacySignatureUnsupported,
                T::CauseLegacyUnsupportedTitle,
                tr(T::CauseLegacyUnsupported).to_owned(),
            )
            .proven(),
        ),
        "BadDigest" | "InvalidDigest" | "XAmzContentChecksumMismatch" => {
            if let Some(c) = sdk_checksum(link) {
                causes.push(c);
            }
        }
        "NoSuchKey" | "NoSuchBucket" | "BlobNotFound" | "ContainerNotFound" => {
            causes.push(not_found(link).proven())
        }
        "RequestTimeTooSkewed" => causes.extend(skew_causes(link, answer)),
        "AuthorizationPermissionMismatch" | "AuthorizationFailure" => {
            // A SAS whose permissions say it was made for the other operation proves it.
            if let Some(made_for) = link
                .and_then(|l| l.operation)
                .filter(|m| *m != attempt.operation)
            {
                causes.push(method_mismatch(made_for, attempt.operation).proven());
                causes.push(permission(attempt, family).possible());
            } else {
                causes.push(permission(attempt, family));
            }
        }
        "SlowDown" | "InternalError" | "ServiceUnavailable" | "RequestTimeout" | "ServerBusy"
        | "OperationTimedOut" | "IncompleteBody" => causes.push(
            cause(
                CauseId::Retryable,
                T::CauseRetryableTitle,
                fill(T::CauseRetryable, &[("code", code.unwrap_or_default())]),
            )
            .proven(),
        ),
        "SignatureDoesNotMatch" => causes.extend(signature_causes(attempt, body)),
        "AuthenticationFailed" if detail.contains("signature") || detail.is_empty() => {
            causes.extend(signature_causes(attempt, body));
        }
        _ => {}
    }

    // What the link itself says, when the code alone did not tell.
    if let Some(link) = link {
        if causes.is_empty() && link.is_expired(now) {
            causes.extend(expired_causes(Some(link), answer, now));
        }
        if matches!(status, 400 | 403)
            && link.scheme == SignatureScheme::AwsSigV2
            && code == Some("InvalidRequest")
        {
            causes.push(cause(
                CauseId::LegacySignatureUnsupported,
                T::CauseLegacyUnsupportedTitle,
                tr(T::CauseLegacyUnsupported).to_owned(),
            ));
        }
        if causes.iter().all(|c| c.id != CauseId::SdkChecksum)
            && matches!(
                code,
                Some(
                    "BadDigest"
                        | "InvalidDigest"
                        | "XAmzContentChecksumMismatch"
                        | "InvalidRequest"
                        | "InvalidArgument"
                )
            )
            && let Some(c) = sdk_checksum(Some(link))
        {
            causes.push(c);
        }
    }
    match (code, status) {
        (Some("AccessDenied"), _) if causes.is_empty() => causes.push(permission(attempt, family)),
        (None, 404) => causes.push(not_found(link)),
        (None, 301 | 302 | 307 | 308) => causes.push(redirect(body)),
        (None, 500..=599) => causes.push(cause(
            CauseId::Retryable,
            T::CauseRetryableTitle,
            fill(T::CauseRetryable, &[("code", &status.to_string())]),
        )),
        (None, 411) => causes.push(chunked()),
        (None, 413) => causes.push(too_large(attempt, body)),
        _ => {}
    }
    let mut seen = Vec::new();
    causes.retain(|c| {
        let new = !seen.contains(&c.id);
        seen.push(c.id);
        new
    });
    // Proof first; among equals, the order above (the most common first) stands.
    causes.sort_by_key(|c| c.strength);
    causes
}

/// The causes of a signature mismatch, ranked by what the link, the request and the server's
/// echo of it prove.
fn signature_causes(attempt: &Attempt<'_>, body: &ErrorBody) -> Vec<Cause> {
    let mut causes = Vec::new();
    let link = attempt.link;
    let used = attempt.operation;

    // Parameters no signer adds, inside a query the signature covers: changed after signing.
    if let Some(link) = link {
        let added = link.params_added_after_signing();
        if !added.is_empty() {
            causes.push(
                cause(
                    CauseId::UrlAltered,
                    T::CauseUrlAlteredTitle,
                    fill(T::CauseUrlAlteredParams, &[("params", &added.join(", "))]),
                )
                .proven(),
            );
        }
    }

    // The path and query the server checked against the link as signed: the echo proves it.
    let canonical = body.element("CanonicalRequest").unwrap_or_default();
    if let Some(link) = link
        && let Some(altered) = url_difference(link, canonical)
    {
        causes.push(
            cause(
                CauseId::UrlAltered,
                T::CauseUrlAlteredTitle,
                fill(T::CauseUrlAltered, &[("what", &altered)]),
            )
            .proven(),
        );
    }

    // The method the link was made for (its own fields say), or the one the server's echo
    // shows, against the one used.
    let server_method = canonical.lines().next().unwrap_or_default();
    let made_for = link.and_then(|l| l.operation);
    if let Some(made_for) = made_for.filter(|m| *m != used) {
        causes.push(method_mismatch(made_for, used).proven());
    } else if !server_method.is_empty() && server_method != used.method() {
        let made_for = if server_method == "GET" {
            Operation::Get
        } else {
            Operation::Put
        };
        causes.push(method_mismatch(made_for, used).proven());
    } else if made_for.is_none() && server_method.is_empty() {
        // Without a hint in the link, a probe may have settled it.
        match attempt.download_probe {
            Some(ProbeVerdict::MadeForDownload) if used == Operation::Put => {
                causes.push(method_mismatch(Operation::Get, used).proven());
            }
            Some(ProbeVerdict::NotForDownload) => {}
            _ => causes.push(method_maybe(used).possible()),
        }
    }

    // The Content-Type: the server's own reading of it, else the link says it is signed. An
    // echo that shows exactly the type sent, beside a proven cause, clears it.
    let received = sigv2_content_type(body).or_else(|| canonical_header(canonical, "content-type"));
    let signs_type = link.is_none_or(|l| l.signs_content_type());
    if used == Operation::Put && signs_type {
        let sent = attempt.sent_content_type.as_deref();
        let echo_matches_sent = received
            .as_deref()
            .is_some_and(|r| r == sent.unwrap_or_default());
        let other_proof = causes.iter().any(|c| c.strength == Strength::Proven);
        if !(echo_matches_sent && other_proof) {
            let text = match (received.as_deref(), sent) {
                (Some(received), _) if !received.is_empty() => {
                    fill(T::CauseContentTypeReceived, &[("received", received)])
                }
                (_, Some(sent)) => fill(T::CauseContentTypeSent, &[("sent", sent)]),
                (_, None) => fill(
                    T::CauseContentTypeNone,
                    &[(
                        "guess",
                        attempt
                            .guessed_content_type
                            .as_deref()
                            .unwrap_or("application/octet-stream"),
                    )],
                ),
            };
            let c = cause(
                CauseId::ContentTypeMismatch,
                T::CauseContentTypeMismatchTitle,
                text,
            );
            causes.push(if link.is_some() { c } else { c.possible() });
        }
    }

    causes.push(
        cause(
            CauseId::WrongSecretOrTampered,
            T::CauseWrongSecretTitle,
            tr(T::CauseWrongSecret).to_owned(),
        )
        .possible(),
    );
    causes
}

/// The other operation, when nothing shows which one the link was made for.
fn method_maybe(used: Operation) -> Cause {
    let (other, used_word) = match used {
        Operation::Put => (tr(T::OperationDownload), tr(T::OperationUpload)),
        Operation::Get => (tr(T::OperationUpload), tr(T::OperationDownload)),
    };
    cause(
        CauseId::MethodMismatch,
        T::CauseMethodMismatchTitle,
        fill(
            T::CauseMethodMaybe,
            &[("other", other), ("used", used_word)],
        ),
    )
}

/// The window S3 allows between a request's time and the server's: 15 minutes.
const REQUEST_WINDOW_SECS: i64 = 900;

/// The server's clock, from the body (`ServerTime`) or else the `Date` header.
fn server_time(answer: &Answer<'_>) -> Option<Timestamp> {
    answer
        .body
        .element("ServerTime")
        .and_then(parse_server_time)
        .or_else(|| answer.date.and_then(parse_server_time))
}

/// The signer's clock as the request carried it: the server's echo (`RequestTime`), else the
/// link's signing time.
fn signer_time(link: Option<&PresignedLink>, answer: &Answer<'_>) -> Option<Timestamp> {
    answer
        .body
        .element("RequestTime")
        .and_then(parse_server_time)
        .or_else(|| link.and_then(|l| l.signed_at))
}

/// A time as servers write it: ISO 8601, the compact `20261123T090000Z`, Unix seconds or
/// milliseconds, or an HTTP date.
pub fn parse_server_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    if let Some(at) = crate::link::parse_compact_time(text) {
        return Some(at);
    }
    if !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        return if text.len() >= 12 {
            Timestamp::from_millisecond(n).ok()
        } else {
            Timestamp::from_second(n).ok()
        };
    }
    jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp())
}

/// Whether an offset is within a minute of a whole number of half hours (at least one): the
/// mark of a time zone setting, not of a drifting clock.
fn looks_like_time_zone(offset_secs: i64) -> bool {
    let a = offset_secs.abs();
    let rest = a % 1800;
    a >= 1800 - 60 && (rest <= 60 || rest >= 1800 - 60)
}

/// The signer's clock is `offset_secs` off the server's (negative: behind).
fn signer_clock(offset_secs: i64) -> Cause {
    let span = format::span_minutes(offset_secs);
    let mut text = fill(
        if offset_secs < 0 {
            T::CauseSignerClockBehind
        } else {
            T::CauseSignerClockAhead
        },
        &[("span", &span)],
    );
    if looks_like_time_zone(offset_secs) {
        text.push(' ');
        text.push_str(&fill(T::CauseSignerClockZone, &[("span", &span)]));
    }
    cause(CauseId::SignerClock, T::CauseSignerClockTitle, text)
}

/// `RequestTimeTooSkewed` to a presigned request: the signer's clock, or a server that applies
/// its request window to presigned links.
fn skew_causes(link: Option<&PresignedLink>, answer: &Answer<'_>) -> Vec<Cause> {
    let server = server_time(answer);
    let offset = signer_time(link, answer)
        .zip(server)
        .map(|(signer, server)| signer.as_second() - server.as_second());
    if let (Some(link), Some(server), Some(offset)) = (link, server, offset)
        && link.provider != Provider::Aws
        && link.signed_at.is_some()
        && offset < -REQUEST_WINDOW_SECS
        && link.expires_at.is_none_or(|at| at > server)
    {
        let window = cause(
            CauseId::ServerSkewWindow,
            T::CauseServerSkewWindowTitle,
            fill(
                T::CauseServerSkewWindow,
                &[("span", &format::span_minutes(offset))],
            ),
        );
        return vec![window, signer_clock(offset).possible()];
    }
    match offset {
        Some(offset) => vec![signer_clock(offset).proven()],
        None => vec![cause(
            CauseId::SignerClock,
            T::CauseSignerClockTitle,
            tr(T::CauseSignerClockUnknown).to_owned(),
        )],
    }
}

/// "Not yet valid": the signer's clock is ahead of the server's.
fn signer_ahead(link: Option<&PresignedLink>, answer: &Answer<'_>) -> Cause {
    let offset = signer_time(link, answer)
        .zip(server_time(answer))
        .map(|(signer, server)| signer.as_second() - server.as_second())
        .filter(|offset| *offset > 0);
    match offset {
        Some(offset) => signer_clock(offset).proven(),
        None => cause(
            CauseId::SignerClock,
            T::CauseSignerClockTitle,
            tr(T::CauseSignerClockNotYetValid).to_owned(),
        ),
    }
}

/// An expired link, and, when the link was signed a whole number of hours (two or more)
/// before the server's time, the signer's clock as a further cause.
fn expired_causes(link: Option<&PresignedLink>, answer: &Answer<'_>, now: Timestamp) -> Vec<Cause> {
    let mut causes = vec![expired(link, answer.body, now).proven()];
    if let Some(signed) = link.and_then(|l| l.signed_at)
        && let Some(server) = server_time(answer)
    {
        let gap = server.as_second() - signed.as_second();
        let rest = gap % 3600;
        if gap >= 2 * 3600 - 60 && (rest <= 60 || rest >= 3600 - 60) {
            causes.push(
                cause(
                    CauseId::SignerClock,
                    T::CauseSignerClockTitle,
                    fill(
                        T::CauseSignerClockAfterExpiry,
                        &[("span", &format::span_minutes(gap))],
                    ),
                )
                .possible(),
            );
        }
    }
    causes
}

fn method_mismatch(made_for: Operation, used: Operation) -> Cause {
    let word = |op| match op {
        Operation::Put => tr(T::OperationUpload),
        Operation::Get => tr(T::OperationDownload),
    };
    cause(
        CauseId::MethodMismatch,
        T::CauseMethodMismatchTitle,
        fill(
            T::CauseMethodMismatch,
            &[("made_for", word(made_for)), ("used", word(used))],
        ),
    )
}

/// The third line of a SigV2 `StringToSign`: the Content-Type the server received.
fn sigv2_content_type(body: &ErrorBody) -> Option<String> {
    let string_to_sign = body.element("StringToSign")?;
    if string_to_sign.starts_with("AWS4-") || string_to_sign.starts_with("GOOG4-") {
        return None;
    }
    string_to_sign.lines().nth(2).map(str::to_owned)
}

/// A header's value among the header lines of a SigV4 `CanonicalRequest`.
fn canonical_header(canonical: &str, name: &str) -> Option<String> {
    canonical
        .lines()
        .skip(3)
        .take_while(|line| !line.is_empty())
        .find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
}

/// Where the canonical request's path differs from the link's (decoded, as S3 compares them).
fn url_difference(link: &PresignedLink, canonical: &str) -> Option<String> {
    let mut lines = canonical.lines();
    let _method = lines.next()?;
    let server_path = lines.next()?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let link_path = link.raw().path();
    (decode(server_path) != decode(link_path)).then(|| format!("{server_path} ≠ {link_path}"))
}

/// The expiry cause. The server's own `Expires` and `ServerTime` say how long ago best (they do
/// not depend on this computer's clock); else the link's expiry against the clock.
fn expired(link: Option<&PresignedLink>, body: &ErrorBody, now: Timestamp) -> Cause {
    let server_view = body
        .element("Expires")
        .and_then(|e| e.parse::<Timestamp>().ok())
        .zip(
            body.element("ServerTime")
                .and_then(|t| t.parse::<Timestamp>().ok()),
        )
        .filter(|(expires, server)| expires <= server);
    if let Some((expires, server)) = server_view {
        let text = fill(
            T::CauseExpired,
            &[
                (
                    "span",
                    &format::span_secs(server.as_second() - expires.as_second()),
                ),
                ("at", &format::datetime(expires)),
            ],
        );
        return cause(CauseId::Expired, T::CauseExpiredTitle, text);
    }
    let text = match link.and_then(|l| l.expires_at).filter(|at| *at <= now) {
        Some(at) => fill(
            T::CauseExpired,
            &[
                ("span", &format::span_secs(now.as_second() - at.as_second())),
                ("at", &format::datetime(at)),
            ],
        ),
        None => tr(T::CauseExpiredPlain).to_owned(),
    };
    cause(CauseId::Expired, T::CauseExpiredTitle, text)
}

fn chunked() -> Cause {
    cause(
        CauseId::ChunkedUpload,
        T::CauseChunkedTitle,
        tr(T::CauseChunked).to_owned(),
    )
}

fn redirect(body: &ErrorBody) -> Cause {
    let endpoint = body.element("Endpoint").unwrap_or("?");
    cause(
        CauseId::Redirect,
        T::CauseRedirectTitle,
        fill(T::CauseRedirect, &[("endpoint", endpoint)]),
    )
}

fn not_found(link: Option<&PresignedLink>) -> Cause {
    let what = link
        .map(|l| {
            format!(
                "{}/{}",
                l.bucket.as_deref().unwrap_or("?"),
                l.key.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_else(|| "?".to_owned());
    cause(
        CauseId::NotFound,
        T::CauseNotFoundTitle,
        fill(T::CauseNotFound, &[("what", &what)]),
    )
}

/// The creator lacks the permission, in the words of the link's own service.
fn permission(attempt: &Attempt<'_>, family: Family) -> Cause {
    let verb = match attempt.operation {
        Operation::Put => tr(T::VerbUpload),
        Operation::Get => tr(T::VerbDownload),
    };
    let text = match family {
        Family::S3 => fill(T::CausePermission, &[("action", verb)]),
        Family::Gcs => fill(T::CausePermissionGcs, &[("action", verb)]),
        Family::Azure => {
            let sp = attempt
                .link
                .and_then(|l| l.azure_permissions.as_deref())
                .unwrap_or("?");
            let needed = match attempt.operation {
                Operation::Put => "w / c",
                Operation::Get => "r",
            };
            fill(
                T::CausePermissionAzure,
                &[("action", verb), ("sp", sp), ("needed", needed)],
            )
        }
    };
    cause(CauseId::Permission, T::CausePermissionTitle, text)
}

fn too_large(attempt: &Attempt<'_>, body: &ErrorBody) -> Cause {
    let number = |name| body.element(name).and_then(|v| v.parse::<u64>().ok());
    let size = number("ProposedSize")
        .or(attempt.file_len_bytes)
        .map(format::bytes)
        .unwrap_or_else(|| "?".into());
    let max = number("MaxSizeAllowed").map_or_else(|| "5 GiB".to_owned(), format::bytes);
    cause(
        CauseId::TooLarge,
        T::CauseTooLargeTitle,
        fill(T::CauseTooLarge, &[("size", &size), ("max", &max)]),
    )
}

fn sdk_checksum(link: Option<&PresignedLink>) -> Option<Cause> {
    let link = link?;
    let mut params: Vec<&str> = link.checksums.iter().map(|(n, _)| n.as_str()).collect();
    params.extend(
        link.signed_headers
            .iter()
            .map(String::as_str)
            .filter(|h| h.starts_with("x-amz-checksum-") || *h == "x-amz-sdk-checksum-algorithm"),
    );
    (!params.is_empty()).then(|| {
        cause(
            CauseId::SdkChecksum,
            T::CauseSdkChecksumTitle,
            fill(T::CauseSdkChecksum, &[("params", &params.join(", "))]),
        )
    })
}

/// `'ap-northeast-1'` after `word` in a message (S3's region errors quote the region).
fn quoted_after(message: &str, word: &str) -> Option<String> {
    let rest = &message[message.find(word)? + word.len()..];
    let start = rest.find('\'')? + 1;
    let len = rest[start..].find('\'')?;
    Some(rest[start..start + len].to_owned())
}

/// A short message for the link's creator: what was tried, what the server said, what is
/// needed. Redacted: it names the link only with its signature removed.
pub fn creator_message(
    attempt: &Attempt<'_>,
    diagnosis: &Diagnosis,
    request_id: Option<&str>,
) -> String {
    let verb = match attempt.operation {
        Operation::Put => tr(T::VerbUpload),
        Operation::Get => tr(T::VerbDownload),
    };
    let target = attempt
        .link
        .map(|l| {
            format!(
                "{}/{}",
                l.bucket.as_deref().unwrap_or("?"),
                l.key.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    let message = diagnosis
        .message
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    fill(
        T::CreatorMessage,
        &[
            ("verb", verb),
            ("target", &target),
            (
                "status",
                &diagnosis.status.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("code", diagnosis.code.as_deref().unwrap_or_default()),
            ("message", &message),
            ("title", &diagnosis.title),
            ("explanation", &diagnosis.explanation),
            ("ask", &diagnosis.ask),
            ("request_id", request_id.unwrap_or(tr(T::None_))),
            (
                "link",
                &attempt.link.map(|l| l.redacted()).unwrap_or_default(),
            ),
        ],
    )
}

/// The explanation as plain text: title, why, what to do, what to ask for, other causes.
pub fn explanation_text(diagnosis: &Diagnosis) -> String {
    let mut out = format!("{}\n", diagnosis.title);
    if let Some(first) = diagnosis.causes.first() {
        out.push_str(&fill(
            T::CauseStrengthLine,
            &[("strength", first.strength.text())],
        ));
        out.push('\n');
    }
    out.push_str(&diagnosis.explanation);
    out.push('\n');
    out.push_str(&label_value(T::WhatToDo, &diagnosis.actions.join(" ")));
    out.push('\n');
    out.push_str(&label_value(T::WhatToAsk, &diagnosis.ask));
    out.push('\n');
    if let Some(fix) = &diagnosis.fix {
        out.push_str(&format!("→ {}\n", fix.command_line_hint()));
    }
    if diagnosis.causes.len() > 1 {
        out.push_str(&heading(T::OtherCauses));
        out.push('\n');
        for cause in &diagnosis.causes[1..] {
            out.push_str(&format!(
                "  - {} ({}, {})\n",
                cause.text,
                cause.strength.text(),
                cause_id_text(cause.id)
            ));
        }
    }
    out
}

fn cause_id_text(id: CauseId) -> String {
    serde_json::to_value(id)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
