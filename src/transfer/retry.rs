//! What is worth another attempt, and how long to wait before it.

use std::time::{Duration, SystemTime};

use super::Refusal;

const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Server answers worth another attempt: 500, 503 and the codes S3 uses for passing trouble.
pub(super) fn is_retryable_refusal(refusal: &Refusal) -> bool {
    matches!(refusal.status, 500 | 502 | 503 | 504)
        || matches!(
            refusal.body.code.as_deref(),
            Some(
                "SlowDown"
                    | "RequestTimeout"
                    | "InternalError"
                    | "ServiceUnavailable"
                    | "ServerBusy"
            )
        )
}

/// A passing refusal as the reason for another attempt: its status and code.
pub(super) fn refusal_reason(refusal: &Refusal) -> super::RetryReason {
    super::RetryReason::Refused {
        status: refusal.status,
        code: refusal
            .body
            .code
            .clone()
            .unwrap_or_else(|| refusal.reason.clone()),
    }
}

/// Announces attempt `attempt + 1` (of `options.max_attempts`), tried again for `reason`,
/// and returns the wait before it, which the caller sleeps (cancellably where it must).
pub(super) fn announce(
    report: &super::Reporter,
    options: &super::Options,
    attempt: u32,
    reason: super::RetryReason,
) -> Duration {
    let delay = backoff(options.backoff_base, attempt);
    report(super::TransferEvent::Retrying {
        next_attempt: attempt + 1,
        max_attempts: options.max_attempts,
        delay,
        reason,
    });
    delay
}

/// Why a request's result is worth another attempt: a passing refusal (500, 503, SlowDown…)
/// or a failure that may not happen again; `None` when it is not.
pub(super) fn retry_reason(
    result: &Result<super::Outcome, super::TransferError>,
) -> Option<super::RetryReason> {
    match result {
        Ok(super::Outcome::Refused(refusal)) if is_retryable_refusal(refusal) => {
            Some(refusal_reason(refusal))
        }
        Err(error) if error.is_retryable() => Some(super::RetryReason::Failed(error.clone())),
        _ => None,
    }
}

/// Exponential backoff with jitter: base × 2^(attempt−1), between half and the whole of it.
pub(super) fn backoff(base: Duration, attempt: u32) -> Duration {
    let full = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_BACKOFF);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let jitter = f64::from(nanos % 1000) / 1000.0;
    full.mul_f64(0.5 + jitter / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_twenty_seconds() {
        let ms = Duration::from_millis;
        let base = ms(400);
        // (attempt, the whole wait before jitter): 400 ms doubling, capped at 20 s.
        for (attempt, full) in [
            (1, ms(400)),
            (2, ms(800)),
            (3, ms(1600)),
            (6, ms(12_800)),
            (7, ms(20_000)),
            (12, ms(20_000)),
            (u32::MAX, ms(20_000)),
        ] {
            let delay = backoff(base, attempt);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?}, expected between {:?} and {full:?}",
                full / 2
            );
        }
        assert_eq!(backoff(Duration::ZERO, 5), Duration::ZERO);
        // Attempt 0 (never asked for) waits no more than the first.
        assert!(backoff(base, 0) <= base);
    }

    #[test]
    fn backoff_jitter_spreads_the_waits() {
        let waits: std::collections::BTreeSet<Duration> = (0..64)
            .map(|_| {
                std::thread::sleep(Duration::from_micros(3));
                backoff(Duration::from_secs(1), 1)
            })
            .collect();
        assert!(
            waits.len() > 4,
            "clients that fail together must not retry together: {waits:?}"
        );
    }
}
