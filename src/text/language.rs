//! Which language the texts are in: the languages PresignDesk speaks, the one chosen for the
//! process, and a per-thread choice that overrides it (the window's thread follows the window's
//! setting, so each window, and each test, speaks its own language).

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every language: its code, its name in itself, and its catalogue. A new language is one
/// catalogue file and one line here.
pub(super) const LANGUAGES: &[(&str, &str, &str)] = &[
    ("en", "English", include_str!("lang/en.toml")),
    ("ja", "日本語", include_str!("lang/ja.toml")),
];

/// A language PresignDesk speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Language(usize);

impl Language {
    /// English, also the fallback for a text missing elsewhere.
    pub const ENGLISH: Language = Language(0);
    /// Japanese.
    pub const JAPANESE: Language = Language(1);

    /// Every language, in the order the switch shows them.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..LANGUAGES.len()).map(Language)
    }

    /// The language's code (`en`, `ja`), as in settings and `--lang`.
    pub fn code(self) -> &'static str {
        LANGUAGES[self.0].0
    }

    /// The language's name in itself (`English`, `日本語`).
    pub fn name(self) -> &'static str {
        LANGUAGES[self.0].1
    }

    pub(super) fn index(self) -> usize {
        self.0
    }

    /// The language of a code or a locale (`ja`, `ja-JP`, `ja_JP.UTF-8`), if spoken here.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        LANGUAGES
            .iter()
            .position(|(c, _, _)| *c == primary)
            .map(Language)
    }

    /// The language of the system's locale, English when it is not one spoken here.
    pub fn system() -> Language {
        sys_locale::get_locale()
            .and_then(|locale| Language::from_code(&locale))
            .unwrap_or(Language::ENGLISH)
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Language::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown language {code:?}")))
    }
}

static PROCESS_LANGUAGE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static THREAD_LANGUAGE: Cell<Option<Language>> = const { Cell::new(None) };
}

/// Sets the language of every thread that has not chosen its own.
pub fn set_process_language(language: Language) {
    PROCESS_LANGUAGE.store(language.0, Ordering::Relaxed);
}

/// Sets the language of this thread only.
pub fn set_thread_language(language: Language) {
    THREAD_LANGUAGE.with(|l| l.set(Some(language)));
}

/// The language texts are given in on this thread.
pub fn current() -> Language {
    THREAD_LANGUAGE
        .with(Cell::get)
        .unwrap_or(Language(PROCESS_LANGUAGE.load(Ordering::Relaxed)))
}

/// Runs `f` with this thread's texts in `language`, then restores the previous choice.
pub fn with_language<R>(language: Language, f: impl FnOnce() -> R) -> R {
    let previous = THREAD_LANGUAGE.with(|l| l.replace(Some(language)));
    let result = f();
    THREAD_LANGUAGE.with(|l| l.set(previous));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_locales() {
        for (text, expected) in [
            ("ja", Some(Language::JAPANESE)),
            ("ja-JP", Some(Language::JAPANESE)),
            ("ja_JP.UTF-8", Some(Language::JAPANESE)),
            ("JA", Some(Language::JAPANESE)),
            ("en-GB", Some(Language::ENGLISH)),
            ("C.UTF-8", None),
            ("fr_FR", None),
            ("", None),
        ] {
            assert_eq!(Language::from_code(text), expected, "{text}");
        }
        assert_eq!(
            serde_json::to_string(&Language::JAPANESE).unwrap(),
            "\"ja\""
        );
        assert_eq!(
            serde_json::from_str::<Language>("\"en\"").unwrap(),
            Language::ENGLISH
        );
        assert!(serde_json::from_str::<Language>("\"xx\"").is_err());
    }

    #[test]
    fn a_thread_choice_overrides_the_process_and_is_restored() {
        let before = current();
        let inside = with_language(Language::JAPANESE, current);
        assert_eq!(inside, Language::JAPANESE);
        assert_eq!(current(), before);
    }
}
