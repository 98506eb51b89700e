//! Undo what e-mail, chat and word processors do to a pasted link: surrounding quotes or
//! angle brackets, line breaks and spaces from wrapping, `&amp;` from HTML. A presigned link
//! never contains a raw space, quote or `&amp;` (signers percent-encode those), so what is removed
//! was never part of the signed link.

use serde::Serialize;

/// One thing removed from a pasted link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repair {
    /// Spaces or line breaks around the link.
    SurroundingWhitespace,
    /// Quotes around the link (`"…"`, `'…'`, `“…”`, `` `…` ``).
    Quotes,
    /// Angle brackets around the link (`<…>`, as in plain-text e-mail).
    AngleBrackets,
    /// Line breaks or spaces inside the link (a wrapped link).
    BreaksInside,
    /// `&amp;` instead of `&` (copied from HTML).
    HtmlEscapedAmpersand,
    /// Words around the link (a whole message was pasted).
    TextAround,
}

/// The link as signed, and what had to be removed to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanPaste {
    /// The link, without what was added around and inside it.
    pub text: String,
    /// What was removed, in the order found.
    pub repairs: Vec<Repair>,
    /// Different links found inside a pasted text (0 or 1 for a link pasted alone).
    pub links_found: usize,
}

const QUOTE_PAIRS: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('`', '`'),
    ('“', '”'),
    ('‘', '’'),
    ('«', '»'),
    ('「', '」'),
];

/// Cleans a pasted link. A text that holds one link among other words ("Please upload here:
/// https://… Thanks") gives that link; text that holds none comes back trimmed.
pub fn clean(pasted: &str) -> CleanPaste {
    let mut repairs = Vec::new();
    let inner = unwrap(pasted, &mut repairs);
    let whole = clean_link(pasted, Vec::new());
    if starts_with_http(inner) && !inner.contains(char::is_whitespace) {
        return whole;
    }
    // A link wrapped over lines is one link; anything else around it is the rest of a message.
    match links_in(inner) {
        Some(found) if found.len() > 1 || found[0] != whole.text => {
            let mut clean = clean_link(&found[0], repairs);
            push_once(&mut clean.repairs, Repair::TextAround);
            clean.links_found = found.len();
            clean
        }
        _ => whole,
    }
}

/// What wraps a pasted text: whitespace, quotes, angle brackets.
fn unwrap<'a>(pasted: &'a str, repairs: &mut Vec<Repair>) -> &'a str {
    let mut text = pasted.trim();
    if text.len() != pasted.len() {
        push_once(repairs, Repair::SurroundingWhitespace);
    }
    loop {
        if let Some(inner) = text
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .filter(|inner| !inner.trim().is_empty())
        {
            text = inner.trim();
            push_once(repairs, Repair::AngleBrackets);
            continue;
        }
        let quoted = QUOTE_PAIRS.iter().find_map(|(open, close)| {
            text.strip_prefix(*open)
                .and_then(|t| t.strip_suffix(*close))
                .filter(|inner| !inner.trim().is_empty())
        });
        if let Some(inner) = quoted {
            text = inner.trim();
            push_once(repairs, Repair::Quotes);
            continue;
        }
        return text;
    }
}

fn starts_with_http(text: &str) -> bool {
    let lower = |n: usize| text.get(..n).map(str::to_ascii_lowercase);
    lower(8).as_deref() == Some("https://") || lower(7).as_deref() == Some("http://")
}

/// Characters that end a link written in running text.
fn ends_link(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '`' | '「' | '」' | '“' | '”' | '«' | '»' | '）'
        )
}

/// The different links in a text, each with the continuation lines a mail program wrapped it
/// onto (a line that goes on with query text while the link so far lacks its signature).
fn links_in(text: &str) -> Option<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| lower[from..].find(scheme).map(|i| from + i))
        .min()
    {
        let rest = &text[at..];
        let len = rest.find(ends_link).unwrap_or(rest.len());
        let mut link = rest[..len].to_owned();
        let mut after = &rest[len..];
        while !has_signature(&link) {
            let Some(next) = continuation(after, !link.contains('?')) else {
                break;
            };
            link.push_str(next.1);
            after = next.0;
        }
        let link = link
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '。', '、'])
            .to_owned();
        if !found.contains(&link) {
            found.push(link);
        }
        from = text.len() - after.len();
        if from >= text.len() {
            break;
        }
    }
    (!found.is_empty()).then_some(found)
}

fn has_signature(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    ["signature=", "sig="]
        .iter()
        .any(|p| lower.contains(&format!("&{p}")) || lower.contains(&format!("?{p}")))
}

