//! Time as servers tell it, and the time to judge a link by: a server's time in any of the forms
//! servers write it, this computer's clock against the server's, and the countdown following the
//! server's clock when the two are far apart. Below the engine and the explainer, which both
//! judge expiry by it. Pure.

use jiff::Timestamp;

/// A time as servers write it: ISO 8601, the compact `20261123T090000Z`, Unix seconds or
/// milliseconds, or an HTTP date.
pub fn parse_server_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    if let Some(at) = crate::link::parse_compact_time(text) {
        return Some(at);
    }
    if !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        return if text.len() >= 12 {
            Timestamp::from_millisecond(n).ok()
        } else {
            Timestamp::from_second(n).ok()
        };
    }
    jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp())
}

/// This computer's clock minus the server's, from an answer's `Date` (for the countdown,
/// which follows the server's clock when the two are far apart).
pub fn this_computer_offset_secs(now: Timestamp, server_date: Option<&str>) -> Option<i64> {
    let server = server_date.and_then(parse_server_time)?;
    Some(now.as_second() - server.as_second())
}

/// The time to judge a link by and the `clock-skew` finding: far from the server's clock
/// (`offset_secs`: this computer's minus the server's, from the last answer's `Date`), this
/// computer's clock gives way to the server's.
pub fn on_server_clock(
    now: Timestamp,
    offset_secs: Option<i64>,
) -> (Timestamp, Option<crate::link::Finding>) {
    match offset_secs.and_then(|offset| {
        crate::link::findings::clock_skew(offset).map(|finding| (offset, finding))
    }) {
        Some((offset, finding)) => (now - jiff::SignedDuration::from_secs(offset), Some(finding)),
        None => (now, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    #[test]
    fn server_times_in_every_form() {
        let at: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
        for text in [
            "2026-11-24T06:00:00Z",
            "20261124T060000Z",
            "1795500000",
            "1795500000000",
            "Tue, 24 Nov 2026 06:00:00 GMT",
        ] {
            assert_eq!(parse_server_time(text), Some(at), "{text}");
        }
        assert_eq!(parse_server_time("soon"), None);
        assert_eq!(
            this_computer_offset_secs(
                at + jiff::SignedDuration::from_secs(90),
                Some("20261124T060000Z")
            ),
            Some(90)
        );
    }

    #[test]
    fn a_far_server_clock_takes_over_the_countdown_and_says_so() {
        let now: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
        assert_eq!(on_server_clock(now, None), (now, None));
        // Within 5 minutes: this computer's clock stands, nothing to say.
        assert_eq!(on_server_clock(now, Some(300)), (now, None));
        assert_eq!(on_server_clock(now, Some(-300)), (now, None));
        // Ahead by 9 hours: the link is judged on the server's time.
        let (judged, finding) =
            with_language(Language::ENGLISH, || on_server_clock(now, Some(32_400)));
        assert_eq!(judged, "2026-11-23T21:00:00Z".parse().unwrap());
        let finding = finding.expect("a clock-skew finding");
        assert_eq!(finding.id.as_str(), "clock-skew");
        assert!(
            finding.message.contains("9 h 0 min ahead"),
            "{}",
            finding.message
        );
        let (judged, finding) = on_server_clock(now, Some(-600));
        assert_eq!(judged, "2026-11-24T06:10:00Z".parse().unwrap());
        assert!(finding.is_some());
    }
}
