//! The files given for a batch: each file as given, each folder walked for its files (sorted,
//! recursively), hidden files and folders left out and counted, and what could not be read
//! kept with its reason so that it is said in its row and never sent.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The most files one batch takes from folders; a folder with more is cut there and the cut
/// said, so that a drop of a whole disk costs no more than this.
pub const MAX_FILES: usize = 100_000;

/// One file of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// The file as it is opened.
    pub path: PathBuf,
    /// Its name, as a person names it.
    pub name: String,
    /// Its folders under the folder it was found in (empty for a file given on its own): what
    /// tells two files of one name apart.
    pub folders: Vec<String>,
    /// Its size, or why it cannot be read.
    pub size: Result<u64, String>,
}

/// The files found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    /// Every file, in the order given (a folder's in name order).
    pub entries: Vec<FileEntry>,
    /// Hidden files and folders left out of the folders walked.
    pub hidden: usize,
    /// Folders that could not be read, with the reason.
    pub unreadable_folders: Vec<(PathBuf, String)>,
    /// Whether the folders held more than [`MAX_FILES`] files (the rest left out).
    pub cut: bool,
}

/// The files of `paths`: files as given, folders walked.
pub fn gather(paths: &[PathBuf]) -> Files {
    let mut files = Files::default();
    let mut seen = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if first_visit(path, &mut seen, &mut files) {
                    walk(path, &mut Vec::new(), &mut seen, &mut files)
                }
            }
            Ok(meta) => files.entries.push(entry(path, Vec::new(), Ok(meta.len()))),
            Err(e) => files
                .entries
                .push(entry(path, Vec::new(), Err(e.to_string()))),
        }
    }
    files
}

fn entry(path: &Path, folders: Vec<String>, size: Result<u64, String>) -> FileEntry {
    // A file that is there but cannot be opened is as unreadable as one that is not there.
    let size = size.and_then(|len| {
        std::fs::File::open(path)
            .map(|_| len)
            .map_err(|e| e.to_string())
    });
    FileEntry {
        path: path.to_owned(),
        name: crate::link::file_name(path),
        folders,
        size,
    }
}

/// Whether `folder` is walked for the first time; a folder reached again (a link back to a
/// folder above it, or given twice) is said once and not walked again, so no file is given
/// twice and a loop ends.
fn first_visit(folder: &Path, seen: &mut HashSet<PathBuf>, files: &mut Files) -> bool {
    let real = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    if seen.insert(real) {
        return true;
    }
    files.unreadable_folders.push((
        folder.to_owned(),
        crate::text::tr(crate::text::T::BatchFolderAgain).to_owned(),
    ));
    false
}

fn walk(folder: &Path, under: &mut Vec<String>, seen: &mut HashSet<PathBuf>, files: &mut Files) {
    let read = std::fs::read_dir(folder).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
    let mut entries = match read {
        Ok(entries) => entries,
        Err(e) => {
            files
                .unreadable_folders
                .push((folder.to_owned(), e.to_string()));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for dir_entry in entries {
        if files.entries.len() >= MAX_FILES {
            files.cut = true;
            return;
        }
        let path = dir_entry.path();
        let name = dir_entry.file_name().to_string_lossy().into_owned();
        let meta = std::fs::metadata(&path);
        if is_hidden(&name, meta.as_ref().ok()) {
            files.hidden += 1;
            continue;
        }
        match meta {
            Ok(meta) if meta.is_dir() => {
                if first_visit(&path, seen, files) {
                    under.push(name);
                    walk(&path, under, seen, files);
                    under.pop();
                }
            }
            Ok(meta) if meta.is_file() => {
                files
                    .entries
                    .push(entry(&path, under.clone(), Ok(meta.len())))
            }
            // Sockets, pipes, devices: nothing to upload.
            Ok(_) => {}
            Err(e) => files
                .entries
                .push(entry(&path, under.clone(), Err(e.to_string()))),
        }
    }
}

/// A dot file, or one the system marks hidden (Windows).
fn is_hidden(name: &str, meta: Option<&std::fs::Metadata>) -> bool {
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
        if meta.is_some_and(|m| m.file_attributes() & FILE_ATTRIBUTE_HIDDEN != 0) {
            return true;
        }
    }
    #[cfg(not(windows))]
    let _ = meta;
    name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_gives_its_files_without_the_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("month");
        std::fs::create_dir_all(root.join("a/deep")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("b.csv"), "12").unwrap();
        std::fs::write(root.join("a/deep/c.csv"), "3").unwrap();
        std::fs::write(root.join(".DS_Store"), "x").unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        let single = dir.path().join(".env");
        std::fs::write(&single, "given on purpose").unwrap();
        let files = gather(&[root.clone(), single.clone(), dir.path().join("missing.csv")]);
        let names: Vec<_> = files.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["c.csv", "b.csv", ".env", "missing.csv"]);
        assert_eq!(files.entries[0].folders, ["a", "deep"]);
        assert_eq!(files.entries[1].size, Ok(2));
        // A hidden file given by name is the user's choice; in a folder it is left out.
        assert_eq!(files.hidden, 2);
        assert!(files.entries[3].size.is_err());
        assert!(!files.cut);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_back_to_a_folder_above_is_said_and_not_walked_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("scans");
        std::fs::create_dir_all(root.join("inner")).unwrap();
        std::fs::write(root.join("a.pdf"), "1").unwrap();
        std::fs::write(root.join("inner/b.pdf"), "2").unwrap();
        std::os::unix::fs::symlink(&root, root.join("inner/up")).unwrap();
        // A link to a file that is gone: unreadable, kept to be said in its row.
        std::os::unix::fs::symlink(root.join("gone.pdf"), root.join("c.pdf")).unwrap();
        // The same folder given twice.
        let files = gather(&[root.clone(), root.clone()]);
        let names: Vec<_> = files.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.pdf", "c.pdf", "b.pdf"]);
        assert!(
            files.entries[1].size.is_err(),
            "the broken link cannot be read"
        );
        let again: Vec<_> = files
            .unreadable_folders
            .iter()
            .map(|(p, _)| p.clone())
            .collect();
        assert_eq!(again, [root.join("inner/up"), root.clone()]);
    }
}
