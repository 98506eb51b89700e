//! Decide which `Content-Type` header an upload sends. Pure.
//!
//! A signature may cover the Content-Type (always for AWS SigV2 and GCS V2, for SigV4 and GCS V4
//! when `content-type` is a signed header); then the value sent must equal the signer's byte for
//! byte, and "none" is a value too. The URL never says which value was signed, so the app starts
//! from the most likely one and lets the user change it.

use std::path::Path;

use crate::link::{PresignedLink, SignatureScheme};

/// The user's Content-Type choice for an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentTypeChoice {
    /// The type to send when [`Self::send_header`] is true; editable by the user.
    pub value: String,
    /// Whether to send a `Content-Type` header at all.
    pub send_header: bool,
}

impl ContentTypeChoice {
    /// Send exactly `value`.
    pub fn send(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            send_header: true,
        }
    }

    /// Send no Content-Type header.
    pub fn none() -> Self {
        Self {
            value: String::new(),
            send_header: false,
        }
    }

    /// The header value to send, if any. An empty or blank value sends nothing.
    pub fn header_value(&self) -> Option<&str> {
        let value = self.value.trim();
        (self.send_header && !value.is_empty()).then_some(value)
    }
}

/// The note under the file type when the link fixes it: legacy links (which most often fix
/// none), and V4 links that sign `content-type`.
pub fn fixed_type_notice(link: &PresignedLink) -> Option<crate::text::T> {
    if matches!(
        link.scheme,
        SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2
    ) {
        Some(crate::text::T::FileTypeFixedLegacy)
    } else if link.signs_content_type() {
        Some(crate::text::T::FileTypeFixed)
    } else {
        None
    }
}

/// The type a file's name suggests, if its extension is known.
pub fn guess_for_path(path: &Path) -> Option<String> {
    mime_guess::from_path(path).first_raw().map(str::to_owned)
}

/// The choice the app starts with for this link and file.
///
/// - Legacy signatures (AWS SigV2, GCS V2) always sign the type and most signers sign none, so
///   the app starts with no header; the guessed type stays in the field, one click away.
/// - Otherwise the guessed type is sent: when the signer signed a type it most likely came from
///   the same file name, and when nothing was signed it gives the object a useful type.
/// - A file with no known extension sends no header, as `curl -T` does.
pub fn default_choice(link: Option<&PresignedLink>, file: &Path) -> ContentTypeChoice {
    let guess = guess_for_path(file);
    let legacy = link
        .is_some_and(|l| matches!(l.scheme, SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2));
    match guess {
        Some(value) if !legacy => ContentTypeChoice::send(value),
        Some(value) => ContentTypeChoice {
            value,
            send_header: false,
        },
        None => ContentTypeChoice::none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V4: &str = "https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=x&X-Amz-SignedHeaders=host";
    const V2: &str = "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAX&Expires=1&Signature=x";

    #[test]
    fn guesses_from_the_extension() {
        let cases = [
            ("report.csv", Some("text/csv")),
            ("photo.JPG", Some("image/jpeg")),
            ("movie.mp4", Some("video/mp4")),
            ("data.json", Some("application/json")),
            ("archive.tar.gz", Some("application/gzip")),
            ("README", None),
            ("noext.", None),
        ];
        for (name, expected) in cases {
            assert_eq!(
                guess_for_path(Path::new(name)).as_deref(),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn default_choice_per_link_kind() {
        let v4 = PresignedLink::parse(V4).unwrap();
        let v2 = PresignedLink::parse(V2).unwrap();
        // (link, file, header sent)
        let cases = [
            (Some(&v4), "a.csv", Some("text/csv")),
            (Some(&v2), "a.csv", None),
            (None, "a.csv", Some("text/csv")),
            (Some(&v4), "Makefile", None),
        ];
        for (link, file, expected) in cases {
            let choice = default_choice(link, Path::new(file));
            assert_eq!(choice.header_value(), expected, "{file}");
        }
        // The guess stays in the field for a legacy link, one click away.
        assert_eq!(
            default_choice(Some(&v2), Path::new("a.csv")).value,
            "text/csv"
        );
    }

    #[test]
    fn the_notice_says_when_the_link_fixes_the_type() {
        use crate::text::T;
        let v4 = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&X-Amz-Signature=a";
        let plain = PresignedLink::parse(v4).unwrap();
        assert_eq!(fixed_type_notice(&plain), None);
        let typed = PresignedLink::parse(&v4.replace("=host", "=content-type%3Bhost")).unwrap();
        assert_eq!(fixed_type_notice(&typed), Some(T::FileTypeFixed));
        let legacy = PresignedLink::parse(
            "https://b.s3.amazonaws.com/k?AWSAccessKeyId=A&Expires=1&Signature=s",
        )
        .unwrap();
        assert_eq!(fixed_type_notice(&legacy), Some(T::FileTypeFixedLegacy));
    }

    #[test]
    fn blank_or_unticked_sends_nothing() {
        assert_eq!(ContentTypeChoice::send("  ").header_value(), None);
        assert_eq!(ContentTypeChoice::none().header_value(), None);
        let mut choice = ContentTypeChoice::send(" text/plain ");
        assert_eq!(choice.header_value(), Some("text/plain"));
        choice.send_header = false;
        assert_eq!(choice.header_value(), None);
    }
}
