//! A GCS resumable upload from a signed link that signs `x-goog-resumable: start`: the link
//! starts a session (POST, no body), the storage names the session's address, and the file
//! goes there in chunks of a multiple of 256 KiB, each with its `Content-Range`. After a drop,
//! the session is asked how much it holds (`Content-Range: bytes */LEN`) and the upload goes
//! on from there, so a cut costs only what the storage had not kept. The session's address is
//! a secret like a signature: it is held here only, never reported, printed or saved.

use std::path::Path;
use std::time::Instant;

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, HeaderMap};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::hasher::{Hasher, verify_md5};
use super::http::{network_error, refusal, response_facts};
use super::meter::Meter;
use super::retry::{announce, is_retryable_refusal, refusal_reason, retry_reason};
use super::upload::IO_BUFFER_BYTES;
use super::{Options, Outcome, RetryReason, Success, TransferError};
use crate::link::parts::GCS_CHUNK_BYTES as CHUNK_BYTES;

/// Where a chunk request left the session.
enum Step {
    /// The session holds this many bytes (308 with its `Range`).
    Holds(u64),
    /// The object is whole: the storage's last answer.
    Done(u16, Box<super::ResponseFacts>),
}

/// Uploads the file at `path` (of `planned_len`) through the resumable start link `start`,
/// with `headers` (the file type and any other header the link signs) on the start request.
#[allow(clippy::too_many_arguments)]
pub(super) async fn upload(
    client: &reqwest::Client,
    start: reqwest::Url,
    headers: HeaderMap,
    path: &Path,
    planned_len: u64,
    options: &Options,
    meter: &Meter,
) -> Result<Outcome, TransferError> {
    let read_error = |e| super::upload::read_error(path, e);
    let before = super::upload::as_planned(path, planned_len).await?;
    let len = planned_len;
    let started = Instant::now();
    let session = match start_session(client, start, headers, options, meter).await? {
        Ok(session) => session,
        Err(refused) => return Ok(refused),
    };
    meter.start(Some(len), 0);
    // The digest follows what the session holds: bytes it kept are read back from the file.
    let hasher = match options.verify {
        true => Some(Hasher::of_file(path).await.map_err(read_error)?),
        false => None,
    };
    let feed = hasher.as_ref().map(Hasher::feed);
    let mut held = 0u64;
    let mut attempt = 1;
    // After trouble, the session is asked what it holds before anything more is sent.
    let mut must_ask = false;
    let (status, facts) = loop {
        let result = match must_ask {
            true => ask_session(client, &session, len).await,
            false => {
                let end = (held + CHUNK_BYTES).min(len);
                send_chunk(client, &session, path, held, end, len, meter).await
            }
        };
        must_ask = false;
        let trouble = match result {
            Ok(Ok(Step::Holds(now))) => {
                // What was sent beyond what the session kept goes again.
                meter.give_back(meter.bytes().saturating_sub(now));
                if now > held {
                    attempt = 1;
                }
                held = now.min(len);
                if let Some(feed) = &feed {
                    feed.file_up_to(held).await;
                }
                continue;
            }
            Ok(Ok(Step::Done(status, facts))) => break (status, *facts),
            Ok(Err(Outcome::Refused(refused))) if is_retryable_refusal(&refused) => {
                (refusal_reason(&refused), Ok(Outcome::Refused(refused)))
            }
            Ok(Err(refused)) => return Ok(refused),
            Err(error) if error.is_retryable() => (RetryReason::Failed(error.clone()), Err(error)),
            Err(error) => return Err(error),
        };
        let (reason, last) = trouble;
        if attempt >= options.max_attempts {
            return last;
        }
        tokio::time::sleep(announce(&meter.reporter(), options, attempt, reason)).await;
        attempt += 1;
        must_ask = true;
    };
    if let Some(feed) = &feed {
        feed.file_up_to(len).await;
    }
    let bytes = meter.finish();
    super::upload::still_as_planned(path, &before, len).await?;
    let verification = verify_md5(hasher, &facts, path).await?;
    Ok(Outcome::Succeeded(Box::new(Success {
        status,
        bytes,
        elapsed: started.elapsed(),
        response: facts,
        saved_to: None,
        verification,
        connections: 1,
        connections_reason: None,
        single_stream_reason: None,
        hash_tail: None,
        parts: 0,
        complete_time: None,
        blocks: false,
    })))
}

