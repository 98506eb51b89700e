//! Running a plan with reqwest on the tokio runtime: attempts with backoff, a stall watchdog,
//! resumed downloads, and verification of what arrived.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, HeaderMap, HeaderName, HeaderValue, IF_MATCH, RANGE};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio_util::io::ReaderStream;

use super::hasher::Hasher;
use super::ranges::{self, DEFAULT_CONNECTIONS};
use super::verify::{self, Checksum, Verification};
use super::{
    CancellationToken, Outcome, Payload, Plan, ProgressMeter, Refusal, Reporter, ResponseFacts,
    RetryReason, SingleStreamReason, Success, TransferError, TransferEvent, partial_path,
};
use crate::exchange::{ErrorBody, MAX_ERROR_BODY_BYTES};
use crate::link::RawUrl;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const IO_BUFFER_BYTES: usize = 256 * 1024;
const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// How a transfer behaves; the defaults suit people, tests shorten the waits.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// An attempt during which no byte moves for this long is ended (and retried).
    pub stall_timeout: Duration,
    /// The wait before the second attempt; it doubles each time, with jitter.
    pub backoff_base: Duration,
    /// Compute MD5 while streaming and compare with what the server states.
    pub verify: bool,
    /// Send even when the file cannot match a checksum the link fixes (for testers).
    pub send_despite_checksum: bool,
    /// Connections a large download may use at once (1 to [`MAX_CONNECTIONS`]).
    pub connections: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            stall_timeout: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            verify: true,
            send_despite_checksum: false,
            connections: DEFAULT_CONNECTIONS,
        }
    }
}

/// The HTTP client every transfer uses: no redirects (SigV4 signs the host, so a redirect
/// cannot be followed with the same link), no added headers beyond what HTTP needs.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
}

/// Runs `plan` with the default options.
pub async fn run(
    client: &reqwest::Client,
    plan: &Plan,
    report: Reporter,
    cancel: &CancellationToken,
) -> Outcome {
    run_with(client, plan, &Options::default(), report, cancel).await
}

