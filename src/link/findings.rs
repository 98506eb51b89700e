//! What a link means for the person holding it, as findings with stable ids. Pure.

use jiff::Timestamp;
use serde::Serialize;

use super::{
    Addressing, CredentialKind, Operation, PresignedLink, Provider, Repair, SignatureScheme,
};
use crate::format;
use crate::text::{T, fill, tr};

/// The longest lifetime S3 and GCS accept for a V4 link: 7 days.
pub const MAX_EXPIRES_SECS: i64 = 604_800;

/// The CRC32 of an empty body, as 2025+ AWS SDKs put it into presigned PUT links.
pub const EMPTY_BODY_CRC32: &str = "AAAAAA==";

/// The stable id of a finding; tests, the JSON output and translations rely on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingId {
    /// The link has expired.
    Expired,
    /// The link is not valid yet (clock or start time).
    NotYetValid,
    /// The lifetime asked for is over 7 days: refused whatever the time.
    ExpiryTooLong,
    /// Temporary credentials: the link may die before its stated expiry.
    TemporaryCredentials,
    /// SigV2 or GCS V2.
    LegacySignature,
    /// The Content-Type is signed.
    ContentTypeSigned,
    /// Headers beyond host and content-type are signed.
    SignedHeaders,
    /// SDK default checksum parameters.
    SdkChecksum,
    /// `http://` without encryption.
    PlainHttp,
    /// The host's region differs from the signed region.
    RegionMismatch,
    /// Global endpoint for a bucket signed outside us-east-1.
    GlobalEndpoint,
    /// A dotted bucket name in a virtual-hosted https host.
    DottedBucketTls,
    /// The paste was repaired.
    RepairedPaste,
    /// Signature parameters are missing (a cut-off link).
    MissingParameters,
    /// No signature at all.
    NotPresigned,
    /// The link says which operation it was made for.
    OperationHint,
    /// One part of a multipart upload.
    MultipartPart,
    /// Azure uploads need `x-ms-blob-type`, which the app sends.
    AzureBlobType,
    /// The Azure permissions do not allow the operation.
    AzurePermissions,
    /// This computer's clock is far from the server's (the countdown follows the server's).
    ClockSkew,
    /// Parameters no signer adds were appended to a signed query.
    UrlAltered,
}

impl FindingId {
    /// The id as text (`expired`, `region-mismatch`...).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::Expired => "expired",
            FindingId::NotYetValid => "not-yet-valid",
            FindingId::ExpiryTooLong => "expiry-too-long",
            FindingId::TemporaryCredentials => "temporary-credentials",
            FindingId::LegacySignature => "legacy-signature",
            FindingId::ContentTypeSigned => "content-type-signed",
            FindingId::SignedHeaders => "signed-headers",
            FindingId::SdkChecksum => "sdk-checksum",
            FindingId::PlainHttp => "plain-http",
            FindingId::RegionMismatch => "region-mismatch",
            FindingId::GlobalEndpoint => "global-endpoint",
            FindingId::DottedBucketTls => "dotted-bucket-tls",
            FindingId::RepairedPaste => "repaired-paste",
            FindingId::MissingParameters => "missing-parameters",
            FindingId::NotPresigned => "not-presigned",
            FindingId::OperationHint => "operation-hint",
            FindingId::MultipartPart => "multipart-part",
            FindingId::AzureBlobType => "azure-blob-type",
            FindingId::AzurePermissions => "azure-permissions",
            FindingId::ClockSkew => "clock-skew",
            FindingId::UrlAltered => "url-altered",
        }
    }
}

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The link will not work as it is.
    Error,
    /// The link may fail, or needs care.
    Warning,
    /// Good to know.
    Info,
}

/// One thing the link means for the person holding it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id.
    pub id: FindingId,
    /// How much it matters.
    pub severity: Severity,
    /// What it means, in plain words.
    pub message: String,
}

/// This computer's clock is at least this far from a server's before it is worth a word.
pub const CLOCK_SKEW_NOTICE_SECS: i64 = 300;

/// The `clock-skew` finding, when this computer's clock is `offset_secs` ahead of the server's
/// (negative: behind) by more than [`CLOCK_SKEW_NOTICE_SECS`].
pub fn clock_skew(offset_secs: i64) -> Option<Finding> {
    (offset_secs.abs() > CLOCK_SKEW_NOTICE_SECS).then(|| Finding {
        id: FindingId::ClockSkew,
        severity: Severity::Info,
        message: fill(
            if offset_secs > 0 {
                T::FindClockAhead
            } else {
                T::FindClockBehind
            },
            &[("span", &format::span_minutes(offset_secs))],
        ),
    })
}

