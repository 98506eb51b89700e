//! A server's error body, read into named elements with every secret redacted. The explainer
//! (`diagnose`) reads these values; the engine fills them.

use serde::Serialize;

use crate::secret::{REDACTED, SIGNATURE_NAMES, TOKEN_NAMES, is_secret_element};
use crate::text::{T, label_value};

/// The most of an error body the app reads; anything longer is cut.
pub const MAX_ERROR_BODY_BYTES: usize = 1024 * 1024;

/// What kind of text the body was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyFormat {
    /// An XML error document (S3, GCS, Azure).
    Xml,
    /// An HTML page (a proxy, a captive portal, a CDN).
    Html,
    /// JSON.
    Json,
    /// Anything else that is text.
    Text,
    /// No body at all.
    Empty,
}

/// A server's error body, read and redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// The server's echoes of the request as it sent them, unredacted, for comparing byte for
    /// byte; never shown, serialized or printed.
    #[serde(skip)]
    echoes: Echoes,
    /// What kind of text it was.
    pub format: BodyFormat,
    /// The error code (`SignatureDoesNotMatch`...), when the body has one.
    pub code: Option<String>,
    /// The server's message, when the body has one.
    pub message: Option<String>,
    /// Every other element in document order, secrets redacted.
    pub elements: Vec<(String, String)>,
    /// The body as text, secrets redacted, cut at [`MAX_ERROR_BODY_BYTES`].
    pub text: String,
    /// Whether the body was longer than what was read.
    pub truncated: bool,
}

/// The elements that echo the request a server checked (`CanonicalRequest`, `StringToSign`,
/// Azure's `AuthenticationErrorDetail`), as the server sent them: a token that changed on the
/// way is told only by its unredacted bytes. Its `Debug` shows only their lengths.
#[derive(Clone, Default, PartialEq, Eq)]
struct Echoes(Vec<(String, String)>);

/// The elements kept unredacted in [`Echoes`].
const KEPT_ECHOES: &[&str] = &[
    "CanonicalRequest",
    "StringToSign",
    "AuthenticationErrorDetail",
];

impl std::fmt::Debug for Echoes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.0
                    .iter()
                    .map(|(n, v)| format!("{n}: {} bytes", v.len())),
            )
            .finish()
    }
}

impl ErrorBody {
    /// The server's echo `name` (one of `KEPT_ECHOES`) as it sent it, unredacted: for
    /// comparing only, never for showing (show [`ErrorBody::element`]).
    pub fn echo(&self, name: &str) -> Option<&str> {
        self.echoes
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads an error body. Never fails: a body that is not XML is kept as redacted text.
    pub fn parse(body: &[u8]) -> Self {
        let truncated = body.len() > MAX_ERROR_BODY_BYTES;
        let body = &body[..body.len().min(MAX_ERROR_BODY_BYTES)];
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        let format = if trimmed.is_empty() {
            BodyFormat::Empty
        } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
            BodyFormat::Json
        } else if starts_with_ignore_case(trimmed, "<!doctype html")
            || starts_with_ignore_case(trimmed, "<html")
        {
            BodyFormat::Html
        } else if trimmed.starts_with('<') {
            BodyFormat::Xml
        } else {
            BodyFormat::Text
        };

        let mut code = None;
        let mut message = None;
        let mut elements = Vec::new();
        let mut echoes = Echoes::default();
        if format == BodyFormat::Xml {
            for (name, value) in super::xml::leaf_elements(trimmed) {
                if KEPT_ECHOES.contains(&name.as_str()) && echoes.0.iter().all(|(n, _)| *n != name)
                {
                    echoes.0.push((name.clone(), value.clone()));
                }
                let value = redact_element(&name, &value);
                match name.as_str() {
                    "Code" if code.is_none() => code = Some(value),
                    "Message" if message.is_none() => message = Some(value),
                    _ => elements.push((name, value)),
                }
            }
        }
        ErrorBody {
            echoes,
            format,
            code,
            message,
            elements,
            text: redact_text(trimmed),
            truncated,
        }
    }

    /// Replaces each of `secrets` (values the request carried: a form's signature, token and
    /// policy) wherever the body repeats them.
    pub fn redact_values(&mut self, secrets: &[&str]) {
        let scrub = |text: &mut String| {
            for secret in secrets.iter().filter(|s| s.len() >= 8) {
                if text.contains(secret) {
                    *text = text.replace(secret, REDACTED);
                }
            }
        };
        scrub(&mut self.text);
        if let Some(message) = &mut self.message {
            scrub(message);
        }
        for (_, value) in &mut self.elements {
            scrub(value);
        }
    }

    /// The value of the first element named `name`.
    pub fn element(&self, name: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn redact_element(name: &str, value: &str) -> String {
    if is_secret_element(name) {
        REDACTED.to_owned()
    } else {
        redact_text(value)
    }
}

/// Replaces every secret that may hide in a body's text: elements that echo a token or a
/// signature, and signature or token query parameters inside canonical requests.
pub fn redact_text(text: &str) -> String {
    let mut out = super::xml::replace_element_texts(text, is_secret_element);
    for name in SIGNATURE_NAMES.iter().chain(TOKEN_NAMES) {
        out = redact_param_values(&out, &format!("{name}="));
    }
    out
}

/// `text` with the value of every `param` (`name=`, lowercase, matched in any case) replaced.
fn redact_param_values(text: &str, param: &str) -> String {
    // ASCII lowercase keeps every byte offset: found in `lower`, cut in `text`.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    while let Some(at) = find_param(text, &lower, param, done) {
        let value_start = at + param.len();
        out.push_str(&text[done..value_start]);
        out.push_str(REDACTED);
        let value_len = text[value_start..]
            .find(|c: char| c == '&' || c == '<' || c == '"' || c.is_whitespace())
            .unwrap_or(text.len() - value_start);
        done = value_start + value_len;
    }
    out.push_str(&text[done..]);
    out
}

/// Where `param` starts a query parameter (not inside a longer name) in `text` at or after
/// `from`, searched in `lower`, the same text in ASCII lowercase.
fn find_param(text: &str, lower: &str, param: &str, mut from: usize) -> Option<usize> {
    while let Some(i) = lower[from..].find(param) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        if matches!(
            before,
            None | Some('?' | '&' | ';' | '\n' | ' ' | '>' | '"')
        ) {
            return Some(at);
        }
        from = at + param.len();
    }
    None
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
#[path = "body_tests.rs"]
mod tests;

/// The body as lines a person can read: code, message, then every other element.
pub fn readable(body: &ErrorBody) -> String {
    let mut out = String::new();
    if let Some(code) = &body.code {
        out.push_str(&label_value(T::BodyCode, code));
        out.push('\n');
    }
    if let Some(message) = &body.message {
        out.push_str(&label_value(T::ServerMessage, message));
        out.push('\n');
    }
    for (name, value) in &body.elements {
        if value.contains('\n') {
            out.push_str(&format!("{name}:\n"));
            for line in value.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        } else {
            out.push_str(&format!("{name}: {value}\n"));
        }
    }
    if body.format != BodyFormat::Xml && body.format != BodyFormat::Empty {
        out.push_str(&body.text);
        out.push('\n');
    }
    out.trim_end().to_owned()
}
