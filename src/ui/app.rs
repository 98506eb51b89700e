//! The app state and the one place where commands and background messages change it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use jiff::Timestamp;

use super::background::{self, DialogResult, Mailbox, Message};
use super::{Command, details_panel, form_panel, link_panel, result_panel, settings_panel};
use crate::content_type::{self, ContentTypeChoice};
use crate::diagnose::{Answer, Attempt, Diagnosis, Fix, creator_message, diagnose};
use crate::link::{Finding, LinkError, Operation, PresignedLink};
use crate::prepare::{self, Blocker, DownloadForm, UploadForm};
use crate::settings::Settings;
use crate::text::{T, fill, tr};
use crate::transfer::{self, CancellationToken, Outcome, Plan, Progress, TransferEvent, naming};

/// Where the transfer stands.
pub enum RunState {
    /// Nothing running.
    Idle,
    /// A transfer is running.
    Running {
        /// Cancels it.
        cancel: CancellationToken,
        /// The latest progress, once some arrived.
        progress: Option<Progress>,
        /// The latest retry notice.
        retry: Option<String>,
        /// What it does.
        plan: Plan,
    },
    /// The last transfer ended.
    Finished {
        /// How.
        outcome: Outcome,
        /// What was sent.
        plan: Plan,
        /// The explanation of a refusal, with the message for the link's creator.
        explained: Option<Box<Explained>>,
    },
}

/// A refusal explained, computed once when it arrives.
pub struct Explained {
    /// What happened, why, and what to do.
    pub diagnosis: Diagnosis,
    /// The text of "Copy message for the link's creator".
    pub creator_message: String,
}

impl Explained {
    fn of(outcome: &Outcome, plan: &Plan) -> Option<Box<Self>> {
        let Outcome::Refused(refusal) = outcome else {
            return None;
        };
        let link = PresignedLink::parse(plan.url.expose()).ok();
        let attempt = Attempt::of_plan(plan, link.as_ref());
        let diagnosis = diagnose(&attempt, &Answer::of_refusal(refusal), Timestamp::now());
        let creator_message =
            creator_message(&attempt, &diagnosis, refusal.response.request_id.as_deref());
        Some(Box::new(Self {
            diagnosis,
            creator_message,
        }))
    }
}

/// The PresignDesk window's state.
pub struct PresignDeskApp {
    runtime: tokio::runtime::Handle,
    client: Result<reqwest::Client, String>,
    mailbox: Mailbox,
    inbox: Receiver<Message>,
    /// The link as typed or pasted.
    pub link_text: String,
    link: Result<PresignedLink, LinkError>,
    /// Upload or download.
    pub operation: Operation,
    /// The upload inputs.
    pub upload: UploadForm,
    /// The download inputs.
    pub download: DownloadForm,
    /// The download name still follows the link (the user has not typed one).
    name_follows_link: bool,
    /// The tester chose to send an expired link anyway.
    pub send_expired: bool,
    /// The last dialog could not open on this system.
    pub dialog_unavailable: bool,
    /// The transfer.
    pub run: RunState,
    /// A short note after an action ("Copied.").
    pub notice: Option<String>,
    /// Texts to put on the clipboard at the end of the frame.
    copy_requests: Vec<String>,
    /// The user's settings.
    pub settings: Settings,
    /// Where they are saved (`None`: not saved, as in tests).
    settings_path: Option<PathBuf>,
    /// A problem with the settings file, shown until the window closes.
    pub settings_notice: Option<String>,
    settings_saver: background::SettingsSaver,
}

