//! What the window and the command line show of a multipart set: one sentence under the field
//! (what it uploads to, in how many parts, how long its earliest link lasts) and the rows of
//! its details. Pure.

use jiff::Timestamp;

use crate::format;
use crate::link::parts::PartsSet;
use crate::link::{PresignedLink, target_name};
use crate::text::{T, fill, tr};
use crate::view::Verdict;

/// The link of the set that expires first (every link must still work when its turn comes).
fn earliest(set: &PartsSet) -> &PresignedLink {
    set.parts
        .iter()
        .map(|p| &p.link)
        .chain([&set.complete])
        .filter(|l| l.expires_at.is_some())
        .min_by_key(|l| l.expires_at)
        .unwrap_or(&set.complete)
}

/// `Multipart upload to playground/big.bin in 8 parts · valid for 1 h 58 min`.
pub fn parts_verdict(set: &PartsSet, now: Timestamp) -> Verdict {
    let link = super::verdict(earliest(set), now);
    let validity = link
        .text
        .split_once(" · ")
        .map(|(_, validity)| validity.to_owned())
        .unwrap_or_default();
    let purpose = fill(
        T::PurposeParts,
        &[
            ("target", &target_name(&set.complete)),
            ("count", &set.parts.len().to_string()),
        ],
    );
    Verdict {
        tone: link.tone,
        text: format!("{purpose} · {validity}"),
    }
}

/// The set's details, for a file of `len` bytes when one is chosen: where it goes, the upload's
/// id, the parts and how the file is cut, when the earliest link expires.
pub fn parts_rows(set: &PartsSet, len: Option<u64>, now: Timestamp) -> Vec<(T, String)> {
    let none = || tr(T::None_).to_owned();
    let complete = &set.complete;
    let mut rows = vec![
        (T::FieldHost, complete.host()),
        (T::FieldBucket, complete.bucket.clone().unwrap_or_else(none)),
        (T::FieldKey, complete.key.clone().unwrap_or_else(none)),
        (T::FieldUploadId, set.upload_id.clone()),
        (T::FieldParts, set.parts.len().to_string()),
    ];
    if let Some(len) = len {
        rows.push((
            T::FieldPartSize,
            match set.layout(len) {
                Ok(layout) => fill(
                    T::PartsLayout,
                    &[
                        ("size", &format::bytes(layout.part_size)),
                        ("last", &format::bytes(layout.last_size)),
                    ],
                ),
                Err(problem) => problem.to_string(),
            },
        ));
    } else if let Some(size) = set.part_size {
        rows.push((T::FieldPartSize, format::bytes(size)));
    }
    let first = earliest(set);
    if let Some(at) = first.expires_at {
        rows.push((T::FieldExpiresAt, format::datetime(at)));
        rows.push((T::FieldTimeLeft, crate::link::report::left_until(at, now)));
    }
    rows.push((
        T::FieldAccessKey,
        complete.access_key_id.clone().unwrap_or_else(none),
    ));
    rows.push((
        T::FieldAbortLink,
        tr(if set.abort.is_some() {
            T::AbortLinkGiven
        } else {
            T::AbortLinkNone
        })
        .to_owned(),
    ));
    rows
}

/// How a file of `len` bytes (`None`: none chosen yet) goes through `set`: its parts and their
/// size; with no file yet, that the type was set when the upload was started. `None` when the
/// file cannot fit the set (the button says why).
pub fn parts_note(set: &PartsSet, len: Option<u64>) -> Option<String> {
    let Some(len) = len else {
        return Some(tr(T::PartsTypeFixed).to_owned());
    };
    let layout = set.layout(len).ok()?;
    Some(fill(
        T::PartsPlanNote,
        &[
            ("count", &layout.count.to_string()),
            ("size", &format::bytes(layout.part_size)),
        ],
    ))
}

/// What is said when a multipart upload stopped because its links expired: what is kept, and
/// which parts (`numbers`) still need fresh links.
pub fn parts_need_links(numbers: &[u32], kept: u32, total: u32) -> String {
    fill(
        T::PartsNeedLinks,
        &[
            ("numbers", &number_runs(numbers)),
            ("kept", &kept.to_string()),
            ("total", &total.to_string()),
        ],
    )
}

