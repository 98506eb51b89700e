//! An upload by PUT: the checks before sending (size limit, checksums the link fixes), the file
//! streamed from disk with an exact length and hashed on the way, and proof that it did not
//! change while it went.

use std::io;
use std::path::Path;
use std::time::Instant;

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, HeaderMap};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use super::hasher::{Hasher, verify_md5};
use super::http::{Answer, send};
use super::meter::Meter;
use super::verify::Checksum;
use super::{Options, Outcome, Plan, Success, TransferError};

/// What is read from the file at a time.
pub(super) const IO_BUFFER_BYTES: usize = 256 * 1024;

/// Checks before sending anything: the single-request size limit and the checksums the link
/// fixes for the body. Returns whether the file is sent although it cannot match them (the
/// tester asked for it), which then explains the refusal.
pub(super) async fn preflight_upload(
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

/// The file at `path` as planned (`planned_len` long): its metadata, to compare with after.
pub(super) async fn as_planned(
    path: &Path,
    planned_len: u64,
) -> Result<std::fs::Metadata, TransferError> {
    let before = tokio::fs::metadata(path)
        .await
        .map_err(|e| read_error(path, e))?;
    if before.len() != planned_len {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: planned_len,
            now: before.len(),
        });
    }
    Ok(before)
}

/// Whether the file at `path` is still what it was `before` the upload: its length and its
/// modified time; a change means what was sent may be a mix.
pub(super) async fn still_as_planned(
    path: &Path,
    before: &std::fs::Metadata,
    planned_len: u64,
) -> Result<(), TransferError> {
    let after = tokio::fs::metadata(path)
        .await
        .map_err(|e| read_error(path, e))?;
    if after.len() != planned_len || after.modified().ok() != before.modified().ok() {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: planned_len,
            now: after.len(),
        });
    }
    Ok(())
}

/// A read of the file at `path` failed.
pub(super) fn read_error(path: &Path, e: io::Error) -> TransferError {
    TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

pub(super) async fn upload(
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
        connections_reason: None,
        single_stream_reason: None,
        hash_tail: None,
        parts: 0,
        complete_time: None,
        blocks: false,
    })))
}
