//! How many connections a download uses, decided as it runs: one stream first, its rate
//! measured; then a second, and more while each addition raises the total rate; fewer when the
//! server asks to slow down or the rate falls. Pure: fed readings of the byte count, it says how
//! many connections there should be and why.

use std::time::{Duration, Instant};

use crate::exchange::ConnectionsReason;

/// An addition is kept when the total rate rose by at least this share.
const MIN_GAIN: f64 = 0.10;
/// An addition that brought this share of what one more stream carries (or more) shows a line
/// that caps each connection: the next step doubles, as TCP's slow start does (2, 4, 8, 16),
/// and one at a time once a doubling pays less.
const LINEAR_SHARE: f64 = 0.8;
/// Another connection is tried only when what is left lasts at least this many windows at the
/// current rate: a trial that does not help costs up to a window of a slower rate, and one that
/// helps by the least kept gain must run this long to pay that back.
const PAYBACK_WINDOWS: f64 = 6.0;
/// Held rates below this share of the settled rate, twice in a row, mean one connection fewer.
const FALLEN_SHARE: f64 = 0.5;

/// What the connections show at one moment.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reading {
    pub now: Instant,
    /// Bytes received in all so far.
    pub bytes: u64,
    /// Connections receiving bytes now.
    pub streaming: u32,
    /// 503 / SlowDown answers so far.
    pub slowdowns: u32,
    /// The link is close to its expiry: no connection is added.
    pub closing: bool,
    /// Bytes nobody has been given yet.
    pub unclaimed: u64,
    /// Bytes not received yet.
    pub remaining: u64,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// One stream, measured from `since`.
    Baseline {
        since: Instant,
        bytes: u64,
        asked: bool,
    },
    /// `to` connections asked for after `from` gave `rate_before`; measured from `start` once
    /// they all stream.
    Trial {
        from: u32,
        to: u32,
        rate_before: f64,
        asked_at: Instant,
        start: Option<(Instant, u64)>,
    },
    /// Growth is over: the rate is watched for a fall.
    Hold {
        rate: f64,
        start: (Instant, u64),
        low: u32,
    },
}

/// Decides the number of connections.
#[derive(Debug)]
pub(super) struct Controller {
    max: u32,
    /// How long a rate is measured: long enough to be a rate, short against the download.
    window: Duration,
    /// The first answer's time to arrive: how early a connection is asked for to stream in time.
    lead: Duration,
    phase: Phase,
    target: u32,
    reason: ConnectionsReason,
    slowdowns: u32,
    /// The latest total rate, bytes per second (for sizing pieces).
    rate: f64,
    last: Option<(Instant, u64)>,
}

impl Controller {
    /// Starts with the first answer streaming at `start`, which took `first_answer` to arrive.
    pub(super) fn new(max: u32, first_answer: Duration, start: Instant) -> Self {
        let window = (first_answer * 2).clamp(Duration::from_millis(150), Duration::from_secs(1));
        Controller {
            max: max.max(1),
            window,
            lead: first_answer.min(window),
            phase: Phase::Baseline {
                since: start,
                bytes: 0,
                asked: false,
            },
            target: 1,
            reason: ConnectionsReason::EndedWhileMeasuring,
            slowdowns: 0,
            rate: 0.0,
            last: None,
        }
    }

    /// Connections there should be now.
    pub(super) fn target(&self) -> u32 {
        self.target
    }

    /// Why the count is what it is.
    pub(super) fn reason(&self) -> ConnectionsReason {
        if self.max == 1 {
            return ConnectionsReason::Maximum;
        }
        self.reason
    }

    /// The latest total rate in bytes per second (0 until measured).
    pub(super) fn rate(&self) -> f64 {
        self.rate
    }

