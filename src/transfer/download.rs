//! A download across attempts: the first answer names the file and says whether it can be
//! resumed or fetched in ranges; one stream writes and hashes as it reads; a large object goes
//! to [`super::ranges`]; the finished file is verified and put in place.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{HeaderMap, IF_MATCH, RANGE};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::hasher::{Hasher, verify_md5};
use super::http::{Answer, network_error, send};
use super::meter::Meter;
use super::partial::{PartialFile, check_free_space, write_failed};
use super::ranges;
use super::upload::IO_BUFFER_BYTES;
use super::verify::{self, Verification};
use super::{Options, Outcome, ResponseFacts, SingleStreamReason, Success, TransferError};

/// A download across attempts: the partial file, the bytes in it, and what allows resuming.
#[derive(Default)]
pub(super) struct DownloadState {
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
pub(super) struct Target<'a> {
    pub path: &'a Path,
    pub replace_existing: bool,
    pub name_from_response: bool,
}

impl Target<'_> {
    /// The final path: the server's `Content-Disposition` name when allowed, beside an existing
    /// file rather than over it.
    async fn resolve(&self, facts: &ResponseFacts) -> PathBuf {
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
        let (folder, fallback) = (folder.to_owned(), self.path.to_owned());
        // Looks at the folder, which may be slow (a network share): off the runtime's threads.
        tokio::task::spawn_blocking(move || {
            super::naming::keep_both_name(&folder, &name, |p| p.symlink_metadata().is_ok())
        })
        .await
        .unwrap_or(fallback)
    }
}

/// What one request of an attempt led to.
enum Step {
    Done(Outcome),
    /// Ranges were given up: ask again for the whole object over one connection.
    OneStream,
}

/// What every request of a download sends and reports to: the same for all its attempts.
/// What a download in one stream knows when its last byte has arrived.
struct OneStream {
    status: u16,
    expected_total: Option<u64>,
    /// The ETag an attempt resumed from, the whole object's.
    resume_from: Option<String>,
    resumed: bool,
    facts: ResponseFacts,
    started: Instant,
    last_byte: Instant,
}

pub(super) struct Request<'a> {
    pub client: &'a reqwest::Client,
    pub url: reqwest::Url,
    pub headers: HeaderMap,
    pub target: Target<'a>,
    pub options: &'a Options,
    pub meter: &'a Meter,
    /// When the link expires, on the server's clock.
    pub expires_at: Option<jiff::Timestamp>,
}

impl DownloadState {
    pub(super) async fn attempt(
        &mut self,
        request: &Request<'_>,
    ) -> Result<Outcome, TransferError> {
        loop {
            if let Step::Done(outcome) = self.request(request).await? {
                return Ok(outcome);
            }
        }
    }

