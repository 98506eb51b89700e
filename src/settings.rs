//! What the user set, kept between runs: a small JSON file in the platform's config folder.
//! Session state (links, files, results) is never written here: links are secrets, and file
//! names can be private too.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::exchange::Options;
use crate::text::{Language, T, fill};

/// The user's settings. Every field has a default, so an older or partial file still loads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Attempts in all for a transfer (1 = no retry).
    pub max_attempts: u32,
    /// Seconds without a byte moving before an attempt is ended.
    pub stall_timeout_secs: u64,
    /// Compute MD5 while streaming and compare with the server's.
    pub verify: bool,
    /// Connections a large download may use at once.
    pub download_connections: u32,
    /// The language the user chose in the window (`None`: the system's).
    pub language: Option<Language>,
    /// Light, dark, or as the system is.
    pub theme: Theme,
    /// Whether the details panel is open.
    pub show_details: bool,
    /// Where the window was and how large, in points, when it last closed.
    pub window: Option<WindowGeometry>,
}

impl Default for Settings {
    fn default() -> Self {
        let options = Options::default();
        Self {
            max_attempts: options.max_attempts,
            stall_timeout_secs: options.stall_timeout.as_secs(),
            verify: options.verify,
            download_connections: options.connections,
            language: None,
            theme: Theme::System,
            show_details: false,
            window: None,
        }
    }
}

/// The window's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// As the system is set.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The window's place and size, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowGeometry {
    /// Left edge of the outer window.
    pub x: f32,
    /// Top edge of the outer window.
    pub y: f32,
    /// Width of the inner area.
    pub width: f32,
    /// Height of the inner area.
    pub height: f32,
}

impl WindowGeometry {
    /// The geometry if it can describe a usable window (a broken file may say anything).
    pub fn usable(self) -> Option<Self> {
        let finite = [self.x, self.y, self.width, self.height]
            .iter()
            .all(|v| v.is_finite());
        let sized =
            (320.0..=20_000.0).contains(&self.width) && (240.0..=20_000.0).contains(&self.height);
        let placed =
            (-20_000.0..=20_000.0).contains(&self.x) && (-20_000.0..=20_000.0).contains(&self.y);
        (finite && sized && placed).then_some(self)
    }
}

/// Bounds a person can set in the window.
pub const ATTEMPTS_RANGE: std::ops::RangeInclusive<u32> = 1..=10;
/// Bounds of the connections of one download.
pub const CONNECTIONS_RANGE: std::ops::RangeInclusive<u32> = 1..=crate::exchange::MAX_CONNECTIONS;
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
            connections: self
                .download_connections
                .clamp(*CONNECTIONS_RANGE.start(), *CONNECTIONS_RANGE.end()),
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
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Readable by the user only: nothing secret is in it, but nothing needs to be shared.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(&temporary)?, text.as_bytes())?;
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
            download_connections: 3,
            language: Some(Language::JAPANESE),
            theme: Theme::Dark,
            show_details: true,
            window: Some(WindowGeometry {
                x: 10.0,
                y: 20.0,
                width: 900.0,
                height: 700.0,
            }),
        };
        mine.save(&path).unwrap();
        assert_eq!(Settings::load(&path), (mine, None));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "readable by the user only");
        }
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
            ..Settings::default()
        };
        let options = wild.transfer_options();
        assert_eq!(options.max_attempts, 1);
        assert_eq!(options.stall_timeout, Duration::from_secs(600));
        let off_screen = WindowGeometry {
            x: f32::NAN,
            y: 0.0,
            width: 800.0,
            height: 600.0,
        };
        assert_eq!(off_screen.usable(), None);
        let tiny = WindowGeometry {
            width: 10.0,
            ..off_screen
        };
        assert_eq!(WindowGeometry { x: 0.0, ..tiny }.usable(), None);
    }

    #[test]
    fn an_unknown_language_or_theme_falls_back_with_a_notice() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        std::fs::write(&path, r#"{"language": "xx", "theme": "dark"}"#).unwrap();
        let (settings, notice) = Settings::load(&path);
        assert_eq!(settings, Settings::default());
        assert!(notice.is_some());
        std::fs::write(&path, r#"{"language": "ja", "theme": "dark"}"#).unwrap();
        let (settings, _) = Settings::load(&path);
        assert_eq!(
            (settings.language, settings.theme),
            (Some(Language::JAPANESE), Theme::Dark)
        );
        std::fs::remove_dir_all(&dir).unwrap();
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
