//! What the window holds about this session: the transfer (running or ended, with its
//! explanation), the transfers so far, "Check link", and the server's clock. Plain data the
//! panels draw; it changes through [`Session`]'s methods.

use std::time::Duration;

use jiff::Timestamp;

use crate::content_type::ContentTypeChoice;
use crate::diagnose::{Attempt, Diagnosis, ProbeVerdict, creator_message};
use crate::link::{Operation, PresignedLink};
use crate::secret::Secret;
use crate::text::{Language, language};
use crate::transfer::{CancellationToken, Outcome, Payload, Plan, Progress, RetryReason};

/// Where the transfer stands.
pub enum RunState {
    /// Nothing running.
    Idle,
    /// A transfer is running.
    Running {
        /// Cancels it.
        cancel: CancellationToken,
        /// The latest progress, once some arrived.
        progress: Option<Progress>,
        /// The latest retry notice.
        retry: Option<RetryNotice>,
        /// Which parts arrived, for an upload in parts.
        parts: Option<PartsBoard>,
        /// What it does.
        plan: Plan,
    },
    /// The last transfer ended.
    Finished {
        /// How.
        outcome: Outcome,
        /// What was sent.
        plan: Plan,
        /// The explanation of a refusal, with the message for the link's creator.
        explained: Option<Box<Explained>>,
    },
}

impl RunState {
    /// Whether a transfer is running.
    pub fn is_running(&self) -> bool {
        matches!(self, RunState::Running { .. })
    }
}

/// Which parts of an upload in parts have arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsBoard {
    /// Each part in part order: whether it arrived.
    pub arrived: Vec<bool>,
    /// How many an earlier run had sent.
    pub before: u32,
}

impl PartsBoard {
    /// A board of `count` parts, none arrived.
    pub fn new(count: u32) -> Self {
        PartsBoard {
            arrived: vec![false; count as usize],
            before: 0,
        }
    }

    /// Marks the parts at `places`; `before` when an earlier run sent them.
    pub fn mark(&mut self, places: &[u32], before: bool) {
        for &place in places {
            if let Some(slot) = self.arrived.get_mut(place as usize) {
                if !*slot && before {
                    self.before += 1;
                }
                *slot = true;
            }
        }
    }

    /// Parts arrived so far.
    pub fn done(&self) -> u32 {
        u32::try_from(self.arrived.iter().filter(|a| **a).count()).unwrap_or(u32::MAX)
    }

    /// Parts in all.
    pub fn total(&self) -> u32 {
        u32::try_from(self.arrived.len()).unwrap_or(u32::MAX)
    }
}

/// A retry about to happen, as the engine announced it.
#[derive(Debug, Clone)]
pub struct RetryNotice {
    /// The attempt about to start.
    pub next_attempt: u32,
    /// Attempts in all.
    pub max_attempts: u32,
    /// The wait before it.
    pub delay: Duration,
    /// Why the last attempt failed.
    pub reason: RetryReason,
}

/// The session: the transfer, those before it, the check, the server's clock.
pub struct Session {
    /// The transfer.
    pub run: RunState,
    /// The transfers of this session, newest last.
    pub history: Vec<HistoryEntry>,
    /// "Check link" and what it found.
    pub check: CheckState,
    /// This computer's clock minus the server's, from the last answer's `Date`.
    pub clock_offset_secs: Option<i64>,
    /// "Explain a server's answer": what was pasted and what it means.
    pub pasted: PastedState,
    /// Removing a cancelled multipart upload from the storage.
    pub abort: AbortState,
    /// Many files and links at once.
    pub queue: super::queue::Queue,
}

/// Removing a cancelled multipart upload from the storage (its abort link).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AbortState {
    /// Not asked.
    #[default]
    None,
    /// The request is on its way.
    Running,
    /// The storage removed the upload.
    Done,
    /// It did not; why.
    Failed(String),
}

impl Session {
    /// Nothing yet.
    pub fn new() -> Self {
        Session {
            run: RunState::Idle,
            history: Vec::new(),
            check: CheckState::None,
            clock_offset_secs: None,
            pasted: PastedState::default(),
            abort: AbortState::None,
            queue: super::queue::Queue::default(),
        }
    }

    /// Compares this computer's clock with a server's `Date`: far apart, the countdown follows
    /// the server's.
    pub fn note_server_date(&mut self, date: Option<&str>) {
        if let Some(offset) = crate::clock::this_computer_offset_secs(Timestamp::now(), date) {
            self.clock_offset_secs = Some(offset);
        }
    }

