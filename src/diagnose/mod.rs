//! From a refusal to what happened, why, and what to do: evidence from the error body (the
//! server's code and its echo of the request), the clocks, the link's own fields and the
//! request that was sent, ranked into causes with stable ids. Each cause owns its remedy: its
//! title, why, what to do and whom to ask. Pure.
//!
//! - [`attempt`]: what was tried and what came back; when a download probe would settle more.
//! - [`echo`]: the server's echo of the request, compared part by part.
//! - [`clock`]: the signer's clock and the best clock to judge it by.
//! - `provider`: the provider's own fields and words.
//! - `signature`, `rank`: the causes, ranked by proof.
//! - [`cause`], `render`: what a cause owns, and the causes in words.

pub mod attempt;
pub mod cause;
pub mod clock;
pub mod echo;
pub mod pasted;
mod post;
mod provider;
mod rank;
mod render;
mod signature;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

pub use crate::exchange::{BodyFormat, ErrorBody, MAX_ERROR_BODY_BYTES, readable, redact_text};
pub use attempt::{Answer, Attempt, ProbeVerdict, Purpose, wants_download_probe};
pub use cause::{Basis, Cause, CauseId, Strength, Topic, Whom, retry_can_help};
pub use render::{basis_text, creator_message, explanation_text, stated};

use crate::exchange::{Plan, Refusal, TransferError};
use crate::link::{PresignedLink, Provider, SignatureScheme};
use crate::text::errors::{self, ErrorText};
use crate::text::{T, fill, tr};

/// A retry the app can make that would fix the cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Fix {
    /// Send again with no Content-Type header.
    SendWithoutContentType,
    /// Send again with this Content-Type.
    SendWithContentType(String),
}

impl Fix {
    /// What to type on the command line for the same fix.
    pub fn command_line_hint(&self) -> String {
        match self {
            Fix::SendWithoutContentType => tr(T::FixCliWithoutContentType).to_owned(),
            Fix::SendWithContentType(value) => fill(T::FixCliWithContentType, &[("type", value)]),
        }
    }

    /// The button's label.
    pub fn label(&self) -> String {
        match self {
            Fix::SendWithoutContentType => tr(T::FixWithoutContentType).to_owned(),
            Fix::SendWithContentType(value) => fill(T::FixWithContentType, &[("type", value)]),
        }
    }
}

/// The explanation of a refusal: the first cause's title, why and remedy, then every cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// `aws`, `s3-compatible`, `gcs`, `azure` or `unknown`.
    pub provider: Provider,
    /// HTTP status (none for a request PresignDesk refused to send).
    pub status: Option<u16>,
    /// The server's error code.
    pub code: Option<String>,
    /// The server's message.
    pub message: Option<String>,
    /// What happened, in one line: the first cause's title.
    pub title: String,
    /// Why, in one or two sentences: the first cause's.
    pub explanation: String,
    /// What the person can do: the first cause's.
    pub actions: Vec<String>,
    /// What to ask for: the first cause's (empty when there is nobody to ask).
    pub ask: String,
    /// Whom to ask.
    pub ask_whom: Whom,
    /// Every cause, most proven first.
    pub causes: Vec<Cause>,
    /// Every element of the error, redacted.
    pub details: BTreeMap<String, String>,
    /// A retry the app can make that would fix the first cause.
    pub fix: Option<Fix>,
}

/// Explains a refusal. `now` is this computer's clock (used only to judge the link's age when
/// the server states no time).
pub fn diagnose(attempt: &Attempt<'_>, answer: &Answer<'_>, now: Timestamp) -> Diagnosis {
    let (provider, family) = match attempt.form {
        Some(form) => (
            form.provider,
            if form.provider == Provider::Gcs {
                errors::Family::Gcs
            } else {
                errors::Family::S3
            },
        ),
        None => provider::family(attempt.link, answer.error_code_header.is_some()),
    };
    let body = answer.body;
    let code = answer.code().map(str::to_owned);
    // A form's refusal is read as a form's, by what the server says as well as by what was
    // sent; never as the refusal of a link (a form's action address carries no signature).
    // A size refused for an address with no signature: a form's action, not a presigned link.
    let unsigned_size = attempt
        .link
        .is_some_and(|l| l.scheme == SignatureScheme::Unsigned)
        && matches!(answer.code(), Some("EntityTooLarge" | "EntityTooSmall"));
    let form_read =
        attempt.form.is_some() || attempt.posted || unsigned_size || post::reads_as_form(answer);
    let entry: ErrorText = code
        .as_deref()
        // The catalogue's words for `InvalidRequest` speak of a link's signature version; a
        // form refused with it is said by its status.
        .filter(|c| !form_read || *c != "InvalidRequest")
        .and_then(|c| errors::for_code(family, c))
        .unwrap_or_else(|| errors::for_status(answer.status.unwrap_or(0)));

    let found = if form_read {
        post::causes(attempt, answer, attempt.form, now).unwrap_or_else(|| {
            let unlinked = Attempt {
                link: None,
                ..attempt.clone()
            };
            rank::rank(&unlinked, answer, family, now)
        })
    } else {
        rank::rank(attempt, answer, family, now)
    };
    let mut causes: Vec<Cause> = found.iter().map(|f| render::cause(f, family)).collect();
    // A refusal always has a cause: at the least, what the server itself stated.
    if causes.is_empty() {
        causes.push(render::server_stated(&entry, entry.code));
    }
    let fix = match causes.first().map(|c| c.key) {
        Some(
            "content-type-mismatch.sent"
            | "content-type-mismatch.none"
            | "content-type-mismatch.received",
        ) => content_type_fix(attempt),
        _ => None,
    };
    let mut details: BTreeMap<String, String> = body.elements.iter().cloned().collect();
    if let Some(code) = &code {
        details.insert("Code".into(), code.clone());
    }
    if let Some(message) = &body.message {
        details.insert("Message".into(), message.clone());
    }
    let first = causes[0].clone();
    Diagnosis {
        provider,
        status: answer.status,
        code,
        message: body.message.clone(),
        title: first.title,
        explanation: first.text,
        actions: first.actions,
        ask: first.ask,
        ask_whom: first.ask_whom,
        causes,
        details,
        fix,
    }
}