/// Runs `plan` to its end, reporting progress and retries to `report`. Cancelling `cancel`
/// stops it within moments; a cancelled or failed download leaves no file behind.
pub async fn run_with(
    client: &reqwest::Client,
    plan: &Plan,
    options: &Options,
    report: Reporter,
    cancel: &CancellationToken,
) -> Outcome {
    let work = async {
        let url = wire_url(plan.url.expose())?;
        let headers = extra_headers(&plan.headers)?;
        let mut sent_despite_checksum = false;
        if let Some((path, len_bytes)) = plan.upload_file() {
            sent_despite_checksum = preflight_upload(plan, path, len_bytes, options).await?;
        }
        let mut download = DownloadState::default();
        let mut attempt = 1;
        loop {
            let meter = Meter::new(attempt, report.clone());
            let one = async {
                match &plan.payload {
                    Payload::Upload { path, len_bytes } => {
                        let sent = upload(
                            client,
                            url.clone(),
                            headers.clone(),
                            path,
                            *len_bytes,
                            options,
                            &meter,
                        )
                        .await;
                        match sent {
                            Ok(Outcome::Refused(mut refusal)) => {
                                refusal.bytes_sent = meter.bytes();
                                refusal.sent_despite_checksum = sent_despite_checksum;
                                Ok(Outcome::Refused(refusal))
                            }
                            other => other,
                        }
                    }
                    Payload::Post {
                        path,
                        len_bytes,
                        fields,
                        file_field,
                        file_type,
                    } => {
                        let form = super::post::Form {
                            path,
                            planned_len: *len_bytes,
                            fields,
                            file_field,
                            file_type,
                        };
                        match super::post::post(client, url.clone(), &form, options, &meter).await {
                            Ok(Outcome::Refused(mut refusal)) => {
                                refusal.bytes_sent = meter.bytes();
                                Ok(Outcome::Refused(refusal))
                            }
                            other => other,
                        }
                    }
                    Payload::Download {
                        destination,
                        replace_existing,
                        name_from_response,
                    } => {
                        let request = Request {
                            client,
                            url: url.clone(),
                            headers: headers.clone(),
                            target: Target {
                                path: destination,
                                replace_existing: *replace_existing,
                                name_from_response: *name_from_response,
                            },
                            options,
                            meter: &meter,
                        };
                        download.attempt(&request).await
                    }
                }
            };
            let result = tokio::select! {
                result = one => result,
                () = meter.stalled(options.stall_timeout) => {
                    Err(TransferError::Stalled(options.stall_timeout.as_secs()))
                }
            };
            let retry_reason = match &result {
                Ok(Outcome::Refused(refusal)) if is_retryable_refusal(refusal) => {
                    Some(RetryReason::Refused {
                        status: refusal.status,
                        code: refusal
                            .body
                            .code
                            .clone()
                            .unwrap_or_else(|| refusal.reason.clone()),
                    })
                }
                Err(error) if error.is_retryable() => Some(RetryReason::Failed(error.clone())),
                _ => None,
            };
            let expired = plan
                .expires_at
                .is_some_and(|at| at <= jiff::Timestamp::now());
            match retry_reason {
                Some(reason) if attempt < options.max_attempts && !expired => {
                    let delay = backoff(options.backoff_base, attempt);
                    report(TransferEvent::Retrying {
                        next_attempt: attempt + 1,
                        max_attempts: options.max_attempts,
                        delay,
                        reason,
                    });
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    };
    tokio::select! {
        biased;
        () = cancel.cancelled() => Outcome::Cancelled,
        result = work => match result {
            Ok(outcome) => outcome,
            Err(error) => Outcome::Failed(error),
        },
    }
}

/// Server answers worth another attempt: 500, 503 and the codes S3 uses for passing trouble.
pub(super) fn is_retryable_refusal(refusal: &Refusal) -> bool {
    matches!(refusal.status, 500 | 502 | 503 | 504)
        || matches!(
            refusal.body.code.as_deref(),
            Some(
                "SlowDown"
                    | "RequestTimeout"
                    | "InternalError"
                    | "ServiceUnavailable"
                    | "ServerBusy"
            )
        )
}

/// Exponential backoff with jitter: base × 2^(attempt−1), between half and the whole of it.
pub(super) fn backoff(base: Duration, attempt: u32) -> Duration {
    let full = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_BACKOFF);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let jitter = f64::from(nanos % 1000) / 1000.0;
    full.mul_f64(0.5 + jitter / 2.0)
}

/// Checks before sending anything: the single-request size limit and the checksums the link
/// fixes for the body. Returns whether the file is sent although it cannot match them (the
/// tester asked for it), which then explains the refusal.
async fn preflight_upload(
    plan: &Plan,
    path: &Path,
    len: u64,
    options: &Options,
) -> Result<bool, TransferError> {
    if let Some(limit) = plan.single_put_limit_bytes.filter(|limit| len > *limit) {
        return Err(TransferError::TooLarge { len, limit });
    }
    if plan.expected_checksums.is_empty() {
        return Ok(false);
    }
    let mut sums: Vec<Checksum> = plan
        .expected_checksums
        .iter()
        .map(|(algorithm, _)| Checksum::new(*algorithm))
        .collect();
    let read_error = |e: io::Error| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut file = tokio::fs::File::open(path).await.map_err(read_error)?;
    let mut buffer = vec![0u8; IO_BUFFER_BYTES];
    loop {
        let n = file.read(&mut buffer).await.map_err(read_error)?;
        if n == 0 {
            break;
        }
        for sum in &mut sums {
            sum.update(&buffer[..n]);
        }
    }
    for ((algorithm, expected), sum) in plan.expected_checksums.iter().zip(sums) {
        let actual = sum.base64();
        if &actual != expected {
            if options.send_despite_checksum {
                return Ok(true);
            }
            return Err(TransferError::ChecksumMismatch {
                algorithm: algorithm.name().to_owned(),
                expected: expected.clone(),
                actual,
            });
        }
    }
    Ok(false)
}

/// The `Url` reqwest needs, refusing any link the URL library would rewrite beyond
/// percent-encoding bytes that cannot travel raw (non-ASCII, quotes...).
pub(super) fn wire_url(text: &str) -> Result<reqwest::Url, TransferError> {
    let raw = RawUrl::split(text).map_err(|_| TransferError::CannotSendUnchanged)?;
    let url = reqwest::Url::parse(text).map_err(|_| TransferError::CannotSendUnchanged)?;
    let decoded = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let raw_path = if raw.path().is_empty() {
        "/"
    } else {
        raw.path()
    };
    let same_path = decoded(url.path()) == decoded(raw_path);
    let same_query = url.query().map(decoded) == raw.query().map(decoded);
    if same_path && same_query {
        Ok(url)
    } else {
        Err(TransferError::CannotSendUnchanged)
    }
}

fn extra_headers(pairs: &[(String, String)]) -> Result<HeaderMap, TransferError> {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        let invalid = || TransferError::InvalidHeader(name.clone());
        let name_value = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        headers.append(name_value, value);
    }
    Ok(headers)
}

/// Counts one attempt's bytes, reports progress, and knows when bytes last moved.
#[derive(Clone)]
pub(super) struct Meter {
    inner: Arc<Mutex<ProgressMeter>>,
    report: Reporter,
    started: Instant,
    last_activity_ms: Arc<AtomicU64>,
}

impl Meter {
    fn new(attempt: u32, report: Reporter) -> Self {
        Self {
            inner: Arc::new(Mutex::new(ProgressMeter::new(None, attempt))),
            report,
            started: Instant::now(),
            last_activity_ms: Arc::default(),
        }
    }

    pub(super) fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_activity_ms.store(ms, Ordering::Relaxed);
    }

    /// Starts counting toward `total`, from `already` bytes (a resumed download).
    pub(super) fn start(&self, total: Option<u64>, already: u64) {
        self.touch();
        if let Ok(mut meter) = self.inner.lock() {
            meter.restart(total, already);
        }
    }

    pub(super) fn count(&self, bytes: u64) {
        self.touch();
        let due = self.inner.lock().ok().and_then(|mut m| m.advance(bytes));
        if let Some(progress) = due {
            (self.report)(TransferEvent::Progress(progress));
        }
    }

    /// Bytes counted so far.
    pub(super) fn bytes(&self) -> u64 {
        self.inner
            .lock()
            .map(|m| m.bytes_done())
            .unwrap_or_default()
    }

    /// Reports the final count (however recent the last report) and returns it.
    pub(super) fn finish(&self) -> u64 {
        let Ok(meter) = self.inner.lock() else {
            return 0;
        };
        (self.report)(TransferEvent::Progress(meter.snapshot()));
        meter.bytes_done()
    }

    /// Completes once no byte has moved for `timeout`.
    async fn stalled(&self, timeout: Duration) {
        loop {
            let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
            let idle = self.started.elapsed().saturating_sub(last);
            if idle >= timeout {
                return;
            }
            tokio::time::sleep(timeout - idle).await;
        }
    }
}

