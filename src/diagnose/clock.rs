//! Time as evidence: the signer's clock (the time the link carries), the best clock available to
//! judge it by (the answer's `ServerTime`, else its `Date`, else this computer's), and the
//! causes they show. This computer's clock may measure a link's age; it never becomes a cause,
//! since a presigned link carries its signer's time. Pure.

use jiff::Timestamp;

use crate::clock::parse_server_time;

use super::attempt::Answer;
use super::cause::{Basis, Found, kind};
use crate::exchange::ErrorBody;
use crate::format;
use crate::link::{PresignedLink, Provider};
use crate::text::{T, fill};

/// The window S3 allows between a request's time and the server's: 15 minutes.
pub const REQUEST_WINDOW_SECS: i64 = 900;
/// How far from a whole number of half hours an offset may be and still be said as that number.
const ROUNDING_SECS: i64 = 120;

/// The times a signed request carries: when it was signed and when it expires, from a link or
/// an upload form's policy, and whether Amazon itself serves it (Amazon never applies its
/// request window to presigned requests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Signed {
    pub at: Option<Timestamp>,
    pub expires: Option<Timestamp>,
    pub amazon: bool,
}

impl Signed {
    pub fn of_link(link: &PresignedLink) -> Self {
        Signed {
            at: link.signed_at,
            expires: link.expires_at,
            amazon: link.provider == Provider::Aws,
        }
    }

    pub fn of_form(form: &crate::post::PostForm) -> Self {
        Signed {
            at: form.signer.signed_at,
            expires: form.expires_at(),
            amazon: form.provider == Provider::Aws,
        }
    }
}

/// Where the clock used to judge came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The server's clock, as its answer states it.
    Server,
    /// This computer's: good for a link's age, never for blame.
    ThisComputer,
}

/// The server's clock, from the body (`ServerTime`) or else the `Date` header.
pub(super) fn server_time(answer: &Answer<'_>) -> Option<Timestamp> {
    answer
        .body
        .element("ServerTime")
        .and_then(parse_server_time)
        .or_else(|| answer.date.and_then(parse_server_time))
}

/// The best clock there is: the server's, else this computer's.
pub(super) fn best_clock(answer: &Answer<'_>, now: Timestamp) -> (Timestamp, Source) {
    match server_time(answer) {
        Some(at) => (at, Source::Server),
        None => (now, Source::ThisComputer),
    }
}

/// The signer's clock as the request carried it: the server's echo (`RequestTime`), else the
/// signing time of the link or form.
pub(super) fn signer_time(signed: Signed, answer: &Answer<'_>) -> Option<Timestamp> {
    answer
        .body
        .element("RequestTime")
        .and_then(parse_server_time)
        .or(signed.at)
}

/// An offset as people say it: to the minute, and a whole number of half hours when within two
/// minutes of one (`8 h 59 min` is said as `9 h`). The second value says whether it is such a
/// whole number, the mark of a time zone setting rather than a drifting clock.
pub fn rounded_offset(secs: i64) -> (i64, bool) {
    let a = secs.abs();
    let half_hours = (a + 900) / 1800;
    let snapped = half_hours * 1800;
    let sign = if secs < 0 { -1 } else { 1 };
    if half_hours >= 1 && (a - snapped).abs() <= ROUNDING_SECS {
        return (sign * snapped, true);
    }
    (sign * ((a + 30) / 60 * 60), false)
}

/// A span rounded as [`rounded_offset`] says it: `9 h`, `5 h 30 min`, `1 d 2 h`, `20 min`.
pub fn offset_span(secs: i64) -> String {
    let (rounded, _) = rounded_offset(secs);
    let a = rounded.abs();
    let (d, h, m) = (a / 86_400, a / 3600 % 24, a / 60 % 60);
    let n = |v: i64| v.to_string();
    match (d, h, m) {
        (0, 0, _) => format::span_minutes(a),
        (0, h, 0) => fill(T::SpanHours, &[("h", &n(h))]),
        (0, _, _) => format::span_minutes(a),
        (d, 0, _) => fill(T::SpanDays, &[("d", &n(d))]),
        _ => format::span_minutes(a),
    }
}

/// The signer's clock `offset_secs` off the judging clock (negative: behind), with the time
/// zone hint when the offset is a whole number of half hours.
fn signer_clock(offset_secs: i64) -> Found {
    let span = offset_span(offset_secs);
    let zone = if rounded_offset(offset_secs).1 {
        fill(T::CauseSignerClockZone, &[("span", &span)])
    } else {
        String::new()
    };
    let kind = if offset_secs < 0 {
        &kind::CLOCK_BEHIND
    } else {
        &kind::CLOCK_AHEAD
    };
    Found::new(kind).with("span", span).with("zone", zone)
}

