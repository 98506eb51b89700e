//! What the window and the command line both show of a link, a transfer and its result, in the
//! current language: the one-sentence verdict on a link, when its countdown next changes, the
//! progress line, the result sentence, and the request as a curl command. Pure.

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;

use crate::diagnose::CauseId;
use crate::exchange::verify::Verification;
use crate::exchange::{Payload, Plan, Progress, RetryReason, Success};
use crate::format;
use crate::link::{ExpiryStatus, Operation, PresignedLink};
use crate::text::{T, fill, tr};

/// How a line should look: what it says is good, needs attention, or stops the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// All is well.
    Good,
    /// Worth attention (a link about to expire).
    Warning,
    /// It will not work (an expired link).
    Bad,
    /// Neither.
    Neutral,
}

/// The link in one sentence: what it is for, where it points, how long it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// How it should look.
    pub tone: Tone,
    /// `Upload link for fa-106/見積.csv · valid for 1 h 59 min`.
    pub text: String,
}

/// Links this close to their end are shown as needing attention.
const EXPIRY_WARNING_SECS: i64 = 300;

/// `bucket/key` (`container/blob` on Azure), or the server's name when the link shows neither.
pub fn target_name(link: &PresignedLink) -> String {
    match (&link.bucket, &link.key) {
        (Some(bucket), Some(key)) => format!("{bucket}/{key}"),
        (None, Some(key)) => key.clone(),
        _ => link.host(),
    }
}

/// The last part of a path, as a person names the file.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The one sentence under the link.
pub fn verdict(link: &PresignedLink, now: Timestamp) -> Verdict {
    let target = target_name(link);
    let purpose = match link.operation {
        Some(Operation::Put) => fill(T::PurposeUpload, &[("target", &target)]),
        Some(Operation::Get) => fill(T::PurposeDownload, &[("target", &target)]),
        None => fill(T::PurposeUnknown, &[("target", &target)]),
    };
    let (mut tone, mut validity) = match link.expiry_status(now) {
        ExpiryStatus::Valid { secs_left } => (
            if secs_left < EXPIRY_WARNING_SECS {
                Tone::Warning
            } else {
                Tone::Good
            },
            fill(T::ValidFor, &[("span", &format::countdown(secs_left))]),
        ),
        ExpiryStatus::Expired { secs_ago } => (
            Tone::Bad,
            fill(T::ExpiredSince, &[("span", &format::countdown(secs_ago))]),
        ),
        ExpiryStatus::Unknown => (Tone::Neutral, tr(T::NoExpiry).to_owned()),
    };
    // A link that cannot work as it is (cut short, no signature…) is not shown as good, however
    // long its validity.
    if tone != Tone::Bad
        && !crate::link::findings::cannot_work(&link.findings(now, link.operation)).is_empty()
    {
        tone = Tone::Bad;
    }
    // Temporary credentials can end the link before its stated expiry: the sentence says so.
    if link.credential_kind() == crate::link::CredentialKind::Temporary && !link.is_expired(now) {
        validity = fill(T::ValidForTemporary, &[("validity", &validity)]);
        if tone == Tone::Good {
            tone = Tone::Warning;
        }
    }
    Verdict {
        tone,
        text: format!("{purpose} · {validity}"),
    }
}

/// How long until the countdown's text changes, so the window repaints then and not before:
/// at the next whole minute of the time left, or the next second in the last ten minutes.
/// `None` when the link states no expiry.
pub fn countdown_changes_in(link: &PresignedLink, now: Timestamp) -> Option<Duration> {
    countdown_changes_for(link.expires_at, now)
}

/// [`countdown_changes_in`] for whatever expires at `expires_at` (an upload form, say).
pub fn countdown_changes_for(expires_at: Option<Timestamp>, now: Timestamp) -> Option<Duration> {
    let secs_left = expires_at?.as_second().saturating_sub(now.as_second());
    // Whole seconds tick when `now` reaches its next second.
    let to_next_second = 1_000 - i64::from(now.subsec_nanosecond() / 1_000_000);
    let shown_to_the_second = secs_left.abs() < format::COUNTDOWN_SECONDS_WITHIN;
    let whole_seconds = if shown_to_the_second {
        0
    } else if secs_left > 0 {
        // "59 min" becomes "58 min" once the seconds left fall below the minute.
        secs_left % 60
    } else {
        // "expired 3 min ago" becomes "4 min" once the seconds since reach the next minute.
        59 - (-secs_left) % 60
    };
    let ms = whole_seconds * 1_000 + to_next_second;
    Some(Duration::from_millis(ms.max(1) as u64))
}

