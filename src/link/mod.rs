//! Understand a presigned URL: which scheme signed it, for which bucket and key, for which
//! operation, and until when. Pure: no I/O, no clock (the caller passes "now").

pub mod findings;
mod names;
pub mod paste;
pub mod report;
mod split;

use jiff::Timestamp;
use serde::Serialize;

use crate::secret::Secret;
use crate::text::{T, fill, tr};
pub use findings::{Finding, FindingId, Severity};
pub use names::{file_name, target_name};
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

/// The operation a link was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Operation {
    /// Download (HTTP GET).
    #[serde(rename = "GET")]
    Get,
    /// Upload (HTTP PUT).
    #[serde(rename = "PUT")]
    Put,
}

impl Operation {
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
#[derive(Debug, Clone)]
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

    fn read_signature_fields(&mut self, host: &str) {
        match self.scheme {
            SignatureScheme::AwsSigV4 | SignatureScheme::GcsV4 => {
                let prefix = if self.scheme == SignatureScheme::AwsSigV4 {
                    "X-Amz-"
                } else {
                    "X-Goog-"
                };
                if let Some(credential) = self.param(&format!("{prefix}Credential")) {
                    let mut parts = credential.split('/');
                    self.access_key_id = parts.next().map(str::to_owned);
                    let _date = parts.next();
                    self.region = parts.next().filter(|r| !r.is_empty()).map(str::to_owned);
                }
                self.signed_at = self
                    .param(&format!("{prefix}Date"))
                    .and_then(|d| parse_compact_time(&d));
                self.expires_after_secs = self
                    .param(&format!("{prefix}Expires"))
                    .and_then(|e| e.trim().parse::<i64>().ok());
                if let (Some(at), Some(secs)) = (self.signed_at, self.expires_after_secs) {
                    self.expires_at =
                        Timestamp::from_second(at.as_second().saturating_add(secs)).ok();
                }
                self.signed_headers = self
                    .param(&format!("{prefix}SignedHeaders"))
                    .map(|h| {
                        h.split(';')
                            .filter(|s| !s.is_empty())
                            .map(|s| s.to_ascii_lowercase())
                            .collect()
                    })
                    .unwrap_or_default();
                self.algorithm = self.param(&format!("{prefix}Algorithm"));
                self.security_token = self.param("X-Amz-Security-Token").map(Secret::new);
                self.operation = match self.param("x-id").as_deref() {
                    Some("PutObject") | Some("UploadPart") => Some(Operation::Put),
                    Some("GetObject") => Some(Operation::Get),
                    _ => None,
                };
            }
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2 => {
                self.access_key_id = self
                    .param("AWSAccessKeyId")
                    .or_else(|| self.param("GoogleAccessId"));
                self.expires_at = self
                    .param("Expires")
                    .and_then(|e| e.trim().parse::<i64>().ok())
                    .and_then(|secs| Timestamp::from_second(secs).ok());
                self.security_token = self.param("x-amz-security-token").map(Secret::new);
            }
            SignatureScheme::AzureSas => {
                self.expires_at = self.param("se").and_then(|se| parse_iso_time(&se));
                self.signed_at = self.param("st").and_then(|st| parse_iso_time(&st));
                self.azure_key_expires_at = self.param("ske").and_then(|t| parse_iso_time(&t));
                self.access_key_id = self.param("skoid");
                let permissions = self.param("sp").unwrap_or_default();
                self.azure_permissions = self.param("sp");
                let can_read = permissions.contains('r');
                let can_write = permissions.contains(['w', 'c', 'a']);
                self.operation = match (can_read, can_write) {
                    (true, false) => Some(Operation::Get),
                    (false, true) => Some(Operation::Put),
                    _ => None,
                };
            }
            SignatureScheme::Unsigned => {}
        }
        if self.region.is_none() {
            self.region = region_from_host(host);
        }
        self.missing_parameters = required_parameters(self.scheme)
            .iter()
            .copied()
            .filter(|name| self.param(name).is_none())
            .collect();
        for param in self.raw.query_params() {
            let lower = param.name.to_ascii_lowercase();
            if lower.starts_with("x-amz-checksum-") || lower == "x-amz-sdk-checksum-algorithm" {
                self.checksums.push((param.name, param.value));
            } else if lower.starts_with("response-") {
                self.response_overrides.push((param.name, param.value));
            } else if lower == "partnumber" {
                self.part_number = Some(param.value);
            } else if lower == "uploadid" {
                self.upload_id = Some(param.value);
            }
        }
        if self.part_number.is_some() && self.upload_id.is_some() && self.operation.is_none() {
            self.operation = Some(Operation::Put);
        }
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

/// The parameters without which a link of `scheme` cannot be checked by the server.
fn required_parameters(scheme: SignatureScheme) -> &'static [&'static str] {
    match scheme {
        SignatureScheme::AwsSigV4 => &[
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-Date",
            "X-Amz-Expires",
            "X-Amz-SignedHeaders",
            "X-Amz-Signature",
        ],
        SignatureScheme::GcsV4 => &[
            "X-Goog-Algorithm",
            "X-Goog-Credential",
            "X-Goog-Date",
            "X-Goog-Expires",
            "X-Goog-SignedHeaders",
            "X-Goog-Signature",
        ],
        SignatureScheme::AwsSigV2 => &["AWSAccessKeyId", "Expires", "Signature"],
        SignatureScheme::GcsV2 => &["GoogleAccessId", "Expires", "Signature"],
        SignatureScheme::AzureSas => &["sv", "se", "sp", "sig"],
        SignatureScheme::Unsigned => &[],
    }
}

fn detect_scheme(raw: &RawUrl) -> SignatureScheme {
    let has = |name: &str| raw.param(name).is_some();
    if has("X-Amz-Algorithm") || has("X-Amz-Signature") || has("X-Amz-Credential") {
        SignatureScheme::AwsSigV4
    } else if has("X-Goog-Algorithm") || has("X-Goog-Signature") || has("X-Goog-Credential") {
        SignatureScheme::GcsV4
    } else if has("GoogleAccessId") {
        SignatureScheme::GcsV2
    } else if has("AWSAccessKeyId") {
        SignatureScheme::AwsSigV2
    } else if has("sig") || (has("sv") && has("se")) {
        SignatureScheme::AzureSas
    } else {
        SignatureScheme::Unsigned
    }
}

fn detect_provider(host: &str, scheme: SignatureScheme) -> Provider {
    if host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn") {
        Provider::Aws
    } else if host == "storage.googleapis.com" || host.ends_with(".storage.googleapis.com") {
        Provider::Gcs
    } else if host.ends_with(".blob.core.windows.net") {
        Provider::Azure
    } else {
        match scheme {
            SignatureScheme::AwsSigV4 | SignatureScheme::AwsSigV2 => Provider::S3Compatible,
            SignatureScheme::GcsV4 | SignatureScheme::GcsV2 => Provider::Gcs,
            SignatureScheme::AzureSas => Provider::Azure,
            SignatureScheme::Unsigned => Provider::Unknown,
        }
    }
}

