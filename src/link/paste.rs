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
}

/// The link as signed, and what had to be removed to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanPaste {
    /// The link, without what was added around and inside it.
    pub text: String,
    /// What was removed, in the order found.
    pub repairs: Vec<Repair>,
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

/// Cleans a pasted link. Text that is not a link comes back trimmed.
pub fn clean(pasted: &str) -> CleanPaste {
    let mut repairs = Vec::new();
    let mut text = pasted.trim();
    if text.len() != pasted.len() {
        repairs.push(Repair::SurroundingWhitespace);
    }
    // Wrappers can nest: "<https://…>" in quotes.
    loop {
        if let Some(inner) = text
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .filter(|inner| !inner.trim().is_empty())
        {
            text = inner.trim();
            push_once(&mut repairs, Repair::AngleBrackets);
            continue;
        }
        let quoted = QUOTE_PAIRS.iter().find_map(|(open, close)| {
            text.strip_prefix(*open)
                .and_then(|t| t.strip_suffix(*close))
                .filter(|inner| !inner.trim().is_empty())
        });
        if let Some(inner) = quoted {
            text = inner.trim();
            push_once(&mut repairs, Repair::Quotes);
            continue;
        }
        break;
    }
    let mut out: String = text.to_owned();
    if out.chars().any(|c| c.is_whitespace() || c.is_control()) {
        out.retain(|c| !(c.is_whitespace() || c.is_control()));
        repairs.push(Repair::BreaksInside);
    }
    if out.contains("&amp;") {
        out = out.replace("&amp;", "&");
        repairs.push(Repair::HtmlEscapedAmpersand);
    }
    CleanPaste { text: out, repairs }
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
    fn unbalanced_wrappers_are_left_alone() {
        for text in [
            "\"https://h/k",
            "<https://h/k",
            "https://h/k'",
            "\"",
            "<>",
            "",
        ] {
            let clean = clean(text);
            assert_eq!(clean.text, text, "{text:?}");
        }
    }
}
