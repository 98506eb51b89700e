//! The HTTP engine: send a presigned request exactly as signed, stream the body both ways,
//! report progress, honour cancel, and never leave a half file where a whole one is expected.

mod digest;
mod hasher;
pub mod naming;
mod post;
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
    TransferError,
};
pub use digest::file_digests;
pub use probe::{ProbeAnswer, probe, settle_refusal};
pub use progress::{Progress, ProgressMeter};
pub use ranges::{DEFAULT_CONNECTIONS, MAX_CONNECTIONS, MIN_BYTES as RANGES_MIN_BYTES};
pub use run::{Options, http_client, run, run_with};
pub use tokio_util::sync::CancellationToken;

use crate::text::{T, fill};

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
