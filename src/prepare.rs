//! Decide whether the user's inputs make a request that can be sent, and if not, why not.
//! Pure: the UI gathers facts about files (off its thread) and renders the answer.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::content_type::ContentTypeChoice;
use crate::exchange::Plan;
use crate::link::{Finding, LinkError, Operation, PresignedLink};
use crate::text::{T, fill, tr};

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
    /// The link's findings say it cannot work as it is: cut short, altered, no signature…
    /// (the user may send it anyway, for testing).
    CannotWork(Vec<Finding>),
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
    /// Headers the link signs have no value yet.
    HeaderMissing(Vec<String>),
    /// The text looks like an upload form but does not read; why.
    FormUnreadable(String),
    /// An upload form's checks say the storage would refuse the upload (the tester may send
    /// anyway); why, in words.
    FormCheck(String),
    /// A multipart set's parts cannot hold the chosen file; why, in words.
    PartsDoNotFit(String),
}

impl Blocker {
    /// Whether the reason shows under the button: what shows nowhere else (the link's and the
    /// file's own problems show where they are).
    pub fn shown_under_button(&self) -> bool {
        matches!(
            self,
            Blocker::Expired
                | Blocker::CannotWork(_)
                | Blocker::NoFile
                | Blocker::NoName
                | Blocker::HeaderMissing(_)
                | Blocker::FormCheck(_)
                | Blocker::PartsDoNotFit(_)
        )
    }

    /// Whether the tester may send it anyway.
    pub fn may_send_anyway(&self) -> bool {
        matches!(
            self,
            Blocker::Expired | Blocker::CannotWork(_) | Blocker::FormCheck(_)
        )
    }

    /// The reason in words.
    pub fn message(&self) -> String {
        match self {
            Blocker::Link(e) => e.to_string(),
            Blocker::Expired => tr(T::ExpiredButtonReason).to_owned(),
            Blocker::CannotWork(_) => tr(T::CannotWorkButtonReason).to_owned(),
            Blocker::NoFile => tr(T::NoFileChosen).to_owned(),
            Blocker::Checking => tr(T::Checking).to_owned(),
            Blocker::File(FileState::Folder) => tr(T::FileIsFolder).to_owned(),
            Blocker::File(_) => tr(T::FileMissing).to_owned(),
            Blocker::FolderMissing => tr(T::FolderMissing).to_owned(),
            Blocker::NoName => tr(T::NoFileName).to_owned(),
            Blocker::DestinationTaken(name) => fill(T::DestinationExists, &[("name", name)]),
            Blocker::FormCheck(reason) => fill(T::FormCheckReason, &[("reason", reason)]),
            Blocker::FormUnreadable(reason) | Blocker::PartsDoNotFit(reason) => reason.clone(),
            Blocker::HeaderMissing(names) => {
                fill(T::HeaderMissingReason, &[("headers", &names.join(", "))])
            }
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
    /// Values the person typed for headers the link signs, by name.
    pub headers: Vec<(String, String)>,
    /// The file's digests the signed headers need, once computed (`None`: not yet).
    pub digests: Option<Vec<(crate::signed_headers::Digest, String)>>,
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
        file_path(&self.folder).join(self.name.trim())
    }
}

impl UploadForm {
    /// The file, as the path typed or pasted names it.
    pub fn file(&self) -> PathBuf {
        file_path(&self.path)
    }
}

/// A path as a person types or pastes it: surrounding spaces and quotes (a file manager's
/// "copy path"), or a `file://` address (a file dragged into a text field), taken off.
pub fn file_path(text: &str) -> PathBuf {
    let mut text = text.trim();
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            text = inner.trim();
        }
    }
    let lower = text.get(..7).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("file://") {
        let rest = &text[7..];
        let rest = rest.strip_prefix("localhost").unwrap_or(rest);
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
        // file:///C:/Users/… names a Windows path.
        let windows_drive = decoded.len() > 3
            && decoded.as_bytes()[0] == b'/'
            && decoded.as_bytes()[2] == b':'
            && decoded.as_bytes()[1].is_ascii_alphabetic();
        return PathBuf::from(if windows_drive {
            decoded[1..].to_owned()
        } else {
            decoded.into_owned()
        });
    }
    PathBuf::from(text)
}

/// The operation the form performs: the one a link states decides, unless the tester
/// overrode it (in the details); a link that does not say takes the person's choice.
pub fn operation(
    link: Option<&PresignedLink>,
    overridden: Option<Operation>,
    chosen: Operation,
) -> Operation {
    match link.and_then(|l| l.operation) {
        Some(stated) => overridden.unwrap_or(stated),
        None => chosen,
    }
}

