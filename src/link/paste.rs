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
    /// Quoted-printable mail encoding (`=3D` for `=`, `=` at a line's end).
    QuotedPrintable,
    /// Mail quoting (`> ` at the start of the lines it was wrapped onto).
    MailQuoting,
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
    // Quoted-printable mail: every `=` of the link is `=3D`, and long lines end in `=`.
    if let Some(decoded) = quoted_printable(pasted) {
        let mut clean = clean(&decoded);
        clean.repairs.insert(0, Repair::QuotedPrintable);
        return clean;
    }
    let mut repairs = Vec::new();
    let inner = unwrap(pasted, &mut repairs);
    let whole = clean_link(pasted, Vec::new());
    if starts_with_http(inner) && !inner.contains(char::is_whitespace) {
        return whole;
    }
    // A link wrapped over lines is one link; anything else around it is the rest of a message.
    let mut quoted = false;
    let mut found = links_in(inner, &mut quoted);
    let mut distinct: Vec<&String> = Vec::new();
    for link in &found {
        if !distinct.contains(&link) {
            distinct.push(link);
        }
    }
    match distinct.len() {
        0 => whole,
        1 if found[0] == whole.text => whole,
        count => {
            let mut clean = clean_link(&found.swap_remove(0), repairs);
            if quoted {
                push_once(&mut clean.repairs, Repair::MailQuoting);
            }
            push_once(&mut clean.repairs, Repair::TextAround);
            clean.links_found = count;
            clean
        }
    }
}

/// Every link in a text, in the order given and duplicates kept: a list (one a line, or
/// inside a message), each joined and cleaned as [`clean`] cleans one link.
pub fn links(text: &str) -> Vec<String> {
    let decoded = quoted_printable(text);
    let text = decoded.as_deref().unwrap_or(text);
    let mut quoted = false;
    links_in(text, &mut quoted)
        .iter()
        .map(|link| clean_link(link, Vec::new()).text)
        .collect()
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

/// The links in a text in order (a link given twice is there twice), each with the
/// continuation lines a mail program wrapped it onto (a line that goes on with query text
/// while the link so far lacks its signature).
fn links_in(text: &str, quoted: &mut bool) -> Vec<String> {
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
        // Lines go on until the link is whole: any piece of a link when that ends in a whole
        // signature, else only what reads as the rest of a link.
        let (link, after) = match joined(&rest[..len], &rest[len..], true) {
            (link, after, was_quoted) if signature_whole(&link) => {
                *quoted |= was_quoted;
                (link, after)
            }
            _ => {
                let (link, after, was_quoted) = joined(&rest[..len], &rest[len..], false);
                *quoted |= was_quoted;
                (link, after)
            }
        };
        let link = link
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '。', '、'])
            .to_owned();
        found.push(link);
        from = text.len() - after.len();
        if from >= text.len() {
            break;
        }
    }
    found
}

/// `first` and the lines after it that go on with it: (the link, what follows, whether mail
/// quoting was skipped). `greedy` takes any piece of link text until the signature is whole.
fn joined<'a>(first: &str, mut after: &'a str, greedy: bool) -> (String, &'a str, bool) {
    let mut link = first.to_owned();
    let mut quoted = false;
    loop {
        let wanted = if !has_signature(&link) {
            Wanted::Any {
                in_path: !link.contains('?'),
                presigned: greedy || looks_presigned(&link),
            }
        } else if let Some(hex) = signature_short(&link) {
            Wanted::Signature { hex }
        } else {
            Wanted::MoreParams
        };
        let Some((rest, piece, quoting)) = continuation(after, wanted) else {
            return (link, after, quoted);
        };
        quoted |= quoting;
        link.push_str(piece);
        after = rest;
    }
}

/// Whether the link carries its signature, as long as its kind always is.
fn signature_whole(link: &str) -> bool {
    has_signature(link) && signature_short(link).is_none()
}

/// Whether the query so far carries the parameters only a presigned link has.
fn looks_presigned(link: &str) -> bool {
    let Some((_, query)) = link.split_once('?') else {
        return false;
    };
    let query = query.to_ascii_lowercase();
    [
        "x-amz-",
        "x-goog-",
        "sv=",
        "awsaccesskeyid=",
        "googleaccessid=",
    ]
    .iter()
    .any(|p| query.contains(p))
}

fn has_signature(link: &str) -> bool {
    signature_value(link).is_some()
}

