//! A manifest: file and link pairs, as CSV (a header row or none, columns in any order, quoted
//! or not) or JSON (an array of objects or of pairs, or one object from file to link). Each
//! value is read by its meaning, never by its column's name: a link starts `http`, the other
//! value is the file.

use std::path::{Path, PathBuf};

/// One row of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPair {
    /// The file, relative paths taken from the manifest's folder.
    pub file: PathBuf,
    /// The link as written (cleaned as a pasted link is).
    pub link: String,
    /// The row or entry it came from, counted from 1.
    pub row: usize,
}

/// A manifest read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The pairs, in order.
    pub pairs: Vec<ManifestPair>,
    /// Rows that hold no pair (a file with no link, two links...): their numbers.
    pub unreadable_rows: Vec<usize>,
}

impl Manifest {
    /// The manifest in `text`, or `None` when it is no manifest (a list of links alone, a
    /// form, a set): a manifest is a table where some row pairs a file with a link.
    pub fn read(text: &str, base: &Path) -> Option<Self> {
        let rows = match serde_json::from_str::<serde_json::Value>(text.trim()) {
            Ok(value) => json_rows(&value)?,
            Err(_) => csv_rows(text),
        };
        let mut manifest = Manifest::default();
        for (at, row) in rows.into_iter().enumerate() {
            let links: Vec<&String> = row.iter().filter(|v| is_link(v)).collect();
            let others: Vec<&String> = row
                .iter()
                .filter(|v| !is_link(v) && !v.trim().is_empty())
                .collect();
            match (links.as_slice(), others.as_slice()) {
                ([link], [file]) => manifest.pairs.push(ManifestPair {
                    file: base.join(file.trim()),
                    link: crate::link::paste::clean(link).text,
                    row: at + 1,
                }),
                // A header row, or a blank one.
                ([], _) if at == 0 || others.is_empty() => {}
                _ => manifest.unreadable_rows.push(at + 1),
            }
        }
        (!manifest.pairs.is_empty()).then_some(manifest)
    }
}

fn is_link(value: &str) -> bool {
    let value = value.trim().to_ascii_lowercase();
    value.starts_with("https://") || value.starts_with("http://")
}

/// Rows of JSON: `[{"file": …, "url": …}]`, `[["file", "url"]]`, `{"file": "url"}`.
fn json_rows(value: &serde_json::Value) -> Option<Vec<Vec<String>>> {
    use serde_json::Value;
    let strings = |values: Vec<&Value>| -> Vec<String> {
        values
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    match value {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|item| match item {
                    Value::Object(fields) => strings(fields.values().collect()),
                    Value::Array(values) => strings(values.iter().collect()),
                    _ => Vec::new(),
                })
                .collect(),
        ),
        // One object from file to link (or link to file), unless it is one entry's fields.
        Value::Object(fields)
            if fields.keys().any(|k| is_link(k))
                || fields
                    .values()
                    .filter(|v| v.as_str().is_some_and(is_link))
                    .count()
                    > 1 =>
        {
            Some(
                fields
                    .iter()
                    .map(|(k, v)| vec![k.clone(), v.as_str().unwrap_or_default().to_owned()])
                    .collect(),
            )
        }
        Value::Object(fields) => Some(vec![strings(fields.values().collect())]),
        _ => None,
    }
}

/// Rows of CSV (RFC 4180: quoted values may hold commas, `""` is a quote; `;` and tabs
/// separate too, as spreadsheets in some languages write them).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let separator = [',', ';', '\t']
        .into_iter()
        .max_by_key(|s| text.lines().next().map_or(0, |l| l.matches(*s).count()))
        .unwrap_or(',');
    text.lines()
        .map(|line| {
            let mut values = Vec::new();
            let mut value = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        value.push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    c if c == separator && !quoted => values.push(std::mem::take(&mut value)),
                    c => value.push(c),
                }
            }
            values.push(value);
            values
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "https://b.s3.amazonaws.com/a.csv?X-Amz-Signature=1";
    const B: &str = "https://b.s3.amazonaws.com/b.csv?X-Amz-Signature=2";

    fn pairs(m: &Manifest) -> Vec<(String, String)> {
        m.pairs
            .iter()
            .map(|p| (p.file.display().to_string(), p.link.clone()))
            .collect()
    }

    #[test]
    fn every_shape_gives_the_same_pairs() {
        let base = Path::new("/work");
        let want = vec![
            ("/work/a, one.csv".to_owned(), A.to_owned()),
            ("/work/in/b.csv".to_owned(), B.to_owned()),
        ];
        let shapes = [
            format!("file,link\n\"a, one.csv\",{A}\nin/b.csv,{B}\n"),
            format!("url;path\n{A};a, one.csv\n{B};in/b.csv"),
            format!("\"a, one.csv\"\t{A}\r\nin/b.csv\t\"{B}\"\r\n"),
            format!(r#"[{{"file":"a, one.csv","url":"{A}"}},{{"url":"{B}","path":"in/b.csv"}}]"#),
            format!(r#"[["a, one.csv","{A}"],["{B}","in/b.csv"]]"#),
            format!(r#"{{"a, one.csv":"{A}","in/b.csv":"{B}"}}"#),
        ];
        for shape in shapes {
            let m = Manifest::read(&shape, base).expect(&shape);
            assert_eq!(pairs(&m), want, "{shape}");
            assert!(m.unreadable_rows.is_empty(), "{shape}");
        }
    }

    #[test]
    fn a_list_of_links_is_no_manifest_and_odd_rows_are_named() {
        assert_eq!(Manifest::read(&format!("{A}\n{B}\n"), Path::new("/")), None);
        let m = Manifest::read(
            &format!("file,link\na.csv,{A}\nb.csv\n{A},{B}\n"),
            Path::new("/"),
        )
        .unwrap();
        assert_eq!(m.pairs.len(), 1);
        assert_eq!(m.unreadable_rows, [3, 4]);
    }
}
