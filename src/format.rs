//! Numbers for people, in the current language: sizes, speeds, durations, times. Pure.

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::text::{T, fill, tr};

/// How close to the end a countdown starts showing seconds.
pub const COUNTDOWN_SECONDS_WITHIN: i64 = 600;

/// `2.3 MB`, `512 B`: decimal units, as file managers show sizes.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if value < 9.995 {
        format!("{value:.2} {}", UNITS[unit])
    } else if value < 99.95 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// `12.3 MB/s`.
pub fn speed(bytes_per_sec: f64) -> String {
    format!("{}/s", bytes(bytes_per_sec.max(0.0) as u64))
}

/// `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return fill(T::DurationMillis, &[("ms", &d.as_millis().to_string())]);
    }
    if secs < 60 {
        return fill(
            T::DurationSeconds,
            &[("s", &format!("{:.1}", d.as_secs_f64()))],
        );
    }
    span_secs(secs as i64)
}

/// A whole-second span: `45 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h` (absolute value).
pub fn span_secs(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let n = |v: u64| v.to_string();
    if d > 0 {
        fill(T::SpanDaysHours, &[("d", &n(d)), ("h", &n(h))])
    } else if h > 0 {
        fill(T::SpanHoursMinutes, &[("h", &n(h)), ("m", &n(m))])
    } else if m > 0 {
        fill(T::SpanMinutesSeconds, &[("m", &n(m)), ("s", &n(s))])
    } else {
        fill(T::SpanSeconds, &[("s", &n(s))])
    }
}

/// A span to the minute: `3 d 4 h`, `2 h 10 min`, `59 min`, or "less than a minute".
pub fn span_minutes(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    if secs < 60 {
        return tr(T::SpanUnderMinute).to_owned();
    }
    if secs < 3600 {
        return fill(T::SpanMinutes, &[("m", &(secs / 60).to_string())]);
    }
    span_secs(secs as i64)
}

/// The time left on a countdown as shown: to the minute, and to the second in its last ten
/// minutes.
pub fn countdown(secs_left: i64) -> String {
    if secs_left.abs() < COUNTDOWN_SECONDS_WITHIN {
        span_secs(secs_left)
    } else {
        span_minutes(secs_left)
    }
}

/// A time as people read it, in this computer's time zone with the zone named:
/// `2026-11-24 16:00:00 JST`, `2026年11月24日 16:00:00（日本時間）`.
pub fn datetime(t: Timestamp) -> String {
    datetime_in(t, &TimeZone::system())
}

/// [`datetime`] in the zone `tz`.
pub fn datetime_in(t: Timestamp, tz: &TimeZone) -> String {
    let zoned = t.to_zoned(tz.clone());
    let abbreviation = tz.to_offset_info(t).abbreviation().to_owned();
    let zone = match abbreviation.as_str() {
        "JST" => tr(T::ZoneJapan).to_owned(),
        // A zone with no name of its own shows as its offset, which says the same.
        "" => zoned.strftime("UTC%:z").to_string(),
        name => name.to_owned(),
    };
    let pattern = tr(T::DateTimePattern);
    let text = jiff::fmt::strtime::format(pattern, &zoned)
        .unwrap_or_else(|_| zoned.strftime("%Y-%m-%d %H:%M:%S").to_string());
    fill(T::DateTimeZone, &[("datetime", &text), ("zone", &zone)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    fn english<R>(f: impl FnOnce() -> R) -> R {
        with_language(Language::ENGLISH, f)
    }

    #[test]
    fn sizes() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.00 kB"),
            (1536, "1.54 kB"),
            (2_300_000, "2.30 MB"),
            (200_000_000, "200 MB"),
            (999_999, "1.00 MB"),
            (5 * 1024 * 1024 * 1024, "5.37 GB"),
            (u64::MAX, "18447 PB"),
        ];
        for (n, expected) in cases {
            assert_eq!(bytes(n), expected, "{n}");
        }
        assert_eq!(speed(-1.0), "0 B/s");
    }

    #[test]
    fn durations_and_spans() {
        english(|| {
            assert_eq!(duration(Duration::from_millis(850)), "850 ms");
            assert_eq!(duration(Duration::from_millis(4200)), "4.2 s");
            assert_eq!(duration(Duration::from_secs(185)), "3 min 5 s");
            assert_eq!(span_secs(-7800), "2 h 10 min");
            assert_eq!(span_secs(3 * 86_400 + 4 * 3600 + 5), "3 d 4 h");
        });
        with_language(Language::JAPANESE, || {
            assert_eq!(span_secs(7140), "1時間59分");
            assert_eq!(duration(Duration::from_millis(4200)), "4.2秒");
        });
    }

    #[test]
    fn countdowns_show_seconds_only_in_the_last_ten_minutes() {
        english(|| {
            assert_eq!(countdown(7199), "1 h 59 min");
            assert_eq!(countdown(3599), "59 min");
            assert_eq!(countdown(600), "10 min");
            assert_eq!(countdown(599), "9 min 59 s");
            assert_eq!(countdown(5), "5 s");
            assert_eq!(span_minutes(-30), "less than a minute");
        });
    }

    #[test]
    fn times_in_a_zone_with_the_zone_named() {
        let t: Timestamp = "2026-11-24T07:00:00Z".parse().unwrap();
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        english(|| {
            assert_eq!(datetime_in(t, &TimeZone::UTC), "2026-11-24 07:00:00 UTC");
            assert_eq!(datetime_in(t, &tokyo), "2026-11-24 16:00:00 JST");
            let fixed = TimeZone::fixed(jiff::tz::offset(5));
            assert!(datetime_in(t, &fixed).starts_with("2026-11-24 12:00:00 "));
        });
        with_language(Language::JAPANESE, || {
            assert_eq!(
                datetime_in(t, &tokyo),
                "2026年11月24日 16:00:00（日本時間）"
            );
        });
    }
}
