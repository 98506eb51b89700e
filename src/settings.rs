//! What the user set, kept between runs: a small JSON file in the platform's config folder.
//! Session state (links, files, results) is never written here: links are secrets.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::text::{T, fill};
use crate::transfer::Options;

/// The user's settings. Every field has a default, so an older or partial file still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Attempts in all for a transfer (1 = no retry).
    pub max_attempts: u32,
    /// Seconds without a byte moving before an attempt is ended.
    pub stall_timeout_secs: u64,
    /// Compute MD5 while streaming and compare with the server's.
    pub verify: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let options = Options::default();
        Self {
            max_attempts: options.max_attempts,
            stall_timeout_secs: options.stall_timeout.as_secs(),
            verify: options.verify,
        }
    }
}

/// Bounds a person can set in the window.
pub const ATTEMPTS_RANGE: std::ops::RangeInclusive<u32> = 1..=10;
/// Bounds of the stall timeout, seconds.
pub const STALL_TIMEOUT_RANGE: std::ops::RangeInclusive<u64> = 5..=600;

impl Settings {
    /// The transfer options these settings give, values kept within their bounds.
    pub fn transfer_options(&self) -> Options {
        Options {
            max_attempts: self
                .max_attempts
                .clamp(*ATTEMPTS_RANGE.start(), *ATTEMPTS_RANGE.end()),
            stall_timeout: Duration::from_secs(
                self.stall_timeout_secs
                    .clamp(*STALL_TIMEOUT_RANGE.start(), *STALL_TIMEOUT_RANGE.end()),
            ),
            verify: self.verify,
            ..Options::default()
        }
    }

    /// Where the settings live: `settings.json` in the platform's config folder.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "PresignDesk")
            .map(|dirs| dirs.config_dir().join("settings.json"))
    }

    /// Reads the settings at `path`. A missing file gives the defaults; a broken one gives the
    /// defaults and a notice saying so (the file is left as it was for the user to look at).
    pub fn load(path: &Path) -> (Self, Option<String>) {
        match std::fs::read_to_string(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), None),
            Err(e) => (Self::default(), Some(broken(path, &e.to_string()))),
            Ok(text) => match serde_json::from_str(&text) {
                Ok(settings) => (settings, None),
                Err(e) => (Self::default(), Some(broken(path, &e.to_string()))),
            },
        }
    }

    /// Writes the settings to `path`, creating its folder, through a temporary file so a crash
    /// never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, path)
    }
}

fn broken(path: &Path, reason: &str) -> String {
    fill(
        T::SettingsBroken,
        &[("path", &path.display().to_string()), ("reason", reason)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        let dir = tempfile_dir();
        let path = dir.join("deep/settings.json");
        assert_eq!(
            Settings::load(&path),
            (Settings::default(), None),
            "missing: defaults, quietly"
        );
        let mine = Settings {
            max_attempts: 5,
            stall_timeout_secs: 90,
            verify: false,
        };
        mine.save(&path).unwrap();
        assert_eq!(Settings::load(&path), (mine, None));
        std::fs::write(&path, r#"{"max_attempts": 7}"#).unwrap();
        let (partial, notice) = Settings::load(&path);
        assert_eq!(
            (partial.max_attempts, partial.stall_timeout_secs, notice),
            (7, 30, None)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_file_gives_defaults_and_a_notice() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        std::fs::write(&path, "{ not json").unwrap();
        let (settings, notice) = Settings::load(&path);
        assert_eq!(settings, Settings::default());
        assert!(notice.is_some_and(|n| n.contains("settings.json")));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{ not json",
            "left for the user"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn options_stay_within_bounds() {
        let wild = Settings {
            max_attempts: 0,
            stall_timeout_secs: 1_000_000,
            verify: true,
        };
        let options = wild.transfer_options();
        assert_eq!(options.max_attempts, 1);
        assert_eq!(options.stall_timeout, Duration::from_secs(600));
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "presign-desk-settings-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