async fn upload(
    client: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    path: &Path,
    planned_len: u64,
    options: &Options,
    meter: &Meter,
) -> Result<Outcome, TransferError> {
    let read_error = |e: io::Error| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let file = tokio::fs::File::open(path).await.map_err(read_error)?;
    let before = file.metadata().await.map_err(read_error)?;
    let len = before.len();
    if len != planned_len {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: planned_len,
            now: len,
        });
    }
    meter.start(Some(len), 0);
    let hasher = options.verify.then(Hasher::of_bytes);
    let (body_meter, feed) = (meter.clone(), hasher.as_ref().map(Hasher::feed));
    // Exactly `len` bytes go out even if the file grows meanwhile; a change is caught below.
    // Each chunk is queued for hashing (on its own thread) before it is sent.
    let stream = ReaderStream::with_capacity(file.take(len), IO_BUFFER_BYTES).then(move |chunk| {
        let (meter, feed) = (body_meter.clone(), feed.clone());
        async move {
            if let Ok(chunk) = &chunk {
                if let Some(feed) = feed {
                    feed.bytes(chunk.clone()).await;
                }
                meter.count(chunk.len() as u64);
            }
            chunk
        }
    });
    let started = Instant::now();
    let request = client
        .put(url)
        .headers(headers)
        // An explicit length keeps the body out of chunked encoding, which S3 refuses.
        .header(CONTENT_LENGTH, len)
        .body(reqwest::Body::wrap_stream(stream));
    let (response, facts) = match send(request).await? {
        Answer::Accepted(response, facts) => (response, facts),
        Answer::Refused(outcome) => return Ok(outcome),
    };
    let status = response.status();
    let bytes = meter.finish();
    let after = tokio::fs::metadata(path).await.map_err(read_error)?;
    if bytes != len || after.len() != len || after.modified().ok() != before.modified().ok() {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: len,
            now: after.len(),
        });
    }
    let verification = verify_md5(hasher, &facts, path).await?;
    Ok(Outcome::Succeeded(Box::new(Success {
        status: status.as_u16(),
        bytes,
        elapsed: started.elapsed(),
        response: facts,
        saved_to: None,
        verification,
        connections: 1,
        single_stream_reason: None,
    })))
}