    /// Takes a reading; returns the connections there should be.
    pub(super) fn tick(&mut self, r: Reading) -> u32 {
        if let Some((at, bytes)) = self.last {
            let secs = r.now.saturating_duration_since(at).as_secs_f64();
            if secs > 0.0 {
                let now = r.bytes.saturating_sub(bytes) as f64 / secs;
                self.rate = if self.rate == 0.0 {
                    now
                } else {
                    0.7 * self.rate + 0.3 * now
                };
            }
        }
        self.last = Some((r.now, r.bytes));
        if r.slowdowns > self.slowdowns {
            self.slowdowns = r.slowdowns;
            self.target = (self.target / 2).max(1);
            self.reason = ConnectionsReason::ServerSlowDown;
            self.hold(r);
            return self.target;
        }
        let growing = !matches!(self.phase, Phase::Hold { .. });
        if growing && (r.closing || self.max == 1) {
            if r.closing {
                self.reason = ConnectionsReason::LinkExpiring;
            }
            if let Phase::Trial { from, .. } = self.phase {
                self.target = self.target.min(from.max(r.streaming));
            }
            self.hold(r);
            return self.target;
        }
        match self.phase {
            Phase::Baseline {
                since,
                bytes,
                asked,
            } => {
                let elapsed = r.now.saturating_duration_since(since);
                if !asked && elapsed + self.lead >= self.window {
                    if !self.worth_trying(r.remaining, rate(bytes, since, r)) {
                        self.reason = ConnectionsReason::TooShort;
                        self.hold(r);
                        return self.target;
                    }
                    self.target = 2;
                    self.phase = Phase::Baseline {
                        since,
                        bytes,
                        asked: true,
                    };
                }
                if elapsed >= self.window || (r.streaming >= 2 && elapsed >= self.window / 2) {
                    self.target = 2;
                    self.phase = Phase::Trial {
                        from: 1,
                        to: 2,
                        rate_before: rate(bytes, since, r),
                        asked_at: r.now,
                        start: None,
                    };
                }
            }
            Phase::Trial {
                from,
                to,
                rate_before,
                asked_at,
                start,
            } => match start {
                None => {
                    let waited = r.now.saturating_duration_since(asked_at);
                    if r.streaming >= to || waited >= self.window * 4 + self.lead {
                        self.phase = Phase::Trial {
                            from,
                            to,
                            rate_before,
                            asked_at,
                            start: Some((r.now, r.bytes)),
                        };
                    }
                }
                Some((at, bytes)) if r.now.saturating_duration_since(at) >= self.window => {
                    let after = rate(bytes, at, r);
                    self.decide(from, to, rate_before, after, r);
                }
                Some(_) => {}
            },
            Phase::Hold { rate, start, low } => {
                let (at, bytes) = start;
                if r.now.saturating_duration_since(at) >= self.window * 2 {
                    let now = self::rate(bytes, at, r);
                    let fallen = now < rate * FALLEN_SHARE && r.unclaimed > 0 && self.target > 1;
                    let low = if fallen { low + 1 } else { 0 };
                    if low >= 2 {
                        self.target -= 1;
                        self.reason = ConnectionsReason::RateFell;
                        self.phase = Phase::Hold {
                            rate: now,
                            start: (r.now, r.bytes),
                            low: 0,
                        };
                    } else {
                        self.phase = Phase::Hold {
                            rate,
                            start: (r.now, r.bytes),
                            low,
                        };
                    }
                }
            }
        }
        self.target
    }

    /// After `to` connections measured `after` against `before` with `from`.
    fn decide(&mut self, from: u32, to: u32, before: f64, after: f64, r: Reading) {
        let gain = if before > 0.0 {
            after / before - 1.0
        } else {
            0.0
        };
        let linear = linear(from, to);
        if gain < MIN_GAIN {
            self.target = from;
            self.reason = ConnectionsReason::StoppedGrowing;
            self.hold_at(before, r);
            return;
        }
        if to >= self.max {
            self.target = to;
            self.reason = ConnectionsReason::Maximum;
            self.hold_at(after, r);
            return;
        }
        if r.unclaimed == 0 {
            // Nothing left to give a new connection.
            self.target = to;
            self.reason = ConnectionsReason::EndedWhileMeasuring;
            self.hold_at(after, r);
            return;
        }
        if !self.worth_trying(r.remaining, after) {
            self.target = to;
            self.reason = ConnectionsReason::TooShort;
            self.hold_at(after, r);
            return;
        }
        let next = if gain >= LINEAR_SHARE * linear {
            to * 2
        } else {
            to + 1
        }
        .min(self.max);
        self.target = next;
        self.phase = Phase::Trial {
            from: to,
            to: next,
            rate_before: after,
            asked_at: r.now,
            start: None,
        };
    }

    /// Whether what is left, `remaining` bytes at `rate`, lasts long enough for a trial to pay.
    fn worth_trying(&self, remaining: u64, rate: f64) -> bool {
        rate <= 0.0 || remaining as f64 / rate >= PAYBACK_WINDOWS * self.window.as_secs_f64()
    }

    fn hold(&mut self, r: Reading) {
        let rate = self.rate;
        self.hold_at(rate, r);
    }

    fn hold_at(&mut self, rate: f64, r: Reading) {
        self.phase = Phase::Hold {
            rate,
            start: (r.now, r.bytes),
            low: 0,
        };
    }
}

/// The gain `to` streams would bring over `from` if each carried as much.
fn linear(from: u32, to: u32) -> f64 {
    f64::from(to.saturating_sub(from)) / f64::from(from.max(1))
}

