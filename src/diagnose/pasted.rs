//! A server's answer as a person pastes it into the window: the error body alone, or what a
//! tool printed around it (`curl -i` and `curl -v` put the status line and headers above it; a
//! browser puts a line of its own above the XML; a mail quotes it with `> `). Read into the
//! same [`Answer`] a live refusal gives, then explained for the link or form in the window.

use jiff::Timestamp;

use super::{Answer, Attempt, Diagnosis, ErrorBody, creator_message, diagnose};
use crate::exchange::Plan;
use crate::link::{Operation, PresignedLink};
use crate::post::PostForm;
use crate::text::{T, fill, tr};

/// A pasted answer, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedAnswer {
    /// The status typed, else the one of the pasted status line.
    pub status: Option<u16>,
    /// The pasted `Date` header.
    pub date: Option<String>,
    /// The pasted `x-ms-error-code` header (Azure names its error there).
    pub error_code: Option<String>,
    /// The request's id the server gave (a pasted header, else the body's `RequestId`), for
    /// the message to the link's creator.
    pub request_id: Option<String>,
    /// The body, read and redacted.
    pub body: ErrorBody,
}

/// Why a pasted answer cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasteProblem {
    /// Nothing was pasted, and no status typed.
    Empty,
    /// The status typed is not an HTTP status (100 to 599).
    Status(String),
}

impl PastedAnswer {
    /// Reads `text` as pasted and `status` as typed (empty: not given); something must be
    /// given.
    pub fn read(text: &str, status: &str) -> Result<Self, PasteProblem> {
        let typed = match status.trim() {
            "" => None,
            typed => Some(status_in(typed).ok_or_else(|| PasteProblem::Status(typed.to_owned()))?),
        };
        let mut pasted = Self::of_text(text);
        pasted.status = typed.or(pasted.status);
        if pasted.status.is_none() && pasted.body.format == crate::exchange::BodyFormat::Empty {
            return Err(PasteProblem::Empty);
        }
        Ok(pasted)
    }

    /// Reads `text` as a tool printed it, or a body alone; an empty text is an empty body.
    pub fn of_text(text: &str) -> Self {
        let unquoted = unquote(text);
        let (status, headers, body) = split_head(&unquoted);
        let body = ErrorBody::parse(body_start(body).as_bytes());
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_string())
        };
        PastedAnswer {
            status,
            date: header("date"),
            error_code: header("x-ms-error-code"),
            request_id: header("x-amz-request-id")
                .or_else(|| header("x-ms-request-id"))
                .or_else(|| header("x-guploader-uploadid"))
                .or_else(|| body.element("RequestId").map(str::to_owned)),
            body,
        }
    }

    /// The answer as the explainer reads it.
    pub fn answer(&self) -> Answer<'_> {
        Answer {
            status: self.status,
            body: &self.body,
            date: self.date.as_deref(),
            error_code_header: self.error_code.as_deref(),
        }
    }
}

/// What the window holds when an answer is pasted: the request it would send (once the link
/// and the file are chosen), the link or the form, and the operation it shows.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// The request the window would send, when it is ready.
    pub plan: Option<&'a Plan>,
    /// The link in the window.
    pub link: Option<&'a PresignedLink>,
    /// The upload form in the window, instead of a link.
    pub form: Option<&'a PostForm>,
    /// Upload or download, as the window shows it.
    pub operation: Operation,
    /// The person said which operation the answer came from: take it as known.
    pub operation_chosen: bool,
}

/// A pasted answer explained.
#[derive(Debug, Clone)]
pub struct PastedReading {
    /// What happened, why, and what to do.
    pub diagnosis: Diagnosis,
    /// The text of "Copy message for the link's creator" (or the storage's operator).
    pub creator_message: String,
    /// What the answer was read for: the link, the form, or the answer alone; and an
    /// operation taken as a guess.
    pub context: Vec<String>,
}

/// Explains `pasted` for what the window holds: with the file, headers and file type it would
/// send when it is ready, else with the link or form alone. An operation nobody stated is taken
/// as a guess, which the server's echo may correct.
pub fn of_pasted(sent: Sent<'_>, pasted: &PastedAnswer, now: Timestamp) -> PastedReading {
    let mut attempt = match sent.plan {
        Some(plan) => Attempt::of_plan(plan, sent.link),
        None => Attempt::new(sent.link, sent.operation),
    };
    attempt.form = sent.form;
    attempt.posted = sent.form.is_some();
    // A pasted answer may come from any request: only a form's POST or the person's own
    // choice says which.
    attempt.operation_known = sent.form.is_some() || sent.operation_chosen;
    let diagnosis = diagnose(&attempt, &pasted.answer(), now);
    let creator_message = creator_message(&attempt, &diagnosis, pasted.request_id.as_deref());
    let mut context = vec![match (sent.form, sent.link) {
        (Some(_), _) => tr(T::PastedForForm).to_owned(),
        (None, Some(link)) => fill(
            T::PastedForLink,
            &[("target", &crate::link::target_name(link))],
        ),
        (None, None) => tr(T::PastedNoLink).to_owned(),
    }];
    if sent.link.is_some() && !attempt.operation_known {
        let operation = match sent.operation {
            Operation::Put => T::OperationUpload,
            Operation::Get => T::OperationDownload,
        };
        context.push(fill(
            T::PastedGuessedOperation,
            &[("operation", tr(operation))],
        ));
    }
    PastedReading {
        diagnosis,
        creator_message,
        context,
    }
}

