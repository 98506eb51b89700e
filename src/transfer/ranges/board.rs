//! The board the connections share: the parts of the object, who fetches which, the frontier
//! pieces are cut from in file order and their size, and why everything stops. Pure: the
//! connections and the supervisor lock it and act on what it says.

use std::time::Duration;

use super::{AHEAD_BYTES, MIN_PIECE_BYTES, MIN_SPLIT_BYTES, PIECE_SECS};
use crate::transfer::{Outcome, SingleStreamReason, TransferError};

/// A stretch of the object, fetched by at most one connection. The parts partition the object
/// below the frontier.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Part {
    /// The next byte to take from the network.
    pub(super) read: u64,
    /// The next byte to write; the file holds every byte of this part below it.
    pub(super) written: u64,
    /// One past the last byte (lowered when the part is split, raised when its connection
    /// carries on past it).
    pub(super) end: u64,
    pub(super) owned: bool,
    /// Its request runs to the object's end: its connection may carry on past `end`.
    pub(super) open: bool,
    pub(super) failures: u32,
}

impl Part {
    pub(super) fn new(start: u64, end: u64, open: bool) -> Self {
        Part {
            read: start,
            written: start,
            end,
            owned: true,
            open,
            failures: 0,
        }
    }
}

/// Why every connection stops.
pub(super) enum Stop {
    OneStream(SingleStreamReason),
    Refused(Outcome),
    Failed(TransferError),
}

pub(super) struct Board {
    pub(super) parts: Vec<Part>,
    pub(super) total: u64,
    /// Every byte from here on is nobody's yet: pieces are cut from here, in file order.
    pub(super) frontier: u64,
    /// Connections wanted now.
    pub(super) target: u32,
    pub(super) running: u32,
    /// Connections that have received bytes and are still running.
    pub(super) streaming: u32,
    /// The total rate, bytes per second, as last measured.
    pub(super) rate: f64,
    /// The latest time a range request took to answer.
    pub(super) answer_time: Duration,
    /// 503 / SlowDown answers so far.
    pub(super) slowdowns: u32,
    /// New requests run to the object's end (the link's expiry is near).
    pub(super) open_requests: bool,
    /// No new request may be made (the link is about to expire)...
    pub(super) no_new_requests: bool,
    /// ...unless nothing else can finish the download.
    pub(super) last_resort: bool,
    /// How far the hasher was told the file is complete.
    pub(super) hashed: u64,
    pub(super) stop: Option<Stop>,
}

impl Board {
    /// The first answer streams the first piece and may carry on past it.
    pub(super) fn new(total: u64, answer_time: Duration) -> Self {
        let mut board = Board {
            parts: Vec::new(),
            total,
            frontier: 0,
            target: 1,
            running: 0,
            streaming: 0,
            rate: 0.0,
            answer_time,
            slowdowns: 0,
            open_requests: false,
            no_new_requests: false,
            last_resort: false,
            hashed: 0,
            stop: None,
        };
        let size = board.piece_size();
        board.frontier = size;
        board.parts.push(Part::new(0, size, true));
        board
    }

    /// The next piece's size: a few seconds of one connection's transfer, shrinking toward
    /// the end so that the connections finish together, never smaller than is worth a request.
    pub(super) fn piece_size(&self) -> u64 {
        let remaining = self.total - self.frontier;
        let per_connection = self.rate / f64::from(self.streaming.max(1));
        let by_rate = (per_connection * PIECE_SECS) as u64;
        let share = remaining / (2 * u64::from(self.target.max(1)));
        // Every connection's piece within reach of the MD5, so that it keeps up.
        let spread = AHEAD_BYTES / (2 * u64::from(self.target.max(1)));
        let size = by_rate
            .min(share)
            .min(spread)
            .max(MIN_PIECE_BYTES)
            .min(remaining);
        // No sliver left behind for a request of its own.
        if remaining - size < MIN_PIECE_BYTES {
            remaining
        } else {
            size
        }
    }

    /// Bytes no connection has been given.
    pub(super) fn unclaimed(&self) -> u64 {
        let given_back: u64 = self
            .parts
            .iter()
            .filter(|p| !p.owned)
            .map(|p| p.end - p.read)
            .sum();
        self.total - self.frontier + given_back
    }

    /// Whether a new request may be made now.
    pub(super) fn may_ask(&self) -> bool {
        self.stop.is_none() && (!self.no_new_requests || self.last_resort)
    }