fn rate(bytes: u64, since: Instant, r: Reading) -> f64 {
    let secs = r.now.saturating_duration_since(since).as_secs_f64();
    if secs <= 0.0 {
        return 0.0;
    }
    r.bytes.saturating_sub(bytes) as f64 / secs
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: f64 = 1024.0 * 1024.0;
    const TICK: Duration = Duration::from_millis(25);

    /// Runs a controller against a line where `n` connections carry `line(n)` bytes per second,
    /// each added connection streaming `delay` after it is asked for; returns the decision.
    fn settle(max: u32, delay: Duration, line: impl Fn(u32) -> f64) -> (u32, ConnectionsReason) {
        let start = Instant::now();
        let mut controller = Controller::new(max, delay, start);
        let mut now = start;
        let mut bytes = 0.0;
        // When each connection asked for starts streaming.
        let mut streams: Vec<Instant> = vec![start];
        for _ in 0..400 {
            now += TICK;
            let streaming = streams.iter().filter(|&&at| at <= now).count() as u32;
            bytes += line(streaming) * TICK.as_secs_f64();
            let target = controller.tick(Reading {
                now,
                bytes: bytes as u64,
                streaming,
                slowdowns: 0,
                closing: false,
                unclaimed: 1 << 40,
                remaining: 1 << 40,
            });
            while (streams.len() as u32) < target {
                streams.push(now + delay);
            }
            streams.truncate(target as usize);
        }
        (controller.target(), controller.reason())
    }

    #[test]
    fn a_line_that_caps_each_connection_gets_the_maximum() {
        let capped = |n: u32| f64::from(n) * 16.0 * MIB;
        assert_eq!(
            settle(8, Duration::from_millis(80), capped),
            (8, ConnectionsReason::Maximum)
        );
    }

    #[test]
    fn a_server_no_faster_with_two_keeps_one() {
        assert_eq!(
            settle(8, Duration::from_millis(1), |_| 900.0 * MIB),
            (1, ConnectionsReason::StoppedGrowing)
        );
        // Slower with two (a server serving from one thread): one.
        let slower = |n: u32| if n > 1 { 700.0 * MIB } else { 900.0 * MIB };
        assert_eq!(settle(8, Duration::from_millis(1), slower).0, 1);
    }

    #[test]
    fn connections_are_added_while_each_raises_the_rate() {
        // The line is full at three connections' worth: past two, gains are not linear.
        let three = |n: u32| f64::from(n.min(3)) * 10.0 * MIB;
        let (count, reason) = settle(8, Duration::from_millis(20), three);
        assert!(count >= 3, "{count}");
        assert_ne!(reason, ConnectionsReason::EndedWhileMeasuring);
    }

    #[test]
    fn a_download_about_to_end_tries_no_other_connection() {
        // 900 MiB/s with 200 MiB left: about 0.2 s, too little for a trial (0.15 s here) to pay.
        let start = Instant::now();
        let mut controller = Controller::new(8, Duration::from_millis(1), start);
        let mut now = start;
        let mut bytes = 0u64;
        for _ in 0..40 {
            now += TICK;
            bytes += (900.0 * MIB * TICK.as_secs_f64()) as u64;
            let target = controller.tick(Reading {
                now,
                bytes,
                streaming: 1,
                slowdowns: 0,
                closing: false,
                unclaimed: (200_u64 << 20).saturating_sub(bytes),
                remaining: (200_u64 << 20).saturating_sub(bytes),
            });
            assert_eq!(target, 1, "no second connection asked for");
        }
        assert_eq!(controller.reason(), ConnectionsReason::TooShort);
        // The same rate with 4 GiB left is worth a trial.
        let mut controller = Controller::new(8, Duration::from_millis(1), start);
        let asked = (1..40).any(|i| {
            controller.tick(Reading {
                now: start + TICK * i,
                bytes: (900.0 * MIB * (TICK * i).as_secs_f64()) as u64,
                streaming: 1,
                slowdowns: 0,
                closing: false,
                unclaimed: 4 << 30,
                remaining: 4 << 30,
            }) > 1
        });
        assert!(asked);
    }

    #[test]
    fn a_slow_down_halves_and_ends_growth() {
        let start = Instant::now();
        let mut controller = Controller::new(8, Duration::from_millis(10), start);
        controller.target = 6;
        let reading = Reading {
            now: start + TICK,
            bytes: 1,
            streaming: 6,
            slowdowns: 1,
            closing: false,
            unclaimed: 1 << 30,
            remaining: 1 << 30,
        };
        assert_eq!(controller.tick(reading), 3);
        assert_eq!(controller.reason(), ConnectionsReason::ServerSlowDown);
        let later = Reading {
            now: start + Duration::from_secs(5),
            slowdowns: 1,
            ..reading
        };
        assert_eq!(controller.tick(later), 3, "no growth after");
    }

    #[test]
    fn a_link_close_to_expiry_adds_no_connection() {
        let start = Instant::now();
        let mut controller = Controller::new(8, Duration::from_millis(10), start);
        let reading = Reading {
            now: start + Duration::from_secs(1),
            bytes: 1 << 20,
            streaming: 1,
            slowdowns: 0,
            closing: true,
            unclaimed: 1 << 30,
            remaining: 1 << 30,
        };
        assert_eq!(controller.tick(reading), 1);
        assert_eq!(controller.reason(), ConnectionsReason::LinkExpiring);
    }
}
