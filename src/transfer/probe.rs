//! A safe check of a link: a `GET` of its first byte, which proves the signature, that the
//! object exists, its size and its ETag, and changes nothing on the server.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, RANGE};

use super::http::{network_error, refusal, response_facts, wire_url};
use super::{Refusal, ResponseFacts, TransferError};
use crate::secret::Secret;

/// The most a probe waits for the whole answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of a success body a probe reads (a server that ignores `Range` sends it all).
const PROBE_BODY_BYTES: usize = 64 * 1024;

/// What the probe learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeAnswer {
    /// The server accepted the download (200, 206, or 416 for an empty object).
    Accepted {
        /// HTTP status.
        status: u16,
        /// The object's size in bytes, when the answer says it.
        size: Option<u64>,
        /// The response's facts.
        response: Box<ResponseFacts>,
        /// How long the answer took.
        elapsed: Duration,
    },
    /// The server refused.
    Refused(Box<Refusal>),
}

/// `GET url` with `Range: bytes=0-0`, reading at most a little of the body.
pub async fn probe(client: &reqwest::Client, url: &Secret) -> Result<ProbeAnswer, TransferError> {
    let started = Instant::now();
    let url = wire_url(url.expose())?;
    let request = client
        .get(url)
        .header(RANGE, HeaderValue::from_static("bytes=0-0"))
        .timeout(PROBE_TIMEOUT);
    let mut response = request.send().await.map_err(network_error)?;
    let facts = response_facts(response.headers());
    let status = response.status().as_u16();
    if !(response.status().is_success() || status == 416) {
        return Ok(ProbeAnswer::Refused(Box::new(
            refusal(response, facts).await,
        )));
    }
    // Discard what came (one byte, or the start of the object when Range was ignored).
    let mut read = 0usize;
    while read < PROBE_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => read += chunk.len(),
            Ok(None) | Err(_) => break,
        }
    }
    let size = match status {
        206 | 416 => facts
            .content_range
            .as_deref()
            .and_then(|range| range.rsplit_once('/'))
            .and_then(|(_, total)| total.trim().parse().ok()),
        _ => facts.content_length,
    };
    Ok(ProbeAnswer::Accepted {
        status,
        size,
        response: Box::new(facts),
        elapsed: started.elapsed(),
    })
}

/// What a download probe of `plan`'s link shows about a refusal, when it can show anything:
/// a signature refusal of an upload whose link does not say its operation is probed once.
pub async fn settle_refusal(
    client: &reqwest::Client,
    plan: &crate::exchange::Plan,
    refusal: &Refusal,
) -> Option<crate::diagnose::ProbeVerdict> {
    use crate::diagnose::ProbeVerdict;
    let link = plan.link();
    if !crate::diagnose::wants_download_probe(plan, link, refusal) {
        return None;
    }
    Some(match probe(client, &plan.url).await {
        Ok(ProbeAnswer::Accepted { status, .. }) => ProbeVerdict::of_answer(status, None),
        Ok(ProbeAnswer::Refused(refusal)) => ProbeVerdict::of_answer(
            refusal.status,
            refusal
                .body
                .code
                .as_deref()
                .or(refusal.response.error_code.as_deref()),
        ),
        Err(_) => ProbeVerdict::Unsettled,
    })
}
