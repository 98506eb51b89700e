//! One connection: asks for the part the board gives it (the next one ahead of time, so the
//! line never idles), reads the answer into the file through the writer, and gives a part back
//! on passing trouble, retrying after a wait.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::header::{IF_MATCH, RANGE};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::board::{Board, Stop};
use super::writer::write;
use super::{Job, Trouble, WRITE_BYTES, lock};
use crate::transfer::http::{Answer, network_error, send};
use crate::transfer::retry::{backoff, is_retryable_refusal};
use crate::transfer::{Outcome, SingleStreamReason, TransferError};

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
pub(super) async fn connection(
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
