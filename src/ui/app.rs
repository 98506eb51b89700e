//! The app and its frame: gather input, draw the panels with the parts they show, then apply
//! what they asked. The app holds five parts, each its own type: the persisted [`State`], the
//! [`Form`], the [`Session`], the [`Chrome`] around them, and the background [`Runtime`].

use std::path::PathBuf;

use jiff::Timestamp;

use super::background::{self, Runtime};
use super::chrome::{Chrome, Report};
use super::commands::{Effect, Parts};
use super::form::Form;
use super::session::{RunState, Session};
use super::state::State;
use super::{
    Command, Launch, action_panel, details_panel, file_panel, link_panel, result_panel, top_bar,
};
use crate::link::{Finding, Operation};
use crate::settings::Settings;
use crate::text::{Language, T, language, tr};

/// The main column is never narrower than this (in points): below it, file names and buttons
/// no longer read.
const MAIN_MIN_WIDTH: f32 = 440.0;
/// The details beside the main column are at least this wide; a window that cannot give both
/// shows the details under the main column instead.
const DETAILS_MIN_WIDTH: f32 = 300.0;

/// The PresignDesk window.
pub struct PresignDeskApp {
    state: State,
    form: Form,
    session: Session,
    chrome: Chrome,
    runtime: Runtime,
}

impl PresignDeskApp {
    /// A new window, with what the command line gave.
    pub fn new(runtime: tokio::runtime::Handle, launch: Launch) -> Self {
        let mut app = Self {
            state: State::new(launch.language),
            form: Form::new(default_download_folder()),
            session: Session::new(),
            chrome: Chrome::reporting(launch.report_timing.map(Report::new)),
            runtime: Runtime::new(runtime),
        };
        app.apply(Command::LinkTyped(launch.url.unwrap_or_default()));
        app.apply(Command::DestinationEdited);
        // A folder is the queue's: its files, each matched to a link of the list.
        match launch.file {
            Some(folder) if folder.is_dir() => app.apply(Command::FilesChosen(vec![folder])),
            Some(file) => app.apply(Command::FileChosen(file)),
            None => {}
        }
        app
    }

    /// Uses `settings`, saved to `path` when they change; `problems` are what could not be read
    /// of the file, said in the window in its language.
    pub fn with_settings(
        mut self,
        settings: Settings,
        path: Option<PathBuf>,
        problems: Vec<crate::settings::Problem>,
    ) -> Self {
        self.state.load(settings, path, problems);
        self
    }

    /// Keeps the records of multipart uploads in `folder`, so an upload cancelled or cut off
    /// by closing the window goes on from the parts that arrived.
    pub fn with_upload_records(mut self, folder: Option<PathBuf>) -> Self {
        self.state.upload_records = folder;
        self
    }

    /// The language the window speaks.
    pub fn language(&self) -> Language {
        self.state.language()
    }

    /// The form as it stands.
    pub fn form(&self) -> &Form {
        &self.form
    }

    /// This session's transfers and check.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether a transfer is running.
    pub fn is_running(&self) -> bool {
        self.session.run.is_running()
    }

