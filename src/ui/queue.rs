//! The queue: what the window holds when there is more than one to send. The links of a
//! pasted list, the files dropped (folders walked off the UI thread), the rows that pair them
//! (by the key's file name, then by order, editable before anything is sent), the table of
//! the links for support staff, and the run: a few at once, each row's progress and result.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::batch::{self, FileEntry, LinkList, LinkRow, MatchedBy, matching::FileName};
use crate::link::{Operation, PresignedLink, target_name};
use crate::post::PostForm;
use crate::queue::{Item, ItemResult, Target};
use crate::text::{T, fill, tr};
use crate::transfer::{CancellationToken, Progress};

/// How far a row is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    /// Not started.
    Waiting,
    /// On its way.
    Running,
    /// Ended: how, and the result or the cause in one line.
    Ended {
        /// How it ended.
        result: ItemResult,
        /// The result or the cause.
        reason: String,
    },
}

/// Why a row cannot be sent, known before anything is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// A link no file was given for.
    NoFile,
    /// A file no link was chosen for.
    NoLink,
    /// A file that cannot be read (gone, a broken link, no permission).
    Unreadable,
}

impl Blocked {
    /// In words, in the language of the moment.
    pub fn words(self) -> &'static str {
        tr(match self {
            Blocked::NoFile => T::BatchNoFileForLink,
            Blocked::NoLink => T::QueueNoLinkForFile,
            Blocked::Unreadable => T::QueueFileUnreadable,
        })
    }
}

/// One row: a file and its link, a form's file, or a link to download.
#[derive(Debug, Clone)]
pub struct Row {
    /// The file's place among the queue's files.
    pub file: Option<usize>,
    /// The link's place among the queue's links.
    pub link: Option<usize>,
    /// How the file was matched to its link.
    pub matched_by: Option<MatchedBy>,
    /// Where a download goes.
    pub destination: Option<PathBuf>,
    /// Where a download was saved, once it was.
    pub saved_to: Option<PathBuf>,
    /// Why the row cannot be sent, known before anything is.
    pub blocked: Option<Blocked>,
    /// How far it is.
    pub status: RowStatus,
    /// Its progress while it runs.
    pub progress: Option<Progress>,
    /// Cancels it alone.
    pub cancel: Option<CancellationToken>,
}

impl Row {
    fn new(file: Option<usize>, link: Option<usize>, matched_by: Option<MatchedBy>) -> Self {
        Row {
            file,
            link,
            matched_by,
            destination: None,
            saved_to: None,
            blocked: None,
            status: RowStatus::Waiting,
            progress: None,
            cancel: None,
        }
    }

    /// Whether it ended other than done.
    pub fn failed(&self) -> bool {
        matches!(&self.status, RowStatus::Ended { result, .. } if *result != ItemResult::Succeeded)
    }
}

/// The queue.
#[derive(Debug, Default)]
pub struct Queue {
    /// The links of the list, each once.
    pub links: Vec<String>,
    /// Each link read (`None`: not a link).
    pub parsed: Vec<Option<PresignedLink>>,
    /// Links given again: their place and their first's, from 1.
    pub duplicates: Vec<(usize, usize)>,
    /// The form every file goes through, when the field holds one.
    pub form: Option<Arc<PostForm>>,
    /// The files given.
    pub files: batch::Files,
    /// Folders are being walked.
    pub gathering: bool,
    /// The rows.
    pub rows: Vec<Row>,
    /// Files that share a name no key tells apart.
    pub same_name: Vec<Vec<usize>>,
    /// Files no link was matched to.
    pub files_left: Vec<usize>,
    /// The table of the links, the ones that cannot work first.
    pub table: Vec<LinkRow>,
    /// The safe checks asked for are on their way.
    pub checking: bool,
    /// The run is going (rows waiting or running).
    pub running: bool,
    /// Cancels every row.
    pub cancel_all: Option<CancellationToken>,
    /// When the run started.
    pub started: Option<std::time::Instant>,
    /// The language the table's words are in.
    pub table_language: Option<crate::text::Language>,
    /// What links that do not say what they are for are used for (the person's choice):
    /// uploads unless told.
    pub chosen: Operation,
}

