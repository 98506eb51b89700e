//! Decide whether the user's inputs make a request that can be sent, and if not, why not.
//! Pure: the UI gathers facts about files (off its thread) and renders the answer.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::content_type::ContentTypeChoice;
use crate::link::{LinkError, Operation, PresignedLink};
use crate::text::{T, fill, tr};
use crate::transfer::Plan;

/// What the file at the upload path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// A regular file of this size.
    File {
        /// Size in bytes.
        len_bytes: u64,
    },
    /// A folder, not a file.
    Folder,
    /// Nothing readable there; the system's reason.
    Missing(String),
}

/// Facts about a download destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationState {
    /// Whether the folder exists.
    pub folder_exists: bool,
    /// Whether a file of that name is already there.
    pub name_taken: bool,
}

/// Why the button cannot send yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// No usable link.
    Link(LinkError),
    /// The link has expired (the user may send it anyway).
    Expired,
    /// No file chosen.
    NoFile,
    /// The file's state is not known yet (being checked).
    Checking,
    /// The path is not a readable file.
    File(FileState),
    /// The folder does not exist.
    FolderMissing,
    /// No file name.
    NoName,
    /// A file of that name exists and the user has not chosen to replace it.
    DestinationTaken(String),
}

impl Blocker {
    /// The reason in words.
    pub fn message(&self) -> String {
        match self {
            Blocker::Link(e) => e.to_string(),
            Blocker::Expired => tr(T::ExpiredButtonReason).to_owned(),
            Blocker::NoFile => tr(T::NoFileChosen).to_owned(),
            Blocker::Checking => tr(T::Checking).to_owned(),
            Blocker::File(FileState::Folder) => tr(T::FileIsFolder).to_owned(),
            Blocker::File(_) => tr(T::FileMissing).to_owned(),
            Blocker::FolderMissing => tr(T::FolderMissing).to_owned(),
            Blocker::NoName => tr(T::NoFileName).to_owned(),
            Blocker::DestinationTaken(name) => fill(T::DestinationExists, &[("name", name)]),
        }
    }
}

/// The upload side of the form.
#[derive(Debug, Clone)]
pub struct UploadForm {
    /// The path as typed, dropped or chosen.
    pub path: String,
    /// What is at `path`, once checked (`None`: not checked yet).
    pub state: Option<FileState>,
    /// The Content-Type choice.
    pub content_type: ContentTypeChoice,
}

/// The download side of the form.
#[derive(Debug, Clone)]
pub struct DownloadForm {
    /// The folder to save in.
    pub folder: String,
    /// The file name.
    pub name: String,
    /// Facts about folder and name, once checked.
    pub state: Option<DestinationState>,
    /// The user chose to replace an existing file.
    pub replace_existing: bool,
}

impl DownloadForm {
    /// Where the file would be saved.
    pub fn destination(&self) -> PathBuf {
        PathBuf::from(self.folder.trim()).join(self.name.trim())
    }
}

