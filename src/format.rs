//! Numbers for people: sizes, speeds, durations, times. Pure.

use std::time::Duration;

use jiff::Timestamp;

/// `1.5 MiB`, `512 B`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.2} {}", UNITS[unit])
    } else if value < 100.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// `12.3 MiB/s`.
pub fn speed(bytes_per_sec: f64) -> String {
    format!("{}/s", bytes(bytes_per_sec.max(0.0) as u64))
}

/// `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{} ms", d.as_millis());
    }
    if secs < 60 {
        return format!("{:.1} s", d.as_secs_f64());
    }
    span_secs(secs as i64)
}

/// A whole-second span: `45 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h` (absolute value).
pub fn span_secs(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {s} s")
    } else {
        format!("{s} s")
    }
}

/// A UTC time as people read it: `2026-11-24 07:00:00 UTC`.
pub fn utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let cases = [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.00 KiB"),
            (1536, "1.50 KiB"),
            (200 * 1024 * 1024, "200 MiB"),
            (5 * 1024 * 1024 * 1024, "5.00 GiB"),
            (u64::MAX, "16384 PiB"),
        ];
        for (n, expected) in cases {
            assert_eq!(bytes(n), expected, "{n}");
        }
        assert_eq!(speed(-1.0), "0 B/s");
    }

    #[test]
    fn durations_and_spans() {
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(4200)), "4.2 s");
        assert_eq!(duration(Duration::from_secs(185)), "3 min 5 s");
        assert_eq!(span_secs(-7800), "2 h 10 min");
        assert_eq!(span_secs(3 * 86_400 + 4 * 3600 + 5), "3 d 4 h");
        assert_eq!(
            utc("2026-11-24T07:00:00Z".parse().unwrap()),
            "2026-11-24 07:00:00 UTC"
        );
    }
}
