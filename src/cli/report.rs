//! The JSON objects `put`, `get` and `check` print with `--json`: one object on stdout. Field
//! names and ids are the same in every language; only the sentences are translated.

use std::time::Duration;

use serde::Serialize;

use crate::diagnose::Diagnosis;
use crate::link::{Operation, PresignedLink};
use crate::transfer::{Outcome, TransferError, Unverifiable, Verification};

/// What `put` or `get` did.
#[derive(Debug, Serialize)]
pub struct TransferReport {
    /// `succeeded`, `refused`, `failed` or `cancelled`.
    pub result: &'static str,
    /// `put` or `get`.
    pub operation: &'static str,
    /// HTTP status of the last answer (on a refusal it comes with the explanation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Bytes of body sent or received.
    pub bytes: u64,
    /// Wall time of the transfer.
    pub duration_secs: f64,
    /// `bytes` over `duration_secs`.
    pub throughput_bytes_per_sec: f64,
    /// The answer's ETag.
    pub etag: Option<String>,
    /// What could be proved about the bytes.
    pub verification: VerificationReport,
    /// Attempts made (1 when no retry was needed).
    pub attempts: u32,
    /// Connections the download settled on (1 for an upload, or a download in one stream).
    pub connections: u32,
    /// Why a download that could have used several connections used one:
    /// `ranges-ignored` or `object-changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_stream_reason: Option<crate::transfer::SingleStreamReason>,
    /// Why a download in ranges settled on `connections`: `stopped-growing`, `maximum`,
    /// `server-slow-down`, `rate-fell`, `link-expiring` or `ended-while-measuring`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections_reason: Option<crate::transfer::ConnectionsReason>,
    /// Parts of a multipart upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<u32>,
    /// Seconds the storage took to answer a multipart upload's Complete request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete_secs: Option<f64>,
    /// The part of a multipart upload the storage refused (absent: the Complete request, or
    /// a single request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_part: Option<u32>,
    /// Seconds from the last byte's arrival to the digest's, for a verified download in ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_tail_secs: Option<f64>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// Where a download was saved.
    pub saved_to: Option<String>,
    /// The stored object's key, when an upload form's answer names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The address an upload form's answer gives: the stored object's (201) or the page it
    /// sends on to (303, never followed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Why the transfer could not complete (`failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// On a refusal, the server's or PresignDesk's own (a request it would not send): the
    /// fields `explain --json` prints.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Diagnosis>,
}

/// `verification` in the JSON.
#[derive(Debug, Serialize)]
pub struct VerificationReport {
    /// `verified`, `mismatch` or `unverified`.
    pub result: &'static str,
    /// The MD5 both sides agree on (`verified`), or the server's (`mismatch`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    /// The MD5 of the bytes here, on a mismatch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed_md5: Option<String>,
    /// Why it could not be verified: `off`, `encrypted`, `multipart`, `not-md5`, `no-digest`,
    /// `not-completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The reason in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_text: Option<String>,
}

impl VerificationReport {
    fn unverified(reason: &'static str, text: String) -> Self {
        VerificationReport {
            result: "unverified",
            md5: None,
            computed_md5: None,
            reason: Some(reason),
            reason_text: Some(text),
        }
    }

    fn of(verification: &Verification) -> Self {
        match verification {
            Verification::Verified(md5) => VerificationReport {
                result: "verified",
                md5: Some(md5.clone()),
                computed_md5: None,
                reason: None,
                reason_text: None,
            },
            Verification::BlocksVerified { .. } => VerificationReport {
                result: "verified",
                md5: None,
                computed_md5: None,
                reason: None,
                reason_text: None,
            },
            Verification::PartsVerified { etag, .. } => VerificationReport {
                result: "verified",
                md5: Some(etag.clone()),
                computed_md5: None,
                reason: None,
                reason_text: None,
            },
            Verification::CouldNotVerify(why) => {
                let reason = match why {
                    Unverifiable::Encrypted(_) => "encrypted",
                    Unverifiable::Multipart => "multipart",
                    Unverifiable::NotMd5 => "not-md5",
                    Unverifiable::NoDigest => "no-digest",
                };
                Self::unverified(reason, why.describe())
            }
            Verification::Off => Self::unverified("off", verification.describe()),
        }
    }
}

