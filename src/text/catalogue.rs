//! The catalogue files, read once per language on first use, and looked up by key.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::T;
use super::language::{LANGUAGES, Language};

/// One language's texts: the interface texts by [`T`], everything by its dotted key.
pub(super) struct Catalogue {
    by_id: Vec<Option<String>>,
    by_key: HashMap<String, String>,
}

impl Catalogue {
    /// Reads a catalogue file. A broken file gives an empty catalogue (English then fills in);
    /// the tests make sure no shipped file is broken.
    fn parse(source: &str) -> Self {
        let mut by_key = HashMap::new();
        if let Ok(table) = source.parse::<toml::Table>() {
            flatten("", &table, &mut by_key);
        }
        let by_id = T::ALL
            .iter()
            .map(|id| by_key.get(id.key()).cloned())
            .collect();
        Catalogue { by_id, by_key }
    }

    /// Every key with its text, for the checks over all languages.
    #[cfg(test)]
    pub(super) fn keys(&self) -> &HashMap<String, String> {
        &self.by_key
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten(&full, inner, out),
            _ => {}
        }
    }
}

/// The catalogue of `language`, read on first use.
pub(super) fn catalogue(language: Language) -> &'static Catalogue {
    static LOADED: OnceLock<Vec<OnceLock<Catalogue>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    loaded[language.index()].get_or_init(|| Catalogue::parse(LANGUAGES[language.index()].2))
}

/// The text of `id` in `language`, else in English, else its key.
pub(super) fn text(language: Language, id: T) -> &'static str {
    text_in(catalogue(language), catalogue(Language::ENGLISH), id)
}

/// The text at a dotted `key` (`errors.s3.AccessDenied.title`) in `language`, else in English.
pub(super) fn text_at(language: Language, key: &str) -> Option<&'static str> {
    text_at_in(catalogue(language), catalogue(Language::ENGLISH), key)
}

fn text_in<'a>(own: &'a Catalogue, english: &'a Catalogue, id: T) -> &'a str {
    let index = id as usize;
    own.by_id[index]
        .as_deref()
        .or_else(|| english.by_id[index].as_deref())
        .unwrap_or(id.key())
}

fn text_at_in<'a>(own: &'a Catalogue, english: &'a Catalogue, key: &str) -> Option<&'a str> {
    own.by_key
        .get(key)
        .or_else(|| english.by_key.get(key))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_has_every_key_with_the_same_placeholders() {
        let english = catalogue(Language::ENGLISH).keys();
        for id in T::ALL {
            assert!(
                english.get(id.key()).is_some_and(|t| !t.trim().is_empty()),
                "{} has no English text",
                id.key()
            );
        }
        for language in Language::all() {
            let (_, _, source) = LANGUAGES[language.index()];
            assert!(
                source.parse::<toml::Table>().is_ok(),
                "{} does not parse: {:?}",
                language.code(),
                source.parse::<toml::Table>().err()
            );
            let keys = catalogue(language).keys();
            let mut problems = Vec::new();
            for (key, english_text) in english {
                match keys.get(key) {
                    None => problems.push(format!("missing {key}")),
                    Some(text) if text.trim().is_empty() => problems.push(format!("empty {key}")),
                    Some(text) if placeholders(text) != placeholders(english_text) => problems
                        .push(format!(
                            "{key}: placeholders {:?}, English has {:?}",
                            placeholders(text),
                            placeholders(english_text)
                        )),
                    Some(_) => {}
                }
            }
            for key in keys.keys() {
                if !english.contains_key(key) {
                    problems.push(format!("{key} is not an English key"));
                }
            }
            problems.sort();
            assert!(
                problems.is_empty(),
                "{}: {}",
                language.code(),
                problems.join("\n")
            );
        }
    }

    #[test]
    fn every_top_level_key_is_an_interface_id() {
        let ids: BTreeSet<&str> = T::ALL.iter().map(|id| id.key()).collect();
        let stray: Vec<&String> = catalogue(Language::ENGLISH)
            .keys()
            .keys()
            .filter(|k| !k.contains('.') && !ids.contains(k.as_str()))
            .collect();
        assert!(stray.is_empty(), "keys no code names: {stray:?}");
    }

    #[test]
    fn a_missing_text_falls_back_to_english_then_to_its_key() {
        let broken = Catalogue::parse("not = [toml");
        assert!(broken.by_id.iter().all(Option::is_none));
        let english = Catalogue::parse(
            "AppTitle = \"PresignDesk\"\nCancel = \"Cancel\"\n[errors.s3.AccessDenied]\ntitle = \"Refused\"",
        );
        let own = Catalogue::parse("Cancel = \"キャンセル\"");
        assert_eq!(text_in(&own, &english, T::Cancel), "キャンセル");
        assert_eq!(text_in(&own, &english, T::AppTitle), "PresignDesk");
        assert_eq!(text_in(&broken, &english, T::Cancel), "Cancel");
        assert_eq!(text_in(&broken, &broken, T::Cancel), T::Cancel.key());
        assert_eq!(
            text_at_in(&own, &english, "errors.s3.AccessDenied.title"),
            Some("Refused")
        );
        assert_eq!(text_at_in(&own, &english, "errors.s3.Nothing.title"), None);
        assert_eq!(
            placeholders("a {x} b {y_2} {} {not valid}"),
            ["x", "y_2"].into()
        );
    }
}
