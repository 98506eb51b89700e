//! Proving that what arrived is what was sent: MD5 against the server's ETag or Content-MD5,
//! and the checksums a link may carry (DOMAIN F11). Pure apart from hashing bytes given to it.

use base64::Engine as _;
use md5::Digest as _;
use serde::Serialize;

use super::ResponseFacts;
use crate::link::PresignedLink;
use crate::text::{T, fill, tr};

/// What the app could prove about the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub enum Verification {
    /// The server's MD5 (hex) equals the one computed while streaming.
    Verified(String),
    /// The server gave nothing to compare with, or a digest that is not an MD5.
    CouldNotVerify(Unverifiable),
    /// The multipart ETag the server states is the MD5 of the MD5s of the parts sent, each of
    /// which the server stated too.
    PartsVerified {
        /// The ETag (`hex-N`).
        etag: String,
        /// Parts in all.
        parts: u32,
    },
    /// Every block went with its MD5 (Content-MD5), which the storage checked as it
    /// arrived: it takes no block whose bytes differ.
    BlocksVerified {
        /// Blocks in all.
        blocks: u32,
    },
    /// Verification was turned off.
    Off,
}

impl Verification {
    /// One line for people, in the current language.
    pub fn describe(&self) -> String {
        match self {
            Verification::Verified(md5) => fill(
                T::Verified,
                &[("how", &fill(T::Md5Matches, &[("md5", md5)]))],
            ),
            Verification::CouldNotVerify(why) => {
                fill(T::CouldNotVerify, &[("why", &why.describe())])
            }
            Verification::PartsVerified { etag, parts } => fill(
                T::Verified,
                &[(
                    "how",
                    &fill(
                        T::PartsEtagMatches,
                        &[("etag", etag), ("parts", &parts.to_string())],
                    ),
                )],
            ),
            Verification::BlocksVerified { blocks } => fill(
                T::Verified,
                &[(
                    "how",
                    &fill(T::BlocksMd5Checked, &[("blocks", &blocks.to_string())]),
                )],
            ),
            Verification::Off => tr(T::VerificationOff).to_owned(),
        }
    }
}

/// Why the server's answer holds no MD5 to compare with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum Unverifiable {
    /// The object is encrypted with KMS or a customer key: its ETag is no MD5.
    Encrypted(String),
    /// The ETag is a multipart upload's.
    Multipart,
    /// The ETag has another form.
    NotMd5,
    /// No ETag, Content-MD5 or x-goog-hash at all.
    NoDigest,
}

impl Unverifiable {
    /// The reason in words, in the current language.
    pub fn describe(&self) -> String {
        match self {
            Unverifiable::Encrypted(how) => fill(T::NotMd5Encrypted, &[("how", how)]),
            Unverifiable::Multipart => tr(T::NotMd5Multipart).to_owned(),
            Unverifiable::NotMd5 => tr(T::NotMd5Other).to_owned(),
            Unverifiable::NoDigest => tr(T::NoDigest).to_owned(),
        }
    }
}

/// MD5 of a stream of chunks.
#[derive(Clone, Default)]
pub struct Md5Stream(md5::Md5);

impl Md5Stream {
    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest as lowercase hex.
    pub fn hex(&self) -> String {
        hex(&self.0.clone().finalize())
    }
}

impl std::fmt::Debug for Md5Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Md5Stream")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The MD5 the server states for the object, when it states a plain one: an ETag of 32 hex
/// digits (not multipart, not encrypted with KMS or a customer key), `Content-MD5`, or GCS's
/// `x-goog-hash: md5=`. `Err` says why nothing can be compared.
pub fn server_md5(facts: &ResponseFacts) -> Result<String, Unverifiable> {
    if let Some(md5) = facts.content_md5.as_deref().and_then(base64_to_hex) {
        return Ok(md5);
    }
    if let Some(md5) = facts
        .goog_hash
        .as_deref()
        .and_then(|h| h.split(',').find_map(|p| p.trim().strip_prefix("md5=")))
        .and_then(base64_to_hex)
    {
        return Ok(md5);
    }
    if let Some(sse) = facts
        .server_side_encryption
        .as_deref()
        .filter(|s| s.contains("kms"))
    {
        return Err(Unverifiable::Encrypted(sse.to_owned()));
    }
    let Some(etag) = facts.etag.as_deref() else {
        return Err(Unverifiable::NoDigest);
    };
    let etag = etag.trim().trim_start_matches("W/").trim_matches('"');
    if etag.contains('-') {
        return Err(Unverifiable::Multipart);
    }
    if etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(etag.to_ascii_lowercase())
    } else {
        Err(Unverifiable::NotMd5)
    }
}

fn base64_to_hex(text: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    (bytes.len() == 16).then(|| hex(&bytes))
}

/// Compares the computed MD5 with the server's. `Err` holds both digests on a mismatch.
pub fn compare_md5(
    computed_hex: &str,
    facts: &ResponseFacts,
) -> Result<Verification, (String, String)> {
    match server_md5(facts) {
        Ok(server) if server == computed_hex => Ok(Verification::Verified(server)),
        Ok(server) => Err((computed_hex.to_owned(), server)),
        Err(why) => Ok(Verification::CouldNotVerify(why)),
    }
}

/// A checksum algorithm a link can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChecksumAlgorithm {
    /// `x-amz-checksum-crc32`.
    Crc32,
    /// `x-amz-checksum-crc32c`.
    Crc32c,
    /// `x-amz-checksum-sha1`.
    Sha1,
    /// `x-amz-checksum-sha256`.
    Sha256,
}