/// POSTs the start link; the session's address on success, else the refusal.
async fn start_session(
    client: &reqwest::Client,
    start: reqwest::Url,
    headers: HeaderMap,
    options: &Options,
    meter: &Meter,
) -> Result<Result<reqwest::Url, Outcome>, TransferError> {
    let mut attempt = 1;
    loop {
        let request = client
            .post(start.clone())
            .headers(headers.clone())
            .header("x-goog-resumable", "start")
            .header(CONTENT_LENGTH, 0);
        let answer = match request.send().await {
            Ok(response) if response.status().is_success() => {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| reqwest::Url::parse(v).ok());
                return match location {
                    Some(session) => Ok(Ok(session)),
                    None => Err(TransferError::Network(
                        "the storage started no upload session (no Location in its answer)"
                            .to_owned(),
                    )),
                };
            }
            Ok(response) => {
                let facts = response_facts(response.headers());
                Ok(Outcome::Refused(Box::new(refusal(response, facts).await)))
            }
            Err(error) => Err(network_error(error)),
        };
        match retry_reason(&answer) {
            Some(reason) if attempt < options.max_attempts => {
                let delay = announce(&meter.reporter(), options, attempt, reason);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            _ => return answer.map(Err),
        }
    }
}

/// Sends bytes `from..to` of the file (of `len`) to the session.
async fn send_chunk(
    client: &reqwest::Client,
    session: &reqwest::Url,
    path: &Path,
    from: u64,
    to: u64,
    len: u64,
    meter: &Meter,
) -> Result<Result<Step, Outcome>, TransferError> {
    let read_error = |e| super::upload::read_error(path, e);
    let mut file = tokio::fs::File::open(path).await.map_err(read_error)?;
    file.seek(std::io::SeekFrom::Start(from))
        .await
        .map_err(read_error)?;
    let body_meter = meter.clone();
    let stream =
        ReaderStream::with_capacity(file.take(to - from), IO_BUFFER_BYTES).map(move |chunk| {
            if let Ok(chunk) = &chunk {
                body_meter.count(chunk.len() as u64);
            }
            chunk
        });
    let range = match to > from {
        true => format!("bytes {from}-{}/{len}", to - 1),
        // An empty file: one request with no bytes closes it.
        false => format!("bytes */{len}"),
    };
    let request = client
        .put(session.clone())
        .header("Content-Range", range)
        .header(CONTENT_LENGTH, to - from)
        .body(reqwest::Body::wrap_stream(stream));
    read_step(request).await
}

/// Asks the session how much it holds.
async fn ask_session(
    client: &reqwest::Client,
    session: &reqwest::Url,
    len: u64,
) -> Result<Result<Step, Outcome>, TransferError> {
    let request = client
        .put(session.clone())
        .header("Content-Range", format!("bytes */{len}"))
        .header(CONTENT_LENGTH, 0);
    read_step(request).await
}

async fn read_step(
    request: reqwest::RequestBuilder,
) -> Result<Result<Step, Outcome>, TransferError> {
    let response = request.send().await.map_err(network_error)?;
    let status = response.status().as_u16();
    let facts = response_facts(response.headers());
    if status == 308 {
        // `Range: bytes=0-N` when the session holds N + 1 bytes; none when it holds nothing.
        let held = response
            .headers()
            .get("range")
            .and_then(|v| v.to_str().ok())
            .and_then(held_by_range)
            .unwrap_or(0);
        return Ok(Ok(Step::Holds(held)));
    }
    if response.status().is_success() {
        let _ = response.bytes().await;
        return Ok(Ok(Step::Done(status, Box::new(facts))));
    }
    Ok(Err(Outcome::Refused(Box::new(
        refusal(response, facts).await,
    ))))
}

/// The bytes a session holds by its `Range` header (`bytes=0-N`).
fn held_by_range(range: &str) -> Option<u64> {
    let (_, end) = range.trim().strip_prefix("bytes=")?.split_once('-')?;
    end.trim().parse::<u64>().ok()?.checked_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_a_session_answers_says_how_much_it_holds() {
        assert_eq!(held_by_range("bytes=0-262143"), Some(262_144));
        assert_eq!(held_by_range(" bytes=0-0"), Some(1));
        assert_eq!(held_by_range("0-5"), None);
        assert_eq!(held_by_range("bytes=0-x"), None);
    }
}
