//! The headers a link's signature covers besides `host` and the file type: which an upload
//! must carry, which of them PresignDesk can fill in from the file (an MD5, a checksum, the
//! checksum's algorithm), what the rest are called in plain words, and the values to send.
//! Pure: the file's digests are computed elsewhere and handed in.

use serde::Serialize;

use crate::exchange::verify::ChecksumAlgorithm;
use crate::link::{PresignedLink, SignatureScheme};
use crate::text::{T, fill, tr};

/// A digest of the file a header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Digest {
    /// `Content-MD5`: base64 of the MD5.
    Md5,
    /// `x-amz-checksum-<algorithm>`: base64 of the checksum.
    Checksum(ChecksumAlgorithm),
}

/// Where a signed header's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fill {
    /// A digest of the file, which PresignDesk computes.
    Digest(Digest),
    /// `x-amz-sdk-checksum-algorithm`: the algorithm of the checksum the link pairs it with;
    /// `assumed` when the link names none and the SDKs' default (CRC32) is taken.
    Algorithm {
        /// The value (`CRC32`).
        value: &'static str,
        /// The link does not say; the SDKs' default is assumed.
        assumed: bool,
    },
    /// Only the link's creator knows the value: the person types it.
    Person,
}

/// A header the request must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needed {
    /// The header's name as the link lists it (lowercase).
    pub name: String,
    /// Where its value comes from.
    pub fill: Fill,
}

impl Needed {
    /// What the header is for, in plain words, with its name: `Who may read it (x-amz-acl)`.
    pub fn label(&self) -> String {
        let words = match self.name.as_str() {
            "x-amz-acl" | "x-goog-acl" => Some(tr(T::HeaderAcl).to_owned()),
            "x-amz-server-side-encryption" => Some(tr(T::HeaderEncryption).to_owned()),
            "x-amz-server-side-encryption-aws-kms-key-id" => {
                Some(tr(T::HeaderEncryptionKey).to_owned())
            }
            "x-amz-storage-class" | "x-goog-storage-class" => {
                Some(tr(T::HeaderStorageClass).to_owned())
            }
            "content-disposition" => Some(tr(T::HeaderDisposition).to_owned()),
            "cache-control" => Some(tr(T::HeaderCacheControl).to_owned()),
            "content-encoding" => Some(tr(T::HeaderEncoding).to_owned()),
            "content-language" => Some(tr(T::HeaderLanguage).to_owned()),
            "x-amz-tagging" => Some(tr(T::HeaderTags).to_owned()),
            "content-md5" => Some(tr(T::HeaderMd5).to_owned()),
            "x-amz-sdk-checksum-algorithm" => Some(tr(T::HeaderChecksumAlgorithm).to_owned()),
            name => metadata_name(name)
                .map(|key| fill(T::HeaderMetadata, &[("name", key)]))
                .or_else(|| {
                    name.starts_with("x-amz-checksum-")
                        .then(|| tr(T::HeaderChecksum).to_owned())
                }),
        };
        match words {
            Some(words) => format!("{words} ({})", self.name),
            None => self.name.clone(),
        }
    }

    /// What PresignDesk filled in, when it did: `the file's MD5`.
    pub fn filled_note(&self) -> Option<String> {
        match &self.fill {
            Fill::Digest(Digest::Md5) => Some(tr(T::FilledMd5).to_owned()),
            Fill::Digest(Digest::Checksum(algorithm)) => {
                Some(fill(T::FilledChecksum, &[("algorithm", algorithm.name())]))
            }
            Fill::Algorithm { assumed: false, .. } => Some(tr(T::FilledAlgorithm).to_owned()),
            Fill::Algorithm { assumed: true, .. } => Some(tr(T::FilledAlgorithmAssumed).to_owned()),
            Fill::Person => None,
        }
    }
}

fn metadata_name(header: &str) -> Option<&str> {
    header
        .strip_prefix("x-amz-meta-")
        .or_else(|| header.strip_prefix("x-goog-meta-"))
}

/// Headers the request carries anyway: HTTP's own, the file type (its own field), and those
/// the engine adds for the service.
fn sent_anyway(name: &str) -> bool {
    matches!(
        name,
        "host"
            | "content-type"
            | "content-length"
            | "x-ms-blob-type"
            | "transfer-encoding"
            | "x-goog-resumable"
    )
}

fn checksum_algorithm(name: &str) -> Option<ChecksumAlgorithm> {
    match name.strip_prefix("x-amz-checksum-")? {
        "crc32" => Some(ChecksumAlgorithm::Crc32),
        "crc32c" => Some(ChecksumAlgorithm::Crc32c),
        "sha1" => Some(ChecksumAlgorithm::Sha1),
        "sha256" => Some(ChecksumAlgorithm::Sha256),
        _ => None,
    }
}

/// Every header the link signs that the request must carry and the app does not send anyway.
pub fn needed(link: &PresignedLink) -> Vec<Needed> {
    if !matches!(
        link.scheme,
        SignatureScheme::AwsSigV4 | SignatureScheme::GcsV4
    ) {
        return Vec::new();
    }
    // The checksum the algorithm header goes with: a query parameter, or another signed header.
    let paired = link
        .checksums
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .chain(link.signed_headers.iter().cloned())
        .find_map(|name| checksum_algorithm(&name));
    link.signed_headers
        .iter()
        .filter(|name| !sent_anyway(name))
        .map(|name| {
            let fill = if name == "content-md5" {
                Fill::Digest(Digest::Md5)
            } else if let Some(algorithm) = checksum_algorithm(name) {
                Fill::Digest(Digest::Checksum(algorithm))
            } else if name == "x-amz-sdk-checksum-algorithm" {
                Fill::Algorithm {
                    value: paired.unwrap_or(ChecksumAlgorithm::Crc32).name(),
                    assumed: paired.is_none(),
                }
            } else {
                Fill::Person
            };
            Needed {
                name: name.clone(),
                fill,
            }
        })
        .collect()
}

