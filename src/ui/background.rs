//! Work the window hands to the tokio runtime, and the messages that come back.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::prepare::{DestinationState, FileState};
use crate::text::{T, fill};
use crate::transfer::{self, CancellationToken, Outcome, Plan, Progress, Reporter, TransferEvent};

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
    /// The digests of the file at an upload path, for the headers the link signs.
    Digested(
        String,
        Result<Vec<(crate::signed_headers::Digest, String)>, String>,
    ),
    /// A free name for "keep both".
    FreeName(String),
    /// The file chooser closed.
    FilePicked(DialogResult),
    /// The folder chooser closed.
    FolderPicked(DialogResult),
    /// A running transfer is about to try again.
    Retrying(super::session::RetryNotice),
    /// Parts of an upload in parts arrived (by their places in part order); `before`: an
    /// earlier run sent them.
    PartsArrived {
        /// Their places.
        places: Vec<u32>,
        /// Sent by an earlier run.
        before: bool,
    },
    /// A failed download's partial file could not be removed.
    PartialLeft {
        /// The file left behind.
        path: PathBuf,
        /// Why it could not be removed.
        reason: String,
    },
    /// The transfer ended; with what a download probe showed, when one was made.
    Finished(Outcome, Option<crate::diagnose::ProbeVerdict>),
    /// The storage answered the request to remove a cancelled multipart upload.
    Aborted(Result<(), String>),
    /// Something to tell the person beside the card.
    Note(String),
    /// "Check link" got its answer.
    Checked(Box<Result<transfer::ProbeAnswer, transfer::TransferError>>),
    /// The files and folders given for the queue, walked.
    FilesGathered(crate::batch::Files),
    /// A row of the queue ended: how, and the result or the cause.
    QueueRowEnded {
        /// The row.
        row: usize,
        /// How it ended.
        result: crate::queue::ItemResult,
        /// The result or the cause, in one line.
        reason: String,
        /// Where a download was saved.
        saved_to: Option<PathBuf>,
    },
    /// The safe check of a link of the queue's list answered (its place in the list, from 1).
    LinkChecked(usize, crate::queue::Checked),
    /// The settings could not be saved; why.
    SettingsNotSaved(String),
    /// A file or folder could not be opened with the system's program; why.
    OpenFailed(String),
    /// A table was saved, or could not be: the words that say where or why.
    ExportSaved(String),
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

/// Sends messages to the window and wakes it. Progress goes to a slot that holds only the
/// latest value: a fast transfer's twenty reports a second never queue up behind a window that
/// draws four.
#[derive(Clone)]
pub struct Mailbox {
    sender: Sender<Message>,
    progress: Arc<Mutex<Option<Progress>>>,
    /// The latest progress of each running row of the queue.
    row_progress: Arc<Mutex<Vec<(usize, Progress)>>>,
    /// The window's context, known from its first frame on.
    ctx: Arc<OnceLock<egui::Context>>,
}

impl Mailbox {
    /// A mailbox posting to `sender`; it wakes the window once [`Self::attach`] was called.
    fn new(sender: Sender<Message>) -> Self {
        Self {
            sender,
            progress: Arc::default(),
            row_progress: Arc::default(),
            ctx: Arc::default(),
        }
    }

    /// Wakes `ctx` on each message from now on.
    pub fn attach(&self, ctx: &egui::Context) {
        let _ = self.ctx.set(ctx.clone());
    }

    fn post(&self, message: Message) {
        // The window may be gone while work finishes; then nobody needs the message.
        if self.sender.send(message).is_ok()
            && let Some(ctx) = self.ctx.get()
        {
            ctx.request_repaint();
        }
    }

    /// Keeps `progress` as the latest; the window draws it at most four times a second, which
    /// keeps drawing (software GL on some machines) from competing with the transfer.
    fn post_progress(&self, progress: Progress) {
        if let Ok(mut slot) = self.progress.lock() {
            *slot = Some(progress);
        }
        if let Some(ctx) = self.ctx.get() {
            ctx.request_repaint_after(PROGRESS_REPAINT_INTERVAL);
        }
    }

    /// Keeps `progress` as row `row`'s latest, drawn as [`Self::post_progress`] is.
    fn post_row_progress(&self, row: usize, progress: Progress) {
        if let Ok(mut slot) = self.row_progress.lock() {
            match slot.iter_mut().find(|(r, _)| *r == row) {
                Some((_, latest)) => *latest = progress,
                None => slot.push((row, progress)),
            }
        }
        if let Some(ctx) = self.ctx.get() {
            ctx.request_repaint_after(PROGRESS_REPAINT_INTERVAL);
        }
    }