/// Compares the hasher's MD5 with the server's (`None`: verification is off).
pub(super) async fn verify_md5(
    hasher: Option<Hasher>,
    facts: &ResponseFacts,
    path: &Path,
) -> Result<Verification, TransferError> {
    let Some(hasher) = hasher else {
        return Ok(Verification::Off);
    };
    let computed = hasher.finish().await.map_err(|e| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    verify::compare_md5(&computed, facts).map_err(|(computed, server)| {
        TransferError::DigestMismatch {
            path: path.to_owned(),
            computed,
            server,
        }
    })
}

/// A download across attempts: the partial file, the bytes in it, and what allows resuming.
#[derive(Default)]
struct DownloadState {
    partial: Option<PartialFile>,
    writer: Option<tokio::io::BufWriter<tokio::fs::File>>,
    received: u64,
    /// The MD5 of the bytes received in one stream so far (none while not verifying).
    hasher: Option<Hasher>,
    /// The ETag of the first answer, when the server also accepts ranges: resumable.
    resume_etag: Option<String>,
    /// Why the object's MD5 cannot be known (no ETag, multipart, KMS): then nothing is hashed.
    unverifiable: Option<verify::Unverifiable>,
    started: Option<Instant>,
    /// Where the file goes, once the first answer named it.
    destination: Option<PathBuf>,
    /// A write was under way when an attempt was cut off (a stall), so the bytes on disk may
    /// not match the count: the next attempt starts over instead of resuming.
    write_cut_off: bool,
    /// Why ranges over several connections were given up for this download.
    single_stream_reason: Option<SingleStreamReason>,
}

/// Where a download was asked to go.
struct Target<'a> {
    path: &'a Path,
    replace_existing: bool,
    name_from_response: bool,
}

impl Target<'_> {
    /// The final path: the server's `Content-Disposition` name when allowed, beside an existing
    /// file rather than over it.
    fn resolve(&self, facts: &ResponseFacts) -> PathBuf {
        let named = self
            .name_from_response
            .then_some(facts.content_disposition.as_deref())
            .flatten()
            .and_then(super::naming::file_name_from_content_disposition);
        let (Some(name), Some(folder)) = (named, self.path.parent()) else {
            return self.path.to_owned();
        };
        if folder.join(&name) == self.path {
            return self.path.to_owned();
        }
        super::naming::keep_both_name(folder, &name, |p| p.symlink_metadata().is_ok())
    }
}

/// What one request of an attempt led to.
enum Step {
    Done(Outcome),
    /// Ranges were given up: ask again for the whole object over one connection.
    OneStream,
}

/// What every request of a download sends and reports to: the same for all its attempts.
struct Request<'a> {
    client: &'a reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    target: Target<'a>,
    options: &'a Options,
    meter: &'a Meter,
}

impl DownloadState {
    async fn attempt(&mut self, request: &Request<'_>) -> Result<Outcome, TransferError> {
        loop {
            if let Step::Done(outcome) = self.request(request).await? {
                return Ok(outcome);
            }
        }
    }

