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
    /// Average speed so far, bytes per second.
    pub bytes_per_sec: f64,
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
    last_report: Option<Instant>,
    bytes_done: u64,
    total_bytes: Option<u64>,
}

impl ProgressMeter {
    /// Starts counting now.
    pub fn new(total_bytes: Option<u64>) -> Self {
        Self {
            started: Instant::now(),
            last_report: None,
            bytes_done: 0,
            total_bytes,
        }
    }

    /// Counts `bytes` more; returns a snapshot when one is due.
    pub fn advance(&mut self, bytes: u64) -> Option<Progress> {
        self.bytes_done += bytes;
        let now = Instant::now();
        let due = self
            .last_report
            .is_none_or(|last| now.duration_since(last) >= REPORT_INTERVAL);
        due.then(|| {
            self.last_report = Some(now);
            self.snapshot()
        })
    }

    /// The current state, whether due or not.
    pub fn snapshot(&self) -> Progress {
        let elapsed = self.started.elapsed();
        let secs = elapsed.as_secs_f64();
        Progress {
            bytes_done: self.bytes_done,
            total_bytes: self.total_bytes,
            elapsed,
            bytes_per_sec: if secs > 0.0 {
                self.bytes_done as f64 / secs
            } else {
                0.0
            },
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
        let mut meter = ProgressMeter::new(Some(1000));
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
