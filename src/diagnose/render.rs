//! Causes in words: each cause's own title (said with its strength), why, what to do and what to
//! ask whom, from the catalogues; the explanation as text for the terminal; the message for
//! whoever can mend it. Pure.

use super::Diagnosis;
use super::attempt::Attempt;
use super::cause::{Basis, Cause, Found, Strength, Topic, Whom};
use crate::text::errors::{self, ErrorText, Family};
use crate::text::{T, fill, fill_text, heading, label_value, tr};

/// A found cause in words, in the family's own terms.
pub(super) fn cause(found: &Found, family: Family) -> Cause {
    let values: Vec<(&str, &str)> = found
        .values
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let field = |name: &str| {
        errors::cause_field(found.kind.key, family, name)
            .map(|text| fill_text(text, &values).trim().to_owned())
            .unwrap_or_default()
    };
    let action = field("action");
    Cause {
        id: found.kind.id,
        strength: found.strength,
        title: titled(&field("title"), found.strength),
        text: field("why"),
        actions: if action.is_empty() {
            Vec::new()
        } else {
            vec![action]
        },
        ask: if found.kind.whom == Whom::Nobody {
            String::new()
        } else {
            field("ask")
        },
        ask_whom: found.kind.whom,
        basis: found.basis,
        key: found.kind.key,
    }
}

/// What the server stated, when no cause is known beyond its code: the code's own entry.
pub(super) fn server_stated(entry: &ErrorText, code: &str) -> Cause {
    let (whom, _) = stated(code);
    Cause {
        id: super::CauseId::ServerStated,
        strength: Strength::Likely,
        title: entry.title.to_owned(),
        text: entry.meaning.to_owned(),
        actions: vec![entry.action.to_owned()],
        ask: if whom == Whom::Nobody {
            String::new()
        } else {
            entry.ask.to_owned()
        },
        ask_whom: whom,
        basis: Basis::ServerSaid,
        key: "server-stated",
    }
}

/// Whom a code's own entry asks, and what its texts may speak of.
pub fn stated(code: &str) -> (Whom, &'static [Topic]) {
    use Topic::*;
    match code {
        "InvalidRequest" | "InvalidArgument" | "MalformedSecurityHeader" | "InvalidHeaderValue" => {
            (Whom::Creator, &[FileType, Method])
        }
        "AuthorizationQueryParametersError" | "AuthorizationHeaderMalformed" => {
            (Whom::Creator, &[Address])
        }
        "PermanentRedirect"
        | "TemporaryRedirect"
        | "http-3xx"
        | "AuthorizationProtocolMismatch" => (Whom::Creator, &[Address]),
        "AuthorizationSourceIPMismatch" => (Whom::Creator, &[Address, Permissions]),
        "NotImplemented" | "MissingContentLength" | "http-411" | "MissingRequiredHeader" => {
            (Whom::Nobody, &[])
        }
        "SlowDown" | "InternalError" | "ServiceUnavailable" | "RequestTimeout"
        | "IncompleteBody" | "ServerBusy" | "OperationTimedOut" | "http-5xx" | "http-other" => {
            (Whom::Nobody, &[])
        }
        "MethodNotAllowed" | "http-405" | "AuthorizationPermissionMismatch" => {
            (Whom::Creator, &[Method, Permissions])
        }
        "AccessDenied" | "AuthorizationFailure" | "http-403" => (Whom::Creator, &[Permissions]),
        "RequestTimeTooSkewed" => (Whom::Creator, &[SignerClock]),
        "SignatureDoesNotMatch" => (Whom::Creator, &[FileType, Method]),
        "http-404" | "NoSuchBucket" | "ContainerNotFound" | "http-400" | "http-401" => {
            (Whom::Creator, &[])
        }
        _ => (Whom::Creator, &[]),
    }
}