/// Part numbers in runs: `3–5, 9, 12–14`.
fn number_runs(numbers: &[u32]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for n in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How far an upload in parts is: `done` of `total` parts arrived, `before` of them sent by
/// an earlier run.
pub fn parts_progress_line(done: u32, total: u32, before: u32) -> String {
    let (done, total_text, before_text) = (done.to_string(), total.to_string(), before.to_string());
    let values = [
        ("done", done.as_str()),
        ("total", total_text.as_str()),
        ("before", before_text.as_str()),
    ];
    match before {
        0 => fill(T::PartsArrivedLine, &values[..2]),
        _ => fill(T::PartsArrivedBefore, &values),
    }
}
/// A plain-text summary for a ticket: the sentence, every row, every link redacted.
pub fn parts_summary(set: &PartsSet, now: Timestamp) -> String {
    let mut out = format!("{}\n", parts_verdict(set, now).text);
    for (label, value) in parts_rows(set, None, now) {
        out.push_str(&crate::text::label_value(label, &value));
        out.push('\n');
    }
    for part in &set.parts {
        out.push_str(&format!("{} {}\n", part.number, part.link.redacted()));
    }
    out.push_str(&format!("complete {}\n", set.complete.redacted()));
    if let Some(abort) = &set.abort {
        out.push_str(&format!("abort {}\n", abort.redacted()));
    }
    out
}

/// `inspect --json` of a multipart set: every link redacted.
#[derive(Debug, serde::Serialize)]
pub struct PartsJson {
    /// `multipart`.
    pub kind: &'static str,
    /// The upload's id.
    pub upload_id: String,
    /// The bucket.
    pub bucket: Option<String>,
    /// The object's key.
    pub key: Option<String>,
    /// The part size the set states, in bytes.
    pub part_size: Option<u64>,
    /// When the earliest link expires.
    pub expires_at: Option<String>,
    /// Whether that has passed.
    pub expired: bool,
    /// Each part: its number and link, redacted.
    pub parts: Vec<PartJson>,
    /// The Complete link, redacted.
    pub complete: String,
    /// The abort link, redacted.
    pub abort: Option<String>,
}

/// One part of [`PartsJson`].
#[derive(Debug, serde::Serialize)]
pub struct PartJson {
    /// Its number.
    pub number: u32,
    /// Its link, redacted.
    pub link: String,
}

impl PartsJson {
    /// The report of `set` at `now`.
    pub fn new(set: &PartsSet, now: Timestamp) -> Self {
        let expires = earliest(set).expires_at;
        PartsJson {
            kind: "multipart",
            upload_id: set.upload_id.clone(),
            bucket: set.complete.bucket.clone(),
            key: set.complete.key.clone(),
            part_size: set.part_size,
            expires_at: expires.map(|at| at.to_string()),
            expired: expires.is_some_and(|at| at <= now),
            parts: set
                .parts
                .iter()
                .map(|p| PartJson {
                    number: p.number,
                    link: p.link.redacted(),
                })
                .collect(),
            complete: set.complete.redacted(),
            abort: set.abort.as_ref().map(PresignedLink::redacted),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    fn link(extra: &str, expires: u32) -> String {
        format!(
            "https://b.s3.amazonaws.com/big.bin?{extra}uploadId=U1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=ab"
        )
    }

    #[test]
    fn the_file_note_and_the_progress_line_say_how_the_parts_go() {
        let text = format!(
            "{}\n{}\n{}",
            link("partNumber=1&", 7200),
            link("partNumber=2&", 7200),
            link("", 7200)
        );
        let set = PartsSet::parse(&text).unwrap().unwrap();
        with_language(Language::ENGLISH, || {
            assert_eq!(
                parts_note(&set, None).as_deref(),
                Some(tr(T::PartsTypeFixed))
            );
            let note = parts_note(&set, Some(12 * 1024 * 1024)).unwrap();
            assert!(note.contains('2') && note.contains("6.29 MB"), "{note}");
            // A file too small for two parts has no note: the button says why.
            assert_eq!(parts_note(&set, Some(1024)), None);
            assert_eq!(parts_progress_line(6, 20, 0), "6 of 20 parts have arrived.");
            let need = parts_need_links(&[14, 3, 4, 5, 9, 12, 13], 7, 14);
            assert!(
                need.contains("Parts 3–5, 9, 12–14 still need fresh links"),
                "{need}"
            );
            assert!(need.contains("7 of 14 parts"), "{need}");
            assert_eq!(
                parts_progress_line(6, 20, 4),
                "6 of 20 parts have arrived (4 were already there)."
            );
        });
        with_language(Language::JAPANESE, || {
            assert_eq!(
                parts_progress_line(6, 20, 4),
                "20 個のパートのうち 6 個が届きました（うち 4 個は送信済みでした）。"
            );
        });
    }

    #[test]
    fn the_sentence_and_rows_speak_of_the_link_that_expires_first() {
        let text = format!(
            "{}\n{}\n{}",
            link("partNumber=1&", 7200),
            link("partNumber=2&", 600),
            link("", 7200)
        );
        let set = PartsSet::parse(&text).unwrap().unwrap();
        let now: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
        with_language(Language::ENGLISH, || {
            let verdict = parts_verdict(&set, now);
            assert_eq!(
                verdict.text,
                "Multipart upload to b/big.bin in 2 parts · valid for 10 min"
            );
            let rows = parts_rows(&set, Some(12 * 1024 * 1024), now);
            let row = |id| rows.iter().find(|(t, _)| *t == id).map(|(_, v)| v.clone());
            assert_eq!(row(T::FieldUploadId).as_deref(), Some("U1"));
            assert_eq!(row(T::FieldParts).as_deref(), Some("2"));
            assert_eq!(row(T::FieldTimeLeft).as_deref(), Some("10 min"));
            assert!(row(T::FieldPartSize).unwrap().contains("6.29 MB"));
            // No signature in anything shown.
            assert!(rows.iter().all(|(_, v)| !v.contains("Signature")));
            let summary = parts_summary(&set, now);
            let json = serde_json::to_string(&PartsJson::new(&set, now)).unwrap();
            for text in [summary, json] {
                assert!(text.contains("U1") && text.contains("REDACTED"), "{text}");
                assert!(!text.contains("Signature=ab"), "{text}");
            }
        });
        with_language(Language::JAPANESE, || {
            assert!(parts_verdict(&set, now).text.contains("2 個のパート"));
        });
    }
}
