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

/// The smallest limit any storage puts on one request (Amazon's 5 GiB, less Cloudflare's
/// margin, rounded down): a `MaxSizeAllowed` below it is a limit someone set, not the storage's.
const STORAGE_LIMIT_FLOOR: u64 = 4 << 30;

/// Words that only a refusal of a form upload uses, from Amazon, GCS, MinIO, SeaweedFS, Ceph and
/// others (lowercase).
const FORM_WORDS: &[&str] = &[
    "according to policy",
    "policy expired",
    "policy has expired",
    "policy is expired",
    "condition failed",
    "failed condition",
    "policy condition",
    "extra input fields",
    "did not reference these fields",
    "not specified in the policy",
    "missing condition",
    "must contain a field named",
    "exactly one file",
    "bucket post",
    "post policy",
    "policy document",
    "content-length-range",
    "bound on range",
    "enclosure-type",
    "invalid policy",
];

/// Codes only a form upload is refused with.
const FORM_CODES: &[&str] = &[
    "InvalidPolicyDocument",
    "IncorrectNumberOfFilesInPostRequest",
    "MalformedPOSTRequest",
    "MaxPostPreDataLengthExceededError",
    "EntityTooSmall",
];

/// The server's words: its message with GCS's `Details`, else the start of a body that is no
/// XML or JSON error.
fn words(answer: &Answer<'_>) -> String {
    let joined = [
        answer.body.message.as_deref(),
        answer.body.element("Details"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    if !joined.trim().is_empty() || answer.body.code.is_some() {
        return joined;
    }
    let text = &answer.body.text;
    text[..text.floor_char_boundary(2000)].to_owned()
}

/// Whether an answer is the refusal of a form upload by its own words (code or message),
/// whatever else is known: a form's action address carries no signature, so a form's refusal
/// read as a link's would blame the link.
pub(super) fn reads_as_form(answer: &Answer<'_>) -> bool {
    let code = answer.code().unwrap_or_default();
    if FORM_CODES.contains(&code) {
        return true;
    }
    let lower = words(answer).to_ascii_lowercase();
    if FORM_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // A size limit far below any storage's own is a policy's `content-length-range`.
    code == "EntityTooLarge"
        && answer
            .body
            .element("MaxSizeAllowed")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|max| max < STORAGE_LIMIT_FLOOR)
}

/// The causes a form's refusal shows, or `None` when it is no refusal about the form (a busy
/// server, say: the general reading applies, without the link's causes). `form` is the form
/// when it is known; without it the server's words alone are read.
pub(super) fn causes(
    attempt: &Attempt<'_>,
    answer: &Answer<'_>,
    form: Option<&PostForm>,
    now: jiff::Timestamp,
) -> Option<Vec<Found>> {
    let code = answer.code().unwrap_or_default();
    let message = words(answer);
    let message = message.as_str();
    let lower = message.to_ascii_lowercase();
    let said = |found: Found| found.proven(Basis::ServerSaid);
    let element = |name: &str| {
        answer
            .body
            .element(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let (policy_min, policy_max) = form
        .and_then(|f| f.policy.as_ref())
        .and_then(|p| p.size_range())
        .map_or((None, None), |(min, max)| (Some(min), Some(max)));
    let size = element("ProposedSize").or(attempt.file_len_bytes);
    let larger = code == "EntityTooLarge"
        || [
            "upper bound",
            "exceeds the maximum",
            "larger than the maximum",
            "too large",
        ]
        .iter()
        .any(|w| lower.contains(w));
    let smaller = code == "EntityTooSmall"
        || [
            "lower bound",
            "smaller than the minimum",
            "below the minimum",
            "too small",
        ]
        .iter()
        .any(|w| lower.contains(w));
    let found = if lower.contains("expired") && (lower.contains("policy") || code == "AccessDenied")
    {
        said(expired(form))
    } else if let Some(field) = extra_field(message) {
        said(Found::new(&kind::POLICY_EXTRA_FIELD).with("field", field))
    } else if let Some(condition) = failed_condition(message) {
        match condition {
            Condition::ContentLengthRange { min, max } => match size {
                Some(size) if size > max => said(form_too_large(Some(size), Some(max))),
                Some(size) if size < min => said(too_small(Some(size), Some(min))),
                _ => said(condition_cause(attempt, form, &condition)),
            },
            _ => said(condition_cause(attempt, form, &condition)),
        }
    } else if policy_unreadable(&lower) {
        said(Found::new(&kind::POLICY_UNREADABLE).with("message", message.trim().to_owned()))
    } else if larger {
        let max = element("MaxSizeAllowed");
        // Beyond what the storage takes in one request, not what the form's policy sets: the
        // storage's own limit, which a multipart upload gets round.
        let storage = match max {
            Some(max) => max >= STORAGE_LIMIT_FLOOR && policy_max != Some(max),
            None => policy_max.is_none() && size.is_some_and(|s| s > 5 << 30),
        };
        said(if storage {
            too_large(size.unwrap_or_default(), max.unwrap_or(5 << 30))
        } else {
            form_too_large(size, max.or(policy_max))
        })
    } else if smaller {
        said(too_small(size, element("MinSizeAllowed").or(policy_min)))
    } else if lower.contains("must contain a field named") {
        let field = quoted(message).unwrap_or_else(|| "key".to_owned());
        said(Found::new(&kind::FORM_FIELD_MISSING).with("field", field))
    } else if code == "IncorrectNumberOfFilesInPostRequest" || lower.contains("exactly one file") {
        let field = form.map_or("file", |f| f.file_field.as_str());
        said(Found::new(&kind::FORM_FIELD_MISSING).with("field", field))
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
        || lower.contains("according to policy")
    {
        // The server says a condition failed without naming it: the checks PresignDesk makes
        // name the likely one; a policy that does not read was altered.
        return Some(match form {
            Some(form) => unnamed_condition(attempt, form, now),
            None => vec![said(Found::new(&kind::POLICY_CONDITION_UNNAMED))],
        });
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
        Problem::Expired(_) => local(expired(Some(form))),
        Problem::TooLarge { size, max } => local(form_too_large(Some(*size), Some(*max))),
        Problem::TooSmall { size, min } => local(too_small(Some(*size), Some(*min))),
        Problem::Condition { condition, sent } => {
            local(condition_found(condition, sent.as_deref()))
        }
        Problem::ExtraField(field) => {
            local(Found::new(&kind::POLICY_EXTRA_FIELD).with("field", field.clone()))
        }
        Problem::MissingKey => local(Found::new(&kind::FORM_FIELD_MISSING).with("field", "key")),
    }
}

fn expired(form: Option<&PostForm>) -> Found {
    match form.and_then(PostForm::expires_at) {
        Some(at) => Found::new(&kind::POLICY_EXPIRED).with("at", format::datetime(at)),
        None => Found::new(&kind::POLICY_EXPIRED_PLAIN),
    }
}

/// The storage's own limit on one request, which a multipart upload gets round.
fn too_large(size: u64, max: u64) -> Found {
    Found::new(&kind::TOO_LARGE)
        .with("size", format::bytes(size))
        .with("max", format::bytes(max))
}

/// The form's own limit (its `content-length-range`), which only another form lifts.
fn form_too_large(size: Option<u64>, max: Option<u64>) -> Found {
    match (size, max) {
        (Some(size), Some(max)) if max > 0 => Found::new(&kind::FORM_TOO_LARGE)
            .with("size", format::bytes(size))
            .with("max", format::bytes(max)),
        _ => Found::new(&kind::FORM_TOO_LARGE_PLAIN),
    }
}

fn too_small(size: Option<u64>, min: Option<u64>) -> Found {
    match (size, min) {
        (Some(size), Some(min)) if min > 0 => Found::new(&kind::TOO_SMALL)
            .with("size", format::bytes(size))
            .with("min", format::bytes(min)),
        _ => Found::new(&kind::TOO_SMALL_PLAIN),
    }
}

/// A condition in words (`the field key to begin with "uploads/"`); a secret's value hidden.
fn condition_words(condition: &Condition) -> String {
    crate::post::report::condition_phrase(condition, crate::post::report::Phrasing::Required)
}

/// The file type a condition asks for, in words, when it is about the file type.
fn type_words(condition: &Condition) -> Option<String> {
    use crate::text::{T, fill};
    match condition {
        Condition::Eq { field, value } if field == "content-type" => {
            Some(fill(T::TypeExact, &[("value", value)]))
        }
        Condition::StartsWith { field, prefix } if field == "content-type" => {
            Some(fill(T::TypePrefix, &[("value", prefix)]))
        }
        _ => None,
    }
}

/// A condition and what was sent for its field (`None`: nothing was).
fn condition_found(condition: &Condition, sent: Option<&str>) -> Found {
    let none = || crate::text::tr(crate::text::T::NotSentNone).to_owned();
    let sent = sent.map(str::to_owned).unwrap_or_else(none);
    match type_words(condition) {
        Some(wanted) => Found::new(&kind::POLICY_CONDITION_TYPE)
            .with("condition", wanted)
            .with("sent", sent),
        None => Found::new(&kind::POLICY_CONDITION)
            .with("condition", condition_words(condition))
            .with("sent", sent),
    }
}

/// The failed condition the server names, with what the attempt sent for its field: from the
/// form when it is known, else only what the attempt says it sent (the condition alone, when
/// nothing is known of what was sent).
fn condition_cause(attempt: &Attempt<'_>, form: Option<&PostForm>, condition: &Condition) -> Found {
    let field = condition.field().unwrap_or_default();
    let sent_type = attempt.sent_content_type().map(str::to_owned);
    let Some(form) = form else {
        return match (type_words(condition), sent_type) {
            (Some(_), Some(sent)) => condition_found(condition, Some(&sent)),
            (Some(wanted), None) => {
                Found::new(&kind::POLICY_CONDITION_TYPE_STATED).with("condition", wanted)
            }
            (None, _) => Found::new(&kind::POLICY_CONDITION_STATED)
                .with("condition", condition_words(condition)),
        };
    };
    let sent = match field {
        "content-type" => sent_type.or_else(|| form.field("content-type").map(str::to_owned)),
        "key" => attempt
            .file_name
            .as_deref()
            .and_then(|name| form.key_for(name))
            .or_else(|| form.field("key").map(str::to_owned)),
        _ if crate::post::is_secret_field(field) => form
            .field(field)
            .map(|_| crate::secret::REDACTED.to_owned()),
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

/// Whether the server says the policy itself does not read (lowercase words): Amazon's
/// `Invalid Policy: Invalid JSON.`, `… Invalid Base64 Encoding.`, `… Missing 'expiration'
/// field`, and the parse and decode failures of other servers.
fn policy_unreadable(lower: &str) -> bool {
    let about_policy = lower.contains("policy");
    lower.contains("invalid policy")
        || about_policy
            && [
                "parse",
                "decode",
                "malformed",
                "not valid json",
                "invalid json",
                "base64",
                "missing 'expiration'",
                "missing expiration",
            ]
            .iter()
            .any(|w| lower.contains(w))
}

/// `Extra input fields: x-amz-meta-note` (Amazon, MinIO, SeaweedFS), `"x" not specified in the
/// policy` (MinIO), `Policy did not reference these fields: x` (GCS), `Policy missing condition:
/// x` (Ceph).
fn extra_field(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    for lead in [
        "extra input fields:",
        "did not reference these fields:",
        "missing condition:",
    ] {
        if let Some(at) = lower.find(lead) {
            let rest = message[at + lead.len()..].trim();
            let field = rest
                .split([',', ' ', ']', '['])
                .map(|w| w.trim_matches(|c: char| "\"'.;:".contains(c)))
                .find(|w| !w.is_empty())?;
            return Some(field.to_owned());
        }
    }
    if lower.contains("not specified in the policy") {
        return quoted(message);
    }
    None
}

/// The condition a server names as failed, however it writes it: `Policy Condition failed:
/// ["starts-with", "$key", "uploads/"]` (Amazon, GCS), `[eq, $key, x]` (MinIO, SeaweedFS),
/// `Policy condition failed: eq: $key, x` (Ceph), `Failed condition: starts-with $key x`,
/// `Policy condition 'eq' for field 'key' failed: expected 'x', got 'y'`.
fn failed_condition(message: &str) -> Option<Condition> {
    let lower = message.to_ascii_lowercase();
    if lower.starts_with("policy condition '") && lower.contains("failed") {
        let mut quotes = message.split('\'').skip(1).step_by(2);
        let op = quotes.next()?;
        let field = quotes.next()?;
        let value = quotes.next().unwrap_or_default();
        return condition_of(op, field, value);
    }
    let lead = ["condition failed", "failed condition"]
        .iter()
        .find_map(|lead| lower.find(lead).map(|at| at + lead.len()))?;
    let written = message[lead..].trim_start_matches([':', ' ']).trim();
    // As JSON, the way Amazon writes it.
    let json_end = written.find(']').map_or(written.len(), |at| at + 1);
    if let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(&written[..json_end]) {
        let text = |i: usize| match items.get(i) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
            None => None,
        };
        return condition_of(&text(0)?, &text(1)?, &text(2).unwrap_or_default());
    }
    // Else as words: the operator, the field, the rest up to the list's end.
    let written = written.trim_start_matches('[');
    let is_gap = |c: char| c.is_whitespace() || ",:\"'[".contains(c);
    let op_end = written.find(is_gap).unwrap_or(written.len());
    let (op, rest) = written.split_at(op_end);
    let rest = rest.trim_start_matches(is_gap);
    let field_end = rest
        .find(|c: char| is_gap(c) || c == ']')
        .unwrap_or(rest.len());
    let (field, rest) = rest.split_at(field_end);
    let rest = rest.trim_start_matches(is_gap);
    // Up to the list's end; without one, the sentence's end.
    let value = match rest.find(']') {
        Some(end) => rest[..end].trim(),
        None => rest.trim().trim_end_matches('.'),
    };
    let value = value.trim_matches(['"', '\'']);
    condition_of(op, field, value)
}

/// A condition from its operator, field and value as a server wrote them.
fn condition_of(op: &str, field: &str, value: &str) -> Option<Condition> {
    let op = op.trim().to_ascii_lowercase().replace('_', "-");
    let number = |text: &str| text.trim().trim_matches('"').parse::<u64>().ok();
    if op == "content-length-range" {
        return Some(Condition::ContentLengthRange {
            min: number(field)?,
            max: number(value)?,
        });
    }
    let field = crate::post::policy::normalize(field.trim());
    if field.is_empty() || field.contains(char::is_whitespace) {
        return None;
    }
    let value = value.to_owned();
    match op.as_str() {
        "eq" => Some(Condition::Eq { field, value }),
        "starts-with" | "startswith" => Some(Condition::StartsWith {
            field,
            prefix: value,
        }),
        _ => None,
    }
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
        // The storage says the policy does not read: it was damaged, whatever the form holds.
        let (id, strength, text) = first(
            &form(
                "my-bucket.s3.amazonaws.com",
                serde_json::json!([["starts-with", "$key", "uploads/"]]),
            ),
            50,
            403,
            "<Error><Code>InvalidPolicyDocument</Code><Message>Invalid Policy: Invalid JSON.</Message></Error>",
        );
        assert_eq!((id.as_str(), strength.as_str()), ("url-altered", "proven"));
        assert!(text.contains("Invalid JSON"), "{text}");
        // Nothing PresignDesk checks fails and the storage names nothing: the policy is suspect.
        let (id, strength, _) = first(
            &form(
                "my-bucket.s3.amazonaws.com",
                serde_json::json!([["starts-with", "$key", "uploads/"]]),
            ),
            50,
            403,
            "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy</Message></Error>",
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
