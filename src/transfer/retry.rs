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
    fn backoff_doubles_with_jitter_and_a_cap() {
        let base = Duration::from_millis(400);
        for attempt in 1..=12 {
            let full = base
                .saturating_mul(1 << (attempt - 1).min(10))
                .min(MAX_BACKOFF);
            let delay = backoff(base, attempt);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?} of {full:?}"
            );
        }
    }
}