    /// The parts a command changes.
    pub(super) fn parts(&mut self) -> Parts<'_> {
        Parts {
            state: &mut self.state,
            form: &mut self.form,
            session: &mut self.session,
            chrome: &mut self.chrome,
            client: &self.runtime.client,
        }
    }

    pub(super) fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Hands the work commands asked for to the runtime, in order.
    pub(super) fn start_all(&mut self, effects: Vec<Effect>) {
        let runtime = &self.runtime;
        for effect in effects {
            match effect {
                Effect::CheckFile(path) => background::check_file(runtime, path),
                Effect::Digest(path, digests) => background::digest_file(runtime, path, digests),
                Effect::CheckDestination { folder, name } => {
                    background::check_destination(runtime, folder, name)
                }
                Effect::FindFreeName { folder, name } => {
                    background::find_free_name(runtime, folder, name)
                }
                Effect::Pick { folder, start_in } => background::pick(runtime, folder, start_in),
                Effect::Transfer {
                    client,
                    plan,
                    options,
                    cancel,
                } => background::start_transfer(runtime, client, *plan, options, cancel),
                Effect::CheckLink { client, url } => background::check_link(runtime, client, url),
                Effect::AbortUpload {
                    client,
                    set,
                    records,
                } => background::abort_upload(runtime, client, set, records),
                Effect::Open { path, reveal } => background::open_path(runtime, path, reveal),
                Effect::SaveSettings => self.state.save(runtime),
                Effect::GatherFiles(paths) => background::gather_files(runtime, paths),
                Effect::QueueRow {
                    row,
                    item,
                    how,
                    client,
                    cancel,
                } => background::run_queue_row(runtime, row, *item, how, client, cancel),
                Effect::CheckLinks { client, links } => {
                    background::check_links(runtime, client, links)
                }
                Effect::SaveExport { export, folder } => {
                    background::save_export(runtime, export, folder)
                }
            }
        }
    }

    /// Draws the whole window and applies what the person did.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        language::set_thread_language(self.state.language());
        self.state.apply_theme(&ctx);
        self.runtime.mailbox.attach(&ctx);
        self.receive();
        self.session.refresh(self.form.link().as_ref().ok());
        self.session.queue.speak(Timestamp::now());
        if self.session.pasted.is_stale() {
            super::commands::explain_pasted(&self.form, &mut self.session);
        }
        let running = self.is_running();
        let mut commands = Vec::new();
        self.chrome.keyboard(&ctx, running, &mut commands);
        self.chrome.take_dropped_files(&ctx, running, &mut commands);
        self.chrome.watch_close(&ctx, running);
        // Far from a server's clock, this computer's clock gives way: the countdown and the
        // findings follow the server's, and a finding says so.
        let (now, skew) =
            crate::clock::on_server_clock(Timestamp::now(), self.session.clock_offset_secs);
        let mut findings = match self.form.link() {
            Ok(link) => link.findings(now, Some(self.form.operation())),
            Err(_) => Vec::new(),
        };
        if self.form.link().is_ok() {
            findings.extend(skew);
        }
        super::set_reporting(&ctx, self.chrome.report.is_some());
        // The window's name for screen readers, as its title bar says it.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |root| {
            root.set_label(tr(T::AppTitle));
        });

        egui::Panel::top("top-bar").show(ui, |ui| {
            top_bar::top_bar_ui(ui, &self.state.settings, self.language(), &mut commands);
        });
        let width = ctx.content_rect().width();
        let show_details = self.state.settings.show_details;
        let beside = show_details && width >= MAIN_MIN_WIDTH + DETAILS_MIN_WIDTH + 24.0;
        if beside {
            // Two fifths of the window, never so wide that the form gets narrow.
            let details_width =
                (width * 0.4).clamp(DETAILS_MIN_WIDTH, width - MAIN_MIN_WIDTH - 24.0);
            egui::Panel::right("details")
                .resizable(false)
                .exact_size(details_width)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("details-scroll")
                        .show(ui, |ui| {
                            self.details_ui(ui, now, &findings, &mut commands);
                        });
                });
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("main-scroll")
                .show(ui, |ui| {
                    self.main_ui(ui, now, &findings, &mut commands);
                    if show_details && !beside {
                        // Too narrow for both side by side: the details follow the form.
                        ui.add_space(16.0);
                        ui.separator();
                        self.details_ui(ui, now, &findings, &mut commands);
                    }
                });
        });
        file_panel::drop_overlay_ui(&ctx);
        if self.chrome.confirm_close {
            top_bar::close_dialog_ui(&ctx, &mut commands);
        }

        // The countdown repaints when its text changes: each minute, each second at the end.
        let expires_at = match (self.form.post_form(), self.form.parts_set()) {
            _ if self.session.queue.active() => self.session.queue.next_expiry(now),
            (Some(post), _) => post.expires_at(),
            (_, Some(set)) => set.expires_at(),
            _ => self.form.link().as_ref().ok().and_then(|l| l.expires_at),
        };
        if let Some(after) = crate::present::countdown_changes_for(expires_at, now) {
            ctx.request_repaint_after(after);
        }
        for command in commands {
            self.apply(command);
        }
        self.chrome.flush_requests(&ctx);
        if let Some(report) = &mut self.chrome.report {
            report.frame_drawn();
            for (name, rect) in super::reported_controls(&ctx) {
                report.control(&name, rect, ctx.pixels_per_point());
            }
            if let Some(started) = report.first_frame.take() {
                eprintln!(
                    "first frame drawn {} ms after start",
                    started.elapsed().as_millis()
                );
            }
        }
    }

    fn main_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: Timestamp,
        findings: &[Finding],
        commands: &mut Vec<Command>,
    ) {
        let running = self.is_running();
        let operation = self.form.operation();
        // Notes about sending no longer apply once a result says what happened.
        let settled = self.form.done || matches!(self.session.run, RunState::Finished { .. });
        let form = &self.form;
        let chrome = &self.chrome;
        let queue = &self.session.queue;
        if queue.active() {
            // More than one: the queue instead of the single screen.
            ui.add_enabled_ui(!queue.running, |ui| {
                let summary = form
                    .list()
                    .map(|_| crate::batch::table::summary_line(&queue.table));
                link_panel::link_ui(ui, form, summary, now, commands);
            });
            super::queue_panel::queue_ui(
                ui,
                queue,
                form.download.folder.trim(),
                chrome,
                now,
                commands,
            );
            if let Some(notice) = self.chrome.loose_notice() {
                ui.weak(notice);
            }
            return;
        }
        ui.add_enabled_ui(!running, |ui| {
            link_panel::link_ui(ui, form, None, now, commands);
            // What stops the link from working belongs beside it, not only in the details.
            details_panel::findings_ui(ui, &crate::link::findings::cannot_work(findings));
            ui.add_space(8.0);
            let link = form.link.as_ref().ok();
            if link.is_some_and(|l| l.operation.is_none()) {
                file_panel::operation_ui(
                    ui,
                    T::ChooseOperation,
                    [T::ModeUpload, T::ModeDownload],
                    operation,
                    Command::OperationChosen,
                    commands,
                );
                ui.add_space(4.0);
            }
            match operation {
                Operation::Put => file_panel::upload_ui(
                    ui,
                    &form.upload,
                    link,
                    chrome.dialog_unavailable,
                    settled,
                    parts_note(form),
                    commands,
                ),
                Operation::Get => {
                    if let Some(name) = form.file_set_aside() {
                        file_panel::set_aside_ui(ui, &name, link);
                    }
                    file_panel::download_ui(
                        ui,
                        &form.download,
                        chrome.dialog_unavailable,
                        form.done,
                        commands,
                    );
                }
            }
        });
        ui.add_space(10.0);
        let readiness = self.form.readiness(now);
        let name = match operation {
            Operation::Put => Some(self.form.upload.path.trim())
                .filter(|p| !p.is_empty())
                .map(|_| crate::link::file_name(&self.form.upload.file())),
            Operation::Get => Some(self.form.download.name.trim().to_owned()),
        };
        action_panel::action_ui(
            ui,
            &action_panel::Action {
                operation,
                label: crate::present::action_label(operation, name.as_deref()),
                readiness: &readiness,
                send_anyway: self.form.send_anyway,
                done: self.form.done,
            },
            &self.session.run,
            commands,
        );
        let revealed = result_panel::result_ui(
            ui,
            &self.session.run,
            &self.session.abort,
            &self.chrome,
            self.chrome.reveal_result > 0,
            commands,
        );
        self.chrome.reveal_result = if revealed {
            0
        } else {
            self.chrome.reveal_result.saturating_sub(1)
        };
        if let Some(notice) = self.chrome.loose_notice() {
            ui.weak(notice);
        }
        for notice in self.state.notices() {
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
        let running = self.is_running();
        ui.add_space(4.0);
        ui.heading(tr(T::DetailsTitle));
        ui.add_space(4.0);
        // The latest event first: what the server just answered, then the link.
        let revealed = details_panel::answer_section_ui(
            ui,
            &self.session.run,
            &self.chrome,
            self.chrome.reveal_answer > 0,
            commands,
        );
        self.chrome.reveal_answer = if revealed {
            0
        } else {
            self.chrome.reveal_answer.saturating_sub(1)
        };
        let chosen_len = match self.form.upload.state {
            Some(crate::prepare::FileState::File { len_bytes }) => Some(len_bytes),
            _ => None,
        };
        match (self.form.post_form(), self.form.parts_set()) {
            (Some(post), _) => {
                details_panel::form_section_ui(ui, post, now, &self.chrome, commands)
            }
            (_, Some(set)) => {
                let board = match &self.session.run {
                    RunState::Running { parts, .. } => parts.as_ref(),
                    _ => None,
                };
                details_panel::parts_section_ui(ui, set, chosen_len, now, board)
            }
            _ => details_panel::link_section_ui(
                ui,
                self.form.link(),
                findings,
                now,
                &self.chrome,
                commands,
            ),
        }
        if let Ok(link) = self.form.link() {
            ui.add_enabled_ui(!running, |ui| {
                details_panel::check_section_ui(ui, link, &self.session.check, commands);
            });
        }
        super::explain_panel::pasted_section_ui(ui, &self.session.pasted, &self.chrome, commands);
        let operation = self.form.operation();
        // A multipart upload's parts carry no file type: there is nothing to choose.
        if self.form.parts_set().is_none() {
            ui.add_enabled_ui(!running, |ui| {
                details_panel::choices_ui(
                    ui,
                    &self.form.link,
                    operation,
                    &self.form.upload.content_type,
                    commands,
                );
            });
        }
        // The request the button will send (or the one running): never an older one.
        let plan = match &self.session.run {
            RunState::Running { plan, .. } => Some(plan.clone()),
            _ => self.form.readiness(now).ok(),
        };
        details_panel::request_section_ui(ui, plan.as_ref(), &self.chrome, commands);
        super::history_panel::history_ui(ui, &self.session.history, running, commands);
        ui.add_enabled_ui(!running, |ui| {
            if super::settings_panel::settings_ui(ui, &mut self.state.settings) {
                commands.push(Command::SettingsChanged);
            }
        });
    }

    /// Saves where the window is, for the next start (when it closes).
    pub fn save_on_exit(&mut self) {
        self.state.save_on_exit(self.chrome.geometry);
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

/// What the window says of how the chosen file goes through a multipart set.
fn parts_note(form: &Form) -> Option<String> {
    let set = form.parts_set()?;
    let len = match form.upload.state {
        Some(crate::prepare::FileState::File { len_bytes }) => Some(len_bytes),
        _ => None,
    };
    crate::present::parts_note(set, len)
}
