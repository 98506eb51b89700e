//! The partial file a download is written to: hidden beside its destination, put in place only
//! when complete, never over a file without permission, and removed otherwise.

use std::io;
use std::path::{Path, PathBuf};

use super::{Reporter, TransferError, TransferEvent};

/// The name a download is saved under while it is incomplete: hidden, beside `destination`.
pub fn partial_path(destination: &Path) -> PathBuf {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".to_owned());
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let hidden = |name: &str| {
        format!(
            ".{name}.{}-{unique:08x}.presigndesk-part",
            std::process::id()
        )
    };
    // The final name may use all 255 bytes; the partial one cuts it to leave room for its marks.
    let room = super::naming::NAME_MAX_BYTES.saturating_sub(hidden("").len());
    destination.with_file_name(hidden(&super::naming::cut_name(&name, room)))
}

/// A failed write to `path` as the error people see.
pub(super) fn write_failed(path: &Path) -> impl Fn(io::Error) -> TransferError + '_ {
    move |e| TransferError::WriteFile {
        path: path.to_owned(),
        reason: write_reason(&e, std::env::consts::OS, || held_open(path)),
    }
}

/// ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another program holds the file.
const IN_USE: [i32; 2] = [32, 33];
/// ERROR_ACCESS_DENIED: what replacing a file another program holds open gives, among others.
const ACCESS_DENIED: i32 = 5;

/// Why a write failed, in words: on Windows a file another program holds open cannot be
/// written or replaced (the system says "access denied" for a replace, which also means a
/// missing permission; `held` tells them apart by trying to open the file).
fn write_reason(e: &io::Error, os: &str, held: impl FnOnce() -> bool) -> String {
    let code = e.raw_os_error();
    let in_use = os == "windows"
        && (code.is_some_and(|c| IN_USE.contains(&c)) || (code == Some(ACCESS_DENIED) && held()));
    if in_use {
        crate::text::tr(crate::text::T::ErrFileInUse).to_owned()
    } else {
        e.to_string()
    }
}

/// Whether another program holds `path` open without sharing it (Windows).
fn held_open(path: &Path) -> bool {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .err()
        .and_then(|e| e.raw_os_error())
        .is_some_and(|code| IN_USE.contains(&code))
}

/// Runs a file call that may wait on a slow disk or a network share off the runtime's threads.
pub(super) async fn off_thread<T: Send + 'static>(
    call: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(io::Error::other)
        .and_then(|result| result)
}

/// Refuses a download the disk cannot hold.
pub(super) async fn check_free_space(destination: &Path, needed: u64) -> Result<(), TransferError> {
    let folder = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    match off_thread(move || fs4::available_space(folder)).await {
        Ok(available) if available < needed => Err(TransferError::NoSpace { needed, available }),
        // Unknown free space is no reason to refuse; the write will say if it fails.
        _ => Ok(()),
    }
}

/// A download in progress, hidden beside its destination; removed unless finished, including
/// when the transfer's future is dropped by a cancel.
pub(super) struct PartialFile {
    pub path: PathBuf,
    finished: bool,
    /// Told when the file cannot be removed.
    report: Reporter,
}

impl PartialFile {
    pub async fn create(
        destination: &Path,
        report: Reporter,
    ) -> Result<(Self, tokio::fs::File), TransferError> {
        let path = partial_path(destination);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(write_failed(destination))?;
        Ok((
            Self {
                path,
                finished: false,
                report,
            },
            file,
        ))
    }

    /// Puts the complete file in place. Without permission to replace, a file that appeared
    /// meanwhile is never overwritten: a hard link fails if the name is taken.
    pub async fn finish(
        mut self,
        destination: &Path,
        replace_existing: bool,
    ) -> Result<(), TransferError> {
        let write_error = write_failed(destination);
        if replace_existing {
            tokio::fs::rename(&self.path, destination)
                .await
                .map_err(write_error)?;
        } else {
            match tokio::fs::hard_link(&self.path, destination).await {
                Ok(()) => {
                    let removed = tokio::fs::remove_file(&self.path).await;
                    self.removed(removed);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(TransferError::DestinationExists(destination.to_owned()));
                }
                // File systems without hard links: check, then rename.
                Err(_) if !tokio::fs::try_exists(destination).await.unwrap_or(true) => {
                    tokio::fs::rename(&self.path, destination)
                        .await
                        .map_err(write_error)?;
                }
                Err(_) => return Err(TransferError::DestinationExists(destination.to_owned())),
            }
        }
        self.finished = true;
        Ok(())
    }

    /// Reports a removal that failed; a file already gone is not a failure.
    fn removed(&self, result: io::Result<()>) {
        if let Err(e) = result
            && e.kind() != io::ErrorKind::NotFound
        {
            (self.report)(TransferEvent::PartialLeft {
                path: self.path.clone(),
                reason: e.to_string(),
            });
        }
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.finished {
            // Drop cannot wait: a cancel drops the transfer's future, and the file must go
            // before the outcome is told.
            self.removed(std::fs::remove_file(&self.path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_open_in_another_program_on_windows_is_said_in_words() {
        let sharing = io::Error::from_raw_os_error(32);
        let denied = io::Error::from_raw_os_error(5);
        for language in crate::text::Language::all() {
            crate::text::with_language(language, || {
                let said = write_reason(&sharing, "windows", || false);
                assert_eq!(said, crate::text::tr(crate::text::T::ErrFileInUse));
                assert_ne!(said, sharing.to_string());
                // A replace refused as "access denied" while the file is held open.
                assert_eq!(write_reason(&denied, "windows", || true), said);
            });
        }
        assert_eq!(
            write_reason(&io::Error::from_raw_os_error(33), "windows", || false),
            write_reason(&sharing, "windows", || false)
        );
        // Access denied with nobody holding the file: a permission, in the system's words.
        assert_eq!(
            write_reason(&denied, "windows", || false),
            denied.to_string()
        );
        // Elsewhere the numbers mean other things: the system's own words stay.
        assert_eq!(
            write_reason(&sharing, "linux", || true),
            sharing.to_string()
        );
        assert_eq!(write_reason(&denied, "linux", || true), denied.to_string());
        // A file nobody holds is not taken for one in use.
        let free = std::env::temp_dir().join(format!("presign-desk-free-{}", std::process::id()));
        std::fs::write(&free, "x").unwrap();
        assert!(!held_open(&free));
        std::fs::remove_file(&free).unwrap();
    }

    #[test]
    fn the_partial_name_fits_where_the_final_name_fits() {
        for name in [
            "report.csv".to_owned(),
            format!("{}見積.pdf", "見積書".repeat(26)), // 80 characters, 244 bytes
            format!("{}.pdf", "見".repeat(83)),         // 253 bytes: a legal final name
            "👨\u{200d}👩\u{200d}👧\u{200d}👦".repeat(10),
            "e\u{301}".repeat(80),
        ] {
            let destination = Path::new("/downloads").join(&name);
            let partial = partial_path(&destination);
            let partial_name = partial.file_name().unwrap().to_str().unwrap();
            assert!(partial_name.len() <= 255, "{name}: {}", partial_name.len());
            assert!(partial_name.starts_with('.'));
            assert!(partial_name.ends_with(".presigndesk-part"));
            assert_eq!(partial.parent(), destination.parent());
            if name.len() < 200 {
                assert!(partial_name.contains(&name), "short names are kept whole");
            }
        }
    }
}
