//! The names on buttons: the action with the file's name, cut in the middle to fit.

use crate::exchange::{Payload, Plan};
use crate::link::Operation;
use crate::link::file_name;
use crate::text::{T, fill, tr};

/// The most characters of a file name the big button shows.
const BUTTON_NAME_CHARS: usize = 36;

/// A long name cut in the middle, keeping its end (the extension): `quarterly-…-final.csv`.
pub fn short_name(name: &str, max_chars: usize) -> String {
    let count = name.chars().count();
    if count <= max_chars {
        return name.to_owned();
    }
    let tail = max_chars / 3;
    let head = max_chars - tail - 1;
    let start: String = name.chars().take(head).collect();
    let end: String = name.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// The big button's label, named for the action and the file: `Upload 見積.csv`.
pub fn action_label(operation: Operation, name: Option<&str>) -> String {
    let name = name.map(|n| short_name(n.trim(), BUTTON_NAME_CHARS));
    match (operation, name.as_deref().filter(|n| !n.is_empty())) {
        (Operation::Put, Some(name)) => fill(T::UploadNamed, &[("name", name)]),
        (Operation::Get, Some(name)) => fill(T::DownloadNamed, &[("name", name)]),
        (Operation::Put, None) => tr(T::Upload).to_owned(),
        (Operation::Get, None) => tr(T::Download).to_owned(),
    }
}

/// The name of what a plan moves: the file uploaded, or the file a download becomes.
pub fn payload_name(plan: &Plan) -> String {
    match &plan.payload {
        Payload::Upload { path, .. } | Payload::Post { path, .. } | Payload::Parts { path, .. } => {
            file_name(path)
        }
        Payload::Download { destination, .. } => file_name(destination),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    #[test]
    fn long_names_are_cut_in_the_middle_and_keep_their_extension() {
        assert_eq!(short_name("report.csv", 36), "report.csv");
        let long = "quarterly-figures-for-the-board-meeting-in-december-final-v3.csv";
        let short = short_name(long, 36);
        assert_eq!(short.chars().count(), 36);
        assert!(
            short.ends_with("final-v3.csv") && short.contains('…'),
            "{short}"
        );
        let japanese = "見積書".repeat(20) + ".pdf";
        assert_eq!(short_name(&japanese, 36).chars().count(), 36);
        with_language(Language::ENGLISH, || {
            assert_eq!(
                action_label(Operation::Put, Some(long)),
                format!("Upload {short}")
            );
        });
    }
}
