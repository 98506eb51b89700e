//! The app's state and its frame: gather input, draw the panels, then apply what they asked.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use jiff::Timestamp;

use super::background::{self, Mailbox};
use super::state::{Explained, HistoryEntry, RunState};
use super::{
    Command, Launch, action_panel, details_panel, file_panel, link_panel, result_panel, top_bar,
};
use crate::content_type::ContentTypeChoice;
use crate::link::{Finding, LinkError, Operation, PresignedLink};
use crate::prepare::{self, Blocker, DownloadForm, UploadForm};
use crate::settings::{Settings, Theme, WindowGeometry};
use crate::text::{Language, T, language, tr};
use crate::transfer::{self, Plan};

/// The PresignDesk window's state.
pub struct PresignDeskApp {
    pub(super) runtime: tokio::runtime::Handle,
    pub(super) client: Result<reqwest::Client, String>,
    pub(super) mailbox: Mailbox,
    pub(super) inbox: Receiver<background::Message>,
    /// The link as typed or pasted.
    pub link_text: String,
    pub(super) link: Result<PresignedLink, LinkError>,
    /// Upload or download.
    pub operation: Operation,
    /// The upload inputs.
    pub upload: UploadForm,
    /// The download inputs.
    pub download: DownloadForm,
    /// The download name still follows the link (the user has not typed one).
    pub(super) name_follows_link: bool,
    /// The tester chose to send an expired link anyway.
    pub send_expired: bool,
    /// The last dialog could not open on this system.
    pub dialog_unavailable: bool,
    /// The transfer.
    pub run: RunState,
    /// The transfers of this session, newest last.
    pub history: Vec<HistoryEntry>,
    /// "Check link" and what it found.
    pub check: super::state::CheckState,
    /// This computer's clock minus the server's, from the last answer's `Date`.
    pub clock_offset_secs: Option<i64>,
    /// A short note after an action ("Copied.").
    pub notice: Option<String>,
    /// Texts to put on the clipboard at the end of the frame.
    pub(super) copy_requests: Vec<String>,
    /// The Paste button asked for the clipboard; the next pasted text is the link.
    pub(super) awaiting_paste: bool,
    pub(super) paste_requested: bool,
    /// The user's settings.
    pub settings: Settings,
    /// Where they are saved (`None`: not saved, as in tests).
    pub(super) settings_path: Option<PathBuf>,
    /// A problem with the settings file, shown until the window closes.
    pub settings_notice: Option<String>,
    pub(super) settings_saver: background::SettingsSaver,
    /// The language of the system, used when the user chose none.
    system_language: Language,
    /// The language asked for on the command line, for this run.
    language_override: Option<Language>,
    /// The theme last given to egui.
    applied_theme: Option<Theme>,
    /// Frames left in which the details panel brings the server's answer into view (a panel
    /// that just opened needs a frame or two before it can scroll).
    pub(super) reveal_answer: u8,
    /// Frames left in which a result that just arrived is brought into view.
    pub(super) reveal_result: u8,
    /// Asking whether to close while a transfer runs.
    pub(super) confirm_close: bool,
    /// The user chose to close: close once the cancelled transfer has cleaned up.
    pub(super) closing: bool,
    pub(super) close_now: bool,
    /// Where the window is, for the next start.
    pub(super) geometry: Option<WindowGeometry>,
    /// When the process started, while the first frame is still to be reported.
    report_first_frame: Option<std::time::Instant>,
    /// Report each transfer's duration on stderr (measurements).
    pub(super) report_transfers: bool,
    /// When the running transfer was started.
    pub(super) transfer_started: Option<std::time::Instant>,
}