/// The text after one line break, when it goes on with query text (or, `in_path`, with any
/// text a link may hold): (what follows, the piece).
fn continuation(after: &str, in_path: bool) -> Option<(&str, &str)> {
    let line = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))?;
    let line = line.trim_start_matches([' ', '\t']);
    let len = line.find(ends_link).unwrap_or(line.len());
    let piece = &line[..len];
    let query_like = !piece.is_empty()
        && (in_path || piece.contains(['=', '&', '%']))
        && piece
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "&=%-_.~/+:".contains(c));
    query_like.then(|| (&line[len..], piece))
}

/// Cleans one link: wrappers, breaks inside, `&amp;`.
fn clean_link(pasted: &str, mut repairs: Vec<Repair>) -> CleanPaste {
    // Wrappers can nest: "<https://…>" in quotes.
    let text = unwrap(pasted, &mut repairs);
    let mut out: String = text.to_owned();
    if out.chars().any(|c| c.is_whitespace() || c.is_control()) {
        out.retain(|c| !(c.is_whitespace() || c.is_control()));
        push_once(&mut repairs, Repair::BreaksInside);
    }
    if out.contains("&amp;") {
        out = out.replace("&amp;", "&");
        push_once(&mut repairs, Repair::HtmlEscapedAmpersand);
    }
    let links_found = usize::from(starts_with_http(&out));
    CleanPaste {
        text: out,
        repairs,
        links_found,
    }
}

fn push_once(repairs: &mut Vec<Repair>, repair: Repair) {
    if !repairs.contains(&repair) {
        repairs.push(repair);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str =
        "https://b.s3.amazonaws.com/k?X-Amz-Date=20261124T000000Z&X-Amz-Signature=ab%2Bcd";

    #[test]
    fn each_repair() {
        use Repair::*;
        let cases: Vec<(String, Vec<Repair>)> = vec![
            (LINK.to_owned(), vec![]),
            (format!("  {LINK}\n"), vec![SurroundingWhitespace]),
            (format!("\"{LINK}\""), vec![Quotes]),
            (format!("“{LINK}”"), vec![Quotes]),
            (format!("<{LINK}>"), vec![AngleBrackets]),
            (
                format!(" '<{LINK}>' "),
                vec![SurroundingWhitespace, Quotes, AngleBrackets],
            ),
            (LINK.replace("?X-Amz", "?\nX-Amz"), vec![BreaksInside]),
            (
                LINK.replace("&X-Amz-Sig", "&\r\n   X-Amz-Sig"),
                vec![BreaksInside],
            ),
            (LINK.replace('&', "&amp;"), vec![HtmlEscapedAmpersand]),
        ];
        for (pasted, repairs) in cases {
            let clean = clean(&pasted);
            assert_eq!(clean.text, LINK, "{pasted:?}");
            assert_eq!(clean.repairs, repairs, "{pasted:?}");
        }
    }

    #[test]
    fn the_one_link_inside_a_message_is_taken() {
        use Repair::*;
        let cases: Vec<(String, Vec<Repair>)> = vec![
            (
                format!("Please upload here: {LINK} Thanks"),
                vec![TextAround],
            ),
            (
                format!("Please upload here:\n{LINK}\nThanks!"),
                vec![TextAround],
            ),
            (
                format!("リンクはこちらです：「{LINK}」よろしくお願いします。"),
                vec![TextAround],
            ),
            (format!("Here ({LINK})."), vec![TextAround]),
            (format!("See {LINK}. And again: {LINK}"), vec![TextAround]),
            (
                format!("Upload: {}\n{} (thanks)", &LINK[..60], &LINK[60..]),
                vec![TextAround],
            ),
            (
                format!("Upload: {}", LINK.replace('&', "&amp;")),
                vec![HtmlEscapedAmpersand, TextAround],
            ),
        ];
        for (pasted, repairs) in cases {
            let clean = clean(&pasted);
            assert_eq!(clean.text, LINK, "{pasted:?}");
            assert_eq!(clean.repairs, repairs, "{pasted:?}");
            assert_eq!(clean.links_found, 1, "{pasted:?}");
        }
        let two = clean(&format!("{LINK} or https://other.example/x?Signature=1"));
        assert_eq!(two.links_found, 2);
        assert_eq!(clean("no link here").links_found, 0);
    }

    #[test]
    fn unbalanced_wrappers_are_left_alone() {
        for text in ["https://h/k'", "\"", "<>", ""] {
            let clean = clean(text);
            assert_eq!(clean.text, text, "{text:?}");
        }
        // A link after an unmatched quote or bracket is a link in running text.
        for text in ["\"https://h/k", "<https://h/k"] {
            let clean = clean(text);
            assert_eq!(clean.text, "https://h/k", "{text:?}");
            assert_eq!(clean.repairs, [Repair::TextAround]);
        }
    }
}