/// One line of progress: `12.0 MB of 200 MB · 45.0 MB/s · 4.2 s left`, and the attempt once
/// there was a retry.
pub fn progress_line(progress: &Progress) -> String {
    let line = progress_figures(progress);
    if progress.attempt > 1 {
        format!(
            "{line} · {}",
            fill(
                T::AttemptNumber,
                &[("attempt", &progress.attempt.to_string())]
            )
        )
    } else {
        line
    }
}

fn progress_figures(progress: &Progress) -> String {
    let done = format::bytes(progress.bytes_done);
    let speed = format::speed(progress.bytes_per_sec);
    // The meter gives no speed until it means something (a second of the line, not the first
    // burst), and none while nothing moves: then only the bytes are shown.
    let settled = progress.bytes_per_sec > 0.0;
    match progress.total_bytes {
        Some(total) if !settled => {
            let percent = progress.fraction().unwrap_or_default() * 100.0;
            format!(
                "{percent:5.1}% {}",
                fill(
                    T::ProgressKnownStarting,
                    &[("done", &done), ("total", &format::bytes(total))]
                )
            )
        }
        None if !settled => fill(T::ProgressUnknownStarting, &[("done", &done)]),
        Some(total) => {
            let eta = progress
                .eta()
                .map(format::duration)
                .unwrap_or_else(|| tr(T::None_).to_owned());
            let percent = progress.fraction().unwrap_or_default() * 100.0;
            format!(
                "{percent:5.1}% {}",
                fill(
                    T::ProgressKnown,
                    &[
                        ("done", &done),
                        ("total", &format::bytes(total)),
                        ("speed", &speed),
                        ("eta", &eta)
                    ],
                )
            )
        }
        None => fill(T::ProgressUnknown, &[("done", &done), ("speed", &speed)]),
    }
}

/// The notice of a retry: `Attempt 2 of 3 in 0.5 s: the server answered HTTP 503 SlowDown`.
pub fn retry_notice(
    next_attempt: u32,
    max_attempts: u32,
    delay: Duration,
    reason: &RetryReason,
) -> String {
    fill(
        T::Retrying,
        &[
            ("attempt", &next_attempt.to_string()),
            ("max", &max_attempts.to_string()),
            ("delay", &format::duration(delay)),
            ("reason", &reason.to_string()),
        ],
    )
}

/// The note for a partial download that could not be removed.
pub fn partial_left_notice(path: &std::path::Path, reason: &str) -> String {
    fill(
        T::PartialLeft,
        &[("path", &path.display().to_string()), ("reason", reason)],
    )
}

/// The most characters of a file name the big button shows.
const BUTTON_NAME_CHARS: usize = 36;

