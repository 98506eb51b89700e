//! `PresignedLink::parse` and everything built on it never panic, whatever is pasted.

use crate::support;

use presign_desk::link::PresignedLink;
use presign_desk::link::report::{InspectJson, summary_text};
use proptest::prelude::*;
use support::fixture_links;

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

fn explain_any(body: &[u8], url: Option<&str>, date: Option<&str>, status: Option<u16>) {
    use presign_desk::diagnose::{Answer, Attempt, ErrorBody, diagnose, explanation_text};
    let link = url.and_then(|u| PresignedLink::parse(u).ok());
    let body = ErrorBody::parse(body);
    let attempt = Attempt {
        guessed_content_type: Some("text/csv".into()),
        file_len_bytes: Some(5),
        ..Attempt::new(link.as_ref(), presign_desk::link::Operation::Put)
    }
    .sending_content_type(Some("text/plain"));
    let answer = Answer {
        status,
        body: &body,
        date,
        error_code_header: None,
    };
    let diagnosis = diagnose(
        &attempt,
        &answer,
        jiff::Timestamp::from_second(1_795_000_000).unwrap(),
    );
    let _ = explanation_text(&diagnosis);
    let _ = presign_desk::diagnose::creator_message(&attempt, &diagnosis, Some("r"));
    let _ = presign_desk::diagnose::readable(&body);
}

/// Error-shaped text: elements S3, GCS and Azure use, with arbitrary content.
fn error_document() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("Code"),
        Just("Message"),
        Just("StringToSign"),
        Just("CanonicalRequest"),
        Just("Expires"),
        Just("ServerTime"),
        Just("Region"),
        Just("Endpoint"),
        Just("Header"),
        Just("ProposedSize"),
        Just("MaxSizeAllowed"),
        Just("HeadersNotSigned"),
        Just("Token-0"),
        Just("AuthenticationErrorDetail"),
        Just("HeaderName"),
        Just("Details"),
    ];
    let code = prop_oneof![
        Just("SignatureDoesNotMatch"),
        Just("AccessDenied"),
        Just("ExpiredToken"),
        Just("AuthorizationQueryParametersError"),
        Just("NotImplemented"),
        Just("EntityTooLarge"),
        Just("InvalidRequest"),
        Just("BadDigest"),
        Just("AuthenticationFailed"),
        Just("SlowDown"),
        Just("RequestTimeTooSkewed"),
        Just("MissingRequiredHeader"),
        Just("PermanentRedirect"),
    ];
    (code, prop::collection::vec((name, ".{0,40}"), 0..8)).prop_map(|(code, elements)| {
        let mut doc = format!("<?xml version=\"1.0\"?><Error><Code>{code}</Code>");
        for (name, text) in elements {
            doc.push_str(&format!("<{name}>{text}</{name}>"));
        }
        doc.push_str("</Error>");
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn arbitrary_error_bodies(body in prop::collection::vec(any::<u8>(), 0..400), status in prop::option::of(any::<u16>()), date in prop::option::of(".{0,40}")) {
        let links = fixture_links();
        explain_any(&body, links.first().map(String::as_str), date.as_deref(), status);
        explain_any(&body, None, None, status);
    }

    #[test]
    fn error_shaped_documents(doc in error_document(), index in any::<usize>(), edits in prop::collection::vec(edit(), 0..4), status in prop::option::of(300u16..600)) {
        let links = fixture_links();
        let url = &links[index % links.len()];
        let mut doc = doc;
        for e in &edits {
            doc = apply(&doc, e);
        }
        explain_any(doc.as_bytes(), Some(url), Some("Tue, 24 Nov 2026 06:45:09 GMT"), status);
    }

    #[test]
    fn arbitrary_content_disposition(header in ".{0,120}", name in "[a-z%'\"; =*.-]{0,60}") {
        let _ = presign_desk::transfer::naming::file_name_from_content_disposition(&header);
        let _ = presign_desk::transfer::naming::file_name_from_content_disposition(&format!("attachment; filename*=UTF-8''{name}; filename=\"{name}\""));
    }
}
