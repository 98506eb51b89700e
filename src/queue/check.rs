//! The safe check of a list's links: nothing is changed on the storage.

use crate::link::PresignedLink;
use crate::present;
use crate::secret::Secret;
use crate::text::{T, tr};
use crate::transfer::{self, ProbeAnswer};

/// A check's answer: `ok`, `refused`, `failed` or `inspected`; in words; whether the link
/// works.
pub type Checked = (&'static str, String, bool);

/// The safe check of one link of a list: a download link is asked for its first byte, an
/// upload link is inspected only.
pub async fn check_link(
    client: &reqwest::Client,
    link: &PresignedLink,
    now: jiff::Timestamp,
) -> Checked {
    if !present::check_sends_probe(link) {
        return ("inspected", tr(T::TableUploadInspected).to_owned(), true);
    }
    match transfer::probe(client, &Secret::new(link.as_sent())).await {
        Ok(ProbeAnswer::Accepted { size, response, .. }) => (
            "ok",
            present::check_ok_line(link, size, response.etag.as_deref()),
            true,
        ),
        Ok(ProbeAnswer::Refused(refusal)) => {
            let diagnosis = crate::diagnose::of_check(link, &refusal, now);
            (
                "refused",
                format!("{} ({})", diagnosis.title, diagnosis.status.unwrap_or(0)),
                false,
            )
        }
        Err(error) => ("failed", error.to_string(), false),
    }
}
