//! A form's policy: the base64 JSON that says until when the form may be used and what every
//! upload through it must meet. Pure.

use base64::Engine as _;
use jiff::Timestamp;

/// One condition of a policy. Field names are lowercase, without `$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The field must have exactly this value (`{"bucket": "b"}`, `["eq", "$key", "k"]`).
    Eq {
        /// The field.
        field: String,
        /// Its value.
        value: String,
    },
    /// The field must start with this (`["starts-with", "$key", "uploads/"]`); empty: any.
    StartsWith {
        /// The field.
        field: String,
        /// The prefix.
        prefix: String,
    },
    /// The file's size in bytes must lie in `min..=max`.
    ContentLengthRange {
        /// Smallest size allowed.
        min: u64,
        /// Largest size allowed.
        max: u64,
    },
}

impl Condition {
    /// The field the condition is about (none for the size).
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Eq { field, .. } | Condition::StartsWith { field, .. } => Some(field),
            Condition::ContentLengthRange { .. } => None,
        }
    }

    /// Whether `value` of the condition's field meets it.
    pub fn allows(&self, value: &str) -> bool {
        match self {
            Condition::Eq { value: wanted, .. } => wanted == value,
            Condition::StartsWith { prefix, .. } => value.starts_with(prefix.as_str()),
            Condition::ContentLengthRange { .. } => true,
        }
    }

    /// The condition as a policy writes it: `["starts-with", "$key", "uploads/"]`.
    pub fn as_written(&self) -> String {
        match self {
            Condition::Eq { field, .. } if super::is_secret_field(field) => {
                format!("[\"eq\", \"${field}\", \"{}\"]", crate::secret::REDACTED)
            }
            Condition::Eq { field, value } => format!("[\"eq\", \"${field}\", \"{value}\"]"),
            Condition::StartsWith { field, prefix } => {
                format!("[\"starts-with\", \"${field}\", \"{prefix}\"]")
            }
            Condition::ContentLengthRange { min, max } => {
                format!("[\"content-length-range\", {min}, {max}]")
            }
        }
    }
}

/// A decoded policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Until when the form may be used.
    pub expiration: Timestamp,
    /// What every upload must meet.
    pub conditions: Vec<Condition>,
}

impl Policy {
    /// Decodes a policy field's value.
    pub fn decode(base64_text: &str) -> Option<Policy> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64_text.trim())
            .ok()?;
        let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let expiration = json.get("expiration")?.as_str()?.parse().ok()?;
        let mut conditions = Vec::new();
        for condition in json.get("conditions")?.as_array()? {
            match condition {
                serde_json::Value::Object(map) => {
                    for (field, value) in map {
                        conditions.push(Condition::Eq {
                            field: normalize(field),
                            value: text(value)?,
                        });
                    }
                }
                serde_json::Value::Array(items) => {
                    let op = items.first()?.as_str()?.to_ascii_lowercase();
                    match op.as_str() {
                        "eq" => conditions.push(Condition::Eq {
                            field: normalize(items.get(1)?.as_str()?),
                            value: text(items.get(2)?)?,
                        }),
                        "starts-with" => conditions.push(Condition::StartsWith {
                            field: normalize(items.get(1)?.as_str()?),
                            prefix: text(items.get(2)?)?,
                        }),
                        "content-length-range" => conditions.push(Condition::ContentLengthRange {
                            min: number(items.get(1)?)?,
                            max: number(items.get(2)?)?,
                        }),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        Some(Policy {
            expiration,
            conditions,
        })
    }

    /// The conditions on `field`.
    pub fn on(&self, field: &str) -> impl Iterator<Item = &Condition> {
        let field = normalize(field);
        self.conditions
            .iter()
            .filter(move |c| c.field() == Some(field.as_str()))
    }

    /// The size range, when the policy sets one.
    pub fn size_range(&self) -> Option<(u64, u64)> {
        self.conditions.iter().find_map(|c| match c {
            Condition::ContentLengthRange { min, max } => Some((*min, *max)),
            _ => None,
        })
    }
}

/// `$Content-Type` → `content-type`.
pub fn normalize(field: &str) -> String {
    field.trim_start_matches('$').to_ascii_lowercase()
}

fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(json: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(json)
    }

    #[test]
    fn every_kind_of_condition_is_read() {
        let policy = Policy::decode(&encode(
            r#"{"expiration": "2026-11-24T07:00:00.000Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "uploads/"], ["eq", "$Content-Type", "text/csv"], ["content-length-range", 1, "1048576"], {"success_action_status": "201", "x-amz-algorithm": "AWS4-HMAC-SHA256"}]}"#,
        ))
        .unwrap();
        assert_eq!(policy.expiration, "2026-11-24T07:00:00Z".parse().unwrap());
        assert_eq!(policy.size_range(), Some((1, 1_048_576)));
        assert_eq!(
            policy.on("key").next(),
            Some(&Condition::StartsWith {
                field: "key".into(),
                prefix: "uploads/".into()
            })
        );
        assert!(
            policy
                .on("$CONTENT-TYPE")
                .next()
                .unwrap()
                .allows("text/csv")
        );
        assert!(
            !policy
                .on("content-type")
                .next()
                .unwrap()
                .allows("text/plain")
        );
        assert_eq!(policy.conditions.len(), 6);
        assert_eq!(
            policy.on("key").next().unwrap().as_written(),
            r#"["starts-with", "$key", "uploads/"]"#
        );
    }

    #[test]
    fn a_broken_policy_is_none() {
        for text in [
            "",
            "!!",
            &encode("{}"),
            &encode(r#"{"expiration": "soon", "conditions": []}"#),
            &encode(r#"{"expiration": "2026-11-24T07:00:00Z", "conditions": [["between", 1, 2]]}"#),
        ] {
            assert_eq!(Policy::decode(text), None, "{text}");
        }
    }
}
