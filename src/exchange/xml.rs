//! Just enough XML for error documents: leaf elements and their text. Never panics.

use crate::markup::decode_entities;

/// The leaf elements (elements with text and no child elements) in document order, with
/// entities decoded. Namespaces and attributes are ignored.
pub fn leaf_elements(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if rest.starts_with(['?', '!', '/']) {
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        if tag.ends_with('/') {
            rest = &rest[close + 1..];
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        let after = &rest[close + 1..];
        let end_tag = format!("</{name}>");
        let text_end = after.find('<').unwrap_or(after.len());
        if after[text_end..].starts_with(&end_tag) && !local.is_empty() {
            out.push((local.to_owned(), decode_entities(&after[..text_end])));
            rest = &after[text_end + end_tag.len()..];
        } else {
            rest = after;
        }
    }
    out
}

/// Replaces the text of every element whose local name `is_secret` with `REDACTED`.
pub fn replace_element_texts(doc: &str, is_secret: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..=close]);
        let tag = &rest[open + 1..close];
        let name = tag.split_whitespace().next().unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        rest = &rest[close + 1..];
        if !tag.starts_with(['/', '?', '!']) && !tag.ends_with('/') && is_secret(local) {
            let end_tag = format!("</{name}>");
            let text_end = rest.find(&end_tag).unwrap_or(rest.len());
            out.push_str(crate::secret::REDACTED);
            rest = &rest[text_end..];
        }
    }
    out.push_str(rest);
    out
}
