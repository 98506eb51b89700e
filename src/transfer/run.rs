//! Running a plan with reqwest on the tokio runtime.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, HeaderMap, HeaderName, HeaderValue};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

use super::{
    CancellationToken, Outcome, Payload, Plan, ProgressMeter, Refusal, Reporter, ResponseFacts,
    Success, TransferError, TransferEvent, partial_path,
};
use crate::diagnose::{ErrorBody, MAX_ERROR_BODY_BYTES};
use crate::link::RawUrl;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const IO_BUFFER_BYTES: usize = 256 * 1024;

/// The HTTP client every transfer uses: no redirects (SigV4 signs the host, so a redirect
/// cannot be followed with the same link), no added headers beyond what HTTP needs.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
}

/// Runs `plan` to its end, reporting progress to `report`. Cancelling `cancel` stops it
/// within moments; a cancelled or failed download leaves no file behind.
pub async fn run(
    client: &reqwest::Client,
    plan: &Plan,
    report: Reporter,
    cancel: &CancellationToken,
) -> Outcome {
    let meter = std::sync::Arc::new(std::sync::Mutex::new(ProgressMeter::new(None)));
    let work = async {
        let url = wire_url(plan.url.expose())?;
        let headers = extra_headers(&plan.headers)?;
        match &plan.payload {
            Payload::Upload { path, len_bytes } => {
                upload(client, url, headers, path, *len_bytes, &meter, &report).await
            }
            Payload::Download {
                destination,
                replace_existing,
            } => {
                download(
                    client,
                    url,
                    headers,
                    destination,
                    *replace_existing,
                    &meter,
                    &report,
                )
                .await
            }
        }
    };
    tokio::select! {
        biased;
        () = cancel.cancelled() => Outcome::Cancelled {
            bytes_done: meter.lock().map(|m| m.bytes_done()).unwrap_or_default(),
        },
        result = work => match result {
            Ok(outcome) => outcome,
            Err(error) => Outcome::Failed(error),
        },
    }
}

/// The `Url` reqwest needs, refusing any link the URL library would rewrite beyond
/// percent-encoding bytes that cannot travel raw (non-ASCII, quotes...).
fn wire_url(text: &str) -> Result<reqwest::Url, TransferError> {
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

type SharedMeter = std::sync::Arc<std::sync::Mutex<ProgressMeter>>;

fn count(meter: &SharedMeter, report: &Reporter, bytes: u64) {
    if let Ok(mut meter) = meter.lock()
        && let Some(progress) = meter.advance(bytes)
    {
        report(TransferEvent::Progress(progress));
    }
}

fn restart_meter(meter: &SharedMeter, total: Option<u64>) {
    if let Ok(mut meter) = meter.lock() {
        *meter = ProgressMeter::new(total);
    }
}

/// Reports the final count (however recent the last report) and returns it.
fn final_report(meter: &SharedMeter, report: &Reporter) -> u64 {
    let Ok(meter) = meter.lock() else {
        return 0;
    };
    report(TransferEvent::Progress(meter.snapshot()));
    meter.bytes_done()
}

/// What the server answered to the request line and headers.
// Lives for one call, on the stack: boxing the response would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Answer {
    /// 2xx: the body (for a GET) is to be read.
    Accepted(reqwest::Response, ResponseFacts),
    /// Anything else, read into a refusal.
    Refused(Outcome),
}

async fn send(request: reqwest::RequestBuilder) -> Result<Answer, TransferError> {
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

async fn upload(
    client: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    path: &Path,
    planned_len: u64,
    meter: &SharedMeter,
    report: &Reporter,
) -> Result<Outcome, TransferError> {
    let read_error = |e: io::Error| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let file = tokio::fs::File::open(path).await.map_err(read_error)?;
    let len = file.metadata().await.map_err(read_error)?.len();
    if len != planned_len {
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: planned_len,
            now: len,
        });
    }
    restart_meter(meter, Some(len));
    let body_meter = meter.clone();
    let body_report = report.clone();
    // Exactly `len` bytes go out even if the file grows meanwhile; a shrink ends the stream
    // early and the server sees a short body.
    let stream =
        ReaderStream::with_capacity(tokio::io::AsyncReadExt::take(file, len), IO_BUFFER_BYTES)
            .inspect(move |chunk| {
                if let Ok(chunk) = chunk {
                    count(&body_meter, &body_report, chunk.len() as u64);
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
    let bytes = final_report(meter, report);
    if bytes != len {
        let now = tokio::fs::metadata(path)
            .await
            .map(|m| m.len())
            .unwrap_or(bytes);
        return Err(TransferError::FileChanged {
            path: path.to_owned(),
            planned: len,
            now,
        });
    }
    Ok(Outcome::Succeeded(Box::new(Success {
        status: status.as_u16(),
        bytes,
        elapsed: started.elapsed(),
        response: facts,
        saved_to: None,
    })))
}

async fn download(
    client: &reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    destination: &Path,
    replace_existing: bool,
    meter: &SharedMeter,
    report: &Reporter,
) -> Result<Outcome, TransferError> {
    if !replace_existing && destination.exists() {
        return Err(TransferError::DestinationExists(destination.to_owned()));
    }
    let started = Instant::now();
    let (mut response, facts) = match send(client.get(url).headers(headers)).await? {
        Answer::Accepted(response, facts) => (response, facts),
        Answer::Refused(outcome) => return Ok(outcome),
    };
    let status = response.status();
    let expected = response.content_length();
    restart_meter(meter, expected);

    let (partial, file) = PartialFile::create(destination).await?;
    let write_error = |e: io::Error| TransferError::WriteFile {
        path: destination.to_owned(),
        reason: e.to_string(),
    };
    let mut writer = tokio::io::BufWriter::with_capacity(IO_BUFFER_BYTES, file);
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        writer.write_all(&chunk).await.map_err(write_error)?;
        count(meter, report, chunk.len() as u64);
    }
    writer.flush().await.map_err(write_error)?;
    drop(writer);
    let bytes = final_report(meter, report);
    if let Some(expected) = expected
        && bytes != expected
    {
        return Err(TransferError::Truncated {
            expected,
            received: bytes,
        });
    }
    partial.finish(destination, replace_existing).await?;
    Ok(Outcome::Succeeded(Box::new(Success {
        status: status.as_u16(),
        bytes,
        elapsed: started.elapsed(),
        response: facts,
        saved_to: Some(destination.to_owned()),
    })))
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
            .map_err(|e| TransferError::WriteFile {
                path: destination.to_owned(),
                reason: e.to_string(),
            })?;
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
        let write_error = |e: io::Error| TransferError::WriteFile {
            path: destination.to_owned(),
            reason: e.to_string(),
        };
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

async fn refusal(mut response: reqwest::Response, facts: ResponseFacts) -> Refusal {
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
    }
}

fn response_facts(headers: &HeaderMap) -> ResponseFacts {
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
        error_code: get("x-ms-error-code"),
    }
}

/// A network error as a message with no URL in it (reqwest's own text includes the URL and
/// with it the signature). The innermost cause says the most ("Connection refused").
fn network_error(error: reqwest::Error) -> TransferError {
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
