//! The one place where commands and background messages change the app's state.

use std::path::PathBuf;

use super::Command;
use super::app::PresignDeskApp;
use super::background::{self, DialogResult, Message};
use super::state::{Explained, HistoryEntry, RetryNotice, RunState};
use crate::content_type::{self, ContentTypeChoice};
use crate::diagnose::Fix;
use crate::link::{Operation, PresignedLink};
use crate::text::{T, fill, tr};
use crate::transfer::{self, CancellationToken, Outcome, TransferEvent, naming};

impl PresignDeskApp {
    /// Applies background results.
    pub(super) fn receive(&mut self) {
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
                        *retry = Some(RetryNotice {
                            next_attempt,
                            max_attempts,
                            delay,
                            reason,
                        });
                    }
                }
                Message::Finished(outcome, probe) => self.finish(outcome, probe),
                Message::Checked(answer) => self.checked(answer),
            }
        }
    }

    /// "Check link" answered: keep what it proved, and the server's clock.
    fn checked(
        &mut self,
        answer: Box<Result<crate::transfer::ProbeAnswer, crate::transfer::TransferError>>,
    ) {
        use crate::transfer::ProbeAnswer;
        let date = match answer.as_ref() {
            Ok(ProbeAnswer::Accepted { response, .. }) => response.date.clone(),
            Ok(ProbeAnswer::Refused(refusal)) => refusal.response.date.clone(),
            Err(_) => None,
        };
        self.note_server_date(date.as_deref());
        if let Ok(link) = &self.link {
            self.check = super::state::CheckState::done(answer, link);
        }
    }

    /// Compares this computer's clock with a server's `Date`: far apart, the countdown follows
    /// the server's.
    fn note_server_date(&mut self, date: Option<&str>) {
        if let Some(server) = date.and_then(crate::diagnose::parse_server_time) {
            self.clock_offset_secs = Some(jiff::Timestamp::now().as_second() - server.as_second());
        }
    }

    fn finish(&mut self, outcome: Outcome, probe: Option<crate::diagnose::ProbeVerdict>) {
        let date = match &outcome {
            Outcome::Succeeded(success) => success.response.date.clone(),
            Outcome::Refused(refusal) => refusal.response.date.clone(),
            _ => None,
        };
        self.note_server_date(date.as_deref());
        if let Some(started) = self.transfer_started.take()
            && self.report_transfers
        {
            eprintln!("transfer finished in {} ms", started.elapsed().as_millis());
        }
        let previous = std::mem::replace(&mut self.run, RunState::Idle);
        if let RunState::Running { plan, .. } = previous {
            self.history.push(HistoryEntry::new(
                &plan,
                &outcome,
                self.upload.content_type.clone(),
            ));
            let explained = Explained::of(&outcome, &plan, probe);
            self.reveal_result = 10;
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
        if self.closing {
            self.close_now = true;
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, command: Command) {
        self.notice = None;
        match command {
            Command::LinkEdited => {
                self.link = PresignedLink::parse(&self.link_text);
                self.check = super::state::CheckState::None;
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
            Command::PasteLink => {
                self.awaiting_paste = true;
                self.paste_requested = true;
            }
            Command::LinkPasted(text) => {
                self.link_text = text.trim().to_owned();
                self.apply(Command::LinkEdited);
            }
            Command::OperationChosen(operation) => {
                if self.operation != operation {
                    self.operation = operation;
                    self.clear_result();
                }
            }
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
            Command::SettingsChanged => self.save_settings(),
            Command::ToggleDetails => {
                self.settings.show_details = !self.settings.show_details;
                self.save_settings();
            }
            Command::ShowAnswer => {
                self.reveal_answer = 10;
                if !self.settings.show_details {
                    self.apply(Command::ToggleDetails);
                }
            }
            Command::LanguageChosen(language) => {
                self.choose_language(language);
                self.save_settings();
            }
            Command::ThemeChosen(theme) => {
                self.settings.theme = theme;
                self.save_settings();
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
            Command::CheckLink => {
                if let (Ok(link), Ok(client)) = (&self.link, &self.client) {
                    self.check = super::state::CheckState::Running;
                    super::background::check_link(
                        &self.runtime,
                        self.mailbox.clone(),
                        client.clone(),
                        crate::secret::Secret::new(link.as_sent()),
                    );
                }
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
            Command::CopySecret(text) => {
                self.copy_requests.push(text);
                self.notice = Some(tr(T::CopiedSecret).to_owned());
            }
            Command::UseAgain(index) => self.use_again(index),
            Command::CloseAndCancel => {
                self.confirm_close = false;
                self.closing = true;
                self.apply(Command::Cancel);
                if !self.run.is_running() {
                    self.close_now = true;
                }
            }
            Command::KeepOpen => self.confirm_close = false,
        }
    }

    fn save_settings(&mut self) {
        if let Some(path) = self.settings_path.clone() {
            self.settings_saver.save(
                &self.runtime,
                self.mailbox.clone(),
                self.settings.clone(),
                path,
            );
        }
    }

    /// Fills the form as for an earlier transfer: its link, its file or destination, its type.
    fn use_again(&mut self, index: usize) {
        let Some(entry) = self.history.get(index).cloned() else {
            return;
        };
        if self.run.is_running() {
            return;
        }
        self.link_text = entry.link.expose().to_owned();
        self.apply(Command::LinkEdited);
        self.operation = entry.operation;
        match entry.operation {
            Operation::Put => {
                self.upload.path = entry.path.clone();
                self.apply(Command::FileEdited);
                self.upload.content_type = entry.content_type;
            }
            Operation::Get => {
                let path = PathBuf::from(&entry.path);
                if let (Some(folder), Some(name)) = (path.parent(), path.file_name()) {
                    self.download.folder = folder.display().to_string();
                    self.download.name = name.to_string_lossy().into_owned();
                    self.name_follows_link = false;
                    self.apply(Command::DestinationEdited);
                }
            }
        }
    }

    /// Checks the upload path again, off the UI thread.
    pub(super) fn recheck_file(&mut self) {
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
        if self.run.is_running() {
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
        self.transfer_started = Some(std::time::Instant::now());
    }
}
