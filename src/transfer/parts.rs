//! A file sent in parts, in parallel (as many at once as the controller finds helpful), each
//! part retried on its own after passing trouble, then joined:
//! - an S3 multipart upload from presigned links: each part's MD5 compared with the ETag the
//!   storage gives; then the Complete request with every part's ETag, whose answer is read
//!   even when it is a 200 that carries an `<Error>`, and the upload's ETag checked against the
//!   MD5 of the parts' MD5s;
//! - Azure blocks through one SAS that may write: each block sent with its Content-MD5, which
//!   the storage checks as it arrives, then Put Block List in block order.

use std::collections::VecDeque;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use md5::Digest as _;
use reqwest::header::CONTENT_LENGTH;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::task::JoinSet;
use tokio_util::io::ReaderStream;
use tokio_util::sync::CancellationToken;

use super::http::{Answer, network_error, send, wire_url};
use super::meter::Meter;
use super::ramp::PartsRamp;
use super::resume::{FileIdentity, PartRecord, Records, UploadRecord};
use super::retry::{announce, is_retryable_refusal, refusal_reason};
use super::upload::IO_BUFFER_BYTES;
use super::verify::{Unverifiable, Verification};
use super::{
    ConnectionsReason, Options, Outcome, Refusal, RetryReason, Success, TransferError,
    TransferEvent,
};
use crate::exchange::ErrorBody;
use crate::link::parts::{Layout, PartsSet};

/// How often the controller looks at the rate.
const TICK: Duration = Duration::from_millis(50);
/// Parts sent at once before anything is measured.
const INITIAL_CONNECTIONS: u32 = 4;
/// The most of a Complete answer that is read.
const MAX_COMPLETE_ANSWER_BYTES: usize = 1024 * 1024;

/// Where a file's parts go and how they are joined.
pub(super) struct Target {
    /// What the record of the upload is kept under: the upload id, or Azure's blocks.
    upload_id: String,
    /// The object, without the link's query.
    object: String,
    /// Each part's number and its request's address as sent.
    parts: Vec<(u32, reqwest::Url)>,
    expires_at: Option<jiff::Timestamp>,
    join: Join,
}

/// How the parts become the file.
enum Join {
    /// S3: the Complete link, POSTed every part's ETag.
    S3Complete(reqwest::Url),
    /// Azure: Put Block List on the blob, the file type set on it as it is committed.
    AzureBlockList {
        url: reqwest::Url,
        content_type: Option<String>,
    },
}

impl Target {
    /// An S3 multipart upload through `set`.
    pub(super) fn s3(set: &PartsSet) -> Result<Self, TransferError> {
        Ok(Target {
            upload_id: set.upload_id.clone(),
            object: set.complete.raw().before_query().to_owned(),
            parts: set
                .parts
                .iter()
                .map(|p| Ok((p.number, wire_url(p.link.as_sent())?)))
                .collect::<Result<_, TransferError>>()?,
            expires_at: set.expires_at(),
            join: Join::S3Complete(wire_url(set.complete.as_sent())?),
        })
    }

    /// Azure blocks, cut as `layout` says, through the SAS link `link` that may write, the
    /// blob given `content_type`.
    pub(super) fn azure(
        link: &crate::link::PresignedLink,
        layout: Layout,
        content_type: Option<&str>,
    ) -> Result<Self, TransferError> {
        use crate::link::parts::{azure_block_list_url, azure_block_url};
        let as_sent = link.as_sent();
        Ok(Target {
            upload_id: format!("azure-blocks-{}", layout.part_size),
            object: link.raw().before_query().to_owned(),
            parts: (1..=layout.count)
                .map(|n| Ok((n, wire_url(&azure_block_url(as_sent, n))?)))
                .collect::<Result<_, TransferError>>()?,
            expires_at: link.expires_at,
            join: Join::AzureBlockList {
                url: wire_url(&azure_block_list_url(as_sent))?,
                content_type: content_type.map(str::to_owned),
            },
        })
    }

    fn azure_blocks(&self) -> bool {
        matches!(self.join, Join::AzureBlockList { .. })
    }
}

/// What every connection shares.
struct Job {
    client: reqwest::Client,
    path: PathBuf,
    /// Each part's number and its link as sent.
    parts: Vec<(u32, reqwest::Url)>,
    layout: Layout,
    options: Options,
    meter: Meter,
    expires_at: Option<jiff::Timestamp>,
    /// Azure blocks: each goes with its Content-MD5, and its id stands for its ETag.
    azure: bool,
}