/// Builds the plan the inputs describe, or says what stands in the way. `send_expired` is the
/// tester's explicit "send it anyway".
pub fn prepare(
    link: &Result<PresignedLink, LinkError>,
    operation: Operation,
    upload: &UploadForm,
    download: &DownloadForm,
    send_expired: bool,
    now: Timestamp,
) -> Result<Plan, Blocker> {
    let link = link.as_ref().map_err(|e| Blocker::Link(e.clone()))?;
    if link.is_expired(now) && !send_expired {
        return Err(Blocker::Expired);
    }
    match operation {
        Operation::Put => {
            if upload.path.trim().is_empty() {
                return Err(Blocker::NoFile);
            }
            match &upload.state {
                None => Err(Blocker::Checking),
                Some(FileState::File { len_bytes }) => Ok(Plan::upload(
                    link,
                    PathBuf::from(upload.path.trim()),
                    *len_bytes,
                    upload.content_type.header_value(),
                )),
                Some(other) => Err(Blocker::File(other.clone())),
            }
        }
        Operation::Get => {
            if download.name.trim().is_empty() {
                return Err(Blocker::NoName);
            }
            match &download.state {
                None => Err(Blocker::Checking),
                Some(state) if !state.folder_exists => Err(Blocker::FolderMissing),
                Some(state) if state.name_taken && !download.replace_existing => {
                    Err(Blocker::DestinationTaken(download.name.trim().to_owned()))
                }
                Some(state) => Ok(Plan::download(
                    link,
                    download.destination(),
                    state.name_taken && download.replace_existing,
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::Payload;

    const LINK: &str = "http://127.0.0.1:9000/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-Signature=x&X-Amz-SignedHeaders=host";

    fn now() -> Timestamp {
        "2026-11-24T06:30:00Z".parse().unwrap()
    }

    fn forms() -> (UploadForm, DownloadForm) {
        (
            UploadForm {
                path: "/tmp/k.csv".into(),
                state: Some(FileState::File { len_bytes: 7 }),
                content_type: ContentTypeChoice::send("text/csv"),
            },
            DownloadForm {
                folder: "/tmp".into(),
                name: "k.csv".into(),
                state: Some(DestinationState {
                    folder_exists: true,
                    name_taken: false,
                }),
                replace_existing: false,
            },
        )
    }

    #[test]
    fn ready_forms_make_plans() {
        let link = PresignedLink::parse(LINK);
        let (up, down) = forms();
        let plan = prepare(&link, Operation::Put, &up, &down, false, now()).unwrap();
        assert_eq!(
            plan.payload,
            Payload::Upload {
                path: "/tmp/k.csv".into(),
                len_bytes: 7
            }
        );
        assert_eq!(
            plan.headers,
            [("Content-Type".to_owned(), "text/csv".to_owned())]
        );
        let plan = prepare(&link, Operation::Get, &up, &down, false, now()).unwrap();
        assert_eq!(
            plan.payload,
            Payload::Download {
                destination: "/tmp/k.csv".into(),
                replace_existing: false,
                name_from_response: false,
            }
        );
    }

    #[test]
    fn each_blocker() {
        let link = PresignedLink::parse(LINK);
        let later: Timestamp = "2026-11-24T08:00:00Z".parse().unwrap();
        let (up, down) = forms();
        let put = |up: &UploadForm, when| prepare(&link, Operation::Put, up, &down, false, when);

        assert_eq!(
            prepare(
                &PresignedLink::parse(" "),
                Operation::Put,
                &up,
                &down,
                false,
                now()
            )
            .unwrap_err(),
            Blocker::Link(LinkError::Empty)
        );
        assert_eq!(put(&up, later).unwrap_err(), Blocker::Expired);
        assert!(
            prepare(&link, Operation::Put, &up, &down, true, later).is_ok(),
            "sent anyway on request"
        );
        let mut no_file = up.clone();
        no_file.path = "  ".into();
        assert_eq!(put(&no_file, now()).unwrap_err(), Blocker::NoFile);
        let mut folder = up.clone();
        folder.state = Some(FileState::Folder);
        assert_eq!(
            put(&folder, now()).unwrap_err(),
            Blocker::File(FileState::Folder)
        );
        let mut unchecked = up.clone();
        unchecked.state = None;
        assert_eq!(put(&unchecked, now()).unwrap_err(), Blocker::Checking);

        let get = |down: &DownloadForm| prepare(&link, Operation::Get, &up, down, false, now());
        let mut taken = down.clone();
        taken.state = Some(DestinationState {
            folder_exists: true,
            name_taken: true,
        });
        assert_eq!(
            get(&taken).unwrap_err(),
            Blocker::DestinationTaken("k.csv".into())
        );
        taken.replace_existing = true;
        assert!(matches!(
            get(&taken).unwrap().payload,
            Payload::Download {
                replace_existing: true,
                ..
            }
        ));
        let mut missing = down.clone();
        missing.state = Some(DestinationState {
            folder_exists: false,
            name_taken: false,
        });
        assert_eq!(get(&missing).unwrap_err(), Blocker::FolderMissing);
        let mut nameless = down.clone();
        nameless.name = String::new();
        assert_eq!(get(&nameless).unwrap_err(), Blocker::NoName);
    }
}
