//! What the user set, kept between runs: a small JSON file in the platform's config folder.
//! Session state (links, files, results) is never written here: links are secrets, and file
//! names can be private too.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::exchange::Options;
use crate::text::{Language, T, fill, tr};

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
    /// Files of a queue sent at once.
    pub queue_at_once: u32,
    /// The language the user chose in the window (`None`: the system's).
    pub language: Option<Language>,
    /// Light, dark, or as the system is.
    pub theme: Theme,
    /// Whether the details panel is open.
    pub show_details: bool,
    /// Where the window was and how large, in points, when it last closed.
    pub window: Option<WindowGeometry>,
    /// Fields this version does not know (a newer version's), written back as they were.
    #[serde(flatten)]
    pub unknown: serde_json::Map<String, Value>,
}

impl Default for Settings {
    fn default() -> Self {
        let options = Options::default();
        Self {
            max_attempts: options.max_attempts,
            stall_timeout_secs: options.stall_timeout.as_secs(),
            verify: options.verify,
            download_connections: options.connections,
            queue_at_once: DEFAULT_QUEUE_AT_ONCE,
            language: None,
            theme: Theme::System,
            show_details: false,
            window: None,
            unknown: serde_json::Map::new(),
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
/// Files of a queue sent at once, unless the person chose otherwise.
pub const DEFAULT_QUEUE_AT_ONCE: u32 = 3;
/// Bounds of the files of a queue sent at once.
pub const QUEUE_AT_ONCE_RANGE: std::ops::RangeInclusive<u32> = 1..=16;
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

    /// Files of a queue sent at once, within its bounds.
    pub fn queue_at_once(&self) -> u32 {
        self.queue_at_once
            .clamp(*QUEUE_AT_ONCE_RANGE.start(), *QUEUE_AT_ONCE_RANGE.end())
    }

    /// Where multipart uploads keep their records: `uploads` in the platform's local data
    /// folder.
    pub fn upload_records_folder() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "PresignDesk")
            .map(|dirs| dirs.data_local_dir().join("uploads"))
    }

    /// Where the settings live: `settings.json` in the platform's config folder.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "PresignDesk")
            .map(|dirs| dirs.config_dir().join("settings.json"))
    }

    /// Reads the settings at `path`, with a notice in the current language when something in
    /// the file could not be used (see [`Settings::read`]).
    pub fn load(path: &Path) -> (Self, Option<String>) {
        let loaded = Self::read(path);
        let notice = (!loaded.problems.is_empty()).then(|| {
            loaded
                .problems
                .iter()
                .map(|problem| problem.message(path))
                .collect::<Vec<_>>()
                .join("\n")
        });
        (loaded.settings, notice)
    }

    /// Reads the settings at `path`, losing as little as it can. A missing file gives the
    /// defaults quietly; a value that cannot be read gives that value's default and a problem
    /// naming it, the rest load; fields this version does not know are kept for the next save;
    /// a file that is not a settings object at all is moved aside
    /// (`settings.json.broken-<time>`) so no save can overwrite it.
    pub fn read(path: &Path) -> Loaded {
        match read_fields(path) {
            Ok(fields) => from_fields(fields),
            Err(problem) => Loaded {
                settings: Self::default(),
                problems: vec![problem],
            },
        }
    }

    /// Writes these settings to `path` as one change from `base` (what this window last read
    /// or wrote): a value that differs from `base` is written; every other value keeps what
    /// the file holds now, so two windows open at once do not undo each other's changes, and a
    /// newer version's fields stay as they are. The write goes through a temporary file that
    /// is flushed to disk before it replaces the old one, and the folder is flushed after, so
    /// a crash or a power cut leaves the old file or the new one, never an empty one.
    pub fn save_changes(&self, base: &Settings, path: &Path) -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        // Another process saving at the same moment waits here; where locks are not
        // supported, the save goes on without one.
        let lock = open_private(&sibling(path, ".lock"), false)?;
        let _locked = lock.lock().ok();
        let mut fields = match read_fields(path) {
            Ok(fields) => fields,
            Err(Problem::Unreadable { kept: None, .. }) if path.exists() => {
                return Err(std::io::Error::other(fill(
                    T::SettingsNotReplaced,
                    &[("path", &path.display().to_string())],
                )));
            }
            Err(_) => Map::new(),
        };
        let mine = to_fields(self);
        let before = to_fields(base);
        for (name, value) in mine {
            if !fields.contains_key(&name) || before.get(&name) != Some(&value) {
                fields.insert(name, value);
            }
        }
        let text =
            serde_json::to_string_pretty(&Value::Object(fields)).map_err(std::io::Error::other)?;
        write_durably(path, text.as_bytes())
    }

    /// Writes these settings to `path` as they are, replacing whatever the file held.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        write_durably(path, text.as_bytes())
    }
}

