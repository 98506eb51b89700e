//! The markup servers and web pages write: XML error bodies and HTML forms both escape their
//! text with character entities. Pure.

/// `text` with its character entities decoded: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
/// `&#NN;` and `&#xNN;`. Anything else that starts with `&` (an unknown name, a number that is
/// no character, a lone `&`) is kept as it is.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| Some((entity(&rest[1..semi])?, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .map(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').map(|decimal| decimal.parse().ok()))
            .flatten()
            .and_then(char::from_u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numbered_entities_are_decoded_and_the_rest_kept() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&#X42;&lt;&gt;&quot;&apos;"),
            "a&b'cAB<>\"'"
        );
        assert_eq!(
            decode_entities("&nope; & &#xD800; &#;"),
            "&nope; & &#xD800; &#;"
        );
        assert_eq!(decode_entities("tail &amp"), "tail &amp");
        // Ten bytes at most between `&` and `;`: a far `;` is not an entity's.
        assert_eq!(decode_entities("&amp and then;"), "&amp and then;");
    }

    #[test]
    fn text_after_an_ampersand_in_any_script_is_kept_whole() {
        assert_eq!(decode_entities("見積&書類;"), "見積&書類;");
        assert_eq!(decode_entities("&日本語の文字"), "&日本語の文字");
        assert_eq!(decode_entities("&amp;見積"), "&見積");
    }
}