    /// The rows' latest progress since the last call.
    pub fn take_row_progress(&self) -> Vec<(usize, Progress)> {
        self.row_progress
            .lock()
            .map(|mut slot| std::mem::take(&mut *slot))
            .unwrap_or_default()
    }

    /// The latest progress since the last call.
    pub fn take_progress(&self) -> Option<Progress> {
        self.progress.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The background side of the window: the tokio runtime it hands work to, the HTTP client every
/// transfer uses, and the mailbox work reports back through.
pub struct Runtime {
    handle: tokio::runtime::Handle,
    /// The client, or why none could be made.
    pub client: Result<reqwest::Client, String>,
    /// Where background work posts.
    pub mailbox: Mailbox,
    inbox: Receiver<Message>,
}

impl Runtime {
    /// Background work on `handle`.
    pub fn new(handle: tokio::runtime::Handle) -> Self {
        let (sender, inbox) = channel();
        Runtime {
            handle,
            client: transfer::http_client().map_err(|e| e.without_url().to_string()),
            mailbox: Mailbox::new(sender),
            inbox,
        }
    }

    /// The next message that arrived, if any.
    pub fn next_message(&self) -> Option<Message> {
        self.inbox.try_recv().ok()
    }
}

/// Opens `path` with the system's program for it, or shows it in its folder (`reveal`), off
/// the UI thread.
pub fn open_path(runtime: &Runtime, path: PathBuf, reveal: bool) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn_blocking(move || {
        let (program, args) = super::opener::opener(&path, reveal, std::env::consts::OS);
        let mut command = std::process::Command::new(program);
        #[cfg(windows)]
        {
            // Explorer reads `/select,"C:\a b\c.txt"` only with the path quoted after the comma;
            // the usual quoting of the whole argument would open the Documents folder instead.
            use std::os::windows::process::CommandExt;
            for arg in &args {
                match arg.to_str().and_then(|a| a.strip_prefix("/select,")) {
                    Some(target) => command.raw_arg(format!("/select,\"{target}\"")),
                    None => command.arg(arg),
                };
            }
        }
        #[cfg(not(windows))]
        command.args(&args);
        let started = command
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match started {
            Ok(mut child) => {
                // Reap the opener when it ends (it hands the file over and exits).
                std::thread::spawn(move || {
                    let _ = child.wait();
                });
            }
            Err(e) => mailbox.post(Message::OpenFailed(e.to_string())),
        }
    });
}

/// Checks what is at `path`, off the UI thread.
pub fn check_file(runtime: &Runtime, path: String) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
        let state = match tokio::fs::metadata(crate::prepare::file_path(&path)).await {
            Ok(meta) if meta.is_dir() => FileState::Folder,
            Ok(meta) => FileState::File {
                len_bytes: meta.len(),
            },
            Err(e) => FileState::Missing(e.to_string()),
        };
        mailbox.post(Message::FileChecked(path, state));
    });
}

/// Computes the file's `digests` (its MD5, a checksum) off the UI thread.
pub fn digest_file(runtime: &Runtime, path: String, digests: Vec<crate::signed_headers::Digest>) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
        let result = transfer::file_digests(&crate::prepare::file_path(&path), &digests)
            .await
            .map_err(|e| e.to_string());
        mailbox.post(Message::Digested(path, result));
    });
}

/// Checks the download folder and whether the name is taken, off the UI thread.
pub fn check_destination(runtime: &Runtime, folder: String, name: String) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
        let folder_path = crate::prepare::file_path(&folder);
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
pub fn find_free_name(runtime: &Runtime, folder: String, name: String) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn_blocking(move || {
        let folder = crate::prepare::file_path(&folder);
        let path = transfer::naming::keep_both_name(&folder, name.trim(), |p| {
            p.symlink_metadata().is_ok()
        });
        let free = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name);
        mailbox.post(Message::FreeName(free));
    });
}

