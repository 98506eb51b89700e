//! An upload form for people: the one sentence under the field, each condition of its policy in
//! plain words, the signer, and the summary `inspect` prints and the details copy (secrets
//! redacted). Pure.

use jiff::Timestamp;
use serde::Serialize;

use super::{Condition, PostForm};
use crate::format;
use crate::text::{T, fill, heading, label_value, tr};
use crate::view::{Tone, Verdict};

/// The form in one sentence: what it uploads to and how long it stays valid.
pub fn verdict(form: &PostForm, now: Timestamp) -> Verdict {
    let target = target(form);
    let purpose = fill(T::PurposeForm, &[("target", &target)]);
    let (mut tone, mut validity) = match form.expires_at() {
        Some(at) if at > now => {
            let left = at.as_second() - now.as_second();
            (
                if left < 300 {
                    Tone::Warning
                } else {
                    Tone::Good
                },
                fill(T::ValidFor, &[("span", &format::countdown(left))]),
            )
        }
        Some(at) => (
            Tone::Bad,
            fill(
                T::ExpiredSince,
                &[("span", &format::countdown(now.as_second() - at.as_second()))],
            ),
        ),
        None => (Tone::Neutral, tr(T::NoExpiry).to_owned()),
    };
    if form.signer.temporary && tone != Tone::Bad {
        validity = fill(T::ValidForTemporary, &[("validity", &validity)]);
        if tone == Tone::Good {
            tone = Tone::Warning;
        }
    }
    Verdict {
        tone,
        text: format!("{purpose} · {validity}"),
    }
}

/// `bucket/key` as the form names them (`${filename}` still in the key).
pub fn target(form: &PostForm) -> String {
    crate::link::object_name(form.bucket().as_deref(), form.field("key"))
        .unwrap_or_else(|| form.url.clone())
}

/// How a condition is phrased: as an item of the form's list, or as what a policy requires
/// (`requires {condition}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrasing {
    /// `key starts with uploads/`.
    Listed,
    /// `the field key to begin with "uploads/"`.
    Required,
}

/// A condition in plain words, as an item of the form's list.
pub fn condition_text(condition: &Condition) -> String {
    condition_phrase(condition, Phrasing::Listed)
}

/// A condition in plain words, phrased as `phrasing` says; a secret's value hidden.
pub fn condition_phrase(condition: &Condition, phrasing: Phrasing) -> String {
    let listed = phrasing == Phrasing::Listed;
    let (eq, any, prefix, size) = if listed {
        (
            T::ConditionEq,
            T::ConditionAny,
            T::ConditionStartsWith,
            T::ConditionSize,
        )
    } else {
        (
            T::ConditionExact,
            T::ConditionPresent,
            T::ConditionPrefix,
            T::ConditionSizeRange,
        )
    };
    match condition {
        Condition::Eq { field, value } => {
            let value = if super::is_secret_field(field) {
                crate::secret::REDACTED
            } else {
                value
            };
            fill(eq, &[("field", field), ("value", value)])
        }
        Condition::StartsWith { field, prefix: p } if p.is_empty() => {
            fill(any, &[("field", field)])
        }
        Condition::StartsWith { field, prefix: p } => {
            fill(prefix, &[("field", field), ("prefix", p)])
        }
        Condition::ContentLengthRange { min, max } => fill(
            size,
            &[("min", &format::bytes(*min)), ("max", &format::bytes(*max))],
        ),
    }
}

/// The form's fields that no condition covers (the storage refuses them).
pub fn uncovered(form: &PostForm) -> Vec<String> {
    let Some(policy) = &form.policy else {
        return Vec::new();
    };
    form.fields
        .iter()
        .map(|(name, _)| name)
        .filter(|name| !super::check::needs_no_condition(name) && policy.on(name).next().is_none())
        .cloned()
        .collect()
}

/// Labelled rows: the address, the signer, the expiry.
pub fn detail_rows(form: &PostForm, now: Timestamp) -> Vec<(T, String)> {
    let none = || tr(T::None_).to_owned();
    let mut rows = vec![
        (T::FieldHost, form.url.clone()),
        (T::FieldBucket, form.bucket().unwrap_or_else(none)),
        (
            T::FieldKey,
            form.field("key").map(str::to_owned).unwrap_or_else(none),
        ),
        (
            T::FieldAccessKey,
            form.signer.access_key_id.clone().unwrap_or_else(none),
        ),
        (
            T::FieldRegion,
            form.signer.region.clone().unwrap_or_else(none),
        ),
        (
            T::FieldSignedAt,
            form.signer
                .signed_at
                .map(format::datetime)
                .unwrap_or_else(none),
        ),
        (
            T::FieldExpiresAt,
            form.expires_at().map(format::datetime).unwrap_or_else(none),
        ),
    ];
    if let Some(at) = form.expires_at() {
        rows.push((T::FieldTimeLeft, crate::link::report::left_until(at, now)));
    }
    rows.push((
        T::FieldCredentials,
        tr(crate::link::report::credential_text(
            form.signer.credentials(),
        ))
        .to_owned(),
    ));
    rows
}

