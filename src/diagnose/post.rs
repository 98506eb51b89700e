//! Refusals of an upload through a presigned POST form, in the words of the form's policy:
//! expired, a condition the upload did not meet (which field, what the policy wants, what was
//! sent), a size out of range, a field the policy does not cover, a missing `key`, a form
//! altered after signing. Read from Amazon's messages ("Invalid according to Policy: …") and
//! those of S3-compatible servers and GCS. Also the checks PresignDesk makes before sending,
//! said the same way. Pure.

use super::attempt::{Answer, Attempt};
use super::cause::{Basis, Found, kind};
use crate::format;
use crate::post::check::Problem;
use crate::post::{Condition, PostForm};

/// The causes a form's refusal shows, or `None` when it is no refusal about the form (a busy
/// server, say: the general reading applies).
pub(super) fn causes(attempt: &Attempt<'_>, answer: &Answer<'_>, form: &PostForm) -> Option<Vec<Found>> {
    let code = answer.code().unwrap_or_default();
    let message = answer.body.message.as_deref().unwrap_or_default();
    let lower = message.to_ascii_lowercase();
    let said = |found: Found| found.proven(Basis::ServerSaid);
    let found = if lower.contains("policy expired")
        || (code == "AccessDenied" && lower.contains("expired"))
    {
        said(expired(form))
    } else if let Some(field) = extra_field(message) {
        said(Found::new(&kind::POLICY_EXTRA_FIELD).with("field", field))
    } else if let Some(condition) = failed_condition(message) {
        said(condition_cause(attempt, form, &condition))
    } else if code == "EntityTooLarge" || code == "EntityTooSmall" {
        let size = attempt.file_len_bytes.unwrap_or_default();
        let (min, max) = form
            .policy
            .as_ref()
            .and_then(|p| p.size_range())
            .unwrap_or((0, 0));
        said(if code == "EntityTooLarge" {
            too_large(size, max)
        } else {
            too_small(size, min)
        })
    } else if lower.contains("must contain a field named") {
        let field = quoted(message).unwrap_or_else(|| "key".to_owned());
        said(Found::new(&kind::FORM_FIELD_MISSING).with("field", field))
    } else if code == "SignatureDoesNotMatch" || code == "InvalidSignature" {
        return Some(vec![
            Found::new(&kind::ALTERED_FORM),
            Found::new(&kind::SECRET).possible(),
        ]);
    } else {
        return None;
    };
    Some(vec![found])
}

/// The checks PresignDesk made before sending, as causes found on this side.
pub(super) fn of_problem(form: &PostForm, problem: &Problem) -> Found {
    let local = |found: Found| found.proven(Basis::Local);
    match problem {
        Problem::Expired(_) => local(expired(form)),
        Problem::TooLarge { size, max } => local(too_large(*size, *max)),
        Problem::TooSmall { size, min } => local(too_small(*size, *min)),
        Problem::Condition { condition, sent } => local(condition_found(condition, sent.as_deref())),
        Problem::ExtraField(field) => local(Found::new(&kind::POLICY_EXTRA_FIELD).with("field", field.clone())),
        Problem::MissingKey => local(Found::new(&kind::FORM_FIELD_MISSING).with("field", "key")),
    }
}

fn expired(form: &PostForm) -> Found {
    Found::new(&kind::POLICY_EXPIRED).with(
        "at",
        form.expires_at().map(format::datetime).unwrap_or_default(),
    )
}

fn too_large(size: u64, max: u64) -> Found {
    Found::new(&kind::TOO_LARGE)
        .with("size", format::bytes(size))
        .with("max", format::bytes(max))
}

fn too_small(size: u64, min: u64) -> Found {
    Found::new(&kind::TOO_SMALL)
        .with("size", format::bytes(size))
        .with("min", format::bytes(min))
}