    async fn request(&mut self, fixed: &Request<'_>) -> Result<Step, TransferError> {
        let Request {
            client,
            target,
            options,
            meter,
            ..
        } = fixed;
        let replace_existing = target.replace_existing;
        if self.partial.is_none() && !replace_existing && target.path.exists() {
            return Err(TransferError::DestinationExists(target.path.to_owned()));
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        if std::mem::take(&mut self.write_cut_off) {
            self.resume_etag = None;
        }
        let resume_from = self.resume_etag.clone().filter(|_| self.received > 0);
        let mut request = client.get(fixed.url.clone()).headers(fixed.headers.clone());
        if let Some(etag) = &resume_from {
            // Continue where the last attempt stopped, only if the object is still the same.
            request = request
                .header(RANGE, format!("bytes={}-", self.received))
                .header(IF_MATCH, etag.as_str());
        }
        meter.touch();
        let (mut response, facts) = match send(request).await? {
            Answer::Accepted(response, facts) => (response, facts),
            Answer::Refused(outcome) => {
                if let Outcome::Refused(refusal) = &outcome
                    && refusal.status == 412
                    && resume_from.is_some()
                {
                    // Changed on the server since the first attempt: start over.
                    self.restart().await?;
                    self.resume_etag = None;
                    return Err(TransferError::Network(refusal.reason.clone()));
                }
                return Ok(Step::Done(outcome));
            }
        };
        let status = response.status();
        let destination = self
            .destination
            .get_or_insert_with(|| target.resolve(&facts))
            .clone();
        let destination = destination.as_path();
        let resumed = status.as_u16() == 206
            && resume_from.is_some()
            && facts
                .content_range
                .as_deref()
                .is_some_and(|r| r.starts_with(&format!("bytes {}-", self.received)));
        if !resumed {
            self.restart().await?;
            self.resume_etag = facts
                .etag
                .clone()
                .filter(|_| facts.accept_ranges.as_deref() == Some("bytes"));
            // The headers already say whether there is an MD5 to compare with; hashing without
            // one would only slow the download.
            self.unverifiable = verify::server_md5(&facts).err();
        }
        let hashing = options.verify && self.unverifiable.is_none();
        let expected_total = if resumed {
            facts
                .content_range
                .as_deref()
                .and_then(|r| r.rsplit('/').next())
                .and_then(|t| t.parse().ok())
        } else {
            response.content_length()
        };
        if !resumed && let Some(total) = expected_total {
            check_free_space(destination, total)?;
        }
        if self.partial.is_none() {
            let (partial, file) = PartialFile::create(destination).await?;
            self.partial = Some(partial);
            self.writer = Some(tokio::io::BufWriter::with_capacity(IO_BUFFER_BYTES, file));
        }
        if let Some(etag) = facts.etag.clone()
            && let Some(total) = expected_total
            && !resumed
            && status.as_u16() == 200
            && total > ranges::MIN_BYTES
            && options.connections > 1
            && self.single_stream_reason.is_none()
            && facts.accept_ranges.as_deref() != Some("none")
        {
            let first = ranges::First { response, total };
            let answer = FirstAnswer {
                etag,
                hashing,
                started,
                facts,
                destination,
            };
            return self.in_ranges(fixed, first, answer).await;
        }
        if hashing && self.hasher.is_none() {
            self.hasher = Some(Hasher::of_bytes());
        }
        meter.start(expected_total, self.received);
        let write_error = write_failed(destination);
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| write_error(io::Error::other("closed")))?;
        let feed = self.hasher.as_ref().map(Hasher::feed);
        while let Some(chunk) = response.chunk().await.map_err(network_error)? {
            // Writing and hashing are not cancel-safe: mark them, so a cut-off attempt is
            // known to the next one.
            self.write_cut_off = true;
            writer.write_all(&chunk).await.map_err(&write_error)?;
            self.received += chunk.len() as u64;
            meter.count(chunk.len() as u64);
            if let Some(feed) = &feed {
                feed.bytes(chunk).await;
            }
            self.write_cut_off = false;
        }
        writer.flush().await.map_err(&write_error)?;
        meter.finish();
        if let Some(expected) = expected_total
            && self.received != expected
        {
            return Err(TransferError::Truncated {
                expected,
                received: self.received,
            });
        }
        // Verify against the whole object's ETag (the first answer's when resumed).
        let whole = ResponseFacts {
            etag: resume_from.clone().or_else(|| facts.etag.clone()),
            content_md5: facts.content_md5.clone().filter(|_| !resumed),
            ..facts.clone()
        };
        let hasher = self.hasher.take();
        let verification = self
            .verification(options, hasher, &whole, destination)
            .await?;
        self.put_in_place(destination, replace_existing).await?;
        Ok(Step::Done(Outcome::Succeeded(Box::new(Success {
            status: status.as_u16(),
            bytes: self.received,
            elapsed: started.elapsed(),
            response: facts,
            saved_to: Some(destination.to_owned()),
            verification,
            connections: 1,
            single_stream_reason: self.single_stream_reason,
        }))))
    }

