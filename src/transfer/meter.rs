//! The meter of one attempt: counts its bytes, reports progress at most so often, and knows
//! when a byte last moved (the stall watchdog).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{ProgressMeter, Reporter, TransferEvent};

/// Counts one attempt's bytes, reports progress, and knows when bytes last moved.
#[derive(Clone)]
pub(super) struct Meter {
    inner: Arc<Mutex<ProgressMeter>>,
    report: Reporter,
    started: Instant,
    last_activity_ms: Arc<AtomicU64>,
}

impl Meter {
    pub(super) fn new(attempt: u32, report: Reporter) -> Self {
        Self {
            inner: Arc::new(Mutex::new(ProgressMeter::new(None, attempt))),
            report,
            started: Instant::now(),
            last_activity_ms: Arc::default(),
        }
    }

    /// Whoever watches this transfer.
    pub(super) fn reporter(&self) -> Reporter {
        self.report.clone()
    }

    pub(super) fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_activity_ms.store(ms, Ordering::Relaxed);
    }

    /// Starts counting toward `total`, from `already` bytes (a resumed download).
    pub(super) fn start(&self, total: Option<u64>, already: u64) {
        self.touch();
        if let Ok(mut meter) = self.inner.lock() {
            meter.restart(total, already);
        }
    }

    pub(super) fn count(&self, bytes: u64) {
        self.touch();
        let due = self.inner.lock().ok().and_then(|mut m| m.advance(bytes));
        if let Some(progress) = due {
            (self.report)(TransferEvent::Progress(progress));
        }
    }

    /// Takes back `bytes` counted for a request that has to go again (a multipart upload's
    /// part, resent).
    pub(super) fn give_back(&self, bytes: u64) {
        if let Ok(mut meter) = self.inner.lock() {
            meter.give_back(bytes);
        }
    }

    /// Bytes counted so far.
    pub(super) fn bytes(&self) -> u64 {
        self.inner
            .lock()
            .map(|m| m.bytes_done())
            .unwrap_or_default()
    }

    /// Reports the final count (however recent the last report) and returns it.
    pub(super) fn finish(&self) -> u64 {
        let Ok(meter) = self.inner.lock() else {
            return 0;
        };
        (self.report)(TransferEvent::Progress(meter.snapshot()));
        meter.bytes_done()
    }

    /// Completes once no byte has moved for `timeout`.
    pub(super) async fn stalled(&self, timeout: Duration) {
        loop {
            let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
            let idle = self.started.elapsed().saturating_sub(last);
            if idle >= timeout {
                return;
            }
            tokio::time::sleep(timeout - idle).await;
        }
    }
}