/// A part the storage accepted.
#[derive(Debug, Clone)]
struct Done {
    /// The ETag as the storage gave it (quotes kept: the Complete body repeats it).
    etag: String,
    md5: [u8; 16],
}

/// Why everything stops.
type Stop = Result<Outcome, TransferError>;

struct Board {
    /// Parts nobody has taken yet, by index.
    queue: VecDeque<usize>,
    done: Vec<Option<Done>>,
    target: u32,
    running: u32,
    slowdowns: u32,
    /// How many go at once, decided as parts arrive.
    ramp: PartsRamp,
    stop: Option<Stop>,
    /// The record kept of the parts done, to go on after a restart.
    record: Option<(Records, UploadRecord)>,
}

impl Board {
    /// Part `i` (number `number`) arrived: noted, kept in the record, and measured.
    /// `count` were asked for when it started; it took `took` for its `len` bytes.
    fn part_done(
        &mut self,
        i: usize,
        number: u32,
        done: Done,
        (count, len, took): (u32, u64, Duration),
    ) {
        self.target = self.ramp.part_done(count, len, took);
        if let Some((records, record)) = &mut self.record {
            record.parts.push(PartRecord {
                number,
                etag: done.etag.clone(),
                md5: hex(&done.md5),
            });
            // A record that cannot be written only costs the resume.
            let _ = records.keep(record);
        }
        self.done[i] = Some(done);
    }
}

fn lock(board: &Mutex<Board>) -> MutexGuard<'_, Board> {
    board
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Counts a connection as running while it lives.
struct Running(Arc<Mutex<Board>>);

impl Drop for Running {
    fn drop(&mut self) {
        let mut board = lock(&self.0);
        board.running = board.running.saturating_sub(1);
    }
}

/// Why one part's attempt ended without it.
enum Trouble {
    /// Passing: send the part again after a wait. `sent` bytes of it went before.
    Retry {
        refused: Option<Outcome>,
        error: TransferError,
        sent: u64,
    },
    /// Everything stops.
    Stop(Stop),
}

