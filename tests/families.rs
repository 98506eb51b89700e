//! Each family of refusal and paste, as generated variants: every provider, both languages,
//! values no test names. A case nobody has seen is a member of a family already covered here.

use crate::support::echo;

use presign_desk::diagnose::{Answer, Attempt, CauseId, Diagnosis, ErrorBody, diagnose};
use presign_desk::link::paste::clean;
use presign_desk::link::{Operation, PresignedLink};
use presign_desk::post::PostForm;
use presign_desk::text::{Language, with_language};
use proptest::prelude::*;

const NOW: &str = "2026-11-24T06:30:00Z";

fn both_languages() -> impl Strategy<Value = Language> {
    prop_oneof![Just(Language::ENGLISH), Just(Language::JAPANESE)]
}

/// Explains `body` (`status`) of an attempt, in `language`.
fn explain(attempt: &Attempt<'_>, status: u16, body: &str, language: Language) -> Diagnosis {
    let body = ErrorBody::parse(body.as_bytes());
    let answer = Answer {
        status: Some(status),
        body: &body,
        date: None,
        error_code_header: None,
    };
    with_language(language, || {
        diagnose(attempt, &answer, NOW.parse().unwrap())
    })
}

fn xml(code: &str, message: &str, extra: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{}</Message>{extra}<RequestId>R</RequestId></Error>",
        message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    )
}

fn hex(len: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(b"0123456789abcdef".to_vec()), len)
        .prop_map(|b| String::from_utf8(b).unwrap())
}

/// Base64 of `len` characters, percent-encoded as a signer writes it in a query.
fn base64_encoded(len: usize) -> impl Strategy<Value = String> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".to_vec();
    proptest::collection::vec(proptest::sample::select(alphabet), len - 1).prop_map(|b| {
        let mut text = String::from_utf8(b).unwrap();
        text.push('=');
        text.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    })
}

// ---------------------------------------------------------------------------------------------
// Paste: a whole link, of every provider and signature length, wrapped anywhere inside a
// message, quoted in a reply, or quoted-printable encoded.

/// Links as each provider signs them, with signatures and tokens of their real lengths.
fn whole_link() -> impl Strategy<Value = String> {
    let key = "[a-z0-9]{1,12}(/[a-z0-9._-]{1,16}){0,3}";
    prop_oneof![
        (key, hex(64), proptest::option::of(base64_encoded(300))).prop_map(|(k, sig, token)| {
            let token = token.map(|t| format!("&X-Amz-Security-Token={t}")).unwrap_or_default();
            format!("https://reports.s3.eu-west-1.amazonaws.com/{k}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261124%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600{token}&X-Amz-SignedHeaders=host&x-id=PutObject&X-Amz-Signature={sig}")
        }),
        (key, hex(512)).prop_map(|(k, sig)| format!("https://storage.googleapis.com/bucket/{k}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%40project.iam.gserviceaccount.com%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T060000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={sig}")),
        (key, hex(64)).prop_map(|(k, sig)| format!("https://storage.googleapis.com/bucket/{k}?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EXAMPLE%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T060000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={sig}")),
        (key, base64_encoded(28)).prop_map(|(k, sig)| format!("https://bucket.s3.amazonaws.com/{k}?AWSAccessKeyId=AKIAEXAMPLE&Expires=1795600000&Signature={sig}")),
        (key, base64_encoded(344)).prop_map(|(k, sig)| format!("https://storage.googleapis.com/bucket/{k}?GoogleAccessId=signer%40project.iam.gserviceaccount.com&Expires=1795600000&Signature={sig}")),
        (key, base64_encoded(44)).prop_map(|(k, sig)| format!("https://account.blob.core.windows.net/container/{k}?sv=2024-11-04&st=2026-11-24T06%3A00%3A00Z&se=2026-11-24T08%3A00%3A00Z&sr=b&sp=cw&sig={sig}")),
    ]
}

/// How a mail program wraps a line.
fn line_break() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("\n"),
        Just("\r\n"),
        Just(" \n"),
        Just("\n  "),
        Just("\n\t")
    ]
}

/// Words around the link, in English or Japanese.
fn around() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop_oneof![
        Just(("", "")),
        Just(("Please upload the report here:\n", "\nThanks, Kim")),
        Just(("Link: ", " (valid for an hour)")),
        Just((
            "こちらからアップロードしてください：\n",
            "\nよろしくお願いします。"
        )),
        Just(("リンク「", "」")),
        Just(("<", ">")),
    ]
}