/// Asks where to save `export` (CSV or JSON, by the name chosen) and saves it there; where no
/// save dialog can open, saves it as CSV in `folder` under a name that replaces nothing.
pub fn save_export(runtime: &Runtime, export: crate::queue::Export, folder: PathBuf) {
    let mailbox = runtime.mailbox.clone();
    let language = crate::text::language::current();
    runtime.handle.spawn(async move {
        let started = Instant::now();
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_file_name(format!("{}.csv", export.stem))
            .add_filter("CSV", &["csv"])
            .add_filter("JSON", &["json"]);
        if folder.is_dir() {
            dialog = dialog.set_directory(&folder);
        }
        let chosen = match dialog_result(dialog.save_file().await, started) {
            DialogResult::Chosen(path) => Some(path),
            DialogResult::Unavailable => None,
            DialogResult::Closed => return,
        };
        let said = tokio::task::spawn_blocking(move || {
            crate::text::language::set_thread_language(language);
            let (saved, key) = match &chosen {
                Some(path) => (export.save_as(path), T::ExportSaved),
                None => (export.save_new_in(&folder), T::ExportSavedNoDialog),
            };
            match saved {
                Ok(path) => fill(key, &[("path", &path.display().to_string())]),
                Err(e) => fill(
                    T::ExportFailed,
                    &[
                        (
                            "path",
                            &chosen.as_deref().unwrap_or(&folder).display().to_string(),
                        ),
                        ("reason", &e.to_string()),
                    ],
                ),
            }
        })
        .await
        .unwrap_or_default();
        mailbox.post(Message::ExportSaved(said));
    });
}

/// What a dialog opened at `started` gave back: a choice, or none because it was closed or
/// because it never opened (it returned at once).
fn dialog_result(chosen: Option<rfd::FileHandle>, started: Instant) -> DialogResult {
    match chosen {
        Some(handle) => DialogResult::Chosen(handle.path().to_owned()),
        None if started.elapsed() < DIALOG_UNAVAILABLE_WITHIN => DialogResult::Unavailable,
        None => DialogResult::Closed,
    }
}

/// Opens the file chooser (or the folder chooser) without blocking the window.
pub fn pick(runtime: &Runtime, folder: bool, start_in: Option<PathBuf>) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
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
        let result = dialog_result(chosen, started);
        mailbox.post(if folder {
            Message::FolderPicked(result)
        } else {
            Message::FilePicked(result)
        });
    });
}

/// Starts a transfer; progress and the outcome come back as messages.
pub fn start_transfer(
    runtime: &Runtime,
    client: reqwest::Client,
    plan: Plan,
    options: transfer::Options,
    cancel: CancellationToken,
) {
    let mailbox = runtime.mailbox.clone();
    let progress_mailbox = mailbox.clone();
    let report: Reporter = Arc::new(move |event| match event {
        TransferEvent::Progress(progress) => progress_mailbox.post_progress(progress),
        TransferEvent::Retrying {
            next_attempt,
            max_attempts,
            delay,
            reason,
        } => progress_mailbox.post(Message::Retrying(super::session::RetryNotice {
            next_attempt,
            max_attempts,
            delay,
            reason,
        })),
        TransferEvent::PartialLeft { path, reason } => {
            progress_mailbox.post(Message::PartialLeft { path, reason })
        }
        TransferEvent::PartsAlreadyThere { places, .. } => {
            progress_mailbox.post(Message::PartsArrived {
                places,
                before: true,
            })
        }
        TransferEvent::PartArrived { place } => progress_mailbox.post(Message::PartsArrived {
            places: vec![place],
            before: false,
        }),
        // The card says what is kept.
        TransferEvent::PartsKept { .. } => {}
        TransferEvent::PartsNeedLinks {
            numbers,
            kept,
            total,
        } => progress_mailbox.post(Message::Note(crate::present::parts_need_links(
            &numbers, kept, total,
        ))),
    });
    runtime.handle.spawn(async move {
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

/// Removes a cancelled multipart upload from the storage, and its record from `records`.
pub fn abort_upload(
    runtime: &Runtime,
    client: reqwest::Client,
    set: Box<crate::link::parts::PartsSet>,
    records: Option<PathBuf>,
) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
        let result = transfer::abort_upload(&client, &set, records).await;
        mailbox.post(Message::Aborted(result));
    });
}

/// "Check link": a `GET` of the link's first byte, which changes nothing.
pub fn check_link(runtime: &Runtime, client: reqwest::Client, url: crate::secret::Secret) {
    let mailbox = runtime.mailbox.clone();
    runtime.handle.spawn(async move {
        let answer = transfer::probe(&client, &url).await;
        mailbox.post(Message::Checked(Box::new(answer)));
    });
}