/// The signature's value in `link` as written, and its kind: the length it always has, whether
/// it is hexadecimal.
fn signature_value(link: &str) -> Option<(&str, usize, bool)> {
    let lower = link.to_ascii_lowercase();
    let value = |name: &str| {
        ["?", "&"].iter().find_map(|lead| {
            let at = lower.rfind(&format!("{lead}{name}="))? + lead.len() + name.len() + 1;
            let rest = &link[at..];
            Some(&rest[..rest.find('&').unwrap_or(rest.len())])
        })
    };
    if let Some(v) = value("x-amz-signature") {
        Some((v, 64, true))
    } else if let Some(v) = value("x-goog-signature") {
        Some((v, if lower.contains("goog4-rsa") { 512 } else { 64 }, true))
    } else if let Some(v) = value("signature") {
        Some((
            v,
            if lower.contains("googleaccessid=") {
                344
            } else {
                28
            },
            false,
        ))
    } else {
        value("sig").map(|v| (v, 44, false))
    }
}

/// What may go on a link on its next line.
#[derive(Clone, Copy)]
enum Wanted {
    /// Anything a link holds (before its signature): query text, or in the path any text; any
    /// piece of a link once it reads as presigned (its signature still to come).
    Any { in_path: bool, presigned: bool },
    /// The rest of a signature cut short: hexadecimal digits, or base64 (possibly encoded).
    Signature { hex: bool },
    /// Parameters after a whole signature (a line that starts with `&`).
    MoreParams,
}

/// The text after one line break (and any `>` of mail quoting), when it goes on with what the
/// link still wants: (what follows, the piece, whether mail quoting was skipped).
fn continuation(after: &str, wanted: Wanted) -> Option<(&str, &str, bool)> {
    // Some mail programs leave a space before the break they add.
    let after = after.trim_start_matches([' ', '\t']);
    let line = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))?;
    let line = line.trim_start_matches([' ', '\t']);
    let unquoted = line.trim_start_matches(['>', ' ', '\t']);
    let quoting = unquoted.len() != line.len();
    let line = unquoted;
    let len = line.find(ends_link).unwrap_or(line.len());
    let piece = &line[..len];
    // A line that starts a link of its own is the next link of a list.
    if starts_with_http(piece) {
        return None;
    }
    let link_chars = |c: char| c.is_ascii_alphanumeric() || "&=%-_.~/+:?".contains(c);
    let goes_on = !piece.is_empty()
        && match wanted {
            // Query text, or a whole wrapped line of one long value (a token): not a word.
            Wanted::Any { in_path, presigned } => {
                (in_path || presigned || piece.contains(['=', '&', '%']) || piece.len() >= 16)
                    && piece.chars().all(link_chars)
            }
            Wanted::Signature { hex: true } => {
                let digits = piece.find('&').map_or(piece, |at| &piece[..at]);
                !digits.is_empty()
                    && digits.chars().all(|c| c.is_ascii_hexdigit())
                    && piece.chars().all(link_chars)
            }
            Wanted::Signature { hex: false } => piece.chars().all(link_chars),
            Wanted::MoreParams => {
                piece.starts_with('&') && piece.contains('=') && piece.chars().all(link_chars)
            }
        };
    goes_on.then(|| (&line[len..], piece, quoting))
}

/// When the link's signature is shorter than its kind always is (cut by a line break): whether
/// it is hexadecimal. SigV4 and GCS V4 HMAC: 64 hex digits; GCS V4 RSA: 512 or more; SigV2: 28
/// base64 characters; GCS V2: 344 or more; Azure: 44.
fn signature_short(link: &str) -> Option<bool> {
    let (value, wanted, hex) = signature_value(link)?;
    // An escape cut in two (`%3` / `D`) is no character yet.
    let cut_escape =
        value.ends_with('%') || value.len() >= 2 && value[..value.len() - 1].ends_with('%');
    (cut_escape || percent_encoding::percent_decode_str(value).count() < wanted).then_some(hex)
}

/// The text decoded from quoted-printable, when it is so encoded: a link's `=` written `=3D`
/// (in any case), soft line breaks (`=` at a line's end) removed, `=XX` decoded.
fn quoted_printable(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // Quoted-printable writes every `=` as `=XX` or as a soft break: a raw `=` (a link's own
    // `name=value`) says the text is not so encoded.
    let encoded = |i: usize| {
        let rest = &bytes[i + 1..];
        rest.starts_with(b"\n")
            || rest.starts_with(b"\r\n")
            || rest.len() >= 2 && rest[..2].iter().all(u8::is_ascii_hexdigit)
    };
    let all_encoded = (0..bytes.len()).filter(|&i| bytes[i] == b'=').all(encoded);
    if !all_encoded || !(text.contains("=3D") || text.contains("=3d")) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let rest = &bytes[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = |b: u8| char::from(b).to_digit(16);
            if let (Some(&h), Some(&l)) = (rest.first(), rest.get(1))
                && let (Some(h), Some(l)) = (hex(h), hex(l))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
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