/// What reading the settings file gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The settings to use.
    pub settings: Settings,
    /// What could not be used, each said in the window.
    pub problems: Vec<Problem>,
}

/// Something in the settings file that could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// One value could not be read: its default is used, the other values load.
    Value {
        /// The setting's name in the file (`theme`).
        name: String,
        /// What the file holds, as JSON, shortened.
        found: String,
        /// The default used instead, as JSON (`null` when the default is "none set").
        used: String,
    },
    /// The file could not be read at all: the defaults are used.
    Unreadable {
        /// Why.
        reason: String,
        /// Where the unreadable file was moved, so nothing overwrites it.
        kept: Option<PathBuf>,
    },
}

impl Problem {
    /// The notice for the window, in the current language.
    pub fn message(&self, path: &Path) -> String {
        let path = path.display().to_string();
        match self {
            Problem::Value { name, found, used } => {
                let used = if used == "null" {
                    tr(T::SettingsDefaultWord).to_owned()
                } else {
                    used.clone()
                };
                fill(
                    T::SettingsValueUnreadable,
                    &[
                        ("path", &path),
                        ("name", name),
                        ("found", found),
                        ("used", &used),
                    ],
                )
            }
            Problem::Unreadable {
                reason,
                kept: Some(kept),
            } => fill(
                T::SettingsBrokenKept,
                &[
                    ("path", &path),
                    ("reason", reason),
                    ("kept", &kept.display().to_string()),
                ],
            ),
            Problem::Unreadable { reason, kept: None } => {
                fill(T::SettingsBroken, &[("path", &path), ("reason", reason)])
            }
        }
    }
}

type Map = serde_json::Map<String, Value>;

/// The file's fields, or why there are none. A file that is not a JSON object is moved aside.
fn read_fields(path: &Path) -> Result<Map, Problem> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(e) => {
            return Err(Problem::Unreadable {
                reason: e.to_string(),
                kept: None,
            });
        }
    };
    let reason = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(fields)) => return Ok(fields),
        Ok(_) => tr(T::SettingsNotAnObject).to_owned(),
        Err(e) => e.to_string(),
    };
    Err(Problem::Unreadable {
        reason,
        kept: move_aside(path),
    })
}

/// Moves an unreadable settings file to `settings.json.broken-<time>`, beside it.
fn move_aside(path: &Path) -> Option<PathBuf> {
    let time = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let kept = (1..100)
        .map(|n| match n {
            1 => sibling(path, &format!(".broken-{time}")),
            n => sibling(path, &format!(".broken-{time}-{n}")),
        })
        .find(|candidate| !candidate.exists())?;
    std::fs::rename(path, &kept).ok().map(|()| kept)
}

/// The settings from the file's fields: each known field tried on its own, so one value that
/// cannot be read costs only that value; unknown fields carried along.
fn from_fields(fields: Map) -> Loaded {
    let defaults = to_fields(&Settings::default());
    let mut merged = defaults.clone();
    let mut problems = Vec::new();
    for (name, value) in fields {
        if let Some(default) = defaults.get(&name) {
            let mut trial = defaults.clone();
            trial.insert(name.clone(), value.clone());
            if serde_json::from_value::<Settings>(Value::Object(trial)).is_err() {
                problems.push(Problem::Value {
                    found: shorten(&value.to_string()),
                    used: default.to_string(),
                    name,
                });
                continue;
            }
        }
        merged.insert(name, value);
    }
    let settings = serde_json::from_value(Value::Object(merged)).unwrap_or_default();
    Loaded { settings, problems }
}

