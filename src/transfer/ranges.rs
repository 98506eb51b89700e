//! A large download in byte ranges over several connections at once, the way download
//! managers fill a long-distance line that one TCP stream cannot, and only as many as help.
//!
//! Ranges are learned from the first answer, never from a separate probe: the plain `GET`
//! streams from the first byte while [`super::adapt`] measures it and decides whether more
//! connections raise the rate. Pieces are handed out lowest offset first, sized to the rate, so
//! the file is complete up to a point that trails the frontier by a few pieces and the hasher
//! keeps up. Each connection asks for its next piece shortly before the current one ends, so
//! the line never idles for a round trip; an idle connection takes the back half of the largest
//! piece left. Near the link's expiry new requests run to the object's end and whoever holds the
//! frontier carries on into it, so the download ends as one stream would. Every range is asked
//! for with `If-Match` on the first answer's ETag; an answer that ignores `Range` or shows
//! another ETag ends the ranges, and the caller starts over in one stream, so two versions of
//! the object are never spliced.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, IF_MATCH, RANGE};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::adapt::{Controller, Reading};
use super::hasher::Feed;
use super::http::{Answer, network_error, send};
use super::meter::Meter;
use super::retry::{backoff, is_retryable_refusal};
use super::{ConnectionsReason, Outcome, SingleStreamReason, TransferError};

/// Downloads larger than this may use several connections.
pub const MIN_BYTES: u64 = crate::exchange::RANGES_MIN_BYTES;
/// A piece is split for an idle connection only when both halves get at least this much: a
/// new request costs a round trip.
const MIN_SPLIT_BYTES: u64 = 4 * 1024 * 1024;
/// The smallest piece handed out (the last may be smaller).
const MIN_PIECE_BYTES: u64 = 2 * 1024 * 1024;
/// A piece carries about this much of one connection's transfer.
const PIECE_SECS: f64 = 2.0;
/// What each connection gathers before writing: its memory, bounded.
const WRITE_BYTES: usize = 1024 * 1024;
/// How far writes may run ahead of the MD5: what is left to hash after the last byte, at
/// most (about 0.1 s of hashing). Pieces are sized so that the connections' spread fits in it.
const AHEAD_BYTES: u64 = 48 * 1024 * 1024;
/// A write waits for the MD5 at most this long: a soft limit, so that no wait can hold up the
/// connection that would let the MD5 move on.
const AHEAD_WAIT: Duration = Duration::from_millis(500);
/// How often the connections' rate is read.
const TICK: Duration = Duration::from_millis(25);
/// Before the last moment for a new request, new requests run to the object's end, so the
/// connection at the frontier can carry on past it.
const OPEN_LEAD: Duration = Duration::from_secs(10);

/// The first answer: a `200` for the whole object, streaming from its first byte.
pub(super) struct First {
    pub response: reqwest::Response,
    pub total: u64,
    /// How long it took to arrive.
    pub took: Duration,
}

/// Everything the connections share.
pub(super) struct Job {
    pub client: reqwest::Client,
    pub url: reqwest::Url,
    pub headers: HeaderMap,
    /// The first answer's ETag: every range is asked for with it and must show it.
    pub etag: String,
    /// The partial file, already `total` long.
    pub file: Arc<std::fs::File>,
    /// Named in messages about writing.
    pub destination: PathBuf,
    pub meter: Meter,
    /// Told how far the file is complete, when verifying.
    pub feed: Option<Feed>,
    /// The most connections at once.
    pub connections: u32,
    /// Attempts each range may make.
    pub max_attempts: u32,
    pub stall_timeout: Duration,
    pub backoff_base: Duration,
    /// No new request from this moment on (the link's expiry on the server's clock, less a
    /// margin), unless nothing else can finish the download.
    pub last_request: Option<Instant>,
}

/// How a download in ranges ended.
pub(super) enum End {
    /// Every byte is in the file (and was fed to the hasher).
    Complete {
        /// Connections it settled on.
        connections: u32,
        reason: ConnectionsReason,
    },
    /// Ranges cannot be used for this object now: start over in one stream.
    OneStream(SingleStreamReason),
    /// A range was refused in a way no retry mends (an expired link...), or kept being refused
    /// until its attempts ran out (its last answer).
    Refused(Outcome),
}

/// A stretch of the object, fetched by at most one connection. The parts partition the object
/// below the frontier.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    /// The next byte to take from the network.
    read: u64,
    /// The next byte to write; the file holds every byte of this part below it.
    written: u64,
    /// One past the last byte (lowered when the part is split, raised when its connection
    /// carries on past it).
    end: u64,
    owned: bool,
    /// Its request runs to the object's end: its connection may carry on past `end`.
    open: bool,
    failures: u32,
}