/// `text` with a line break at each of `cuts` (fractions of its length past the scheme).
fn wrapped(link: &str, cuts: &[f64], breaks: &[&str]) -> String {
    let start = "https://".len() + 1;
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|f| start + ((link.len() - start) as f64 * f) as usize)
        .collect();
    at.sort();
    at.dedup();
    let mut out = String::new();
    let mut done = 0;
    for (i, cut) in at.iter().enumerate() {
        out.push_str(&link[done..*cut]);
        out.push_str(breaks[i % breaks.len()]);
        done = *cut;
    }
    out.push_str(&link[done..]);
    out
}

/// Quoted-printable as mail sends it: `=` as `=3D`, lines of at most 76 with soft breaks.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let encoded = line.replace('=', "=3D");
        let mut width = 0;
        let mut chars = encoded.chars().peekable();
        while let Some(c) = chars.next() {
            // `=XX` stays whole.
            let unit: String = if c == '=' {
                [c, chars.next().unwrap_or('3'), chars.next().unwrap_or('D')]
                    .iter()
                    .collect()
            } else {
                c.to_string()
            };
            if width + unit.len() > 75 {
                out.push_str("=\n");
                width = 0;
            }
            width += unit.len();
            out.push_str(&unit);
        }
        out.push('\n');
    }
    out.pop();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// A link broken anywhere, by any wrapping, inside any message: the one whole link back.
    #[test]
    fn a_link_broken_anywhere_inside_a_message_is_joined(
        link in whole_link(),
        cuts in proptest::collection::vec(0.0f64..1.0, 1..5),
        breaks in proptest::collection::vec(line_break(), 1..3),
        (before, after) in around(),
    ) {
        let pasted = format!("{before}{}{after}", wrapped(&link, &cuts, &breaks));
        let cleaned = clean(&pasted);
        prop_assert_eq!(&cleaned.text, &link, "{:?}", pasted);
        prop_assert!(PresignedLink::parse(&cleaned.text).is_ok());
    }

    /// The same wrapped link in a reply (`> ` on every line) or quoted-printable mail.
    #[test]
    fn a_link_in_a_reply_or_in_quoted_printable_mail_is_joined(
        link in whole_link(),
        cuts in proptest::collection::vec(0.0f64..1.0, 1..4),
        levels in 1usize..3,
        (before, after) in around(),
        qp in any::<bool>(),
    ) {
        let body = format!("{before}{}{after}", wrapped(&link, &cuts, &["\n"]));
        let pasted = if qp {
            quoted_printable(&body)
        } else {
            let quote = "> ".repeat(levels);
            body.lines().map(|l| format!("{quote}{l}")).collect::<Vec<_>>().join("\n")
        };
        let cleaned = clean(&pasted);
        prop_assert_eq!(&cleaned.text, &link, "{:?}", pasted);
    }
}

#[test]
fn a_wrapped_link_is_joined_but_the_words_after_it_are_not() {
    let link = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    // The words on the next line are no part of it, even a hexadecimal-looking one.
    for after in [
        "Thanks",
        "cafe",
        "&c.",
        "Regards, Kim",
        "abcdef0123456789abcdef",
    ] {
        let cleaned = clean(&format!("Upload here:\n{link}\n{after}"));
        assert_eq!(cleaned.text, link, "{after}");
    }
    // Broken inside `aws4_request`, and inside the signature.
    let at = link.find("aws4_r").unwrap() + 6;
    let sig = link.len() - 20;
    let pasted = format!(
        "{}\n{}\n{}\nThanks",
        &link[..at],
        &link[at..sig],
        &link[sig..]
    );
    assert_eq!(clean(&pasted).text, link);
    // A link too short to be whole stays cut, and is said to be.
    let cut = &link[..link.len() - 10];
    assert_eq!(clean(&format!("{cut}\nThanks")).text, cut);
}

// ---------------------------------------------------------------------------------------------
// Forms: a form's refusal, in the words of every server, read as the form's whether the form
// is given or not; never a link's cause.

/// One condition of a policy, as a server's message names it, and what the cause must say.
#[derive(Debug, Clone)]
struct Refused {
    code: &'static str,
    message: String,
    extra: String,
    /// The cause that must come first.
    id: CauseId,
    /// Words the first cause must carry (the field, the value).
    says: Vec<String>,
    /// Read alone, it may as well be the storage's own limit on one request.
    ambiguous_alone: bool,
}