    /// A transfer ended: it joins the history, its outcome is explained. Returns whether a
    /// download or an upload succeeded.
    pub fn finish(
        &mut self,
        outcome: Outcome,
        probe: Option<ProbeVerdict>,
        content_type: ContentTypeChoice,
    ) -> Option<crate::transfer::Success> {
        let date = match &outcome {
            Outcome::Succeeded(success) => success.response.date.clone(),
            Outcome::Refused(refusal) => refusal.response.date.clone(),
            _ => None,
        };
        self.note_server_date(date.as_deref());
        let RunState::Running { plan, .. } = std::mem::replace(&mut self.run, RunState::Idle)
        else {
            return None;
        };
        // A multipart set is not one link to use again: it stays out of the history.
        if !matches!(plan.payload, Payload::Parts { .. }) {
            self.history
                .push(HistoryEntry::new(&plan, &outcome, content_type));
        }
        let succeeded = match &outcome {
            Outcome::Succeeded(success) => Some((**success).clone()),
            _ => None,
        };
        let explained = Explained::of(&outcome, &plan, probe);
        self.run = RunState::Finished {
            outcome,
            plan,
            explained,
        };
        succeeded
    }

    /// Forgets the last result: it described another link or operation.
    pub fn clear_result(&mut self) {
        if matches!(self.run, RunState::Finished { .. }) {
            self.run = RunState::Idle;
        }
    }