/// The file type an upload of `file` through `form` sends unless the tester chooses another:
/// the one the form fixes, else the one the file's name suggests, else none. The same in the
/// window and on the command line.
pub fn form_type(form: &crate::post::PostForm, file: &Path) -> ContentTypeChoice {
    match crate::post::check::fixed_type(form).or_else(|| crate::content_type::guess_for_path(file))
    {
        Some(value) => ContentTypeChoice::send(value),
        None => ContentTypeChoice::none(),
    }
}

/// What the form's checks find against an upload of `file` (`len_bytes` long) with the type
/// `chosen`, which goes only where the form takes one.
pub fn form_problems(
    form: &crate::post::PostForm,
    file: &Path,
    len_bytes: u64,
    chosen: Option<&str>,
    now: Timestamp,
) -> Vec<crate::post::check::Problem> {
    use crate::post::check;
    check::check(
        form,
        &check::Upload {
            file_name: &crate::link::file_name(file),
            size: len_bytes,
            content_type: chosen.filter(|_| check::sends_type(form)),
        },
        now,
    )
}

/// The plan of an upload through `form`, or what stands in the way: the file, and the form's
/// checks (which the tester may override with `send_anyway`).
pub fn prepare_post(
    form: &crate::post::PostForm,
    upload: &UploadForm,
    send_anyway: bool,
    now: Timestamp,
) -> Result<Plan, Blocker> {
    let len_bytes = chosen_len(upload)?;
    let file = upload.file();
    let chosen = upload.content_type.header_value();
    let problems = form_problems(form, &file, len_bytes, chosen, now);
    if !problems.is_empty() && !send_anyway {
        let diagnosis = crate::diagnose::of_form_problems(form, &problems);
        return Err(Blocker::FormCheck(diagnosis.explanation));
    }
    Ok(Plan::post(form, file, len_bytes, chosen))
}

/// The chosen file's size, or why there is none yet.
fn chosen_len(upload: &UploadForm) -> Result<u64, Blocker> {
    if upload.path.trim().is_empty() {
        return Err(Blocker::NoFile);
    }
    match &upload.state {
        None => Err(Blocker::Checking),
        Some(FileState::File { len_bytes }) => Ok(*len_bytes),
        Some(other) => Err(Blocker::File(other.clone())),
    }
}

/// The plan of a multipart upload of the chosen file through `set`, or what stands in the way:
/// no file, a set whose parts cannot hold the file (said before anything is sent), links
/// expired.
pub fn prepare_parts(
    set: &crate::link::parts::PartsSet,
    upload: &UploadForm,
    send_anyway: bool,
    now: Timestamp,
) -> Result<Plan, Blocker> {
    if !send_anyway && set.expires_at().is_some_and(|at| at <= now) {
        return Err(Blocker::Expired);
    }
    let len_bytes = chosen_len(upload)?;
    let layout = set
        .layout(len_bytes)
        .map_err(|problem| Blocker::PartsDoNotFit(problem.to_string()))?;
    Ok(Plan::parts(set.clone(), layout, upload.file(), len_bytes))
}

