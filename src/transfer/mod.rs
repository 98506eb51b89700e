//! The HTTP engine: send a presigned request exactly as signed, stream the body both ways,
//! report progress, honour cancel, and never leave a half file where a whole one is expected.

mod hasher;
pub mod naming;
mod probe;
mod progress;
mod ranges;
mod run;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use crate::exchange::verify::{self, ChecksumAlgorithm, Unverifiable, Verification};
pub use crate::exchange::{
    Payload, Plan, Refusal, ResponseFacts, S3_SINGLE_PUT_LIMIT_BYTES, SingleStreamReason, Success,
};
pub use probe::{ProbeAnswer, probe, settle_refusal};
pub use progress::{Progress, ProgressMeter};
pub use ranges::{DEFAULT_CONNECTIONS, MAX_CONNECTIONS, MIN_BYTES as RANGES_MIN_BYTES};
pub use run::{Options, http_client, run, run_with};
pub use tokio_util::sync::CancellationToken;

use crate::text::{T, fill, tr};

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
