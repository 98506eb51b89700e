//! What the explainer is given: what was tried (the link, the request as sent) and what the
//! server answered; and the rule for when a download probe of the same link would settle more.

use serde::Serialize;

use crate::exchange::{ErrorBody, Payload, Plan, Refusal};
use crate::link::{Operation, PresignedLink};

/// Why the request was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// An upload or a download the person asked for.
    Transfer,
    /// A check of the link: a download of its first byte, whatever the link is for.
    Check,
}

/// What was tried: the link and the request as sent.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    /// The link, when known.
    pub link: Option<&'a PresignedLink>,
    /// Upload or download.
    pub operation: Operation,
    /// Whether `operation` is known for sure (a transfer's plan), or only assumed (`explain`
    /// without `--method`): an echo showing another method then corrects it.
    pub operation_known: bool,
    /// The headers sent beyond those HTTP itself needs, as sent.
    pub sent_headers: Vec<(String, String)>,
    /// The type the file's name suggests, for the "send with this type" fix.
    pub guessed_content_type: Option<String>,
    /// Size of the file uploaded.
    pub file_len_bytes: Option<u64>,
    /// What a safe download probe of the same link showed, when one was made.
    pub download_probe: Option<ProbeVerdict>,
    /// A transfer, or a check.
    pub purpose: Purpose,
    /// The file was sent although it cannot match a checksum the link fixes (for testing).
    pub sent_despite_checksum: bool,
    /// The upload form the file was posted through, for a form upload.
    pub form: Option<&'a crate::post::PostForm>,
    /// The name of the file uploaded.
    pub file_name: Option<String>,
    /// The request was a form upload (a POST) even when its form is not known.
    pub posted: bool,
}

/// What a `GET` of the first byte through the same link showed about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeVerdict {
    /// The server accepted the signature for a download (200, 206, or `NoSuchKey`): the link
    /// was made for download.
    MadeForDownload,
    /// The server refused the download's signature too: the method is not the cause.
    NotForDownload,
    /// The probe settled nothing (network, another refusal).
    Unsettled,
}

impl ProbeVerdict {
    /// Reads a probe's answer: its status and error code.
    pub fn of_answer(status: u16, code: Option<&str>) -> Self {
        match (status, code) {
            (200 | 206 | 416, _) | (_, Some("NoSuchKey" | "BlobNotFound")) => {
                ProbeVerdict::MadeForDownload
            }
            (_, Some("SignatureDoesNotMatch" | "AuthenticationFailed")) => {
                ProbeVerdict::NotForDownload
            }
            _ => ProbeVerdict::Unsettled,
        }
    }
}

impl<'a> Attempt<'a> {
    /// `operation` with `link`, nothing else known (no header sent, no file).
    pub fn new(link: Option<&'a PresignedLink>, operation: Operation) -> Self {
        Attempt {
            link,
            operation,
            operation_known: true,
            sent_headers: Vec::new(),
            guessed_content_type: None,
            file_len_bytes: None,
            download_probe: None,
            purpose: Purpose::Transfer,
            sent_despite_checksum: false,
            form: None,
            file_name: None,
            posted: false,
        }
    }

    /// The same, having sent `content_type` (`None`: no Content-Type header).
    pub fn sending_content_type(mut self, content_type: Option<&str>) -> Self {
        self.sent_headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        if let Some(value) = content_type {
            self.sent_headers
                .push(("Content-Type".to_owned(), value.to_owned()));
        }
        self
    }

    /// What `plan` sent with `link`.
    pub fn of_plan(plan: &Plan, link: Option<&'a PresignedLink>) -> Self {
        let (guessed_content_type, file_len_bytes) = match plan.upload_file() {
            Some((path, len_bytes)) => (crate::content_type::guess_for_path(path), Some(len_bytes)),
            None => (None, None),
        };
        // A form sends the file type as one of its fields.
        let mut sent_headers = plan.headers.clone();
        if let Payload::Post { fields, .. } = &plan.payload {
            sent_headers.extend(
                fields
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                    .cloned(),
            );
        }
        Attempt {
            sent_headers,
            file_name: plan
                .upload_file()
                .map(|(path, _)| crate::link::file_name(path)),
            guessed_content_type,
            file_len_bytes,
            ..Attempt::new(link, plan.operation())
        }
    }