impl Part {
    fn new(start: u64, end: u64, open: bool) -> Self {
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
enum Stop {
    OneStream(SingleStreamReason),
    Refused(Outcome),
    Failed(TransferError),
}

struct Board {
    parts: Vec<Part>,
    total: u64,
    /// Every byte from here on is nobody's yet: pieces are cut from here, in file order.
    frontier: u64,
    /// Connections wanted now.
    target: u32,
    running: u32,
    /// Connections that have received bytes and are still running.
    streaming: u32,
    /// The total rate, bytes per second, as last measured.
    rate: f64,
    /// The latest time a range request took to answer.
    answer_time: Duration,
    /// 503 / SlowDown answers so far.
    slowdowns: u32,
    /// New requests run to the object's end (the link's expiry is near).
    open_requests: bool,
    /// No new request may be made (the link is about to expire)...
    no_new_requests: bool,
    /// ...unless nothing else can finish the download.
    last_resort: bool,
    /// How far the hasher was told the file is complete.
    hashed: u64,
    stop: Option<Stop>,
}

impl Board {
    /// The first answer streams the first piece and may carry on past it.
    fn new(total: u64, answer_time: Duration) -> Self {
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
    fn piece_size(&self) -> u64 {
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
    fn unclaimed(&self) -> u64 {
        let given_back: u64 = self
            .parts
            .iter()
            .filter(|p| !p.owned)
            .map(|p| p.end - p.read)
            .sum();
        self.total - self.frontier + given_back
    }

    /// Whether a new request may be made now.
    fn may_ask(&self) -> bool {
        self.stop.is_none() && (!self.no_new_requests || self.last_resort)
    }

    /// Work for a connection that must ask for it: a part given back, lowest first; else the
    /// next piece at the frontier; else the back half of the largest part still being fetched.
    /// `None` when there is none, or this connection is one too many.
    fn claim(&mut self) -> Option<usize> {
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
    fn carry_on(&mut self, index: usize) -> bool {
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
    fn complete_below(&self) -> u64 {
        self.parts
            .iter()
            .filter(|p| p.written < p.end)
            .map(|p| p.written)
            .min()
            .unwrap_or(self.frontier)
    }

    fn complete(&self) -> bool {
        self.frontier >= self.total && self.parts.iter().all(|p| p.written >= p.end)
    }

    fn stop(&mut self, why: Stop) {
        self.stop.get_or_insert(why);
    }
}

/// Why one connection's fetch of a part ended early.
enum Trouble {
    /// Passing: give the part back and try again after a wait.
    Retry {
        /// The server's refusal, when it was one (503, SlowDown...): kept for the explainer
        /// should it be the last.
        refused: Option<Outcome>,
        error: TransferError,
    },
    /// Everything stops.
    Stop(Stop),
}

/// Downloads the object over as many connections as help, up to `job.connections`, `first`
/// streaming from the first byte. Returns once every connection has stopped (no write is left
/// running).
pub(super) async fn download(job: Job, first: First) -> Result<End, TransferError> {
    let total = first.total;
    let board = Arc::new(Mutex::new(Board::new(total, first.took)));
    let job = Arc::new(job);
    let stop = CancellationToken::new();
    let mut controller = Controller::new(job.connections, first.took, Instant::now());
    let mut workers = JoinSet::new();
    lock(&board).running = 1;
    workers.spawn(connection(
        job.clone(),
        board.clone(),
        stop.clone(),
        Some((0, first.response)),
    ));
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            joined = workers.join_next() => {
                match joined {
                    Some(Err(_)) => {
                        lock(&board).stop(Stop::Failed(TransferError::Network(
                            "a connection ended unexpectedly".to_owned(),
                        )));
                        stop.cancel();
                    }
                    Some(Ok(())) => {}
                    None => {
                        // Every connection stopped: done, stopped, or work left that only a
                        // new connection can take (given back by one that stopped).
                        let mut shared = lock(&board);
                        if shared.stop.is_some() || shared.complete() {
                            break;
                        }
                        if shared.no_new_requests {
                            // Nothing else can finish it: ask anyway, and let the answer say.
                            shared.last_resort = true;
                        }
                        shared.target = shared.target.max(1);
                        shared.running += 1;
                        workers.spawn(connection(job.clone(), board.clone(), stop.clone(), None));
                    }
                }
            }
            _ = ticker.tick() => {
                let now = Instant::now();
                let mut shared = lock(&board);
                if let Some(last) = job.last_request {
                    shared.no_new_requests |= now >= last;
                    shared.open_requests |= now + OPEN_LEAD >= last;
                }
                let bytes = job.meter.bytes();
                let target = controller.tick(Reading {
                    now,
                    bytes,
                    remaining: shared.total.saturating_sub(bytes),
                    streaming: shared.streaming,
                    slowdowns: shared.slowdowns,
                    closing: shared.no_new_requests,
                    unclaimed: shared.unclaimed(),
                });
                shared.rate = controller.rate();
                shared.target = target;
                while shared.running < shared.target && shared.unclaimed() > 0 && shared.may_ask() {
                    shared.running += 1;
                    workers.spawn(connection(job.clone(), board.clone(), stop.clone(), None));
                }
            }
        }
    }
    let stopped = lock(&board).stop.take();
    match stopped {
        Some(Stop::OneStream(why)) => Ok(End::OneStream(why)),
        Some(Stop::Refused(outcome)) => Ok(End::Refused(outcome)),
        Some(Stop::Failed(error)) => Err(error),
        None => {
            if let Some(feed) = &job.feed {
                feed.file_up_to(total).await;
            }
            Ok(End::Complete {
                connections: controller.target(),
                reason: controller.reason(),
            })
        }
    }
}

fn lock(board: &Mutex<Board>) -> MutexGuard<'_, Board> {
    board
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A part a connection is to fetch, and how far its request has come.
enum Start {
    /// Not asked for yet.
    Ask(usize),
    /// Asked for ahead of time.
    Asked(
        usize,
        JoinHandle<Result<Option<reqwest::Response>, Trouble>>,
    ),
    /// Answered (the first answer).
    Answered(usize, reqwest::Response),
}

impl Start {
    fn index(&self) -> usize {
        match self {
            Start::Ask(i) | Start::Asked(i, _) | Start::Answered(i, _) => *i,
        }
    }
}

/// One connection: fetches parts until none is left, it is one too many, or everything stops.
async fn connection(
    job: Arc<Job>,
    board: Arc<Mutex<Board>>,
    stop: CancellationToken,
    first: Option<(usize, reqwest::Response)>,
) {
    let mut next = first.map(|(index, response)| Start::Answered(index, response));
    let mut streamed = false;
    loop {
        let start = match next.take() {
            Some(start) => start,
            None => match lock(&board).claim() {
                Some(index) => Start::Ask(index),
                None => break,
            },
        };
        let index = start.index();
        let trouble = match fetch(&job, &board, start, &stop, &mut streamed).await {
            Ok(ahead) => {
                next = ahead;
                continue;
            }
            Err((trouble, ahead)) => {
                if let Some(ahead) = ahead {
                    give_back(&board, ahead);
                }
                trouble
            }
        };
        // Decided under the lock, acted on after it.
        let wait = {
            let mut shared = lock(&board);
            match trouble {
                Trouble::Stop(why) => {
                    shared.stop(why);
                    None
                }
                Trouble::Retry { refused, error } => {
                    let part = &mut shared.parts[index];
                    part.owned = false;
                    part.failures += 1;
                    let failures = part.failures;
                    if failures >= job.max_attempts {
                        shared.stop(match refused {
                            Some(outcome) => Stop::Refused(outcome),
                            None => Stop::Failed(error),
                        });
                        None
                    } else {
                        if refused.as_ref().is_some_and(asks_to_slow_down) {
                            shared.slowdowns += 1;
                        }
                        Some(failures)
                    }
                }
            }
        };
        let Some(failures) = wait else {
            if lock(&board).stop.is_some() {
                stop.cancel();
            }
            break;
        };
        tokio::select! {
            () = stop.cancelled() => break,
            () = tokio::time::sleep(backoff(job.backoff_base, failures)) => {}
        }
        job.meter.touch();
    }
    let mut shared = lock(&board);
    shared.running -= 1;
    if streamed {
        shared.streaming -= 1;
    }
}

/// A 503 or `SlowDown`: the server wants fewer requests.
fn asks_to_slow_down(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Refused(r)
        if r.status == 503 || r.body.code.as_deref() == Some("SlowDown"))
}

/// A part asked for ahead of time and not fetched: nobody's again.
fn give_back(board: &Mutex<Board>, ahead: Start) {
    if let Start::Asked(_, handle) = &ahead {
        handle.abort();
    }
    let mut shared = lock(board);
    let part = &mut shared.parts[ahead.index()];
    part.owned = false;
}

/// Fetches the part `start` names to its end, writing as it goes, and asks for the next one
/// shortly before (returned). Never returns while a write is running; on trouble, returns the
/// part asked for ahead, if any, so it can be given back.
async fn fetch(
    job: &Arc<Job>,
    board: &Arc<Mutex<Board>>,
    start: Start,
    stop: &CancellationToken,
    streamed: &mut bool,
) -> Result<Option<Start>, (Trouble, Option<Start>)> {
    let index = start.index();
    let answer = match start {
        Start::Answered(_, response) => Ok(Some(response)),
        Start::Ask(_) => request(job, board, index, stop).await,
        Start::Asked(_, handle) => match handle.await {
            Ok(answer) => answer,
            Err(_) => Ok(None),
        },
    };
    let mut response = match answer {
        Ok(Some(response)) => response,
        Ok(None) => return Ok(None),
        Err(trouble) => return Err((trouble, None)),
    };
    let mut ahead: Option<Start> = None;
    let mut buffer = Vec::with_capacity(WRITE_BYTES);
    let mut write_at_offset = lock(board).parts[index].written;
    let ended: Result<(), Trouble> = loop {
        let next = tokio::select! {
            () = stop.cancelled() => break Ok(()),
            next = tokio::time::timeout(job.stall_timeout, response.chunk()) => next,
        };
        let chunk = match next {
            Err(_) => break Err(retry(TransferError::Stalled(job.stall_timeout.as_secs()))),
            Ok(Err(e)) => break Err(retry(network_error(e))),
            Ok(Ok(None)) => break Ok(()),
            Ok(Ok(Some(chunk))) => chunk,
        };
        // Take what belongs to this part: its end may have moved down (split for another) or
        // up (carrying on past it).
        let (take, at_end, ask_ahead) = {
            let mut shared = lock(board);
            if !*streamed {
                *streamed = true;
                shared.streaming += 1;
            }
            let mut take = 0;
            let at_end = loop {
                let part = &mut shared.parts[index];
                let more = (chunk.len() as u64 - take).min(part.end - part.read);
                part.read += more;
                take += more;
                if part.read < part.end {
                    break false;
                }
                if !shared.carry_on(index) {
                    break true;
                }
            };
            let part = &shared.parts[index];
            let left = part.end - part.read;
            // Ask for the next piece when what is left here arrives in about the time an
            // answer takes, unless this connection will carry on past its end.
            let per_connection = shared.rate / f64::from(shared.streaming.max(1));
            let lead = (per_connection * (shared.answer_time.as_secs_f64() * 1.5 + 0.02)) as u64;
            let carries_on = part.open && part.end == shared.frontier;
            let ask_ahead = (ahead.is_none() && !at_end && left <= lead && !carries_on)
                .then(|| shared.claim())
                .flatten();
            (take as usize, at_end, ask_ahead)
        };
        if let Some(next) = ask_ahead {
            let (job, board, stop) = (job.clone(), board.clone(), stop.clone());
            let handle = tokio::spawn(async move { request(&job, &board, next, &stop).await });
            ahead = Some(Start::Asked(next, handle));
        }
        buffer.extend_from_slice(&chunk[..take]);
        job.meter.count(take as u64);
        if (buffer.len() >= WRITE_BYTES || at_end)
            && let Err(trouble) =
                write(job, board, index, &mut buffer, &mut write_at_offset, stop).await
        {
            return Err((trouble, ahead));
        }
        if at_end {
            break Ok(());
        }
    };
    // What arrived is good even when the rest did not: keep it, so a retry resumes after it.
    if let Err(trouble) = write(job, board, index, &mut buffer, &mut write_at_offset, stop).await {
        return Err((trouble, ahead));
    }
    if let Err(trouble) = ended {
        return Err((trouble, ahead));
    }
    let left = {
        let shared = lock(board);
        let part = &shared.parts[index];
        part.end - part.written
    };
    if left > 0 && !stop.is_cancelled() {
        let error = TransferError::Network(format!(
            "the answer ended {left} bytes before the end of its range"
        ));
        return Err((retry(error), ahead));
    }
    Ok(ahead)
}

fn retry(error: TransferError) -> Trouble {
    Trouble::Retry {
        refused: None,
        error,
    }
}

/// Asks for the rest of part `index`; `None` when everything stopped meanwhile.
async fn request(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    stop: &CancellationToken,
) -> Result<Option<reqwest::Response>, Trouble> {
    let (from, end, open) = {
        let shared = lock(board);
        let part = &shared.parts[index];
        (part.read, part.end, part.open)
    };
    let range = if open {
        format!("bytes={from}-")
    } else {
        format!("bytes={from}-{}", end - 1)
    };
    let request = job
        .client
        .get(job.url.clone())
        .headers(job.headers.clone())
        .header(RANGE, range)
        .header(IF_MATCH, &job.etag);
    job.meter.touch();
    let asked = Instant::now();
    let answer = tokio::select! {
        () = stop.cancelled() => return Ok(None),
        answer = tokio::time::timeout(job.stall_timeout, send(request)) => answer,
    };
    let (response, facts) = match answer {
        Err(_) => return Err(retry(TransferError::Stalled(job.stall_timeout.as_secs()))),
        Ok(Err(error)) => return Err(retry(error)),
        Ok(Ok(Answer::Accepted(response, facts))) => (response, facts),
        Ok(Ok(Answer::Refused(outcome))) => {
            let Outcome::Refused(refusal) = &outcome else {
                return Err(Trouble::Stop(Stop::Refused(outcome)));
            };
            if refusal.status == 412 {
                // If-Match failed: the object is another one now.
                return Err(Trouble::Stop(Stop::OneStream(
                    SingleStreamReason::ObjectChanged,
                )));
            }
            if is_retryable_refusal(refusal) {
                let code = refusal.body.code.as_deref();
                let error = TransferError::Network(format!(
                    "HTTP {} {}",
                    refusal.status,
                    code.unwrap_or(&refusal.reason)
                ));
                return Err(Trouble::Retry {
                    refused: Some(outcome),
                    error,
                });
            }
            return Err(Trouble::Stop(Stop::Refused(outcome)));
        }
    };
    lock(board).answer_time = asked.elapsed();
    if response.status().as_u16() != 206 {
        return Err(Trouble::Stop(Stop::OneStream(
            SingleStreamReason::RangesIgnored,
        )));
    }
    // A server that ignores If-Match still names the object it sends.
    if facts.etag.as_deref() != Some(job.etag.as_str()) {
        return Err(Trouble::Stop(Stop::OneStream(
            SingleStreamReason::ObjectChanged,
        )));
    }
    let starts_here = facts
        .content_range
        .as_deref()
        .is_some_and(|r| r.starts_with(&format!("bytes {from}-")));
    if !starts_here {
        return Err(Trouble::Stop(Stop::OneStream(
            SingleStreamReason::RangesIgnored,
        )));
    }
    Ok(Some(response))
}

/// Writes `buffer` at `offset` (off the runtime's threads), records it, and tells the hasher
/// how far the file is now complete. A write far ahead of the MD5 waits for it first, so
/// that the connection slows to the MD5's pace when hashing is the slowest part.
async fn write(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    buffer: &mut Vec<u8>,
    offset: &mut u64,
    stop: &CancellationToken,
) -> Result<(), Trouble> {
    if buffer.is_empty() {
        return Ok(());
    }
    if let Some(feed) = &job.feed {
        let end = *offset + buffer.len() as u64;
        tokio::select! {
            () = stop.cancelled() => {}
            _ = tokio::time::timeout(AHEAD_WAIT, feed.hashed_to(end.saturating_sub(AHEAD_BYTES))) => {}
        }
    }
    let failed = |reason: String| {
        Trouble::Stop(Stop::Failed(TransferError::WriteFile {
            path: job.destination.clone(),
            reason,
        }))
    };
    let file = job.file.clone();
    let (bytes, at) = (std::mem::take(buffer), *offset);
    let written = tokio::task::spawn_blocking(move || write_at(&file, &bytes, at).map(|()| bytes))
        .await
        .map_err(|e| failed(e.to_string()))?
        .map_err(|e| failed(e.to_string()))?;
    *offset += written.len() as u64;
    let complete = {
        let mut shared = lock(board);
        shared.parts[index].written = *offset;
        let complete = shared.complete_below();
        (complete > shared.hashed).then(|| {
            shared.hashed = complete;
            complete
        })
    };
    match (complete, &job.feed) {
        // Everything below these bytes is in the file: the MD5 takes them from memory (no read
        // back), as a single stream's; unless it is behind, so that memory stays bounded.
        (Some(complete), Some(feed)) if *offset <= complete && feed.has_room() => {
            feed.written_at(at, Bytes::from(written)).await;
            *buffer = Vec::with_capacity(WRITE_BYTES);
            if complete > *offset {
                feed.file_up_to(complete).await;
            }
        }
        (Some(complete), Some(feed)) => {
            feed.file_up_to(complete).await;
            *buffer = written;
        }
        _ => *buffer = written,
    }
    buffer.clear();
    Ok(())
}

/// Writes all of `bytes` at `offset`, leaving the file's position alone (several writers may
/// share one file).
fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            let n = std::os::windows::fs::FileExt::seek_write(
                file,
                &bytes[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            done += n;
        }
        Ok(())
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
