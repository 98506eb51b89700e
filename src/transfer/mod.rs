//! The HTTP engine: send a presigned request exactly as signed, stream the body both ways,
//! report progress, honour cancel, and never leave a half file where a whole one is expected.

pub mod naming;
mod progress;
mod run;
pub mod verify;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use progress::{Progress, ProgressMeter};
pub use run::{Options, http_client, run, run_with};
pub use tokio_util::sync::CancellationToken;
pub use verify::{ChecksumAlgorithm, Unverifiable, Verification};

use crate::diagnose::ErrorBody;
use crate::link::{Operation, PresignedLink, Provider, SignatureScheme};
use crate::secret::Secret;
use crate::text::{T, fill, tr};

/// What to send and where the body comes from or goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The URL exactly as it goes on the wire (the pasted link, trimmed). A secret: it holds
    /// the signature.
    pub url: Secret,
    /// The URL with signature and token redacted: the only form shown, copied or logged.
    pub redacted_url: String,
    /// Headers beyond those HTTP itself needs, in the order sent.
    pub headers: Vec<(String, String)>,
    /// Upload or download, with the file.
    pub payload: Payload,
    /// When the link expires: no retry after that.
    pub expires_at: Option<jiff::Timestamp>,
    /// Checksums the link fixes for the body; the file must match them.
    pub expected_checksums: Vec<(ChecksumAlgorithm, String)>,
    /// The most one PUT may carry on this service (5 GiB on S3).
    pub single_put_limit_bytes: Option<u64>,
}

/// The most one S3 PUT may carry: 5 GiB.
pub const S3_SINGLE_PUT_LIMIT_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The file side of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// PUT the file at `path`, which is `len_bytes` long when planned.
    Upload {
        /// The file to send.
        path: PathBuf,
        /// Its size when planned; a change during the upload aborts it.
        len_bytes: u64,
    },
    /// GET into `destination`.
    Download {
        /// Where the file ends up once complete.
        destination: PathBuf,
        /// Whether an existing file there may be replaced (the user said so).
        replace_existing: bool,
        /// The server's `Content-Disposition` name may replace the file name (the user did
        /// not choose one); the folder stays, and an existing file is never replaced for it.
        name_from_response: bool,
    },
}

impl Plan {
    /// A PUT of `file` (of `len_bytes`) with the given Content-Type (`None`: no header).
    pub fn upload(
        link: &PresignedLink,
        file: PathBuf,
        len_bytes: u64,
        content_type: Option<&str>,
    ) -> Self {
        let mut headers = Vec::new();
        if let Some(value) = content_type {
            headers.push(("Content-Type".to_owned(), value.to_owned()));
        }
        // Azure refuses a blob PUT without it (400 MissingRequiredHeader).
        if link.scheme == SignatureScheme::AzureSas || link.provider == Provider::Azure {
            headers.push(("x-ms-blob-type".to_owned(), "BlockBlob".to_owned()));
        }
        let s3 = matches!(
            link.scheme,
            SignatureScheme::AwsSigV4 | SignatureScheme::AwsSigV2
        ) && link.provider != Provider::Azure;
        Plan {
            url: Secret::new(link.as_sent()),
            redacted_url: link.redacted(),
            headers,
            payload: Payload::Upload {
                path: file,
                len_bytes,
            },
            expires_at: link.expires_at,
            expected_checksums: verify::expected_checksums(link),
            single_put_limit_bytes: s3.then_some(S3_SINGLE_PUT_LIMIT_BYTES),
        }
    }

    /// A GET into `destination`.
    pub fn download(link: &PresignedLink, destination: PathBuf, replace_existing: bool) -> Self {
        Plan {
            url: Secret::new(link.as_sent()),
            redacted_url: link.redacted(),
            headers: Vec::new(),
            payload: Payload::Download {
                destination,
                replace_existing,
                name_from_response: false,
            },
            expires_at: link.expires_at,
            expected_checksums: Vec::new(),
            single_put_limit_bytes: None,
        }
    }

    /// Lets the server's `Content-Disposition` name the downloaded file.
    pub fn with_name_from_response(mut self) -> Self {
        if let Payload::Download {
            name_from_response, ..
        } = &mut self.payload
        {
            *name_from_response = true;
        }
        self
    }

    /// The operation this plan performs.
    pub fn operation(&self) -> Operation {
        match self.payload {
            Payload::Upload { .. } => Operation::Put,
            Payload::Download { .. } => Operation::Get,
        }
    }

