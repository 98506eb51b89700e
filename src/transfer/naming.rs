//! Names for downloaded files. Pure.

use std::path::{Path, PathBuf};

use crate::link::PresignedLink;

const MAX_NAME_CHARS: usize = 200;
const FALLBACK_NAME: &str = "download";

/// The file name a download gets from the link: the key's last segment, made safe.
pub fn file_name_for(link: &PresignedLink) -> String {
    let last = link
        .key
        .as_deref()
        .and_then(|k| k.rsplit('/').find(|s| !s.is_empty()))
        .unwrap_or_default();
    sanitize(last)
}

/// Makes `name` safe as a single file name in any folder on any system: no separators, no `..`,
/// no control characters, no Windows reserved names, not too long.
pub fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_end_matches('.').trim_start_matches('.');
    let cleaned: String = cleaned.chars().take(MAX_NAME_CHARS).collect();
    if cleaned.trim().is_empty() {
        return FALLBACK_NAME.to_owned();
    }
    let stem = cleaned
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// `name` in `folder`, or `name (1)`, `name (2)`... if taken, as `exists` tells.
pub fn keep_both_name(folder: &Path, name: &str, exists: impl Fn(&Path) -> bool) -> PathBuf {
    let first = folder.join(name);
    if !exists(&first) {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    (1..)
        .map(|n| folder.join(format!("{stem} ({n}){ext}")))
        .find(|candidate| !exists(candidate))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_table() {
        let cases = [
            ("report.csv", "report.csv"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..", FALLBACK_NAME),
            ("", FALLBACK_NAME),
            ("   ", FALLBACK_NAME),
            ("a\u{0}b\nc", "a_b_c"),
            ("C:\\evil.txt", "C__evil.txt"),
            ("CON", "_CON"),
            ("com1.txt", "_com1.txt"),
            ("console.txt", "console.txt"),
            ("trailing.", "trailing"),
            (".hidden", "hidden"),
            ("日本語のファイル.pdf", "日本語のファイル.pdf"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
        assert_eq!(sanitize(&"x".repeat(500)).chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn names_from_links() {
        let cases = [
            (
                "http://127.0.0.1:9000/b/dir/q3%20report.csv?X-Amz-Signature=x",
                "q3 report.csv",
            ),
            (
                "http://127.0.0.1:9000/b/dir/..%2F..%2Fescape?X-Amz-Signature=x",
                "escape",
            ),
            ("http://127.0.0.1:9000/b/dir/?X-Amz-Signature=x", "dir"),
            ("http://127.0.0.1:9000/b?X-Amz-Signature=x", FALLBACK_NAME),
        ];
        for (url, expected) in cases {
            let link = PresignedLink::parse(url).unwrap();
            assert_eq!(file_name_for(&link), expected, "{url}");
        }
    }

    #[test]
    fn keep_both_picks_the_first_free_name() {
        let taken = [PathBuf::from("/d/a.txt"), PathBuf::from("/d/a (1).txt")];
        let exists = |p: &Path| taken.iter().any(|t| t == p);
        assert_eq!(
            keep_both_name(Path::new("/d"), "a.txt", exists),
            PathBuf::from("/d/a (2).txt")
        );
        assert_eq!(
            keep_both_name(Path::new("/d"), "b.txt", exists),
            PathBuf::from("/d/b.txt")
        );
        let taken_plain = [PathBuf::from("/d/README")];
        assert_eq!(
            keep_both_name(Path::new("/d"), "README", |p: &Path| taken_plain
                .iter()
                .any(|t| t == p)),
            PathBuf::from("/d/README (1)")
        );
    }
}