/// The digests of the file these headers need.
pub fn digests(needed: &[Needed]) -> Vec<Digest> {
    needed
        .iter()
        .filter_map(|n| match n.fill {
            Fill::Digest(digest) => Some(digest),
            _ => None,
        })
        .collect()
}

/// The headers to send: what the person typed (by name, any case) over what PresignDesk
/// filled in; or the names of those still without a value.
pub fn values(
    needed: &[Needed],
    digests: &[(Digest, String)],
    typed: &[(String, String)],
) -> Result<Vec<(String, String)>, Vec<String>> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for header in needed {
        let typed = typed
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&header.name))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        let value = typed.map(str::to_owned).or_else(|| match &header.fill {
            Fill::Digest(digest) => digests
                .iter()
                .find(|(d, _)| d == digest)
                .map(|(_, v)| v.clone()),
            Fill::Algorithm { value, .. } => Some((*value).to_owned()),
            Fill::Person => None,
        });
        match value {
            Some(value) => out.push((header.name.clone(), value)),
            None => missing.push(header.name.clone()),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// Whether PresignDesk could have filled in the header `name` of `link` itself.
pub fn derivable(link: &PresignedLink, name: &str) -> bool {
    needed(link)
        .iter()
        .any(|n| n.name.eq_ignore_ascii_case(name) && n.fill != Fill::Person)
}

/// A header as typed on the command line: `Name: value`.
pub fn parse_header_arg(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim();
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| (name.to_ascii_lowercase(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    fn link(signed: &str, extra: &str) -> PresignedLink {
        PresignedLink::parse(&format!(
            "https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders={signed}{extra}&X-Amz-Signature=s"
        ))
        .unwrap()
    }

    #[test]
    fn each_signed_header_is_filled_in_or_asked_for() {
        let l = link(
            "content-md5%3Bcontent-type%3Bhost%3Bx-amz-acl%3Bx-amz-meta-project%3Bx-amz-sdk-checksum-algorithm%3Bx-amz-storage-class",
            "",
        );
        let needed = needed(&l);
        let fills: Vec<(&str, &Fill)> = needed.iter().map(|n| (n.name.as_str(), &n.fill)).collect();
        assert_eq!(
            fills,
            [
                ("content-md5", &Fill::Digest(Digest::Md5)),
                ("x-amz-acl", &Fill::Person),
                ("x-amz-meta-project", &Fill::Person),
                (
                    "x-amz-sdk-checksum-algorithm",
                    &Fill::Algorithm {
                        value: "CRC32",
                        assumed: true
                    }
                ),
                ("x-amz-storage-class", &Fill::Person),
            ]
        );
        with_language(Language::ENGLISH, || {
            assert_eq!(needed[1].label(), "Who may read it (x-amz-acl)");
            assert_eq!(needed[2].label(), "Metadata: project (x-amz-meta-project)");
        });
        // Typed values, the MD5 computed, the algorithm from the default.
        let digests = [(Digest::Md5, "1B2M2Y8AsgTpgAmY7PhCfg==".to_owned())];
        let typed = vec![
            ("X-Amz-Acl".to_owned(), "private".to_owned()),
            ("x-amz-meta-project".to_owned(), "fa-106".to_owned()),
        ];
        assert_eq!(
            values(&needed, &digests, &typed),
            Err(vec!["x-amz-storage-class".to_owned()])
        );
        let mut typed = typed;
        typed.push(("x-amz-storage-class".into(), "STANDARD".into()));
        let sent = values(&needed, &digests, &typed).unwrap();
        assert_eq!(
            sent[0],
            ("content-md5".into(), "1B2M2Y8AsgTpgAmY7PhCfg==".into())
        );
        assert_eq!(
            sent[3],
            ("x-amz-sdk-checksum-algorithm".into(), "CRC32".into())
        );
    }

    #[test]
    fn the_algorithm_follows_the_checksum_it_goes_with() {
        let l = link(
            "host%3Bx-amz-sdk-checksum-algorithm",
            "&x-amz-checksum-sha256=abc%3D",
        );
        assert_eq!(
            needed(&l)[0].fill,
            Fill::Algorithm {
                value: "SHA256",
                assumed: false
            }
        );
        let l = link(
            "host%3Bx-amz-checksum-crc32c%3Bx-amz-sdk-checksum-algorithm",
            "",
        );
        let n = needed(&l);
        assert_eq!(
            n[0].fill,
            Fill::Digest(Digest::Checksum(ChecksumAlgorithm::Crc32c))
        );
        assert_eq!(
            n[1].fill,
            Fill::Algorithm {
                value: "CRC32C",
                assumed: false
            }
        );
        assert!(derivable(&l, "X-Amz-Checksum-Crc32c"));
        // A link that signs only what HTTP sends anyway needs nothing.
        assert!(needed(&link("content-length%3Bcontent-type%3Bhost", "")).is_empty());
    }

    #[test]
    fn headers_typed_on_the_command_line() {
        assert_eq!(
            parse_header_arg("x-amz-acl: public-read"),
            Some(("x-amz-acl".into(), "public-read".into()))
        );
        assert_eq!(
            parse_header_arg("Cache-Control:max-age=60, public"),
            Some(("cache-control".into(), "max-age=60, public".into()))
        );
        assert_eq!(parse_header_arg("no colon"), None);
        assert_eq!(parse_header_arg(": value"), None);
    }
}