/// Uploads the file at `path` (of `planned_len`) to `target`, cut as `layout` says.
pub(super) async fn upload(
    client: &reqwest::Client,
    target: Target,
    layout: Layout,
    path: &Path,
    planned_len: u64,
    options: &Options,
    meter: &Meter,
) -> Result<Outcome, TransferError> {
    let read_error = |e| super::upload::read_error(path, e);
    let before = super::upload::as_planned(path, planned_len).await?;
    let started = Instant::now();
    // What an earlier run of the same upload of the same file already sent.
    let records = options.upload_records.clone().map(Records::in_folder);
    let mut record = match &records {
        Some(_) => Some(UploadRecord::new(
            &target.upload_id,
            &target.object,
            FileIdentity::of(path).map_err(read_error)?,
            layout.part_size,
        )),
        None => None,
    };
    let kept = records
        .as_ref()
        .zip(record.as_ref())
        .and_then(|(records, record)| records.find(record));
    let mut already = vec![None; target.parts.len()];
    if let (Some(kept), Some(record)) = (kept, record.as_mut()) {
        for part in kept.parts {
            let index = target.parts.iter().position(|(n, _)| *n == part.number);
            if let (Some(index), Some(md5)) = (index, md5_of_hex(&part.md5)) {
                already[index] = Some(Done {
                    etag: part.etag.clone(),
                    md5,
                });
                record.parts.push(part);
            }
        }
    }
    let done_before = already.iter().flatten().count();
    let bytes_before: u64 = already
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_some())
        .map(|(i, _)| layout.span(index(i)).1)
        .sum();
    if done_before > 0 {
        (meter.reporter())(TransferEvent::PartsAlreadyThere {
            done: index(done_before),
            total: layout.count,
            places: (0..already.len())
                .filter(|i| already[*i].is_some())
                .map(index)
                .collect(),
        });
    }
    meter.start(Some(planned_len), bytes_before);
    let numbers: Vec<u32> = target.parts.iter().map(|(n, _)| *n).collect();
    let azure = target.azure_blocks();
    let job = Arc::new(Job {
        client: client.clone(),
        path: path.to_owned(),
        parts: target.parts,
        layout,
        options: options.clone(),
        meter: meter.clone(),
        expires_at: target.expires_at,
        azure,
    });
    let (sent, reason) = send_parts(&job, already, records.clone().zip(record.clone())).await?;
    let done = match sent {
        Sent::All(done) => done,
        Sent::Stopped { why, kept, missing } => {
            // What arrived stays on the storage and in the record: the same set, or a fresh
            // one for the same upload, goes on from there.
            if job.expired() {
                (meter.reporter())(TransferEvent::PartsNeedLinks {
                    numbers: missing,
                    kept,
                    total: layout.count,
                });
            } else if kept > 0 && records.is_some() {
                (meter.reporter())(TransferEvent::PartsKept {
                    kept,
                    total: layout.count,
                });
            }
            return why;
        }
    };
    let bytes = meter.finish();
    super::upload::still_as_planned(path, &before, planned_len).await?;
    let parts_sent = started.elapsed();
    let answer = match complete(client, &target.join, &numbers, &done, options, meter).await? {
        Ok(answer) => answer,
        Err(refused) => {
            // An upload the storage no longer has, or parts it does not hold: the record
            // cannot help another run.
            let gone = matches!(&refused, Outcome::Refused(r)
                if matches!(r.body.code.as_deref(),
                    Some("NoSuchUpload" | "InvalidPart" | "InvalidBlockList" | "InvalidBlockId")));
            if let (true, Some(records), Some(record)) = (gone, &records, &record) {
                records.forget(record);
            }
            return Ok(refused);
        }
    };
    // The upload is over: its record goes.
    if let (Some(records), Some(record)) = (&records, &record) {
        records.forget(record);
    }
    let verification = if !options.verify {
        Verification::Off
    } else if azure {
        // Each block's MD5 went with it, and the storage took none that did not match.
        Verification::BlocksVerified {
            blocks: index(done.len()),
        }
    } else {
        verify(&done, &answer.etag, path)?
    };
    let mut response = answer.facts;
    response.etag = Some(answer.etag);
    Ok(Outcome::Succeeded(Box::new(Success {
        status: answer.status,
        bytes,
        elapsed: started.elapsed(),
        response,
        saved_to: None,
        verification,
        connections: connections_used(&reason),
        connections_reason: Some(reason.1),
        single_stream_reason: None,
        hash_tail: None,
        parts: layout.count,
        complete_time: Some(started.elapsed().saturating_sub(parts_sent)),
        blocks: azure,
    })))
}

fn connections_used(reason: &(u32, ConnectionsReason)) -> u32 {
    reason.0.max(1)
}

/// Abandons the multipart upload `set` on the storage through its abort link (DELETE): the
/// parts that arrived are removed, and the record kept in `records` goes. `Ok` once the
/// storage says the upload is gone (also when it had none by that id); otherwise why not, in
/// words that hold no link.
pub async fn abort_upload(
    client: &reqwest::Client,
    set: &PartsSet,
    records: Option<PathBuf>,
) -> Result<(), String> {
    let Some(abort) = &set.abort else {
        return Err("the set has no link to cancel the upload".to_owned());
    };
    let url = wire_url(abort.as_sent()).map_err(|e| e.to_string())?;
    let gone = match send(client.delete(url)).await.map_err(|e| e.to_string())? {
        Answer::Accepted(..) => true,
        Answer::Refused(Outcome::Refused(refused)) => {
            if refused.status == 404 || refused.body.code.as_deref() == Some("NoSuchUpload") {
                true
            } else {
                return Err(match &refused.body.code {
                    Some(code) => format!("HTTP {} {code}", refused.status),
                    None => format!("HTTP {} {}", refused.status, refused.reason),
                });
            }
        }
        Answer::Refused(_) => return Err("the storage did not answer as expected".to_owned()),
    };
    if gone && let Some(folder) = records {
        Records::in_folder(folder).forget_upload(&set.upload_id, set.complete.raw().before_query());
    }
    Ok(())
}

/// How the parts went.
enum Sent {
    /// Every part arrived: what the storage said of each, in part order.
    All(Vec<Done>),
    /// A part was refused in a way no retry mends, or failed to its last attempt; `kept`
    /// parts had arrived by then.
    Stopped {
        why: Result<Outcome, TransferError>,
        kept: u32,
        /// The numbers of the parts that had not arrived.
        missing: Vec<u32>,
    },
}

