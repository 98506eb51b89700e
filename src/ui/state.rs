//! What the window keeps between runs: the settings, where they are saved, and the language and
//! colours they choose. Saved off the UI thread, newest value last.

use std::path::PathBuf;

use super::background::{Runtime, SettingsSaver};
use crate::settings::{Problem, Settings, Theme};
use crate::text::{Language, T, fill, language};

/// The persisted state.
pub struct State {
    /// The user's settings.
    pub settings: Settings,
    /// Where they are saved (`None`: not saved, as in tests).
    path: Option<PathBuf>,
    /// What could not be read of the settings file, shown until the window closes.
    problems: Vec<Problem>,
    /// The last save's failure, shown until the window closes.
    pub notice: Option<String>,
    saver: SettingsSaver,
    /// The language of the system, used when the user chose none.
    system_language: Language,
    /// The language asked for on the command line, for this run.
    language_override: Option<Language>,
    /// The theme last given to egui.
    applied_theme: Option<Theme>,
    /// Where multipart uploads keep their records to go on after a restart (`None`: no
    /// records, as in tests that do not ask for them).
    pub upload_records: Option<PathBuf>,
}

impl State {
    /// Default settings, not saved; `language_override` from `--lang`.
    pub fn new(language_override: Option<Language>) -> Self {
        State {
            settings: Settings::default(),
            path: None,
            problems: Vec::new(),
            notice: None,
            saver: SettingsSaver::default(),
            system_language: language::current(),
            language_override,
            applied_theme: None,
            upload_records: None,
        }
    }

    /// Uses `settings`, saved to `path` when they change; `problems` are what could not be read
    /// of the file.
    pub fn load(&mut self, settings: Settings, path: Option<PathBuf>, problems: Vec<Problem>) {
        self.saver.start_from(settings.clone());
        self.settings = settings;
        self.path = path;
        self.problems = problems;
    }

    /// The notices about the settings file, in the current language.
    pub fn notices(&self) -> Vec<String> {
        let path = self
            .path
            .as_deref()
            .unwrap_or(std::path::Path::new("settings.json"));
        self.problems
            .iter()
            .map(|problem| problem.message(path))
            .chain(self.notice.clone())
            .collect()
    }

    /// The language the window speaks: the one asked for on the command line, else the user's
    /// choice, else the system's.
    pub fn language(&self) -> Language {
        self.language_override
            .or(self.settings.language)
            .unwrap_or(self.system_language)
    }

    /// Speaks `chosen` from now on, over `--lang`.
    pub fn choose_language(&mut self, chosen: Language) {
        self.language_override = None;
        self.settings.language = Some(chosen);
    }

    /// Gives egui the theme, when it changed.
    pub fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            self.applied_theme = Some(self.settings.theme);
            ctx.set_theme(match self.settings.theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
        }
    }

    /// Saves the settings off the UI thread.
    pub fn save(&self, runtime: &Runtime) {
        if let Some(path) = self.path.clone() {
            self.saver.save(runtime, self.settings.clone(), path);
        }
    }

    /// The settings could not be saved.
    pub fn save_failed(&mut self, reason: &str) {
        self.notice = Some(fill(T::SettingsSaveFailed, &[("reason", reason)]));
    }

    /// Saves where the window is, for the next start; the window is closing, so nothing is
    /// left to draw and the UI thread may write.
    pub fn save_on_exit(&mut self, geometry: Option<crate::settings::WindowGeometry>) {
        if let (Some(path), Some(geometry)) = (&self.path, geometry) {
            self.settings.window = Some(geometry);
            let _ = self.saver.save_now(&self.settings, path);
        }
    }
}
