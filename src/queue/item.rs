//! One item of a queue: a file and its link (or a form, or a link to download), checked as its
//! turn comes, planned, sent, and said in one line with the result or the cause.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::plan;
use crate::batch::MatchedBy;
use crate::diagnose::Diagnosis;
use crate::format;
use crate::link::{Operation, PresignedLink, Severity, target_name};
use crate::post::PostForm;
use crate::text::{T, fill, tr};
use crate::transfer::{self, CancellationToken, Outcome, Reporter, TransferEvent};

/// One file or link of a queue, before it is sent.
#[derive(Debug, Clone)]
pub struct Item {
    /// The file to upload, or where a download goes.
    pub file: Option<PathBuf>,
    /// The file's size, or why it cannot be read or sent (uploads); for a download, `Err`
    /// holds why it is not made.
    pub size: Result<u64, String>,
    /// The link's text, or the form.
    pub target: Target,
    /// How the file was matched to its link.
    pub matched_by: Option<MatchedBy>,
}

/// Where an item goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// A presigned link, as given.
    Link(String),
    /// A form every file of the queue goes through.
    Form(Arc<PostForm>),
}

/// What every item of a queue is sent with.
#[derive(Debug, Clone, Default)]
pub struct How {
    /// The upload's choices (`None`: the items are downloads).
    pub upload: Option<UploadChoices>,
    /// A download may replace a file of its name.
    pub overwrite: bool,
    /// How each transfer behaves.
    pub options: transfer::Options,
}

/// The most connections one download of a queue uses: a few rows at once share the line.
pub const QUEUE_DOWNLOAD_CONNECTIONS: u32 = 4;

impl How {
    /// How a queue sends its rows with `options` (the settings'): an upload in one request,
    /// its file's type guessed; a download over a few connections, replacing nothing.
    pub fn for_queue(options: transfer::Options, downloads: bool) -> Self {
        How {
            upload: (!downloads).then(UploadChoices::default),
            overwrite: false,
            options: transfer::Options {
                connections: if downloads {
                    options.connections.min(QUEUE_DOWNLOAD_CONNECTIONS)
                } else {
                    1
                },
                ..options
            },
        }
    }
}

/// The choices of an upload.
#[derive(Debug, Clone, Default)]
pub struct UploadChoices {
    /// Send no Content-Type.
    pub no_content_type: bool,
    /// Send exactly this Content-Type (else the file's, or the one the link signs).
    pub content_type: Option<String>,
    /// Signed headers' values as `Name: value`.
    pub headers: Vec<String>,
    /// Send through a form even when its checks say it will be refused.
    pub send_anyway: bool,
}

/// How an item ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemResult {
    /// Done, and checked as far as the server allows.
    Succeeded,
    /// The storage refused it.
    Refused,
    /// It could not complete.
    Failed,
    /// It was not sent, and the line says why.
    NotSent,
    /// Cancelled.
    Cancelled,
}

impl ItemResult {
    /// Its id, as the JSON gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemResult::Succeeded => "succeeded",
            ItemResult::Refused => "refused",
            ItemResult::Failed => "failed",
            ItemResult::NotSent => "not-sent",
            ItemResult::Cancelled => "cancelled",
        }
    }
}

/// An item once it ended.
#[derive(Debug)]
pub struct Finished {
    /// `bucket/key`, or the form's address.
    pub target: String,
    /// The link, redacted.
    pub link: Option<String>,
    /// How it ended.
    pub result: ItemResult,
    /// The result or the cause, in one line.
    pub reason: String,
    /// The whole line: file, target, result.
    pub line: String,
    /// Upload or download, once planned.
    pub operation: Option<Operation>,
    /// The transfer's outcome, when one was made.
    pub outcome: Option<Outcome>,
    /// The explanation of a refusal (or of a request PresignDesk would not send).
    pub explanation: Option<Diagnosis>,
    /// How long the transfer took.
    pub elapsed: Duration,
    /// Attempts made.
    pub attempts: u32,
}

impl Finished {
    fn not_sent(target: String, link: Option<String>, file: &str, reason: &str) -> Self {
        Finished {
            line: fill(
                T::BatchNotSent,
                &[("file", file), ("target", &target), ("reason", reason)],
            ),
            target,
            link,
            result: ItemResult::NotSent,
            reason: reason.to_owned(),
            operation: None,
            outcome: None,
            explanation: None,
            elapsed: Duration::ZERO,
            attempts: 0,
        }
    }
}

