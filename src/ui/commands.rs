//! The window's update, as a reducer: [`step`] applies one [`Command`] to the app's parts and
//! [`received`] one background [`Message`]; each returns the background work to start as
//! [`Effect`]s, which the app hands to the runtime ([`PresignDeskApp::apply`],
//! [`PresignDeskApp::receive`]). A step never applies another command: what two commands share
//! is a named function below, so commands take effect in the order they came.

use std::path::PathBuf;

use super::Command;
use super::app::PresignDeskApp;
use super::background::{DialogResult, Message};
use super::chrome::Chrome;
use super::form::Form;
use super::session::{AbortState, CheckState, PastedResult, RunState, Session};
use super::state::State;
use crate::content_type::ContentTypeChoice;
use crate::diagnose::Fix;
use crate::link::Operation;
use crate::secret::Secret;
use crate::text::{T, tr};
use crate::transfer::{self, CancellationToken, Outcome, Plan};

/// The parts of the app a command changes, and the HTTP client the work it starts uses.
pub(super) struct Parts<'a> {
    pub state: &'a mut State,
    pub form: &'a mut Form,
    pub session: &'a mut Session,
    pub chrome: &'a mut Chrome,
    /// The client, or why none could be made.
    pub client: &'a Result<reqwest::Client, String>,
}

/// Background work a step asks for; its result comes back as a [`Message`].
#[derive(Debug)]
pub(super) enum Effect {
    /// What is at the upload path.
    CheckFile(String),
    /// The digests of the file at the path, for the headers the link signs.
    Digest(String, Vec<crate::signed_headers::Digest>),
    /// What is at the download's folder and name.
    CheckDestination { folder: String, name: String },
    /// A free name beside the existing file ("keep both").
    FindFreeName { folder: String, name: String },
    /// The file (or, with `folder`, the folder) chooser.
    Pick {
        folder: bool,
        start_in: Option<PathBuf>,
    },
    /// The transfer of `plan`.
    Transfer {
        client: reqwest::Client,
        plan: Box<Plan>,
        options: transfer::Options,
        cancel: CancellationToken,
    },
    /// "Check link": a download of the link's first byte.
    CheckLink {
        client: reqwest::Client,
        url: Secret,
    },
    /// Remove a cancelled multipart upload from the storage.
    AbortUpload {
        client: reqwest::Client,
        set: Box<crate::link::parts::PartsSet>,
        records: Option<PathBuf>,
    },
    /// Open the file with its program, or show it in its folder (`reveal`).
    Open { path: PathBuf, reveal: bool },
    /// Save the settings as they are now.
    SaveSettings,
    /// Walk the files and folders given for the queue.
    GatherFiles(Vec<PathBuf>),
    /// Send one row of the queue.
    QueueRow {
        row: usize,
        item: Box<crate::queue::Item>,
        how: std::sync::Arc<crate::queue::How>,
        client: reqwest::Client,
        cancel: CancellationToken,
    },
    /// The safe check of the queue's links (place from 1, text).
    CheckLinks {
        client: reqwest::Client,
        links: Vec<(usize, String)>,
    },
    /// A table saved through the save dialog (in `folder` when none can open).
    SaveExport {
        export: crate::queue::Export,
        folder: PathBuf,
    },
}

impl PresignDeskApp {
    /// Applies one command, then starts the work it asked for.
    pub fn apply(&mut self, command: Command) {
        let effects = step(&mut self.parts(), command);
        self.start_all(effects);
    }

    /// Applies what background work sent back since the last frame, then what it led to.
    pub(super) fn receive(&mut self) {
        for (row, progress) in self.runtime().mailbox.take_row_progress() {
            if let Some(r) = self.parts().session.queue.rows.get_mut(row)
                && r.status == super::queue::RowStatus::Running
            {
                r.progress = Some(progress);
            }
        }
        let latest = self.runtime().mailbox.take_progress();
        if let Some(latest) = latest
            && let RunState::Running { progress, .. } = &mut self.parts().session.run
        {
            *progress = Some(latest);
        }
        let mut effects = Vec::new();
        let mut follow_up = Vec::new();
        while let Some(message) = self.runtime().next_message() {
            follow_up.extend(received(&mut self.parts(), message, &mut effects));
        }
        self.start_all(effects);
        for command in follow_up {
            self.apply(command);
        }
    }
}

