//! The shapes an upload form is handed over in: the JSON the SDKs return (or Python's print of
//! it), a `curl -F …` command, and an HTML `<form>` with hidden inputs. Each gives the form's
//! address, its fields in order and the name of its file field. Pure; never panics.

use super::literal::{self, Value};
use crate::markup::decode_entities;

/// What a shape gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Where the form is posted.
    pub url: String,
    /// The fields, in the order given (the file part is not among them).
    pub fields: Vec<(String, String)>,
    /// The name of the file's part (`file`).
    pub file_field: String,
}

/// How the form was handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// `{"url": …, "fields": {…}}`, as JSON or as Python prints a dict.
    Json,
    /// A `curl -F …` command.
    Curl,
    /// An HTML `<form>`.
    Html,
}

/// Which shape `text` looks like, if any.
pub fn shape_of(text: &str) -> Option<Shape> {
    let t = text.trim_start();
    let lower = t.get(..t.len().min(4096)).unwrap_or(t).to_ascii_lowercase();
    if t.starts_with('{') {
        Some(Shape::Json)
    } else if lower.starts_with("curl ") || lower.starts_with("$ curl ") {
        Some(Shape::Curl)
    } else if lower.contains("<form") {
        Some(Shape::Html)
    } else {
        None
    }
}

/// Reads `text` in `shape`.
pub fn read(text: &str, shape: Shape) -> Option<Fields> {
    match shape {
        Shape::Json => from_literal(text),
        Shape::Curl => from_curl(text),
        Shape::Html => from_html(text),
    }
}

fn from_literal(text: &str) -> Option<Fields> {
    let value = literal::parse(text)?;
    let url = value.get("url")?.as_text()?;
    let Value::Object(entries) = value.get("fields")? else {
        return None;
    };
    let fields = entries
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_text()?)))
        .collect();
    Some(Fields {
        url,
        fields,
        file_field: "file".to_owned(),
    })
}

/// Splits a shell command into words as a POSIX shell does with quotes, backslashes and line
/// continuations (no expansions).
fn shell_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars.next()?);
                        }
                        '\\' if chars.peek() == Some(&'\n') => {
                            chars.next();
                        }
                        c => word.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') => {
                    chars.next_if_eq(&'\n');
                }
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => {}
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

fn from_curl(text: &str) -> Option<Fields> {
    let words = shell_words(text.trim_start().trim_start_matches('$'))?;
    let mut url = None;
    let mut fields = Vec::new();
    let mut file_field = None;
    let mut words = words.into_iter().skip(1);
    while let Some(word) = words.next() {
        let form = match word.as_str() {
            "-F" | "--form" | "--form-string" => Some(words.next()?),
            "--url" => {
                url = words.next();
                None
            }
            w if w.starts_with("-F") && w.len() > 2 => Some(w[2..].to_owned()),
            w if w.starts_with("--form=") => Some(w["--form=".len()..].to_owned()),
            w if w.starts_with("http://") || w.starts_with("https://") => {
                url.get_or_insert_with(|| w.to_owned());
                None
            }
            // Options that take a value: skip it.
            "-X" | "--request" | "-H" | "--header" | "-o" | "--output" | "-u" | "--user" | "-A"
            | "--user-agent" | "-e" | "--referer" | "-w" | "--write-out" => {
                words.next();
                None
            }
            _ => None,
        };
        let Some(form) = form else { continue };
        let (name, value) = form.split_once('=')?;
        if value.starts_with('@') || value.starts_with('<') {
            file_field.get_or_insert_with(|| name.to_owned());
        } else {
            fields.push((name.to_owned(), value.to_owned()));
        }
    }
    Some(Fields {
        url: url?,
        fields,
        file_field: file_field.unwrap_or_else(|| "file".to_owned()),
    })
}

/// The attributes of one tag, names lowercase, values with entities decoded.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = tag.chars().collect();
    let mut i = 0;
    // Skip the tag's name.
    while i < chars.len() && !chars[i].is_whitespace() {
        i += 1;
    }
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        let name: String = chars[start..i]
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                let start = i;
                while i < chars.len() && chars[i] != quote {
                    i += 1;
                }
                value = chars[start..i].iter().collect();
                i += 1;
            } else {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                value = chars[start..i].iter().collect();
            }
        }
        if !name.is_empty() {
            out.push((name, decode_entities(&value)));
        }
    }
    out
}

