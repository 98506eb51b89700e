//! Presigned POST forms: the upload forms web back ends hand out instead of a link (boto3's
//! `generate_presigned_post`, the JS `createPresignedPost`, GCS's signed policy). Read from
//! every shape a person is handed them in, their policy decoded, and checked against a file
//! before anything is sent. Pure.

pub mod check;
mod literal;
pub mod policy;
pub mod report;
pub mod shapes;

use jiff::Timestamp;

use crate::link::{Provider, paste};
use crate::secret::REDACTED;
use crate::text::{T, tr};
pub use policy::{Condition, Policy};
pub use shapes::Shape;

/// Whether the field `name` holds a secret: a signature or a security token, or the policy,
/// which holds the token when temporary credentials signed it (its conditions are shown
/// decoded, the token redacted).
pub fn is_secret_field(name: &str) -> bool {
    crate::secret::is_secret_name(name) || name.eq_ignore_ascii_case("policy")
}

/// Who signed a form and how, from its own fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signer {
    /// The signing algorithm (`AWS4-HMAC-SHA256`, `GOOG4-RSA-SHA256`), when the form says.
    pub algorithm: Option<String>,
    /// The access key or service account.
    pub access_key_id: Option<String>,
    /// The region (or GCS location) of the credential scope.
    pub region: Option<String>,
    /// When the form was signed.
    pub signed_at: Option<Timestamp>,
    /// The form carries a security token: temporary credentials.
    pub temporary: bool,
    /// The form carries a security token.
    pub has_token: bool,
}

impl Signer {
    /// The kind of credentials that signed the form.
    pub fn credentials(&self) -> crate::link::CredentialKind {
        crate::link::CredentialKind::of(self.access_key_id.as_deref(), self.has_token)
    }
}

/// An upload form.
#[derive(Clone, PartialEq, Eq)]
pub struct PostForm {
    /// Where it is posted (no secret in it).
    pub url: String,
    /// The fields in the order given; the file part follows them.
    pub fields: Vec<(String, String)>,
    /// The name of the file's part.
    pub file_field: String,
    /// How it was handed over.
    pub shape: Shape,
    /// The decoded policy (`None`: none, or one that does not decode).
    pub policy: Option<Policy>,
    /// Who signed it.
    pub signer: Signer,
    /// Who runs the server it goes to.
    pub provider: Provider,
}

/// Why a text is not a form PresignDesk can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// It looks like a form, but its shape does not read.
    Unreadable(Shape),
    /// The form's address is no http(s) address.
    NoAddress,
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(tr(match self {
            FormError::Unreadable(_) => T::ErrFormUnreadable,
            FormError::NoAddress => T::ErrFormNoAddress,
        }))
    }
}

impl std::error::Error for FormError {}

/// Shows the form with its secrets redacted: a `{:?}` in a log never prints a signature.
impl std::fmt::Debug for PostForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostForm")
            .field("url", &self.url)
            .field("fields", &self.redacted_fields())
            .field("file_field", &self.file_field)
            .finish_non_exhaustive()
    }
}

impl PostForm {
    /// Reads a form in any shape, or `None` when `text` does not look like one (then it may
    /// be a link).
    pub fn parse(text: &str) -> Option<Result<PostForm, FormError>> {
        let text = text.trim().trim_start_matches('\u{feff}');
        let shape = shapes::shape_of(text)?;
        Some(
            shapes::read(text, shape)
                .ok_or(FormError::Unreadable(shape))
                .and_then(|f| Self::from_fields(f.url, f.fields, f.file_field, shape)),
        )
    }

    /// The form made of these parts (as a plan carries them).
    pub fn from_fields(
        url: String,
        fields: Vec<(String, String)>,
        file_field: String,
        shape: Shape,
    ) -> Result<PostForm, FormError> {
        // What mail and chat do to a link happens to a form's address too.
        let url = paste::clean(&url).text;
        let raw = crate::link::RawUrl::split(&url).map_err(|_| FormError::NoAddress)?;
        let host = raw.host.to_ascii_lowercase();
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let gcs = get("x-goog-credential").is_some() || host.ends_with("storage.googleapis.com");
        let provider = if host.ends_with(".amazonaws.com") {
            Provider::Aws
        } else if gcs {
            Provider::Gcs
        } else {
            Provider::S3Compatible
        };
        let credential = get("x-amz-credential").or_else(|| get("x-goog-credential"));
        let mut parts = credential.unwrap_or_default().split('/');
        let signer = Signer {
            algorithm: get("x-amz-algorithm")
                .or_else(|| get("x-goog-algorithm"))
                .map(str::to_owned),
            access_key_id: parts
                .next()
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .or_else(|| {
                    get("awsaccesskeyid")
                        .or_else(|| get("googleaccessid"))
                        .map(str::to_owned)
                }),
            region: {
                let _date = parts.next();
                parts.next().filter(|r| !r.is_empty()).map(str::to_owned)
            },
            signed_at: get("x-amz-date")
                .or_else(|| get("x-goog-date"))
                .and_then(crate::link::parse_compact_time),
            temporary: crate::link::CredentialKind::of(
                credential,
                get("x-amz-security-token").is_some(),
            ) == crate::link::CredentialKind::Temporary,
            has_token: get("x-amz-security-token").is_some(),
        };
        let policy = get("policy").and_then(Policy::decode);
        Ok(PostForm {
            url,
            fields,
            file_field,
            shape,
            policy,
            signer,
            provider,
        })
    }