/// Walks the files and folders given for the queue, off the UI thread.
pub fn gather_files(runtime: &Runtime, paths: Vec<PathBuf>) {
    let mailbox = runtime.mailbox.clone();
    let language = crate::text::language::current();
    runtime.handle.spawn_blocking(move || {
        crate::text::language::set_thread_language(language);
        mailbox.post(Message::FilesGathered(crate::batch::gather(&paths)));
    });
}

/// Runs row `row` of the queue; its progress and its end come back.
pub fn run_queue_row(
    runtime: &Runtime,
    row: usize,
    item: crate::queue::Item,
    how: Arc<crate::queue::How>,
    client: reqwest::Client,
    cancel: CancellationToken,
) {
    let mailbox = runtime.mailbox.clone();
    let progress_mailbox = mailbox.clone();
    let report: Reporter = Arc::new(move |event| {
        if let TransferEvent::Progress(progress) = event {
            progress_mailbox.post_row_progress(row, progress);
        }
    });
    // The row's words are the window's language: the row runs on a thread of its own that
    // speaks it.
    let language = crate::text::language::current();
    let handle = runtime.handle.clone();
    runtime.handle.spawn_blocking(move || {
        crate::text::language::set_thread_language(language);
        let finished = handle.block_on(crate::queue::run_item(
            &how, &client, &cancel, &item, report,
        ));
        let saved_to = match &finished.outcome {
            Some(Outcome::Succeeded(success)) => success.saved_to.clone(),
            _ => None,
        };
        mailbox.post(Message::QueueRowEnded {
            row,
            result: finished.result,
            reason: finished.reason,
            saved_to,
        });
    });
}

/// The safe check of the queue's links (place from 1, text), a few at once.
pub fn check_links(runtime: &Runtime, client: reqwest::Client, links: Vec<(usize, String)>) {
    let mailbox = runtime.mailbox.clone();
    let language = crate::text::language::current();
    let handle = runtime.handle.clone();
    runtime.handle.spawn_blocking(move || {
        crate::text::language::set_thread_language(language);
        handle.block_on(check_each(client, links, mailbox));
    });
}

async fn check_each(client: reqwest::Client, links: Vec<(usize, String)>, mailbox: Mailbox) {
    use futures_util::StreamExt;
    {
        let now = jiff::Timestamp::now();
        let client = &client;
        let mailbox = &mailbox;
        futures_util::stream::iter(links)
            .for_each_concurrent(4, |(position, text)| async move {
                let answer = match crate::link::PresignedLink::parse(&text) {
                    Ok(link) => crate::queue::check_link(client, &link, now).await,
                    Err(e) => ("failed", e.to_string(), false),
                };
                mailbox.post(Message::LinkChecked(position, answer));
            })
            .await;
    }
}

/// Saves settings off the UI thread, one write at a time, always the newest value: a drag
/// that changes a number many times a second ends with the last value on disk. Each save
/// writes only what this window changed since it last read or wrote the file, so another
/// window's changes to other settings stay.
#[derive(Clone, Default)]
pub struct SettingsSaver {
    pending: Arc<Mutex<Option<crate::settings::Settings>>>,
    /// What this window last read or wrote: the base its changes are measured from.
    base: Arc<Mutex<crate::settings::Settings>>,
}

impl SettingsSaver {
    /// Measures later changes from `settings` (what was read at start).
    pub fn start_from(&self, settings: crate::settings::Settings) {
        if let Ok(mut base) = self.base.lock() {
            *base = settings;
        }
    }

    /// Saves `settings` to `path`; a failure comes back as a message.
    pub fn save(&self, runtime: &Runtime, settings: crate::settings::Settings, path: PathBuf) {
        if let Ok(mut pending) = self.pending.lock() {
            *pending = Some(settings);
        }
        let saver = self.clone();
        let mailbox = runtime.mailbox.clone();
        runtime.handle.spawn_blocking(move || {
            let newest = saver.pending.lock().ok().and_then(|mut p| p.take());
            if let Some(settings) = newest
                && let Err(e) = saver.save_now(&settings, &path)
            {
                mailbox.post(Message::SettingsNotSaved(e.to_string()));
            }
        });
    }

    /// Saves `settings` to `path` on this thread, after any save under way.
    pub fn save_now(
        &self,
        settings: &crate::settings::Settings,
        path: &Path,
    ) -> std::io::Result<()> {
        // The base's lock is held through the write: one write at a time.
        let mut base = self
            .base
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        settings.save_changes(&base, path)?;
        *base = settings.clone();
        Ok(())
    }
}
