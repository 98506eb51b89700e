//! The causes of a signature mismatch, ranked by what the server's echo, the link and the
//! request prove. Pure.

use super::attempt::{Attempt, ProbeVerdict, Purpose};
use super::cause::{Basis, Found, Strength, kind};
use super::echo::{self, Change, Part, Reading};
use super::provider::operation_words;
use crate::exchange::ErrorBody;
use crate::link::{Operation, SignatureScheme};
use crate::text::{T, fill, tr};

/// Everything a signature refusal's evidence shows, most proven first within its order.
pub(super) fn causes(attempt: &Attempt<'_>, body: &ErrorBody) -> Vec<Found> {
    let link = attempt.link;
    let sent = echo::Sent {
        method: attempt.operation_known.then(|| attempt.operation.method()),
        headers: &attempt.sent_headers,
    };
    let reading = echo::read(
        body.echo("CanonicalRequest"),
        body.echo("StringToSign"),
        body.echo("AuthenticationErrorDetail"),
        link,
        &sent,
    );
    // The echo shows the method the request arrived with.
    let echoed = match reading.as_ref().and_then(|r| r.method.as_deref()) {
        Some("GET") => Some(Operation::Get),
        Some("PUT") => Some(Operation::Put),
        _ => None,
    };
    let used = echoed.unwrap_or(attempt.operation);
    // Nobody said which request the answer came from, and the server did not echo it.
    let untold = !attempt.operation_known && echoed.is_none();
    let mut causes = Vec::new();

    // Parameters no signer adds, inside a query the signature covers: changed after signing.
    if let Some(link) = link {
        let added = link.params_added_after_signing();
        if !added.is_empty() {
            causes.push(
                Found::new(&kind::ALTERED_PARAMS)
                    .with("params", added.join(", "))
                    .proven(Basis::Link),
            );
        }
    }
    if let Some(reading) = &reading {
        causes.extend(echo_differences(reading, link));
    }
    // Headers the link signs that the request did not carry, when the echo did not show it.
    if let Some(link) = link {
        let unsent: Vec<String> = crate::signed_headers::needed(link)
            .into_iter()
            .map(|n| n.name)
            .filter(|name| attempt.sent_header(name).is_none())
            // The echo already told what the server received for it.
            .filter(|name| reading.as_ref().is_none_or(|r| !r.shows_header(name)))
            .collect();
        if !unsent.is_empty() {
            causes.push(missing_headers(link, &unsent));
        }
    }

    let mut unknowns = 0;
    causes.extend(method_causes(attempt, used, untold, &mut unknowns));
    let other_proof = causes.iter().any(|c| c.strength == Strength::Proven);
    causes.extend(content_type_cause(
        attempt,
        used,
        reading.as_ref(),
        other_proof,
        &mut unknowns,
    ));
    // Headers the link signs beyond host and content-type were sent as typed: their values
    // are the signer's to say.
    if let Some(link) = link {
        let typed: Vec<&str> = link
            .signed_headers
            .iter()
            .map(String::as_str)
            .filter(|h| *h != "host" && *h != "content-type")
            .filter(|h| attempt.sent_header(h).is_some())
            .filter(|h| reading.as_ref().is_none_or(|r| !r.shows_header(h)))
            .collect();
        if !typed.is_empty() {
            unknowns += 1;
            causes.push(
                Found::new(&kind::HEADER_MISMATCH)
                    .with("header", typed.join(", "))
                    .possible(),
            );
        }
    }

    // The server received exactly what the link asks for: the link itself is at fault (a
    // wrong secret, or signed again after it was sent), unless a value the link does not
    // state remains open.
    let proven = causes.iter().any(|c| c.strength == Strength::Proven);
    let secret = match &reading {
        Some(r) if r.matches() && !proven => {
            let mut found = Found::new(&kind::SECRET_ECHO_MATCHES);
            found.basis = Basis::ServerEcho;
            if unknowns == 0 {
                found
            } else {
                found.possible()
            }
        }
        _ => Found::new(&kind::SECRET).possible(),
    };
    // Ties go by how often each happens for the operation that may have been sent: a download
    // link used to upload is common, an upload link used to download is rare.
    let method_guess = causes.iter().position(|c| {
        // The operation that may have been sent: for "maybe" the one used, for "untold" the
        // other than the link's.
        let maybe_sent = if c.kind.key == kind::METHOD_MAYBE.key {
            Some(used)
        } else if c.kind.key == kind::METHOD_UNTOLD.key {
            Some(used.other())
        } else {
            None
        };
        c.strength >= secret.strength && maybe_sent == Some(Operation::Get)
    });
    match method_guess {
        Some(at) => causes.insert(at, secret),
        None => causes.push(secret),
    }
    causes
}

