//! What a finished transfer says: its title, the verification sentence, where an upload was stored and the notes on it.

use super::labels::payload_name;
use crate::exchange::verify::Verification;
use crate::exchange::{Plan, Success};
use crate::format;
use crate::link::Operation;
use crate::link::{file_name, target_name};
use crate::text::{T, fill, tr};

/// The result's first sentence: `Uploaded 見積.csv (2.30 MB) in 4.0 s.`
pub fn success_title(plan: &Plan, success: &Success) -> String {
    let name = success
        .saved_to
        .as_deref()
        .map(file_name)
        .unwrap_or_else(|| payload_name(plan));
    let id = match plan.operation() {
        Operation::Put => T::UploadedNamed,
        Operation::Get => T::DownloadedNamed,
    };
    fill(
        id,
        &[
            ("name", &name),
            ("size", &format::bytes(success.bytes)),
            ("time", &format::duration(success.elapsed)),
        ],
    )
}

/// What the result says about the bytes, and whether it is proof they arrived intact:
/// a sentence a person trusts when verified, the reason when not.
pub fn verification_sentence(operation: Operation, verification: &Verification) -> (bool, String) {
    match verification {
        Verification::Verified(_)
        | Verification::PartsVerified { .. }
        | Verification::BlocksVerified { .. } => (
            true,
            tr(match operation {
                Operation::Put => T::ConfirmedUpload,
                Operation::Get => T::ConfirmedDownload,
            })
            .to_owned(),
        ),
        other => (false, other.describe()),
    }
}

/// Where an upload went, when the stored name differs from the file's: `fa-106/見積.csv`.
/// The server's own word for the key (an upload form's `201` answer) comes first.
pub fn stored_as(plan: &Plan, answered: Option<&crate::exchange::ResponseFacts>) -> Option<String> {
    let (path, _) = plan.upload_file()?;
    let (key, target) = match plan.post_form() {
        Some(form) => {
            let key = answered
                .and_then(|facts| facts.key.clone())
                .or_else(|| form.key_for(&file_name(path)))?;
            let target = crate::link::object_name(form.bucket().as_deref(), Some(&key))?;
            (key, target)
        }
        None => {
            let link = plan.link()?;
            (link.key.clone()?, target_name(link))
        }
    };
    let last = key.rsplit('/').next().unwrap_or(&key);
    (last != file_name(path) || key.contains('/')).then_some(target)
}

/// What the storage said after an upload, beyond the status: where the file went when its
/// name differs, and the page an upload form's answer sends on to (never followed).
pub fn upload_notes(plan: &Plan, success: &Success) -> Vec<String> {
    let mut notes = Vec::new();
    if success.saved_to.is_some() {
        return notes;
    }
    if let Some(target) = stored_as(plan, Some(&success.response)) {
        notes.push(fill(T::StoredAs, &[("target", &target)]));
    }
    if (300..400).contains(&success.status)
        && let Some(location) = &success.response.location
    {
        notes.push(fill(T::FormRedirected, &[("location", location)]));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::PresignedLink;
    use crate::present::tests_common::LINK;

    #[test]
    fn an_upload_says_where_it_went_when_the_name_differs() {
        let link = PresignedLink::parse(LINK).unwrap();
        let plan = Plan::upload(&link, "/tmp/見積.csv".into(), 1, None);
        assert_eq!(stored_as(&plan, None), None, "stored under its own name");
        let other = Plan::upload(&link, "/tmp/quote.csv".into(), 1, None);
        assert_eq!(stored_as(&other, None).as_deref(), Some("fa-106/見積.csv"));
    }
}