    /// One attempt: ask, then stream the answer into the file (or hand a large one to the
    /// ranges), verify and put it in place.
    async fn request(&mut self, fixed: &Request<'_>) -> Result<Step, TransferError> {
        let Request {
            target,
            options,
            meter,
            ..
        } = fixed;
        let replace_existing = target.replace_existing;
        if self.partial.is_none()
            && !replace_existing
            && tokio::fs::try_exists(target.path).await.unwrap_or(false)
        {
            return Err(TransferError::DestinationExists(target.path.to_owned()));
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        if std::mem::take(&mut self.write_cut_off) {
            self.resume_etag = None;
        }
        let resume_from = self.resume_etag.clone().filter(|_| self.received > 0);
        let asked = Instant::now();
        let (mut response, facts) = match self.ask(fixed, resume_from.as_deref()).await? {
            Ok(answer) => answer,
            Err(outcome) => return Ok(Step::Done(outcome)),
        };
        let status = response.status();
        if self.destination.is_none() {
            self.destination = Some(target.resolve(&facts).await);
        }
        let destination = self.destination.clone().unwrap_or_default();
        let destination = destination.as_path();
        let resumed = status.as_u16() == 206
            && resume_from.is_some()
            && facts
                .content_range
                .as_deref()
                .is_some_and(|r| r.starts_with(&format!("bytes {}-", self.received)));
        let expected_total = if resumed {
            facts
                .content_range
                .as_deref()
                .and_then(|r| r.rsplit('/').next())
                .and_then(|t| t.parse().ok())
        } else {
            response.content_length()
        };
        self.ready_file(&facts, resumed, expected_total, destination, meter)
            .await?;
        let hashing = options.verify && self.unverifiable.is_none();
        if let Some(etag) = facts.etag.clone()
            && let Some(total) = expected_total
            && !resumed
            && status.as_u16() == 200
            && total > ranges::MIN_BYTES
            && options.connections > 1
            && self.single_stream_reason.is_none()
            && facts.accept_ranges.as_deref() != Some("none")
        {
            let first = ranges::First {
                response,
                total,
                took: asked.elapsed(),
            };
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
        let last_byte = self.stream(&mut response, meter, destination).await?;
        let done = OneStream {
            status: status.as_u16(),
            expected_total,
            resume_from,
            resumed,
            facts,
            started,
            last_byte,
        };
        self.finish_one_stream(options, done, destination, replace_existing)
            .await
    }

    /// The partial file ready for this answer's bytes: started over unless the answer resumes
    /// (the ETag kept for a later resume, the MD5's availability noted), room for the whole
    /// object checked, the file made on the first answer.
    async fn ready_file(
        &mut self,
        facts: &ResponseFacts,
        resumed: bool,
        expected_total: Option<u64>,
        destination: &Path,
        meter: &Meter,
    ) -> Result<(), TransferError> {
        if !resumed {
            self.restart().await?;
            self.resume_etag = facts
                .etag
                .clone()
                .filter(|_| facts.accept_ranges.as_deref() == Some("bytes"));
            // The headers already say whether there is an MD5 to compare with; hashing without
            // one would only slow the download.
            self.unverifiable = verify::server_md5(facts).err();
            if let Some(total) = expected_total {
                check_free_space(destination, total).await?;
            }
        }
        if self.partial.is_none() {
            let (partial, file) = PartialFile::create(destination, meter.reporter()).await?;
            self.partial = Some(partial);
            self.writer = Some(tokio::io::BufWriter::with_capacity(IO_BUFFER_BYTES, file));
        }
        Ok(())
    }

    /// Sends the GET (from `resume_from`'s ETag on, where the last attempt stopped). The
    /// server's refusal is the outcome; a 412 on a resume (the object changed since) starts the
    /// file over and is retried as a network error.
    async fn ask(
        &mut self,
        fixed: &Request<'_>,
        resume_from: Option<&str>,
    ) -> Result<Result<(reqwest::Response, ResponseFacts), Outcome>, TransferError> {
        let mut request = fixed
            .client
            .get(fixed.url.clone())
            .headers(fixed.headers.clone());
        if let Some(etag) = resume_from {
            // Continue where the last attempt stopped, only if the object is still the same.
            request = request
                .header(RANGE, format!("bytes={}-", self.received))
                .header(IF_MATCH, etag);
        }
        fixed.meter.touch();
        match send(request).await? {
            Answer::Accepted(response, facts) => Ok(Ok((response, facts))),
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
                Ok(Err(outcome))
            }
        }
    }

    /// Writes the answer's body to the partial file (and the hasher), counting it; when the
    /// last byte arrived.
    async fn stream(
        &mut self,
        response: &mut reqwest::Response,
        meter: &Meter,
        destination: &Path,
    ) -> Result<Instant, TransferError> {
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
        Ok(Instant::now())
    }

    /// A download in one stream has all its bytes: checked for length, verified, put in place.
    async fn finish_one_stream(
        &mut self,
        options: &Options,
        done: OneStream,
        destination: &Path,
        replace_existing: bool,
    ) -> Result<Step, TransferError> {
        if let Some(expected) = done.expected_total
            && self.received != expected
        {
            return Err(TransferError::Truncated {
                expected,
                received: self.received,
            });
        }
        let facts = done.facts;
        // Verify against the whole object's ETag (the first answer's when resumed).
        let whole = ResponseFacts {
            etag: done.resume_from.or_else(|| facts.etag.clone()),
            content_md5: facts.content_md5.clone().filter(|_| !done.resumed),
            ..facts.clone()
        };
        let hasher = self.hasher.take();
        let hashed = hasher.is_some();
        let verification = self
            .verification(options, hasher, &whole, destination)
            .await?;
        let hash_tail = hashed.then(|| done.last_byte.elapsed());
        self.put_in_place(destination, replace_existing).await?;
        Ok(Step::Done(Outcome::Succeeded(Box::new(Success {
            status: done.status,
            bytes: self.received,
            elapsed: done.started.elapsed(),
            response: facts,
            saved_to: Some(destination.to_owned()),
            verification,
            connections: 1,
            connections_reason: None,
            single_stream_reason: self.single_stream_reason,
            hash_tail,
            parts: 0,
            complete_time: None,
            blocks: false,
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
        let total = first.total;
        let file = super::partial::off_thread(move || file.set_len(total).map(|()| file))
            .await
            .map_err(&write_error)?;
        // Nothing here can be resumed by a later attempt in one stream.
        self.resume_etag = None;
        self.received = 0;
        let hasher = match (&self.partial, answer.hashing) {
            (Some(partial), true) => {
                Some(Hasher::of_file(&partial.path).await.map_err(&write_error)?)
            }
            _ => None,
        };
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
            last_request: last_request(fixed.expires_at, &answer.facts, options),
        };
        match ranges::download(job, first).await? {
            ranges::End::Complete {
                connections,
                reason,
            } => {
                meter.finish();
                self.received = total;
                let last_byte = Instant::now();
                let hashed = hasher.is_some();
                let verification = self
                    .verification(options, hasher, &answer.facts, destination)
                    .await?;
                let hash_tail = hashed.then(|| last_byte.elapsed());
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
                    connections_reason: Some(reason),
                    single_stream_reason: None,
                    hash_tail,
                    parts: 0,
                    complete_time: None,
                    blocks: false,
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

/// The last moment a download in ranges may make a new request: the link's expiry as the
/// server's clock has it (this computer's clock corrected by the answer's `Date`), less the
/// margin.
fn last_request(
    expires_at: Option<jiff::Timestamp>,
    facts: &ResponseFacts,
    options: &Options,
) -> Option<Instant> {
    let expires_at = expires_at?;
    let now = jiff::Timestamp::now();
    // `Date` is to the second: a difference of one is its rounding, not the clocks'.
    let offset = crate::clock::this_computer_offset_secs(now, facts.date.as_deref())
        .filter(|offset| offset.abs() > 1)
        .unwrap_or(0);
    let server_now = now - jiff::SignedDuration::from_secs(offset);
    let left =
        expires_at.duration_since(server_now).as_secs_f64() - options.expiry_margin.as_secs_f64();
    let left = std::time::Duration::try_from_secs_f64(left.max(0.0)).unwrap_or_default();
    Instant::now().checked_add(left)
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