/// A title in the words of its strength: stated when proven, "most likely" when likely,
/// "perhaps" when only possible. Catalogue titles are written to follow such a lead-in.
fn titled(title: &str, strength: Strength) -> String {
    match strength {
        Strength::Proven => capitalized(title),
        Strength::Likely => fill(T::TitleLikely, &[("title", title)]),
        Strength::Possible => fill(T::TitlePossible, &[("title", title)]),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What shows the first cause, in plain words for the card (`The server's answer says so.`).
pub fn basis_text(cause: &Cause) -> Option<&'static str> {
    if cause.strength != Strength::Proven {
        return None;
    }
    Some(tr(match cause.basis {
        Basis::ServerSaid => T::BasisServerSaid,
        Basis::ServerEcho => T::BasisServerEcho,
        Basis::Link => T::BasisLink,
        Basis::Probe => T::BasisProbe,
        Basis::Local => T::BasisLocal,
        Basis::Inference => return None,
    }))
}

/// A short message for whoever can mend it (the link's creator, or the storage's operator):
/// what was tried, what the server said, what is needed. Redacted: it names the link only with
/// its signature removed.
pub fn creator_message(
    attempt: &Attempt<'_>,
    diagnosis: &Diagnosis,
    request_id: Option<&str>,
) -> String {
    let verb = super::provider::verb(attempt.operation);
    let target = attempt
        .link
        .map(crate::link::target_name)
        .unwrap_or_default();
    let message = diagnosis
        .message
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let template = match diagnosis.ask_whom {
        Whom::Operator => T::OperatorMessage,
        Whom::Creator | Whom::Nobody => T::CreatorMessage,
    };
    let ask = if diagnosis.ask.is_empty() {
        tr(T::None_).to_owned()
    } else {
        diagnosis.ask.clone()
    };
    fill(
        template,
        &[
            ("verb", verb),
            ("target", &target),
            (
                "status",
                &diagnosis.status.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("code", diagnosis.code.as_deref().unwrap_or_default()),
            ("message", &message),
            ("title", diagnosis.title.trim_end_matches(['.', '。'])),
            ("explanation", &diagnosis.explanation),
            ("ask", &ask),
            ("request_id", request_id.unwrap_or(tr(T::None_))),
            (
                "link",
                &attempt.link.map(|l| l.redacted()).unwrap_or_default(),
            ),
        ],
    )
}

/// The explanation as plain text for a terminal: title, how sure, why, what to do, what to ask
/// for, other causes.
pub fn explanation_text(diagnosis: &Diagnosis) -> String {
    let mut out = format!("{}\n", diagnosis.title);
    if let Some(first) = diagnosis.causes.first() {
        out.push_str(&fill(
            T::CauseStrengthLine,
            &[("strength", first.strength.text())],
        ));
        out.push('\n');
    }
    out.push_str(&diagnosis.explanation);
    out.push('\n');
    if !diagnosis.actions.is_empty() {
        out.push_str(&label_value(T::WhatToDo, &diagnosis.actions.join(" ")));
        out.push('\n');
    }
    if !diagnosis.ask.is_empty() {
        let label = match diagnosis.ask_whom {
            Whom::Operator => T::WhatToAskOperator,
            _ => T::WhatToAsk,
        };
        out.push_str(&label_value(label, &diagnosis.ask));
        out.push('\n');
    }
    if let Some(fix) = &diagnosis.fix {
        out.push_str(&format!("→ {}\n", fix.command_line_hint()));
    }
    if diagnosis.causes.len() > 1 {
        out.push_str(&heading(T::OtherCauses));
        out.push('\n');
        for cause in &diagnosis.causes[1..] {
            out.push_str(&format!(
                "  - {} ({}, {})\n    {}\n",
                cause.title,
                cause.strength.text(),
                cause.id.as_str(),
                cause.text,
            ));
            if let Some(action) = cause.actions.first() {
                out.push_str(&format!("    {}\n", label_value(T::WhatToDo, action)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::cause::{Kind, kind};
    use crate::text::{Language, with_language};

    /// Words that show a text speaks of a topic, in each language.
    fn keywords(topic: Topic, language: Language) -> &'static [&'static str] {
        let japanese = language == Language::JAPANESE;
        match (topic, japanese) {
            (Topic::ThisClock, false) => &["this computer"],
            (Topic::ThisClock, true) => &["このコンピューター"],
            (Topic::SignerClock, false) => &["clock", "time zone"],
            (Topic::SignerClock, true) => &["時計", "タイムゾーン"],
            (Topic::Permissions, false) => &["permission", "allowed to", "s3:", "storage.objects"],
            (Topic::Permissions, true) => &["権限", "許可", "s3:", "storage.objects"],
            (Topic::FileType, false) => &["file type", "content-type"],
            (Topic::FileType, true) => &["ファイルの種類", "content-type"],
            (Topic::Address, false) => &["address", "region", "endpoint", "server name"],
            (Topic::Address, true) => &["アドレス", "リージョン", "エンドポイント", "ホスト"],
            (Topic::Method, false) => &[
                "operation",
                "upload or download",
                "for uploading",
                "for downloading",
                "upload link",
                "download link",
                "upload url",
            ],
            (Topic::Method, true) => &["操作", "アップロード用", "ダウンロード用"],
            (Topic::Operator, false) => &["operator"],
            (Topic::Operator, true) => &["管理者", "運用"],
        }
    }

    const TOPICS: &[Topic] = &[
        Topic::ThisClock,
        Topic::SignerClock,
        Topic::Permissions,
        Topic::FileType,
        Topic::Address,
        Topic::Method,
        Topic::Operator,
    ];

    const NAMES: &[&str] = &[
        "sent",
        "guess",
        "received",
        "made_for",
        "used",
        "other",
        "params",
        "expected",
        "change",
        "changes",
        "header",
        "span",
        "at",
        "zone",
        "region",
        "signed",
        "endpoint",
        "size",
        "max",
        "min",
        "headers",
        "bucket",
        "key",
        "what",
        "action",
        "sp",
        "needed",
        "code",
        "condition",
        "field",
    ];

    /// The topics a text speaks of that `allowed` rules out.
    fn stray_topics(text: &str, allowed: &[Topic], language: Language) -> Vec<Topic> {
        let lower = text.to_lowercase();
        // This computer's clock is a clock too: a text allowed it may say "clock".
        let allowed_clock = allowed.contains(&Topic::ThisClock);
        TOPICS
            .iter()
            .copied()
            .filter(|t| !allowed.contains(t))
            .filter(|t| !(allowed_clock && *t == Topic::SignerClock))
            .filter(|t| keywords(*t, language).iter().any(|k| lower.contains(k)))
            .collect()
    }

    fn rendered(kind: &'static Kind, family: Family) -> Cause {
        let mut found = Found::new(kind);
        for name in NAMES {
            found = found.with(name, "X");
        }
        cause(&found, family)
    }

    /// For every cause × provider × language: its title and remedy speak only of what its
    /// kind allows, it asks whom its kind says, and no text names a part of one front.
    #[test]
    fn every_remedy_speaks_only_of_what_its_cause_allows() {
        let mut problems = Vec::new();
        for language in Language::all() {
            with_language(language, || {
                for kind in kind::ALL {
                    for family in [Family::S3, Family::Gcs, Family::Azure] {
                        let c = rendered(kind, family);
                        let remedy = format!("{} {} {}", c.title, c.actions.join(" "), c.ask);
                        let stray = stray_topics(&remedy, kind.topics, language);
                        if !stray.is_empty() {
                            problems.push(format!(
                                "{} {:?} {}: speaks of {stray:?}: {remedy}",
                                language.code(),
                                family,
                                kind.key
                            ));
                        }
                        if c.title.is_empty() || c.text.is_empty() || c.actions.is_empty() {
                            problems.push(format!(
                                "{} {}: a text is missing",
                                language.code(),
                                kind.key
                            ));
                        }
                        let asks = errors::cause_field(kind.key, family, "ask").is_some();
                        if (kind.whom == Whom::Nobody) == asks {
                            problems.push(format!(
                                "{} {}: asks {:?} but has ask text: {asks}",
                                language.code(),
                                kind.key,
                                kind.whom
                            ));
                        }
                        let all = format!("{remedy} {}", c.text);
                        if all.contains("Details") || all.contains("「詳細」") {
                            problems.push(format!("{}: a window word in {all}", kind.key));
                        }
                    }
                }
                // The codes' own entries, used when no cause is known.
                for family in [Family::S3, Family::Gcs, Family::Azure] {
                    for code in errors::codes(family) {
                        let entry = errors::for_code(family, code).unwrap();
                        let (_, topics) = stated(code);
                        let remedy = format!("{} {} {}", entry.title, entry.action, entry.ask);
                        let stray = stray_topics(&remedy, topics, language);
                        if !stray.is_empty() {
                            problems.push(format!(
                                "{} {code}: speaks of {stray:?}: {remedy}",
                                language.code()
                            ));
                        }
                        let all = format!("{remedy} {}", entry.meaning);
                        if all.contains("Details") || all.contains("「詳細」") {
                            problems.push(format!("{code}: a window word in {all}"));
                        }
                    }
                }
            });
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_remedy_that_speaks_of_a_ruled_out_topic_is_caught() {
        let english = Language::ENGLISH;
        assert_eq!(
            stray_topics(
                "Set this computer's clock right",
                &[Topic::SignerClock],
                english
            ),
            [Topic::ThisClock]
        );
        assert_eq!(
            stray_topics("A link from someone allowed to write", &[], english),
            [Topic::Permissions]
        );
        assert!(stray_topics("A new link.", &[], english).is_empty());
        assert_eq!(
            stray_topics(
                "このコンピューターの時計を合わせてください",
                &[Topic::SignerClock],
                Language::JAPANESE
            ),
            [Topic::ThisClock]
        );
    }

    #[test]
    fn titles_speak_with_their_strength() {
        with_language(Language::ENGLISH, || {
            let mut found = Found::new(&kind::EXPIRED_PLAIN);
            assert_eq!(
                cause(&found, Family::S3).title,
                "Most likely, the link has expired"
            );
            found = found.proven(Basis::ServerSaid);
            assert_eq!(cause(&found, Family::S3).title, "The link has expired");
            found = Found::new(&kind::METHOD_MAYBE).possible();
            assert!(
                cause(&found, Family::S3)
                    .title
                    .starts_with("Perhaps the link")
            );
        });
        with_language(Language::JAPANESE, || {
            let found = Found::new(&kind::EXPIRED_PLAIN);
            assert!(
                cause(&found, Family::S3)
                    .title
                    .starts_with("最も可能性が高い原因：")
            );
        });
    }
}