fn from_html(text: &str) -> Option<Fields> {
    let lower = text.to_ascii_lowercase();
    let form_at = lower.find("<form")?;
    let form_end = lower[form_at..].find('>')? + form_at;
    let form = attributes(&text[form_at + 1..form_end]);
    let url = form.iter().find(|(n, _)| n == "action")?.1.clone();
    let mut fields = Vec::new();
    let mut file_field = None;
    let mut from = form_end;
    while let Some(at) = lower[from..].find("<input").map(|i| from + i) {
        let Some(end) = lower[at..].find('>').map(|i| at + i) else {
            break;
        };
        let attrs = attributes(&text[at + 1..end]);
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let kind = get("type").unwrap_or_default().to_ascii_lowercase();
        if let Some(name) = get("name") {
            match kind.as_str() {
                "file" => {
                    file_field.get_or_insert(name);
                }
                "submit" | "button" | "reset" | "image" => {}
                _ => fields.push((name, get("value").unwrap_or_default())),
            }
        }
        from = end;
        if lower[from..].starts_with("></form") {
            break;
        }
    }
    Some(Fields {
        url,
        fields,
        file_field: file_field.unwrap_or_else(|| "file".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Fields {
        Fields {
            url: "https://b.s3.amazonaws.com/".into(),
            fields: vec![
                ("key".into(), "uploads/${filename}".into()),
                ("x-amz-algorithm".into(), "AWS4-HMAC-SHA256".into()),
                ("policy".into(), "eyJ9".into()),
                ("x-amz-signature".into(), "ab&cd".into()),
            ],
            file_field: "file".into(),
        }
    }

    #[test]
    fn every_shape_gives_the_same_form() {
        let json = r#"{"url": "https://b.s3.amazonaws.com/", "fields": {"key": "uploads/${filename}", "x-amz-algorithm": "AWS4-HMAC-SHA256", "policy": "eyJ9", "x-amz-signature": "ab&cd"}}"#;
        let python = r#"{'url': 'https://b.s3.amazonaws.com/', 'fields': {'key': 'uploads/${filename}', 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'policy': 'eyJ9', 'x-amz-signature': 'ab&cd'}}"#;
        let curl = "curl -X POST \\\n  -F 'key=uploads/${filename}' \\\n  -F \"x-amz-algorithm=AWS4-HMAC-SHA256\" \\\n  -F policy=eyJ9 -F 'x-amz-signature=ab&cd' \\\n  -F 'file=@report.csv;type=text/csv' \\\n  https://b.s3.amazonaws.com/";
        let html = r#"<form action="https://b.s3.amazonaws.com/" method="post" enctype="multipart/form-data">
  <input type="hidden" name="key" value="uploads/${filename}" />
  <input type="hidden" name="x-amz-algorithm" value="AWS4-HMAC-SHA256">
  <input type=hidden name=policy value=eyJ9>
  <input type="hidden" name="x-amz-signature" value="ab&amp;cd" />
  File: <input type="file" name="file" /> <input type="submit" name="submit" value="Upload" />
</form>"#;
        for (text, shape) in [
            (json, Shape::Json),
            (python, Shape::Json),
            (curl, Shape::Curl),
            (html, Shape::Html),
        ] {
            assert_eq!(shape_of(text), Some(shape), "{text}");
            assert_eq!(read(text, shape), Some(expected()), "{text}");
        }
        assert_eq!(
            shape_of("https://b.s3.amazonaws.com/k?X-Amz-Signature=1"),
            None
        );
    }

    #[test]
    fn entities_and_broken_shapes() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&nope;&"),
            "a&b'cA&nope;&"
        );
        assert_eq!(read("{'url': 'x'}", Shape::Json), None);
        assert_eq!(read("curl -F 'unclosed", Shape::Curl), None);
        assert_eq!(read("<form method=post>", Shape::Html), None);
    }
}