/// Sends every part over as many connections as help; returns once every connection stopped.
async fn send_parts(
    job: &Arc<Job>,
    already: Vec<Option<Done>>,
    record: Option<(Records, UploadRecord)>,
) -> Result<(Sent, (u32, ConnectionsReason)), TransferError> {
    let count = job.parts.len();
    let queue: VecDeque<usize> = (0..count).filter(|i| already[*i].is_none()).collect();
    // A few parts go at once from the start (an upload has no first answer to wait for); the
    // controller measures from there.
    let initial = index(queue.len())
        .min(INITIAL_CONNECTIONS)
        .min(job.options.connections)
        .max(1);
    let board = Arc::new(Mutex::new(Board {
        queue,
        done: already,
        record,
        target: initial,
        running: 0,
        slowdowns: 0,
        ramp: PartsRamp::new(job.options.connections, initial),
        stop: None,
    }));
    let stop = CancellationToken::new();
    let mut workers = JoinSet::new();
    let spawn = |workers: &mut JoinSet<()>| {
        lock(&board).running += 1;
        workers.spawn(connection(job.clone(), board.clone(), stop.clone()));
    };
    for _ in 0..initial {
        spawn(&mut workers);
    }
    let mut most = initial;
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            joined = workers.join_next() => match joined {
                Some(Err(_)) => {
                    lock(&board).stop.get_or_insert(Err(TransferError::Network(
                        "a connection ended unexpectedly".to_owned(),
                    )));
                    stop.cancel();
                }
                Some(Ok(())) => {}
                None => {
                    let waiting = {
                        let shared = lock(&board);
                        shared.stop.is_none() && !shared.queue.is_empty()
                    };
                    if !waiting {
                        break;
                    }
                    spawn(&mut workers);
                }
            },
            _ = ticker.tick() => {
                let closing = job.expires_at.is_some_and(|at| {
                    let margin = jiff::SignedDuration::try_from(job.options.expiry_margin)
                        .unwrap_or_default();
                    jiff::Timestamp::now().saturating_add(margin).unwrap_or(at) >= at
                });
                let mut shared = lock(&board);
                if closing {
                    shared.ramp.closing();
                }
                let slowdowns = shared.slowdowns;
                shared.ramp.slowed(slowdowns);
                shared.target = shared.ramp.target();
                most = most.max(shared.target);
                while shared.running < shared.target && !shared.queue.is_empty() {
                    drop(shared);
                    spawn(&mut workers);
                    shared = lock(&board);
                }
            }
        }
    }
    let reason = lock(&board).ramp.reason();
    let mut shared = lock(&board);
    let kept = index(shared.done.iter().flatten().count());
    let missing = (0..count)
        .filter(|i| shared.done[*i].is_none())
        .map(|i| job.parts[i].0)
        .collect();
    match shared.stop.take() {
        Some(why) => Ok((Sent::Stopped { why, kept, missing }, (most, reason))),
        None => {
            let done = shared.done.iter().flatten().cloned().collect::<Vec<_>>();
            if done.len() != count {
                return Err(TransferError::Network("a part was left unsent".to_owned()));
            }
            Ok((Sent::All(done), (most, reason)))
        }
    }
}

