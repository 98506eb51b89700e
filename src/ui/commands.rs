//! The one place where commands and background messages change the app's parts.

use std::path::PathBuf;

use super::Command;
use super::app::PresignDeskApp;
use super::background::{self, DialogResult, Message};
use super::session::{CheckState, RetryNotice, RunState};
use crate::content_type::ContentTypeChoice;
use crate::diagnose::Fix;
use crate::link::Operation;
use crate::text::{T, tr};
use crate::transfer::{self, CancellationToken, Outcome, TransferEvent};

impl PresignDeskApp {
    /// Applies background results.
    pub(super) fn receive(&mut self) {
        let (state, form, session, chrome, runtime) = self.parts_mut();
        if let Some(p) = runtime.mailbox.take_progress()
            && let RunState::Running { progress, .. } = &mut session.run
        {
            *progress = Some(p);
        }
        let mut follow_up = Vec::new();
        while let Some(message) = runtime.next_message() {
            match message {
                Message::FileChecked(path, state) => {
                    if path == form.upload.path {
                        form.upload.state = Some(state);
                        digest_if_needed(form, runtime);
                    }
                }
                Message::Digested(path, result) => {
                    if path == form.upload.path {
                        match result {
                            Ok(digests) => form.upload.digests = Some(digests),
                            Err(reason) => {
                                form.upload.state = Some(crate::prepare::FileState::Missing(reason))
                            }
                        }
                    }
                }
                Message::DestinationChecked(folder, name, state) => {
                    if folder == form.download.folder && name == form.download.name {
                        form.download.state = Some(state);
                    }
                }
                Message::SettingsNotSaved(reason) => state.save_failed(&reason),
                Message::OpenFailed(reason) => chrome.note(reason, None),
                Message::FreeName(name) => {
                    form.free_name(name);
                    follow_up.push(Command::DestinationEdited);
                }
                Message::FilePicked(result) => {
                    chrome.dialog_unavailable = matches!(result, DialogResult::Unavailable);
                    if let DialogResult::Chosen(path) = result {
                        follow_up.push(Command::FileChosen(path));
                    }
                }
                Message::FolderPicked(result) => {
                    chrome.dialog_unavailable = matches!(result, DialogResult::Unavailable);
                    if let DialogResult::Chosen(path) = result {
                        form.download.folder = path.display().to_string();
                        follow_up.push(Command::DestinationEdited);
                    }
                }
                Message::Transfer(TransferEvent::Progress(p)) => {
                    if let RunState::Running { progress, .. } = &mut session.run {
                        *progress = Some(p);
                    }
                }
                Message::Transfer(TransferEvent::Retrying {
                    next_attempt,
                    max_attempts,
                    delay,
                    reason,
                }) => {
                    if let RunState::Running { retry, .. } = &mut session.run {
                        *retry = Some(RetryNotice {
                            next_attempt,
                            max_attempts,
                            delay,
                            reason,
                        });
                    }
                }
                Message::Transfer(TransferEvent::PartialLeft { path, reason }) => {
                    chrome.note(crate::present::partial_left_notice(&path, &reason), None);
                }
                Message::Finished(outcome, probe) => {
                    if let Some(report) = &mut chrome.report
                        && let Some(started) = report.transfer_started.take()
                    {
                        eprintln!("transfer finished in {} ms", started.elapsed().as_millis());
                    }
                    let succeeded =
                        session.finish(outcome, probe, form.upload.content_type.clone());
                    chrome.reveal_result = 10;
                    // A success leaves the form done until something changes; a finished
                    // download now occupies its name, but it is the file just saved.
                    form.done = succeeded.is_some();
                    form.download.replace_existing = false;
                    if chrome.closing {
                        chrome.close_now = true;
                    }
                    form.download.state = None;
                    background::check_destination(
                        runtime,
                        form.download.folder.clone(),
                        form.download.name.clone(),
                    );
                    if form.operation() == Operation::Put && !form.upload.path.is_empty() {
                        form.upload.state = None;
                        background::check_file(runtime, form.upload.path.clone());
                    }
                }
                Message::Checked(answer) => {
                    use crate::transfer::ProbeAnswer;
                    let date = match answer.as_ref() {
                        Ok(ProbeAnswer::Accepted { response, .. }) => response.date.clone(),
                        Ok(ProbeAnswer::Refused(refusal)) => refusal.response.date.clone(),
                        Err(_) => None,
                    };
                    session.note_server_date(date.as_deref());
                    if let Ok(link) = form.link() {
                        session.check = CheckState::done(answer, link);
                    }
                }
            }
        }
        for command in follow_up {
            self.apply(command);
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, command: Command) {
        let (state, form, session, chrome, runtime) = self.parts_mut();
        // A note says what the last action did; the next action replaces it.
        chrome.notice = None;
        match command {
            Command::LinkEdited => {
                form.link_edited();
                digest_if_needed(form, runtime);
                session.check = CheckState::None;
                session.clear_result();
                if chrome.report.is_some()
                    && let Ok(link) = form.link()
                {
                    eprintln!("link shown: {}", crate::link::target_name(link));
                }
                background::check_destination(
                    runtime,
                    form.download.folder.clone(),
                    form.download.name.clone(),
                );
            }
            Command::PasteLink => chrome.request_paste(),
            Command::LinkPasted(text) => {
                form.paste(&text);
                self.apply(Command::LinkEdited);
            }
            Command::PasteFoundNoText => chrome.note(tr(T::PasteNoText), None),
            Command::OperationChosen(operation) => {
                if form.chosen != operation {
                    form.chosen = operation;
                    form.done = false;
                    session.clear_result();
                }
            }
            Command::OperationOverridden(operation) => {
                let stated = form.link().as_ref().ok().and_then(|l| l.operation);
                form.overridden = (stated != Some(operation)).then_some(operation);
                form.done = false;
                session.clear_result();
            }
            Command::FileEdited => {
                form.file_edited();
                chrome.dialog_unavailable = false;
                if !form.upload.path.trim().is_empty() {
                    background::check_file(runtime, form.upload.path.clone());
                }
            }
            Command::FileChosen(path) => {
                form.upload.path = path.display().to_string();
                // For a link that does not say, a file chosen means an upload; a link that
                // says download keeps the file aside.
                form.chosen = Operation::Put;
                self.apply(Command::FileEdited);
            }
            Command::RequestEdited => form.content_type_edited(),
            Command::PickFile => {
                let start = form.upload.file().parent().map(PathBuf::from);
                background::pick(runtime, false, start);
            }
            Command::PickFolder => {
                let start = Some(crate::prepare::file_path(&form.download.folder));
                background::pick(runtime, true, start);
            }
            Command::NameEdited | Command::DestinationEdited => {
                form.destination_edited(command == Command::NameEdited);
                chrome.dialog_unavailable = false;
                background::check_destination(
                    runtime,
                    form.download.folder.clone(),
                    form.download.name.clone(),
                );
            }
            Command::ReplaceExisting => form.download.replace_existing = true,
            Command::KeepBoth => background::find_free_name(
                runtime,
                form.download.folder.clone(),
                form.download.name.clone(),
            ),
            Command::SendAnyway(yes) => form.send_anyway = yes,
            Command::Start => self.start(),
            Command::UploadAnother => {
                form.done = false;
                session.clear_result();
                self.apply(Command::PickFile);
            }
            Command::SettingsChanged => state.save(runtime),
            Command::ToggleDetails => {
                state.settings.show_details = !state.settings.show_details;
                state.save(runtime);
            }
            Command::ShowAnswer => {
                chrome.reveal_answer = 10;
                if !state.settings.show_details {
                    state.settings.show_details = true;
                    state.save(runtime);
                }
            }
            Command::LanguageChosen(language) => {
                state.choose_language(language);
                state.save(runtime);
            }
            Command::ThemeChosen(theme) => {
                state.settings.theme = theme;
                state.save(runtime);
            }
            Command::ApplyFix(fix) => {
                form.upload.content_type = match fix {
                    Fix::SendWithoutContentType => ContentTypeChoice {
                        value: form.upload.content_type.value.clone(),
                        send_header: false,
                    },
                    Fix::SendWithContentType(value) => ContentTypeChoice::send(value),
                };
                form.done = false;
                self.start();
            }
            Command::CheckLink => {
                if let (Ok(link), Ok(client)) = (form.link(), &runtime.client) {
                    session.check = CheckState::Running;
                    background::check_link(
                        runtime,
                        client.clone(),
                        crate::secret::Secret::new(link.as_sent()),
                    );
                }
            }
            Command::Cancel => {
                if let RunState::Running { cancel, .. } = &session.run {
                    cancel.cancel();
                }
            }
            Command::Copy { text, secret, from } => {
                chrome.copy(text);
                chrome.note(super::chrome::copied_text(secret), Some(from));
            }
            Command::OpenFile(path) => background::open_path(runtime, path, false),
            Command::ShowInFolder(path) => background::open_path(runtime, path, true),
            Command::UseAgain(index) => self.use_again(index),
            Command::CloseAndCancel => {
                chrome.confirm_close = false;
                chrome.closing = true;
                let running = session.run.is_running();
                self.apply(Command::Cancel);
                if !running {
                    self.parts_mut().3.close_now = true;
                }
            }
            Command::KeepOpen => chrome.confirm_close = false,
        }
    }

    /// Fills the form as for an earlier transfer: its link, its file or destination, its type.
    fn use_again(&mut self, index: usize) {
        let Some(entry) = self.session().history.get(index).cloned() else {
            return;
        };
        if self.is_running() {
            return;
        }
        let (_, form, ..) = self.parts_mut();
        form.link_text = entry.link.expose().to_owned();
        self.apply(Command::LinkEdited);
        let (_, form, ..) = self.parts_mut();
        form.chosen = entry.operation;
        let stated = form.link().as_ref().ok().and_then(|l| l.operation);
        form.overridden =
            (stated.is_some() && stated != Some(entry.operation)).then_some(entry.operation);
        match entry.operation {
            Operation::Put => {
                form.upload.path = entry.path.clone();
                self.apply(Command::FileEdited);
                self.parts_mut().1.upload.content_type = entry.content_type;
            }
            Operation::Get => {
                let path = PathBuf::from(&entry.path);
                if let (Some(folder), Some(name)) = (path.parent(), path.file_name()) {
                    form.use_destination(
                        folder.display().to_string(),
                        name.to_string_lossy().into_owned(),
                    );
                    self.apply(Command::DestinationEdited);
                }
            }
        }
    }

    fn start(&mut self) {
        let (state, form, session, chrome, runtime) = self.parts_mut();
        if session.run.is_running() || form.done {
            return;
        }
        let (now, _) =
            crate::clock::on_server_clock(jiff::Timestamp::now(), session.clock_offset_secs);
        let Ok(mut plan) = form.readiness(now) else {
            return;
        };
        if form.name_follows_link() {
            plan = plan.with_name_from_response();
        }
        let client = match &runtime.client {
            Ok(client) => client.clone(),
            Err(reason) => {
                session.run = RunState::Finished {
                    outcome: Outcome::Failed(transfer::TransferError::Connect(reason.clone())),
                    plan,
                    explained: None,
                };
                return;
            }
        };
        let cancel = CancellationToken::new();
        background::start_transfer(
            runtime,
            client,
            plan.clone(),
            state.settings.transfer_options(),
            cancel.clone(),
        );
        session.run = RunState::Running {
            cancel,
            progress: None,
            retry: None,
            plan,
        };
        chrome.dialog_unavailable = false;
        if let Some(report) = &mut chrome.report {
            report.transfer_started = Some(std::time::Instant::now());
        }
    }
}

/// Computes the file's digests when the link signs headers that carry them (and the file is
/// known to be there).
fn digest_if_needed(form: &super::form::Form, runtime: &background::Runtime) {
    let (Ok(link), Some(crate::prepare::FileState::File { .. })) =
        (form.link(), &form.upload.state)
    else {
        return;
    };
    let digests = crate::signed_headers::digests(&crate::signed_headers::needed(link));
    let known = form.upload.digests.as_deref().unwrap_or_default();
    if digests.iter().any(|d| !known.iter().any(|(k, _)| k == d)) {
        background::digest_file(runtime, form.upload.path.clone(), digests);
    }
}
