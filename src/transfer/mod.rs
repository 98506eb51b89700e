//! The HTTP engine: send a presigned request exactly as signed, stream the body both ways,
//! report progress, honour cancel, and never leave a half file where a whole one is expected.

mod adapt;
mod attempts;
mod digest;
mod download;
mod hasher;
mod http;
mod meter;
pub mod naming;
mod partial;
mod parts;
mod post;
mod probe;
mod ramp;
mod ranges;
mod resumable;
mod resume;
mod retry;
mod upload;

pub use crate::exchange::verify::{self, ChecksumAlgorithm, Unverifiable, Verification};
pub use crate::exchange::{
    ConnectionsReason, DEFAULT_CONNECTIONS, MAX_CONNECTIONS, MAX_PART_CONNECTIONS, Options,
    Outcome, Payload, Plan, Progress, ProgressMeter, RANGES_MIN_BYTES, Refusal, Reporter,
    ResponseFacts, RetryReason, S3_SINGLE_PUT_LIMIT_BYTES, SingleStreamReason, Success,
    TransferError, TransferEvent,
};
pub use attempts::{run, run_with};
pub use digest::file_digests;
pub use http::http_client;
pub use parts::abort_upload;
pub use probe::{ProbeAnswer, probe, settle_refusal};
pub use tokio_util::sync::CancellationToken;

pub use partial::partial_path;