impl PresignDeskApp {
    /// A new window state, with what the command line gave.
    pub fn new(runtime: tokio::runtime::Handle, launch: Launch) -> Self {
        let (sender, inbox) = channel();
        let mut app = Self {
            client: transfer::http_client().map_err(|e| e.without_url().to_string()),
            mailbox: Mailbox::new(sender),
            runtime,
            inbox,
            link_text: launch.url.unwrap_or_default(),
            link: Err(LinkError::Empty),
            operation: Operation::Put,
            upload: UploadForm {
                path: String::new(),
                state: None,
                content_type: ContentTypeChoice::none(),
            },
            download: DownloadForm {
                folder: default_download_folder().display().to_string(),
                name: String::new(),
                state: None,
                replace_existing: false,
            },
            name_follows_link: true,
            send_expired: false,
            dialog_unavailable: false,
            run: RunState::Idle,
            history: Vec::new(),
            check: super::state::CheckState::None,
            clock_offset_secs: None,
            notice: None,
            copy_requests: Vec::new(),
            awaiting_paste: false,
            paste_requested: false,
            settings: Settings::default(),
            settings_path: None,
            settings_notice: None,
            settings_saver: background::SettingsSaver::default(),
            system_language: language::current(),
            language_override: launch.language,
            applied_theme: None,
            reveal_answer: 0,
            reveal_result: 0,
            confirm_close: false,
            closing: false,
            close_now: false,
            geometry: None,
            report_first_frame: launch.report_timing,
            report_transfers: launch.report_timing.is_some(),
            transfer_started: None,
        };
        app.apply(Command::LinkEdited);
        app.apply(Command::DestinationEdited);
        if let Some(file) = launch.file {
            app.upload.path = file.display().to_string();
            app.operation = Operation::Put;
            app.apply(Command::FileEdited);
        }
        app
    }

    /// Uses `settings`, saved to `path` when they change; `notice` reports a broken file.
    pub fn with_settings(
        mut self,
        settings: Settings,
        path: Option<PathBuf>,
        notice: Option<String>,
    ) -> Self {
        self.settings = settings;
        self.settings_path = path;
        self.settings_notice = notice;
        self
    }

    /// The language the window speaks: the one asked for on the command line, else the user's
    /// choice, else the system's.
    pub fn language(&self) -> Language {
        self.language_override
            .or(self.settings.language)
            .unwrap_or(self.system_language)
    }

    pub(super) fn choose_language(&mut self, chosen: Language) {
        self.language_override = None;
        self.settings.language = Some(chosen);
    }

    /// The parsed link.
    pub fn link(&self) -> &Result<PresignedLink, LinkError> {
        &self.link
    }

    /// Whether the inputs make a request, and if not why.
    pub fn readiness(&self) -> Result<Plan, Blocker> {
        prepare::prepare(
            &self.link,
            self.operation,
            &self.upload,
            &self.download,
            self.send_expired,
            Timestamp::now(),
        )
    }

    /// Draws the whole window and applies what the user did.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        language::set_thread_language(self.language());
        self.apply_theme(&ctx);
        self.mailbox.attach(&ctx);
        self.receive();
        self.refresh_explanation();
        let mut commands = Vec::new();
        self.keyboard(&ctx, &mut commands);
        self.take_dropped_files(&ctx, &mut commands);
        self.watch_close(&ctx);
        // Far from a server's clock, this computer's clock gives way: the countdown and the
        // findings follow the server's, and a finding says so.
        let (now, skew) = crate::present::on_server_clock(Timestamp::now(), self.clock_offset_secs);
        let mut findings = match &self.link {
            Ok(link) => link.findings(now, Some(self.operation)),
            Err(_) => Vec::new(),
        };
        if self.link.is_ok() {
            findings.extend(skew);
        }

