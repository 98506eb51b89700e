//! A large download in byte ranges over several connections at once, the way download
//! managers fill a long-distance line that one TCP stream cannot.
//!
//! Ranges are learned from the first answer, never from a separate probe: the plain `GET`
//! streams the first range while the others are asked for with `Range` and `If-Match` on that
//! answer's ETag. Each range is written in place into the pre-sized partial file, retries and
//! resumes on its own, and is split when a connection falls idle so all finish together. An
//! answer that ignores `Range` or shows another ETag ends the ranges: the caller starts over in
//! one stream, so two versions of the object are never spliced.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{HeaderMap, IF_MATCH, RANGE};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::hasher::Feed;
use super::http::{Answer, network_error, send};
use super::meter::Meter;
use super::retry::{backoff, is_retryable_refusal};
use super::{Outcome, SingleStreamReason, TransferError};

/// Downloads larger than this may use several connections.
pub const MIN_BYTES: u64 = crate::exchange::RANGES_MIN_BYTES;
/// A range is split for an idle connection only when both halves get at least this much: a
/// new request costs a round trip.
const MIN_SPLIT_BYTES: u64 = 4 * 1024 * 1024;
/// What each connection gathers before writing: its memory, bounded.
const WRITE_BYTES: usize = 1024 * 1024;

/// The first answer: a `200` for the whole object, streaming from its first byte.
pub(super) struct First {
    pub response: reqwest::Response,
    pub total: u64,
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
    pub connections: u32,
    /// Attempts each range may make.
    pub max_attempts: u32,
    pub stall_timeout: Duration,
    pub backoff_base: Duration,
}

/// How a download in ranges ended.
pub(super) enum End {
    /// Every byte is in the file (and was fed to the hasher).
    Complete {
        /// Connections that ran at once at most.
        connections: u32,
    },
    /// Ranges cannot be used for this object now: start over in one stream.
    OneStream(SingleStreamReason),
    /// A range was refused in a way no retry mends (an expired link...).
    Refused(Outcome),
}

/// A stretch of the object, fetched by at most one connection. The parts partition the object.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    /// The next byte to take from the network.
    read: u64,
    /// The next byte to write; the file holds every byte of this part below it.
    written: u64,
    /// One past the last byte (lowered when the part is split).
    end: u64,
    owned: bool,
    failures: u32,
}