/// Builds the plan the inputs describe, or says what stands in the way. `send_anyway` is the
/// tester's explicit "send it anyway" for a link that is expired or cannot work as it is.
pub fn prepare(
    link: &Result<PresignedLink, LinkError>,
    operation: Operation,
    upload: &UploadForm,
    download: &DownloadForm,
    send_anyway: bool,
    now: Timestamp,
) -> Result<Plan, Blocker> {
    let link = link.as_ref().map_err(|e| Blocker::Link(e.clone()))?;
    if !send_anyway {
        if link.is_expired(now) {
            return Err(Blocker::Expired);
        }
        let findings = crate::link::findings::cannot_work(&link.findings(now, Some(operation)));
        if !findings.is_empty() {
            return Err(Blocker::CannotWork(findings));
        }
    }
    match operation {
        Operation::Put => {
            if upload.path.trim().is_empty() {
                return Err(Blocker::NoFile);
            }
            match &upload.state {
                None => Err(Blocker::Checking),
                Some(FileState::File { len_bytes }) => {
                    let needed = crate::signed_headers::needed(link);
                    let digests = upload.digests.as_deref().unwrap_or_default();
                    let wanted = crate::signed_headers::digests(&needed);
                    if wanted.iter().any(|w| !digests.iter().any(|(d, _)| d == w)) {
                        return Err(Blocker::Checking);
                    }
                    let headers = crate::signed_headers::values(&needed, digests, &upload.headers)
                        .map_err(Blocker::HeaderMissing)?;
                    Ok(Plan::upload(
                        link,
                        upload.file(),
                        *len_bytes,
                        upload.content_type.header_value(),
                    )
                    .with_headers(headers))
                }
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
    use crate::exchange::Payload;

    const LINK: &str = "http://127.0.0.1:9000/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-Signature=x&X-Amz-SignedHeaders=host";

    fn now() -> Timestamp {
        "2026-11-24T06:30:00Z".parse().unwrap()
    }

    fn forms() -> (UploadForm, DownloadForm) {
        (
            UploadForm {
                path: "/tmp/k.csv".into(),
                state: Some(FileState::File { len_bytes: 7 }),
                content_type: ContentTypeChoice::send("text/csv"),
                headers: Vec::new(),
                digests: None,
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
                len_bytes: 7,
                pieces: None,
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
    fn paths_as_people_paste_them() {
        for (typed, path) in [
            ("/tmp/report.csv", "/tmp/report.csv"),
            ("  '/tmp/my report.csv'  ", "/tmp/my report.csv"),
            ("\"/tmp/見積.csv\"", "/tmp/見積.csv"),
            ("file:///tmp/my%20report.csv", "/tmp/my report.csv"),
            ("file://localhost/tmp/a.csv", "/tmp/a.csv"),
            ("file:///home/u/%E8%A6%8B%E7%A9%8D.csv", "/home/u/見積.csv"),
            ("file:///C:/Users/u/a.csv", "C:/Users/u/a.csv"),
        ] {
            assert_eq!(file_path(typed), PathBuf::from(path), "{typed}");
        }
    }

    #[test]
    fn a_link_that_states_its_operation_decides_unless_overridden() {
        let get = PresignedLink::parse(&format!("{LINK}&x-id=GetObject")).unwrap();
        let unsaid = PresignedLink::parse(LINK).unwrap();
        assert_eq!(operation(Some(&get), None, Operation::Put), Operation::Get);
        assert_eq!(
            operation(Some(&get), Some(Operation::Put), Operation::Get),
            Operation::Put
        );
        assert_eq!(
            operation(Some(&unsaid), None, Operation::Put),
            Operation::Put
        );
        assert_eq!(
            operation(Some(&unsaid), Some(Operation::Get), Operation::Put),
            Operation::Put,
            "the override is for a link that states its operation"
        );
        assert_eq!(operation(None, None, Operation::Get), Operation::Get);
    }

    #[test]
    fn a_link_that_cannot_work_asks_first() {
        let (up, down) = forms();
        let cut = PresignedLink::parse(&LINK.replace("&X-Amz-Signature=x", ""));
        let blocked = prepare(&cut, Operation::Put, &up, &down, false, now()).unwrap_err();
        let Blocker::CannotWork(findings) = &blocked else {
            panic!("{blocked:?}")
        };
        assert_eq!(findings[0].id.as_str(), "missing-parameters");
        assert!(blocked.shown_under_button() && blocked.may_send_anyway());
        assert!(prepare(&cut, Operation::Put, &up, &down, true, now()).is_ok());
        let unsigned = PresignedLink::parse("http://127.0.0.1:9000/b/k.csv");
        assert!(matches!(
            prepare(&unsigned, Operation::Put, &up, &down, false, now()),
            Err(Blocker::CannotWork(_))
        ));
        assert!(!Blocker::Checking.shown_under_button());
    }

    #[test]
    fn headers_the_link_signs_are_sent_once_known_and_stop_the_button_until_then() {
        let signed = LINK.replace(
            "X-Amz-SignedHeaders=host",
            "X-Amz-SignedHeaders=content-md5%3Bhost%3Bx-amz-acl",
        );
        let link = PresignedLink::parse(&signed);
        let (mut up, down) = forms();
        assert_eq!(
            prepare(&link, Operation::Put, &up, &down, false, now()).unwrap_err(),
            Blocker::Checking,
            "the MD5 is being computed"
        );
        up.digests = Some(vec![(crate::signed_headers::Digest::Md5, "bWQ1".into())]);
        let blocked = prepare(&link, Operation::Put, &up, &down, false, now()).unwrap_err();
        assert_eq!(blocked, Blocker::HeaderMissing(vec!["x-amz-acl".into()]));
        assert!(blocked.shown_under_button());
        up.headers.push(("x-amz-acl".into(), "private".into()));
        let plan = prepare(&link, Operation::Put, &up, &down, false, now()).unwrap();
        assert_eq!(plan.header("content-md5"), Some("bWQ1"));
        assert_eq!(plan.header("x-amz-acl"), Some("private"));
        // A link that signs only the host sends nothing more.
        let plain = PresignedLink::parse(LINK);
        let plan = prepare(&plain, Operation::Put, &up, &down, false, now()).unwrap();
        assert_eq!(plan.header("x-amz-acl"), None);
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
