//! The link as rows, text and JSON: one source for the details panel, "Copy summary" and
//! `presign-desk inspect`. Nothing here ever holds a signature or a token.

use jiff::Timestamp;
use serde::Serialize;

use super::{
    Addressing, CredentialKind, Finding, Operation, PresignedLink, Provider, SignatureScheme,
};
use crate::format;
use crate::text::{T, fill, heading, label_value, tr};

/// Every decoded field worth showing, labelled, in reading order.
pub fn detail_rows(link: &PresignedLink, now: Timestamp) -> Vec<(T, String)> {
    let none = || tr(T::None_).to_owned();
    let mut rows = vec![
        (T::FieldScheme, tr(scheme_text(link.scheme)).to_owned()),
        (
            T::FieldProvider,
            tr(provider_text(link.provider)).to_owned(),
        ),
        (T::FieldHost, link.host()),
        (
            T::FieldAddressing,
            tr(addressing_text(link.addressing)).to_owned(),
        ),
        (T::FieldBucket, link.bucket.clone().unwrap_or_else(none)),
        (T::FieldKey, link.key.clone().unwrap_or_else(none)),
        (T::FieldRegion, link.region.clone().unwrap_or_else(none)),
        (
            T::FieldOperation,
            link.operation.map_or_else(none, |o| o.method().to_owned()),
        ),
        (
            T::FieldSignedAt,
            link.signed_at.map_or_else(none, format::datetime),
        ),
        (
            T::FieldExpiresAt,
            link.expires_at.map_or_else(none, format::datetime),
        ),
        (T::FieldTimeLeft, time_left(link, now)),
        (
            T::FieldAccessKey,
            link.access_key_id.clone().unwrap_or_else(none),
        ),
        (
            T::FieldCredentials,
            tr(credential_text(link.credential_kind())).to_owned(),
        ),
        (
            T::FieldToken,
            match &link.security_token {
                Some(token) => fill(T::TokenPresent, &[("len", &token.len_chars().to_string())]),
                None => tr(T::TokenAbsent).to_owned(),
            },
        ),
        (
            T::FieldSignedHeaders,
            if link.signed_headers.is_empty() {
                none()
            } else {
                link.signed_headers.join(", ")
            },
        ),
    ];
    let pairs = |list: &[(String, String)]| {
        list.iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(at) = link.azure_key_expires_at {
        rows.push((T::FieldKeyExpires, format::datetime(at)));
    }
    if let Some(sp) = &link.azure_permissions {
        rows.push((T::FieldPermissions, sp.clone()));
    }
    if !link.checksums.is_empty() {
        rows.push((T::FieldChecksums, pairs(&link.checksums)));
    }
    if let Some(part) = &link.part_number {
        rows.push((T::FieldPart, part.clone()));
    }
    if !link.response_overrides.is_empty() {
        rows.push((T::FieldOverrides, pairs(&link.response_overrides)));
    }
    rows
}

/// `expires in 59 min (…)`, `expired 2 h ago (…)`, or that the link does not say.
pub fn time_left(link: &PresignedLink, now: Timestamp) -> String {
    let at = link.expires_at.map(format::datetime).unwrap_or_default();
    match link.expiry_status(now) {
        super::ExpiryStatus::Valid { secs_left } => fill(
            T::ExpiresIn,
            &[("span", &format::countdown(secs_left)), ("at", &at)],
        ),
        super::ExpiryStatus::Expired { secs_ago } => fill(
            T::ExpiredAgo,
            &[("span", &format::countdown(secs_ago)), ("at", &at)],
        ),
        super::ExpiryStatus::Unknown => tr(T::NoExpiry).to_owned(),
    }
}

/// The time left until `at`, or how long ago it passed and when.
pub fn left_until(at: Timestamp, now: Timestamp) -> String {
    let left = at.as_second() - now.as_second();
    if left > 0 {
        format::countdown(left)
    } else {
        fill(
            T::ExpiredAgo,
            &[
                ("span", &format::countdown(-left)),
                ("at", &format::datetime(at)),
            ],
        )
    }
}

/// A plain-text summary for support tickets: the redacted link, every field, every finding.
pub fn summary_text(link: &PresignedLink, findings: &[Finding], now: Timestamp) -> String {
    let mut out = format!("{}\n", link.redacted());
    for (label, value) in detail_rows(link, now) {
        out.push_str(&label_value(label, &value));
        out.push('\n');
    }
    if !findings.is_empty() {
        out.push_str(&format!("\n{}\n", heading(T::FindingsTitle)));
        for finding in findings {
            out.push_str(&format!(
                "[{}] {} ({})\n",
                severity_word(finding),
                finding.message,
                finding.id.as_str()
            ));
        }
    }
    out
}

fn severity_word(finding: &Finding) -> &'static str {
    tr(match finding.severity {
        super::Severity::Error => T::SeverityError,
        super::Severity::Warning => T::SeverityWarning,
        super::Severity::Info => T::SeverityInfo,
    })
}