/// Runs one item: checked as its turn comes (a link that expired while it waited, or that
/// cannot work as it is, is not sent), planned, sent with `report` told of its progress, and
/// said in a line.
pub async fn run_item(
    how: &How,
    client: &reqwest::Client,
    cancel: &CancellationToken,
    item: &Item,
    report: Reporter,
) -> Finished {
    let file_text = item
        .file
        .as_ref()
        .map_or_else(|| "—".to_owned(), |p| p.display().to_string());
    let file = file_text.as_str();
    let now = jiff::Timestamp::now();
    let (plan, target, link_text) = match &item.target {
        Target::Form(form) => {
            let target = form.url.clone();
            let Some(path) = item.file.as_deref() else {
                return Finished::not_sent(target, None, file, tr(T::BatchNoFileForLink));
            };
            let len = match &item.size {
                Ok(len) => *len,
                Err(reason) => return Finished::not_sent(target, None, file, reason),
            };
            let choices = how.upload.clone().unwrap_or_default();
            let upload = plan::form_upload(
                form,
                path,
                len,
                choices.no_content_type,
                choices.content_type.as_deref(),
                now,
            );
            if !upload.problems.is_empty() && !choices.send_anyway {
                let diagnosis = crate::diagnose::of_form_problems(form, &upload.problems);
                return Finished::not_sent(upload.target, None, file, &diagnosis.title);
            }
            (upload.plan, upload.target, None)
        }
        Target::Link(text) => {
            let link = match PresignedLink::parse(text) {
                Ok(link) => link,
                Err(e) => {
                    let target = tr(T::BatchNotALink).to_owned();
                    return Finished::not_sent(target, None, file, &e.to_string());
                }
            };
            let target = target_name(&link);
            let redacted = Some(link.redacted());
            // Judged as its turn comes: a link that expired while it waited is not sent.
            if let Some(error) = link
                .findings(now, None)
                .into_iter()
                .find(|f| f.severity == Severity::Error)
            {
                return Finished::not_sent(target, redacted, file, &error.message);
            }
            if cancel.is_cancelled() {
                return Finished {
                    result: ItemResult::Cancelled,
                    ..Finished::not_sent(target, redacted, file, tr(T::CliCancelled))
                };
            }
            let len = match &item.size {
                Ok(len) => *len,
                Err(reason) => return Finished::not_sent(target, redacted, file, reason),
            };
            let planned = match (&how.upload, item.file.as_deref()) {
                (Some(choices), Some(path)) => {
                    let choice = plan::file_type(
                        choices.no_content_type,
                        choices.content_type.as_deref(),
                        &link,
                        path,
                    );
                    plan::upload(&link, path, len, &choice, &choices.headers).await
                }
                (Some(_), None) => {
                    let reason = tr(T::BatchNoFileForLink);
                    return Finished::not_sent(target, redacted, file, reason);
                }
                (None, output) => plan::download(&link, output, how.overwrite),
            };
            match planned {
                Ok(plan) => (plan, target, redacted),
                Err(stop) => return Finished::not_sent(target, redacted, file, &stop.message),
            }
        }
    };
    if cancel.is_cancelled() {
        return Finished {
            result: ItemResult::Cancelled,
            ..Finished::not_sent(target, link_text, file, tr(T::CliCancelled))
        };
    }
    let started = Instant::now();
    let attempts = Arc::new(AtomicU32::new(1));
    let count = attempts.clone();
    let counting: Reporter = Arc::new(move |event| {
        if let TransferEvent::Retrying { next_attempt, .. } = &event {
            count.fetch_max(*next_attempt, Ordering::Relaxed);
        }
        report(event);
    });
    let outcome = transfer::run_with(client, &plan, &how.options, counting, cancel).await;
    let elapsed = started.elapsed();
    let explanation = match &outcome {
        Outcome::Refused(refusal) => {
            let probe = transfer::settle_refusal(client, &plan, refusal).await;
            Some(crate::diagnose::of_refusal(
                &plan,
                refusal,
                probe,
                jiff::Timestamp::now(),
            ))
        }
        Outcome::Failed(error) => crate::diagnose::of_local(&plan, error),
        _ => None,
    };
    let (result, reason) = match (&outcome, &explanation) {
        (Outcome::Succeeded(success), _) => (
            ItemResult::Succeeded,
            success.verification.describe().to_string(),
        ),
        (Outcome::Refused(_), Some(diagnosis)) => (ItemResult::Refused, diagnosis.title.clone()),
        (Outcome::Cancelled, _) => (ItemResult::Cancelled, tr(T::CliCancelled).to_owned()),
        (_, Some(diagnosis)) => (ItemResult::Failed, diagnosis.title.clone()),
        (Outcome::Failed(error), None) => (ItemResult::Failed, error.to_string()),
        _ => (ItemResult::Failed, tr(T::NotCompleted).to_owned()),
    };
    let line = match (&outcome, result) {
        (Outcome::Succeeded(success), _) => fill(
            T::BatchDone,
            &[
                ("file", file),
                ("target", &target),
                ("size", &format::bytes(success.bytes)),
                ("time", &format::duration(success.elapsed)),
                ("verification", &reason),
            ],
        ),
        (Outcome::Refused(refusal), ItemResult::Refused) => fill(
            T::BatchRefused,
            &[
                ("file", file),
                ("target", &target),
                ("status", &refusal.status.to_string()),
                ("reason", &reason),
            ],
        ),
        _ => fill(
            T::BatchFailed,
            &[("file", file), ("target", &target), ("reason", &reason)],
        ),
    };
    Finished {
        target,
        link: link_text,
        result,
        reason,
        line,
        operation: Some(plan.operation()),
        outcome: Some(outcome),
        explanation,
        elapsed: elapsed.max(Duration::from_millis(1)),
        attempts: attempts.load(Ordering::Relaxed),
    }
}