impl Queue {
    /// Whether the window shows the queue instead of the single screen: more than one link,
    /// or more than one file.
    pub fn active(&self) -> bool {
        self.links.len() > 1 || self.files.entries.len() > 1 || self.gathering
    }

    /// Rows waiting that nothing stops: what "Upload all" sends.
    pub fn sendable(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.status == RowStatus::Waiting && r.blocked.is_none())
            .count()
    }

    /// The rows that ended other than done and that "Retry the failed ones" sends again: not
    /// a row known not to be sendable (an unreadable file) or whose link has expired by `now`.
    pub fn retriable(&self, now: Timestamp) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|&at| {
                let r = &self.rows[at];
                r.failed()
                    && r.blocked.is_none()
                    && !self.link(at).is_some_and(|l| l.is_expired(now))
            })
            .collect()
    }

    /// Whether there are rows to send: a form or upload links with files, or download links.
    pub fn has_rows(&self) -> bool {
        self.downloads() || !self.files.entries.is_empty()
    }

    /// Whether the rows are downloads: every link of the list says it was made for one, or
    /// says nothing and the person chose downloads.
    pub fn downloads(&self) -> bool {
        self.form.is_none()
            && !self.parsed.is_empty()
            && self.parsed.iter().all(|l| {
                l.as_ref()
                    .is_some_and(|l| l.operation.unwrap_or(self.chosen) == Operation::Get)
            })
    }

    /// Whether the person must say what the links are for: some do not say, and none says it
    /// is for an upload (a list that names uploads is uploads).
    pub fn asks_operation(&self) -> bool {
        self.form.is_none()
            && self.parsed.iter().flatten().any(|l| l.operation.is_none())
            && !self
                .parsed
                .iter()
                .flatten()
                .any(|l| l.operation == Some(Operation::Put))
    }

    /// Links that do not say what they are for are for `operation`; the rows again.
    pub fn choose_operation(&mut self, operation: Operation) {
        if !self.running && self.chosen != operation {
            self.chosen = operation;
            self.rematch();
        }
    }

    /// The links of a list (or none), the form when the field holds one; the rows again.
    pub fn set_links(&mut self, list: Option<&LinkList>, form: Option<&PostForm>, now: Timestamp) {
        if self.running {
            return;
        }
        let links = list.map(|l| l.links.clone()).unwrap_or_default();
        if links != self.links {
            self.parsed = links.iter().map(|l| PresignedLink::parse(l).ok()).collect();
            self.table = batch::link_table(&links, now);
            self.table_language = Some(crate::text::language::current());
            self.links = links;
        }
        self.duplicates = list.map(|l| l.duplicates.clone()).unwrap_or_default();
        self.form = form.cloned().map(Arc::new);
        self.rematch();
    }

    /// The table in the language of the moment (read again when the language changed, which
    /// forgets what a check found).
    pub fn speak(&mut self, now: Timestamp) {
        let language = crate::text::language::current();
        if self.table_language != Some(language) && !self.links.is_empty() && !self.checking {
            self.table = batch::link_table(&self.links, now);
            self.table_language = Some(language);
        }
    }

    /// The files found; the rows again.
    pub fn set_files(&mut self, files: batch::Files) {
        self.gathering = false;
        if self.running {
            return;
        }
        self.files = files;
        self.rematch();
    }

    /// Forgets the files (the single screen comes back with fewer than two).
    pub fn clear_files(&mut self) {
        if !self.running {
            self.files = batch::Files::default();
            self.rematch();
        }
    }

    /// The rows from the links and files: a form's files; download links each to the folder;
    /// files matched to links.
    fn rematch(&mut self) {
        self.same_name.clear();
        self.files_left.clear();
        if self.form.is_some() {
            self.rows = (0..self.files.entries.len())
                .map(|f| Row::new(Some(f), None, Some(MatchedBy::Given)))
                .collect();
            for at in 0..self.rows.len() {
                self.rows[at].blocked = self.unreadable(&self.rows[at]);
            }
            return;
        }
        if self.downloads() {
            self.rows = (0..self.links.len())
                .map(|l| Row::new(None, Some(l), None))
                .collect();
            return;
        }
        let names: Vec<FileName<'_>> = self
            .files
            .entries
            .iter()
            .map(|f| FileName {
                name: &f.name,
                folders: &f.folders,
            })
            .collect();
        let keys: Vec<Option<&str>> = self
            .parsed
            .iter()
            .map(|l| l.as_ref().and_then(|l| l.key.as_deref()))
            .collect();
        let matching = batch::match_files(&names, &keys);
        let mut rows: Vec<Row> = matching
            .pairs
            .iter()
            .map(|p| Row::new(Some(p.file), Some(p.link), Some(p.by)))
            .collect();
        for &link in &matching.links_left {
            rows.push(Row::new(None, Some(link), None));
        }
        rows.sort_by_key(|r| r.link);
        for row in &mut rows {
            row.blocked = self.block(row);
        }
        self.rows = rows;
        self.same_name = matching.same_name;
        self.files_left = matching.files_left;
    }

    /// Gives row `row` the link `link` (the person's choice); the row that had it takes this
    /// row's link in exchange.
    pub fn choose_link(&mut self, row: usize, link: Option<usize>) {
        if self.running || row >= self.rows.len() {
            return;
        }
        let mine = self.rows[row].link;
        if let Some(other) = self
            .rows
            .iter()
            .position(|r| r.link == link && link.is_some())
        {
            self.rows[other].link = mine;
            self.rows[other].matched_by = Some(MatchedBy::Given);
            self.rows[other].blocked = self.block(&self.rows[other]);
        }
        self.rows[row].link = link;
        self.rows[row].matched_by = Some(MatchedBy::Given);
        self.rows[row].blocked = self.block(&self.rows[row]);
    }

    /// The item of row `row`, to send; `folder` is where downloads go.
    pub fn item(&self, row: usize, folder: &Path) -> Item {
        let r = &self.rows[row];
        let file = r.file.map(|f| &self.files.entries[f]);
        // Two links of the list saving to one name: the later would replace the earlier's file.
        let name = |at: usize| {
            self.link(at)
                .map(crate::transfer::naming::file_name_for)
                .filter(|_| r.file.is_none())
        };
        let same_output =
            name(row).is_some_and(|mine| (0..row).any(|at| name(at).as_ref() == Some(&mine)));
        let size = match (r.blocked, file) {
            (Some(_), _) => Err(self.result_words(row)),
            _ if same_output => Err(tr(T::BatchSameOutput).to_owned()),
            (None, Some(entry)) => entry.size.clone(),
            (None, None) => Ok(0),
        };
        let target = match (&self.form, r.link) {
            (Some(form), _) => Target::Form(form.clone()),
            (None, Some(link)) => Target::Link(self.links[link].clone()),
            (None, None) => Target::Link(String::new()),
        };
        Item {
            file: file
                .map(|e| e.path.clone())
                .or_else(|| r.destination.clone())
                .or_else(|| Some(folder.to_owned())),
            size,
            target,
            matched_by: r.matched_by,
        }
    }

    /// Where row `row` goes: `bucket/key`, or the form's address.
    pub fn target(&self, row: usize) -> String {
        let r = &self.rows[row];
        if let Some(form) = &self.form {
            let name = r
                .file
                .map(|f| self.files.entries[f].name.clone())
                .unwrap_or_default();
            return form
                .key_for(&name)
                .and_then(|key| crate::link::object_name(form.bucket().as_deref(), Some(&key)))
                .unwrap_or_else(|| form.url.clone());
        }
        match r.link.and_then(|l| self.parsed[l].as_ref()) {
            Some(link) => target_name(link),
            None if r.link.is_some() => tr(T::BatchNotALink).to_owned(),
            None => String::new(),
        }
    }

    /// The next moment a countdown the queue shows changes: the soonest expiry still to come
    /// of a row not yet ended (none once every row has: a finished queue costs nothing).
    pub fn next_expiry(&self, now: Timestamp) -> Option<Timestamp> {
        let pending = self.rows.is_empty()
            || self
                .rows
                .iter()
                .any(|r| !matches!(r.status, RowStatus::Ended { .. }));
        if !pending {
            return None;
        }
        self.parsed
            .iter()
            .filter_map(|l| l.as_ref().and_then(|l| l.expires_at))
            .filter(|at| *at > now)
            .min()
    }

    /// The results (a row a file) or the table of the links, to save.
    pub fn export(&self, saved: super::Saved, now: Timestamp) -> crate::queue::Export {
        let day = now.strftime("%Y-%m-%d");
        match saved {
            super::Saved::Results => crate::queue::Export {
                stem: format!("presigndesk-queue-{day}"),
                csv: self.to_csv(),
                json: self.to_json(),
            },
            super::Saved::Links => crate::queue::Export {
                stem: format!("presigndesk-links-{day}"),
                csv: batch::table::to_csv(&self.table),
                json: serde_json::to_string_pretty(&self.table).unwrap_or_default(),
            },
        }
    }

    /// Why a row of a file and a link cannot be sent, known before anything is.
    fn block(&self, row: &Row) -> Option<Blocked> {
        unblocked(row).or(self.unreadable(row))
    }

    /// Whether `row`'s file cannot be read, known when it was given.
    fn unreadable(&self, row: &Row) -> Option<Blocked> {
        row.file
            .is_some_and(|f| self.files.entries[f].size.is_err())
            .then_some(Blocked::Unreadable)
    }

    /// The file row `row` sends, or the file its download was saved as.
    pub fn file_path(&self, row: usize) -> Option<&Path> {
        self.file(row)
            .map(|f| f.path.as_path())
            .or(self.rows[row].saved_to.as_deref())
    }

    /// The file of row `row`.
    pub fn file(&self, row: usize) -> Option<&FileEntry> {
        self.rows[row].file.map(|f| &self.files.entries[f])
    }

    /// The link of row `row`, read.
    pub fn link(&self, row: usize) -> Option<&PresignedLink> {
        self.rows[row].link.and_then(|l| self.parsed[l].as_ref())
    }

    /// Rows waiting, running and ended, and the bytes done of all.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for (at, row) in self.rows.iter().enumerate() {
            let size = self.file(at).and_then(|f| f.size.clone().ok());
            match &row.status {
                RowStatus::Waiting => totals.waiting += 1,
                RowStatus::Running => totals.running += 1,
                RowStatus::Ended { result, .. } => {
                    totals.ended += 1;
                    match result {
                        ItemResult::Succeeded => totals.done += 1,
                        ItemResult::Refused | ItemResult::Failed => totals.failed += 1,
                        ItemResult::NotSent | ItemResult::Cancelled => totals.not_sent += 1,
                    }
                }
            }
            let row_total = row.progress.as_ref().and_then(|p| p.total_bytes).or(size);
            let skipped = matches!(
                &row.status,
                RowStatus::Ended {
                    result: ItemResult::NotSent | ItemResult::Cancelled,
                    ..
                }
            );
            if !skipped {
                totals.bytes_total += row_total.unwrap_or(0);
            }
            totals.bytes_done += match &row.status {
                RowStatus::Ended {
                    result: ItemResult::Succeeded,
                    ..
                } => row_total.unwrap_or(0),
                _ => row.progress.as_ref().map_or(0, |p| p.bytes_done),
            };
        }
        totals
    }

    /// A summary for a ticket: one line a row, no secret.
    pub fn summary(&self) -> String {
        let totals = self.totals();
        let mut out = fill(
            T::BatchSummary,
            &[
                ("done", &totals.done.to_string()),
                ("total", &self.rows.len().to_string()),
                ("failed", &totals.failed.to_string()),
                (
                    "not_sent",
                    &(totals.not_sent + self.rows.len() - totals.ended).to_string(),
                ),
            ],
        );
        out.push('\n');
        for at in 0..self.rows.len() {
            out.push_str(&format!(
                "{} · {} · {} · {}\n",
                self.file_path(at)
                    .and_then(|p| p.file_name())
                    .map_or_else(|| "—".into(), |n| n.to_string_lossy()),
                self.target(at),
                self.status_words(at),
                self.result_words(at)
            ));
        }
        out
    }

    /// The rows as CSV, no secret.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("file,size,target,status,result\r\n");
        for at in 0..self.rows.len() {
            let file = self.file(at);
            out.push_str(&batch::table::csv_line(&[
                self.file_path(at)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                file.and_then(|f| f.size.clone().ok())
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                self.target(at),
                self.status_id(at).to_owned(),
                self.result_words(at),
            ]));
        }
        out
    }

    /// The rows as JSON, no secret.
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = (0..self.rows.len())
            .map(|at| {
                let file = self.file(at);
                serde_json::json!({
                    "file": self.file_path(at).map(|p| p.display().to_string()),
                    "size": file.and_then(|f| f.size.clone().ok()),
                    "target": self.target(at),
                    "link": self.link(at).map(PresignedLink::redacted),
                    "matched_by": self.rows[at].matched_by,
                    "status": self.status_id(at),
                    "result": self.result_words(at),
                })
            })
            .collect();
        serde_json::to_string_pretty(&rows).unwrap_or_default()
    }

    /// The row's status id: `waiting`, `running`, or how it ended.
    pub fn status_id(&self, row: usize) -> &'static str {
        match &self.rows[row].status {
            RowStatus::Waiting => "waiting",
            RowStatus::Running => "running",
            RowStatus::Ended { result, .. } => result.as_str(),
        }
    }

    /// The row's status in words.
    pub fn status_words(&self, row: usize) -> String {
        tr(match &self.rows[row].status {
            RowStatus::Waiting => T::QueueWaiting,
            RowStatus::Running => T::QueueRunning,
            RowStatus::Ended { result, .. } => match result {
                ItemResult::Succeeded => T::QueueDone,
                ItemResult::Refused => T::QueueRefused,
                ItemResult::Failed => T::QueueFailed,
                ItemResult::NotSent => T::QueueNotSent,
                ItemResult::Cancelled => T::QueueCancelled,
            },
        })
        .to_owned()
    }

    /// The result or the cause in one line (what stops it, before it runs).
    pub fn result_words(&self, row: usize) -> String {
        let r = &self.rows[row];
        match (&r.status, &r.blocked) {
            (RowStatus::Ended { reason, .. }, _) => reason.clone(),
            (_, Some(Blocked::Unreadable)) => {
                let reason = self
                    .file(row)
                    .and_then(|f| f.size.as_ref().err().cloned())
                    .unwrap_or_default();
                format!("{}: {reason}", Blocked::Unreadable.words())
            }
            (_, Some(blocked)) => blocked.words().to_owned(),
            _ => match r.matched_by {
                Some(MatchedBy::Order) => tr(T::QueueByOrder).to_owned(),
                _ => String::new(),
            },
        }
    }
}

/// A row's block once its file and link changed: none while both are there.
fn unblocked(row: &Row) -> Option<Blocked> {
    match (row.file, row.link) {
        (Some(_), Some(_)) => None,
        (None, _) => Some(Blocked::NoFile),
        (Some(_), None) => Some(Blocked::NoLink),
    }
}

/// The queue's counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Rows not started.
    pub waiting: usize,
    /// Rows on their way.
    pub running: usize,
    /// Rows ended.
    pub ended: usize,
    /// Rows done.
    pub done: usize,
    /// Rows refused or failed (as the terminal counts them).
    pub failed: usize,
    /// Rows ended without being sent, or cancelled.
    pub not_sent: usize,
    /// Bytes of every row.
    pub bytes_total: u64,
    /// Bytes moved.
    pub bytes_done: u64,
}
