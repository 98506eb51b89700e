//! How a person names what a link points at and the file on this computer.

use std::path::Path;

use super::PresignedLink;

/// `bucket/key` (`container/blob` on Azure), or the server's name when the link shows neither.
pub fn target_name(link: &PresignedLink) -> String {
    object_name(link.bucket.as_deref(), link.key.as_deref()).unwrap_or_else(|| link.host())
}

/// How a person names an object: `bucket/key`, or whichever of the two is known; `None` when
/// neither is. The one rule for links, forms, stored names and the explainer.
pub fn object_name(bucket: Option<&str>, key: Option<&str>) -> Option<String> {
    match (bucket, key) {
        (Some(bucket), Some(key)) => Some(format!("{bucket}/{key}")),
        (None, Some(key)) => Some(key.to_owned()),
        (Some(bucket), None) => Some(bucket.to_owned()),
        (None, None) => None,
    }
}

/// The last part of a path, as a person names the file.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