/// A condition as each server writes it: Amazon and GCS (JSON), MinIO and SeaweedFS (bare
/// list), Ceph (`op: $field, value`), a GCS `Details` line, a quoted sentence.
fn condition_wording(op: &'static str, field: &str, value: &str) -> Vec<(String, String)> {
    let lead = "Invalid according to Policy: Policy Condition failed: ";
    vec![
        (format!("{lead}[\"{op}\", \"${field}\", \"{value}\"]"), String::new()),
        (format!("{lead}[{op}, ${}, {value}]", field.to_ascii_lowercase()), String::new()),
        (format!("Policy condition failed: {op}: ${field}, {value}"), String::new()),
        (
            "The content of the form does not meet the conditions specified in the policy document.".to_owned(),
            format!("<Details>Failed condition: {op} ${field} {value}</Details>"),
        ),
        (format!("Policy condition '{op}' for field '{field}' failed: expected '{value}', got 'x'"), String::new()),
    ]
}

fn form_refusal() -> impl Strategy<Value = Refused> {
    let field = "(x-amz-meta-|x-goog-meta-)?[a-z]{2,10}";
    // A value that ends a sentence with a full stop is the sentence's; values end otherwise.
    let value = "[a-z0-9/._-]{0,19}[a-z0-9/_-]";
    let condition = (
        prop_oneof![Just("eq"), Just("starts-with")],
        field,
        value,
        0usize..5,
    )
        .prop_map(|(op, field, value, wording)| {
            let (message, extra) = condition_wording(op, &field, &value).swap_remove(wording);
            Refused {
                code: if extra.is_empty() {
                    "AccessDenied"
                } else {
                    "InvalidPolicyDocument"
                },
                message,
                extra,
                id: CauseId::PolicyCondition,
                says: vec![field, value],
                ambiguous_alone: false,
            }
        });
    let type_condition = (
        prop_oneof![Just("eq"), Just("starts-with")],
        "(image|text|application)/[a-z]{1,8}",
        0usize..5,
    )
        .prop_map(|(op, value, wording)| {
            let (message, extra) =
                condition_wording(op, "Content-Type", &value).swap_remove(wording);
            Refused {
                code: if extra.is_empty() {
                    "AccessDenied"
                } else {
                    "InvalidPolicyDocument"
                },
                message,
                extra,
                id: CauseId::PolicyCondition,
                says: vec![value],
                ambiguous_alone: false,
            }
        });
    let expired = prop_oneof![
        Just("Invalid according to Policy: Policy expired."),
        Just("Policy expired"),
        Just("Invalid according to Policy: Policy has expired"),
        Just("The policy is expired."),
    ]
    .prop_map(|message| Refused {
        code: "AccessDenied",
        message: message.to_owned(),
        extra: String::new(),
        id: CauseId::PolicyExpired,
        says: vec![],
        ambiguous_alone: false,
    });
    let extra_field = (field, 0usize..4).prop_map(|(field, wording)| {
        let (code, message, extra) = [
            ("AccessDenied", format!("Invalid according to Policy: Extra input fields: {field}"), String::new()),
            ("AccessDenied", format!("Each form field that you specify in a form must appear in the list of policy conditions. \"{field}\" not specified in the policy."), String::new()),
            ("InvalidPolicyDocument", "The content of the form does not meet the conditions specified in the policy document.".to_owned(), format!("<Details>Policy did not reference these fields: {field}</Details>")),
            ("AccessDenied", format!("Policy missing condition: {field}"), String::new()),
        ]
        .to_vec()
        .swap_remove(wording);
        Refused { code, message, extra, id: CauseId::PolicyExtraField, says: vec![field], ambiguous_alone: false }
    });
    // A size out of the policy's range, in each server's words, with its figures or without.
    let size = (1u64..4_000_000_000, 0usize..4).prop_map(|(max, wording)| {
        let (message, extra) = [
            ("Your proposed upload exceeds the maximum allowed size", format!("<ProposedSize>{}</ProposedSize><MaxSizeAllowed>{max}</MaxSizeAllowed>", max + 1)),
            ("Your proposed upload exceeds the maximum allowed object size.", String::new()),
            ("Content-length exceeds upper bound on range", String::new()),
            ("Invalid according to Policy: Policy Condition failed: [\"content-length-range\", 0, 10]", String::new()),
        ]
        .to_vec()
        .swap_remove(wording);
        Refused {
            code: if wording < 2 { "EntityTooLarge" } else { "AccessDenied" },
            message: message.to_owned(),
            extra,
            id: if wording == 3 { CauseId::PolicyCondition } else { CauseId::TooLarge },
            says: vec![],
            ambiguous_alone: wording == 1,
        }
    });
    // The policy itself unreadable, in each server's words.
    let unreadable = (0usize..8).prop_map(|wording| {
        let (code, message) = [
            ("InvalidPolicyDocument", "Invalid Policy: Invalid JSON."),
            (
                "InvalidPolicyDocument",
                "Invalid Policy: Invalid Base64 Encoding.",
            ),
            (
                "AccessDenied",
                "Invalid Policy: Missing 'expiration' field.",
            ),
            (
                "InvalidPolicyDocument",
                "Invalid Policy: Invalid 'conditions' value: must be a List.",
            ),
            (
                "InvalidArgument",
                "Unable to parse the POST policy document.",
            ),
            ("MalformedPOSTRequest", "The policy could not be decoded."),
            ("InvalidRequest", "POST policy is not valid JSON"),
            (
                "AccessDenied",
                "Invalid Policy: Invalid Simple-Condition: value must be a string.",
            ),
        ][wording];
        Refused {
            code,
            message: message.to_owned(),
            extra: String::new(),
            id: CauseId::UrlAltered,
            says: vec![],
            ambiguous_alone: false,
        }
    });
    prop_oneof![
        condition,
        type_condition,
        expired,
        extra_field,
        size,
        unreadable
    ]
}

