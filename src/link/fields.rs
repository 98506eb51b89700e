//! The fields each signature scheme writes into a link's query: SigV4 and GCS V4 (`X-Amz-*`,
//! `X-Goog-*`), SigV2 and GCS V2, Azure SAS; then what every scheme shares (the parameters it
//! needs, checksums, response overrides, a multipart part). Pure.

use jiff::Timestamp;

use super::host::region_from_host;
use super::split::RawUrl;
use super::{Operation, PresignedLink, SignatureScheme};
use crate::secret::Secret;

impl PresignedLink {
    /// Fills the fields the link's scheme carries; `host` is the link's host, lowercase.
    pub(super) fn read_signature_fields(&mut self, host: &str) {
        match self.scheme {
            SignatureScheme::AwsSigV4 => self.read_v4("X-Amz-"),
            SignatureScheme::GcsV4 => self.read_v4("X-Goog-"),
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2 => self.read_v2(),
            SignatureScheme::AzureSas => self.read_azure_sas(),
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
        self.read_shared_parameters();
    }

    /// SigV4 and GCS V4: the credential scope, the signing time and lifetime, the signed
    /// headers, the token, and the SDK's `x-id` naming the operation.
    fn read_v4(&mut self, prefix: &str) {
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
            self.expires_at = Timestamp::from_second(at.as_second().saturating_add(secs)).ok();
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

    /// SigV2 and GCS V2: the access key, the expiry as a Unix time, the token.
    fn read_v2(&mut self) {
        self.access_key_id = self
            .param("AWSAccessKeyId")
            .or_else(|| self.param("GoogleAccessId"));
        self.expires_at = self
            .param("Expires")
            .and_then(|e| e.trim().parse::<i64>().ok())
            .and_then(|secs| Timestamp::from_second(secs).ok());
        self.security_token = self.param("x-amz-security-token").map(Secret::new);
    }

    /// Azure SAS: start and expiry, the user delegation key's expiry and owner, and the
    /// permissions, which name the operation when they allow only reading or only writing.
    fn read_azure_sas(&mut self) {
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

    /// What any scheme may carry: checksums, `response-*` overrides, a multipart part number
    /// and upload id (which make an unnamed operation an upload).
    fn read_shared_parameters(&mut self) {
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
        // A link that signs `x-goog-resumable` starts a resumable upload.
        if self.operation.is_none() && self.signed_headers.iter().any(|h| h == "x-goog-resumable") {
            self.operation = Some(Operation::Put);
        }
    }
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

/// The scheme that signed a link, from the parameters it carries.
pub(super) fn detect_scheme(raw: &RawUrl) -> SignatureScheme {
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
