//! The partial file a download is written to: hidden beside its destination, put in place only
//! when complete, never over a file without permission, and removed otherwise.

use std::io;
use std::path::{Path, PathBuf};

use super::TransferError;

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
    destination.with_file_name(format!(
        ".{name}.{}-{unique:08x}.presigndesk-part",
        std::process::id()
    ))
}

/// A failed write to `path` as the error people see.
pub(super) fn write_failed(path: &Path) -> impl Fn(io::Error) -> TransferError + '_ {
    move |e| TransferError::WriteFile {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Refuses a download the disk cannot hold.
pub(super) fn check_free_space(destination: &Path, needed: u64) -> Result<(), TransferError> {
    let folder = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match fs4::available_space(folder) {
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
}

impl PartialFile {
    pub async fn create(destination: &Path) -> Result<(Self, tokio::fs::File), TransferError> {
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
                    let _ = tokio::fs::remove_file(&self.path).await;
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(TransferError::DestinationExists(destination.to_owned()));
                }
                // File systems without hard links: check, then rename.
                Err(_) if !destination.exists() => {
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
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
