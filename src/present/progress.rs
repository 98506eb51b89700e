//! The progress line while a transfer runs, the notices of retries and of a partial file kept, and how many connections ran.

use crate::exchange::{Progress, RetryReason, Success};
use crate::format;
use crate::text::{T, fill, tr};
use std::time::Duration;

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

/// How a download used connections, when there is something to say: several at once, or why
/// only one.
pub fn connections_line(success: &Success) -> Option<String> {
    if success.parts > 0 {
        let id = match (success.blocks, success.connections > 1) {
            (false, true) => T::PartsSentOverMany,
            (false, false) => T::PartsSentOverOne,
            (true, true) => T::BlocksSentOverMany,
            (true, false) => T::BlocksSentOverOne,
        };
        let mut line = fill(
            id,
            &[
                ("parts", &success.parts.to_string()),
                ("count", &success.connections.to_string()),
            ],
        );
        if let Some(joined) = success.complete_time {
            line.push(' ');
            line.push_str(&fill(
                T::PartsJoined,
                &[("time", &format::duration(joined))],
            ));
        }
        return Some(line);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::verify::Verification;
    use crate::text::{Language, with_language};

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
            parts: 0,
            complete_time: None,
            blocks: false,
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
}
