//! How a transfer behaves: attempts, waits, verification and the connections a download may
//! use. Plain values the window's settings and the CLI fill and the engine reads.

use std::time::Duration;

/// Downloads larger than this may use several connections.
pub const RANGES_MIN_BYTES: u64 = 32 * 1024 * 1024;
/// The most connections a download uses unless told otherwise (how many is decided as it
/// runs: more only while each raises the total).
pub const DEFAULT_CONNECTIONS: u32 = 16;
/// The most connections a multipart upload's parts use at once (how many is decided as it
/// runs).
pub const MAX_PART_CONNECTIONS: u32 = 16;
/// The most connections one download may be allowed.
pub const MAX_CONNECTIONS: u32 = 32;

/// How a transfer behaves; the defaults suit people, tests shorten the waits.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// An attempt during which no byte moves for this long is ended (and retried).
    pub stall_timeout: Duration,
    /// The wait before the second attempt; it doubles each time, with jitter.
    pub backoff_base: Duration,
    /// Compute MD5 while streaming and compare with what the server states.
    pub verify: bool,
    /// Send even when the file cannot match a checksum the link fixes (for testers).
    pub send_despite_checksum: bool,
    /// The most connections a large download may use at once (1 to [`MAX_CONNECTIONS`]; 1
    /// turns ranges off). How many it uses is decided as it runs.
    pub connections: u32,
    /// No new request is made once the link has less than this left on the server's clock:
    /// what remains comes over connections already streaming.
    pub expiry_margin: Duration,
    /// Where a multipart upload keeps its record (one file an upload, no secret in it) to go
    /// on after a restart; `None` keeps none.
    pub upload_records: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            stall_timeout: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            verify: true,
            send_despite_checksum: false,
            connections: DEFAULT_CONNECTIONS,
            expiry_margin: Duration::from_secs(30),
            upload_records: None,
        }
    }
}
