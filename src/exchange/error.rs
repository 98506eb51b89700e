//! Why a transfer could not complete, as a value every front shows and the explainer reads.

use std::path::PathBuf;

use crate::text::{T, fill, tr};

/// Why a transfer could not complete. Every message is safe to show: no URL, no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// The storage accepted a part of a multipart upload but gave no ETag, which completing
    /// the upload needs.
    NoPartEtag(u32),
    /// The file to upload could not be read.
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The file changed size while it was being sent.
    FileChanged {
        /// The file.
        path: PathBuf,
        /// Size when planned.
        planned: u64,
        /// Size now.
        now: u64,
    },
    /// The downloaded file could not be written.
    WriteFile {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// A file already exists where the download would go, and replacing it was not allowed.
    DestinationExists(PathBuf),
    /// The server could not be reached.
    Connect(String),
    /// The connection failed during the transfer.
    Network(String),
    /// Fewer bytes arrived than the server announced.
    Truncated {
        /// Bytes announced.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// The link cannot be sent without changing it (for example `/./` or `/../` in its path).
    CannotSendUnchanged,
    /// A header value the user typed cannot be sent.
    InvalidHeader(String),
    /// The upload form's checks say the storage would refuse the upload; why, in words.
    FormCheck(String),
    /// No byte moved for this many seconds.
    Stalled(u64),
    /// The file is larger than one request may carry.
    TooLarge {
        /// The file's size.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// The file cannot match a checksum the link fixes.
    ChecksumMismatch {
        /// CRC32, SHA256...
        algorithm: String,
        /// The link's value, base64.
        expected: String,
        /// The file's, base64.
        actual: String,
    },
    /// The server's MD5 of the object differs from the bytes sent or received.
    DigestMismatch {
        /// The file.
        path: PathBuf,
        /// MD5 of the bytes, hex.
        computed: String,
        /// The server's, hex.
        server: String,
    },
    /// The disk lacks room for the download.
    NoSpace {
        /// Bytes needed.
        needed: u64,
        /// Bytes free.
        available: u64,
    },
}

impl TransferError {
    /// Whether another attempt may succeed: a broken or stalled connection, a short body.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransferError::Network(_) | TransferError::Stalled(_) | TransferError::Truncated { .. }
        )
    }
}

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            TransferError::NoPartEtag(part) => {
                fill(T::ErrNoPartEtag, &[("part", &part.to_string())])
            }
            TransferError::ReadFile { path, reason } => fill(
                T::ErrReadFile,
                &[("path", &path.display().to_string()), ("reason", reason)],
            ),
            TransferError::FileChanged { path, planned, now } => fill(
                T::ErrFileChanged,
                &[
                    ("path", &path.display().to_string()),
                    ("planned", &planned.to_string()),
                    ("now", &now.to_string()),
                ],
            ),
            TransferError::WriteFile { path, reason } => fill(
                T::ErrWriteFile,
                &[("path", &path.display().to_string()), ("reason", reason)],
            ),
            TransferError::DestinationExists(path) => fill(
                T::ErrDestinationExists,
                &[("path", &path.display().to_string())],
            ),
            TransferError::Connect(reason) => fill(T::ErrConnect, &[("reason", reason)]),
            TransferError::Network(reason) => fill(T::ErrNetwork, &[("reason", reason)]),
            TransferError::Truncated { expected, received } => fill(
                T::ErrTruncated,
                &[
                    ("expected", &expected.to_string()),
                    ("received", &received.to_string()),
                ],
            ),
            TransferError::CannotSendUnchanged => tr(T::ErrCannotSendUnchanged).to_owned(),
            TransferError::InvalidHeader(name) => fill(T::ErrInvalidHeader, &[("name", name)]),
            TransferError::FormCheck(why) => why.clone(),
            TransferError::Stalled(secs) => fill(T::ErrStalled, &[("secs", &secs.to_string())]),
            TransferError::TooLarge { len, limit } => fill(
                T::ErrTooLarge,
                &[
                    ("size", &crate::format::bytes(*len)),
                    ("limit", &crate::format::bytes(*limit)),
                ],
            ),
            TransferError::ChecksumMismatch {
                algorithm,
                expected,
                actual,
            } => fill(
                T::ErrChecksumMismatch,
                &[
                    ("algorithm", algorithm),
                    ("expected", expected),
                    ("actual", actual),
                ],
            ),
            TransferError::DigestMismatch {
                path,
                computed,
                server,
            } => fill(
                T::ErrDigestMismatch,
                &[
                    ("path", &path.display().to_string()),
                    ("computed", computed),
                    ("server", server),
                ],
            ),
            TransferError::NoSpace { needed, available } => fill(
                T::ErrNoSpace,
                &[
                    ("needed", &crate::format::bytes(*needed)),
                    ("available", &crate::format::bytes(*available)),
                ],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for TransferError {}
