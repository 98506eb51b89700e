//! Names for downloaded files. Pure.

use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

use crate::link::PresignedLink;

/// The longest file name most file systems take, in bytes of UTF-8 (ext4, XFS, Btrfs, APFS;
/// NTFS counts UTF-16 units, never more than UTF-8 bytes).
pub const NAME_MAX_BYTES: usize = 255;
/// A name from a link or a server is cut to this; [`keep_both_name`] cuts the stem further for
/// its ` (1)`.
const MAX_NAME_BYTES: usize = NAME_MAX_BYTES;
/// An ending longer than this is not an extension worth keeping when a name is cut.
const MAX_EXTENSION_BYTES: usize = 16;
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

/// The file name a `Content-Disposition` header gives (RFC 6266): `filename*` (RFC 5987, UTF-8
/// percent-encoded) before `filename`, made safe with [`sanitize`].
pub fn file_name_from_content_disposition(header: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in split_params(header).into_iter().skip(1) {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                // charset'language'percent-encoded
                let mut parts = value.splitn(3, '\'');
                let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
                let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
                extended = match charset.to_ascii_lowercase().as_str() {
                    "utf-8" => String::from_utf8(bytes).ok(),
                    "iso-8859-1" => Some(bytes.iter().map(|b| char::from(*b)).collect()),
                    _ => None,
                };
            }
            "filename" => plain = Some(unquote(value)),
            _ => {}
        }
    }
    extended
        .or(plain)
        .map(|name| sanitize(&name))
        .filter(|name| name != FALLBACK_NAME)
}

/// Splits on `;` outside quotes.
fn split_params(header: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in header.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => value.to_owned(),
    }
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
    // Windows drops dots and spaces at the end of a name, in any mix ("a. ."); a name cut to
    // length may end in one again, so the end is trimmed after the cut too.
    let end = |c: char| c == '.' || c.is_whitespace();
    let cleaned = cleaned.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
    let cleaned = cut_name(cleaned.trim_end_matches(end), MAX_NAME_BYTES);
    let cleaned = cleaned.trim_end_matches(end).to_owned();
    if cleaned.is_empty() {
        return FALLBACK_NAME.to_owned();
    }
    if reserved_on_windows(&cleaned) {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// Whether Windows takes `name` for a device (`CON`, `nul.txt`, `COM1.log`, `LPT¹`,
/// `CONIN$`): the part before the first dot, spaces at its end ignored, in any case.
fn reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    let stem = stem.to_ascii_uppercase();
    if matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let digit = chars.next();
    (prefix == "COM" || prefix == "LPT")
        && chars.next().is_none()
        && matches!(digit, Some('0'..='9' | '¹' | '²' | '³'))
}

/// `name` cut to at most `max` bytes, keeping a short extension (`.pdf`): the stem is cut
/// where a reader sees a character end, never inside an emoji sequence or between a letter and
/// its marks.
pub fn cut_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && ext.len() < MAX_EXTENSION_BYTES
                && !ext.contains(char::is_whitespace)
                && ext.len() + 1 < max =>
        {
            name.split_at(stem.len())
        }
        _ => (name, ""),
    };
    let stem = cut_at_grapheme(stem, max - extension.len()).trim_end();
    format!("{stem}{extension}")
}