    /// Explains the refusal and the check again when the language changed since.
    pub fn refresh(&mut self, link: Option<&PresignedLink>) {
        if let Some(link) = link {
            self.check.refresh(link);
        }
        let language = language::current();
        if let RunState::Finished {
            outcome,
            plan,
            explained: Some(explained),
        } = &mut self.run
            && explained.language != language
            && let Some(again) = Explained::of(outcome, plan, explained.probe)
        {
            *explained = again;
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// "Explain a server's answer": the answer as pasted, the status as typed, and what they mean
/// for the link or form in the window. Kept in memory only: an answer may echo a token.
#[derive(Default)]
pub struct PastedState {
    /// The answer as pasted.
    pub text: String,
    /// The HTTP status as typed.
    pub status: String,
    /// What "Explain" found, until the answer or the link changes.
    pub result: Option<PastedResult>,
}

/// What "Explain" found.
pub enum PastedResult {
    /// The pasted text or status cannot be read.
    Unreadable(crate::diagnose::pasted::PasteProblem),
    /// The answer explained, in one language.
    Explained(Box<PastedExplained>),
}

/// A pasted answer explained in one language.
pub struct PastedExplained {
    /// The language the texts are in.
    pub language: Language,
    /// What happened, why, what to do, and what it was read for.
    pub reading: crate::diagnose::pasted::PastedReading,
    /// The server's answer as readable lines, redacted, cut to what the details show.
    pub readable: String,
}

impl PastedState {
    /// Explains the pasted answer for what the window holds (`sent`), in the current language.
    pub fn explain(&mut self, sent: crate::diagnose::pasted::Sent<'_>, now: Timestamp) {
        use crate::diagnose::pasted::{PastedAnswer, of_pasted};
        self.result = Some(match PastedAnswer::read(&self.text, &self.status) {
            Ok(pasted) => PastedResult::Explained(Box::new(PastedExplained {
                language: language::current(),
                reading: of_pasted(sent, &pasted, now),
                readable: crate::present::bounded(
                    &crate::diagnose::readable(&pasted.body),
                    crate::present::ANSWER_SHOWN_BYTES,
                ),
            })),
            Err(problem) => PastedResult::Unreadable(problem),
        });
    }

    /// Whether an explanation is shown in another language than the current one.
    pub fn is_stale(&self) -> bool {
        matches!(&self.result, Some(PastedResult::Explained(e)) if e.language != language::current())
    }

    /// Whether an explanation is shown.
    pub fn is_explained(&self) -> bool {
        matches!(self.result, Some(PastedResult::Explained(_)))
    }
}

/// A refusal explained in one language, computed once and again only when the language changes.
pub struct Explained {
    /// The language the texts are in.
    pub language: Language,
    /// What happened, why, and what to do.
    pub diagnosis: Diagnosis,
    /// The text of "Copy message for the link's creator" (or the storage's operator).
    pub creator_message: String,
    /// What a download probe showed, kept to explain again in another language.
    pub probe: Option<ProbeVerdict>,
    /// The server's answer as readable lines, cut to what the details show.
    pub readable: String,
    /// Whether trying the same request again can help.
    pub retry_can_help: bool,
}

impl Explained {
    /// The explanation of `outcome` if it is a refusal, in the current language.
    pub fn of(outcome: &Outcome, plan: &Plan, probe: Option<ProbeVerdict>) -> Option<Box<Self>> {
        let Outcome::Refused(refusal) = outcome else {
            return None;
        };
        let link = plan.link();
        let diagnosis = crate::diagnose::of_refusal(plan, refusal, probe, Timestamp::now());
        let creator_message = creator_message(
            &Attempt::of_plan(plan, link),
            &diagnosis,
            refusal.response.request_id.as_deref(),
        );
        let readable = crate::present::bounded(
            &crate::diagnose::readable(&refusal.body),
            crate::present::ANSWER_SHOWN_BYTES,
        );
        let retry_can_help =
            crate::diagnose::retry_can_help(outcome, diagnosis.causes.first().map(|c| c.id));
        Some(Box::new(Self {
            language: language::current(),
            diagnosis,
            creator_message,
            probe,
            readable,
            retry_can_help,
        }))
    }
}

/// How a transfer of the session ended, in short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryResult {
    /// Done; whether what arrived was proved to be what was sent.
    Succeeded {
        /// Proved by a checksum.
        verified: bool,
    },
    /// The server refused with this status.
    Refused(u16),
    /// The network or a file failed.
    Failed,
    /// The user cancelled.
    Cancelled,
}

/// One transfer of this session, enough to show it and to run it again. Kept in memory only:
/// it holds the link, a secret.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// When it ended.
    pub finished_at: Timestamp,
    /// The link as it was sent.
    pub link: Secret,
    /// The link without its signature, for showing.
    pub redacted_link: String,
    /// Upload or download.
    pub operation: Operation,
    /// The file uploaded, or the folder and name a download went to.
    pub path: String,
    /// The file type choice of an upload.
    pub content_type: ContentTypeChoice,
    /// How it ended.
    pub result: HistoryResult,
}

impl HistoryEntry {
    /// The entry for `plan` ending in `outcome`; `content_type` is the choice it was sent with.
    pub fn new(plan: &Plan, outcome: &Outcome, content_type: ContentTypeChoice) -> Self {
        let result = match outcome {
            Outcome::Succeeded(success) => HistoryResult::Succeeded {
                verified: matches!(
                    success.verification,
                    crate::transfer::Verification::Verified(_)
                        | crate::transfer::Verification::PartsVerified { .. }
                        | crate::transfer::Verification::BlocksVerified { .. }
                ),
            },
            Outcome::Refused(refusal) => HistoryResult::Refused(refusal.status),
            Outcome::Failed(_) => HistoryResult::Failed,
            Outcome::Cancelled => HistoryResult::Cancelled,
        };
        let saved_to = match outcome {
            Outcome::Succeeded(success) => success.saved_to.as_deref(),
            _ => None,
        };
        let path = match &plan.payload {
            Payload::Upload { path, .. }
            | Payload::Post { path, .. }
            | Payload::Parts { path, .. } => path.as_path(),
            Payload::Download { destination, .. } => saved_to.unwrap_or(destination),
        };
        HistoryEntry {
            finished_at: Timestamp::now(),
            // A form is kept whole, to be used again as it was given.
            link: plan
                .post_form()
                .map(|form| Secret::new(form.to_json_text()))
                .unwrap_or_else(|| plan.url.clone()),
            redacted_link: plan.redacted_url.clone(),
            operation: plan.operation(),
            path: path.display().to_string(),
            content_type,
            result,
        }
    }
}

/// Where "Check link" stands.
pub enum CheckState {
    /// Not asked for (or the link changed since).
    None,
    /// The probe is on its way.
    Running,
    /// What it found, explained in the language it was read in.
    Done {
        /// The probe's answer.
        answer: Box<Result<crate::transfer::ProbeAnswer, crate::transfer::TransferError>>,
        /// The explanation of a refusal.
        diagnosis: Option<Box<Diagnosis>>,
        /// The language of the explanation.
        language: Language,
    },
}

impl CheckState {
    /// The probe's `answer` for `link`, a refusal explained in the current language.
    pub fn done(
        answer: Box<Result<crate::transfer::ProbeAnswer, crate::transfer::TransferError>>,
        link: &PresignedLink,
    ) -> Self {
        let diagnosis = match answer.as_ref() {
            Ok(crate::transfer::ProbeAnswer::Refused(refusal)) => Some(Box::new(
                crate::diagnose::of_check(link, refusal, Timestamp::now()),
            )),
            _ => None,
        };
        CheckState::Done {
            answer,
            diagnosis,
            language: language::current(),
        }
    }

    /// Explains again when the language changed since.
    pub fn refresh(&mut self, link: &PresignedLink) {
        let stale =
            matches!(self, CheckState::Done { language, .. } if *language != language::current());
        if stale && let CheckState::Done { answer, .. } = std::mem::replace(self, CheckState::None)
        {
            *self = CheckState::done(answer, link);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PartsBoard;

    #[test]
    fn the_parts_board_counts_each_part_once_and_what_an_earlier_run_sent() {
        let mut board = PartsBoard::new(5);
        board.mark(&[0, 3], true);
        board.mark(&[1], false);
        // Marked twice, or out of range: counted once, or not at all.
        board.mark(&[1, 3, 9], false);
        assert_eq!(board.done(), 3);
        assert_eq!(board.before, 2);
        assert_eq!(board.total(), 5);
        assert_eq!(board.arrived, [true, true, false, true, false]);
    }
}