impl Job {
    fn expired(&self) -> bool {
        self.expires_at
            .is_some_and(|at| at <= jiff::Timestamp::now())
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// One connection: sends parts until none is left, it is one too many, or everything stops.
async fn connection(job: Arc<Job>, board: Arc<Mutex<Board>>, stop: CancellationToken) {
    let _running = Running(board.clone());
    loop {
        let next = {
            let mut shared = lock(&board);
            if shared.stop.is_some() || shared.running > shared.target {
                None
            } else {
                let target = shared.target;
                shared.queue.pop_front().map(|i| (i, target))
            }
        };
        let Some((i, count)) = next else { return };
        let mut attempt = 1;
        loop {
            let result = tokio::select! {
                result = send_part(&job, &board, i) => result,
                () = stop.cancelled() => return,
            };
            match result {
                Ok((done, took)) => {
                    let number = job.parts[i].0;
                    let len = job.layout.span(index(i)).1;
                    lock(&board).part_done(i, number, done, (count, len, took));
                    (job.meter.reporter())(TransferEvent::PartArrived { place: index(i) });
                    break;
                }
                Err(Trouble::Retry {
                    refused,
                    error,
                    sent,
                }) => {
                    job.meter.give_back(sent);
                    if attempt >= job.options.max_attempts || job.expired() {
                        lock(&board).stop.get_or_insert(refused.ok_or(error));
                        stop.cancel();
                        return;
                    }
                    let reason = match &refused {
                        Some(Outcome::Refused(r)) => refusal_reason(r),
                        _ => RetryReason::Failed(error),
                    };
                    let delay = announce(&job.meter.reporter(), &job.options, attempt, reason);
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = stop.cancelled() => return,
                    }
                    attempt += 1;
                }
                Err(Trouble::Stop(why)) => {
                    lock(&board).stop.get_or_insert(why);
                    stop.cancel();
                    return;
                }
            }
        }
    }
}

/// Sends part `i` once.
async fn send_part(
    job: &Job,
    board: &Arc<Mutex<Board>>,
    i: usize,
) -> Result<(Done, Duration), Trouble> {
    let (number, url) = job.parts[i].clone();
    let (start, len) = job.layout.span(index(i));
    let read_error = |e: std::io::Error| {
        Trouble::Stop(Err(TransferError::ReadFile {
            path: job.path.clone(),
            reason: e.to_string(),
        }))
    };
    // A block's MD5 goes before it: the storage checks the block against it as it arrives.
    let announced = match job.azure {
        true => Some(
            md5_of_span(&job.path, start, len)
                .await
                .map_err(read_error)?,
        ),
        false => None,
    };
    let mut file = tokio::fs::File::open(&job.path).await.map_err(read_error)?;
    file.seek(SeekFrom::Start(start))
        .await
        .map_err(read_error)?;
    let hasher = Arc::new(Mutex::new(md5::Md5::new()));
    let sent = Arc::new(AtomicU64::new(0));
    let asked = Instant::now();
    let stream = {
        let (hasher, sent, meter) = (hasher.clone(), sent.clone(), job.meter.clone());
        ReaderStream::with_capacity(file.take(len), IO_BUFFER_BYTES).map(move |chunk| {
            if let Ok(chunk) = &chunk {
                if let Ok(mut md5) = hasher.lock() {
                    md5.update(chunk);
                }
                sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                meter.count(chunk.len() as u64);
            }
            chunk
        })
    };
    let mut request = job
        .client
        .put(url)
        .header(CONTENT_LENGTH, len)
        .body(reqwest::Body::wrap_stream(stream));
    if let Some(md5) = announced {
        use base64::Engine as _;
        request = request.header(
            "Content-MD5",
            base64::engine::general_purpose::STANDARD.encode(md5),
        );
    }
    let sent_now = || sent.load(Ordering::Relaxed);
    let answer = match send(request).await {
        Ok(answer) => answer,
        Err(error) if error.is_retryable() => {
            return Err(Trouble::Retry {
                refused: None,
                error,
                sent: sent_now(),
            });
        }
        Err(error) => return Err(Trouble::Stop(Err(error))),
    };
    let (response, facts) = match answer {
        Answer::Accepted(response, facts) => (response, facts),
        Answer::Refused(Outcome::Refused(mut refused)) => {
            refused.part = Some(number);
            refused.bytes_sent = sent_now();
            if announced.is_some() && is_md5_mismatch(&refused) {
                // The block arrived other than it was sent: send it again.
                return Err(Trouble::Retry {
                    refused: None,
                    error: TransferError::Network(format!(
                        "{} {}: the block arrived changed",
                        refused.status, refused.reason
                    )),
                    sent: sent_now(),
                });
            }
            if is_retryable_refusal(&refused) {
                if refused.status == 503 || refused.body.code.as_deref() == Some("SlowDown") {
                    lock(board).slowdowns += 1;
                }
                let error =
                    TransferError::Network(format!("{} {}", refused.status, refused.reason));
                return Err(Trouble::Retry {
                    refused: Some(Outcome::Refused(refused)),
                    error,
                    sent: sent_now(),
                });
            }
            return Err(Trouble::Stop(Ok(Outcome::Refused(refused))));
        }
        Answer::Refused(other) => return Err(Trouble::Stop(Ok(other))),
    };
    // The answer's body, if any, is read so the connection can be used again.
    let _ = response.bytes().await;
    if sent_now() != len {
        return Err(Trouble::Stop(Err(TransferError::FileChanged {
            path: job.path.clone(),
            planned: len,
            now: sent_now(),
        })));
    }
    let md5: [u8; 16] = hasher
        .lock()
        .map(|h| h.clone().finalize().into())
        .unwrap_or_default();
    if let Some(announced) = announced {
        if announced != md5 {
            // The file changed between hashing the block and sending it.
            return Err(Trouble::Stop(Err(TransferError::FileChanged {
                path: job.path.clone(),
                planned: len,
                now: sent_now(),
            })));
        }
        let etag = crate::link::parts::azure_block_id(number);
        return Ok((Done { etag, md5 }, asked.elapsed()));
    }
    let Some(etag) = facts.etag.clone() else {
        return Err(Trouble::Stop(Err(TransferError::NoPartEtag(number))));
    };
    let bare = unquoted(&etag);
    if job.options.verify && is_md5(bare) && !bare.eq_ignore_ascii_case(&hex(&md5)) {
        // The storage received other bytes than were sent: send the part again.
        return Err(Trouble::Retry {
            refused: None,
            error: TransferError::DigestMismatch {
                path: job.path.clone(),
                computed: hex(&md5),
                server: bare.to_owned(),
            },
            sent: sent_now(),
        });
    }
    Ok((Done { etag, md5 }, asked.elapsed()))
}

/// The MD5 of `len` bytes of the file at `path` from `start`.
async fn md5_of_span(path: &Path, start: u64, len: u64) -> std::io::Result<[u8; 16]> {
    let mut file = tokio::fs::File::open(path).await?;
    file.seek(SeekFrom::Start(start)).await?;
    let mut reader = file.take(len);
    let mut md5 = md5::Md5::new();
    let mut buffer = vec![0u8; IO_BUFFER_BYTES];
    let mut read = 0u64;
    loop {
        let n = reader.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        md5.update(&buffer[..n]);
        read += n as u64;
    }
    if read != len {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the file is shorter than when the upload was planned",
        ));
    }
    Ok(md5.finalize().into())
}