impl ChecksumAlgorithm {
    /// The algorithm's name as the parameter spells it.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }
}

/// The checksums a link fixes for the body (`x-amz-checksum-*` with a value), base64.
pub fn expected_checksums(link: &PresignedLink) -> Vec<(ChecksumAlgorithm, String)> {
    link.checksums
        .iter()
        .filter_map(|(name, value)| {
            let algorithm = match name.to_ascii_lowercase().as_str() {
                "x-amz-checksum-crc32" => ChecksumAlgorithm::Crc32,
                "x-amz-checksum-crc32c" => ChecksumAlgorithm::Crc32c,
                "x-amz-checksum-sha1" => ChecksumAlgorithm::Sha1,
                "x-amz-checksum-sha256" => ChecksumAlgorithm::Sha256,
                _ => return None,
            };
            Some((algorithm, value.clone()))
        })
        .collect()
}

/// A running checksum of one algorithm.
pub enum Checksum {
    /// CRC32 (IEEE).
    Crc32(crc32fast::Hasher),
    /// CRC32C (Castagnoli).
    Crc32c(u32),
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-256.
    Sha256(sha2::Sha256),
}

impl Checksum {
    /// A new checksum of `algorithm`.
    pub fn new(algorithm: ChecksumAlgorithm) -> Self {
        match algorithm {
            ChecksumAlgorithm::Crc32 => Checksum::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => Checksum::Crc32c(0),
            ChecksumAlgorithm::Sha1 => Checksum::Sha1(sha1::Sha1::new()),
            ChecksumAlgorithm::Sha256 => Checksum::Sha256(sha2::Sha256::new()),
        }
    }

    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Checksum::Crc32(h) => h.update(bytes),
            Checksum::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, bytes),
            Checksum::Sha1(h) => h.update(bytes),
            Checksum::Sha256(h) => h.update(bytes),
        }
    }

    /// The checksum, base64, as S3 writes it.
    pub fn base64(self) -> String {
        let bytes: Vec<u8> = match self {
            Checksum::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            Checksum::Crc32c(crc) => crc.to_be_bytes().to_vec(),
            Checksum::Sha1(h) => h.finalize().to_vec(),
            Checksum::Sha256(h) => h.finalize().to_vec(),
        };
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(etag: Option<&str>) -> ResponseFacts {
        ResponseFacts {
            etag: etag.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn etags_that_are_and_are_not_md5() {
        let md5 = "5d41402abc4b2a76b9719d911017c592"; // "hello"
        assert_eq!(
            server_md5(&facts(Some(&format!("\"{md5}\"")))),
            Ok(md5.to_owned())
        );
        assert_eq!(
            server_md5(&facts(Some(&format!("\"{}\"", md5.to_uppercase())))),
            Ok(md5.to_owned())
        );
        assert!(server_md5(&facts(Some("\"5d41402abc4b2a76b9719d911017c592-3\""))).is_err());
        assert!(
            server_md5(&facts(Some("\"0x8DC1E2F3A4B5C6D\""))).is_err(),
            "Azure's ETag is no MD5"
        );
        assert!(server_md5(&facts(None)).is_err());
        let kms = ResponseFacts {
            server_side_encryption: Some("aws:kms".into()),
            ..facts(Some(md5))
        };
        assert!(
            server_md5(&kms).is_err(),
            "with KMS the ETag is not the MD5"
        );
        let azure = ResponseFacts {
            content_md5: Some("XUFAKrxLKna5cZ2REBfFkg==".into()),
            ..facts(Some("\"0x8DC\""))
        };
        assert_eq!(server_md5(&azure), Ok(md5.to_owned()));
        let gcs = ResponseFacts {
            goog_hash: Some("crc32c=mnG7TA==,md5=XUFAKrxLKna5cZ2REBfFkg==".into()),
            ..facts(None)
        };
        assert_eq!(server_md5(&gcs), Ok(md5.to_owned()));
    }

    #[test]
    fn md5_compare() {
        let mut stream = Md5Stream::default();
        stream.update(b"hel");
        stream.update(b"lo");
        let hex = stream.hex();
        assert_eq!(hex, "5d41402abc4b2a76b9719d911017c592");
        assert!(matches!(
            compare_md5(&hex, &facts(Some(&hex))),
            Ok(Verification::Verified(_))
        ));
        assert!(compare_md5(&hex, &facts(Some("00000000000000000000000000000000"))).is_err());
        assert!(matches!(
            compare_md5(&hex, &facts(None)),
            Ok(Verification::CouldNotVerify(_))
        ));
    }

    #[test]
    fn checksums_as_s3_writes_them() {
        let cases = [
            (ChecksumAlgorithm::Crc32, b"" as &[u8], "AAAAAA=="),
            (ChecksumAlgorithm::Crc32, b"hello", "NhCmhg=="),
            (ChecksumAlgorithm::Crc32c, b"hello", "mnG7TA=="),
            (
                ChecksumAlgorithm::Sha1,
                b"hello",
                "qvTGHdzF6KLavt4PO0gs2a6pQ00=",
            ),
            (
                ChecksumAlgorithm::Sha256,
                b"hello",
                "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=",
            ),
        ];
        for (algorithm, bytes, expected) in cases {
            let mut checksum = Checksum::new(algorithm);
            checksum.update(bytes);
            assert_eq!(checksum.base64(), expected, "{algorithm:?}");
        }
    }
}