/// `RequestTimeTooSkewed` to a presigned request: the signer's clock, or a server that applies
/// its 15-minute request window to presigned links. The link's signing time and the best clock
/// there is suffice; without any, the signer's clock is still the suspect, never this one's.
pub(super) fn skew_causes(signed: Signed, answer: &Answer<'_>, now: Timestamp) -> Vec<Found> {
    let Some(signer) = signer_time(signed, answer) else {
        return vec![Found::new(&kind::CLOCK_UNKNOWN)];
    };
    let (clock, source) = best_clock(answer, now);
    let offset = signer.as_second() - clock.as_second();
    let on_server = source == Source::Server;
    let judged = |found: Found| {
        if on_server {
            found.proven(Basis::ServerSaid)
        } else {
            found
        }
    };
    if offset < -REQUEST_WINDOW_SECS {
        let still_valid = signed.expires.is_none_or(|at| at > clock);
        if signed.at.is_some() && !signed.amazon && still_valid {
            let window = Found::new(&kind::SKEW_WINDOW).with("span", offset_span(offset));
            return vec![window, signer_clock(offset).possible()];
        }
        return vec![judged(signer_clock(offset))];
    }
    if offset > REQUEST_WINDOW_SECS || (on_server && rounded_offset(offset).0 != 0) {
        return vec![judged(signer_clock(offset))];
    }
    vec![Found::new(&kind::CLOCK_UNKNOWN)]
}

/// "Not yet valid": the signer's clock is ahead of the server's.
pub(super) fn signer_ahead(signed: Signed, answer: &Answer<'_>) -> Found {
    let offset = signer_time(signed, answer)
        .zip(server_time(answer))
        .map(|(signer, server)| signer.as_second() - server.as_second())
        .filter(|offset| *offset > 0);
    match offset {
        Some(offset) => signer_clock(offset).proven(Basis::ServerSaid),
        None => Found::new(&kind::CLOCK_NOT_YET_VALID),
    }
}

/// An expired link, and, when the link was signed a whole number of hours (two or more) before
/// the server's time, the signer's clock as a further cause.
pub(super) fn expired_causes(
    signed: Signed,
    answer: &Answer<'_>,
    now: Timestamp,
    basis: Basis,
) -> Vec<Found> {
    let mut causes = vec![expired(signed, answer.body, now).proven(basis)];
    if let Some(signed) = signed.at
        && let Some(server) = server_time(answer)
    {
        let gap = server.as_second() - signed.as_second();
        let (rounded, whole) = rounded_offset(gap);
        if whole && rounded % 3600 == 0 && rounded >= 2 * 3600 {
            causes.push(
                Found::new(&kind::CLOCK_AFTER_EXPIRY)
                    .with("span", offset_span(gap))
                    .possible(),
            );
        }
    }
    causes
}

/// The expiry cause. The server's own `Expires` and `ServerTime` say how long ago best (they do
/// not depend on this computer's clock); else the link's expiry against the best clock.
fn expired(signed: Signed, body: &ErrorBody, now: Timestamp) -> Found {
    let server_view = body
        .element("Expires")
        .and_then(parse_server_time)
        .zip(body.element("ServerTime").and_then(parse_server_time))
        .filter(|(expires, server)| expires <= server);
    let (at, judged_at) = match server_view {
        Some((expires, server)) => (Some(expires), server),
        None => (signed.expires.filter(|at| *at <= now), now),
    };
    match at {
        Some(at) => Found::new(&kind::EXPIRED_AGO)
            .with("span", offset_span(judged_at.as_second() - at.as_second()))
            .with("at", format::datetime(at)),
        None => Found::new(&kind::EXPIRED_PLAIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    #[test]
    fn offsets_near_a_whole_number_of_half_hours_are_said_as_it() {
        let h = 3600;
        for (secs, rounded, whole) in [
            (9 * h - 60, 9 * h, true),
            (9 * h + 119, 9 * h, true),
            (-(9 * h - 100), -9 * h, true),
            (5 * h + 1800 + 30, 5 * h + 1800, true),
            (9 * h - 180, 9 * h - 180, false),
            (1200, 1200, false),
            (1229, 1200, false),
            (1231, 1260, false),
            (-190, -180, false),
            (29, 0, false),
        ] {
            assert_eq!(rounded_offset(secs), (rounded, whole), "{secs}");
        }
        with_language(Language::ENGLISH, || {
            assert_eq!(offset_span(8 * h + 59 * 60), "9 h");
            assert_eq!(offset_span(-(8 * h + 59 * 60)), "9 h");
            assert_eq!(offset_span(5 * h + 1800), "5 h 30 min");
            assert_eq!(offset_span(26 * h), "1 d 2 h");
            assert_eq!(offset_span(48 * h + 60), "2 d");
            assert_eq!(offset_span(1210), "20 min");
            assert_eq!(offset_span(2 * h + 13 * 60), "2 h 13 min");
        });
        with_language(Language::JAPANESE, || {
            assert_eq!(offset_span(9 * h), "9時間");
        });
    }
}
