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
pub(super) fn causes(
    attempt: &Attempt<'_>,
    answer: &Answer<'_>,
    form: &PostForm,
    now: jiff::Timestamp,
) -> Option<Vec<Found>> {
    let code = answer.code().unwrap_or_default();
    // GCS puts the particulars in `Details`; read both as one text.
    let joined = [
        answer.body.message.as_deref(),
        answer.body.element("Details"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let message = joined.as_str();
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
        // The server's own figures first (`ProposedSize`, `MaxSizeAllowed`, `MinSizeAllowed`).
        let element = |name: &str| {
            answer
                .body
                .element(name)
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let size = element("ProposedSize")
            .or(attempt.file_len_bytes)
            .unwrap_or_default();
        let (policy_min, policy_max) = form
            .policy
            .as_ref()
            .and_then(|p| p.size_range())
            .unwrap_or((0, 0));
        let min = element("MinSizeAllowed").unwrap_or(policy_min);
        let max = element("MaxSizeAllowed").unwrap_or(policy_max);
        said(if code == "EntityTooLarge" {
            too_large(size, max)
        } else {
            too_small(size, min)
        })
    } else if lower.contains("must contain a field named") {
        let field = quoted(message).unwrap_or_else(|| "key".to_owned());
        said(Found::new(&kind::FORM_FIELD_MISSING).with("field", field))
    } else if code == "IncorrectNumberOfFilesInPostRequest" || lower.contains("exactly one file") {
        said(Found::new(&kind::FORM_FIELD_MISSING).with("field", form.file_field.clone()))
    } else if code == "MalformedPOSTRequest"
        || (matches!(
            code,
            "InvalidRequest" | "InvalidArgument" | "MalformedXML" | ""
        ) && [
            "file stream",
            "multipart",
            "form-data",
            "boundary",
            "well-formed",
        ]
        .iter()
        .any(|word| lower.contains(word)))
    {
        said(Found::new(&kind::FORM_UNREADABLE).with("message", message.trim().to_owned()))
    } else if code == "InvalidPolicyDocument"
        || lower.contains("conditions specified in the policy")
    {
        // The server says a condition failed without naming it: the checks PresignDesk makes
        // name the likely one; a policy that does not read was altered.
        return Some(unnamed_condition(attempt, form, now));
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
        Problem::Condition { condition, sent } => {
            local(condition_found(condition, sent.as_deref()))
        }
        Problem::ExtraField(field) => {
            local(Found::new(&kind::POLICY_EXTRA_FIELD).with("field", field.clone()))
        }
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
        Condition::Eq { field, value }
        | Condition::StartsWith {
            field,
            prefix: value,
        } if field == "content-type" => Found::new(&kind::POLICY_CONDITION_TYPE)
            .with("condition", value.clone())
            .with("sent", sent),
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

/// A refusal for a condition the server does not name: what PresignDesk's own checks of the
/// same upload find, as likely; else the policy itself, which may have been altered.
fn unnamed_condition(attempt: &Attempt<'_>, form: &PostForm, now: jiff::Timestamp) -> Vec<Found> {
    let Some(file_name) = attempt
        .file_name
        .as_deref()
        .filter(|_| form.policy.is_some())
    else {
        return vec![Found::new(&kind::ALTERED_FORM)];
    };
    let upload = crate::post::check::Upload {
        file_name,
        size: attempt.file_len_bytes.unwrap_or_default(),
        content_type: attempt.sent_content_type(),
    };
    let found: Vec<Found> = crate::post::check::check(form, &upload, now)
        .iter()
        .map(|problem| {
            let mut found = of_problem(form, problem);
            found.strength = super::cause::Strength::Likely;
            found.basis = Basis::Inference;
            found
        })
        .collect();
    if found.is_empty() {
        vec![Found::new(&kind::ALTERED_FORM).possible()]
    } else {
        found
    }
}

/// `Extra input fields: x-amz-meta-note` (Amazon), `"x" not specified in the policy` (others),
/// `Policy did not reference these fields: x` (GCS).
fn extra_field(message: &str) -> Option<String> {
    for lead in ["Extra input fields:", "did not reference these fields:"] {
        if let Some(at) = message.find(lead) {
            let rest = message[at + lead.len()..].trim();
            return Some(
                rest.trim_end_matches('.')
                    .split(',')
                    .next()?
                    .trim()
                    .to_owned(),
            );
        }
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
            "starts-with" => Condition::StartsWith {
                field,
                prefix: value,
            },
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
            "starts-with" => Condition::StartsWith {
                field,
                prefix: value,
            },
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
    use crate::exchange::ErrorBody;
    use crate::link::Operation;
    use base64::Engine as _;

    /// A form to `host` whose policy says `conditions`, signed an hour before it expires.
    fn form(host: &str, mut conditions: serde_json::Value) -> PostForm {
        let list = conditions.as_array_mut().unwrap();
        list.push(serde_json::json!({"x-amz-algorithm": "AWS4-HMAC-SHA256"}));
        list.push(serde_json::json!({"x-amz-credential": "AKIAEXAMPLE/20261203/eu-west-1/s3/aws4_request"}));
        list.push(serde_json::json!({"x-amz-date": "20261203T090000Z"}));
        let policy = serde_json::json!({
            "expiration": "2026-12-03T10:00:00.000Z",
            "conditions": conditions,
        });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let fields = [
            ("key", "uploads/${filename}"),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            (
                "x-amz-credential",
                "AKIAEXAMPLE/20261203/eu-west-1/s3/aws4_request",
            ),
            ("x-amz-date", "20261203T090000Z"),
            ("policy", &policy),
            ("x-amz-signature", "9f2c"),
        ];
        PostForm::from_fields(
            format!("https://{host}/"),
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            "file".into(),
            crate::post::Shape::Json,
        )
        .unwrap()
    }

    /// The first cause's id, strength and values for `body` answering an upload of
    /// `report.csv` (`size` bytes, sent as text/csv) through `form`.
    fn first(form: &PostForm, size: u64, status: u16, body: &str) -> (String, String, String) {
        let mut attempt = Attempt::new(None, Operation::Put).sending_content_type(Some("text/csv"));
        attempt.form = Some(form);
        attempt.file_name = Some("report.csv".into());
        attempt.file_len_bytes = Some(size);
        let body = ErrorBody::parse(body.as_bytes());
        let answer = Answer {
            status: Some(status),
            body: &body,
            date: Some("Thu, 03 Dec 2026 09:05:00 GMT"),
            error_code_header: None,
        };
        let now: jiff::Timestamp = "2026-12-03T09:05:00Z".parse().unwrap();
        let d = crate::text::with_language(crate::text::Language::ENGLISH, || {
            super::super::diagnose(&attempt, &answer, now)
        });
        let c = &d.causes[0];
        (
            c.id.as_str().to_owned(),
            format!("{:?}", c.strength).to_ascii_lowercase(),
            format!("{} {}", c.title, c.text),
        )
    }

    #[test]
    fn refusals_of_a_form_in_words_no_test_had_seen() {
        let s3 = form(
            "my-bucket.s3.amazonaws.com",
            serde_json::json!([
                {"bucket": "my-bucket"},
                ["starts-with", "$key", "uploads/"],
                ["content-length-range", 10, 100],
                ["starts-with", "$Content-Type", "image/"],
            ]),
        );
        // The server says a condition failed but not which: PresignDesk's own check names it.
        let (id, strength, text) = first(
            &s3,
            50,
            403,
            "<Error><Code>InvalidPolicyDocument</Code><Message>The content of the form does not meet the conditions specified in the policy document.</Message></Error>",
        );
        assert_eq!(
            (id.as_str(), strength.as_str()),
            ("policy-condition", "likely"),
            "{text}"
        );
        assert!(text.contains("image/"), "{text}");
        // GCS words for a field the policy does not cover, in Details.
        let (id, strength, text) = first(
            &s3,
            50,
            400,
            "<Error><Code>InvalidPolicyDocument</Code><Message>The content of the form does not meet the conditions specified in the policy document.</Message><Details>Policy did not reference these fields: x-goog-meta-owner</Details></Error>",
        );
        assert_eq!(
            (id.as_str(), strength.as_str()),
            ("policy-extra-field", "proven")
        );
        assert!(text.contains("x-goog-meta-owner"), "{text}");
        // The server's own figures for the size.
        let (id, _, text) = first(
            &s3,
            50,
            400,
            "<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>5000</ProposedSize><MaxSizeAllowed>4096</MaxSizeAllowed></Error>",
        );
        assert_eq!(id, "too-large");
        assert!(
            text.contains("5.00 kB") && text.contains("4.10 kB"),
            "{text}"
        );
        // No file found in the upload.
        let (id, _, text) = first(
            &s3,
            50,
            400,
            "<Error><Code>IncorrectNumberOfFilesInPostRequest</Code><Message>POST requires exactly one file upload per request.</Message></Error>",
        );
        assert_eq!(id, "form-field-missing");
        assert!(text.contains("file"), "{text}");
        // Signed for another region: the form's own region is named.
        let (id, _, text) = first(
            &s3,
            50,
            400,
            "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'eu-west-1' is wrong; expecting 'us-east-2'</Message><Region>us-east-2</Region></Error>",
        );
        assert_eq!(id, "wrong-region", "{text}");
        assert!(
            text.contains("us-east-2") && text.contains("eu-west-1"),
            "{text}"
        );
        // The storage could not read the form (s3s: "failed to read file stream").
        let (id, strength, text) = first(
            &s3,
            50,
            400,
            "<Error><Code>InvalidRequest</Code><Message>failed to read file stream</Message></Error>",
        );
        assert_eq!(
            (id.as_str(), strength.as_str()),
            ("form-unreadable", "proven")
        );
        assert!(
            text.contains("failed to read file stream") && !text.contains("Signature Version"),
            "{text}"
        );
        // Nothing PresignDesk checks fails: the policy itself is suspect.
        let (id, strength, _) = first(
            &form(
                "my-bucket.s3.amazonaws.com",
                serde_json::json!([["starts-with", "$key", "uploads/"]]),
            ),
            50,
            403,
            "<Error><Code>InvalidPolicyDocument</Code><Message>Invalid Policy: Invalid JSON.</Message></Error>",
        );
        assert_eq!(
            (id.as_str(), strength.as_str()),
            ("url-altered", "possible")
        );
    }

    #[test]
    fn the_servers_words_for_a_failed_condition_are_read() {
        assert_eq!(
            failed_condition(
                r#"Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]"#
            ),
            Some(Condition::StartsWith {
                field: "key".into(),
                prefix: "uploads/".into()
            })
        );
        assert_eq!(
            failed_condition(
                "Policy condition 'eq' for field 'Content-Type' failed: expected 'text/csv', got 'text/plain'"
            ),
            Some(Condition::Eq {
                field: "content-type".into(),
                value: "text/csv".into()
            })
        );
        assert_eq!(failed_condition("Access Denied"), None);
        assert_eq!(
            extra_field("Invalid according to Policy: Extra input fields: x-amz-meta-note")
                .as_deref(),
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