fn to_fields(settings: &Settings) -> Map {
    match serde_json::to_value(settings) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    }
}

fn shorten(text: &str) -> String {
    const MOST: usize = 40;
    if text.len() <= MOST {
        return text.to_owned();
    }
    format!("{}…", &text[..text.floor_char_boundary(MOST)])
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Opens (creating) a file readable by the user only: nothing secret is in the settings, but
/// nothing needs to be shared.
fn open_private(path: &Path, truncate: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes `bytes` to `path` through a temporary file: written, flushed to disk, renamed over
/// the old file, and then the folder flushed, where the platform can.
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = sibling(path, &format!(".tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = open_private(&temporary, true)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    // A folder cannot be opened as a file on Windows; there the rename is already durable
    // enough (NTFS journals it).
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(())
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
            queue_at_once: 5,
            language: Some(Language::JAPANESE),
            theme: Theme::Dark,
            show_details: true,
            window: Some(WindowGeometry {
                x: 10.0,
                y: 20.0,
                width: 900.0,
                height: 700.0,
            }),
            unknown: serde_json::Map::new(),
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
    fn a_file_of_garbage_is_kept_aside_and_never_overwritten() {
        for garbage in ["{ not json", "[1, 2]", "\"theme\"", "\u{0}\u{1}binary"] {
            let dir = tempfile_dir();
            let path = dir.join("settings.json");
            std::fs::write(&path, garbage).unwrap();
            let (settings, notice) = Settings::load(&path);
            assert_eq!(settings, Settings::default(), "{garbage}");
            let kept: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().contains("settings.json.broken-"))
                .collect();
            assert_eq!(kept.len(), 1, "{garbage}: kept beside, once");
            assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), garbage);
            let notice = notice.unwrap();
            assert!(
                notice.contains(&*kept[0].to_string_lossy()),
                "the notice says where: {notice}"
            );
            // The next save writes a new file; the kept one is untouched.
            let mine = Settings {
                max_attempts: 4,
                ..Settings::default()
            };
            mine.save_changes(&settings, &path).unwrap();
            assert_eq!(Settings::load(&path).0.max_attempts, 4);
            assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), garbage);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn a_file_that_cannot_be_read_is_not_replaced() {
        let dir = tempfile_dir();
        // A folder where the file should be: it cannot be read, and must not be replaced.
        let path = dir.join("settings.json");
        std::fs::create_dir(&path).unwrap();
        let (settings, notice) = Settings::load(&path);
        assert_eq!(settings, Settings::default());
        assert!(notice.is_some());
        let changed = Settings {
            verify: false,
            ..Settings::default()
        };
        assert!(changed.save_changes(&settings, &path).is_err());
        assert!(path.is_dir());
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
    fn a_value_that_cannot_be_read_costs_only_that_value() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        std::fs::write(&path, r#"{"theme": "neon", "max_attempts": 5}"#).unwrap();
        let loaded = Settings::read(&path);
        assert_eq!(loaded.settings.max_attempts, 5);
        assert_eq!(loaded.settings.theme, Theme::System);
        assert_eq!(
            loaded.problems,
            vec![Problem::Value {
                name: "theme".into(),
                found: "\"neon\"".into(),
                used: "\"system\"".into(),
            }]
        );
        for language in Language::all() {
            crate::text::with_language(language, || {
                let notice = Settings::load(&path).1.unwrap();
                assert!(
                    notice.contains("theme") && notice.contains("neon"),
                    "{notice}"
                );
                assert!(notice.contains("system"), "what is used instead: {notice}");
            });
        }
        // Every field, each given a value of the wrong kind, alone among good values.
        let good = r#""max_attempts": 6, "verify": false, "theme": "dark""#;
        let wrong = [
            ("max_attempts", r#""five""#),
            ("stall_timeout_secs", "-3"),
            ("verify", "1"),
            ("download_connections", "[]"),
            ("queue_at_once", "true"),
            ("language", r#""xx""#),
            ("theme", "3"),
            ("show_details", r#""yes""#),
            ("window", r#"{"x": "left"}"#),
        ];
        for (name, value) in wrong {
            let text = if ["max_attempts", "verify", "theme"].contains(&name) {
                format!(
                    "{{{}, \"{name}\": {value}}}",
                    good.replace(&format!("\"{name}\""), "\"was\"")
                )
            } else {
                format!("{{{good}, \"{name}\": {value}}}")
            };
            std::fs::write(&path, &text).unwrap();
            let loaded = Settings::read(&path);
            assert_eq!(loaded.problems.len(), 1, "{text}");
            assert!(
                matches!(&loaded.problems[0], Problem::Value { name: n, .. } if n == name),
                "{text}: {:?}",
                loaded.problems
            );
            let defaults = to_fields(&Settings::default());
            let fields = to_fields(&loaded.settings);
            assert_eq!(fields[name], defaults[name], "{text}: the default used");
            for (other, expected) in [
                ("max_attempts", "6"),
                ("verify", "false"),
                ("theme", "\"dark\""),
            ] {
                if other != name {
                    assert_eq!(fields[other].to_string(), expected, "{text}: {other} kept");
                }
            }
        }
        std::fs::write(&path, r#"{"language": "ja", "theme": "dark"}"#).unwrap();
        let (settings, notice) = Settings::load(&path);
        assert_eq!(
            (settings.language, settings.theme, notice),
            (Some(Language::JAPANESE), Theme::Dark, None)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fields_this_version_does_not_know_survive_a_save() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        std::fs::write(
            &path,
            r#"{"future_option": 1, "theme": "neon", "max_attempts": 2, "nested": {"a": [1, "b"]}}"#,
        )
        .unwrap();
        let (read, _) = Settings::load(&path);
        let changed = Settings {
            max_attempts: 9,
            ..read.clone()
        };
        changed.save_changes(&read, &path).unwrap();
        let on_disk: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(on_disk["future_option"], 1);
        assert_eq!(on_disk["nested"]["a"][1], "b");
        assert_eq!(
            on_disk["theme"], "neon",
            "a newer version's theme is left as it was"
        );
        assert_eq!(on_disk["max_attempts"], 9);
        assert_eq!(on_disk["verify"], true, "the other fields written out");
        // Also through a plain save of settings read from such a file.
        read.save(&path).unwrap();
        let on_disk: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(on_disk["future_option"], 1);
        assert_eq!(on_disk["nested"]["a"][0], 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn two_windows_do_not_undo_each_others_changes() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        Settings::default().save(&path).unwrap();
        let first_read = Settings::load(&path).0;
        let second_read = Settings::load(&path).0;
        // The first window turns the details on; the second changes the theme after.
        let first = Settings {
            show_details: true,
            ..first_read.clone()
        };
        first.save_changes(&first_read, &path).unwrap();
        let second = Settings {
            theme: Theme::Dark,
            ..second_read.clone()
        };
        second.save_changes(&second_read, &path).unwrap();
        let (now, _) = Settings::load(&path);
        assert!(now.show_details, "the first window's change stays");
        assert_eq!(now.theme, Theme::Dark);
        // The first window changes the theme back later: its newer change wins.
        let first_again = Settings {
            theme: Theme::Light,
            ..first.clone()
        };
        first_again.save_changes(&first, &path).unwrap();
        let (now, _) = Settings::load(&path);
        assert_eq!((now.theme, now.show_details), (Theme::Light, true));
        // Saving leaves no temporary file behind.
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn many_savers_at_once_leave_one_whole_file() {
        let dir = tempfile_dir();
        let path = dir.join("settings.json");
        let base = Settings::default();
        std::thread::scope(|scope| {
            for n in 1..=8 {
                let (path, base) = (&path, &base);
                scope.spawn(move || {
                    for round in 0..20 {
                        let mine = Settings {
                            max_attempts: n,
                            download_connections: round % 4 + 1,
                            queue_at_once: round % 3 + 1,
                            ..base.clone()
                        };
                        mine.save_changes(base, path).unwrap();
                    }
                });
            }
        });
        let loaded = Settings::read(&path);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert!((1..=8).contains(&loaded.settings.max_attempts));
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
