//! What a running transfer tells whoever watches it, and how it ends. Plain values.

use std::sync::Arc;
use std::time::Duration;

use super::{Progress, Refusal, Success, TransferError};
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
    /// A multipart upload goes on where an earlier run left it: `done` of `total` parts are
    /// on the storage already.
    PartsAlreadyThere {
        /// Parts already sent.
        done: u32,
        /// Parts in all.
        total: u32,
        /// Which: their places in part order (0 first).
        places: Vec<u32>,
    },
    /// The part at `place` in part order (0 first) arrived and the storage accepted it.
    PartArrived {
        /// Its place in part order.
        place: u32,
    },
    /// A multipart upload stopped with `kept` of `total` parts on the storage, recorded: the
    /// same set, or a fresh one for the same upload, sends only the others.
    PartsKept {
        /// Parts that arrived.
        kept: u32,
        /// Parts in all.
        total: u32,
    },
    /// A multipart upload stopped because its links expired: `kept` of `total` parts are on
    /// the storage, recorded, and the parts `numbers` still need fresh links.
    PartsNeedLinks {
        /// The parts not yet sent, by number.
        numbers: Vec<u32>,
        /// Parts that arrived.
        kept: u32,
        /// Parts in all.
        total: u32,
    },
    /// A partial download could not be removed: it is still on disk, hidden beside where the
    /// file was to go, and the person may want to delete it.
    PartialLeft {
        /// The partial file.
        path: std::path::PathBuf,
        /// Why it could not be removed.
        reason: String,
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
