//! Work the window hands to the tokio runtime, and the messages that come back.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::prepare::{DestinationState, FileState};
use crate::transfer::{self, CancellationToken, Outcome, Plan, Reporter, TransferEvent};

/// A dialog that returns faster than this without a choice most likely could not open at all
/// (no desktop portal): a person takes longer to cancel.
const DIALOG_UNAVAILABLE_WITHIN: Duration = Duration::from_millis(1500);

/// The shortest time between two frames drawn for progress alone: four a second is smooth
/// enough to read, and leaves the CPU to the transfer when drawing is done in software.
const PROGRESS_REPAINT_INTERVAL: Duration = Duration::from_millis(250);

/// A result of background work, drained by the window at the start of a frame.
#[derive(Debug)]
pub enum Message {
    /// What is at an upload path.
    FileChecked(String, FileState),
    /// Facts about a download destination.
    DestinationChecked(String, String, DestinationState),
    /// A free name for "keep both".
    FreeName(String),
    /// The file chooser closed.
    FilePicked(DialogResult),
    /// The folder chooser closed.
    FolderPicked(DialogResult),
    /// A running transfer moved.
    Transfer(TransferEvent),
    /// The transfer ended; with what a download probe showed, when one was made.
    Finished(Outcome, Option<crate::diagnose::ProbeVerdict>),
    /// "Check link" got its answer.
    Checked(Box<Result<crate::transfer::ProbeAnswer, crate::transfer::TransferError>>),
    /// The settings could not be saved; why.
    SettingsNotSaved(String),
}

/// What a dialog gave back.
#[derive(Debug)]
pub enum DialogResult {
    /// The user chose this.
    Chosen(PathBuf),
    /// The user closed it without choosing.
    Closed,
    /// No dialog could open here.
    Unavailable,
}

/// Sends messages to the window and wakes it.
#[derive(Clone)]
pub struct Mailbox {
    sender: Sender<Message>,
    /// The window's context, known from its first frame on.
    ctx: Arc<OnceLock<egui::Context>>,
}

impl Mailbox {
    /// A mailbox posting to `sender`; it wakes the window once [`Self::attach`] was called.
    pub fn new(sender: Sender<Message>) -> Self {
        Self {
            sender,
            ctx: Arc::default(),
        }
    }

    /// Wakes `ctx` on each message from now on.
    pub fn attach(&self, ctx: &egui::Context) {
        let _ = self.ctx.set(ctx.clone());
    }

    fn post(&self, message: Message) {
        // Progress needs no frame of its own: repaints are coalesced to four a second, which
        // keeps drawing (software GL on some machines) from competing with the transfer.
        let coalesce = matches!(message, Message::Transfer(TransferEvent::Progress(_)));
        // The window may be gone while work finishes; then nobody needs the message.
        if self.sender.send(message).is_ok()
            && let Some(ctx) = self.ctx.get()
        {
            if coalesce {
                ctx.request_repaint_after(PROGRESS_REPAINT_INTERVAL);
            } else {
                ctx.request_repaint();
            }
        }
    }
}

/// Checks what is at `path`, off the UI thread.
pub fn check_file(runtime: &tokio::runtime::Handle, mailbox: Mailbox, path: String) {
    runtime.spawn(async move {
        let state = match tokio::fs::metadata(path.trim()).await {
            Ok(meta) if meta.is_dir() => FileState::Folder,
            Ok(meta) => FileState::File {
                len_bytes: meta.len(),
            },
            Err(e) => FileState::Missing(e.to_string()),
        };
        mailbox.post(Message::FileChecked(path, state));
    });
}

/// Checks the download folder and whether the name is taken, off the UI thread.
pub fn check_destination(
    runtime: &tokio::runtime::Handle,
    mailbox: Mailbox,
    folder: String,
    name: String,
) {
    runtime.spawn(async move {
        let folder_path = PathBuf::from(folder.trim());
        let folder_exists = tokio::fs::metadata(&folder_path)
            .await
            .is_ok_and(|m| m.is_dir());
        let name_taken = !name.trim().is_empty()
            && tokio::fs::symlink_metadata(folder_path.join(name.trim()))
                .await
                .is_ok();
        mailbox.post(Message::DestinationChecked(
            folder,
            name,
            DestinationState {
                folder_exists,
                name_taken,
            },
        ));
    });
}

