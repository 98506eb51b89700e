//! `PresignedLink::parse` and everything built on it never panic, whatever is pasted.

use presign_desk::link::PresignedLink;
use presign_desk::link::report::{InspectJson, summary_text};
use proptest::prelude::*;

fn exercise(text: &str) {
    let now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    if let Ok(link) = PresignedLink::parse(text) {
        let findings = link.findings(now, None);
        let _ = summary_text(&link, &findings, now);
        let _ = serde_json::to_string(&InspectJson::new(&link, now));
        let _ = link.raw().request_target();
        let _ = presign_desk::transfer::naming::file_name_for(&link);
    }
}

fn fixture_links() -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/links/links.json")).unwrap();
    json["links"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// One edit of a link: delete, insert or replace a character, or cut it short.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
    Truncate(usize),
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match *edit {
        Edit::Delete(i) if !chars.is_empty() => {
            let i = at(i, chars.len());
            chars.remove(i);
        }
        Edit::Insert(i, c) => {
            let i = at(i, chars.len() + 1);
            chars.insert(i, c);
        }
        Edit::Replace(i, c) if !chars.is_empty() => {
            let i = at(i, chars.len());
            chars[i] = c;
        }
        Edit::Truncate(i) => chars.truncate(at(i, chars.len() + 1)),
        _ => {}
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop_oneof![
        Just('%'),
        Just('&'),
        Just('='),
        Just('?'),
        Just('/'),
        Just(':'),
        Just('['),
        Just(']'),
        Just('@'),
        Just('#'),
        Just('\n'),
        Just(' '),
        Just('"'),
        Just('<'),
        Just('>'),
        Just('日'),
        any::<char>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), interesting.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), interesting).prop_map(|(i, c)| Edit::Replace(i, c)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        exercise(&text);
    }

    #[test]
    fn url_shaped_text(text in "(https?://)?[a-z0-9.:\\[\\]@-]{0,20}(/[%a-zA-Z0-9 +&=?._~-]{0,30}){0,4}(\\?[%a-zA-Z0-9&=+/_.-]{0,80})?") {
        exercise(&text);
    }

    #[test]
    fn mutated_real_links(index in any::<usize>(), edits in prop::collection::vec(edit(), 1..6)) {
        let links = fixture_links();
        let mut text = links[index % links.len()].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        exercise(&text);
    }
}
