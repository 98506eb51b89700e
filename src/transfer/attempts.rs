//! Running a plan: attempts with backoff, the stall watchdog, cancel, and the outcome.

use reqwest::header::HeaderMap;

use super::download::{DownloadState, Request, Target};
use super::http::{extra_headers, wire_url};
use super::meter::Meter;
use super::retry::{announce, retry_reason};
use super::upload::{preflight_upload, upload};
use super::{CancellationToken, Options, Outcome, Payload, Plan, Reporter, TransferError};
use crate::exchange::Pieces;

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
        if let Some((target, layout, path, len_bytes)) = in_parts(plan) {
            // Each part and the request that joins them are retried on their own.
            let meter = Meter::new(1, report.clone());
            return super::parts::upload(client, target?, layout, path, len_bytes, options, &meter)
                .await;
        }
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
            let once = Once {
                client,
                plan,
                url: &url,
                headers: &headers,
                options,
                meter: &meter,
                sent_despite_checksum,
            };
            let one = once.run(&mut download);
            let result = tokio::select! {
                result = one => result,
                () = meter.stalled(options.stall_timeout) => {
                    Err(TransferError::Stalled(options.stall_timeout.as_secs()))
                }
            };
            let retry_reason = retry_reason(&result);
            let expired = plan
                .expires_at
                .is_some_and(|at| at <= jiff::Timestamp::now());
            match retry_reason {
                Some(reason) if attempt < options.max_attempts && !expired => {
                    let delay = announce(&report, options, attempt, reason);
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

/// One attempt of a plan, with what every attempt shares.
struct Once<'a> {
    client: &'a reqwest::Client,
    plan: &'a Plan,
    url: &'a reqwest::Url,
    headers: &'a HeaderMap,
    options: &'a Options,
    meter: &'a Meter,
    /// The upload goes although the file cannot match a checksum the link fixes.
    sent_despite_checksum: bool,
}

impl Once<'_> {
    /// Sends the request once; a refusal carries the bytes sent before it. A download keeps
    /// what it received in `download` for the next attempt to resume.
    async fn run(self, download: &mut DownloadState) -> Result<Outcome, TransferError> {
        let Once {
            client,
            plan,
            url,
            headers,
            options,
            meter,
            sent_despite_checksum,
        } = self;
        let sent = match &plan.payload {
            Payload::Upload {
                path,
                len_bytes,
                pieces: None,
            } => {
                upload(
                    client,
                    url.clone(),
                    headers.clone(),
                    path,
                    *len_bytes,
                    options,
                    meter,
                )
                .await
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
                super::post::post(client, url.clone(), &form, options, meter).await
            }
            Payload::Upload {
                path,
                len_bytes,
                pieces: Some(Pieces::GcsResumable(_)),
            } => {
                super::resumable::upload(
                    client,
                    url.clone(),
                    headers.clone(),
                    path,
                    *len_bytes,
                    options,
                    meter,
                )
                .await
            }
            Payload::Parts { .. }
            | Payload::Upload {
                pieces: Some(Pieces::AzureBlocks(_)),
                ..
            } => {
                // Sent in parts by `in_parts`, never as one request.
                Err(TransferError::Network(
                    "an upload in parts cannot go as one request".to_owned(),
                ))
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
                    meter,
                    expires_at: plan.expires_at,
                };
                return download.attempt(&request).await;
            }
        };
        match sent {
            Ok(Outcome::Refused(mut refusal)) => {
                refusal.bytes_sent = meter.bytes();
                refusal.sent_despite_checksum = sent_despite_checksum;
                Ok(Outcome::Refused(refusal))
            }
            other => other,
        }
    }
}

/// What an upload sent in parts needs: where the parts go, how the file is cut, the file and
/// its planned size; `None` for a plan sent as one request.
type InParts<'a> = (
    Result<super::parts::Target, TransferError>,
    crate::link::parts::Layout,
    &'a std::path::Path,
    u64,
);

fn in_parts(plan: &Plan) -> Option<InParts<'_>> {
    match &plan.payload {
        Payload::Parts {
            path,
            len_bytes,
            set,
            layout,
        } => Some((super::parts::Target::s3(set), *layout, path, *len_bytes)),
        Payload::Upload {
            path,
            len_bytes,
            pieces: Some(Pieces::AzureBlocks(layout)),
        } => {
            let target = match plan.link() {
                Some(link) => {
                    super::parts::Target::azure(link, *layout, plan.header("Content-Type"))
                }
                None => Err(TransferError::Network(
                    "no link to send the blocks to".to_owned(),
                )),
            };
            Some((target, *layout, path, *len_bytes))
        }
        _ => None,
    }
}
