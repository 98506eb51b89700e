//! A table saved to a file, to hand on: as CSV or JSON by the name the person chose, written
//! whole or not at all (a temporary file beside it, renamed into place), and, where no save
//! dialog can open, under a new name that replaces nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A table in both the forms it can be saved in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The name offered (without its extension), e.g. `presigndesk-queue-2026-12-07`.
    pub stem: String,
    /// The table as CSV.
    pub csv: String,
    /// The table as JSON.
    pub json: String,
}

/// The form a file is saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

impl Format {
    /// The form the name `path` asks for: JSON when it ends in `.json`, CSV otherwise.
    pub fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Csv,
        }
    }
}

impl Export {
    /// The text to write at `path`, and the path itself with `.csv` added when the name has
    /// no extension.
    pub fn for_path(&self, path: &Path) -> (PathBuf, &str) {
        let path = if path.extension().is_none() {
            path.with_extension("csv")
        } else {
            path.to_owned()
        };
        let text = match Format::for_path(&path) {
            Format::Csv => &self.csv,
            Format::Json => &self.json,
        };
        (path, text)
    }

    /// Writes it at `path`, chosen in a save dialog (which asked before replacing a file).
    /// The file is whole or not there: a failure leaves what was at `path` as it was.
    pub fn save_as(&self, path: &Path) -> std::io::Result<PathBuf> {
        let (path, text) = self.for_path(path);
        write_whole(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Writes it as CSV in `folder` under a name no file has (`name (1).csv`...), for when no
    /// save dialog can open: nothing is replaced.
    pub fn save_new_in(&self, folder: &Path) -> std::io::Result<PathBuf> {
        let name = format!("{}.csv", self.stem);
        for _ in 0..100 {
            let path = crate::transfer::naming::keep_both_name(folder, &name, |p| {
                p.symlink_metadata().is_ok()
            });
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let written = file
                        .write_all(self.csv.as_bytes())
                        .and_then(|()| file.sync_all());
                    if let Err(e) = written {
                        let _ = std::fs::remove_file(&path);
                        return Err(e);
                    }
                    return Ok(path);
                }
                // Taken between the look and the write: look again.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free name",
        ))
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.presigndesk-saving"));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export() -> Export {
        Export {
            stem: "presigndesk-queue".into(),
            csv: "file,result\na.pdf,done\n".into(),
            json: "[{\"file\":\"a.pdf\"}]".into(),
        }
    }

    #[test]
    fn the_name_chosen_says_the_form() {
        let dir = tempfile::tempdir().unwrap();
        let e = export();
        let json = e.save_as(&dir.path().join("results.JSON")).unwrap();
        assert_eq!(std::fs::read_to_string(json).unwrap(), e.json);
        let csv = e.save_as(&dir.path().join("results.csv")).unwrap();
        assert_eq!(std::fs::read_to_string(csv).unwrap(), e.csv);
        // No extension: CSV, and the name says so.
        let bare = e.save_as(&dir.path().join("results")).unwrap();
        assert_eq!(bare, dir.path().join("results.csv"));
        // Another extension: CSV under the name given.
        let txt = e.save_as(&dir.path().join("results.txt")).unwrap();
        assert_eq!(std::fs::read_to_string(txt).unwrap(), e.csv);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("saving"))
            .collect();
        assert!(left.is_empty(), "no temporary file is left: {left:?}");
    }

    #[test]
    fn a_save_that_fails_leaves_the_file_there_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.csv");
        std::fs::write(&path, "before").unwrap();
        // The temporary file cannot be made: a folder stands where it would go.
        std::fs::create_dir(dir.path().join(".results.csv.presigndesk-saving")).unwrap();
        assert!(export().save_as(&path).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "before");
    }

    #[test]
    fn without_a_dialog_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("presigndesk-queue.csv"), "mine").unwrap();
        let e = export();
        let first = e.save_new_in(dir.path()).unwrap();
        let second = e.save_new_in(dir.path()).unwrap();
        assert_eq!(first, dir.path().join("presigndesk-queue (1).csv"));
        assert_eq!(second, dir.path().join("presigndesk-queue (2).csv"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("presigndesk-queue.csv")).unwrap(),
            "mine"
        );
        assert_eq!(std::fs::read_to_string(first).unwrap(), e.csv);
    }
}
