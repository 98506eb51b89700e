//! The one sentence under a link, when its countdown next changes, and what a check of the link says.

use crate::format;
use crate::link::target_name;
use crate::link::{ExpiryStatus, Operation, PresignedLink};
use crate::text::{T, fill, tr};
use crate::view::{Tone, Verdict};
use jiff::Timestamp;
use std::time::Duration;

/// Links this close to their end are shown as needing attention.
const EXPIRY_WARNING_SECS: i64 = 300;

/// The one sentence under the link.
pub fn verdict(link: &PresignedLink, now: Timestamp) -> Verdict {
    let target = target_name(link);
    let purpose = match link.operation {
        Some(Operation::Put) => fill(T::PurposeUpload, &[("target", &target)]),
        Some(Operation::Get) => fill(T::PurposeDownload, &[("target", &target)]),
        None => fill(T::PurposeUnknown, &[("target", &target)]),
    };
    let (mut tone, mut validity) = match link.expiry_status(now) {
        ExpiryStatus::Valid { secs_left } => (
            if secs_left < EXPIRY_WARNING_SECS {
                Tone::Warning
            } else {
                Tone::Good
            },
            fill(T::ValidFor, &[("span", &format::countdown(secs_left))]),
        ),
        ExpiryStatus::Expired { secs_ago } => (
            Tone::Bad,
            fill(T::ExpiredSince, &[("span", &format::countdown(secs_ago))]),
        ),
        ExpiryStatus::Unknown => (Tone::Neutral, tr(T::NoExpiry).to_owned()),
    };
    // A link that cannot work as it is (cut short, no signature…) is not shown as good, however
    // long its validity.
    if tone != Tone::Bad
        && !crate::link::findings::cannot_work(&link.findings(now, link.operation)).is_empty()
    {
        tone = Tone::Bad;
    }
    // Temporary credentials can end the link before its stated expiry: the sentence says so.
    if link.credential_kind() == crate::link::CredentialKind::Temporary && !link.is_expired(now) {
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

/// How long until the countdown's text changes, so the window repaints then and not before:
/// at the next whole minute of the time left, or the next second in the last ten minutes.
/// `None` when the link states no expiry.
pub fn countdown_changes_in(link: &PresignedLink, now: Timestamp) -> Option<Duration> {
    countdown_changes_for(link.expires_at, now)
}

/// [`countdown_changes_in`] for whatever expires at `expires_at` (an upload form, say).
pub fn countdown_changes_for(expires_at: Option<Timestamp>, now: Timestamp) -> Option<Duration> {
    let secs_left = expires_at?.as_second().saturating_sub(now.as_second());
    // Whole seconds tick when `now` reaches its next second.
    let to_next_second = 1_000 - i64::from(now.subsec_nanosecond() / 1_000_000);
    let shown_to_the_second = secs_left.abs() < format::COUNTDOWN_SECONDS_WITHIN;
    let whole_seconds = if shown_to_the_second {
        0
    } else if secs_left > 0 {
        // "59 min" becomes "58 min" once the seconds left fall below the minute.
        secs_left % 60
    } else {
        // "expired 3 min ago" becomes "4 min" once the seconds since reach the next minute.
        59 - (-secs_left) % 60
    };
    let ms = whole_seconds * 1_000 + to_next_second;
    Some(Duration::from_millis(ms.max(1) as u64))
}

/// Whether "check" may send the link: a download link, or one that does not say, is tried for
/// its first byte; an upload link cannot be tried without writing, so it is only inspected.
pub fn check_sends_probe(link: &PresignedLink) -> bool {
    link.operation != Some(Operation::Put)
}

/// What a successful check proved, in one sentence.
pub fn check_ok_line(link: &PresignedLink, size: Option<u64>, etag: Option<&str>) -> String {
    fill(
        T::CheckOk,
        &[
            ("target", &target_name(link)),
            (
                "size",
                &size.map(format::bytes).unwrap_or_else(|| "?".into()),
            ),
            ("etag", etag.unwrap_or(tr(T::None_))),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::tests_common::LINK;
    use crate::present::tests_common::at;
    use crate::text::{Language, with_language};

    #[test]
    fn the_verdict_says_purpose_target_and_validity() {
        let link = PresignedLink::parse(LINK).unwrap();
        with_language(Language::ENGLISH, || {
            let v = verdict(&link, at("2026-11-24T06:00:30Z"));
            assert_eq!(
                v.text,
                "Upload link for fa-106/見積.csv · valid for 1 h 59 min"
            );
            assert_eq!(v.tone, Tone::Good);
            let v = verdict(&link, at("2026-11-24T07:57:00Z"));
            assert_eq!(
                (v.tone, v.text.ends_with("valid for 3 min 0 s")),
                (Tone::Warning, true)
            );
            let v = verdict(&link, at("2026-11-24T08:30:00Z"));
            assert_eq!(
                (v.tone, v.text.ends_with("expired 30 min ago")),
                (Tone::Bad, true)
            );
        });
        let japanese = with_language(Language::JAPANESE, || {
            verdict(&link, at("2026-11-24T06:00:30Z")).text
        });
        assert!(japanese.contains("fa-106/見積.csv") && japanese.contains("1時間59分"));
    }

    #[test]
    fn the_countdown_repaints_when_its_text_changes_and_not_before() {
        let link = PresignedLink::parse(LINK).unwrap();
        let ms = |now: &str| countdown_changes_in(&link, at(now)).unwrap().as_millis();
        // 1 h 59 min 30 s left (in whole seconds): "1 h 58 min" once 1 h 58 min 59 s are left,
        // at 06:01:01, in 30.75 s.
        assert_eq!(ms("2026-11-24T06:00:30.250Z"), 30_750);
        // Exactly on a minute: the text changes at the next second.
        assert_eq!(ms("2026-11-24T06:01:00Z"), 1_000);
        // In the last ten minutes, every second.
        assert_eq!(ms("2026-11-24T07:55:00.400Z"), 600);
        // Expired 10 min 20 s ago: "10 min" becomes "11 min" in 40 s.
        assert_eq!(ms("2026-11-24T08:10:20Z"), 40_000);
        let unlimited = PresignedLink::parse("https://example.com/file.zip").unwrap();
        assert_eq!(
            countdown_changes_in(&unlimited, at("2026-11-24T06:00:00Z")),
            None
        );
        // Repainting at each change shows every value the countdown takes.
        let mut now = at("2026-11-24T06:00:30.250Z");
        let mut shown = Vec::new();
        while now < at("2026-11-24T06:05:00Z") {
            shown.push(with_language(Language::ENGLISH, || {
                verdict(&link, now).text
            }));
            now = now
                .checked_add(countdown_changes_in(&link, now).unwrap())
                .unwrap();
        }
        assert_eq!(shown.len(), 5, "{shown:#?}");
    }

    #[test]
    fn a_link_that_cannot_work_is_not_shown_as_good() {
        let cut = LINK.replace("&X-Amz-Signature=abc123", "");
        let link = PresignedLink::parse(&cut).unwrap();
        assert_eq!(verdict(&link, at("2026-11-24T06:00:30Z")).tone, Tone::Bad);
    }

    #[test]
    fn temporary_credentials_are_in_the_sentence() {
        let temp = LINK.replace("AKIAEXAMPLE", "ASIAEXAMPLE");
        let link = PresignedLink::parse(&temp).unwrap();
        with_language(Language::ENGLISH, || {
            let v = verdict(&link, at("2026-11-24T06:00:30Z"));
            assert!(v.text.contains("valid for 1 h 59 min"), "{}", v.text);
            assert!(v.text.contains("temporary credentials"), "{}", v.text);
            assert_eq!(v.tone, Tone::Warning);
        });
    }

    #[test]
    fn only_links_that_may_be_downloads_are_probed() {
        let upload = PresignedLink::parse(LINK).unwrap();
        assert!(!check_sends_probe(&upload));
        let download = PresignedLink::parse(&LINK.replace("PutObject", "GetObject")).unwrap();
        assert!(check_sends_probe(&download));
        let unsaid = PresignedLink::parse(&LINK.replace("&x-id=PutObject", "")).unwrap();
        assert!(check_sends_probe(&unsaid));
    }
}
