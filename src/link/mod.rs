//! Understand a presigned URL: which scheme signed it, for which bucket and key, for which
//! operation, and until when. Pure: no I/O, no clock (the caller passes "now").

mod fields;
pub mod findings;
mod host;
mod names;
pub mod parts;
pub mod paste;
pub mod report;
mod split;

use jiff::Timestamp;
use serde::Serialize;

use crate::secret::Secret;
use crate::text::{T, fill, tr};
use fields::detect_scheme;
pub(crate) use fields::parse_compact_time;
pub use findings::{Finding, FindingId, Severity};
use host::{detect_provider, locate_object, region_from_host};
pub use names::{file_name, object_name, target_name};
pub use paste::Repair;
pub use split::{QueryParam, RawUrl};

/// How the link was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureScheme {
    /// AWS Signature Version 4 in the query string (S3 and S3-compatible stores).
    #[serde(rename = "aws-sigv4")]
    AwsSigV4,
    /// AWS Signature Version 2 (legacy): signs the Content-Type too.
    #[serde(rename = "aws-sigv2")]
    AwsSigV2,
    /// Google Cloud Storage V4 signing (RSA or HMAC).
    GcsV4,
    /// Google Cloud Storage V2 signing (legacy): signs the Content-Type too.
    GcsV2,
    /// Azure Blob Storage shared access signature.
    AzureSas,
    /// No signature found: not a presigned link.
    Unsigned,
}

/// Who runs the server the link points at, as far as the host tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// Amazon S3.
    Aws,
    /// A server that speaks the S3 protocol (R2, MinIO, Ceph, Wasabi, a local server...).
    S3Compatible,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage.
    Azure,
    /// Not recognised.
    Unknown,
}

impl CredentialKind {
    /// The kind told by the access key's prefix, else by whether a security token came with it.
    pub fn of(access_key_id: Option<&str>, has_token: bool) -> Self {
        match access_key_id {
            Some(id) if id.starts_with("ASIA") => Self::Temporary,
            Some(id) if id.starts_with("AKIA") => Self::LongTerm,
            _ if has_token => Self::Temporary,
            _ => Self::Unknown,
        }
    }
}

/// Where the bucket name sits in the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Addressing {
    /// `bucket.host/key`.
    VirtualHosted,
    /// `host/bucket/key`.
    Path,
}

/// The operation a link was made for (an upload when nothing says).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Operation {
    /// Download (HTTP GET).
    #[serde(rename = "GET")]
    Get,
    /// Upload (HTTP PUT).
    #[serde(rename = "PUT")]
    #[default]
    Put,
}

impl Operation {
    /// The other operation: what a link for this one cannot do.
    pub fn other(self) -> Self {
        match self {
            Operation::Get => Operation::Put,
            Operation::Put => Operation::Get,
        }
    }

    /// The HTTP method of the operation.
    pub fn method(self) -> &'static str {
        match self {
            Operation::Get => "GET",
            Operation::Put => "PUT",
        }
    }
}

/// Whether a link is still valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryStatus {
    /// Valid for this many more seconds.
    Valid {
        /// Seconds left.
        secs_left: i64,
    },
    /// Expired this many seconds ago.
    Expired {
        /// Seconds since expiry.
        secs_ago: i64,
    },
    /// The link does not say.
    Unknown,
}

/// Kind of access key that signed the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// `AKIA...`: a long-term key of an IAM user.
    LongTerm,
    /// `ASIA...`: temporary credentials; the link dies with them.
    Temporary,
    /// Anything else (S3-compatible stores, GCS service accounts...).
    Unknown,
}

/// Why a text could not be read as a link at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing but whitespace.
    Empty,
    /// No `http://` or `https://` at the start.
    NotHttp,
    /// No host after the scheme.
    NoHost,
    /// Whitespace or a control character inside the link (a wrapped or broken paste).
    BrokenInside,
    /// A pasted text holds this many different links: which one is meant is not known.
    SeveralLinks(usize),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = match self {
            LinkError::Empty => T::ErrEmpty,
            LinkError::NotHttp => T::ErrNotHttp,
            LinkError::NoHost => T::ErrNoHost,
            LinkError::BrokenInside => T::ErrBrokenInside,
            LinkError::SeveralLinks(count) => {
                return f.write_str(&fill(T::ErrSeveralLinks, &[("count", &count.to_string())]));
            }
        };
        f.write_str(tr(id))
    }
}

impl std::error::Error for LinkError {}