/// The longest start of `text` of at most `max` bytes that ends where a reader sees a character
/// end; within a single cluster longer than `max` (which no font draws), where a code point ends.
fn cut_at_grapheme(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let end = text
        .grapheme_indices(true)
        .map(|(at, cluster)| at + cluster.len())
        .take_while(|&end| end <= max)
        .last()
        .unwrap_or_else(|| {
            (0..=max)
                .rev()
                .find(|&at| text.is_char_boundary(at))
                .unwrap_or(0)
        });
    &text[..end]
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
        .map(|n| {
            // A name already at the limit loses the end of its stem, not its number.
            let number = format!(" ({n})");
            let room = NAME_MAX_BYTES.saturating_sub(number.len() + ext.len());
            let stem = cut_at_grapheme(stem, room).trim_end();
            folder.join(format!("{stem}{number}{ext}"))
        })
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
            ("trailing. ", "trailing"),
            ("a. . .", "a"),
            ("report.pdf .", "report.pdf"),
            (" . ", FALLBACK_NAME),
            ("NUL .txt", "_NUL .txt"),
            ("lpt¹", "_lpt¹"),
            ("Com3.tar.gz", "_Com3.tar.gz"),
            ("conout$", "_conout$"),
            ("COM10", "COM10"),
            ("comX.txt", "comX.txt"),
            (".hidden", "hidden"),
            ("日本語のファイル.pdf", "日本語のファイル.pdf"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
        assert_eq!(sanitize(&"x".repeat(500)).len(), MAX_NAME_BYTES);
        // Cut to length just after a dot or a space: that end is trimmed too.
        let cut = sanitize(&format!(
            "{}. {}",
            "x".repeat(MAX_NAME_BYTES - 2),
            "y".repeat(40)
        ));
        assert!(!cut.ends_with(['.', ' ']), "{cut:?}");
    }

    /// Every start of `cut` ends on a cluster boundary of `whole`.
    fn ends_on_a_cluster(whole: &str, cut: &str) -> bool {
        whole
            .grapheme_indices(true)
            .any(|(at, cluster)| at + cluster.len() == cut.len())
    }

    #[test]
    fn long_names_are_cut_by_bytes_where_a_character_ends() {
        // 80 Japanese characters are 240 bytes: a legal name, kept whole.
        let eighty = format!("{}見積.pdf", "見積書".repeat(26));
        assert_eq!(sanitize(&eighty), eighty);
        // 90 are 270 bytes: over the limit, though well under 200 characters.
        let japanese = format!("{}.pdf", "見積書".repeat(30));
        let cut = sanitize(&japanese);
        assert!(cut.len() <= MAX_NAME_BYTES, "{}", cut.len());
        assert!(cut.ends_with(".pdf"), "{cut}");
        assert!(japanese.starts_with(cut.trim_end_matches(".pdf")));
        assert_eq!(cut.trim_end_matches(".pdf").chars().count(), 83);

        // A family emoji is seven code points (25 bytes) and one character to a reader.
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        let emoji = format!("{}.png", family.repeat(12));
        let cut = sanitize(&emoji);
        assert!(cut.len() <= MAX_NAME_BYTES);
        let stem = cut.trim_end_matches(".png");
        assert_eq!(stem, family.repeat(10), "whole families only");

        // Letters with combining marks (e + acute, a + ring + dot below) stay whole.
        let marked = format!("{}.txt", "e\u{301}a\u{30a}\u{323}".repeat(40));
        let cut = sanitize(&marked);
        let stem = cut.trim_end_matches(".txt");
        assert!(cut.len() <= MAX_NAME_BYTES);
        assert!(ends_on_a_cluster(&marked, stem), "{stem:?}");
        assert!(
            !stem.ends_with('e') && !stem.ends_with('a'),
            "a mark left behind"
        );

        // A long ending is not an extension: the name is cut from its end.
        let dotted = format!("notes.{}", "x".repeat(300));
        assert_eq!(sanitize(&dotted).len(), MAX_NAME_BYTES);

        // A name made of one cluster longer than the limit is cut where a code point ends.
        let zalgo = format!("z{}", "\u{301}".repeat(200));
        let cut = cut_name(&zalgo, 100);
        assert!(cut.len() <= 100 && !cut.is_empty());
    }

    #[test]
    fn names_kept_both_stay_within_the_limit() {
        let long = format!("{}.csv", "報告".repeat(41)); // 250 bytes
        assert!(long.len() <= NAME_MAX_BYTES);
        let taken = PathBuf::from("/d").join(&long);
        let other = keep_both_name(Path::new("/d"), &long, |p| p == taken);
        let name = other.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= NAME_MAX_BYTES, "{}", name.len());
        assert!(name.ends_with(" (1).csv"), "{name}");
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
    fn content_disposition_table() {
        let cases = [
            ("attachment; filename=\"report.pdf\"", Some("report.pdf")),
            ("attachment; filename=plain.txt", Some("plain.txt")),
            (
                "attachment; filename=\"a;b \\\"q\\\".txt\"",
                Some("a;b _q_.txt"),
            ),
            (
                "attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt",
                Some("日本.txt"),
            ),
            (
                "attachment; filename*=utf-8'ja'%E8%A6%8B%E7%A9%8D.pdf",
                Some("見積.pdf"),
            ),
            (
                "attachment; filename*=iso-8859-1'en'%A3%20rates.txt",
                Some("£ rates.txt"),
            ),
            (
                "attachment; filename=\"../../etc/passwd\"",
                Some("_.._etc_passwd"),
            ),
            ("attachment; filename=\"..\"", None),
            ("inline", None),
            ("attachment; filename*=UTF-8''%FF%FE", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(
                file_name_from_content_disposition(header).as_deref(),
                expected,
                "{header}"
            );
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