    /// The value of header `name` (ASCII case-insensitive) this plan sends.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as text, redacted, for showing and copying.
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}\n", self.operation().method(), self.redacted_url);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\n"));
        }
        if let Payload::Upload { path, len_bytes } = &self.payload {
            out.push_str(&format!("Content-Length: {len_bytes}\n"));
            out.push_str(&fill(T::BodyFrom, &[("path", &path.display().to_string())]));
            out.push('\n');
        }
        out
    }
}

/// Something that happens while a transfer runs.
#[derive(Debug, Clone, PartialEq)]
pub enum TransferEvent {
    /// Bytes moved.
    Progress(Progress),
    /// An attempt failed in a way worth retrying; the next starts after `delay`.
    Retrying {
        /// The attempt about to start (2 for the first retry).
        next_attempt: u32,
        /// Attempts in all.
        max_attempts: u32,
        /// The wait before it.
        delay: Duration,
        /// Why the last attempt failed.
        reason: RetryReason,
    },
}

/// Why an attempt failed in a way worth another; put in words when shown, in the language of
/// whoever shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryReason {
    /// The server answered with a passing error (503, SlowDown...).
    Refused {
        /// HTTP status.
        status: u16,
        /// The error code, else the status's reason phrase.
        code: String,
    },
    /// The connection broke, stalled, or the body ended short.
    Failed(TransferError),
}

impl std::fmt::Display for RetryReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetryReason::Refused { status, code } => f.write_str(&fill(
                T::RetryRefused,
                &[("status", &status.to_string()), ("code", code)],
            )),
            RetryReason::Failed(error) => error.fmt(f),
        }
    }
}

/// Receives events from a running transfer; called on the runtime, so it must be quick.
pub type Reporter = Arc<dyn Fn(TransferEvent) + Send + Sync>;

/// How a transfer ended.
#[derive(Debug)]
pub enum Outcome {
    /// The server accepted the request (2xx) and every byte arrived (boxed: it is large).
    Succeeded(Box<Success>),
    /// The server answered with an error status (boxed: it carries the whole error body).
    Refused(Box<Refusal>),
    /// The transfer could not be completed (network, file, or a check failed).
    Failed(TransferError),
    /// The user cancelled; nothing was kept.
    Cancelled,
}

/// A successful transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// HTTP status (200, or 201 for Azure).
    pub status: u16,
    /// Bytes of body sent (upload) or received (download).
    pub bytes: u64,
    /// Wall time from the first byte of the request to the end.
    pub elapsed: Duration,
    /// The response's facts (ETag, request id...).
    pub response: ResponseFacts,
    /// Where a download was saved.
    pub saved_to: Option<PathBuf>,
    /// What could be proved about the bytes.
    pub verification: Verification,
}

/// The server's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status.
    pub status: u16,
    /// The status's reason phrase (`Forbidden`...).
    pub reason: String,
    /// The error body, read and redacted.
    pub body: ErrorBody,
    /// The response's facts.
    pub response: ResponseFacts,
}