    /// The times the request carries: the link's, else the form's.
    pub(super) fn signed(&self) -> super::clock::Signed {
        use super::clock::Signed;
        match (self.link, self.form) {
            (Some(link), _) => Signed::of_link(link),
            (None, Some(form)) => Signed::of_form(form),
            (None, None) => Signed::default(),
        }
    }

    /// The value of header `name` as sent.
    pub fn sent_header(&self, name: &str) -> Option<&str> {
        self.sent_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The Content-Type sent, if any.
    pub fn sent_content_type(&self) -> Option<&str> {
        self.sent_header("content-type")
    }
}

/// What the server answered.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// HTTP status, when known.
    pub status: Option<u16>,
    /// The error body, read and redacted.
    pub body: &'a ErrorBody,
    /// The `Date` response header.
    pub date: Option<&'a str>,
    /// Azure's `x-ms-error-code` header.
    pub error_code_header: Option<&'a str>,
}

impl<'a> Answer<'a> {
    /// What the server answered in `refusal`.
    pub fn of_refusal(refusal: &'a Refusal) -> Self {
        Answer {
            status: Some(refusal.status),
            body: &refusal.body,
            date: refusal.response.date.as_deref(),
            error_code_header: refusal.response.error_code.as_deref(),
        }
    }

    /// The error code: the body's, else Azure's header.
    pub fn code(&self) -> Option<&'a str> {
        self.body.code.as_deref().or(self.error_code_header)
    }
}

/// Whether a refused upload is worth a download probe of the same link: a signature refusal,
/// on a link that does not say which operation it was made for, with no echo of the request.
pub fn wants_download_probe(plan: &Plan, link: Option<&PresignedLink>, refusal: &Refusal) -> bool {
    let code = Answer::of_refusal(refusal).code();
    plan.operation() == Operation::Put
        && link.is_some_and(|l| l.operation.is_none())
        && matches!(code, Some("SignatureDoesNotMatch" | "AuthenticationFailed"))
        && refusal.body.element("CanonicalRequest").is_none()
        && refusal.body.element("StringToSign").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::ResponseFacts;

    const LINK: &str = "http://127.0.0.1:9000/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=x";

    fn refusal(body: &str) -> Refusal {
        Refusal {
            status: 403,
            reason: "Forbidden".into(),
            body: ErrorBody::parse(body.as_bytes()),
            response: ResponseFacts::default(),
            bytes_sent: 0,
            sent_despite_checksum: false,
            part: None,
        }
    }

    #[test]
    fn a_probe_is_worth_it_only_when_it_can_settle_the_method() {
        let link = PresignedLink::parse(LINK).unwrap();
        let put = Plan::upload(&link, "/tmp/f".into(), 1, None);
        let bare = refusal("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        assert!(wants_download_probe(&put, Some(&link), &bare));
        let echoed = refusal(
            "<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>PUT\n/b/k</CanonicalRequest></Error>",
        );
        assert!(
            !wants_download_probe(&put, Some(&link), &echoed),
            "the echo says"
        );
        let denied = refusal("<Error><Code>AccessDenied</Code></Error>");
        assert!(!wants_download_probe(&put, Some(&link), &denied));
        let get = Plan::download(&link, "/tmp/f".into(), false);
        assert!(!wants_download_probe(&get, Some(&link), &bare));
        let stated = PresignedLink::parse(&format!("{LINK}&x-id=PutObject")).unwrap();
        assert!(!wants_download_probe(&put, Some(&stated), &bare));
    }

    #[test]
    fn the_probe_verdict_reads_the_answer() {
        assert_eq!(
            ProbeVerdict::of_answer(206, None),
            ProbeVerdict::MadeForDownload
        );
        assert_eq!(
            ProbeVerdict::of_answer(404, Some("NoSuchKey")),
            ProbeVerdict::MadeForDownload
        );
        assert_eq!(
            ProbeVerdict::of_answer(403, Some("SignatureDoesNotMatch")),
            ProbeVerdict::NotForDownload
        );
        assert_eq!(ProbeVerdict::of_answer(503, None), ProbeVerdict::Unsettled);
    }
}