impl PresignDeskApp {
    /// A new window state; `url` fills the link field.
    pub fn new(runtime: tokio::runtime::Handle, url: Option<String>) -> Self {
        let (sender, inbox) = channel();
        let mut app = Self {
            client: transfer::http_client().map_err(|e| e.without_url().to_string()),
            mailbox: Mailbox::new(sender),
            runtime,
            inbox,
            link_text: url.unwrap_or_default(),
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
            notice: None,
            copy_requests: Vec::new(),
            settings: Settings::default(),
            settings_path: None,
            settings_notice: None,
            settings_saver: background::SettingsSaver::default(),
        };
        app.apply(Command::LinkEdited);
        app.apply(Command::DestinationEdited);
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
        self.mailbox.attach(ui.ctx());
        self.receive();
        let mut commands = Vec::new();
        self.take_dropped_files(ui.ctx(), &mut commands);
        let now = Timestamp::now();

        egui::Panel::top("title").show(ui, |ui| {
            ui.add_space(4.0);
            ui.heading(tr(T::AppTitle));
            ui.add_space(2.0);
        });
        let findings = match &self.link {
            Ok(link) => link.findings(now, Some(self.operation)),
            Err(_) => Vec::new(),
        };
        egui::Panel::right("details")
            .resizable(true)
            .default_size(380.0)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    details_panel::details_ui(ui, &self.link, &findings, now, &mut commands);
                });
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                self.main_ui(ui, now, &findings, &mut commands);
            });
        });
        drop_overlay_ui(ui.ctx());

        // A live countdown needs one repaint a second, not a busy loop.
        if matches!(&self.link, Ok(link) if link.expires_at.is_some()) {
            ui.ctx().request_repaint_after(Duration::from_secs(1));
        }
        for command in commands {
            self.apply(command);
        }
        for text in self.copy_requests.drain(..) {
            ui.ctx().copy_text(text);
        }
    }

    fn main_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: Timestamp,
        findings: &[Finding],
        commands: &mut Vec<Command>,
    ) {
        let running = matches!(self.run, RunState::Running { .. });
        ui.add_enabled_ui(!running, |ui| {
            link_panel::link_ui(ui, &mut self.link_text, &self.link, now, commands);
            // What stops the link from working belongs beside it, not only in the details.
            details_panel::findings_ui(ui, &crate::link::findings::blocking(findings));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let put = ui.radio_value(&mut self.operation, Operation::Put, tr(T::ModeUpload));
                let get = ui.radio_value(&mut self.operation, Operation::Get, tr(T::ModeDownload));
                if put.changed() || get.changed() {
                    commands.push(Command::OperationChosen);
                }
            });
            ui.add_space(6.0);
            match self.operation {
                Operation::Put => form_panel::upload_ui(
                    ui,
                    &mut self.upload,
                    self.link.as_ref().ok(),
                    self.dialog_unavailable,
                    commands,
                ),
                Operation::Get => form_panel::download_ui(
                    ui,
                    &mut self.download,
                    self.dialog_unavailable,
                    commands,
                ),
            }
        });
        ui.add_space(10.0);
        ui.separator();
        let readiness = self.readiness();
        let expired = matches!(&self.link, Ok(link) if link.is_expired(now));
        result_panel::action_ui(
            ui,
            self.operation,
            &readiness,
            expired,
            &mut self.send_expired,
            &self.run,
            commands,
        );
        result_panel::outcome_ui(ui, &self.run, self.notice.as_deref(), commands);
        ui.add_space(10.0);
        if let Some(notice) = &self.settings_notice {
            ui.colored_label(link_panel::WARN, notice);
        }
        ui.add_enabled_ui(!running, |ui| {
            if settings_panel::settings_ui(ui, &mut self.settings) {
                commands.push(Command::SettingsChanged);
            }
        });
    }

    fn take_dropped_files(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if matches!(self.run, RunState::Running { .. }) {
            return;
        }
        if let Some(path) = dropped.first().map(|f| f.path().to_owned()) {
            self.upload.path = path.display().to_string();
            self.operation = Operation::Put;
            commands.push(Command::FileEdited);
        }
    }

    /// Applies background results.
    fn receive(&mut self) {
        while let Ok(message) = self.inbox.try_recv() {
            match message {
                Message::FileChecked(path, state) => {
                    if path == self.upload.path {
                        self.upload.state = Some(state);
                    }
                }
                Message::DestinationChecked(folder, name, state) => {
                    if folder == self.download.folder && name == self.download.name {
                        self.download.state = Some(state);
                    }
                }
                Message::SettingsNotSaved(reason) => {
                    self.settings_notice =
                        Some(fill(T::SettingsSaveFailed, &[("reason", &reason)]));
                }
                Message::FreeName(name) => {
                    self.download.name = name;
                    self.name_follows_link = false;
                    self.apply(Command::DestinationEdited);
                }
                Message::FilePicked(result) => {
                    self.dialog_unavailable = matches!(result, DialogResult::Unavailable);
                    if let DialogResult::Chosen(path) = result {
                        self.upload.path = path.display().to_string();
                        self.apply(Command::FileEdited);
                    }
                }
                Message::FolderPicked(result) => {
                    self.dialog_unavailable = matches!(result, DialogResult::Unavailable);
                    if let DialogResult::Chosen(path) = result {
                        self.download.folder = path.display().to_string();
                        self.apply(Command::DestinationEdited);
                    }
                }
                Message::Transfer(TransferEvent::Progress(p)) => {
                    if let RunState::Running { progress, .. } = &mut self.run {
                        *progress = Some(p);
                    }
                }
                Message::Transfer(TransferEvent::Retrying {
                    next_attempt,
                    max_attempts,
                    delay,
                    reason,
                }) => {
                    if let RunState::Running { retry, .. } = &mut self.run {
                        *retry = Some(fill(
                            T::Retrying,
                            &[
                                ("attempt", &next_attempt.to_string()),
                                ("max", &max_attempts.to_string()),
                                ("delay", &crate::format::duration(delay)),
                                ("reason", &reason),
                            ],
                        ));
                    }
                }
                Message::Finished(outcome) => {
                    let previous = std::mem::replace(&mut self.run, RunState::Idle);
                    if let RunState::Running { plan, .. } = previous {
                        let explained = Explained::of(&outcome, &plan);
                        self.run = RunState::Finished {
                            outcome,
                            plan,
                            explained,
                        };
                    }
                    // A finished download now occupies its name; the file may have changed.
                    // The user's Content-Type choice stays as it was.
                    self.download.replace_existing = false;
                    self.apply(Command::DestinationEdited);
                    self.recheck_file();
                }
            }
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, command: Command) {
        self.notice = None;
        match command {
            Command::LinkEdited => {
                self.link = PresignedLink::parse(&self.link_text);
                self.clear_result();
                self.send_expired = false;
                if let Ok(link) = &self.link {
                    if let Some(operation) = link.operation {
                        self.operation = operation;
                    }
                    if self.name_follows_link {
                        self.download.name = naming::file_name_for(link);
                        self.apply(Command::DestinationEdited);
                    }
                }
                self.refresh_content_type();
            }
            Command::OperationChosen => self.clear_result(),
            Command::FileEdited => {
                self.refresh_content_type();
                self.recheck_file();
            }
            Command::PickFile => {
                let start = PathBuf::from(self.upload.path.trim())
                    .parent()
                    .map(PathBuf::from);
                background::pick(&self.runtime, self.mailbox.clone(), false, start);
            }
            Command::PickFolder => {
                let start = Some(PathBuf::from(self.download.folder.trim()));
                background::pick(&self.runtime, self.mailbox.clone(), true, start);
            }
            Command::NameEdited => {
                self.name_follows_link = false;
                self.apply(Command::DestinationEdited);
            }
            Command::DestinationEdited => {
                self.download.state = None;
                background::check_destination(
                    &self.runtime,
                    self.mailbox.clone(),
                    self.download.folder.clone(),
                    self.download.name.clone(),
                );
            }
            Command::KeepBoth => background::find_free_name(
                &self.runtime,
                self.mailbox.clone(),
                self.download.folder.clone(),
                self.download.name.clone(),
            ),
            Command::Start => self.start(),
            Command::SettingsChanged => {
                if let Some(path) = self.settings_path.clone() {
                    self.settings_saver.save(
                        &self.runtime,
                        self.mailbox.clone(),
                        self.settings.clone(),
                        path,
                    );
                }
            }
            Command::ApplyFix(fix) => {
                self.upload.content_type = match fix {
                    Fix::SendWithoutContentType => ContentTypeChoice {
                        value: self.upload.content_type.value.clone(),
                        send_header: false,
                    },
                    Fix::SendWithContentType(value) => ContentTypeChoice::send(value),
                };
                self.start();
            }
            Command::Cancel => {
                if let RunState::Running { cancel, .. } = &self.run {
                    cancel.cancel();
                }
            }
            Command::Copy(text) => {
                self.copy_requests.push(text);
                self.notice = Some(tr(T::Copied).to_owned());
            }
        }
    }

    /// Checks the upload path again, off the UI thread.
    fn recheck_file(&mut self) {
        self.upload.state = None;
        if !self.upload.path.trim().is_empty() {
            background::check_file(
                &self.runtime,
                self.mailbox.clone(),
                self.upload.path.clone(),
            );
        }
    }

    /// Forgets the last result: it described another link or operation.
    fn clear_result(&mut self) {
        if matches!(self.run, RunState::Finished { .. }) {
            self.run = RunState::Idle;
        }
    }

    fn refresh_content_type(&mut self) {
        let path = self.upload.path.trim();
        if path.is_empty() {
            return;
        }
        self.upload.content_type =
            content_type::default_choice(self.link.as_ref().ok(), std::path::Path::new(path));
    }

    fn start(&mut self) {
        if matches!(self.run, RunState::Running { .. }) {
            return;
        }
        let Ok(mut plan) = self.readiness() else {
            return;
        };
        if self.name_follows_link {
            plan = plan.with_name_from_response();
        }
        let client = match &self.client {
            Ok(client) => client.clone(),
            Err(reason) => {
                self.run = RunState::Finished {
                    outcome: Outcome::Failed(transfer::TransferError::Connect(reason.clone())),
                    plan,
                    explained: None,
                };
                return;
            }
        };
        let cancel = CancellationToken::new();
        background::start_transfer(
            &self.runtime,
            self.mailbox.clone(),
            client,
            plan.clone(),
            self.settings.transfer_options(),
            cancel.clone(),
        );
        self.run = RunState::Running {
            cancel,
            progress: None,
            retry: None,
            plan,
        };
    }
}

impl eframe::App for PresignDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        PresignDeskApp::ui(self, ui);
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

fn drop_overlay_ui(ctx: &egui::Context) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-overlay"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(180));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        tr(T::DropHere),
        egui::FontId::proportional(28.0),
        egui::Color32::WHITE,
    );
}