    /// The rest of a large download in byte ranges over several connections, the first answer
    /// streaming the first range.
    async fn in_ranges(
        &mut self,
        fixed: &Request<'_>,
        first: ranges::First,
        answer: FirstAnswer<'_>,
    ) -> Result<Step, TransferError> {
        let (destination, meter, options) = (answer.destination, fixed.meter, fixed.options);
        let write_error = write_failed(destination);
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| write_error(io::Error::other("closed")))?;
        writer.flush().await.map_err(&write_error)?;
        let file = writer
            .get_ref()
            .try_clone()
            .await
            .map_err(&write_error)?
            .into_std()
            .await;
        // Pre-sized: every range writes in place.
        file.set_len(first.total).map_err(&write_error)?;
        // Nothing here can be resumed by a later attempt in one stream.
        self.resume_etag = None;
        self.received = 0;
        let hasher = match (&self.partial, answer.hashing) {
            (Some(partial), true) => Some(Hasher::of_file(&partial.path).map_err(&write_error)?),
            _ => None,
        };
        let total = first.total;
        meter.start(Some(total), 0);
        let job = ranges::Job {
            client: fixed.client.clone(),
            url: fixed.url.clone(),
            headers: fixed.headers.clone(),
            etag: answer.etag,
            file: Arc::new(file),
            destination: destination.to_owned(),
            meter: meter.clone(),
            feed: hasher.as_ref().map(Hasher::feed),
            connections: options.connections,
            max_attempts: options.max_attempts.max(RANGE_ATTEMPTS),
            stall_timeout: options.stall_timeout,
            backoff_base: options.backoff_base,
        };
        match ranges::download(job, first).await? {
            ranges::End::Complete { connections } => {
                meter.finish();
                self.received = total;
                let verification = self
                    .verification(options, hasher, &answer.facts, destination)
                    .await?;
                self.put_in_place(destination, fixed.target.replace_existing)
                    .await?;
                Ok(Step::Done(Outcome::Succeeded(Box::new(Success {
                    status: 200,
                    bytes: total,
                    elapsed: answer.started.elapsed(),
                    response: answer.facts,
                    saved_to: Some(destination.to_owned()),
                    verification,
                    connections,
                    single_stream_reason: None,
                }))))
            }
            ranges::End::OneStream(reason) => {
                self.single_stream_reason = Some(reason);
                self.restart().await?;
                Ok(Step::OneStream)
            }
            ranges::End::Refused(outcome) => Ok(Step::Done(outcome)),
        }
    }

    /// What can be proved about the bytes: the hasher's MD5 against the whole object's digests,
    /// or why there is nothing to compare with.
    async fn verification(
        &self,
        options: &Options,
        hasher: Option<Hasher>,
        digests: &ResponseFacts,
        destination: &Path,
    ) -> Result<Verification, TransferError> {
        match &self.unverifiable {
            Some(why) if options.verify => Ok(Verification::CouldNotVerify(why.clone())),
            _ => verify_md5(hasher, digests, destination).await,
        }
    }

    /// Moves the complete file to its destination.
    async fn put_in_place(
        &mut self,
        destination: &Path,
        replace_existing: bool,
    ) -> Result<(), TransferError> {
        self.writer = None;
        match self.partial.take() {
            Some(partial) => partial.finish(destination, replace_existing).await,
            None => Ok(()),
        }
    }

    /// Empties the partial file to receive the whole object again.
    async fn restart(&mut self) -> Result<(), TransferError> {
        self.received = 0;
        self.hasher = None;
        if let (Some(writer), Some(partial)) = (self.writer.as_mut(), &self.partial) {
            let failed = write_failed(&partial.path);
            writer.flush().await.map_err(&failed)?;
            writer.get_mut().set_len(0).await.map_err(&failed)?;
            writer.get_mut().rewind().await.map_err(&failed)?;
        }
        Ok(())
    }
}

/// Attempts each range may make, at least: a range is small, and one failing should not end a
/// download that is otherwise moving.
const RANGE_ATTEMPTS: u32 = 5;

/// What a download in ranges takes from the first answer.
struct FirstAnswer<'a> {
    /// The whole object's ETag, which every range must show.
    etag: String,
    hashing: bool,
    started: Instant,
    /// The whole object's digests.
    facts: ResponseFacts,
    destination: &'a Path,
}