/// The summary `inspect` prints and the details copy: the address and fields (secrets
/// redacted), the signer, each condition, and the fields the policy does not cover.
pub fn summary_text(form: &PostForm, now: Timestamp) -> String {
    let mut out = format!("{}\n", verdict(form, now).text);
    for (label, value) in detail_rows(form, now) {
        out.push_str(&label_value(label, &value));
        out.push('\n');
    }
    out.push_str(&format!("\n{}\n", heading(T::FormFields)));
    for (name, value) in form.redacted_fields() {
        out.push_str(&format!("  {name} = {value}\n"));
    }
    if let Some(policy) = &form.policy {
        out.push_str(&format!("\n{}\n", heading(T::FormConditions)));
        for condition in &policy.conditions {
            out.push_str(&format!("  - {}\n", condition_text(condition)));
        }
    } else {
        out.push_str(&format!("\n{}\n", tr(T::FormNoPolicy)));
    }
    for field in uncovered(form) {
        out.push_str(&format!(
            "  ! {}\n",
            fill(T::ConditionUncovered, &[("field", &field)])
        ));
    }
    out
}

/// What `inspect --json` prints for a form.
#[derive(Debug, Serialize)]
pub struct FormJson {
    /// `post-form`.
    pub kind: &'static str,
    /// `json`, `curl` or `html`.
    pub shape: super::Shape,
    /// `aws`, `s3-compatible`, `gcs`.
    pub provider: crate::link::Provider,
    /// Where the form is posted.
    pub url: String,
    /// The bucket.
    pub bucket: Option<String>,
    /// The key, `${filename}` still in it.
    pub key: Option<String>,
    /// The signing algorithm.
    pub algorithm: Option<String>,
    /// The access key.
    pub access_key_id: Option<String>,
    /// The region of the credential scope.
    pub region: Option<String>,
    /// RFC 3339 UTC.
    pub signed_at: Option<String>,
    /// RFC 3339 UTC.
    pub expires_at: Option<String>,
    /// Negative once expired.
    pub expires_in_secs: Option<i64>,
    /// A security token is present (never its value).
    pub temporary_credentials: bool,
    /// The fields, secrets redacted, in order.
    pub fields: Vec<(String, String)>,
    /// Each condition in plain words.
    pub conditions: Vec<String>,
    /// Fields no condition covers.
    pub uncovered_fields: Vec<String>,
}

impl FormJson {
    /// The form as JSON at `now`.
    pub fn new(form: &PostForm, now: Timestamp) -> Self {
        FormJson {
            kind: "post-form",
            shape: form.shape,
            provider: form.provider,
            url: form.url.clone(),
            bucket: form.bucket(),
            key: form.field("key").map(str::to_owned),
            algorithm: form.signer.algorithm.clone(),
            access_key_id: form.signer.access_key_id.clone(),
            region: form.signer.region.clone(),
            signed_at: form.signer.signed_at.map(|t| t.to_string()),
            expires_at: form.expires_at().map(|t| t.to_string()),
            expires_in_secs: form.expires_at().map(|t| t.as_second() - now.as_second()),
            temporary_credentials: form.signer.temporary,
            fields: form.redacted_fields(),
            conditions: form
                .policy
                .iter()
                .flat_map(|p| p.conditions.iter().map(condition_text))
                .collect(),
            uncovered_fields: uncovered(form),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::boto3_form;
    use super::*;
    use crate::text::{Language, with_language};

    #[test]
    fn the_form_in_words() {
        let form = PostForm::parse(&boto3_form(r#", ["starts-with", "$Content-Type", ""]"#))
            .unwrap()
            .unwrap();
        let now: Timestamp = "2026-11-24T06:01:00Z".parse().unwrap();
        with_language(Language::ENGLISH, || {
            let v = verdict(&form, now);
            assert_eq!(
                v.text,
                "Upload form for fa-106/uploads/${filename} · valid for 59 min, or less: temporary credentials may end it sooner"
            );
            let summary = summary_text(&form, now);
            assert!(summary.contains("key starts with uploads/"), "{summary}");
            assert!(summary.contains("Size from 1 B to 1.05 MB"), "{summary}");
            assert!(summary.contains("content-type: any value"), "{summary}");
            assert!(summary.contains("x-amz-signature = REDACTED"), "{summary}");
            assert!(
                !summary.contains("SIGNATURESIGNATURE") && !summary.contains("TOKENTOKENTOKEN")
            );
        });
        let mut extra = form.clone();
        extra.fields.push(("x-amz-meta-note".into(), "hi".into()));
        assert_eq!(uncovered(&extra), ["x-amz-meta-note"]);
        let json = serde_json::to_string(&FormJson::new(&form, now)).unwrap();
        assert!(!json.contains("SIGNATURESIGNATURE") && !json.contains("TOKENTOKENTOKEN"));
        assert!(json.contains("\"expires_in_secs\":3540"));
    }
}
