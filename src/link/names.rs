//! How a person names what a link points at and the file on this computer.

use std::path::Path;

use super::PresignedLink;

/// `bucket/key` (`container/blob` on Azure), or the server's name when the link shows neither.
pub fn target_name(link: &PresignedLink) -> String {
    match (&link.bucket, &link.key) {
        (Some(bucket), Some(key)) => format!("{bucket}/{key}"),
        (None, Some(key)) => key.clone(),
        _ => link.host(),
    }
}

/// The last part of a path, as a person names the file.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
