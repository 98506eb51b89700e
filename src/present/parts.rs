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
        });
        with_language(Language::JAPANESE, || {
            assert!(parts_verdict(&set, now).text.contains("2 個のパート"));
        });
    }
}