    /// Work for a connection that must ask for it: a part given back, lowest first; else the
    /// next piece at the frontier; else the back half of the largest part still being fetched.
    /// `None` when there is none, or this connection is one too many.
    pub(super) fn claim(&mut self) -> Option<usize> {
        if !self.may_ask() || self.running > self.target {
            return None;
        }
        // Near the expiry; or down to one connection (a second did not help): the request runs
        // to the object's end, so that the one stream needs no further request.
        let open = self.open_requests || (self.target == 1 && self.running <= 1);
        if let Some(i) = self
            .parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.owned && p.read < p.end)
            .min_by_key(|(_, p)| p.read)
            .map(|(i, _)| i)
        {
            let part = &mut self.parts[i];
            part.owned = true;
            part.open = open && part.end == self.frontier;
            return Some(i);
        }
        if self.frontier < self.total {
            let start = self.frontier;
            self.frontier += self.piece_size();
            self.parts.push(Part::new(start, self.frontier, open));
            return Some(self.parts.len() - 1);
        }
        let (i, left) = self
            .parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.owned)
            .map(|(i, p)| (i, p.end - p.read))
            .max_by_key(|&(_, left)| left)?;
        if left < 2 * MIN_SPLIT_BYTES {
            return None;
        }
        let middle = self.parts[i].read + left / 2;
        let end = std::mem::replace(&mut self.parts[i].end, middle);
        // The back half takes over the right to carry on past the end.
        let open_back = std::mem::take(&mut self.parts[i].open) && open;
        self.parts.push(Part::new(middle, end, open_back));
        Some(self.parts.len() - 1)
    }

    /// Lets the connection on part `index`, whose request runs to the object's end, carry on
    /// past the part's end when the bytes there are nobody's yet.
    pub(super) fn carry_on(&mut self, index: usize) -> bool {
        let part = &self.parts[index];
        // Near the expiry, a connection already streaming keeps going rather than leave the
        // rest to a request that may come too late.
        let allowed = self.running <= self.target || self.open_requests;
        if !part.open || part.end != self.frontier || self.frontier >= self.total || !allowed {
            return false;
        }
        let size = self.piece_size();
        self.frontier += size;
        self.parts[index].end = self.frontier;
        true
    }

    /// Every byte below this offset is in the file.
    pub(super) fn complete_below(&self) -> u64 {
        self.parts
            .iter()
            .filter(|p| p.written < p.end)
            .map(|p| p.written)
            .min()
            .unwrap_or(self.frontier)
    }

    pub(super) fn complete(&self) -> bool {
        self.frontier >= self.total && self.parts.iter().all(|p| p.written >= p.end)
    }

    pub(super) fn stop(&mut self, why: Stop) {
        self.stop.get_or_insert(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;

    fn board(total: u64, target: u32, rate: f64) -> Board {
        let mut board = Board::new(total, Duration::from_millis(80));
        board.target = target;
        board.running = target;
        board.streaming = target;
        board.rate = rate;
        board
    }

    #[test]
    fn the_first_answer_streams_a_first_piece_and_carries_on_alone() {
        let mut board = board(100 * MIB, 1, 16.0 * MIB as f64);
        assert_eq!(
            (board.parts[0].read, board.parts[0].end),
            (0, MIN_PIECE_BYTES)
        );
        assert!(board.parts[0].open);
        board.parts[0].read = board.parts[0].end;
        assert!(board.carry_on(0), "nobody else: the same answer goes on");
        assert_eq!(board.parts[0].end, board.frontier);
        assert!(board.frontier > MIN_PIECE_BYTES);
        // Another connection took the next piece: no carrying on past it.
        let other = board.claim().unwrap();
        board.parts[0].read = board.parts[0].end;
        assert!(!board.carry_on(0));
        assert_eq!(board.parts[other].read, board.parts[0].end, "file order");
    }

    #[test]
    fn pieces_go_in_file_order_sized_to_the_rate_and_shrinking_to_the_end() {
        let total = 1024 * MIB;
        let mut board = board(total, 4, 4.0 * 2.0 * MIB as f64);
        let mut last_end = board.frontier;
        let mut sizes = Vec::new();
        while let Some(i) = board.claim() {
            let part = &board.parts[i];
            if part.read != last_end {
                break; // the frontier is used up: this is a split
            }
            assert!(part.end > part.read);
            sizes.push(part.end - part.read);
            last_end = part.end;
            if board.frontier == total {
                break;
            }
        }
        assert_eq!(last_end, total, "no gap, no overlap, to the end");
        assert_eq!(
            sizes[0],
            4 * MIB,
            "two seconds of one connection at 2 MiB/s"
        );
        let (last, before) = sizes.split_last().unwrap();
        assert!(before.windows(2).all(|w| w[1] <= w[0]), "{sizes:?}");
        assert!(
            *last < 2 * MIN_PIECE_BYTES,
            "no sliver of its own: {sizes:?}"
        );
        assert!(
            *sizes.last().unwrap() < 8 * MIB,
            "small at the end: {sizes:?}"
        );
        assert!(sizes.iter().all(|&s| s >= MIN_PIECE_BYTES));
    }

    #[test]
    fn piece_sizes_cannot_overflow() {
        let mut board = board(u64::MAX - 1, 1, f64::MAX);
        let i = board.claim().unwrap();
        assert_eq!(board.parts[i].end - board.parts[i].read, AHEAD_BYTES / 2);
    }

    #[test]
    fn an_idle_connection_takes_the_back_half_of_the_longest_part() {
        let mut board = board(64 * MIB, 2, 0.0);
        board.frontier = 64 * MIB;
        board.parts = vec![
            Part::new(0, 32 * MIB, false),
            Part::new(32 * MIB, 64 * MIB, false),
        ];
        board.parts[0].read = 8 * MIB;
        board.parts[1].read = 44 * MIB;
        // Part 0 has 24 MiB left, part 1 20 MiB: part 0 is split.
        let stolen = board.claim().unwrap();
        assert_eq!(board.parts[0].end, 20 * MIB);
        assert_eq!(
            (board.parts[stolen].read, board.parts[stolen].end),
            (20 * MIB, 32 * MIB)
        );
        // Too little left to be worth a request: no split.
        board.parts[0].read = 19 * MIB;
        board.parts[1].read = 63 * MIB;
        board.parts[stolen].read = 31 * MIB;
        assert_eq!(board.claim(), None);
    }

    #[test]
    fn a_part_given_back_is_taken_first_and_the_lowest_first() {
        let mut board = board(256 * MIB, 3, 0.0);
        let a = board.claim().unwrap();
        let b = board.claim().unwrap();
        board.parts[b].owned = false;
        board.parts[a].owned = false;
        assert_eq!(board.claim(), Some(a));
        assert_eq!(board.claim(), Some(b));
    }

    #[test]
    fn one_connection_too_many_gets_no_work() {
        let mut board = board(256 * MIB, 2, 0.0);
        board.running = 3;
        assert_eq!(board.claim(), None);
        board.running = 2;
        assert!(board.claim().is_some());
    }

    #[test]
    fn back_to_one_connection_the_next_request_runs_to_the_end() {
        let mut board = board(256 * MIB, 2, 400.0 * MIB as f64);
        let i = board.claim().unwrap();
        assert!(
            !board.parts[i].open,
            "two connections: a piece of its own size"
        );
        // The second did not help: one connection is left, asking for what remains.
        board.target = 1;
        board.running = 1;
        board.parts[i].read = board.parts[i].end;
        board.parts[i].owned = false;
        let j = board.claim().unwrap();
        assert!(
            board.parts[j].open,
            "one stream to the end, no further request"
        );
        let requests = board.parts.len();
        while board.frontier < board.total {
            board.parts[j].read = board.parts[j].end;
            assert!(
                board.carry_on(j),
                "the one stream carries on at {}",
                board.frontier
            );
        }
        assert_eq!(board.parts[j].end, board.total, "up to the object's end");
        assert_eq!(board.parts.len(), requests, "with no further request");
    }

    #[test]
    fn pieces_stay_within_reach_of_the_md5() {
        for target in [1, 2, 4, 8, 32] {
            let mut board = board(4096 * MIB, target, 4096.0 * MIB as f64);
            board.frontier = MIB;
            let size = board.piece_size();
            assert!(
                size * u64::from(target) <= AHEAD_BYTES / 2 || size == MIN_PIECE_BYTES,
                "{target}: {size}"
            );
        }
    }

    #[test]
    fn close_to_expiry_requests_run_to_the_end_then_none_is_made() {
        let mut board = board(256 * MIB, 2, 0.0);
        board.open_requests = true;
        let i = board.claim().unwrap();
        assert!(board.parts[i].open);
        board.parts[i].read = board.parts[i].end;
        board.no_new_requests = true;
        board.running = 3;
        assert!(
            board.carry_on(i),
            "the connection at the frontier carries on, even when one too many"
        );
        assert_eq!(board.claim(), None, "no new request");
        board.running = 1;
        board.last_resort = true;
        assert!(board.claim().is_some(), "unless nothing else can finish");
    }

    #[test]
    fn the_file_is_complete_below_the_lowest_unwritten_byte() {
        let mut board = board(40 * MIB, 2, 0.0);
        let second = board.claim().unwrap();
        assert_eq!(board.complete_below(), 0);
        board.parts[second].written = board.parts[second].end;
        board.parts[0].written = MIB;
        assert_eq!(board.complete_below(), MIB);
        board.parts[0].written = board.parts[0].end;
        assert_eq!(board.complete_below(), board.frontier, "both whole");
        assert!(!board.complete(), "the frontier is not the end");
    }

    #[test]
    fn a_stopped_board_gives_no_more_work() {
        let mut board = board(64 * MIB, 4, 0.0);
        board.stop(Stop::OneStream(SingleStreamReason::RangesIgnored));
        assert_eq!(board.claim(), None);
    }
}
