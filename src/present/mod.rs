//! What the window and the command line both show of a link, a transfer and its result, in the
//! current language, one file for each thing shown: the sentence under a link and its
//! countdown (`sentence.rs`), the progress line (`progress.rs`), button labels (`labels.rs`), what a
//! finished transfer says (`outcome.rs`), the server's answer and the support ticket
//! (`answer.rs`), and the request as a curl command (`curl.rs`). Pure.

mod answer;
mod curl;
mod labels;
mod outcome;
mod parts;
mod progress;
mod sentence;

pub use answer::{ANSWER_SHOWN_BYTES, bounded, fact_rows, ticket};
pub use curl::curl_command;
pub use labels::{action_label, payload_name, short_name};
pub use outcome::{stored_as, success_title, upload_notes, verification_sentence};
pub use parts::{
    PartsJson, parts_need_links, parts_note, parts_progress_line, parts_rows, parts_summary,
    parts_verdict,
};
pub use progress::{connections_line, partial_left_notice, progress_line, retry_notice};
pub use sentence::{
    check_ok_line, check_sends_probe, countdown_changes_for, countdown_changes_in, verdict,
};

#[cfg(test)]
mod tests_common {
    use jiff::Timestamp;

    /// An upload link signed 2026-11-24 06:00 UTC, valid for two hours.
    pub const LINK: &str = "https://fa-106.s3.ap-northeast-1.amazonaws.com/%E8%A6%8B%E7%A9%8D.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&x-id=PutObject&X-Amz-Signature=abc123";

    pub fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }
}
