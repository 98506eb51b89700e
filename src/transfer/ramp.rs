//! How many parts of a multipart upload go at once, decided as they arrive. What an upload has
//! written says little of what has arrived (the system's send buffers and every hop's take
//! megabytes at once), so the rate is read where it is certain: each part's time from its
//! first byte to the storage's answer. Parts that went while `n` were on their way carry
//! `n × bytes / time` in all; the count doubles while doing so raises that near-linearly (as
//! TCP's slow start does), grows by one while it still raises it, and stops, back at the last
//! count that paid, when it no longer does. Pure: fed the parts' times, it says how many
//! there should be and why.

use std::time::Duration;

use crate::exchange::ConnectionsReason;

/// A step is kept when the total rate rose by at least this share.
const MIN_GAIN: f64 = 0.10;
/// A step that brought this share of what its added connections would carry if each carried
/// as much as before is near-linear: the next step doubles.
const LINEAR_SHARE: f64 = 0.8;

/// What the parts sent at one count showed.
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    count: u32,
    bytes: u64,
    secs: f64,
    parts: u32,
}

impl Level {
    /// All the parts together, bytes per second, had they all gone at this count.
    fn rate(&self) -> f64 {
        if self.secs <= 0.0 {
            return 0.0;
        }
        f64::from(self.count) * self.bytes as f64 / self.secs
    }

    /// Enough parts measured to judge this count: as many as went at once (at most two).
    fn judged(&self) -> bool {
        self.parts >= self.count.min(2)
    }
}

/// Decides the number of parts on their way at once.
#[derive(Debug)]
pub(super) struct PartsRamp {
    max: u32,
    target: u32,
    previous: Option<Level>,
    current: Level,
    settled: bool,
    reason: ConnectionsReason,
    slowdowns: u32,
}

impl PartsRamp {
    /// Starts with `initial` at once, at most `max`.
    pub(super) fn new(max: u32, initial: u32) -> Self {
        let max = max.max(1);
        let target = initial.clamp(1, max);
        PartsRamp {
            max,
            target,
            previous: None,
            current: Level {
                count: target,
                ..Level::default()
            },
            settled: max == 1,
            reason: if max == 1 {
                ConnectionsReason::Maximum
            } else {
                ConnectionsReason::EndedWhileMeasuring
            },
            slowdowns: 0,
        }
    }

    /// Parts there should be on their way now.
    pub(super) fn target(&self) -> u32 {
        self.target
    }

    /// Why the count is what it is.
    pub(super) fn reason(&self) -> ConnectionsReason {
        self.reason
    }

    /// The server asked to slow down (`slowdowns` in all so far): half as many, and no more
    /// growth.
    pub(super) fn slowed(&mut self, slowdowns: u32) {
        if slowdowns > self.slowdowns {
            self.slowdowns = slowdowns;
            self.target = (self.target / 2).max(1);
            self.settled = true;
            self.reason = ConnectionsReason::ServerSlowDown;
        }
    }

    /// The link is close to its expiry: no more connections.
    pub(super) fn closing(&mut self) {
        if !self.settled {
            self.settled = true;
            self.reason = ConnectionsReason::LinkExpiring;
        }
    }

    /// A part of `bytes` that started while `count` were asked for took `took`; returns the
    /// count there should be now.
    pub(super) fn part_done(&mut self, count: u32, bytes: u64, took: Duration) -> u32 {
        if self.settled || count != self.current.count {
            return self.target;
        }
        self.current.bytes += bytes;
        self.current.secs += took.as_secs_f64();
        self.current.parts += 1;
        if !self.current.judged() {
            return self.target;
        }
        let now = self.current;
        let next = match self.previous {
            None => self.step(now, true),
            Some(before) => {
                let gain = if before.rate() > 0.0 {
                    now.rate() / before.rate() - 1.0
                } else {
                    0.0
                };
                if gain < MIN_GAIN {
                    self.settled = true;
                    self.reason = ConnectionsReason::StoppedGrowing;
                    self.target = before.count;
                    return self.target;
                }
                let linear = f64::from(now.count - before.count) / f64::from(before.count.max(1));
                self.step(now, gain >= LINEAR_SHARE * linear)
            }
        };
        self.previous = Some(now);
        self.current = Level {
            count: next,
            ..Level::default()
        };
        self.target = next;
        self.target
    }

    /// The next count after `now`: doubled when the last step paid near-linearly (or for the
    /// first), one more otherwise; the most allowed ends growth.
    fn step(&mut self, now: Level, doubling: bool) -> u32 {
        if now.count >= self.max {
            self.settled = true;
            self.reason = ConnectionsReason::Maximum;
            return now.count;
        }
        if doubling {
            (now.count * 2).min(self.max)
        } else {
            now.count + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs parts of 8 MiB through a line where `n` at once each take `time(n)` seconds;
    /// returns where the count settles and why.
    fn settle(max: u32, initial: u32, time: impl Fn(u32) -> f64) -> (u32, ConnectionsReason) {
        let mut ramp = PartsRamp::new(max, initial);
        for _ in 0..200 {
            let count = ramp.target();
            for _ in 0..count {
                ramp.part_done(count, 8 << 20, Duration::from_secs_f64(time(count)));
            }
        }
        (ramp.target(), ramp.reason())
    }

    #[test]
    fn a_line_that_caps_each_connection_doubles_to_the_most_allowed() {
        // Each part takes as long however many go: every connection adds its share.
        assert_eq!(settle(16, 4, |_| 0.5), (16, ConnectionsReason::Maximum));
    }

    #[test]
    fn a_full_line_stops_where_another_connection_no_longer_helps() {
        // The line carries 64 MiB/s in all, each connection at most 16 MiB/s.
        let time = |n: u32| 8.0 / (64.0 / f64::from(n)).min(16.0);
        assert_eq!(settle(16, 1, time), (4, ConnectionsReason::StoppedGrowing));
        // From four it tries eight, finds no gain, and goes back.
        assert_eq!(settle(16, 4, time), (4, ConnectionsReason::StoppedGrowing));
    }

    #[test]
    fn a_server_no_faster_with_two_keeps_one() {
        let time = |n: u32| 0.5 * f64::from(n);
        assert_eq!(settle(16, 1, time), (1, ConnectionsReason::StoppedGrowing));
    }

    #[test]
    fn a_slow_down_halves_and_ends_growth_and_parts_of_an_older_count_are_not_judged() {
        let mut ramp = PartsRamp::new(16, 4);
        ramp.slowed(1);
        assert_eq!(ramp.target(), 2);
        assert_eq!(ramp.reason(), ConnectionsReason::ServerSlowDown);
        assert_eq!(ramp.part_done(2, 1 << 20, Duration::from_millis(10)), 2);
        let mut ramp = PartsRamp::new(16, 4);
        // A part started at another count says nothing of this one.
        assert_eq!(ramp.part_done(2, 1 << 20, Duration::from_millis(10)), 4);
        assert_eq!(ramp.part_done(4, 1 << 20, Duration::from_millis(10)), 4);
        assert_eq!(ramp.part_done(4, 1 << 20, Duration::from_millis(10)), 8);
    }
}