/// A form of each provider, to give with its refusal.
fn a_form(gcs: bool) -> PostForm {
    let (action, fields) = if gcs {
        (
            "https://storage.googleapis.com/bucket",
            r#"{"key":"uploads/${filename}","x-goog-algorithm":"GOOG4-RSA-SHA256","x-goog-credential":"s@p.iam.gserviceaccount.com/20261124/auto/storage/goog4_request","x-goog-date":"20261124T060000Z","policy":"e30=","x-goog-signature":"abcd"}"#,
        )
    } else {
        (
            "https://my-bucket.s3.amazonaws.com/",
            r#"{"key":"uploads/${filename}","x-amz-algorithm":"AWS4-HMAC-SHA256","x-amz-credential":"AKIAEXAMPLE/20261124/eu-west-1/s3/aws4_request","x-amz-date":"20261124T060000Z","policy":"e30=","x-amz-signature":"abcd"}"#,
        )
    };
    let text = format!(r#"{{"url":"{action}","fields":{fields}}}"#);
    PostForm::parse(&text).expect("a form").expect("it reads")
}

/// Causes that are a link's, never a form's.
fn is_link_cause(id: CauseId) -> bool {
    matches!(
        id,
        CauseId::NotPresigned
            | CauseId::Expired
            | CauseId::LinkIncomplete
            | CauseId::MethodMismatch
            | CauseId::ContentTypeMismatch
            | CauseId::LegacySignatureUnsupported
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_forms_refusal_is_read_as_the_forms_however_it_is_given(
        refused in form_refusal(),
        language in both_languages(),
        given in 0usize..4,
        gcs in any::<bool>(),
    ) {
        let form = a_form(gcs);
        let action = PresignedLink::parse(if gcs { "https://storage.googleapis.com/bucket" } else { "https://my-bucket.s3.amazonaws.com/" }).ok();
        // Alone; with the form's action address as a link; with the form; posted, form unknown.
        let mut attempt = Attempt::new(if given == 1 { action.as_ref() } else { None }, Operation::Put);
        if given == 2 {
            attempt.form = Some(&form);
        }
        attempt.posted = given == 3;
        let body = xml(refused.code, &refused.message, &refused.extra);
        let d = explain(&attempt, 403, &body, language);
        let first = &d.causes[0];
        prop_assert_eq!(first.id, refused.id, "{} {:?}", body, d.causes);
        for cause in &d.causes {
            prop_assert!(!is_link_cause(cause.id), "{:?} for {}", cause.id, body);
            // Multipart advice is for the storage's own limit, not a form's; a size refusal
            // with no figures, given with nothing else, may be either.
            if !(refused.ambiguous_alone && given == 0) {
                prop_assert!(!cause.ask.contains("multipart") && !cause.ask.contains("マルチパート"), "{} (given {})", cause.ask, given);
            }
        }
        let text = format!("{} {}", first.title, first.text);
        for word in &refused.says {
            prop_assert!(text.contains(word.as_str()) || text.contains(&word.to_ascii_lowercase()), "{:?} not in {}", word, text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The echo, compared before redaction: a security token changed in any way on the way is named,
// never said to match; and its value never shows.

/// What a tool or proxy did to a value on the way.
#[derive(Debug, Clone, Copy)]
enum Change {
    PlusAsSpace,
    EncodedTwice,
    Dropped,
    OneByte,
    CutShort,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        Just(Change::PlusAsSpace),
        Just(Change::EncodedTwice),
        Just(Change::Dropped),
        Just(Change::OneByte),
        Just(Change::CutShort),
    ]
}

fn changed(value: &str, change: Change) -> Option<String> {
    Some(match change {
        Change::PlusAsSpace => value.replace("%2B", "+"),
        Change::EncodedTwice => value.replace('%', "%25"),
        Change::Dropped => return None,
        Change::OneByte => {
            let mut bytes = value.as_bytes().to_vec();
            let at = bytes.len() / 2;
            bytes[at] = if bytes[at] == b'Q' { b'R' } else { b'Q' };
            String::from_utf8(bytes).unwrap()
        }
        Change::CutShort => value[..value.len() - 4].to_owned(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_token_changed_on_the_way_is_named_and_never_shown(
        token in base64_encoded(120).prop_filter("has a plus", |t| t.contains("%2B")),
        change in change(),
        language in both_languages(),
        gcs in any::<bool>(),
    ) {
        let (host, prefix, region) = if gcs {
            ("storage.googleapis.com/bucket", "X-Goog", "auto%2Fstorage%2Fgoog4_request")
        } else {
            ("bucket.s3.eu-west-1.amazonaws.com", "X-Amz", "eu-west-1%2Fs3%2Faws4_request")
        };
        let algorithm = if gcs { "GOOG4-HMAC-SHA256" } else { "AWS4-HMAC-SHA256" };
        let link = format!("https://{host}/k.csv?{prefix}-Algorithm={algorithm}&{prefix}-Credential=ASIAEXAMPLE%2F20261124%2F{region}&{prefix}-Date=20261124T060000Z&{prefix}-Expires=3600&{prefix}-Security-Token={token}&{prefix}-SignedHeaders=host&{prefix}-Signature=0123");
        let sent = match changed(&token, change) {
            Some(t) => link.replace(&token, &t),
            None => link.replace(&format!("&{prefix}-Security-Token={token}"), ""),
        };
        let body = echo::signature_mismatch(&sent, "GET", &[], &["host"]);
        let parsed = PresignedLink::parse(&link).unwrap();
        let attempt = Attempt::new(Some(&parsed), Operation::Get);
        let d = explain(&attempt, 403, &body, language);
        prop_assert_eq!(d.causes[0].id, CauseId::UrlAltered, "{:?}", d.causes);
        prop_assert!(d.causes[0].text.contains(&format!("{prefix}-Security-Token")), "{}", d.causes[0].text);
        prop_assert!(d.causes.iter().all(|c| !c.text.contains("exactly what")), "{:?}", d.causes);
        // The token shows nowhere, in any form.
        let json = serde_json::to_string(&d).unwrap();
        let decoded = token.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=");
        for form in [&token, &decoded, &token[..40].to_owned()] {
            prop_assert!(!json.contains(form.as_str()), "the token shows");
        }
    }
}

/// The echo matches only when every byte does: one test per value a body or a report
/// redacts, changed by one byte in the echo.
#[test]
fn no_card_says_the_echo_matches_when_a_redacted_value_differs() {
    let token = "FQoGZXIvYXdzE%2BBaDH%2FtokenTOKENtoken";
    let link = format!(
        "https://b.s3.us-east-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-Security-Token={token}&X-Amz-SignedHeaders=host&X-Amz-Signature=abc"
    );
    let parsed = PresignedLink::parse(&link).unwrap();
    let attempt = Attempt::new(Some(&parsed), Operation::Get);
    let matches = |body: &str| {
        let d = explain(&attempt, 403, body, Language::ENGLISH);
        d.causes
            .iter()
            .any(|c| c.key == "wrong-secret-or-tampered.echo-matches")
    };
    let unchanged = echo::signature_mismatch(&link, "GET", &[], &["host"]);
    let d = explain(&attempt, 403, &unchanged, Language::ENGLISH);
    assert!(
        matches(&unchanged),
        "an unchanged echo matches: {:?}",
        d.causes
    );
    // The token changed by one letter's case: only its unredacted bytes tell.
    let sent = link.replace(token, &token.replace("TOKEN", "TOKEn"));
    let body = echo::signature_mismatch(&sent, "GET", &[], &["host"]);
    assert!(!matches(&body), "a token changed in one byte");
    let d = explain(&attempt, 403, &body, Language::ENGLISH);
    assert!(
        d.causes[0].text.contains("X-Amz-Security-Token"),
        "{:?}",
        d.causes[0]
    );
    // A server that hides the value itself: nothing to compare, so no claim either way.
    assert!(unchanged.contains(token));
    let hidden = unchanged.replace(token, "REDACTED");
    assert!(!matches(&hidden), "a hidden value is not a match");
}

// ---------------------------------------------------------------------------------------------
// Signed headers in the echo: not sent, sent empty, sent with another value, received with a
// value PresignDesk cannot check; each its own words, and a secret's value never shown.

#[derive(Debug, Clone, Copy)]
enum HeaderState {
    NotSent,
    SentEmpty,
    OtherValue,
    Unverified,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn each_state_of_a_signed_header_has_its_own_cause(
        name in "x-amz-(meta-[a-z]{1,8}|server-side-encryption|acl|tagging|security-token)",
        value in "Zq[a-zA-Z0-9]{6,14}",
        state in prop_oneof![Just(HeaderState::NotSent), Just(HeaderState::SentEmpty), Just(HeaderState::OtherValue), Just(HeaderState::Unverified)],
        language in both_languages(),
    ) {
        let link = format!("https://b.s3.us-east-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host%3B{}&x-id=PutObject&X-Amz-Signature=abc", name.replace(';', "%3B"));
        let parsed = PresignedLink::parse(&link).unwrap();
        let (sent, received): (Option<&str>, &str) = match state {
            HeaderState::NotSent => (None, ""),
            HeaderState::SentEmpty => (Some(""), ""),
            HeaderState::OtherValue => (Some("sentvalue"), value.as_str()),
            HeaderState::Unverified => (None, value.as_str()),
        };
        let body = echo::signature_mismatch(&link, "PUT", &[(name.as_str(), received)], &["host", name.as_str()]);
        let mut attempt = Attempt::new(Some(&parsed), Operation::Put);
        // A send PresignDesk made knows every header it sent; `explain` knows none.
        attempt.operation_known = !matches!(state, HeaderState::Unverified);
        if let Some(v) = sent {
            attempt.sent_headers.push((name.clone(), v.to_owned()));
        }
        let d = explain(&attempt, 403, &body, language);
        let keys: Vec<&str> = d.causes.iter().map(|c| c.key).collect();
        let wanted = match state {
            HeaderState::NotSent => "signed-header-missing",
            HeaderState::SentEmpty => "signed-header-missing.empty",
            HeaderState::OtherValue => "url-altered.header",
            HeaderState::Unverified => if name == "x-amz-security-token" { "signed-header-mismatch.received-secret" } else { "signed-header-mismatch.received" },
        };
        prop_assert!(keys.iter().any(|k| k.starts_with(wanted)), "{:?}: {:?}", state, keys);
        let text: String = d.causes.iter().map(|c| format!("{} {} ", c.title, c.text)).collect();
        prop_assert!(text.contains(&name), "{}", text);
        if matches!(state, HeaderState::Unverified | HeaderState::OtherValue) {
            // Received with a value: never called not sent.
            prop_assert!(!keys.iter().any(|k| k.starts_with("signed-header-missing")), "{:?}", keys);
            let secret = name == "x-amz-security-token";
            prop_assert_eq!(text.contains(&value), !secret, "{}", text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Legacy and Azure strings to sign: every change of the path and the signed query named as for
// SigV4, for each layout (Azure versions, user delegation keys; SigV2 and GCS V2 resources).

/// How the path or a field changed on the way.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Way {
    Unchanged,
    PathEncodedTwice,
    PathDecoded,
    Field,
}

fn way() -> impl Strategy<Value = Way> {
    prop_oneof![
        Just(Way::Unchanged),
        Just(Way::PathEncodedTwice),
        Just(Way::PathDecoded),
        Just(Way::Field)
    ]
}

fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The first cause names `way` (in `language`), or `field` for a changed field; an unchanged
/// request points at the link itself.
fn named_as(d: &Diagnosis, way: Way, language: Language, field: &str) -> Result<(), TestCaseError> {
    let first = &d.causes[0];
    if way == Way::Unchanged {
        prop_assert_eq!(
            first.key,
            "wrong-secret-or-tampered.echo-matches",
            "{:?}",
            d.causes
        );
        return Ok(());
    }
    prop_assert_eq!(first.id, CauseId::UrlAltered, "{:?}", d.causes);
    let english = language == Language::ENGLISH;
    let words = match (way, english) {
        (Way::PathEncodedTwice, true) => "encoded twice",
        (Way::PathEncodedTwice, false) => "二重にエンコード",
        (Way::PathDecoded, true) => "decoded",
        (Way::PathDecoded, false) => "デコード",
        _ => field,
    };
    prop_assert!(first.text.contains(words), "{} / {}", words, first.text);
    Ok(())
}

/// The string to sign Azure computes from the request it received, laid out for `sv`.
fn azure_string_to_sign(sent: &PresignedLink) -> String {
    let raw = sent.raw();
    let param = |n: &str| raw.param(n).unwrap_or_default();
    let sv = param("sv");
    let mut fields = vec![
        param("sp"),
        param("st"),
        param("se"),
        format!("/blob/account{}", decoded(raw.path())),
    ];
    if raw.param("skoid").is_some() {
        for n in ["skoid", "sktid", "skt", "ske", "sks", "skv"] {
            fields.push(param(n));
        }
        if sv.as_str() >= "2020-02-10" {
            fields.extend([String::new(), String::new(), String::new()]);
        }
    } else {
        fields.push(param("si"));
    }
    fields.extend([param("sip"), param("spr"), sv.clone()]);
    if sv.as_str() >= "2018-11-09" {
        fields.extend([param("sr"), String::new()]);
    }
    if sv.as_str() >= "2020-12-06" {
        fields.push(param("ses"));
    }
    for n in ["rscc", "rscd", "rsce", "rscl", "rsct"] {
        fields.push(param(n));
    }
    fields.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_change_in_an_azure_string_to_sign_is_named(
        sv in prop_oneof![Just("2015-04-05"), Just("2019-12-12"), Just("2021-08-06"), Just("2024-11-04")],
        delegation in any::<bool>(),
        name in "[a-z]{1,6} [a-z]{1,6}\\.(csv|bin)",
        field in prop_oneof![Just("sp"), Just("se"), Just("sr"), Just("rsct")],
        way in way(),
        language in both_languages(),
    ) {
        let blob = name.replace(' ', "%20").replace("%20", "%2520");
        let key = if delegation { "&skoid=00000000-0000-0000-0000-000000000001&sktid=00000000-0000-0000-0000-000000000002&skt=2026-11-24T06%3A00%3A00Z&ske=2026-11-25T06%3A00%3A00Z&sks=b&skv=2021-08-06" } else { "" };
        let link = format!("https://account.blob.core.windows.net/container/{blob}?sv={sv}&st=2026-11-24T06%3A00%3A00Z&se=2026-11-24T08%3A00%3A00Z&sr=b&sp=cw{key}&rsct=text%2Fcsv&sig=abc%3D");
        let sent = match way {
            Way::Unchanged => link.clone(),
            Way::PathEncodedTwice => link.replace(&blob, &blob.replace('%', "%25")),
            Way::PathDecoded => link.replace(&blob, &decoded(&blob)),
            Way::Field => link.replace(&format!("{field}="), &format!("{field}=x")),
        };
        let sent_link = PresignedLink::parse(&sent).unwrap();
        let body = format!(
            "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message><AuthenticationErrorDetail>Signature did not match. String to sign used was {}</AuthenticationErrorDetail></Error>",
            azure_string_to_sign(&sent_link)
        );
        let parsed = PresignedLink::parse(&link).unwrap();
        let attempt = Attempt::new(Some(&parsed), Operation::Put);
        let d = explain(&attempt, 403, &body, language);
        // Versions before 2018-11-09 do not sign `sr`: changing it changes nothing signed.
        let unsigned = way == Way::Field && field == "sr" && sv < "2018-11-09";
        named_as(&d, if unsigned { Way::Unchanged } else { way }, language, field)?;
    }

    #[test]
    fn every_change_in_a_legacy_string_to_sign_is_named(
        gcs in any::<bool>(),
        name in "[a-z]{1,6} [a-z]{1,6}\\.csv",
        way in way(),
        language in both_languages(),
    ) {
        let key = name.replace(' ', "%20");
        let (base, resource_prefix, id) = if gcs {
            ("https://storage.googleapis.com/bucket", "", "GoogleAccessId=signer%40p.iam.gserviceaccount.com")
        } else {
            ("https://bucket.s3.amazonaws.com", "/bucket", "AWSAccessKeyId=AKIAEXAMPLE")
        };
        // For the path decoded on the way, the key holds a literal `%20`.
        let signed_key = if way == Way::PathDecoded { key.replace('%', "%25") } else { key.clone() };
        let link = format!("{base}/{signed_key}?{id}&Expires=1795600000&response-content-disposition=attachment&Signature=abc%3D");
        let sent = match way {
            Way::Unchanged => link.clone(),
            Way::PathEncodedTwice => link.replace(&format!("/{key}?"), &format!("/{}?", key.replace('%', "%25"))),
            Way::PathDecoded => link.replace(&format!("/{signed_key}?"), &format!("/{key}?")),
            Way::Field => link.replace("attachment", "inline"),
        };
        let sent_link = PresignedLink::parse(&sent).unwrap();
        let raw = sent_link.raw();
        let path = raw.path().to_owned();
        let disposition = raw.param("response-content-disposition").unwrap_or_default();
        let body = format!(
            "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>GET\n\n\n1795600000\n{resource_prefix}{path}?response-content-disposition={disposition}</StringToSign></Error>"
        );
        let parsed = PresignedLink::parse(&link).unwrap();
        let attempt = Attempt::new(Some(&parsed), Operation::Get);
        let d = explain(&attempt, 403, &body, language);
        named_as(&d, way, language, "response-content-disposition")?;
    }
}

// ---------------------------------------------------------------------------------------------
// A SigV2 link refused: in words of the bucket's region, however the region is given (the
// link's host in each of Amazon's address styles, or the server's `Region`); no region words for
// a server that is not Amazon's.

/// The regions that took Signature Version 2, and later ones (named or made up).
const OLD_REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "us-gov-west-1",
];

fn region() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        proptest::sample::select(OLD_REGIONS).prop_map(|r| (r.to_owned(), true)),
        proptest::sample::select(
            &[
                "eu-central-1",
                "ap-south-1",
                "ap-northeast-2",
                "eu-west-3",
                "me-south-1",
                "af-south-1",
                "ap-southeast-5",
                "mx-central-1",
            ][..]
        )
        .prop_map(|r| (r.to_owned(), false)),
        ("[a-z]{2}-(north|south|east|west|central)-[4-9]").prop_map(|r| (r, false)),
    ]
}

/// Where the link's host says the region, or nowhere (the server's `Region` says it).
#[derive(Debug, Clone, Copy)]
enum RegionIn {
    VirtualHost,
    DashHost,
    PathStyle,
    Dualstack,
    ServerOnly,
}

fn region_in() -> impl Strategy<Value = RegionIn> {
    prop_oneof![
        Just(RegionIn::VirtualHost),
        Just(RegionIn::DashHost),
        Just(RegionIn::PathStyle),
        Just(RegionIn::Dualstack),
        Just(RegionIn::ServerOnly),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_legacy_link_refused_is_explained_in_words_of_its_region(
        (region, old) in region(),
        place in region_in(),
        upload in any::<bool>(),
        message in prop_oneof![
            Just("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."),
            Just("Please use AWS4-HMAC-SHA256."),
        ],
        language in both_languages(),
    ) {
        let address = match place {
            RegionIn::VirtualHost => format!("https://bucket.s3.{region}.amazonaws.com/k.csv"),
            RegionIn::DashHost => format!("https://bucket.s3-{region}.amazonaws.com/k.csv"),
            RegionIn::PathStyle => format!("https://s3.{region}.amazonaws.com/bucket/k.csv"),
            RegionIn::Dualstack => format!("https://bucket.s3.dualstack.{region}.amazonaws.com/k.csv"),
            RegionIn::ServerOnly => "https://bucket.s3.amazonaws.com/k.csv".to_owned(),
        };
        let link = format!("{address}?AWSAccessKeyId=AKIAEXAMPLE&Expires=1795600000&Signature=abc%3D");
        let extra = format!("<Region>{region}</Region>");
        let extra = if matches!(place, RegionIn::ServerOnly) || upload { extra.as_str() } else { "" };
        let body = xml("InvalidRequest", message, extra);
        let parsed = PresignedLink::parse(&link).unwrap();
        let operation = if upload { Operation::Put } else { Operation::Get };
        let attempt = Attempt::new(Some(&parsed), operation);
        let d = explain(&attempt, 400, &body, language);
        let first = &d.causes[0];
        let key = if old {
            "legacy-signature-unsupported.old-region"
        } else {
            "legacy-signature-unsupported.region"
        };
        prop_assert_eq!(first.key, key, "{:?}", d.causes);
        prop_assert!(d.explanation.contains(&region), "{} / {}", region, d.explanation);
        let version = if language == Language::ENGLISH { "Signature Version 4" } else { "署名バージョン 4" };
        prop_assert!(d.ask.contains(version), "{}", d.ask);
    }

    #[test]
    fn a_legacy_link_refused_by_another_server_has_no_amazon_region_words(
        host in prop_oneof![
            Just("127.0.0.1:9000/bucket"),
            Just("minio.example.internal/bucket"),
            Just("bucket.example-storage.com"),
        ],
        region in "[a-z]{2}-(north|south|east|west)-[1-9]",
        language in both_languages(),
    ) {
        let link = format!("http://{host}/k.csv?AWSAccessKeyId=AK&Expires=1795600000&Signature=abc%3D");
        let body = xml("InvalidRequest", "Please use AWS4-HMAC-SHA256.", &format!("<Region>{region}</Region>"));
        let parsed = PresignedLink::parse(&link).unwrap();
        let attempt = Attempt::new(Some(&parsed), Operation::Put);
        let d = explain(&attempt, 400, &body, language);
        prop_assert_eq!(d.causes[0].key, "legacy-signature-unsupported", "{:?}", d.causes);
        prop_assert!(!d.explanation.contains(&region), "{}", d.explanation);
    }
}