/// Explains `refusal` of `plan`, with what a download probe of the same link showed: the one
/// way every front explains a refusal.
pub fn of_refusal(
    plan: &Plan,
    refusal: &Refusal,
    probe: Option<ProbeVerdict>,
    now: Timestamp,
) -> Diagnosis {
    let form = plan.post_form();
    let mut attempt = Attempt::of_plan(plan, plan.refused_link(refusal));
    attempt.download_probe = probe;
    attempt.sent_despite_checksum = refusal.sent_despite_checksum;
    attempt.form = form.as_ref();
    diagnose(&attempt, &Answer::of_refusal(refusal), now)
}

/// Explains the refusal of a check: a download of the link's first byte, whatever the link is
/// for.
pub fn of_check(link: &PresignedLink, refusal: &Refusal, now: Timestamp) -> Diagnosis {
    let attempt = Attempt {
        purpose: Purpose::Check,
        ..Attempt::new(Some(link), crate::link::Operation::Get)
    };
    diagnose(&attempt, &Answer::of_refusal(refusal), now)
}

/// A request PresignDesk refused to send, explained as a server's refusal is: a checksum the
/// file cannot match, a file too large for one request, a link that cannot be sent unchanged.
/// `None` for failures that are no refusal (the network, a file that cannot be read).
pub fn of_local(plan: &Plan, error: &TransferError) -> Option<Diagnosis> {
    use cause::{Found, kind};
    let link = plan.link();
    let found = match error {
        TransferError::ChecksumMismatch { .. } => {
            let attempt = Attempt {
                sent_despite_checksum: true,
                ..Attempt::of_plan(plan, link)
            };
            provider::sdk_checksum(&attempt, false)?
        }
        TransferError::TooLarge { len, limit } => Found::new(&kind::TOO_LARGE)
            .with("size", crate::format::bytes(*len))
            .with("max", crate::format::bytes(*limit))
            .proven(Basis::Local),
        TransferError::CannotSendUnchanged => Found::new(&kind::NOT_SENDABLE).proven(Basis::Local),
        _ => return None,
    };
    let (provider, family) = provider::family(link, false);
    let cause = render::cause(&found, family);
    Some(Diagnosis {
        provider,
        status: None,
        code: None,
        message: None,
        title: cause.title.clone(),
        explanation: cause.text.clone(),
        actions: cause.actions.clone(),
        ask: cause.ask.clone(),
        ask_whom: cause.ask_whom,
        causes: vec![cause],
        details: BTreeMap::new(),
        fix: None,
    })
}

/// The checks PresignDesk made before posting a form, as a diagnosis: the first problem's cause
/// first, every other after it.
pub fn of_form_problems(
    form: &crate::post::PostForm,
    problems: &[crate::post::check::Problem],
) -> Diagnosis {
    let family = if form.provider == Provider::Gcs {
        errors::Family::Gcs
    } else {
        errors::Family::S3
    };
    let causes: Vec<Cause> = problems
        .iter()
        .map(|p| render::cause(&post::of_problem(form, p), family))
        .collect();
    let first = causes.first().cloned().unwrap_or_else(|| {
        render::cause(&cause::Found::new(&cause::kind::POLICY_CONDITION), family)
    });
    Diagnosis {
        provider: form.provider,
        status: None,
        code: None,
        message: None,
        title: first.title,
        explanation: first.text,
        actions: first.actions,
        ask: first.ask,
        ask_whom: first.ask_whom,
        causes,
        details: BTreeMap::new(),
        fix: None,
    }
}

/// The retry most likely to carry the signed type. Legacy links (SigV2, GCS V2) sign the type
/// always and are mostly made with none; V4 links that list `content-type` were made with one,
/// most likely the one the file's name suggests.
fn content_type_fix(attempt: &Attempt<'_>) -> Option<Fix> {
    let legacy = attempt
        .link
        .is_some_and(|l| matches!(l.scheme, SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2));
    let guess = attempt.guessed_content_type.clone();
    match (attempt.sent_content_type(), legacy) {
        (Some(_), true) => Some(Fix::SendWithoutContentType),
        (None, _) => guess.map(Fix::SendWithContentType),
        (Some(sent), false) => guess.filter(|g| g != sent).map(Fix::SendWithContentType),
    }
}