/// The bucket a virtual-hosted host names, if any.
fn virtual_host_bucket(host: &str, provider: Provider) -> Option<String> {
    let bucket = match provider {
        Provider::Aws => {
            // BUCKET.s3.REGION.amazonaws.com, BUCKET.s3-REGION..., BUCKET.s3.amazonaws.com,
            // BUCKET.s3-accelerate..., BUCKET.s3.dualstack..., BUCKET.s3-fips...
            let at = host.find(".s3.").or_else(|| host.find(".s3-"))?;
            &host[..at]
        }
        Provider::Gcs => host.strip_suffix(".storage.googleapis.com")?,
        Provider::S3Compatible => {
            // BUCKET.ACCOUNT.r2.cloudflarestorage.com
            let rest = host.strip_suffix(".r2.cloudflarestorage.com")?;
            rest.split_once('.')?.0
        }
        Provider::Azure | Provider::Unknown => return None,
    };
    (!bucket.is_empty()).then(|| bucket.to_owned())
}

fn locate_object(
    raw: &RawUrl,
    host: &str,
    provider: Provider,
) -> (Addressing, Option<String>, Option<String>) {
    let path = raw.path().strip_prefix('/').unwrap_or(raw.path());
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    if let Some(bucket) = virtual_host_bucket(host, provider) {
        return (
            Addressing::VirtualHosted,
            Some(bucket),
            non_empty(decode(path)),
        );
    }
    let (bucket, key) = match path.split_once('/') {
        Some((bucket, key)) => (bucket, key),
        None => (path, ""),
    };
    (
        Addressing::Path,
        non_empty(decode(bucket)),
        non_empty(decode(key)),
    )
}

fn region_from_host(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    if host.ends_with(".r2.cloudflarestorage.com") {
        return Some("auto".to_owned());
    }
    if !host.ends_with(".amazonaws.com") {
        return None;
    }
    for (i, label) in labels.iter().enumerate() {
        if let Some(region) = label.strip_prefix("s3-")
            && !matches!(region, "accelerate" | "fips" | "external-1")
        {
            return Some(region.to_owned());
        }
        if *label == "s3" || *label == "s3-fips" {
            let mut next = labels.get(i + 1).copied()?;
            if next == "dualstack" {
                next = labels.get(i + 2).copied()?;
            }
            return (next != "amazonaws").then(|| next.to_owned());
        }
    }
    None
}

/// `20261124T060000Z` as in `X-Amz-Date` and `X-Goog-Date`.
pub(crate) fn parse_compact_time(text: &str) -> Option<Timestamp> {
    let civil = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", text.trim()).ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// An ISO-8601 UTC time as in Azure's `se` and `st` (`2026-11-24T06:00:00Z`, or a bare date).
fn parse_iso_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let date = jiff::civil::Date::strptime("%Y-%m-%d", text).ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests;