/// What `presign-desk inspect --json` prints.
#[derive(Debug, Serialize)]
pub struct InspectJson {
    /// `aws-sigv4`, `aws-sigv2`, `gcs-v4`, `gcs-v2`, `azure-sas`, `unsigned`.
    pub scheme: SignatureScheme,
    /// `aws`, `s3-compatible`, `gcs`, `azure`, `unknown`.
    pub provider: Provider,
    /// Host, lowercase.
    pub host: String,
    /// `virtual-hosted` or `path`.
    pub addressing: Addressing,
    /// Bucket or container.
    pub bucket: Option<String>,
    /// Object key, decoded.
    pub key: Option<String>,
    /// Region or location.
    pub region: Option<String>,
    /// `GET`, `PUT` or null.
    pub operation: Option<Operation>,
    /// RFC 3339 UTC.
    pub signed_at: Option<String>,
    /// RFC 3339 UTC.
    pub expires_at: Option<String>,
    /// Negative once expired.
    pub expires_in_secs: Option<i64>,
    /// Access key id or service account.
    pub access_key_id: Option<String>,
    /// `long-term`, `temporary`, `unknown`.
    pub credential_kind: CredentialKind,
    /// Whether a security token is present (never its value).
    pub security_token: bool,
    /// Signed headers, lowercase.
    pub signed_headers: Vec<String>,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl InspectJson {
    /// The JSON view of `link` at `now`.
    pub fn new(link: &PresignedLink, now: Timestamp) -> Self {
        Self {
            scheme: link.scheme,
            provider: link.provider,
            host: link.host(),
            addressing: link.addressing,
            bucket: link.bucket.clone(),
            key: link.key.clone(),
            region: link.region.clone(),
            operation: link.operation,
            signed_at: link.signed_at.map(|t| t.to_string()),
            expires_at: link.expires_at.map(|t| t.to_string()),
            expires_in_secs: link.expires_in_secs(now),
            access_key_id: link.access_key_id.clone(),
            credential_kind: link.credential_kind(),
            security_token: link.security_token.is_some(),
            signed_headers: link.signed_headers.clone(),
            findings: link.findings(now, None),
        }
    }
}

fn scheme_text(scheme: SignatureScheme) -> T {
    match scheme {
        SignatureScheme::AwsSigV4 => T::SchemeAwsV4,
        SignatureScheme::AwsSigV2 => T::SchemeAwsV2,
        SignatureScheme::GcsV4 => T::SchemeGcsV4,
        SignatureScheme::GcsV2 => T::SchemeGcsV2,
        SignatureScheme::AzureSas => T::SchemeAzure,
        SignatureScheme::Unsigned => T::SchemeNone,
    }
}

pub(crate) fn provider_text(provider: Provider) -> T {
    match provider {
        Provider::Aws => T::ProviderAws,
        Provider::S3Compatible => T::ProviderS3Compatible,
        Provider::Gcs => T::ProviderGcs,
        Provider::Azure => T::ProviderAzure,
        Provider::Unknown => T::ProviderUnknown,
    }
}

fn addressing_text(addressing: Addressing) -> T {
    match addressing {
        Addressing::VirtualHosted => T::AddressingVirtual,
        Addressing::Path => T::AddressingPath,
    }
}

pub(crate) fn credential_text(kind: CredentialKind) -> T {
    match kind {
        CredentialKind::LongTerm => T::CredLongTerm,
        CredentialKind::Temporary => T::CredTemporary,
        CredentialKind::Unknown => T::CredUnknown,
    }
}