/// Applies `command`; the work to start, in order.
pub(super) fn step(parts: &mut Parts, command: Command) -> Vec<Effect> {
    let mut fx = Vec::new();
    let Parts {
        state,
        form,
        session,
        chrome,
        client,
    } = parts;
    // A note says what the last action did; the next action replaces it.
    chrome.notice = None;
    match command {
        Command::LinkTyped(text) => {
            form.link_text = text;
            link_edited(form, session, chrome, &mut fx);
        }
        Command::PasteLink => chrome.request_paste(),
        Command::LinkPasted(text) => {
            form.paste(&text);
            link_edited(form, session, chrome, &mut fx);
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
        Command::FileTyped(text) => {
            form.upload.path = text;
            file_edited(form, chrome, &mut fx);
        }
        Command::FileChosen(path) => file_chosen(form, chrome, path, &mut fx),
        Command::FilesChosen(paths) => {
            if !session.queue.running {
                session.queue.gathering = true;
                fx.push(Effect::GatherFiles(paths));
            }
        }
        Command::QueueLinkChosen { row, link } => session.queue.choose_link(row, link),
        Command::QueueOperationChosen(operation) => session.queue.choose_operation(operation),
        Command::QueueSave(saved) => fx.push(Effect::SaveExport {
            export: session.queue.export(saved, jiff::Timestamp::now()),
            folder: crate::prepare::file_path(&form.download.folder),
        }),
        Command::QueueStart => queue_start(state, form, session, chrome, client, &mut fx),
        Command::QueueCancel(row) => queue_cancel(&mut session.queue, row),
        Command::QueueRetryFailed => {
            if !session.queue.running {
                for at in session.queue.retriable(jiff::Timestamp::now()) {
                    session.queue.rows[at].status = super::queue::RowStatus::Waiting;
                }
                queue_start(state, form, session, chrome, client, &mut fx);
            }
        }
        Command::QueueForgetFiles => session.queue.clear_files(),
        Command::QueueCheckLinks => {
            if let Ok(client) = client {
                let queue = &mut session.queue;
                queue.checking = true;
                for row in &mut queue.table {
                    row.checked = None;
                    row.check_words = None;
                }
                let links = queue
                    .table
                    .iter()
                    .map(|row| (row.position, queue.links[row.position - 1].clone()))
                    .collect();
                fx.push(Effect::CheckLinks {
                    client: client.clone(),
                    links,
                });
            }
        }
        Command::ContentTypeTyped(value) => {
            form.upload.content_type.value = value;
            form.content_type_edited();
        }
        Command::SendNoContentType(none) => {
            form.upload.content_type.send_header = !none;
            form.content_type_edited();
        }
        Command::HeaderTyped(name, value) => {
            form.header_typed(name, value);
            form.content_type_edited();
        }
        Command::PickFile => pick_file(form, &mut fx),
        Command::PickFolder => fx.push(Effect::Pick {
            folder: true,
            start_in: Some(crate::prepare::file_path(&form.download.folder)),
        }),
        Command::DestinationEdited => destination_edited(form, chrome, false, &mut fx),
        Command::FolderTyped(folder) => {
            form.download.folder = folder;
            destination_edited(form, chrome, false, &mut fx);
        }
        Command::NameTyped(name) => {
            form.download.name = name;
            destination_edited(form, chrome, true, &mut fx);
        }
        Command::ReplaceExisting => form.download.replace_existing = true,
        Command::KeepBoth => fx.push(Effect::FindFreeName {
            folder: form.download.folder.clone(),
            name: form.download.name.clone(),
        }),
        Command::SendAnyway(yes) => form.send_anyway = yes,
        // Enter and the big button send the queue when there is one.
        Command::Start if session.queue.active() => {
            queue_start(state, form, session, chrome, client, &mut fx)
        }
        Command::Start => start(state, form, session, chrome, client, &mut fx),
        Command::UploadAnother => {
            form.done = false;
            session.clear_result();
            pick_file(form, &mut fx);
        }
        Command::SettingsChanged => fx.push(Effect::SaveSettings),
        Command::ToggleDetails => {
            state.settings.show_details = !state.settings.show_details;
            fx.push(Effect::SaveSettings);
        }
        Command::ShowAnswer => {
            chrome.reveal_answer = 10;
            if !state.settings.show_details {
                state.settings.show_details = true;
                fx.push(Effect::SaveSettings);
            }
        }
        Command::LanguageChosen(language) => {
            state.choose_language(language);
            fx.push(Effect::SaveSettings);
        }
        Command::ThemeChosen(theme) => {
            state.settings.theme = theme;
            fx.push(Effect::SaveSettings);
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
            start(state, form, session, chrome, client, &mut fx);
        }
        Command::CheckLink => {
            if let (Ok(link), Ok(client)) = (form.link(), client) {
                session.check = CheckState::Running;
                fx.push(Effect::CheckLink {
                    client: client.clone(),
                    url: Secret::new(link.as_sent()),
                });
            }
        }
        Command::PastedAnswerTyped(text) => {
            session.pasted.text = text;
            session.pasted.result = None;
        }
        Command::PastedStatusTyped(status) => {
            session.pasted.status = status;
            session.pasted.result = None;
        }
        Command::ExplainPasted => {
            explain_pasted(form, session);
            if chrome.report.is_some()
                && let Some(PastedResult::Explained(explained)) = &session.pasted.result
            {
                let first = explained.reading.diagnosis.causes.first();
                let first = first.map_or_else(|| "none".to_owned(), |c| c.id.as_str());
                eprintln!("pasted explained: {first}");
            }
        }
        Command::ClearPasted => session.pasted = Default::default(),
        Command::Cancel => cancel(session),
        Command::AbortUpload => {
            let set = match &session.run {
                RunState::Finished {
                    outcome: Outcome::Cancelled,
                    plan,
                    ..
                } => match &plan.payload {
                    transfer::Payload::Parts { set, .. } if set.abort.is_some() => {
                        Some(set.clone())
                    }
                    _ => None,
                },
                _ => None,
            };
            if let (Some(set), Ok(client)) = (set, client)
                && session.abort != AbortState::Running
            {
                session.abort = AbortState::Running;
                fx.push(Effect::AbortUpload {
                    client: client.clone(),
                    set,
                    records: state.upload_records.clone(),
                });
            }
        }
        Command::Copy { text, secret, from } => {
            chrome.copy(text);
            chrome.note(super::chrome::copied_text(secret), Some(from));
        }
        Command::OpenFile(path) => fx.push(Effect::Open {
            path,
            reveal: false,
        }),
        Command::ShowInFolder(path) => fx.push(Effect::Open { path, reveal: true }),
        Command::UseAgain(index) => use_again(form, session, chrome, index, &mut fx),
        Command::CloseAndCancel => {
            chrome.confirm_close = false;
            chrome.closing = true;
            // Closes once the transfer has stopped and removed its partial file.
            if session.run.is_running() {
                cancel(session);
            } else {
                chrome.close_now = true;
            }
        }
        Command::KeepOpen => chrome.confirm_close = false,
    }
    fx
}

/// Applies one message from background work, adding the work it leads to to `fx`; the
/// command it leads to, if any, comes back to be applied after every message of the frame.
pub(super) fn received(
    parts: &mut Parts,
    message: Message,
    fx: &mut Vec<Effect>,
) -> Option<Command> {
    let Parts {
        state,
        form,
        session,
        chrome,
        ..
    } = parts;
    match message {
        Message::FileChecked(path, state) => {
            if path == form.upload.path {
                form.upload.state = Some(state);
                digest_if_needed(form, fx);
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
        Message::FilesGathered(files) => {
            // One file found: the single screen's.
            if files.entries.len() == 1 && form.list().is_none() && form.post_form().is_none() {
                let path = files.entries[0].path.clone();
                session.queue.gathering = false;
                return Some(Command::FileChosen(path));
            }
            sync_queue_links(form, session);
            session.queue.set_files(files);
        }
        Message::QueueRowEnded {
            row,
            result,
            reason,
            saved_to,
        } => {
            if let Some(r) = session.queue.rows.get_mut(row) {
                r.status = super::queue::RowStatus::Ended { result, reason };
                r.saved_to = saved_to;
                r.progress = None;
                r.cancel = None;
            }
            queue_pump(state, form, session, parts.client, fx);
        }
        Message::LinkChecked(position, (checked, words, works)) => {
            use crate::batch::table;
            let queue = &mut session.queue;
            if let Some(row) = queue.table.iter_mut().find(|r| r.position == position) {
                row.take_check(checked, words, works);
            }
            queue.checking = queue.table.iter().any(|r| r.checked.is_none());
            if !queue.checking {
                table::sort(&mut queue.table);
            }
        }
        Message::SettingsNotSaved(reason) => state.save_failed(&reason),
        Message::OpenFailed(reason) => chrome.note(reason, None),
        Message::ExportSaved(said) => chrome.note(said, None),
        Message::FreeName(name) => {
            form.free_name(name);
            return Some(Command::DestinationEdited);
        }
        Message::FilePicked(result) => {
            chrome.dialog_unavailable = matches!(result, DialogResult::Unavailable);
            if let DialogResult::Chosen(path) = result {
                return Some(Command::FileChosen(path));
            }
        }
        Message::FolderPicked(result) => {
            chrome.dialog_unavailable = matches!(result, DialogResult::Unavailable);
            if let DialogResult::Chosen(path) = result {
                form.download.folder = path.display().to_string();
                return Some(Command::DestinationEdited);
            }
        }
        Message::Retrying(notice) => {
            if let RunState::Running { retry, .. } = &mut session.run {
                *retry = Some(notice);
            }
        }
        Message::PartsArrived { places, before } => {
            if let RunState::Running {
                parts: Some(board), ..
            } = &mut session.run
            {
                board.mark(&places, before);
            }
        }
        Message::PartialLeft { path, reason } => {
            chrome.note(crate::present::partial_left_notice(&path, &reason), None);
        }
        Message::Finished(outcome, probe) => finished(form, session, chrome, outcome, probe, fx),
        Message::Note(text) => chrome.note(text, None),
        Message::Aborted(result) => {
            session.abort = match result {
                Ok(()) => AbortState::Done,
                Err(why) => AbortState::Failed(why),
            };
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
    None
}

/// The link text changed: the form reads it again, the last result and check are forgotten,
/// the download's name may follow the new link.
fn link_edited(form: &mut Form, session: &mut Session, chrome: &Chrome, fx: &mut Vec<Effect>) {
    form.link_edited();
    sync_queue_links(form, session);
    digest_if_needed(form, fx);
    session.check = CheckState::None;
    session.clear_result();
    // A pasted answer explained for the old link is read again for the new one.
    if session.pasted.is_explained() {
        explain_pasted(form, session);
    }
    if chrome.report.is_some()
        && let Ok(link) = form.link()
    {
        eprintln!("link shown: {}", crate::link::target_name(link));
    }
    check_destination(form, fx);
}

/// The queue's links and form from the field: its list, its form, or its one link.
fn sync_queue_links(form: &Form, session: &mut Session) {
    let now = jiff::Timestamp::now();
    let one;
    let list = match (form.list(), form.link()) {
        (Some(list), _) => Some(list),
        (None, Ok(link)) => {
            one = crate::batch::LinkList {
                links: vec![link.as_sent().to_owned()],
                duplicates: Vec::new(),
            };
            Some(&one)
        }
        _ => None,
    };
    session.queue.set_links(list, form.post_form(), now);
}

/// Starts the queue: every waiting row that can go, a few at once.
fn queue_start(
    state: &State,
    form: &Form,
    session: &mut Session,
    chrome: &mut Chrome,
    client: &Result<reqwest::Client, String>,
    fx: &mut Vec<Effect>,
) {
    let queue = &mut session.queue;
    if queue.running || queue.gathering || queue.sendable() == 0 || session.run.is_running() {
        return;
    }
    if let Err(reason) = client {
        chrome.note(reason.clone(), None);
        return;
    }
    queue.running = true;
    queue.started = Some(std::time::Instant::now());
    queue.cancel_all = Some(CancellationToken::new());
    queue_pump(state, form, session, client, fx);
}

/// Starts waiting rows while fewer than the setting's number run; a row that cannot go ends
/// at once with its reason; the run ends when nothing waits or runs.
fn queue_pump(
    state: &State,
    form: &Form,
    session: &mut Session,
    client: &Result<reqwest::Client, String>,
    fx: &mut Vec<Effect>,
) {
    use super::queue::RowStatus;
    let queue = &mut session.queue;
    if !queue.running {
        return;
    }
    let (Ok(client), Some(cancel_all)) = (client, queue.cancel_all.clone()) else {
        return;
    };
    let at_once = state.settings.queue_at_once() as usize;
    let downloads = queue.downloads();
    let how = std::sync::Arc::new(crate::queue::How::for_queue(
        state.settings.transfer_options(),
        downloads,
    ));
    let folder = PathBuf::from(form.download.folder.trim());
    let mut running = queue
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Running)
        .count();
    for at in 0..queue.rows.len() {
        if running >= at_once {
            break;
        }
        if queue.rows[at].status != RowStatus::Waiting {
            continue;
        }
        if queue.rows[at].blocked.is_some() {
            let reason = queue.result_words(at);
            queue.rows[at].status = RowStatus::Ended {
                result: crate::queue::ItemResult::NotSent,
                reason,
            };
            continue;
        }
        let item = queue.item(at, &folder);
        let cancel = cancel_all.child_token();
        let row = &mut queue.rows[at];
        row.status = RowStatus::Running;
        row.cancel = Some(cancel.clone());
        running += 1;
        fx.push(Effect::QueueRow {
            row: at,
            item: Box::new(item),
            how: how.clone(),
            client: client.clone(),
            cancel,
        });
    }
    if running == 0 && !queue.rows.iter().any(|r| r.status == RowStatus::Waiting) {
        queue.running = false;
        queue.cancel_all = None;
    }
}

/// Cancels one row, or all of them (rows not started end cancelled at once).
fn queue_cancel(queue: &mut super::queue::Queue, row: Option<usize>) {
    use super::queue::RowStatus;
    match row {
        Some(at) => {
            if let Some(cancel) = queue.rows.get(at).and_then(|r| r.cancel.as_ref()) {
                cancel.cancel();
            }
        }
        None => {
            if let Some(cancel) = &queue.cancel_all {
                cancel.cancel();
            }
            for row in queue
                .rows
                .iter_mut()
                .filter(|r| r.status == RowStatus::Waiting)
            {
                row.status = RowStatus::Ended {
                    result: crate::queue::ItemResult::Cancelled,
                    reason: tr(T::CliCancelled).to_owned(),
                };
            }
        }
    }
}

fn file_edited(form: &mut Form, chrome: &mut Chrome, fx: &mut Vec<Effect>) {
    form.file_edited();
    chrome.dialog_unavailable = false;
    if !form.upload.path.trim().is_empty() {
        fx.push(Effect::CheckFile(form.upload.path.clone()));
    }
}

fn file_chosen(form: &mut Form, chrome: &mut Chrome, path: PathBuf, fx: &mut Vec<Effect>) {
    form.upload.path = path.display().to_string();
    // For a link that does not say, a file chosen means an upload; a link that says download
    // keeps the file aside.
    form.chosen = Operation::Put;
    file_edited(form, chrome, fx);
}

fn pick_file(form: &Form, fx: &mut Vec<Effect>) {
    fx.push(Effect::Pick {
        folder: false,
        start_in: form.upload.file().parent().map(PathBuf::from),
    });
}

fn destination_edited(form: &mut Form, chrome: &mut Chrome, typed: bool, fx: &mut Vec<Effect>) {
    form.destination_edited(typed);
    chrome.dialog_unavailable = false;
    check_destination(form, fx);
}

fn check_destination(form: &Form, fx: &mut Vec<Effect>) {
    fx.push(Effect::CheckDestination {
        folder: form.download.folder.clone(),
        name: form.download.name.clone(),
    });
}

fn cancel(session: &Session) {
    if let RunState::Running { cancel, .. } = &session.run {
        cancel.cancel();
    }
}

/// Starts the transfer the form describes, unless one is running, the form is done, or it
/// is not ready.
fn start(
    state: &State,
    form: &Form,
    session: &mut Session,
    chrome: &mut Chrome,
    client: &Result<reqwest::Client, String>,
    fx: &mut Vec<Effect>,
) {
    if session.run.is_running() || form.done {
        return;
    }
    let (now, _) = crate::clock::on_server_clock(jiff::Timestamp::now(), session.clock_offset_secs);
    let Ok(mut plan) = form.readiness(now) else {
        return;
    };
    if form.name_follows_link() {
        plan = plan.with_name_from_response();
    }
    let client = match client {
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
    fx.push(Effect::Transfer {
        client,
        plan: Box::new(plan.clone()),
        options: match plan.sent_in_parts() {
            // The parts of a multipart upload use as many connections as help, and keep a
            // record to go on after the window is closed.
            true => transfer::Options {
                connections: transfer::MAX_PART_CONNECTIONS,
                upload_records: state.upload_records.clone(),
                ..state.settings.transfer_options()
            },
            false => state.settings.transfer_options(),
        },
        cancel: cancel.clone(),
    });
    session.abort = AbortState::None;
    session.run = RunState::Running {
        cancel,
        progress: None,
        retry: None,
        parts: plan.parts_count().map(super::session::PartsBoard::new),
        plan,
    };
    chrome.dialog_unavailable = false;
    if let Some(report) = &mut chrome.report {
        report.transfer_started = Some(std::time::Instant::now());
    }
}

/// The transfer ended: the session keeps it, a success leaves the form done, the file and the
/// destination are looked at again; a window waiting to close closes.
fn finished(
    form: &mut Form,
    session: &mut Session,
    chrome: &mut Chrome,
    outcome: Outcome,
    probe: Option<crate::diagnose::ProbeVerdict>,
    fx: &mut Vec<Effect>,
) {
    if let Some(report) = &mut chrome.report
        && let Some(started) = report.transfer_started.take()
    {
        eprintln!("transfer finished in {} ms", started.elapsed().as_millis());
    }
    let succeeded = session.finish(outcome, probe, form.upload.content_type.clone());
    chrome.reveal_result = 10;
    // A success leaves the form done until something changes; a finished download now
    // occupies its name, but it is the file just saved.
    form.done = succeeded.is_some();
    form.download.replace_existing = false;
    if chrome.closing {
        chrome.close_now = true;
    }
    form.download.state = None;
    check_destination(form, fx);
    if form.operation() == Operation::Put && !form.upload.path.is_empty() {
        form.upload.state = None;
        fx.push(Effect::CheckFile(form.upload.path.clone()));
    }
}

/// Fills the form as for an earlier transfer: its link, its file or destination, its type.
fn use_again(
    form: &mut Form,
    session: &mut Session,
    chrome: &mut Chrome,
    index: usize,
    fx: &mut Vec<Effect>,
) {
    let Some(entry) = session.history.get(index).cloned() else {
        return;
    };
    if session.run.is_running() {
        return;
    }
    form.link_text = entry.link.expose().to_owned();
    link_edited(form, session, chrome, fx);
    form.chosen = entry.operation;
    let stated = form.link().as_ref().ok().and_then(|l| l.operation);
    form.overridden =
        (stated.is_some() && stated != Some(entry.operation)).then_some(entry.operation);
    match entry.operation {
        Operation::Put => {
            form.upload.path = entry.path.clone();
            file_edited(form, chrome, fx);
            form.upload.content_type = entry.content_type;
        }
        Operation::Get => {
            let path = PathBuf::from(&entry.path);
            if let (Some(folder), Some(name)) = (path.parent(), path.file_name()) {
                form.use_destination(
                    folder.display().to_string(),
                    name.to_string_lossy().into_owned(),
                );
                destination_edited(form, chrome, false, fx);
            }
        }
    }
}

/// Computes the file's digests when the link signs headers that carry them (and the file is
/// known to be there).
fn digest_if_needed(form: &Form, fx: &mut Vec<Effect>) {
    let (Ok(link), Some(crate::prepare::FileState::File { .. })) =
        (form.link(), &form.upload.state)
    else {
        return;
    };
    let digests = crate::signed_headers::digests(&crate::signed_headers::needed(link));
    let known = form.upload.digests.as_deref().unwrap_or_default();
    if digests.iter().any(|d| !known.iter().any(|(k, _)| k == d)) {
        fx.push(Effect::Digest(form.upload.path.clone(), digests));
    }
}

/// Explains the pasted answer for what the window holds: the request it would send when it is
/// ready, else the link or form alone.
pub(super) fn explain_pasted(form: &Form, session: &mut Session) {
    let now = jiff::Timestamp::now();
    let plan = form.readiness(now).ok();
    let sent = crate::diagnose::pasted::Sent {
        plan: plan.as_ref(),
        link: form.link().as_ref().ok(),
        form: form.post_form(),
        operation: form.operation(),
        operation_chosen: form.overridden.is_some(),
    };
    session.pasted.explain(sent, now);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::exchange::{ErrorBody, Refusal, ResponseFacts, Success};
    use crate::prepare::FileState;
    use crate::text::Language;
    use crate::transfer::Payload;

    /// The app's parts without a window or a runtime: the reducer alone.
    struct App {
        state: State,
        form: Form,
        session: Session,
        chrome: Chrome,
        client: Result<reqwest::Client, String>,
    }

    impl App {
        fn new(folder: &std::path::Path) -> Self {
            App {
                state: State::new(Some(Language::ENGLISH)),
                form: Form::new(folder.to_owned()),
                session: Session::new(),
                chrome: Chrome::default(),
                client: transfer::http_client().map_err(|e| e.to_string()),
            }
        }

        fn parts(&mut self) -> Parts<'_> {
            Parts {
                state: &mut self.state,
                form: &mut self.form,
                session: &mut self.session,
                chrome: &mut self.chrome,
                client: &self.client,
            }
        }

        fn step(&mut self, command: Command) -> Vec<Effect> {
            step(&mut self.parts(), command)
        }

        fn receive(&mut self, message: Message) -> (Vec<Effect>, Option<Command>) {
            let mut fx = Vec::new();
            let follow_up = received(&mut self.parts(), message, &mut fx);
            (fx, follow_up)
        }

        /// The transfer `effects` start, with its plan.
        fn transfer(effects: &[Effect]) -> Option<&Plan> {
            effects.iter().find_map(|e| match e {
                Effect::Transfer { plan, .. } => Some(&**plan),
                _ => None,
            })
        }
    }

    /// An upload link to `key` signed a minute ago, valid for an hour.
    fn upload_link(key: &str) -> String {
        let signed = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
        let date = signed.strftime("%Y%m%dT%H%M%SZ");
        let day = signed.strftime("%Y%m%d");
        format!(
            "https://bucket.s3.eu-west-1.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F{day}%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-id=PutObject&X-Amz-Signature=0123abcd"
        )
    }

    fn success() -> Outcome {
        Outcome::Succeeded(Box::new(Success {
            status: 200,
            bytes: 4,
            elapsed: Duration::from_millis(20),
            response: ResponseFacts::default(),
            saved_to: None,
            verification: transfer::Verification::Verified("ok".into()),
            connections: 1,
            connections_reason: None,
            single_stream_reason: None,
            hash_tail: None,
            parts: 0,
            complete_time: None,
            blocks: false,
        }))
    }

    fn refused(code: &str) -> Outcome {
        let body = format!("<Error><Code>{code}</Code><Message>no</Message></Error>");
        Outcome::Refused(Box::new(Refusal {
            status: 403,
            reason: "Forbidden".into(),
            body: ErrorBody::parse(body.as_bytes()),
            response: ResponseFacts::default(),
            bytes_sent: 4,
            sent_despite_checksum: false,
            part: None,
        }))
    }

    /// Paste, choose a file, hear that it is there: ready to send.
    fn ready_to_upload(app: &mut App, dir: &std::path::Path) -> PathBuf {
        let file = dir.join("report.csv");
        std::fs::write(&file, b"a,b\n").unwrap();
        let fx = app.step(Command::LinkPasted(format!(
            "  <{}>\n",
            upload_link("reports/report.csv")
        )));
        assert!(app.form.link().is_ok(), "the pasted link reads");
        assert!(
            fx.iter()
                .any(|e| matches!(e, Effect::CheckDestination { .. })),
            "{fx:?}"
        );
        let fx = app.step(Command::FileChosen(file.clone()));
        let path = file.display().to_string();
        assert!(
            matches!(fx.as_slice(), [Effect::CheckFile(p)] if *p == path),
            "{fx:?}"
        );
        assert_eq!(app.form.operation(), Operation::Put);
        let (fx, follow_up) =
            app.receive(Message::FileChecked(path, FileState::File { len_bytes: 4 }));
        assert!(
            fx.is_empty() && follow_up.is_none(),
            "no signed header asks for digests"
        );
        file
    }

    #[test]
    fn paste_choose_send_succeed_then_use_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        let file = ready_to_upload(&mut app, dir.path());

        let fx = app.step(Command::Start);
        let plan = App::transfer(&fx).expect("the transfer starts");
        assert_eq!(plan.header("Content-Type"), Some("text/csv"));
        assert!(app.session.run.is_running());
        // A second press while it runs starts nothing.
        assert!(App::transfer(&app.step(Command::Start)).is_none());

        let (fx, _) = app.receive(Message::Finished(success(), None));
        assert!(app.form.done, "a success leaves the form done");
        assert!(matches!(app.session.run, RunState::Finished { .. }));
        assert_eq!(app.session.history.len(), 1);
        assert!(
            fx.iter().any(|e| matches!(e, Effect::CheckFile(_))),
            "the file is looked at again: {fx:?}"
        );
        assert!(
            App::transfer(&app.step(Command::Start)).is_none(),
            "done: Enter does nothing"
        );

        // Something else, then "use again" brings the same link, file and type back.
        app.step(Command::LinkTyped(String::new()));
        app.form.upload.content_type = ContentTypeChoice::none();
        let fx = app.step(Command::UseAgain(0));
        assert_eq!(
            app.form.link().as_ref().ok().map(|l| l.key.clone()),
            Some(Some("reports/report.csv".into()))
        );
        assert_eq!(app.form.upload.path, file.display().to_string());
        assert_eq!(
            app.form.upload.content_type.header_value(),
            Some("text/csv")
        );
        assert!(
            fx.iter().any(|e| matches!(e, Effect::CheckFile(_))),
            "{fx:?}"
        );
    }

    #[test]
    fn a_refusal_is_explained_and_its_fix_sends_again_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        ready_to_upload(&mut app, dir.path());
        app.step(Command::Start);
        app.receive(Message::Finished(refused("SignatureDoesNotMatch"), None));
        let RunState::Finished { explained, .. } = &app.session.run else {
            panic!("finished");
        };
        assert!(explained.is_some(), "the refusal is explained");
        assert!(!app.form.done, "a refusal leaves the form to send again");
        // The file is looked at again after each transfer; until then nothing is sent.
        assert!(App::transfer(&app.step(Command::ApplyFix(Fix::SendWithoutContentType))).is_none());
        let path = app.form.upload.path.clone();
        app.receive(Message::FileChecked(path, FileState::File { len_bytes: 4 }));

        let fx = app.step(Command::ApplyFix(Fix::SendWithoutContentType));
        let plan = App::transfer(&fx).expect("sent again");
        assert_eq!(plan.header("Content-Type"), None, "without the file type");
        assert!(matches!(plan.payload, Payload::Upload { len_bytes: 4, .. }));
    }

    #[test]
    fn closing_while_running_cancels_and_closes_once_it_has_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        ready_to_upload(&mut app, dir.path());
        let fx = app.step(Command::Start);
        let Some(Effect::Transfer { cancel, .. }) =
            fx.iter().find(|e| matches!(e, Effect::Transfer { .. }))
        else {
            panic!("started: {fx:?}");
        };
        app.chrome.confirm_close = true;
        app.step(Command::CloseAndCancel);
        assert!(cancel.is_cancelled(), "the transfer is told to stop");
        assert!(
            app.chrome.closing && !app.chrome.close_now,
            "it waits for the clean-up"
        );
        app.receive(Message::Finished(Outcome::Cancelled, None));
        assert!(
            app.chrome.close_now,
            "and closes when the transfer has stopped"
        );

        // Idle, the window closes at once.
        let mut idle = App::new(dir.path());
        idle.step(Command::CloseAndCancel);
        assert!(idle.chrome.close_now);
    }

    #[test]
    fn a_broken_paste_a_missing_file_and_no_network_stop_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        app.step(Command::LinkPasted("not a link at all".into()));
        assert!(app.form.link().is_err());
        assert!(App::transfer(&app.step(Command::Start)).is_none());

        let mut app = App::new(dir.path());
        ready_to_upload(&mut app, dir.path());
        let path = app.form.upload.path.clone();
        app.receive(Message::FileChecked(
            path,
            FileState::Missing("gone".into()),
        ));
        assert!(
            App::transfer(&app.step(Command::Start)).is_none(),
            "no file, nothing sent"
        );

        let mut app = App::new(dir.path());
        app.client = Err("no client here".into());
        ready_to_upload(&mut app, dir.path());
        assert!(App::transfer(&app.step(Command::Start)).is_none());
        assert!(
            matches!(
                &app.session.run,
                RunState::Finished {
                    outcome: Outcome::Failed(_),
                    ..
                }
            ),
            "said as a failure, not a silent button"
        );
    }

    #[test]
    fn background_answers_for_an_old_path_or_name_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        ready_to_upload(&mut app, dir.path());
        app.receive(Message::FileChecked(
            "/elsewhere/old.csv".into(),
            FileState::Folder,
        ));
        assert_eq!(
            app.form.upload.state,
            Some(FileState::File { len_bytes: 4 })
        );
        // A dialog's choice and "keep both" come back as the command a person would give.
        let (_, follow_up) = app.receive(Message::FilePicked(DialogResult::Chosen(
            dir.path().join("b.csv"),
        )));
        assert_eq!(
            follow_up,
            Some(Command::FileChosen(dir.path().join("b.csv")))
        );
        let (_, follow_up) = app.receive(Message::FreeName("report (1).csv".into()));
        assert_eq!(follow_up, Some(Command::DestinationEdited));
    }

    #[test]
    fn typed_text_reaches_the_form_only_through_commands_and_keeps_it_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path());
        let link = upload_link("reports/q3.csv").replace("x-id=PutObject", "x-id=GetObject");
        app.step(Command::LinkTyped(link.clone()));
        assert_eq!(app.form.link_text, link);
        assert_eq!(
            app.form.download.name, "q3.csv",
            "the name follows the link"
        );
        let fx = app.step(Command::NameTyped("mine.csv".into()));
        assert_eq!(app.form.download.name, "mine.csv");
        assert!(
            matches!(fx.as_slice(), [Effect::CheckDestination { name, .. }] if name == "mine.csv"),
            "{fx:?}"
        );
        // Typed, the name no longer follows the link.
        app.step(Command::LinkTyped(link.replace("q3.csv", "q4.csv")));
        assert_eq!(app.form.download.name, "mine.csv");
        let fx = app.step(Command::FolderTyped("/elsewhere".into()));
        assert!(
            matches!(fx.as_slice(), [Effect::CheckDestination { folder, .. }] if folder == "/elsewhere"),
            "{fx:?}"
        );

        app.step(Command::HeaderTyped("x-amz-acl".into(), "private".into()));
        app.step(Command::HeaderTyped(
            "X-Amz-Acl".into(),
            "public-read".into(),
        ));
        assert_eq!(
            app.form.upload.headers,
            [("x-amz-acl".to_owned(), "public-read".to_owned())],
            "one value per header, whatever the case typed"
        );
        app.step(Command::ContentTypeTyped("text/plain".into()));
        app.step(Command::SendNoContentType(true));
        assert_eq!(app.form.upload.content_type.value, "text/plain");
        assert_eq!(app.form.upload.content_type.header_value(), None);
    }
}
