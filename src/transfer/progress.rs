//! Progress counting, throttled so a fast transfer does not flood the UI.

use std::time::{Duration, Instant};

/// How often progress is reported at most (about 20 times a second).
pub const REPORT_INTERVAL: Duration = Duration::from_millis(50);

/// A snapshot of a running transfer.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Bytes moved so far.
    pub bytes_done: u64,
    /// Bytes expected in all, when known.
    pub total_bytes: Option<u64>,
    /// Time since the transfer started.
    pub elapsed: Duration,
    /// Speed, bytes per second, smoothed over the last few reports.
    pub bytes_per_sec: f64,
    /// Which attempt this is (1 for the first).
    pub attempt: u32,
}

impl Progress {
    /// Share done, 0.0..=1.0, when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        match self.total_bytes {
            Some(0) => Some(1.0),
            Some(total) => Some((self.bytes_done as f64 / total as f64).min(1.0) as f32),
            None => None,
        }
    }

    /// Estimated time left, when the total and a speed are known.
    pub fn eta(&self) -> Option<Duration> {
        let total = self.total_bytes?;
        if self.bytes_per_sec < 1.0 {
            return None;
        }
        let left = total.saturating_sub(self.bytes_done) as f64;
        Some(Duration::from_secs_f64(left / self.bytes_per_sec))
    }
}

/// Counts bytes and says when a progress report is due.
#[derive(Debug)]
pub struct ProgressMeter {
    started: Instant,
    last_report: Option<(Instant, u64)>,
    bytes_done: u64,
    bytes_at_start: u64,
    total_bytes: Option<u64>,
    smoothed_bytes_per_sec: Option<f64>,
    attempt: u32,
}

/// Weight of the newest interval in the smoothed speed.
const SPEED_SMOOTHING: f64 = 0.3;

impl ProgressMeter {
    /// Starts counting now, for attempt `attempt`.
    pub fn new(total_bytes: Option<u64>, attempt: u32) -> Self {
        Self {
            started: Instant::now(),
            last_report: None,
            bytes_done: 0,
            bytes_at_start: 0,
            total_bytes,
            smoothed_bytes_per_sec: None,
            attempt,
        }
    }

    /// Starts again toward `total_bytes` with `already` bytes done (a resumed download).
    pub fn restart(&mut self, total_bytes: Option<u64>, already: u64) {
        *self = Self {
            bytes_done: already,
            bytes_at_start: already,
            ..Self::new(total_bytes, self.attempt)
        };
    }

    /// Counts `bytes` more; returns a snapshot when one is due.
    pub fn advance(&mut self, bytes: u64) -> Option<Progress> {
        self.bytes_done += bytes;
        let now = Instant::now();
        let due = self
            .last_report
            .is_none_or(|(last, _)| now.duration_since(last) >= REPORT_INTERVAL);
        if !due {
            return None;
        }
        if let Some((last, last_bytes)) = self.last_report {
            let secs = now.duration_since(last).as_secs_f64();
            let instant = (self.bytes_done - last_bytes) as f64 / secs;
            self.smoothed_bytes_per_sec = Some(match self.smoothed_bytes_per_sec {
                Some(previous) => previous + SPEED_SMOOTHING * (instant - previous),
                None => instant,
            });
        }
        self.last_report = Some((now, self.bytes_done));
        Some(self.snapshot())
    }

    /// The current state, whether due or not.
    pub fn snapshot(&self) -> Progress {
        let elapsed = self.started.elapsed();
        let secs = elapsed.as_secs_f64();
        let average = if secs > 0.0 {
            (self.bytes_done - self.bytes_at_start) as f64 / secs
        } else {
            0.0
        };
        Progress {
            bytes_done: self.bytes_done,
            total_bytes: self.total_bytes,
            elapsed,
            bytes_per_sec: self.smoothed_bytes_per_sec.unwrap_or(average),
            attempt: self.attempt,
        }
    }

    /// Bytes counted so far.
    pub fn bytes_done(&self) -> u64 {
        self.bytes_done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_throttled() {
        let mut meter = ProgressMeter::new(Some(1000), 1);
        assert!(meter.advance(10).is_some(), "the first report is immediate");
        let burst = (0..100).filter_map(|_| meter.advance(1)).count();
        assert_eq!(burst, 0, "no report within the interval");
        std::thread::sleep(REPORT_INTERVAL);
        let report = meter.advance(5).unwrap();
        assert_eq!(report.bytes_done, 115);
        assert_eq!(report.fraction(), Some(0.115));
    }

    #[test]
    fn fraction_and_eta() {
        let p = Progress {
            bytes_done: 50,
            total_bytes: Some(200),
            elapsed: Duration::from_secs(1),
            bytes_per_sec: 50.0,
            attempt: 1,
        };
        assert_eq!(p.fraction(), Some(0.25));
        assert_eq!(p.eta(), Some(Duration::from_secs(3)));
        let unknown = Progress {
            total_bytes: None,
            ..p.clone()
        };
        assert_eq!(unknown.fraction(), None);
        assert_eq!(unknown.eta(), None);
        let empty = Progress {
            total_bytes: Some(0),
            bytes_done: 0,
            ..p
        };
        assert_eq!(empty.fraction(), Some(1.0));
    }
}
