//! The system's own programs for opening a file and showing it in its folder.

use std::path::Path;

/// The program and arguments that open `path` with the system's own program (`reveal`: show it
/// in its folder instead) on `os` (`std::env::consts::OS`).
pub fn opener(path: &Path, reveal: bool, os: &str) -> (&'static str, Vec<std::ffi::OsString>) {
    let path = path.as_os_str().to_owned();
    match (os, reveal) {
        ("macos", true) => ("open", vec!["-R".into(), path]),
        ("macos", false) => ("open", vec![path]),
        ("windows", true) => {
            let mut select = std::ffi::OsString::from("/select,");
            select.push(&path);
            ("explorer", vec![select])
        }
        ("windows", false) => ("explorer", vec![path]),
        // Linux and the BSDs: the desktop's opener; a folder opens in the file manager.
        (_, true) => (
            "xdg-open",
            vec![
                Path::new(&path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .as_os_str()
                    .to_owned(),
            ],
        ),
        (_, false) => ("xdg-open", vec![path]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_system_opens_a_file_and_shows_it_in_its_folder() {
        let path = Path::new("/home/u/Downloads/hello.txt");
        let args = |v: Vec<std::ffi::OsString>| -> Vec<String> {
            v.into_iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        };
        let (program, a) = opener(path, false, "linux");
        assert_eq!(
            (program, args(a)),
            ("xdg-open", vec![path.display().to_string()])
        );
        let (program, a) = opener(path, true, "linux");
        assert_eq!(
            (program, args(a)),
            ("xdg-open", vec!["/home/u/Downloads".to_owned()])
        );
        let (program, a) = opener(path, true, "macos");
        assert_eq!(
            (program, args(a)),
            ("open", vec!["-R".to_owned(), path.display().to_string()])
        );
        let (program, a) = opener(path, true, "windows");
        assert_eq!(program, "explorer");
        assert!(args(a)[0].starts_with("/select,"));
    }
}