/// Signed headers the request lacked: PresignDesk fills in what it can know, so the remedy is
/// to send again with PresignDesk; a value only the creator knows is asked of them.
fn missing_headers(link: &crate::link::PresignedLink, names: &[String]) -> Found {
    let all_derivable = names
        .iter()
        .all(|n| crate::signed_headers::derivable(link, n));
    let kind = if all_derivable {
        &kind::HEADER_MISSING
    } else {
        &kind::HEADER_MISSING_ASK
    };
    Found::new(kind).with("header", names.join(", "))
}

/// The differences the echo names, each a proven cause.
fn echo_differences(reading: &Reading, link: Option<&crate::link::PresignedLink>) -> Vec<Found> {
    let mut causes = Vec::new();
    let mut params = Vec::new();
    for d in &reading.differences {
        let received = d.received.clone().unwrap_or_default();
        let expected = d.expected.clone().unwrap_or_default();
        match &d.part {
            Part::Param(name) => params.push(fill(
                T::ParamChange,
                &[("name", name), ("change", change_words(d.change))],
            )),
            Part::Path => causes.push(
                Found::new(&kind::ALTERED_PATH)
                    .with("received", received)
                    .with("expected", expected)
                    .with("change", change_words(d.change))
                    .proven(Basis::ServerEcho),
            ),
            Part::Host => causes.push(
                Found::new(&kind::ALTERED_HOST)
                    .with("received", received)
                    .with("expected", expected)
                    .proven(Basis::ServerEcho),
            ),
            Part::Method => causes.push(
                Found::new(&kind::ALTERED_METHOD)
                    .with("received", received)
                    .with("sent", expected)
                    .proven(Basis::ServerEcho),
            ),
            Part::Header(name) if name == "content-type" => causes.push(
                Found::new(&kind::TYPE_ALTERED)
                    .with("sent", expected)
                    .with("received", none_if_empty(&received))
                    .proven(Basis::ServerEcho),
            ),
            Part::Header(name) => causes.push(
                Found::new(&kind::ALTERED_HEADER)
                    .with("header", name.clone())
                    .with("sent", expected)
                    .with("received", none_if_empty(&received))
                    .proven(Basis::ServerEcho),
            ),
        }
    }
    if !params.is_empty() {
        causes.insert(
            0,
            Found::new(&kind::ALTERED_QUERY)
                .with("changes", params.join(", "))
                .proven(Basis::ServerEcho),
        );
    }
    if !reading.empty_headers.is_empty() {
        causes.push(
            Found::new(&kind::HEADER_EMPTY)
                .with("header", reading.empty_headers.join(", "))
                .proven(Basis::ServerEcho),
        );
    }
    for (part, received) in &reading.unverified {
        let Part::Header(name) = part else { continue };
        let mut found = match received {
            Some(value) => Found::new(&kind::HEADER_UNVERIFIED).with("received", value.clone()),
            None => Found::new(&kind::HEADER_UNVERIFIED_SECRET),
        }
        .with("header", name.clone());
        found.basis = Basis::ServerEcho;
        causes.push(found);
    }
    if !reading.missing_headers.is_empty() {
        let found = match link {
            Some(link) => missing_headers(link, &reading.missing_headers),
            None => Found::new(&kind::HEADER_MISSING_ASK)
                .with("header", reading.missing_headers.join(", ")),
        };
        causes.push(found.proven(Basis::ServerEcho));
    }
    causes
}

fn none_if_empty(text: &str) -> String {
    if text.is_empty() {
        tr(T::NotSentNone).to_owned()
    } else {
        text.to_owned()
    }
}

/// A change in words (`encoded twice`).
pub(super) fn change_words(change: Change) -> &'static str {
    tr(match change {
        Change::EncodedTwice => T::ChangeEncodedTwice,
        Change::Decoded => T::ChangeDecoded,
        Change::Added => T::ChangeAdded,
        Change::Dropped => T::ChangeDropped,
        Change::CaseChanged => T::ChangeCase,
        Change::PlusAsSpace => T::ChangePlusAsSpace,
        Change::OtherValue => T::ChangeOther,
    })
}

