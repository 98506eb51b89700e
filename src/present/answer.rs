//! The server's answer as the details and a support ticket show it: bounded, redacted, in rows.

use super::progress::connections_line;
use crate::exchange::Plan;
use crate::format;
use crate::link::Operation;
use crate::text::{T, tr};

/// The most of a server's answer the details show as readable text.
pub const ANSWER_SHOWN_BYTES: usize = 64 * 1024;

/// `text` cut at `max_bytes` (on a character boundary), saying it was cut.
pub fn bounded(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let end = text.floor_char_boundary(max_bytes);
    format!("{}\n{}", &text[..end], tr(T::AnswerCut))
}

/// The request and what came back as text for a support ticket, redacted: the same in the
/// window's "Copy details" and on the terminal after a refusal.
pub fn ticket(plan: &Plan, outcome: &crate::exchange::Outcome) -> String {
    use crate::exchange::Outcome;
    let mut out = match outcome {
        Outcome::Refused(refusal) => plan.describe_refused(refusal),
        _ => plan.describe(),
    };
    let (status, facts, object) = match outcome {
        Outcome::Succeeded(success) => {
            out.push_str(&success.verification.describe());
            out.push('\n');
            if let Some(line) = connections_line(success) {
                out.push_str(&line);
                out.push('\n');
            }
            (
                success.status,
                &success.response,
                plan.operation() == Operation::Get,
            )
        }
        Outcome::Refused(refusal) => {
            out.push_str(&crate::diagnose::readable(&refusal.body));
            out.push('\n');
            (refusal.status, &refusal.response, false)
        }
        Outcome::Failed(error) => {
            out.push_str(&error.to_string());
            out.push('\n');
            return out;
        }
        Outcome::Cancelled => return out,
    };
    for (label, value) in fact_rows(status, facts, object) {
        out.push_str(&crate::text::label_value(label, &value));
        out.push('\n');
    }
    out
}

/// The response's facts a person reads, labelled; `object` adds the type and length, which
/// describe the object only in a download's answer.
pub fn fact_rows(
    status: u16,
    facts: &crate::exchange::ResponseFacts,
    object: bool,
) -> Vec<(T, String)> {
    let mut rows = vec![(T::Status, status.to_string())];
    if object && let Some(kind) = &facts.content_type {
        rows.push((T::ContentTypeLabel, kind.clone()));
    }
    if object && let Some(len) = facts.content_length {
        rows.push((T::ContentLength, format!("{len} ({})", format::bytes(len))));
    }
    let optional = [
        (T::ETag, &facts.etag),
        (T::VersionId, &facts.version_id),
        (T::RequestId, &facts.request_id),
        (T::HostId, &facts.host_id),
        (T::ServerDate, &facts.date),
        (T::FieldKey, &facts.key),
        (
            // After an upload form, the address is the stored object's, not a redirect.
            if (300..400).contains(&status) {
                T::Location
            } else {
                T::ObjectAddress
            },
            &facts.location,
        ),
    ];
    rows.extend(
        optional
            .into_iter()
            .filter_map(|(label, value)| value.clone().map(|v| (label, v))),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_cut_on_a_character_boundary_and_says_so() {
        assert_eq!(bounded("abcdef", 3), format!("abc\n{}", tr(T::AnswerCut)));
        assert_eq!(bounded("見積", 4), format!("見\n{}", tr(T::AnswerCut)));
        assert_eq!(bounded("abc", 3), "abc");
    }
}