    /// The value of field `name` (ASCII case-insensitive).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The bucket: the policy's condition, else the address's.
    pub fn bucket(&self) -> Option<String> {
        if let Some(Condition::Eq { value, .. }) =
            self.policy.as_ref().and_then(|p| p.on("bucket").next())
        {
            return Some(value.clone());
        }
        let raw = crate::link::RawUrl::split(&self.url).ok()?;
        let host = raw.host.to_ascii_lowercase();
        host.find(".s3")
            .map(|at| host[..at].to_owned())
            .or_else(|| {
                host.strip_suffix(".storage.googleapis.com")
                    .map(str::to_owned)
            })
            .or_else(|| {
                raw.path()
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned)
            })
    }

    /// The key the file is stored under: the form's `key`, `${filename}` replaced.
    pub fn key_for(&self, file_name: &str) -> Option<String> {
        self.field("key")
            .map(|k| k.replace("${filename}", file_name))
    }

    /// When the form stops working: the policy's expiration.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.policy.as_ref().map(|p| p.expiration)
    }

    /// The fields with their secrets redacted: safe to show, copy and log.
    pub fn redacted_fields(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|(name, value)| {
                let secret = is_secret_field(name);
                (
                    name.clone(),
                    if secret {
                        REDACTED.to_owned()
                    } else {
                        value.clone()
                    },
                )
            })
            .collect()
    }

    /// The form as the SDKs' JSON, its fields in order (for "use again").
    pub fn to_json_text(&self) -> String {
        let json = |text: &str| serde_json::Value::from(text).to_string();
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(n, v)| format!("{}: {}", json(n), json(v)))
            .collect();
        format!(
            "{{\"url\": {}, \"fields\": {{{}}}}}",
            json(&self.url),
            fields.join(", ")
        )
    }

    /// The secret values the form carries, for the redaction of what a server echoes.
    pub fn secrets(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| crate::secret::is_secret_name(n))
            .map(|(_, v)| v.as_str())
            .filter(|v| v.len() >= 8)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    pub(super) fn boto3_form(extra: &str) -> String {
        let policy = base64::engine::general_purpose::STANDARD.encode(format!(
            r#"{{"expiration": "2026-11-24T07:00:00Z", "conditions": [{{"bucket": "fa-106"}}, ["starts-with", "$key", "uploads/"], ["content-length-range", 1, 1048576], {{"x-amz-algorithm": "AWS4-HMAC-SHA256"}}, {{"x-amz-credential": "ASIAEXAMPLE/20261124/ap-northeast-1/s3/aws4_request"}}, {{"x-amz-date": "20261124T060000Z"}}, {{"x-amz-security-token": "TOKENTOKENTOKEN"}}{extra}]}}"#
        ));
        format!(
            r#"{{'url': 'https://fa-106.s3.amazonaws.com/', 'fields': {{'key': 'uploads/${{filename}}', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-credential': 'ASIAEXAMPLE/20261124/ap-northeast-1/s3/aws4_request', 'x-amz-date': '20261124T060000Z', 'x-amz-security-token': 'TOKENTOKENTOKEN', 'policy': '{policy}', 'x-amz-signature': 'SIGNATURESIGNATURE'}}}}"#
        )
    }

    #[test]
    fn a_boto3_form_is_read_with_its_signer_and_policy() {
        let form = PostForm::parse(&boto3_form("")).unwrap().unwrap();
        assert_eq!(form.shape, Shape::Json);
        assert_eq!(form.provider, Provider::Aws);
        assert_eq!(form.bucket().as_deref(), Some("fa-106"));
        assert_eq!(
            form.key_for("見積.csv").as_deref(),
            Some("uploads/見積.csv")
        );
        assert_eq!(form.signer.access_key_id.as_deref(), Some("ASIAEXAMPLE"));
        assert_eq!(form.signer.region.as_deref(), Some("ap-northeast-1"));
        assert!(form.signer.temporary);
        assert_eq!(
            form.expires_at(),
            Some("2026-11-24T07:00:00Z".parse().unwrap())
        );
        let shown = format!("{form:?}");
        assert!(!shown.contains("SIGNATURESIGNATURE") && !shown.contains("TOKENTOKENTOKEN"));
        assert_eq!(form.secrets(), ["TOKENTOKENTOKEN", "SIGNATURESIGNATURE"]);
    }

    #[test]
    fn a_link_is_no_form_and_a_broken_form_says_so() {
        assert!(PostForm::parse("https://b.s3.amazonaws.com/k?X-Amz-Signature=a").is_none());
        assert_eq!(
            PostForm::parse("{'url': 'x', 'fields': {}}"),
            Some(Err(FormError::NoAddress))
        );
        assert_eq!(
            PostForm::parse("{'url': "),
            Some(Err(FormError::Unreadable(Shape::Json)))
        );
    }
}