/// A failed write to `path` as the error people see.
fn write_failed(path: &Path) -> impl Fn(io::Error) -> TransferError + '_ {
    move |e| TransferError::WriteFile {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Refuses a download the disk cannot hold.
fn check_free_space(destination: &Path, needed: u64) -> Result<(), TransferError> {
    let folder = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match fs4::available_space(folder) {
        Ok(available) if available < needed => Err(TransferError::NoSpace { needed, available }),
        // Unknown free space is no reason to refuse; the write will say if it fails.
        _ => Ok(()),
    }
}

/// A download in progress, hidden beside its destination; removed unless finished, including
/// when the transfer's future is dropped by a cancel.
struct PartialFile {
    path: PathBuf,
    finished: bool,
}

impl PartialFile {
    async fn create(destination: &Path) -> Result<(Self, tokio::fs::File), TransferError> {
        let path = partial_path(destination);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(write_failed(destination))?;
        Ok((
            Self {
                path,
                finished: false,
            },
            file,
        ))
    }

    /// Puts the complete file in place. Without permission to replace, a file that appeared
    /// meanwhile is never overwritten: a hard link fails if the name is taken.
    async fn finish(
        mut self,
        destination: &Path,
        replace_existing: bool,
    ) -> Result<(), TransferError> {
        let write_error = write_failed(destination);
        if replace_existing {
            tokio::fs::rename(&self.path, destination)
                .await
                .map_err(write_error)?;
        } else {
            match tokio::fs::hard_link(&self.path, destination).await {
                Ok(()) => {
                    let _ = tokio::fs::remove_file(&self.path).await;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(TransferError::DestinationExists(destination.to_owned()));
                }
                // File systems without hard links: check, then rename.
                Err(_) if !destination.exists() => {
                    tokio::fs::rename(&self.path, destination)
                        .await
                        .map_err(write_error)?;
                }
                Err(_) => return Err(TransferError::DestinationExists(destination.to_owned())),
            }
        }
        self.finished = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What the server answered to the request line and headers.
// Lives for one call, on the stack: boxing the response would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub(super) enum Answer {
    /// 2xx: the body (for a GET) is to be read.
    Accepted(reqwest::Response, ResponseFacts),
    /// Anything else, read into a refusal.
    Refused(Outcome),
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> Result<Answer, TransferError> {
    let response = request.send().await.map_err(network_error)?;
    let facts = response_facts(response.headers());
    if response.status().is_success() {
        Ok(Answer::Accepted(response, facts))
    } else {
        Ok(Answer::Refused(Outcome::Refused(Box::new(
            refusal(response, facts).await,
        ))))
    }
}

pub(super) async fn refusal(mut response: reqwest::Response, facts: ResponseFacts) -> Refusal {
    let status = response.status();
    let mut body = Vec::new();
    // Read at most the cap (plus one byte to know it was cut); a broken body keeps what came.
    while body.len() <= MAX_ERROR_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(MAX_ERROR_BODY_BYTES + 1);
    Refusal {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
        body: ErrorBody::parse(&body),
        response: facts,
        bytes_sent: 0,
        sent_despite_checksum: false,
    }
}

pub(super) fn response_facts(headers: &HeaderMap) -> ResponseFacts {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    ResponseFacts {
        etag: get("etag"),
        version_id: get("x-amz-version-id"),
        request_id: get("x-amz-request-id")
            .or_else(|| get("x-ms-request-id"))
            .or_else(|| get("x-guploader-uploadid")),
        host_id: get("x-amz-id-2"),
        date: get("date"),
        content_type: get("content-type"),
        content_length: get("content-length").and_then(|v| v.parse().ok()),
        location: get("location"),
        key: None,
        error_code: get("x-ms-error-code"),
        content_md5: get("content-md5"),
        goog_hash: get("x-goog-hash"),
        server_side_encryption: get("x-amz-server-side-encryption").or_else(|| {
            get("x-amz-server-side-encryption-customer-algorithm").map(|a| format!("SSE-C {a}"))
        }),
        accept_ranges: get("accept-ranges"),
        content_range: get("content-range"),
        content_disposition: get("content-disposition"),
    }
}

/// A network error as a message with no URL in it (reqwest's own text includes the URL and
/// with it the signature). The innermost cause says the most ("Connection refused").
pub(super) fn network_error(error: reqwest::Error) -> TransferError {
    let connect = error.is_connect();
    let reason = root_cause(&error).unwrap_or_else(|| error.without_url().to_string());
    if connect {
        TransferError::Connect(reason)
    } else {
        TransferError::Network(reason)
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = error.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let base = Duration::from_millis(400);
        for attempt in 1..=12 {
            let full = base
                .saturating_mul(1 << (attempt - 1).min(10))
                .min(MAX_BACKOFF);
            let delay = backoff(base, attempt);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?} of {full:?}"
            );
        }
    }
}
