//! The record of a multipart upload under way, so that it survives a restart of the app: the
//! upload's id, the object (its address without the query), the file's identity (size,
//! modified time, a hash of its first MiB), the part size, and each part done with its ETag
//! and MD5. Never a signature, a token or a link: pasting the same set again finds the record
//! by the upload id and sends only the parts it lacks.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// How much of the file's start its identity hashes.
const HEAD_BYTES: u64 = 1024 * 1024;

/// A file as it was when its parts were sent: if any of this changed, the parts on the
/// storage are not this file's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileIdentity {
    size: u64,
    modified_unix_ns: Option<i128>,
    head_sha256: String,
}

impl FileIdentity {
    pub(super) fn of(path: &Path) -> std::io::Result<Self> {
        let mut file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let modified_unix_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128);
        let mut head = Vec::new();
        (&mut file).take(HEAD_BYTES).read_to_end(&mut head)?;
        let digest = sha2::Sha256::digest(&head);
        Ok(FileIdentity {
            size: meta.len(),
            modified_unix_ns,
            head_sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }
}

/// One part the storage accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct PartRecord {
    pub number: u32,
    pub etag: String,
    pub md5: String,
}

/// The record of one upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct UploadRecord {
    version: u32,
    upload_id: String,
    object: String,
    file: FileIdentity,
    part_size: u64,
    pub parts: Vec<PartRecord>,
}

impl UploadRecord {
    pub(super) fn new(upload_id: &str, object: &str, file: FileIdentity, part_size: u64) -> Self {
        UploadRecord {
            version: 1,
            upload_id: upload_id.to_owned(),
            object: object.to_owned(),
            file,
            part_size,
            parts: Vec::new(),
        }
    }

    /// Whether this record is of the same upload of the same file cut the same way.
    pub(super) fn matches(&self, other: &UploadRecord) -> bool {
        self.version == other.version
            && self.upload_id == other.upload_id
            && self.object == other.object
            && self.file == other.file
            && self.part_size == other.part_size
    }
}

/// Where the records live, one file an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Records {
    folder: PathBuf,
}

impl Records {
    pub(super) fn in_folder(folder: PathBuf) -> Self {
        Records { folder }
    }

    /// The record's file: named by a hash of the upload id and the object, so neither shows in
    /// a file name.
    fn path(&self, upload_id: &str, object: &str) -> PathBuf {
        let digest = sha2::Sha256::digest(format!("{upload_id}\n{object}").as_bytes());
        let name: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        self.folder.join(format!("{name}.json"))
    }

    /// The record of `wanted`'s upload, when one is kept for the same file cut the same way.
    pub(super) fn find(&self, wanted: &UploadRecord) -> Option<UploadRecord> {
        let text = std::fs::read_to_string(self.path(&wanted.upload_id, &wanted.object)).ok()?;
        let found: UploadRecord = serde_json::from_str(&text).ok()?;
        found.matches(wanted).then_some(found)
    }

    /// Keeps `record`, replacing any earlier one of its upload whole (written beside it, then
    /// moved over it, so a crash leaves the old or the new, never half).
    pub(super) fn keep(&self, record: &UploadRecord) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.folder)?;
        let path = self.path(&record.upload_id, &record.object);
        let text = serde_json::to_string_pretty(record).map_err(std::io::Error::other)?;
        let temporary = path.with_extension("json.new");
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, &path)
    }

    /// Forgets the record of an upload that is over.
    pub(super) fn forget(&self, record: &UploadRecord) {
        self.forget_upload(&record.upload_id, &record.object);
    }

    /// Forgets the record of upload `upload_id` of `object`, whatever file it was of.
    pub(super) fn forget_upload(&self, upload_id: &str, object: &str) {
        let _ = std::fs::remove_file(self.path(upload_id, object));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_found_only_for_the_same_upload_of_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.bin");
        std::fs::write(&file, b"some bytes").unwrap();
        let records = Records::in_folder(dir.path().join("uploads"));
        let identity = FileIdentity::of(&file).unwrap();
        let mut record = UploadRecord::new("U1", "https://b.s3.amazonaws.com/f.bin", identity, 8);
        assert_eq!(records.find(&record), None);
        record.parts.push(PartRecord {
            number: 1,
            etag: "\"e\"".into(),
            md5: "00".into(),
        });
        records.keep(&record).unwrap();
        let wanted = UploadRecord {
            parts: Vec::new(),
            ..record.clone()
        };
        assert_eq!(records.find(&wanted).unwrap().parts, record.parts);
        // Another upload id, another cut, another file: not this record.
        for other in [
            UploadRecord {
                upload_id: "U2".into(),
                ..wanted.clone()
            },
            UploadRecord {
                part_size: 9,
                ..wanted.clone()
            },
        ] {
            assert_eq!(records.find(&other), None);
        }
        std::fs::write(&file, b"other bytes").unwrap();
        let changed = UploadRecord {
            file: FileIdentity::of(&file).unwrap(),
            ..wanted.clone()
        };
        assert_eq!(records.find(&changed), None);
        // No link, no signature: only what the record needs.
        let text = std::fs::read_to_string(records.path("U1", &record.object)).unwrap();
        assert!(!text.contains("Signature") && !text.contains('?'), "{text}");
        records.forget(&record);
        assert_eq!(records.find(&wanted), None);
    }
}