/// Azure's refusal of a block whose bytes do not match its Content-MD5 (`Md5Mismatch`; some
/// servers say `InvalidOperation` and name the MD5).
fn is_md5_mismatch(refused: &Refusal) -> bool {
    let code = refused.body.code.as_deref().unwrap_or_default();
    let message = refused
        .body
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    refused.status == 400 && (code == "Md5Mismatch" || message.contains("md5"))
}

/// What the Complete request answered when it succeeded.
struct Completed {
    status: u16,
    etag: String,
    facts: super::ResponseFacts,
}

/// Sends the Complete request, again after passing trouble. `Err` holds a refusal: an error
/// status, or a 200 whose body is an `<Error>` (S3 answers so when it fails after starting).
async fn complete(
    client: &reqwest::Client,
    join: &Join,
    numbers: &[u32],
    done: &[Done],
    options: &Options,
    meter: &Meter,
) -> Result<Result<Completed, Outcome>, TransferError> {
    let request = || match join {
        Join::S3Complete(url) => client.post(url.clone()).body(complete_body(numbers, done)),
        Join::AzureBlockList { url, content_type } => {
            let count = index(numbers.len());
            let request = client
                .put(url.clone())
                .body(crate::link::parts::azure_block_list_body(count));
            match content_type {
                Some(value) => request.header("x-ms-blob-content-type", value),
                None => request,
            }
        }
    };
    let mut attempt = 1;
    loop {
        let result = complete_once(request()).await;
        let retry = match &result {
            Ok(Err(Outcome::Refused(refused))) if is_retryable_refusal(refused) => {
                Some(refusal_reason(refused))
            }
            Err(error) if error.is_retryable() => Some(RetryReason::Failed(error.clone())),
            _ => None,
        };
        match retry {
            Some(reason) if attempt < options.max_attempts => {
                let delay = announce(&meter.reporter(), options, attempt, reason);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            _ => return result,
        }
    }
}

async fn complete_once(
    request: reqwest::RequestBuilder,
) -> Result<Result<Completed, Outcome>, TransferError> {
    let (mut response, facts) = match send(request).await? {
        Answer::Accepted(response, facts) => (response, facts),
        Answer::Refused(refused) => return Ok(Err(refused)),
    };
    let status = response.status();
    let mut answer = Vec::new();
    while answer.len() <= MAX_COMPLETE_ANSWER_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(error) => return Err(network_error(error)),
        }
    }
    let parsed = ErrorBody::parse(&answer);
    if parsed.code.is_some() {
        return Ok(Err(Outcome::Refused(Box::new(Refusal {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_owned(),
            body: parsed,
            response: facts,
            bytes_sent: 0,
            sent_despite_checksum: false,
            part: None,
        }))));
    }
    let etag = parsed
        .element("ETag")
        .or(facts.etag.as_deref())
        .map(|e| unquoted(e).to_owned())
        .unwrap_or_default();
    Ok(Ok(Completed {
        status: status.as_u16(),
        etag,
        facts,
    }))
}

