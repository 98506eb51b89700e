//! What an upload through a form will meet, checked before sending: the policy's expiry, the
//! file's size, the key the file is stored under, its type, and fields the policy does not
//! cover (the storage refuses those). Also the fields to send, with the file type. Pure.

use jiff::Timestamp;

use super::{Condition, PostForm};

/// A check that cannot pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The policy expired at this time.
    Expired(Timestamp),
    /// The file is larger than the policy allows.
    TooLarge {
        /// The file's size.
        size: u64,
        /// The most the policy allows.
        max: u64,
    },
    /// The file is smaller than the policy allows.
    TooSmall {
        /// The file's size.
        size: u64,
        /// The least the policy allows.
        min: u64,
    },
    /// A field's value does not meet a condition (or the field is missing).
    Condition {
        /// The condition.
        condition: Condition,
        /// What would be sent, if anything.
        sent: Option<String>,
    },
    /// The form carries a field the policy does not cover.
    ExtraField(String),
    /// The form has no `key` field.
    MissingKey,
}

/// The file as it will be sent.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// Its name (for `${filename}`).
    pub file_name: &'a str,
    /// Its size.
    pub size: u64,
    /// The file type sent (`None`: none).
    pub content_type: Option<&'a str>,
}

/// Fields a form may carry that no condition covers: the signature and the access key, the
/// file, the policy itself, `x-ignore-*`; every other field needs one or the storage refuses
/// the form. The one rule for the checks before sending and the form's report.
pub(super) fn needs_no_condition(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "x-amz-signature"
            | "signature"
            | "awsaccesskeyid"
            | "googleaccessid"
            | "x-goog-signature"
            | "file"
            | "submit"
            | "policy"
            | "bucket"
    ) || name.starts_with("x-ignore-")
}

/// The file type the form fixes, when its policy says exactly which (`["eq", "$Content-Type",
/// …]`), else the one its own `Content-Type` field gives.
pub fn fixed_type(form: &PostForm) -> Option<String> {
    let from_policy = form.policy.as_ref().and_then(|p| {
        p.on("content-type").find_map(|c| match c {
            Condition::Eq { value, .. } => Some(value.clone()),
            _ => None,
        })
    });
    from_policy.or_else(|| form.field("content-type").map(str::to_owned))
}

/// Whether a file type can be sent at all: the form has the field, or its policy names it
/// (a field the policy does not cover is refused).
pub fn sends_type(form: &PostForm) -> bool {
    form.field("content-type").is_some()
        || form
            .policy
            .as_ref()
            .is_some_and(|p| p.on("content-type").next().is_some())
}

/// The fields to send, in the form's order: `${filename}` in the key replaced by the file's
/// name here (as Amazon S3 does on its side: every server then stores the same key); the file
/// type in the form's `Content-Type` field (added after the others when the policy asks for
/// one the form does not carry).
pub fn fields_to_send(
    form: &PostForm,
    file_name: &str,
    content_type: Option<&str>,
) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type") || content_type.is_some())
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case("content-type") {
                (name.clone(), content_type.unwrap_or_default().to_owned())
            } else if name.eq_ignore_ascii_case("key") {
                (name.clone(), value.replace("${filename}", file_name))
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect();
    if let Some(value) = content_type
        && form.field("content-type").is_none()
        && sends_type(form)
    {
        // Before the signature and the file, where SDK forms keep it.
        fields.push(("Content-Type".to_owned(), value.to_owned()));
    }
    fields
}