impl PresignedLink {
    /// Everything worth telling about this link at `now`, errors first. `intended` is the
    /// operation the user chose, when known (it decides the Azure permission check).
    pub fn findings(&self, now: Timestamp, intended: Option<Operation>) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut add = |id, severity, message: String| {
            out.push(Finding {
                id,
                severity,
                message,
            })
        };
        let operation = intended.or(self.operation);
        self.paste_findings(&mut add);
        self.time_findings(now, &mut add);
        self.signer_findings(&mut add);
        self.header_findings(&mut add);
        self.transport_findings(&mut add);
        self.endpoint_findings(&mut add);
        self.operation_findings(&mut add);
        self.azure_findings(operation, &mut add);
        out.sort_by_key(|f| f.severity);
        out
    }

    /// What the paste changed, and whether the link is whole: repairs, parameters added after signing, no signature, parameters missing.
    fn paste_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if !self.repairs.is_empty() {
            let what: Vec<&str> = self.repairs.iter().map(|r| tr(repair_text(*r))).collect();
            add(
                FindingId::RepairedPaste,
                Severity::Info,
                fill(T::FindRepairedPaste, &[("what", &what.join(", "))]),
            );
        }
        let added = self.params_added_after_signing();
        if !added.is_empty() {
            add(
                FindingId::UrlAltered,
                Severity::Error,
                fill(T::FindUrlAltered, &[("params", &added.join(", "))]),
            );
        }
        if self.scheme == SignatureScheme::Unsigned {
            add(
                FindingId::NotPresigned,
                Severity::Warning,
                tr(T::FindNotPresigned).to_owned(),
            );
        }
        if !self.missing_parameters.is_empty() {
            add(
                FindingId::MissingParameters,
                Severity::Error,
                fill(
                    T::FindMissingParameters,
                    &[("params", &self.missing_parameters.join(", "))],
                ),
            );
        }
    }

    /// What the signer chose: a lifetime over the maximum, temporary credentials, a legacy signature.
    fn signer_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if let Some(secs) = self.expires_after_secs.filter(|s| *s > MAX_EXPIRES_SECS) {
            add(
                FindingId::ExpiryTooLong,
                Severity::Error,
                fill(
                    T::FindExpiryTooLong,
                    &[
                        ("span", &format::span_secs(secs)),
                        ("secs", &secs.to_string()),
                    ],
                ),
            );
        }
        if self.credential_kind() == CredentialKind::Temporary {
            add(
                FindingId::TemporaryCredentials,
                Severity::Warning,
                tr(T::FindTemporaryCredentials).to_owned(),
            );
        }
        if matches!(
            self.scheme,
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2
        ) {
            add(
                FindingId::LegacySignature,
                Severity::Warning,
                tr(T::FindLegacySignature).to_owned(),
            );
        }
    }

    /// The headers the signature covers: the file type, other signed headers, SDK checksums.
    fn header_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if self.signs_content_type() {
            add(
                FindingId::ContentTypeSigned,
                Severity::Warning,
                tr(T::FindContentTypeSigned).to_owned(),
            );
        }
        let extra_headers: Vec<&str> = self
            .signed_headers
            .iter()
            .map(String::as_str)
            .filter(|h| *h != "host" && *h != "content-type")
            .collect();
        if !extra_headers.is_empty() {
            add(
                FindingId::SignedHeaders,
                Severity::Warning,
                fill(
                    T::FindSignedHeaders,
                    &[("headers", &extra_headers.join(", "))],
                ),
            );
        }
        // Checksums come as query parameters (JS v3 and others) or as signed headers (boto3).
        let checksum_headers =
            self.signed_headers.iter().map(String::as_str).filter(|h| {
                h.starts_with("x-amz-checksum-") || *h == "x-amz-sdk-checksum-algorithm"
            });
        let names: Vec<&str> = self
            .checksums
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(checksum_headers)
            .collect();
        if !names.is_empty() {
            let empty_body = self.checksums.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("x-amz-checksum-crc32") && value == EMPTY_BODY_CRC32
            });
            let id = if empty_body {
                T::FindSdkChecksumEmpty
            } else {
                T::FindSdkChecksum
            };
            add(
                FindingId::SdkChecksum,
                Severity::Warning,
                fill(id, &[("params", &names.join(", "))]),
            );
        }
    }

    /// Plain HTTP: only worth a note on this computer.
    fn transport_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if !self.raw.is_https {
            let (severity, id) = if is_loopback(&self.host()) {
                (Severity::Info, T::FindPlainHttpLocal)
            } else {
                (Severity::Warning, T::FindPlainHttp)
            };
            add(FindingId::PlainHttp, severity, tr(id).to_owned());
        }
    }

    /// The operation the link names, and a multipart part.
    fn operation_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if let Some(operation) = self.operation {
            let what = match operation {
                Operation::Put => T::OperationUpload,
                Operation::Get => T::OperationDownload,
            };
            add(
                FindingId::OperationHint,
                Severity::Info,
                fill(T::FindOperationHint, &[("operation", tr(what))]),
            );
        }
        if let (Some(part), Some(_)) = (&self.part_number, &self.upload_id) {
            add(
                FindingId::MultipartPart,
                Severity::Warning,
                fill(T::FindMultipartPart, &[("part", part)]),
            );
        }
    }

    /// Azure: the blob type a PUT needs, and permissions that do not allow the operation.
    fn azure_findings(
        &self,
        operation: Option<Operation>,
        add: &mut impl FnMut(FindingId, Severity, String),
    ) {
        if self.provider == Provider::Azure || self.scheme == SignatureScheme::AzureSas {
            if operation != Some(Operation::Get) {
                add(
                    FindingId::AzureBlobType,
                    Severity::Info,
                    tr(T::FindAzureBlobType).to_owned(),
                );
            }
            if let Some(sp) = &self.azure_permissions {
                let can_read = sp.contains('r');
                let can_write = sp.contains(['w', 'c', 'a']);
                let needed = match operation {
                    Some(Operation::Get) if !can_read => Some("r"),
                    Some(Operation::Put) if !can_write => Some("w"),
                    None if !can_read && !can_write => Some("r / w"),
                    _ => None,
                };
                if let Some(needed) = needed {
                    add(
                        FindingId::AzurePermissions,
                        Severity::Error,
                        fill(T::FindAzurePermissions, &[("sp", sp), ("needed", needed)]),
                    );
                }
            }
        }
    }

    fn time_findings(&self, now: Timestamp, add: &mut impl FnMut(FindingId, Severity, String)) {
        let expiry = [self.expires_at, self.azure_key_expires_at]
            .into_iter()
            .flatten()
            .min();
        if let Some(at) = expiry
            && at <= now
        {
            let ago = now.as_second() - at.as_second();
            add(
                FindingId::Expired,
                Severity::Error,
                fill(
                    T::FindExpired,
                    &[
                        ("span", &format::countdown(ago)),
                        ("at", &format::datetime(at)),
                    ],
                ),
            );
        }
        // A minute of grace: clocks differ a little, and S3 tolerates small skews.
        if let Some(at) = self.signed_at
            && at.as_second() > now.as_second() + 60
        {
            let ahead = at.as_second() - now.as_second();
            add(
                FindingId::NotYetValid,
                Severity::Error,
                fill(
                    T::FindNotYetValid,
                    &[
                        ("span", &format::countdown(ahead)),
                        ("at", &format::datetime(at)),
                    ],
                ),
            );
        }
    }

    fn endpoint_findings(&self, add: &mut impl FnMut(FindingId, Severity, String)) {
        if self.provider != Provider::Aws || self.scheme != SignatureScheme::AwsSigV4 {
            return;
        }
        let scope = self.region.as_deref();
        match (scope, self.host_region.as_deref()) {
            (Some(scope), Some(host)) if scope != host => add(
                FindingId::RegionMismatch,
                Severity::Error,
                fill(T::FindRegionMismatch, &[("scope", scope), ("host", host)]),
            ),
            (Some(scope), None)
                if scope != "us-east-1" && !self.host().contains("s3-accelerate") =>
            {
                add(
                    FindingId::GlobalEndpoint,
                    Severity::Warning,
                    fill(T::FindGlobalEndpoint, &[("region", scope)]),
                )
            }
            _ => {}
        }
        if self.raw.is_https
            && self.addressing == Addressing::VirtualHosted
            && let Some(bucket) = self.bucket.as_deref().filter(|b| b.contains('.'))
        {
            add(
                FindingId::DottedBucketTls,
                Severity::Warning,
                fill(T::FindDottedBucketTls, &[("bucket", bucket)]),
            );
        }
    }
}

/// The findings that say the link cannot work as it is, which belong beside it in the main
/// flow and stop the button until the person says to send anyway: errors (except `expired`,
/// which the expiry line already says and which has its own question), and a link with no
/// signature at all.
pub fn cannot_work(findings: &[Finding]) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| {
            (f.severity == Severity::Error && f.id != FindingId::Expired)
                || f.id == FindingId::NotPresigned
        })
        .cloned()
        .collect()
}

fn repair_text(repair: Repair) -> T {
    match repair {
        Repair::SurroundingWhitespace => T::RepairWhitespace,
        Repair::Quotes => T::RepairQuotes,
        Repair::AngleBrackets => T::RepairBrackets,
        Repair::BreaksInside => T::RepairBreaks,
        Repair::HtmlEscapedAmpersand => T::RepairAmp,
        Repair::TextAround => T::RepairTextAround,
        Repair::QuotedPrintable => T::RepairQuotedPrintable,
        Repair::MailQuoting => T::RepairMailQuoting,
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "[::1]"
}

#[cfg(test)]
mod tests;
