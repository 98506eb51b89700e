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

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::adapt::{Controller, Reading};
use super::hasher::Feed;
use super::meter::Meter;
use super::{ConnectionsReason, Outcome, SingleStreamReason, TransferError};

mod board;
mod connection;
mod writer;

use board::{Board, Stop};
use connection::connection;

/// Downloads larger than this may use several connections.
pub const MIN_BYTES: u64 = crate::exchange::RANGES_MIN_BYTES;
/// A piece is split for an idle connection only when both halves get at least this much: a
/// new request costs a round trip.
const MIN_SPLIT_BYTES: u64 = 4 * 1024 * 1024;
/// The smallest piece handed out (the last may be smaller).
const MIN_PIECE_BYTES: u64 = 2 * 1024 * 1024;
/// A piece carries about this much of one connection's transfer.
const PIECE_SECS: f64 = 2.0;
/// What each connection gathers before writing: its memory, bounded (16 connections hold
/// 8 MiB at most).
const WRITE_BYTES: usize = 512 * 1024;
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