/// The Complete request's body: every part's number and ETag, in part order.
fn complete_body(numbers: &[u32], done: &[Done]) -> String {
    let mut body = String::from("<CompleteMultipartUpload>");
    for (number, part) in numbers.iter().zip(done) {
        let etag = part.etag.replace('&', "&amp;").replace('"', "&quot;");
        body.push_str(&format!(
            "<Part><PartNumber>{number}</PartNumber><ETag>{etag}</ETag></Part>"
        ));
    }
    body.push_str("</CompleteMultipartUpload>");
    body
}

/// The upload's ETag against the MD5 of the parts' MD5s with `-N`.
fn verify(done: &[Done], etag: &str, path: &Path) -> Result<Verification, TransferError> {
    let expected = multipart_etag(done);
    let Some((digest, count)) = etag.split_once('-') else {
        return Ok(Verification::CouldNotVerify(Unverifiable::NotMd5));
    };
    if !is_md5(digest) || count.parse::<u32>().is_err() {
        return Ok(Verification::CouldNotVerify(Unverifiable::NotMd5));
    }
    if etag.eq_ignore_ascii_case(&expected) {
        Ok(Verification::PartsVerified {
            etag: expected,
            parts: index(done.len()),
        })
    } else {
        Err(TransferError::DigestMismatch {
            path: path.to_owned(),
            computed: expected,
            server: etag.to_owned(),
        })
    }
}

/// S3's ETag of a multipart upload: the MD5 of the parts' MD5s, then `-` and their count.
fn multipart_etag(done: &[Done]) -> String {
    let mut all = md5::Md5::new();
    for part in done {
        all.update(part.md5);
    }
    format!("{}-{}", hex(&all.finalize()), done.len())
}

fn unquoted(etag: &str) -> &str {
    etag.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .trim_matches('\'')
}

fn is_md5(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn md5_of_hex(text: &str) -> Option<[u8; 16]> {
    if !is_md5(text) {
        return None;
    }
    let mut md5 = [0u8; 16];
    for (i, byte) in md5.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(md5)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(bytes: &[u8]) -> Done {
        Done {
            etag: format!("\"{}\"", hex(&md5::Md5::digest(bytes))),
            md5: md5::Md5::digest(bytes).into(),
        }
    }

    #[test]
    fn the_upload_etag_is_the_md5_of_the_parts_md5s() {
        // Amazon's documented example shape: md5(md5(a) ‖ md5(b)) followed by -2.
        let parts = [done(b"first part"), done(b"second")];
        let mut joined = Vec::new();
        joined.extend_from_slice(&md5::Md5::digest(b"first part"));
        joined.extend_from_slice(&md5::Md5::digest(b"second"));
        let expected = format!("{}-2", hex(&md5::Md5::digest(&joined)));
        assert_eq!(multipart_etag(&parts), expected);
        let path = Path::new("f");
        assert!(matches!(
            verify(&parts, &expected, path),
            Ok(Verification::PartsVerified { parts: 2, .. })
        ));
        assert!(matches!(
            verify(&parts, &expected.replace("-2", "-3"), path),
            Err(TransferError::DigestMismatch { .. })
        ));
        assert!(matches!(
            verify(&parts, "not-an-md5", path),
            Ok(Verification::CouldNotVerify(Unverifiable::NotMd5))
        ));
    }

    #[test]
    fn the_complete_body_lists_every_part_in_order_with_its_etag_escaped() {
        let parts = [done(b"a"), done(b"b")];
        let body = complete_body(&[1, 2], &parts);
        assert!(
            body.starts_with(
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;"
            )
        );
        assert_eq!(body.matches("<Part>").count(), 2);
        assert!(body.ends_with("</Part></CompleteMultipartUpload>"));
    }
}