/// A long name cut in the middle, keeping its end (the extension): `quarterly-…-final.csv`.
pub fn short_name(name: &str, max_chars: usize) -> String {
    let count = name.chars().count();
    if count <= max_chars {
        return name.to_owned();
    }
    let tail = max_chars / 3;
    let head = max_chars - tail - 1;
    let start: String = name.chars().take(head).collect();
    let end: String = name.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// The big button's label, named for the action and the file: `Upload 見積.csv`.
pub fn action_label(operation: Operation, name: Option<&str>) -> String {
    let name = name.map(|n| short_name(n.trim(), BUTTON_NAME_CHARS));
    match (operation, name.as_deref().filter(|n| !n.is_empty())) {
        (Operation::Put, Some(name)) => fill(T::UploadNamed, &[("name", name)]),
        (Operation::Get, Some(name)) => fill(T::DownloadNamed, &[("name", name)]),
        (Operation::Put, None) => tr(T::Upload).to_owned(),
        (Operation::Get, None) => tr(T::Download).to_owned(),
    }
}

/// The name of what a plan moves: the file uploaded, or the file a download becomes.
pub fn payload_name(plan: &Plan) -> String {
    match &plan.payload {
        Payload::Upload { path, .. } | Payload::Post { path, .. } => file_name(path),
        Payload::Download { destination, .. } => file_name(destination),
    }
}

/// The result's first sentence: `Uploaded 見積.csv (2.30 MB) in 4.0 s.`
pub fn success_title(plan: &Plan, success: &Success) -> String {
    let name = success
        .saved_to
        .as_deref()
        .map(file_name)
        .unwrap_or_else(|| payload_name(plan));
    let id = match plan.operation() {
        Operation::Put => T::UploadedNamed,
        Operation::Get => T::DownloadedNamed,
    };
    fill(
        id,
        &[
            ("name", &name),
            ("size", &format::bytes(success.bytes)),
            ("time", &format::duration(success.elapsed)),
        ],
    )
}

/// What the result says about the bytes, and whether it is proof they arrived intact:
/// a sentence a person trusts when verified, the reason when not.
pub fn verification_sentence(operation: Operation, verification: &Verification) -> (bool, String) {
    match verification {
        Verification::Verified(_) => (
            true,
            tr(match operation {
                Operation::Put => T::ConfirmedUpload,
                Operation::Get => T::ConfirmedDownload,
            })
            .to_owned(),
        ),
        other => (false, other.describe()),
    }
}

/// The request as a curl command a person could type: the same method, headers and body, and
/// the link exactly as sent. It holds the link's signature: the one text that does.
pub fn curl_command(plan: &Plan) -> String {
    let mut parts = vec!["curl".to_owned(), "--globoff".to_owned()];
    if let Payload::Post {
        path,
        fields,
        file_field,
        file_type,
        ..
    } = &plan.payload
    {
        // --form-string sends a value as it is, even one that starts with @ or <.
        for (name, value) in fields {
            parts.push("--form-string".into());
            parts.push(shell_quote(&format!("{name}={value}")));
        }
        parts.push("-F".into());
        parts.push(shell_quote(&format!(
            "{file_field}=@{};type={file_type}",
            path.display()
        )));
        parts.push(shell_quote(plan.url.expose()));
        return parts.join(" ");
    }
    match &plan.payload {
        Payload::Upload { path, .. } => {
            parts.push("-T".into());
            parts.push(shell_quote(&path.display().to_string()));
            // curl announces larger bodies with Expect: 100-continue; PresignDesk sends none.
            parts.push("-H".into());
            parts.push(shell_quote("Expect:"));
        }
        Payload::Download { destination, .. } => {
            parts.push("-o".into());
            parts.push(shell_quote(&destination.display().to_string()));
        }
        Payload::Post { .. } => {}
    }
    for (name, value) in &plan.headers {
        parts.push("-H".into());
        parts.push(shell_quote(&format!("{name}: {value}")));
    }
    parts.push(shell_quote(plan.url.expose()));
    parts.join(" ")
}

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The program and arguments that open `path` with the system's own program (`reveal`: show it
/// in its folder instead) on `os` (`std::env::consts::OS`).
pub fn opener(path: &Path, reveal: bool, os: &str) -> (&'static str, Vec<std::ffi::OsString>) {
    let path = path.as_os_str().to_owned();
    match (os, reveal) {
        ("macos", true) => ("open", vec!["-R".into(), path]),
        ("macos", false) => ("open", vec![path]),
        ("windows", true) => {
            let mut select = std::ffi::OsString::from("/select,");
            select.push(&path);
            ("explorer", vec![select])
        }
        ("windows", false) => ("explorer", vec![path]),
        // Linux and the BSDs: the desktop's opener; a folder opens in the file manager.
        (_, true) => (
            "xdg-open",
            vec![
                Path::new(&path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .as_os_str()
                    .to_owned(),
            ],
        ),
        (_, false) => ("xdg-open", vec![path]),
    }
}

/// Where an upload went, when the stored name differs from the file's: `fa-106/見積.csv`.
/// The server's own word for the key (an upload form's `201` answer) comes first.
pub fn stored_as(plan: &Plan, answered: Option<&crate::exchange::ResponseFacts>) -> Option<String> {
    let (path, _) = plan.upload_file()?;
    let (key, target) = match plan.post_form() {
        Some(form) => {
            let key = answered
                .and_then(|facts| facts.key.clone())
                .or_else(|| form.key_for(&file_name(path)))?;
            let target = match form.bucket() {
                Some(bucket) => format!("{bucket}/{key}"),
                None => key.clone(),
            };
            (key, target)
        }
        None => {
            let link = PresignedLink::parse(plan.url.expose()).ok()?;
            (link.key.clone()?, target_name(&link))
        }
    };
    let last = key.rsplit('/').next().unwrap_or(&key);
    (last != file_name(path) || key.contains('/')).then_some(target)
}

/// What the storage said after an upload, beyond the status: where the file went when its
/// name differs, and the page an upload form's answer sends on to (never followed).
pub fn upload_notes(plan: &Plan, success: &Success) -> Vec<String> {
    let mut notes = Vec::new();
    if success.saved_to.is_some() {
        return notes;
    }
    if let Some(target) = stored_as(plan, Some(&success.response)) {
        notes.push(fill(T::StoredAs, &[("target", &target)]));
    }
    if (300..400).contains(&success.status)
        && let Some(location) = &success.response.location
    {
        notes.push(fill(T::FormRedirected, &[("location", location)]));
    }
    notes
}

/// Whether trying the same request again can help: a passing problem of the server or the
/// network. Not for a refusal whose cause is the link or the request.
pub fn retry_can_help(outcome: &crate::exchange::Outcome, first_cause: Option<CauseId>) -> bool {
    use crate::exchange::Outcome;
    match outcome {
        Outcome::Failed(error) => {
            error.is_retryable() || matches!(error, crate::exchange::TransferError::Connect(_))
        }
        Outcome::Refused(_) => matches!(
            first_cause,
            Some(CauseId::Retryable | CauseId::FormUnreadable)
        ),
        Outcome::Succeeded(_) | Outcome::Cancelled => false,
    }
}

/// The most of a server's answer the details show as readable text.
pub const ANSWER_SHOWN_BYTES: usize = 64 * 1024;

/// `text` cut at `max_bytes` (on a character boundary), saying it was cut.
pub fn bounded(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n{}", &text[..end], tr(T::AnswerCut))
}

/// The request and what came back as text for a support ticket, redacted: the same in the
/// window's "Copy details" and on the terminal after a refusal.
pub fn ticket(plan: &Plan, outcome: &crate::exchange::Outcome) -> String {
    use crate::exchange::Outcome;
    let mut out = plan.describe();
    let (status, facts, object) = match outcome {
        Outcome::Succeeded(success) => {
            out.push_str(&success.verification.describe());
            out.push('\n');
            if let Some(line) = connections_line(success) {
                out.push_str(&line);
                out.push('\n');
            }
            (
                success.status,
                &success.response,
                plan.operation() == Operation::Get,
            )
        }
        Outcome::Refused(refusal) => {
            out.push_str(&crate::diagnose::readable(&refusal.body));
            out.push('\n');
            (refusal.status, &refusal.response, false)
        }
        Outcome::Failed(error) => {
            out.push_str(&error.to_string());
            out.push('\n');
            return out;
        }
        Outcome::Cancelled => return out,
    };
    for (label, value) in fact_rows(status, facts, object) {
        out.push_str(&crate::text::label_value(label, &value));
        out.push('\n');
    }
    out
}

/// The response's facts a person reads, labelled; `object` adds the type and length, which
/// describe the object only in a download's answer.
pub fn fact_rows(
    status: u16,
    facts: &crate::exchange::ResponseFacts,
    object: bool,
) -> Vec<(T, String)> {
    let mut rows = vec![(T::Status, status.to_string())];
    if object && let Some(kind) = &facts.content_type {
        rows.push((T::ContentTypeLabel, kind.clone()));
    }
    if object && let Some(len) = facts.content_length {
        rows.push((T::ContentLength, format!("{len} ({})", format::bytes(len))));
    }
    let optional = [
        (T::ETag, &facts.etag),
        (T::VersionId, &facts.version_id),
        (T::RequestId, &facts.request_id),
        (T::HostId, &facts.host_id),
        (T::ServerDate, &facts.date),
        (T::FieldKey, &facts.key),
        (
            // After an upload form, the address is the stored object's, not a redirect.
            if (300..400).contains(&status) {
                T::Location
            } else {
                T::ObjectAddress
            },
            &facts.location,
        ),
    ];
    rows.extend(
        optional
            .into_iter()
            .filter_map(|(label, value)| value.clone().map(|v| (label, v))),
    );
    rows
}

/// Whether "check" may send the link: a download link, or one that does not say, is tried for
/// its first byte; an upload link cannot be tried without writing, so it is only inspected.
pub fn check_sends_probe(link: &PresignedLink) -> bool {
    link.operation != Some(Operation::Put)
}

/// How a download used connections, when there is something to say: several at once, or why
/// only one.
pub fn connections_line(success: &Success) -> Option<String> {
    if let Some(reason) = success.single_stream_reason {
        return Some(reason.describe());
    }
    if let Some(reason) = success.connections_reason {
        return Some(reason.describe(success.connections));
    }
    (success.connections > 1).then(|| {
        fill(
            T::ConnectionsUsed,
            &[("count", &success.connections.to_string())],
        )
    })
}

/// What a successful check proved, in one sentence.
pub fn check_ok_line(link: &PresignedLink, size: Option<u64>, etag: Option<&str>) -> String {
    fill(
        T::CheckOk,
        &[
            ("target", &target_name(link)),
            (
                "size",
                &size.map(format::bytes).unwrap_or_else(|| "?".into()),
            ),
            ("etag", etag.unwrap_or(tr(T::None_))),
        ],
    )
}

/// The time to judge a link by and the `clock-skew` finding: far from the server's clock
/// (`offset_secs`: this computer's minus the server's, from the last answer's `Date`), this
/// computer's clock gives way to the server's.
pub fn on_server_clock(
    now: Timestamp,
    offset_secs: Option<i64>,
) -> (Timestamp, Option<crate::link::Finding>) {
    match offset_secs.and_then(|offset| {
        crate::link::findings::clock_skew(offset).map(|finding| (offset, finding))
    }) {
        Some((offset, finding)) => (now - jiff::SignedDuration::from_secs(offset), Some(finding)),
        None => (now, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    const LINK: &str = "https://fa-106.s3.ap-northeast-1.amazonaws.com/%E8%A6%8B%E7%A9%8D.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&x-id=PutObject&X-Amz-Signature=abc123";

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn connections_are_told_when_several_ran_or_why_one_did() {
        let success = |connections, reason| Success {
            status: 200,
            bytes: 1,
            elapsed: Duration::from_secs(1),
            response: crate::exchange::ResponseFacts::default(),
            saved_to: None,
            verification: Verification::Off,
            connections,
            connections_reason: None,
            single_stream_reason: reason,
            hash_tail: None,
        };
        let adapted = |count, reason| Success {
            connections_reason: Some(reason),
            ..success(count, None)
        };
        with_language(Language::ENGLISH, || {
            assert_eq!(connections_line(&success(1, None)), None);
            assert_eq!(
                connections_line(&success(8, None)).as_deref(),
                Some("Downloaded over 8 connections at once.")
            );
            let changed = Some(crate::exchange::SingleStreamReason::ObjectChanged);
            assert!(
                connections_line(&success(1, changed))
                    .is_some_and(|line| line.contains("changed on the server"))
            );
            use crate::exchange::ConnectionsReason as Why;
            assert_eq!(
                connections_line(&adapted(1, Why::StoppedGrowing)).as_deref(),
                Some(
                    "Downloaded over one connection: a second did not make it faster on this server."
                )
            );
            assert!(
                connections_line(&adapted(3, Why::ServerSlowDown))
                    .is_some_and(|line| line.starts_with("Downloaded over 3 connections")
                        && line.contains("asked to slow down"))
            );
            // Every reason reads right for one connection.
            for why in [
                Why::ServerSlowDown,
                Why::RateFell,
                Why::LinkExpiring,
                Why::EndedWhileMeasuring,
                Why::TooShort,
            ] {
                let line = connections_line(&adapted(1, why)).unwrap();
                assert!(
                    line.starts_with("Downloaded over one connection:"),
                    "{line}"
                );
            }
            assert_eq!(
                connections_line(&adapted(1, Why::TooShort)).as_deref(),
                Some(
                    "Downloaded over one connection: too little was left for another connection to pay off."
                )
            );
        });
        with_language(Language::JAPANESE, || {
            assert_eq!(
                connections_line(&success(4, None)).as_deref(),
                Some("4本の接続で同時にダウンロードしました。")
            );
            assert_eq!(
                connections_line(&adapted(1, crate::exchange::ConnectionsReason::TooShort))
                    .as_deref(),
                Some(
                    "1本の接続でダウンロードしました。残りが少なく、接続を増やしても速くならないためです。"
                )
            );
        });
    }

    #[test]
    fn the_verdict_says_purpose_target_and_validity() {
        let link = PresignedLink::parse(LINK).unwrap();
        with_language(Language::ENGLISH, || {
            let v = verdict(&link, at("2026-11-24T06:00:30Z"));
            assert_eq!(
                v.text,
                "Upload link for fa-106/見積.csv · valid for 1 h 59 min"
            );
            assert_eq!(v.tone, Tone::Good);
            let v = verdict(&link, at("2026-11-24T07:57:00Z"));
            assert_eq!(
                (v.tone, v.text.ends_with("valid for 3 min 0 s")),
                (Tone::Warning, true)
            );
            let v = verdict(&link, at("2026-11-24T08:30:00Z"));
            assert_eq!(
                (v.tone, v.text.ends_with("expired 30 min ago")),
                (Tone::Bad, true)
            );
        });
        let japanese = with_language(Language::JAPANESE, || {
            verdict(&link, at("2026-11-24T06:00:30Z")).text
        });
        assert!(japanese.contains("fa-106/見積.csv") && japanese.contains("1時間59分"));
    }

    #[test]
    fn the_countdown_repaints_when_its_text_changes_and_not_before() {
        let link = PresignedLink::parse(LINK).unwrap();
        let ms = |now: &str| countdown_changes_in(&link, at(now)).unwrap().as_millis();
        // 1 h 59 min 30 s left (in whole seconds): "1 h 58 min" once 1 h 58 min 59 s are left,
        // at 06:01:01, in 30.75 s.
        assert_eq!(ms("2026-11-24T06:00:30.250Z"), 30_750);
        // Exactly on a minute: the text changes at the next second.
        assert_eq!(ms("2026-11-24T06:01:00Z"), 1_000);
        // In the last ten minutes, every second.
        assert_eq!(ms("2026-11-24T07:55:00.400Z"), 600);
        // Expired 10 min 20 s ago: "10 min" becomes "11 min" in 40 s.
        assert_eq!(ms("2026-11-24T08:10:20Z"), 40_000);
        let unlimited = PresignedLink::parse("https://example.com/file.zip").unwrap();
        assert_eq!(
            countdown_changes_in(&unlimited, at("2026-11-24T06:00:00Z")),
            None
        );
        // Repainting at each change shows every value the countdown takes.
        let mut now = at("2026-11-24T06:00:30.250Z");
        let mut shown = Vec::new();
        while now < at("2026-11-24T06:05:00Z") {
            shown.push(with_language(Language::ENGLISH, || {
                verdict(&link, now).text
            }));
            now = now
                .checked_add(countdown_changes_in(&link, now).unwrap())
                .unwrap();
        }
        assert_eq!(shown.len(), 5, "{shown:#?}");
    }

    #[test]
    fn a_link_that_cannot_work_is_not_shown_as_good() {
        let cut = LINK.replace("&X-Amz-Signature=abc123", "");
        let link = PresignedLink::parse(&cut).unwrap();
        assert_eq!(verdict(&link, at("2026-11-24T06:00:30Z")).tone, Tone::Bad);
    }

    #[test]
    fn temporary_credentials_are_in_the_sentence() {
        let temp = LINK.replace("AKIAEXAMPLE", "ASIAEXAMPLE");
        let link = PresignedLink::parse(&temp).unwrap();
        with_language(Language::ENGLISH, || {
            let v = verdict(&link, at("2026-11-24T06:00:30Z"));
            assert!(v.text.contains("valid for 1 h 59 min"), "{}", v.text);
            assert!(v.text.contains("temporary credentials"), "{}", v.text);
            assert_eq!(v.tone, Tone::Warning);
        });
    }

    #[test]
    fn long_names_are_cut_in_the_middle_and_keep_their_extension() {
        assert_eq!(short_name("report.csv", 36), "report.csv");
        let long = "quarterly-figures-for-the-board-meeting-in-december-final-v3.csv";
        let short = short_name(long, 36);
        assert_eq!(short.chars().count(), 36);
        assert!(
            short.ends_with("final-v3.csv") && short.contains('…'),
            "{short}"
        );
        let japanese = "見積書".repeat(20) + ".pdf";
        assert_eq!(short_name(&japanese, 36).chars().count(), 36);
        with_language(Language::ENGLISH, || {
            assert_eq!(
                action_label(Operation::Put, Some(long)),
                format!("Upload {short}")
            );
        });
    }

    #[test]
    fn each_system_opens_a_file_and_shows_it_in_its_folder() {
        let path = Path::new("/home/u/Downloads/hello.txt");
        let args = |v: Vec<std::ffi::OsString>| -> Vec<String> {
            v.into_iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        };
        let (program, a) = opener(path, false, "linux");
        assert_eq!(
            (program, args(a)),
            ("xdg-open", vec![path.display().to_string()])
        );
        let (program, a) = opener(path, true, "linux");
        assert_eq!(
            (program, args(a)),
            ("xdg-open", vec!["/home/u/Downloads".to_owned()])
        );
        let (program, a) = opener(path, true, "macos");
        assert_eq!(
            (program, args(a)),
            ("open", vec!["-R".to_owned(), path.display().to_string()])
        );
        let (program, a) = opener(path, true, "windows");
        assert_eq!(program, "explorer");
        assert!(args(a)[0].starts_with("/select,"));
    }

    #[test]
    fn an_upload_says_where_it_went_when_the_name_differs() {
        let link = PresignedLink::parse(LINK).unwrap();
        let plan = Plan::upload(&link, "/tmp/見積.csv".into(), 1, None);
        assert_eq!(stored_as(&plan, None), None, "stored under its own name");
        let other = Plan::upload(&link, "/tmp/quote.csv".into(), 1, None);
        assert_eq!(stored_as(&other, None).as_deref(), Some("fa-106/見積.csv"));
    }

    #[test]
    fn trying_again_is_offered_only_where_it_can_help() {
        use crate::exchange::{Outcome, TransferError};
        assert!(retry_can_help(
            &Outcome::Failed(TransferError::Network("reset".into())),
            None
        ));
        assert!(!retry_can_help(
            &Outcome::Failed(TransferError::CannotSendUnchanged),
            None
        ));
        let refusal = || {
            Outcome::Refused(Box::new(crate::exchange::Refusal {
                status: 403,
                reason: String::new(),
                body: crate::exchange::ErrorBody::parse(b""),
                response: Default::default(),
                bytes_sent: 0,
                sent_despite_checksum: false,
            }))
        };
        assert!(!retry_can_help(&refusal(), Some(CauseId::Expired)));
        assert!(retry_can_help(&refusal(), Some(CauseId::Retryable)));
        assert_eq!(bounded("abcdef", 3), format!("abc\n{}", tr(T::AnswerCut)));
        assert_eq!(bounded("見積", 4), format!("見\n{}", tr(T::AnswerCut)));
    }

    #[test]
    fn curl_sends_the_same_request() {
        let link = PresignedLink::parse(LINK).unwrap();
        let plan = Plan::upload(&link, "/tmp/it's here.csv".into(), 12, Some("text/csv"));
        assert_eq!(
            curl_command(&plan),
            format!(
                "curl --globoff -T '/tmp/it'\\''s here.csv' -H 'Expect:' -H 'Content-Type: text/csv' '{LINK}'"
            )
        );
        let plan = Plan::download(&link, "/tmp/out.csv".into(), false);
        assert_eq!(
            curl_command(&plan),
            format!("curl --globoff -o '/tmp/out.csv' '{LINK}'")
        );
    }

    #[test]
    fn a_far_server_clock_takes_over_the_countdown_and_says_so() {
        let now: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
        assert_eq!(on_server_clock(now, None), (now, None));
        // Within 5 minutes: this computer's clock stands, nothing to say.
        assert_eq!(on_server_clock(now, Some(300)), (now, None));
        assert_eq!(on_server_clock(now, Some(-300)), (now, None));
        // Ahead by 9 hours: the link is judged on the server's time.
        let (judged, finding) =
            with_language(Language::ENGLISH, || on_server_clock(now, Some(32_400)));
        assert_eq!(judged, "2026-11-23T21:00:00Z".parse().unwrap());
        let finding = finding.expect("a clock-skew finding");
        assert_eq!(finding.id.as_str(), "clock-skew");
        assert!(
            finding.message.contains("9 h 0 min ahead"),
            "{}",
            finding.message
        );
        let (judged, finding) = on_server_clock(now, Some(-600));
        assert_eq!(judged, "2026-11-24T06:10:00Z".parse().unwrap());
        assert!(finding.is_some());
    }

    #[test]
    fn only_links_that_may_be_downloads_are_probed() {
        let upload = PresignedLink::parse(LINK).unwrap();
        assert!(!check_sends_probe(&upload));
        let download = PresignedLink::parse(&LINK.replace("PutObject", "GetObject")).unwrap();
        assert!(check_sends_probe(&download));
        let unsaid = PresignedLink::parse(&LINK.replace("&x-id=PutObject", "")).unwrap();
        assert!(check_sends_probe(&unsaid));
    }
}