        egui::Panel::top("top-bar").show(ui, |ui| {
            top_bar::top_bar_ui(ui, &self.settings, self.language(), &mut commands);
        });
        if self.settings.show_details {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(400.0)
                .min_size(280.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        self.details_ui(ui, now, &findings, &mut commands);
                    });
                });
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                self.main_ui(ui, now, &findings, &mut commands);
            });
        });
        file_panel::drop_overlay_ui(&ctx);
        if self.confirm_close {
            top_bar::close_dialog_ui(&ctx, &mut commands);
        }

        // The countdown repaints when its text changes: each minute, each second at the end.
        if let Ok(link) = &self.link
            && let Some(after) = crate::present::countdown_changes_in(link, now)
        {
            ctx.request_repaint_after(after);
        }
        for command in commands {
            self.apply(command);
        }
        self.flush_requests(&ctx);
        if let Some(started) = self.report_first_frame.take() {
            eprintln!(
                "first frame drawn {} ms after start",
                started.elapsed().as_millis()
            );
        }
    }

    fn main_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: Timestamp,
        findings: &[Finding],
        commands: &mut Vec<Command>,
    ) {
        let running = self.run.is_running();
        ui.add_enabled_ui(!running, |ui| {
            link_panel::link_ui(ui, &mut self.link_text, &self.link, now, commands);
            // What stops the link from working belongs beside it, not only in the details.
            details_panel::findings_ui(ui, &crate::link::findings::blocking(findings));
            ui.add_space(10.0);
            let link = self.link.as_ref().ok();
            if link.is_some_and(|l| l.operation.is_none()) {
                file_panel::operation_ui(ui, T::ChooseOperation, self.operation, commands);
                ui.add_space(6.0);
            }
            match self.operation {
                Operation::Put => file_panel::upload_ui(
                    ui,
                    &mut self.upload,
                    link,
                    self.dialog_unavailable,
                    commands,
                ),
                Operation::Get => file_panel::download_ui(
                    ui,
                    &mut self.download,
                    self.dialog_unavailable,
                    commands,
                ),
            }
        });
        ui.add_space(12.0);
        let readiness = self.readiness();
        let expired = matches!(&self.link, Ok(link) if link.is_expired(now));
        let name = match self.operation {
            Operation::Put => Some(self.upload.path.trim())
                .filter(|p| !p.is_empty())
                .map(|p| crate::present::file_name(std::path::Path::new(p))),
            Operation::Get => Some(self.download.name.trim().to_owned()),
        };
        action_panel::action_ui(
            ui,
            &crate::present::action_label(self.operation, name.as_deref()),
            &readiness,
            expired,
            &mut self.send_expired,
            &self.run,
            commands,
        );
        let revealed = result_panel::result_ui(
            ui,
            &self.run,
            self.notice.as_deref(),
            self.reveal_result > 0,
            commands,
        );
        self.reveal_result = if revealed {
            0
        } else {
            self.reveal_result.saturating_sub(1)
        };
        if let Some(notice) = &self.settings_notice {
            ui.add_space(8.0);
            ui.colored_label(super::WARN, notice);
        }
    }

    fn details_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: Timestamp,
        findings: &[Finding],
        commands: &mut Vec<Command>,
    ) {
        let running = self.run.is_running();
        ui.add_space(4.0);
        ui.heading(tr(T::DetailsTitle));
        ui.add_space(4.0);
        // The latest event first: what the server just answered, then the link.
        let revealed =
            details_panel::answer_section_ui(ui, &self.run, self.reveal_answer > 0, commands);
        self.reveal_answer = if revealed {
            0
        } else {
            self.reveal_answer.saturating_sub(1)
        };
        details_panel::link_section_ui(ui, &self.link, findings, now, commands);
        if let Ok(link) = &self.link {
            ui.add_enabled_ui(!running, |ui| {
                details_panel::check_section_ui(ui, link, &self.check, commands);
            });
        }
        ui.add_enabled_ui(!running, |ui| {
            details_panel::choices_ui(
                ui,
                &self.link,
                self.operation,
                &mut self.upload.content_type,
                commands,
            );
        });
        let plan = match &self.run {
            RunState::Running { plan, .. } | RunState::Finished { plan, .. } => Some(plan.clone()),
            RunState::Idle => self.readiness().ok(),
        };
        details_panel::request_section_ui(ui, plan.as_ref(), commands);
        super::history_panel::history_ui(ui, &self.history, running, commands);
        ui.add_enabled_ui(!running, |ui| {
            if super::settings_panel::settings_ui(ui, &mut self.settings) {
                commands.push(Command::SettingsChanged);
            }
        });
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            self.applied_theme = Some(self.settings.theme);
            ctx.set_theme(match self.settings.theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
        }
    }

    /// A refusal's explanation follows the language it is read in.
    fn refresh_explanation(&mut self) {
        if let Ok(link) = &self.link {
            self.check.refresh(link);
        }
        let language = self.language();
        if let RunState::Finished {
            outcome,
            plan,
            explained: Some(explained),
        } = &mut self.run
            && explained.language != language
            && let Some(again) = Explained::of(outcome, plan, explained.probe)
        {
            *explained = again;
        }
    }

    /// Saves where the window is, for the next start (when it closes).
    pub fn save_on_exit(&mut self) {
        if let (Some(path), Some(geometry)) = (&self.settings_path, self.geometry) {
            self.settings.window = Some(geometry);
            // The window is closing: nothing is left to draw, so the UI thread may write.
            let _ = self.settings.save(path);
        }
    }
}

impl eframe::App for PresignDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        PresignDeskApp::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_on_exit();
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }
}

fn default_download_folder() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| {
            dirs.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(dirs.home_dir().to_owned()))
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}