/// Every check of `upload` through `form` at `now` that cannot pass.
pub fn check(form: &PostForm, upload: &Upload<'_>, now: Timestamp) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(policy) = &form.policy else {
        if form.field("key").is_none() {
            problems.push(Problem::MissingKey);
        }
        return problems;
    };
    if policy.expiration <= now {
        problems.push(Problem::Expired(policy.expiration));
    }
    if let Some((min, max)) = policy.size_range() {
        if upload.size > max {
            problems.push(Problem::TooLarge {
                size: upload.size,
                max,
            });
        } else if upload.size < min {
            problems.push(Problem::TooSmall {
                size: upload.size,
                min,
            });
        }
    }
    if form.field("key").is_none() {
        problems.push(Problem::MissingKey);
    }
    let sent = fields_to_send(form, upload.file_name, upload.content_type);
    let value_of = |field: &str| -> Option<String> {
        match field {
            "key" => form.key_for(upload.file_name),
            "bucket" => form.bucket(),
            _ => sent
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(field))
                .map(|(_, v)| v.clone()),
        }
    };
    for condition in &policy.conditions {
        let Some(field) = condition.field() else {
            continue;
        };
        let value = value_of(field);
        let met = value.as_deref().is_some_and(|v| condition.allows(v))
            // `starts-with` an empty prefix allows a field left out.
            || matches!(condition, Condition::StartsWith { prefix, .. } if prefix.is_empty());
        if !met {
            problems.push(Problem::Condition {
                condition: condition.clone(),
                sent: value,
            });
        }
    }
    for (name, _) in &sent {
        if !needs_no_condition(name) && policy.on(name).next().is_none() {
            problems.push(Problem::ExtraField(name.clone()));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::tests::boto3_form;
    use super::*;

    fn form(extra: &str) -> PostForm {
        PostForm::parse(&boto3_form(extra)).unwrap().unwrap()
    }

    fn before() -> Timestamp {
        "2026-11-24T06:30:00Z".parse().unwrap()
    }

    fn upload(size: u64) -> Upload<'static> {
        Upload {
            file_name: "report.csv",
            size,
            content_type: None,
        }
    }

    #[test]
    fn a_file_that_meets_the_policy_passes() {
        assert_eq!(check(&form(""), &upload(100), before()), []);
    }

    #[test]
    fn each_check_that_cannot_pass_is_named() {
        let f = form("");
        assert_eq!(
            check(&f, &upload(100), "2026-11-24T08:00:00Z".parse().unwrap()),
            [Problem::Expired("2026-11-24T07:00:00Z".parse().unwrap())]
        );
        assert_eq!(
            check(&f, &upload(2 << 20), before()),
            [Problem::TooLarge {
                size: 2 << 20,
                max: 1_048_576
            }]
        );
        assert_eq!(
            check(&f, &upload(0), before()),
            [Problem::TooSmall { size: 0, min: 1 }]
        );
        // The type the policy fixes is what the form sends; another does not pass.
        let typed = form(r#", ["eq", "$Content-Type", "text/csv"]"#);
        assert_eq!(fixed_type(&typed).as_deref(), Some("text/csv"));
        let wrong = Upload {
            content_type: Some("text/plain"),
            ..upload(10)
        };
        assert!(matches!(
            check(&typed, &wrong, before()).as_slice(),
            [Problem::Condition { sent: Some(s), .. }] if s == "text/plain"
        ));
        // A key outside the prefix the policy sets.
        let mut off = form("");
        off.fields[0].1 = "other/${filename}".into();
        assert!(matches!(
            check(&off, &upload(10), before()).as_slice(),
            [Problem::Condition { condition: Condition::StartsWith { field, .. }, sent: Some(s) }]
                if field == "key" && s == "other/report.csv"
        ));
        // A field the policy does not cover.
        let mut extra = form("");
        extra.fields.push(("x-amz-meta-note".into(), "hi".into()));
        assert_eq!(
            check(&extra, &upload(10), before()),
            [Problem::ExtraField("x-amz-meta-note".into())]
        );
        // No key at all.
        let mut keyless = form("");
        keyless.fields.remove(0);
        assert!(check(&keyless, &upload(10), before()).contains(&Problem::MissingKey));
    }

    #[test]
    fn the_file_type_goes_in_a_field_only_where_the_policy_allows_one() {
        let plain = form("");
        assert!(!sends_type(&plain));
        assert!(
            fields_to_send(&plain, "a.csv", Some("text/csv"))
                .iter()
                .all(|(n, _)| n != "Content-Type")
        );
        let typed = form(r#", ["starts-with", "$Content-Type", "text/"]"#);
        let fields = fields_to_send(&typed, "a.csv", Some("text/csv"));
        assert_eq!(fields[0].1, "uploads/a.csv", "the key names the file");
        assert_eq!(
            fields.last().unwrap(),
            &("Content-Type".to_owned(), "text/csv".to_owned())
        );
        assert_eq!(
            check(
                &typed,
                &Upload {
                    content_type: Some("text/csv"),
                    ..upload(5)
                },
                before()
            ),
            []
        );
    }
}