/// Finds `name (1)`, `name (2)`... free in `folder`, off the UI thread.
pub fn find_free_name(
    runtime: &tokio::runtime::Handle,
    mailbox: Mailbox,
    folder: String,
    name: String,
) {
    runtime.spawn_blocking(move || {
        let path = transfer::naming::keep_both_name(folder.trim().as_ref(), name.trim(), |p| {
            p.symlink_metadata().is_ok()
        });
        let free = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name);
        mailbox.post(Message::FreeName(free));
    });
}

/// Opens the file chooser (or the folder chooser) without blocking the window.
pub fn pick(
    runtime: &tokio::runtime::Handle,
    mailbox: Mailbox,
    folder: bool,
    start_in: Option<PathBuf>,
) {
    runtime.spawn(async move {
        let started = Instant::now();
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(dir) = start_in.filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        let chosen = if folder {
            dialog.pick_folder().await
        } else {
            dialog.pick_file().await
        };
        let result = match chosen {
            Some(handle) => DialogResult::Chosen(handle.path().to_owned()),
            None if started.elapsed() < DIALOG_UNAVAILABLE_WITHIN => DialogResult::Unavailable,
            None => DialogResult::Closed,
        };
        mailbox.post(if folder {
            Message::FolderPicked(result)
        } else {
            Message::FilePicked(result)
        });
    });
}

/// Starts a transfer; progress and the outcome come back as messages.
pub fn start_transfer(
    runtime: &tokio::runtime::Handle,
    mailbox: Mailbox,
    client: reqwest::Client,
    plan: Plan,
    options: transfer::Options,
    cancel: CancellationToken,
) {
    let progress_mailbox = mailbox.clone();
    let report: Reporter = Arc::new(move |event| progress_mailbox.post(Message::Transfer(event)));
    runtime.spawn(async move {
        let outcome = transfer::run_with(&client, &plan, &options, report, &cancel).await;
        // A signature refusal on a link that does not say its operation: a download probe
        // settles whether it was made for download.
        let verdict = match &outcome {
            Outcome::Refused(refusal) => transfer::settle_refusal(&client, &plan, refusal).await,
            _ => None,
        };
        mailbox.post(Message::Finished(outcome, verdict));
    });
}

/// "Check link": a `GET` of the link's first byte, which changes nothing.
pub fn check_link(
    runtime: &tokio::runtime::Handle,
    mailbox: Mailbox,
    client: reqwest::Client,
    url: crate::secret::Secret,
) {
    runtime.spawn(async move {
        let answer = transfer::probe(&client, &url).await;
        mailbox.post(Message::Checked(Box::new(answer)));
    });
}

/// Saves settings off the UI thread, one write at a time, always the newest value: a drag
/// that changes a number many times a second ends with the last value on disk.
#[derive(Clone, Default)]
pub struct SettingsSaver {
    pending: Arc<Mutex<Option<crate::settings::Settings>>>,
    writing: Arc<Mutex<()>>,
}

impl SettingsSaver {
    /// Saves `settings` to `path`; a failure comes back as a message.
    pub fn save(
        &self,
        runtime: &tokio::runtime::Handle,
        mailbox: Mailbox,
        settings: crate::settings::Settings,
        path: PathBuf,
    ) {
        if let Ok(mut pending) = self.pending.lock() {
            *pending = Some(settings);
        }
        let saver = self.clone();
        runtime.spawn_blocking(move || {
            let Ok(_writing) = saver.writing.lock() else {
                return;
            };
            let newest = saver.pending.lock().ok().and_then(|mut p| p.take());
            if let Some(settings) = newest
                && let Err(e) = settings.save(&path)
            {
                mailbox.post(Message::SettingsNotSaved(e.to_string()));
            }
        });
    }
}