/// A condition and what was sent for its field.
fn condition_found(condition: &Condition, sent: Option<&str>) -> Found {
    let none = || crate::text::tr(crate::text::T::NotSentNone).to_owned();
    let sent = sent.map(str::to_owned).unwrap_or_else(none);
    match condition {
        Condition::Eq { field, value } | Condition::StartsWith { field, prefix: value }
            if field == "content-type" =>
        {
            Found::new(&kind::POLICY_CONDITION_TYPE)
                .with("condition", value.clone())
                .with("sent", sent)
        }
        _ => Found::new(&kind::POLICY_CONDITION)
            .with("condition", condition.as_written())
            .with("sent", sent),
    }
}

/// The failed condition the server names, with what the attempt sent for its field.
fn condition_cause(attempt: &Attempt<'_>, form: &PostForm, condition: &Condition) -> Found {
    let field = condition.field().unwrap_or_default();
    let sent = match field {
        "content-type" => attempt.sent_content_type().map(str::to_owned),
        "key" => attempt
            .file_name
            .as_deref()
            .and_then(|name| form.key_for(name))
            .or_else(|| form.field("key").map(str::to_owned)),
        _ => form.field(field).map(str::to_owned),
    };
    condition_found(condition, sent.as_deref())
}

/// `Extra input fields: x-amz-meta-note` (Amazon), `"x" not specified in the policy` (others).
fn extra_field(message: &str) -> Option<String> {
    if let Some(at) = message.find("Extra input fields:") {
        let rest = message[at + "Extra input fields:".len()..].trim();
        return Some(rest.trim_end_matches('.').split(',').next()?.trim().to_owned());
    }
    if message.contains("not specified in the policy") {
        return quoted(message);
    }
    None
}

/// The condition in `… Policy Condition failed: ["starts-with", "$key", "uploads/"]` (Amazon,
/// GCS) or `Policy condition 'eq' for field 'key' failed: expected 'x', got 'y'` (others).
fn failed_condition(message: &str) -> Option<Condition> {
    if let Some(at) = message.find("Condition failed:") {
        let written = message[at + "Condition failed:".len()..].trim();
        let items: Vec<serde_json::Value> = serde_json::from_str(written).ok()?;
        let op = items.first()?.as_str()?.to_ascii_lowercase();
        let field = crate::post::policy::normalize(items.get(1)?.as_str()?);
        let value = match items.get(2)? {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        return Some(match op.as_str() {
            "starts-with" => Condition::StartsWith { field, prefix: value },
            _ => Condition::Eq { field, value },
        });
    }
    let lower = message.to_ascii_lowercase();
    if lower.starts_with("policy condition '") && lower.contains("failed") {
        let mut quotes = message.split('\'').skip(1).step_by(2);
        let op = quotes.next()?.to_ascii_lowercase();
        let field = crate::post::policy::normalize(quotes.next()?);
        let value = quotes.next().unwrap_or_default().to_owned();
        return Some(match op.as_str() {
            "starts-with" => Condition::StartsWith { field, prefix: value },
            _ => Condition::Eq { field, value },
        });
    }
    None
}

/// The first thing in quotes (`"x"` or `'x'`).
fn quoted(message: &str) -> Option<String> {
    let start = message.find(['"', '\''])?;
    let quote = message[start..].chars().next()?;
    let rest = &message[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_words_for_a_failed_condition_are_read() {
        assert_eq!(
            failed_condition(r#"Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]"#),
            Some(Condition::StartsWith {
                field: "key".into(),
                prefix: "uploads/".into()
            })
        );
        assert_eq!(
            failed_condition("Policy condition 'eq' for field 'Content-Type' failed: expected 'text/csv', got 'text/plain'"),
            Some(Condition::Eq {
                field: "content-type".into(),
                value: "text/csv".into()
            })
        );
        assert_eq!(failed_condition("Access Denied"), None);
        assert_eq!(
            extra_field("Invalid according to Policy: Extra input fields: x-amz-meta-note").as_deref(),
            Some("x-amz-meta-note")
        );
        assert_eq!(
            extra_field("Each form field that you specify in a form must appear in the list of policy conditions. \"x-amz-meta-note\" not specified in the policy.").as_deref(),
            Some("x-amz-meta-note")
        );
        assert_eq!(
            quoted("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.").as_deref(),
            Some("key")
        );
    }
}