/// The response headers that matter to a person, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFacts {
    /// `ETag`.
    pub etag: Option<String>,
    /// `x-amz-version-id`.
    pub version_id: Option<String>,
    /// `x-amz-request-id`, `x-ms-request-id` or `x-guploader-uploadid`.
    pub request_id: Option<String>,
    /// `x-amz-id-2`.
    pub host_id: Option<String>,
    /// `Date`.
    pub date: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Content-Length`.
    pub content_length: Option<u64>,
    /// `Location` (a redirect the app did not follow).
    pub location: Option<String>,
    /// Azure's `x-ms-error-code`.
    pub error_code: Option<String>,
    /// `Content-MD5` (Azure), base64.
    pub content_md5: Option<String>,
    /// `x-goog-hash` (GCS).
    pub goog_hash: Option<String>,
    /// `x-amz-server-side-encryption` (or SSE-C): the ETag is then no MD5.
    pub server_side_encryption: Option<String>,
    /// `Accept-Ranges`.
    pub accept_ranges: Option<String>,
    /// `Content-Range` of a partial answer.
    pub content_range: Option<String>,
    /// `Content-Disposition`.
    pub content_disposition: Option<String>,
}

/// Why a transfer could not complete. Every message is safe to show: no URL, no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// The file to upload could not be read.
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The file changed size while it was being sent.
    FileChanged {
        /// The file.
        path: PathBuf,
        /// Size when planned.
        planned: u64,
        /// Size now.
        now: u64,
    },
    /// The downloaded file could not be written.
    WriteFile {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// A file already exists where the download would go, and replacing it was not allowed.
    DestinationExists(PathBuf),
    /// The server could not be reached.
    Connect(String),
    /// The connection failed during the transfer.
    Network(String),
    /// Fewer bytes arrived than the server announced.
    Truncated {
        /// Bytes announced.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// The link cannot be sent without changing it (for example `/./` or `/../` in its path).
    CannotSendUnchanged,
    /// A header value the user typed cannot be sent.
    InvalidHeader(String),
    /// No byte moved for this many seconds.
    Stalled(u64),
    /// The file is larger than one request may carry.
    TooLarge {
        /// The file's size.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// The file cannot match a checksum the link fixes.
    ChecksumMismatch {
        /// CRC32, SHA256...
        algorithm: String,
        /// The link's value, base64.
        expected: String,
        /// The file's, base64.
        actual: String,
    },
    /// The server's MD5 of the object differs from the bytes sent or received.
    DigestMismatch {
        /// The file.
        path: PathBuf,
        /// MD5 of the bytes, hex.
        computed: String,
        /// The server's, hex.
        server: String,
    },
    /// The disk lacks room for the download.
    NoSpace {
        /// Bytes needed.
        needed: u64,
        /// Bytes free.
        available: u64,
    },
}

impl TransferError {
    /// Whether another attempt may succeed: a broken or stalled connection, a short body.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransferError::Network(_) | TransferError::Stalled(_) | TransferError::Truncated { .. }
        )
    }
}

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            TransferError::ReadFile { path, reason } => fill(
                T::ErrReadFile,
                &[("path", &path.display().to_string()), ("reason", reason)],
            ),
            TransferError::FileChanged { path, planned, now } => fill(
                T::ErrFileChanged,
                &[
                    ("path", &path.display().to_string()),
                    ("planned", &planned.to_string()),
                    ("now", &now.to_string()),
                ],
            ),
            TransferError::WriteFile { path, reason } => fill(
                T::ErrWriteFile,
                &[("path", &path.display().to_string()), ("reason", reason)],
            ),
            TransferError::DestinationExists(path) => fill(
                T::ErrDestinationExists,
                &[("path", &path.display().to_string())],
            ),
            TransferError::Connect(reason) => fill(T::ErrConnect, &[("reason", reason)]),
            TransferError::Network(reason) => fill(T::ErrNetwork, &[("reason", reason)]),
            TransferError::Truncated { expected, received } => fill(
                T::ErrTruncated,
                &[
                    ("expected", &expected.to_string()),
                    ("received", &received.to_string()),
                ],
            ),
            TransferError::CannotSendUnchanged => tr(T::ErrCannotSendUnchanged).to_owned(),
            TransferError::InvalidHeader(name) => fill(T::ErrInvalidHeader, &[("name", name)]),
            TransferError::Stalled(secs) => fill(T::ErrStalled, &[("secs", &secs.to_string())]),
            TransferError::TooLarge { len, limit } => fill(
                T::ErrTooLarge,
                &[
                    ("size", &crate::format::bytes(*len)),
                    ("limit", &crate::format::bytes(*limit)),
                ],
            ),
            TransferError::ChecksumMismatch {
                algorithm,
                expected,
                actual,
            } => fill(
                T::ErrChecksumMismatch,
                &[
                    ("algorithm", algorithm),
                    ("expected", expected),
                    ("actual", actual),
                ],
            ),
            TransferError::DigestMismatch {
                path,
                computed,
                server,
            } => fill(
                T::ErrDigestMismatch,
                &[
                    ("path", &path.display().to_string()),
                    ("computed", computed),
                    ("server", server),
                ],
            ),
            TransferError::NoSpace { needed, available } => fill(
                T::ErrNoSpace,
                &[
                    ("needed", &crate::format::bytes(*needed)),
                    ("available", &crate::format::bytes(*available)),
                ],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for TransferError {}

/// The name a download is saved under while it is incomplete: hidden, beside `destination`.
pub fn partial_path(destination: &Path) -> PathBuf {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".to_owned());
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    destination.with_file_name(format!(
        ".{name}.{}-{unique:08x}.presigndesk-part",
        std::process::id()
    ))
}