/// The method the link was made for (its own fields say), a probe's verdict, or what its
/// signed headers suggest, against the one used.
/// `untold`: nobody said which operation was sent and no echo showed it, so `used` is the
/// link's own operation, assumed.
fn method_causes(
    attempt: &Attempt<'_>,
    used: Operation,
    untold: bool,
    unknowns: &mut u32,
) -> Vec<Found> {
    let link = attempt.link;
    let stated = |made_for: Operation, basis| {
        Found::new(&kind::METHOD_STATED)
            .with("made_for", operation_words(made_for))
            .with("used", operation_words(used))
            .proven(basis)
    };
    if let Some(made_for) = link.and_then(|l| l.operation) {
        return if made_for != used {
            vec![stated(made_for, Basis::Link)]
        } else if untold {
            // The answer may have come from the other operation, which this link cannot do.
            *unknowns += 1;
            vec![
                Found::new(&kind::METHOD_UNTOLD)
                    .with("made_for", operation_words(made_for))
                    .with("other", operation_words(made_for.other()))
                    .possible(),
            ]
        } else {
            Vec::new()
        };
    }
    // An Azure SAS does not sign the method: its permissions decide, and refusing them has a
    // code of its own.
    if link.is_some_and(|l| l.scheme == SignatureScheme::AzureSas) {
        return Vec::new();
    }
    match attempt.download_probe {
        Some(ProbeVerdict::MadeForDownload) if used == Operation::Put => {
            return vec![stated(Operation::Get, Basis::Probe)];
        }
        Some(ProbeVerdict::NotForDownload) => return Vec::new(),
        _ => {}
    }
    *unknowns += 1;
    // Only an upload sends a Content-Type: a V4 link that signs one was made for uploading.
    let signs_type_v4 = link.is_some_and(|l| {
        matches!(l.scheme, SignatureScheme::AwsSigV4 | SignatureScheme::GcsV4)
            && l.signed_headers.iter().any(|h| h == "content-type")
    });
    let other = used.other();
    let found = match (attempt.purpose, used) {
        (Purpose::Check, Operation::Get) => {
            let found = Found::new(&kind::METHOD_CHECK);
            if signs_type_v4 {
                found
            } else {
                found.possible()
            }
        }
        (_, Operation::Get) if signs_type_v4 => Found::new(&kind::METHOD_UPLOAD_LINK),
        _ => Found::new(&kind::METHOD_MAYBE)
            .with("other", operation_words(other))
            .with("used", operation_words(used))
            .possible(),
    };
    vec![found]
}

/// The Content-Type: the server's own reading of it, else the link says it is signed.
fn content_type_cause(
    attempt: &Attempt<'_>,
    used: Operation,
    reading: Option<&Reading>,
    other_proof: bool,
    unknowns: &mut u32,
) -> Option<Found> {
    let link = attempt.link;
    let signs_type = link.is_none_or(|l| l.signs_content_type());
    if used != Operation::Put || !signs_type {
        return None;
    }
    let sent = attempt.sent_content_type();
    let echoed = reading.and_then(|r| r.content_type.as_deref());
    // An echo that shows a type other than the one sent already named it as changed on the
    // way; one that shows exactly the type sent, beside a proven cause, clears it.
    if echoed.is_some_and(|r| !r.is_empty() && Some(r) != sent)
        || (echoed.is_some_and(|r| r == sent.unwrap_or_default()) && other_proof)
    {
        return None;
    }
    *unknowns += 1;
    let found = match (reading.and_then(|r| r.content_type.as_deref()), sent) {
        (Some(received), _) if !received.is_empty() => {
            Found::new(&kind::TYPE_RECEIVED).with("received", received)
        }
        (_, Some(sent)) => Found::new(&kind::TYPE_SENT).with("sent", sent),
        (_, None) => Found::new(&kind::TYPE_NONE).with(
            "guess",
            attempt
                .guessed_content_type
                .as_deref()
                .unwrap_or("application/octet-stream"),
        ),
    };
    Some(if link.is_some() {
        found
    } else {
        found.possible()
    })
}