/// A presigned URL, decoded. The exact text to send is [`PresignedLink::as_sent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedLink {
    raw: RawUrl,
    /// How the link was signed.
    pub scheme: SignatureScheme,
    /// Who runs the server, as far as the host tells.
    pub provider: Provider,
    /// Where the bucket name sits.
    pub addressing: Addressing,
    /// The bucket (or Azure container), when the URL shows it.
    pub bucket: Option<String>,
    /// The object key, percent-decoded for display.
    pub key: Option<String>,
    /// The region or location the link was signed for (credential scope), or from the host.
    pub region: Option<String>,
    /// The operation the link says it was made for, when it says so.
    pub operation: Option<Operation>,
    /// When the link was signed.
    pub signed_at: Option<Timestamp>,
    /// When the link stops working.
    pub expires_at: Option<Timestamp>,
    /// Lifetime the signer asked for, in seconds (SigV4 and GCS V4).
    pub expires_after_secs: Option<i64>,
    /// Access key id (or GCS service account) that signed the link.
    pub access_key_id: Option<String>,
    /// Security token of temporary credentials, if any.
    pub security_token: Option<Secret>,
    /// Headers the signature covers, lowercase, as the link lists them.
    pub signed_headers: Vec<String>,
    /// The region the host names (AWS), whatever the signature says.
    pub host_region: Option<String>,
    /// The signing algorithm as the link names it (`AWS4-HMAC-SHA256`, `GOOG4-RSA-SHA256`...).
    pub algorithm: Option<String>,
    /// Checksum parameters (`x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm`), decoded.
    pub checksums: Vec<(String, String)>,
    /// `partNumber` of a multipart upload part.
    pub part_number: Option<String>,
    /// `uploadId` of a multipart upload.
    pub upload_id: Option<String>,
    /// `response-*` parameters that override the download's response headers.
    pub response_overrides: Vec<(String, String)>,
    /// Azure SAS permissions (`sp`).
    pub azure_permissions: Option<String>,
    /// Azure user-delegation key expiry (`ske`): the link dies with the key.
    pub azure_key_expires_at: Option<Timestamp>,
    /// Signature parameters the scheme needs that the link lacks (a cut-off link).
    pub missing_parameters: Vec<&'static str>,
    /// What was removed from the paste to get the link as signed.
    pub repairs: Vec<Repair>,
}

impl PresignedLink {
    /// Reads a pasted link. What e-mail and chat add around or inside a link (whitespace,
    /// quotes, `<…>`, line breaks, `&amp;`) is removed and listed in [`Self::repairs`]; nothing
    /// of the link as signed is changed.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let clean = paste::clean(text);
        if clean.links_found > 1 {
            return Err(LinkError::SeveralLinks(clean.links_found));
        }
        let raw = RawUrl::split(&clean.text)?;
        let host = raw.host.to_ascii_lowercase();
        let scheme = detect_scheme(&raw);
        let provider = detect_provider(&host, scheme);
        let (addressing, bucket, key) = locate_object(&raw, &host, provider);

        let mut link = PresignedLink {
            scheme,
            provider,
            addressing,
            bucket,
            key,
            region: None,
            operation: None,
            signed_at: None,
            expires_at: None,
            expires_after_secs: None,
            access_key_id: None,
            security_token: None,
            signed_headers: Vec::new(),
            host_region: region_from_host(&host),
            algorithm: None,
            checksums: Vec::new(),
            part_number: None,
            upload_id: None,
            response_overrides: Vec::new(),
            azure_permissions: None,
            azure_key_expires_at: None,
            missing_parameters: Vec::new(),
            repairs: clean.repairs,
            raw,
        };
        link.read_signature_fields(&host);
        Ok(link)
    }

    /// The text that goes on the wire: the link as signed, without what the paste added.
    pub fn as_sent(&self) -> &str {
        &self.raw.text
    }

    /// The split parts of the link, as pasted.
    pub fn raw(&self) -> &RawUrl {
        &self.raw
    }

    /// The host, lowercase, without port.
    pub fn host(&self) -> String {
        self.raw.host.to_ascii_lowercase()
    }

    /// Seconds until the link expires (negative once expired); `None` when the link does not say.
    pub fn expires_in_secs(&self, now: Timestamp) -> Option<i64> {
        self.expires_at
            .map(|at| at.as_second().saturating_sub(now.as_second()))
    }

    /// Whether the link is still valid at `now`, and for how long.
    pub fn expiry_status(&self, now: Timestamp) -> ExpiryStatus {
        match self.expires_in_secs(now) {
            Some(secs) if secs > 0 => ExpiryStatus::Valid { secs_left: secs },
            Some(secs) => ExpiryStatus::Expired { secs_ago: -secs },
            None => ExpiryStatus::Unknown,
        }
    }

    /// Whether the link has expired at `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_in_secs(now).is_some_and(|secs| secs <= 0)
    }

    /// Whether the signature covers the `Content-Type` header, so the type sent must be the
    /// signer's exactly (SigV2 and GCS V2 always sign it; SigV4 and GCS V4 when listed).
    pub fn signs_content_type(&self) -> bool {
        matches!(
            self.scheme,
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2
        ) || self.signed_headers.iter().any(|h| h == "content-type")
    }

    /// Query parameters that no signer adds (`utm_source`, `fbclid`...; mail and chat programs
    /// append them) inside a query the signature covers (SigV4, GCS V4): the link was changed
    /// after it was signed, and the server will refuse it.
    pub fn params_added_after_signing(&self) -> Vec<String> {
        if !matches!(
            self.scheme,
            SignatureScheme::AwsSigV4 | SignatureScheme::GcsV4
        ) {
            return Vec::new();
        }
        let mut names: Vec<String> = self
            .raw
            .query_params()
            .into_iter()
            .map(|p| p.name)
            .filter(|name| is_tracking_param(name))
            .collect();
        names.dedup();
        names
    }

    /// Kind of the access key.
    pub fn credential_kind(&self) -> CredentialKind {
        CredentialKind::of(self.access_key_id.as_deref(), self.security_token.is_some())
    }

    /// The link with every signature and token replaced by `REDACTED`: safe to show, copy and log.
    pub fn redacted(&self) -> String {
        self.raw.redacted()
    }

    fn param(&self, name: &str) -> Option<String> {
        self.raw.param(name)
    }
}

/// Parameters that mail, chat and advertising trackers append to links; no signer adds them.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_eid",
    "mc_cid",
    "_ga",
    "_gl",
    "igshid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mkt_tok",
    "_hsenc",
    "_hsmi",
    "oly_enc_id",
    "oly_anon_id",
    "vero_id",
    "rb_clickid",
    "s_cid",
];

fn is_tracking_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests;