impl TransferReport {
    /// The report of `outcome`; `explanation` is the diagnosis of a refusal.
    pub fn new(
        operation: Operation,
        outcome: &Outcome,
        elapsed: Duration,
        attempts: u32,
        explanation: Option<Diagnosis>,
    ) -> Self {
        let operation = match operation {
            Operation::Put => "put",
            Operation::Get => "get",
        };
        let not_completed = || {
            VerificationReport::unverified(
                "not-completed",
                crate::text::tr(crate::text::T::NotCompleted).to_owned(),
            )
        };
        let mut report = TransferReport {
            result: "",
            operation,
            status: None,
            bytes: 0,
            duration_secs: elapsed.as_secs_f64(),
            throughput_bytes_per_sec: 0.0,
            etag: None,
            verification: not_completed(),
            attempts,
            connections: 1,
            single_stream_reason: None,
            connections_reason: None,
            parts: None,
            complete_secs: None,
            refused_part: None,
            hash_tail_secs: None,
            request_id: None,
            saved_to: None,
            key: None,
            location: None,
            error: None,
            explanation: None,
        };
        match outcome {
            Outcome::Succeeded(success) => {
                report.result = "succeeded";
                report.status = Some(success.status);
                report.bytes = success.bytes;
                report.duration_secs = success.elapsed.as_secs_f64();
                report.etag = success.response.etag.clone();
                report.verification = VerificationReport::of(&success.verification);
                report.connections = success.connections;
                report.single_stream_reason = success.single_stream_reason;
                report.connections_reason = success.connections_reason;
                report.parts = (success.parts > 0).then_some(success.parts);
                report.complete_secs = success.complete_time.map(|t| t.as_secs_f64());
                report.hash_tail_secs = success.hash_tail.map(|t| t.as_secs_f64());
                report.request_id = success.response.request_id.clone();
                report.saved_to = success.saved_to.as_ref().map(|p| p.display().to_string());
                if success.saved_to.is_none() {
                    report.key = success.response.key.clone();
                    report.location = success.response.location.clone();
                }
            }
            Outcome::Refused(refusal) => {
                report.result = "refused";
                report.bytes = refusal.bytes_sent;
                report.refused_part = refusal.part;
                report.etag = refusal.response.etag.clone();
                report.request_id = refusal.response.request_id.clone();
                // The explanation carries the status; without one, say it here.
                if explanation.is_none() {
                    report.status = Some(refusal.status);
                }
                report.explanation = explanation;
            }
            Outcome::Failed(error) => {
                report.result = "failed";
                if let TransferError::DigestMismatch {
                    computed, server, ..
                } = error
                {
                    report.verification = VerificationReport {
                        result: "mismatch",
                        md5: Some(server.clone()),
                        computed_md5: Some(computed.clone()),
                        reason: None,
                        reason_text: Some(error.to_string()),
                    };
                }
                report.error = Some(error.to_string());
                report.explanation = explanation;
            }
            Outcome::Cancelled => report.result = "cancelled",
        }
        if report.duration_secs > 0.0 {
            report.throughput_bytes_per_sec = report.bytes as f64 / report.duration_secs;
        }
        report
    }
}

/// What `check` proved.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// `ok` (the link works for a download), `refused`, `failed` (no answer), or
    /// `inspected` (an upload link: looked at, not sent).
    pub result: &'static str,
    /// Whether a request was sent (a download probe); upload links are never sent.
    pub probed: bool,
    /// `put`, `get`, or `null` when the link does not say.
    pub operation: Option<&'static str>,
    /// HTTP status of the probe (on a refusal it comes with the explanation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The object's size in bytes, when the answer says it.
    pub size: Option<u64>,
    /// The object's ETag.
    pub etag: Option<String>,
    /// The object's Content-Type.
    pub content_type: Option<String>,
    /// When the link expires (RFC 3339).
    pub expires_at: Option<String>,
    /// Seconds until then, on the server's clock when it answered, else this computer's.
    pub expires_in_secs: Option<i64>,
    /// The server's `Date`.
    pub server_date: Option<String>,
    /// This computer's clock minus the server's, in seconds, when the server said its time.
    pub clock_offset_secs: Option<i64>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// The ids of what the inspector found in the link.
    pub findings: Vec<&'static str>,
    /// Why the probe got no answer (`failed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// On a refusal: the fields `explain --json` prints.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Diagnosis>,
}

impl CheckReport {
    /// A report with what the link alone says.
    pub fn of_link(
        link: &PresignedLink,
        now: jiff::Timestamp,
        findings: Vec<&'static str>,
    ) -> Self {
        CheckReport {
            result: "inspected",
            probed: false,
            operation: link.operation.map(|op| match op {
                Operation::Put => "put",
                Operation::Get => "get",
            }),
            status: None,
            size: None,
            etag: None,
            content_type: None,
            expires_at: link.expires_at.map(|at| at.to_string()),
            expires_in_secs: link.expires_in_secs(now),
            server_date: None,
            clock_offset_secs: None,
            request_id: None,
            findings,
            error: None,
            explanation: None,
        }
    }
}