/// The HTTP status in a typed `text` (`403`, `403 Forbidden`, `HTTP 403`).
fn status_in(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 3)
        .and_then(|part| part.parse().ok())
        .filter(|status| (100..=599).contains(status))
}

/// `text` without a mail's `> ` quoting, when every line that has text is quoted.
fn unquote(text: &str) -> String {
    let quoted = |line: &str| line.trim_start().starts_with('>');
    let lines: Vec<&str> = text.lines().collect();
    if !lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| quoted(l))
        || lines.iter().all(|l| l.trim().is_empty())
    {
        return text.to_owned();
    }
    lines
        .iter()
        .map(|line| {
            let line = line.trim_start();
            let line = line.trim_start_matches('>');
            line.strip_prefix(' ').unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits what a tool printed into the status line's status, the headers and the body. Lines
/// `curl -v` marks with `< ` (the answer) are read as such, those marked `> ` or `* ` (the
/// request and curl's own notes) are skipped; text with no status line is all body.
fn split_head(text: &str) -> (Option<u16>, Vec<(&str, &str)>, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let mut status = None;
    let mut headers = Vec::new();
    let mut in_head = false;
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        let line = line.trim_end_matches('\r');
        let answer_line = line
            .strip_prefix("< ")
            .or_else(|| (line == "<").then_some(""))
            .unwrap_or(line);
        if let Some(found) = status_line(answer_line) {
            // A redirect or `100 Continue` may come first: the last status line is the answer's.
            status = Some(found);
            headers.clear();
            in_head = true;
        } else if in_head && answer_line.trim().is_empty() {
            in_head = false;
            let following = next.trim_start().trim_start_matches("< ");
            if status_line(following.lines().next().unwrap_or("")).is_none() {
                return (status, headers, next);
            }
        } else if in_head {
            if let Some((name, value)) = answer_line.split_once(':') {
                headers.push((name.trim(), value.trim()));
            }
        } else if !(line.starts_with("> ") || line.starts_with("* ") || line == ">") {
            // Neither the answer's head nor curl's notes: the body starts here.
            return match status {
                Some(_) => (status, headers, rest),
                None => (None, Vec::new(), text),
            };
        }
        rest = next;
    }
    (status, headers, "")
}

/// The status of an HTTP status line (`HTTP/1.1 403 Forbidden`, `HTTP/2 403`).
fn status_line(line: &str) -> Option<u16> {
    let rest = line.trim().strip_prefix("HTTP/")?;
    let (version, rest) = rest.split_once(' ')?;
    if !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let code = rest.trim_start().get(..3)?;
    code.parse()
        .ok()
        .filter(|status| (100..=599).contains(status))
}

/// The body from where the server's text begins: a browser or a chat puts words of its own
/// above the XML or JSON, which are not the server's.
fn body_start(body: &str) -> &str {
    let trimmed = body.trim_start();
    if trimmed.starts_with('<') || trimmed.starts_with('{') {
        return trimmed;
    }
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = line.trim_start();
        if start.starts_with("<?xml") || start.starts_with("<Error") || start.starts_with('{') {
            return &body[offset + (line.len() - start.len())..];
        }
        offset += line.len();
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";

    #[test]
    fn a_body_alone_is_read_with_the_status_typed() {
        let pasted = PastedAnswer::read(XML, "403 Forbidden").unwrap();
        assert_eq!(pasted.status, Some(403));
        assert_eq!(pasted.body.code.as_deref(), Some("AccessDenied"));
        let pasted = PastedAnswer::read(XML, "").unwrap();
        assert_eq!(pasted.status, None);
    }

    #[test]
    fn what_curl_printed_gives_the_status_and_headers() {
        for (text, status) in [
            (
                format!(
                    "HTTP/1.1 403 Forbidden\r\nx-amz-request-id: 1\r\nDate: Mon, 07 Dec 2026 01:00:00 GMT\r\n\r\n{XML}"
                ),
                403,
            ),
            (
                format!("HTTP/2 403\ndate: Mon, 07 Dec 2026 01:00:00 GMT\n\n{XML}"),
                403,
            ),
            // A 100 Continue before the answer: the last status line is the answer's.
            (
                format!(
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nDate: Mon, 07 Dec 2026 01:00:00 GMT\r\n\r\n{XML}"
                ),
                400,
            ),
            // curl -v: the request marked `> `, curl's notes `* `, the answer `< `.
            (
                format!(
                    "* Connected to 127.0.0.1\n> PUT /b/k HTTP/1.1\n> Host: 127.0.0.1\n>\n< HTTP/1.1 403 Forbidden\n< Date: Mon, 07 Dec 2026 01:00:00 GMT\n<\n{XML}"
                ),
                403,
            ),
        ] {
            let pasted = PastedAnswer::read(&text, "").unwrap();
            assert_eq!(pasted.status, Some(status), "{text}");
            assert_eq!(
                pasted.date.as_deref(),
                Some("Mon, 07 Dec 2026 01:00:00 GMT"),
                "{text}"
            );
            assert_eq!(pasted.body.code.as_deref(), Some("AccessDenied"), "{text}");
            assert_eq!(
                pasted.body.message.as_deref(),
                Some("Request has expired"),
                "{text}"
            );
        }
    }

    #[test]
    fn words_above_the_body_and_mail_quoting_are_not_the_servers() {
        for text in [
            format!(
                "This XML file does not appear to have any style information associated with it. The document tree is shown below.\n{XML}"
            ),
            format!("> {}", XML.replace('\n', "\n> ")),
            format!("The upload said:\n\n  {XML}\n"),
        ] {
            let pasted = PastedAnswer::read(&text, "403").unwrap();
            assert_eq!(pasted.body.code.as_deref(), Some("AccessDenied"), "{text}");
        }
    }

    #[test]
    fn azure_names_its_error_in_a_header() {
        let text = "HTTP/1.1 403 Server failed to authenticate the request.\r\nx-ms-error-code: AuthenticationFailed\r\n\r\n";
        let pasted = PastedAnswer::read(text, "").unwrap();
        assert_eq!(pasted.error_code.as_deref(), Some("AuthenticationFailed"));
        assert_eq!(pasted.body.format, crate::diagnose::BodyFormat::Empty);
    }

    #[test]
    fn nothing_pasted_or_a_status_that_is_none_is_said() {
        assert_eq!(PastedAnswer::read("  \n", ""), Err(PasteProblem::Empty));
        assert_eq!(
            PastedAnswer::read(XML, "forbidden"),
            Err(PasteProblem::Status("forbidden".into()))
        );
        assert_eq!(
            PastedAnswer::read(XML, "999"),
            Err(PasteProblem::Status("999".into()))
        );
        // A status alone is an answer: some refusals carry no text.
        assert_eq!(PastedAnswer::read("", "403").unwrap().status, Some(403));
    }

    #[test]
    fn text_that_only_looks_like_a_head_is_body() {
        let text = "Access denied: the signature is wrong";
        let pasted = PastedAnswer::read(text, "").unwrap();
        assert_eq!(pasted.body.text, text);
    }

    /// An S3 SigV4 link made for `x_id`, signed now for an hour.
    fn link(x_id: &str) -> PresignedLink {
        let now = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let day = &now[..8];
        PresignedLink::parse(&format!(
            "https://b.s3.eu-west-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAEXAMPLE%2F{day}%2Feu-west-1%2Fs3%2Faws4_request\
             &X-Amz-Date={now}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-id={x_id}\
             &X-Amz-Signature={}",
            "a".repeat(64)
        ))
        .unwrap()
    }

    #[test]
    fn an_answer_from_a_request_nobody_named_may_be_the_other_operations() {
        let pasted =
            PastedAnswer::read("<Error><Code>SignatureDoesNotMatch</Code></Error>", "403").unwrap();
        // A download link used to upload is common: it leads. An upload link used to download
        // is rare: the wrong key leads.
        for (x_id, operation, first) in [
            ("GetObject", Operation::Get, "method-mismatch"),
            ("PutObject", Operation::Put, "wrong-secret-or-tampered"),
        ] {
            let link = link(x_id);
            let sent = Sent {
                plan: None,
                link: Some(&link),
                form: None,
                operation,
                operation_chosen: false,
            };
            let reading = of_pasted(sent, &pasted, Timestamp::now());
            let ids: Vec<String> = reading
                .diagnosis
                .causes
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(
                ids.first().map(String::as_str),
                Some(first),
                "{x_id}: {ids:?}"
            );
            assert!(
                ids.iter().any(|id| id == "method-mismatch"),
                "{x_id}: {ids:?}"
            );
            assert_eq!(
                reading.context.len(),
                2,
                "the guess is said: {:?}",
                reading.context
            );
            // Told which request it was (the link's own), no such cause and no guess.
            let told = of_pasted(
                Sent {
                    operation_chosen: true,
                    ..sent
                },
                &pasted,
                Timestamp::now(),
            );
            assert!(
                told.diagnosis
                    .causes
                    .iter()
                    .all(|c| c.id.as_str() != "method-mismatch"),
                "{x_id}"
            );
            assert_eq!(told.context.len(), 1);
        }
    }
}
