//! Progress counting, throttled so a fast transfer does not flood the UI.

use std::collections::VecDeque;
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
    /// Speed in bytes per second over the last few seconds; 0 while too early to tell.
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
    last_report: Option<Instant>,
    bytes_done: u64,
    total_bytes: Option<u64>,
    /// (when, bytes done) at each report within the last [`SPEED_WINDOW`], oldest first.
    samples: VecDeque<(Instant, u64)>,
    attempt: u32,
}

/// The speed is the bytes moved over about this long: long enough that the first burst (what
/// the socket buffers held) does not pass for the line's speed, short enough to follow it.
pub const SPEED_WINDOW: Duration = Duration::from_secs(5);
/// A speed measured over less than this says more about the start than about the line.
pub const SPEED_SETTLES_AFTER: Duration = Duration::from_secs(1);

impl ProgressMeter {
    /// Starts counting now, for attempt `attempt`.
    pub fn new(total_bytes: Option<u64>, attempt: u32) -> Self {
        Self::new_at(Instant::now(), total_bytes, attempt)
    }

    fn new_at(now: Instant, total_bytes: Option<u64>, attempt: u32) -> Self {
        Self {
            started: now,
            last_report: None,
            bytes_done: 0,
            total_bytes,
            samples: VecDeque::from([(now, 0)]),
            attempt,
        }
    }

    /// Starts again toward `total_bytes` with `already` bytes done (a resumed download).
    pub fn restart(&mut self, total_bytes: Option<u64>, already: u64) {
        let now = Instant::now();
        *self = Self {
            bytes_done: already,
            samples: VecDeque::from([(now, already)]),
            ..Self::new_at(now, total_bytes, self.attempt)
        };
    }

    /// Counts `bytes` more; returns a snapshot when one is due.
    pub fn advance(&mut self, bytes: u64) -> Option<Progress> {
        self.advance_at(Instant::now(), bytes)
    }

    fn advance_at(&mut self, now: Instant, bytes: u64) -> Option<Progress> {
        self.bytes_done += bytes;
        let due = self
            .last_report
            .is_none_or(|last| now.duration_since(last) >= REPORT_INTERVAL);
        if !due {
            return None;
        }
        self.last_report = Some(now);
        self.samples.push_back((now, self.bytes_done));
        // Keep one sample at or before the window's start, so the window is always full.
        while self.samples.len() > 2
            && self
                .samples
                .get(1)
                .is_some_and(|(at, _)| now.duration_since(*at) >= SPEED_WINDOW)
        {
            self.samples.pop_front();
        }
        Some(self.snapshot_at(now))
    }

    /// The current state, whether due or not.
    pub fn snapshot(&self) -> Progress {
        self.snapshot_at(Instant::now())
    }

    fn snapshot_at(&self, now: Instant) -> Progress {
        Progress {
            bytes_done: self.bytes_done,
            total_bytes: self.total_bytes,
            elapsed: now.duration_since(self.started),
            bytes_per_sec: self.speed_at(now),
            attempt: self.attempt,
        }
    }

    /// Bytes per second over the last [`SPEED_WINDOW`]; 0 until [`SPEED_SETTLES_AFTER`].
    fn speed_at(&self, now: Instant) -> f64 {
        let Some(&(since, bytes_then)) = self.samples.front() else {
            return 0.0;
        };
        let span = now.duration_since(since);
        if span < SPEED_SETTLES_AFTER {
            return 0.0;
        }
        (self.bytes_done - bytes_then) as f64 / span.as_secs_f64()
    }

    /// Takes back `bytes` counted before (sent by a request that goes again).
    pub fn give_back(&mut self, bytes: u64) {
        self.bytes_done = self.bytes_done.saturating_sub(bytes);
        for (_, counted) in &mut self.samples {
            *counted = (*counted).min(self.bytes_done);
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
    fn the_speed_is_the_line_not_the_first_burst() {
        let start = Instant::now();
        let mut meter = ProgressMeter::new_at(start, Some(100 << 20), 1);
        let at = |ms: u64| start + Duration::from_millis(ms);
        // 8 MiB arrive at once (the socket buffers), then the line gives 1 MiB/s.
        let first = meter.advance_at(at(10), 8 << 20).unwrap();
        assert_eq!(first.bytes_per_sec, 0.0, "no speed from the first burst");
        assert_eq!(first.eta(), None);
        let mut last = None;
        for tick in 1..=80u64 {
            last = meter
                .advance_at(at(10 + tick * 100), (1 << 20) / 10)
                .or(last);
            if tick == 5 {
                assert_eq!(last.as_ref().unwrap().bytes_per_sec, 0.0, "under a second");
            }
        }
        let settled = last.unwrap();
        let mib_per_sec = settled.bytes_per_sec / f64::from(1 << 20);
        assert!(
            (0.95..1.05).contains(&mib_per_sec),
            "after 8 s the window holds only the line: {mib_per_sec} MiB/s"
        );
        let eta = settled.eta().unwrap().as_secs_f64();
        assert!((80.0..90.0).contains(&eta), "{eta} s left");
    }

    #[test]
    fn a_resumed_download_counts_its_speed_from_the_resume() {
        let start = Instant::now();
        let mut meter = ProgressMeter::new_at(start, Some(10 << 20), 1);
        meter.restart(Some(10 << 20), 6 << 20);
        let later = meter.samples[0].0 + Duration::from_secs(2);
        let progress = meter.advance_at(later, 1 << 20).unwrap();
        assert_eq!(progress.bytes_done, 7 << 20);
        let mib_per_sec = progress.bytes_per_sec / f64::from(1 << 20);
        assert!((0.45..0.55).contains(&mib_per_sec), "{mib_per_sec}");
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