impl Part {
    fn new(start: u64, end: u64, owned: bool) -> Self {
        Part {
            read: start,
            written: start,
            end,
            owned,
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
    /// Connections allowed now (halved by each 503 / SlowDown).
    target: u32,
    running: u32,
    peak: u32,
    /// How far the hasher was told the file is complete.
    hashed: u64,
    stop: Option<Stop>,
}

impl Board {
    fn new(total: u64, connections: u32) -> Self {
        let n = u64::from(connections.max(1));
        let parts = (0..n)
            .map(|i| Part::new(total * i / n, total * (i + 1) / n, i == 0))
            .filter(|p| p.read < p.end)
            .collect();
        Board {
            parts,
            total,
            target: connections.max(1),
            running: 0,
            peak: 0,
            hashed: 0,
            stop: None,
        }
    }

    /// A part for an idle connection: the first nobody fetches, else the second half of the
    /// longest one still being fetched.
    fn claim(&mut self) -> Option<usize> {
        if self.stop.is_some() {
            return None;
        }
        if let Some(i) = self.parts.iter().position(|p| !p.owned && p.read < p.end) {
            self.parts[i].owned = true;
            return Some(i);
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
        self.parts.push(Part::new(middle, end, true));
        Some(self.parts.len() - 1)
    }

    /// Every byte below this offset is in the file.
    fn complete_below(&self) -> u64 {
        self.parts
            .iter()
            .filter(|p| p.written < p.end)
            .map(|p| p.written)
            .min()
            .unwrap_or(self.total)
    }

    fn unclaimed(&self) -> usize {
        self.parts
            .iter()
            .filter(|p| !p.owned && p.read < p.end)
            .count()
    }

    fn stop(&mut self, why: Stop) {
        self.stop.get_or_insert(why);
    }
}

/// Why one connection's fetch of a part ended early.
enum Trouble {
    /// Passing: give the part back and try again after a wait.
    Retry {
        /// The server asked for less load (503, SlowDown).
        busy: bool,
        error: TransferError,
    },
    /// Everything stops.
    Stop(Stop),
}

/// Downloads the object over up to `job.connections` connections, `first` streaming the first
/// part. Returns once every connection has stopped (no write is left running).
pub(super) async fn download(job: Job, first: First) -> Result<End, TransferError> {
    let board = Arc::new(Mutex::new(Board::new(first.total, job.connections)));
    let job = Arc::new(job);
    let stop = CancellationToken::new();
    let mut first_response = Some(first.response);
    loop {
        let mut workers = JoinSet::new();
        {
            let mut shared = lock(&board);
            let wanted = shared.unclaimed() + usize::from(first_response.is_some());
            let count = shared.target.min(u32::try_from(wanted.max(1)).unwrap_or(1));
            for _ in 0..count {
                shared.running += 1;
                shared.peak = shared.peak.max(shared.running);
                let first = first_response.take().map(|r| (0, r));
                workers.spawn(connection(job.clone(), board.clone(), stop.clone(), first));
            }
        }
        while let Some(joined) = workers.join_next().await {
            if joined.is_err() {
                lock(&board).stop(Stop::Failed(TransferError::Network(
                    "a connection ended unexpectedly".to_owned(),
                )));
                stop.cancel();
            }
        }
        let (stopped, complete, peak) = {
            let mut shared = lock(&board);
            let complete = shared.parts.iter().all(|p| p.written >= p.end);
            (shared.stop.take(), complete, shared.peak)
        };
        match stopped {
            Some(Stop::OneStream(why)) => return Ok(End::OneStream(why)),
            Some(Stop::Refused(outcome)) => return Ok(End::Refused(outcome)),
            Some(Stop::Failed(error)) => return Err(error),
            None => {}
        }
        if complete {
            if let Some(feed) = &job.feed {
                feed.file_up_to(first.total).await;
            }
            return Ok(End::Complete { connections: peak });
        }
        // Parts are left over from connections that stopped when the server asked for
        // fewer (they gave their parts back): another round with what is allowed now.
    }
}

fn lock(board: &Mutex<Board>) -> MutexGuard<'_, Board> {
    board
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One connection: fetches parts until none is left, the server asks for fewer connections,
/// or everything stops.
async fn connection(
    job: Arc<Job>,
    board: Arc<Mutex<Board>>,
    stop: CancellationToken,
    mut first: Option<(usize, reqwest::Response)>,
) {
    loop {
        let (index, response) = match first.take() {
            Some((index, response)) => (index, Some(response)),
            None => match lock(&board).claim() {
                Some(index) => (index, None),
                None => break,
            },
        };
        let trouble = match fetch(&job, &board, index, response, &stop).await {
            Ok(()) => continue,
            Err(trouble) => trouble,
        };
        // Decided under the lock, acted on after it.
        let wait = {
            let mut shared = lock(&board);
            match trouble {
                Trouble::Stop(why) => {
                    shared.stop(why);
                    None
                }
                Trouble::Retry { busy, error } => {
                    let part = &mut shared.parts[index];
                    part.owned = false;
                    part.failures += 1;
                    let failures = part.failures;
                    if failures >= job.max_attempts {
                        shared.stop(Stop::Failed(error));
                        None
                    } else {
                        if busy {
                            shared.target = (shared.target / 2).max(1);
                        }
                        // Over the number allowed now, this connection ends; its part waits
                        // for another.
                        (shared.running <= shared.target).then_some(failures)
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
    lock(&board).running -= 1;
}

/// Fetches part `index` (from `response` when it is the first answer) to its end, writing as
/// it goes. Never returns while a write is running.
async fn fetch(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    response: Option<reqwest::Response>,
    stop: &CancellationToken,
) -> Result<(), Trouble> {
    let mut response = match response {
        Some(response) => response,
        None => match request(job, board, index, stop).await? {
            Some(response) => response,
            None => return Ok(()),
        },
    };
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
        // Take what belongs to this part: its end may have moved down (split for another).
        let (take, at_end) = {
            let mut shared = lock(board);
            let part = &mut shared.parts[index];
            let take = (chunk.len() as u64).min(part.end - part.read);
            part.read += take;
            (take as usize, part.read == part.end)
        };
        buffer.extend_from_slice(&chunk[..take]);
        job.meter.count(take as u64);
        if buffer.len() >= WRITE_BYTES || at_end {
            write(job, board, index, &mut buffer, &mut write_at_offset).await?;
        }
        if at_end {
            break Ok(());
        }
    };
    // What arrived is good even when the rest did not: keep it, so a retry resumes after it.
    write(job, board, index, &mut buffer, &mut write_at_offset).await?;
    ended?;
    let shared = lock(board);
    let part = &shared.parts[index];
    if part.written < part.end && !stop.is_cancelled() {
        return Err(retry(TransferError::Network(format!(
            "the answer ended {} bytes before the end of its range",
            part.end - part.written
        ))));
    }
    Ok(())
}

fn retry(error: TransferError) -> Trouble {
    Trouble::Retry { busy: false, error }
}

/// Asks for the rest of part `index`; `None` when everything stopped meanwhile.
async fn request(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    stop: &CancellationToken,
) -> Result<Option<reqwest::Response>, Trouble> {
    let (from, end) = {
        let shared = lock(board);
        (shared.parts[index].read, shared.parts[index].end)
    };
    let request = job
        .client
        .get(job.url.clone())
        .headers(job.headers.clone())
        .header(RANGE, format!("bytes={from}-{}", end - 1))
        .header(IF_MATCH, &job.etag);
    job.meter.touch();
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
                return Err(Trouble::Retry {
                    busy: refusal.status == 503 || code == Some("SlowDown"),
                    error: TransferError::Network(format!(
                        "HTTP {} {}",
                        refusal.status,
                        code.unwrap_or(&refusal.reason)
                    )),
                });
            }
            return Err(Trouble::Stop(Stop::Refused(outcome)));
        }
    };
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
/// how far the file is now complete.
async fn write(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    buffer: &mut Vec<u8>,
    offset: &mut u64,
) -> Result<(), Trouble> {
    if buffer.is_empty() {
        return Ok(());
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
    *buffer = written;
    buffer.clear();
    let complete = {
        let mut shared = lock(board);
        shared.parts[index].written = *offset;
        let complete = shared.complete_below();
        (complete > shared.hashed).then(|| {
            shared.hashed = complete;
            complete
        })
    };
    if let (Some(complete), Some(feed)) = (complete, &job.feed) {
        feed.file_up_to(complete).await;
    }
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

    #[test]
    fn parts_split_the_object_evenly_and_the_first_is_the_first_answers() {
        let board = Board::new(100 * MIB + 3, 8);
        assert_eq!(board.parts.len(), 8);
        assert_eq!(board.parts[0].read, 0);
        assert!(board.parts[0].owned && board.parts[1..].iter().all(|p| !p.owned));
        for pair in board.parts.windows(2) {
            assert_eq!(pair[0].end, pair[1].read, "no gap, no overlap");
        }
        assert_eq!(board.parts[7].end, 100 * MIB + 3);
    }

    #[test]
    fn an_idle_connection_takes_the_back_half_of_the_longest_part() {
        let mut board = Board::new(64 * MIB, 2);
        assert_eq!(board.claim(), Some(1));
        board.parts[1].read = 44 * MIB;
        board.parts[0].read = 8 * MIB;
        // Nothing unclaimed: part 0 has 24 MiB left, part 1 20 MiB; part 0 is split.
        let stolen = board.claim().unwrap();
        assert_eq!(board.parts[0].end, 20 * MIB);
        assert_eq!(
            (board.parts[stolen].read, board.parts[stolen].end),
            (20 * MIB, 32 * MIB)
        );
        // Too little left to be worth a request: no split.
        let mut small = Board::new(6 * MIB, 1);
        assert_eq!(small.claim(), None);
    }

    #[test]
    fn the_file_is_complete_below_the_lowest_unwritten_byte() {
        let mut board = Board::new(40 * MIB, 4);
        assert_eq!(board.complete_below(), 0);
        board.parts[1].written = board.parts[1].end;
        board.parts[0].written = 3 * MIB;
        assert_eq!(board.complete_below(), 3 * MIB);
        board.parts[0].written = board.parts[0].end;
        assert_eq!(board.complete_below(), 20 * MIB, "parts 0 and 1 are whole");
        for part in &mut board.parts {
            part.written = part.end;
        }
        assert_eq!(board.complete_below(), 40 * MIB);
    }

    #[test]
    fn a_stopped_board_gives_no_more_work() {
        let mut board = Board::new(64 * MIB, 4);
        board.stop(Stop::OneStream(SingleStreamReason::RangesIgnored));
        assert_eq!(board.claim(), None);
    }
}
