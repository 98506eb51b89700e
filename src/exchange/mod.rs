//! What is sent and what comes back, as plain values: the request a transfer makes (its
//! [`Plan`]) and the server's answer ([`Success`], [`Refusal`], [`ResponseFacts`]). Pure, and
//! below both of its users: the explainer in `diagnose` reads them, and the engine in
//! `transfer` fills them and, when a refusal arrives, hands it to the explainer.

pub mod body;
mod error;
mod events;
mod options;
mod progress;
pub mod verify;
mod xml;

pub use error::TransferError;
pub use events::{Outcome, Reporter, RetryReason, TransferEvent};
pub use options::{
    DEFAULT_CONNECTIONS, MAX_CONNECTIONS, MAX_PART_CONNECTIONS, Options, RANGES_MIN_BYTES,
};
pub use progress::{Progress, ProgressMeter};

use std::path::PathBuf;
use std::time::Duration;

use crate::link::{Operation, PresignedLink, Provider, SignatureScheme};
use crate::secret::Secret;
use crate::text::{T, fill};
pub use body::{BodyFormat, ErrorBody, MAX_ERROR_BODY_BYTES, readable, redact_text};
use verify::{ChecksumAlgorithm, Verification};

/// What to send and where the body comes from or goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The URL exactly as it goes on the wire (the pasted link, trimmed). A secret: it holds
    /// the signature.
    pub url: Secret,
    /// The URL with signature and token redacted: the only form shown, copied or logged.
    pub redacted_url: String,
    /// Headers beyond those HTTP itself needs, in the order sent.
    pub headers: Vec<(String, String)>,
    /// Upload or download, with the file.
    pub payload: Payload,
    /// When the link expires: no retry after that.
    pub expires_at: Option<jiff::Timestamp>,
    /// Checksums the link fixes for the body; the file must match them.
    pub expected_checksums: Vec<(ChecksumAlgorithm, String)>,
    /// The most one PUT may carry on this service (5 GiB on S3).
    pub single_put_limit_bytes: Option<u64>,
    /// The link the plan was made from, decoded (none for an upload form): read once, by
    /// everything that needs to know what the link says.
    link: Option<Box<PresignedLink>>,
}

/// The most one S3 PUT may carry: 5 GiB.
pub const S3_SINGLE_PUT_LIMIT_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The most one Azure Put Blob may carry: 5,000 MiB.
pub const AZURE_SINGLE_PUT_LIMIT_BYTES: u64 = 5000 * 1024 * 1024;

/// The file side of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// PUT the file at `path`, which is `len_bytes` long when planned.
    Upload {
        /// The file to send.
        path: PathBuf,
        /// Its size when planned; a change during the upload aborts it.
        len_bytes: u64,
        /// How the file goes when not as one request.
        pieces: Option<Pieces>,
    },
    /// POST the file at `path` through an upload form: `fields` in order, then the file as
    /// the part `file_field`.
    Post {
        /// The file to send.
        path: PathBuf,
        /// Its size when planned.
        len_bytes: u64,
        /// The form's fields to send, in order (the file type among them when it goes).
        fields: Vec<(String, String)>,
        /// The file part's name (`file`).
        file_field: String,
        /// The file part's type (`application/octet-stream` when none is chosen).
        file_type: String,
    },
    /// PUT the file at `path` as the parts of a multipart upload, then complete it.
    Parts {
        /// The file to send.
        path: PathBuf,
        /// Its size when planned.
        len_bytes: u64,
        /// The upload's links.
        set: Box<crate::link::parts::PartsSet>,
        /// How the file is cut into the parts.
        layout: crate::link::parts::Layout,
    },
    /// GET into `destination`.
    Download {
        /// Where the file ends up once complete.
        destination: PathBuf,
        /// Whether an existing file there may be replaced (the user said so).
        replace_existing: bool,
        /// The server's `Content-Disposition` name may replace the file name (the user did
        /// not choose one); the folder stays, and an existing file is never replaced for it.
        name_from_response: bool,
    },
}

/// An upload sent in pieces through one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pieces {
    /// To an Azure SAS that may write, a large file goes as these blocks (Put Block, in
    /// parallel, then Put Block List).
    AzureBlocks(crate::link::parts::Layout),
    /// A GCS link that signs `x-goog-resumable` starts a resumable session (POST), and the
    /// file goes to it in these chunks, one after another.
    GcsResumable(crate::link::parts::Layout),
}

impl Plan {
    /// A PUT of `file` (of `len_bytes`) with the given Content-Type (`None`: no header).
    pub fn upload(
        link: &PresignedLink,
        file: PathBuf,
        len_bytes: u64,
        content_type: Option<&str>,
    ) -> Self {
        let mut headers = Vec::new();
        if let Some(value) = content_type {
            headers.push(("Content-Type".to_owned(), value.to_owned()));
        }
        // Azure refuses a blob PUT without it (400 MissingRequiredHeader).
        if link.scheme == SignatureScheme::AzureSas || link.provider == Provider::Azure {
            headers.push(("x-ms-blob-type".to_owned(), "BlockBlob".to_owned()));
        }
        let s3 = matches!(
            link.scheme,
            SignatureScheme::AwsSigV4 | SignatureScheme::AwsSigV2
        ) && link.provider != Provider::Azure;
        let azure = link.scheme == SignatureScheme::AzureSas || link.provider == Provider::Azure;
        // Blocks need the permission to write (Put Block List); a SAS that may only create
        // takes one request.
        let may_write = link
            .azure_permissions
            .as_deref()
            .is_some_and(|sp| sp.contains('w'));
        let blocks =
            (azure && may_write && len_bytes >= crate::link::parts::AZURE_BLOCKS_FROM_BYTES)
                .then(|| Pieces::AzureBlocks(crate::link::parts::azure_blocks(len_bytes)))
                .or_else(|| {
                    resumable_start(link)
                        .then(|| Pieces::GcsResumable(crate::link::parts::gcs_chunks(len_bytes)))
                });
        Plan {
            url: Secret::new(link.as_sent()),
            redacted_url: link.redacted(),
            headers,
            payload: Payload::Upload {
                path: file,
                len_bytes,
                pieces: blocks,
            },
            expires_at: link.expires_at,
            expected_checksums: verify::expected_checksums(link),
            single_put_limit_bytes: if s3 {
                Some(S3_SINGLE_PUT_LIMIT_BYTES)
            } else if matches!(blocks, Some(Pieces::AzureBlocks(_))) {
                None
            } else if azure {
                Some(AZURE_SINGLE_PUT_LIMIT_BYTES)
            } else {
                None
            },
            link: Some(Box::new(link.clone())),
        }
    }

    /// A POST of `file` (of `len_bytes`) through `form` with the file type `content_type`: in
    /// the form's `Content-Type` field where the form takes one, and as the file part's type.
    pub fn post(
        form: &crate::post::PostForm,
        file: PathBuf,
        len_bytes: u64,
        content_type: Option<&str>,
    ) -> Self {
        let s3 = form.provider != Provider::Gcs;
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Plan {
            url: Secret::new(form.url.clone()),
            redacted_url: form.url.clone(),
            headers: Vec::new(),
            payload: Payload::Post {
                path: file,
                len_bytes,
                fields: crate::post::check::fields_to_send(
                    form,
                    &file_name,
                    content_type.filter(|_| crate::post::check::sends_type(form)),
                ),
                file_field: form.file_field.clone(),
                file_type: content_type
                    .unwrap_or("application/octet-stream")
                    .to_owned(),
            },
            expires_at: form.expires_at(),
            expected_checksums: Vec::new(),
            single_put_limit_bytes: s3.then_some(S3_SINGLE_PUT_LIMIT_BYTES),
            link: None,
        }
    }

    /// The link the plan was made from; `None` for an upload form. For a multipart upload,
    /// its Complete link.
    pub fn link(&self) -> Option<&PresignedLink> {
        self.link.as_deref()
    }

    /// The link a refusal answered: the part's, for a multipart upload's part, otherwise
    /// [`Plan::link`].
    pub fn refused_link(&self, refusal: &Refusal) -> Option<&PresignedLink> {
        match (&self.payload, refusal.part) {
            (Payload::Parts { set, .. }, Some(number)) => set
                .parts
                .iter()
                .find(|p| p.number == number)
                .map(|p| &p.link),
            _ => self.link(),
        }
    }

    /// A multipart upload of `file` (of `len_bytes`) through `set`, cut as `layout` says.
    pub fn parts(
        set: crate::link::parts::PartsSet,
        layout: crate::link::parts::Layout,
        file: PathBuf,
        len_bytes: u64,
    ) -> Self {
        Plan {
            url: Secret::new(set.complete.as_sent()),
            redacted_url: set.complete.redacted(),
            headers: Vec::new(),
            expires_at: set.expires_at(),
            expected_checksums: Vec::new(),
            single_put_limit_bytes: None,
            link: Some(Box::new(set.complete.clone())),
            payload: Payload::Parts {
                path: file,
                len_bytes,
                set: Box::new(set),
                layout,
            },
        }
    }

    /// The upload form a POST plan sends through, read again from its parts.
    pub fn post_form(&self) -> Option<crate::post::PostForm> {
        let Payload::Post {
            fields, file_field, ..
        } = &self.payload
        else {
            return None;
        };
        crate::post::PostForm::from_fields(
            self.url.expose().to_owned(),
            fields.clone(),
            file_field.clone(),
            crate::post::Shape::Json,
        )
        .ok()
    }

    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self.payload {
            Payload::Post { .. } => "POST",
            _ => self.first_method().unwrap_or(self.operation().method()),
        }
    }

    /// Whether the file goes in parts (an S3 multipart set, or Azure blocks): several at
    /// once, and what arrived is kept to go on after a cut or a restart.
    pub fn sent_in_parts(&self) -> bool {
        matches!(
            self.payload,
            Payload::Parts { .. }
                | Payload::Upload {
                    pieces: Some(Pieces::AzureBlocks(_)),
                    ..
                }
        )
    }

    /// The method of the first request: POST for a form and for a resumable session's start.
    fn first_method(&self) -> Option<&'static str> {
        match self.payload {
            Payload::Upload {
                pieces: Some(Pieces::GcsResumable(_)),
                ..
            } => Some("POST"),
            _ => None,
        }
    }

    /// How many parts go in parallel, for an upload in parts.
    pub fn parts_count(&self) -> Option<u32> {
        match &self.payload {
            Payload::Parts { layout, .. }
            | Payload::Upload {
                pieces: Some(Pieces::AzureBlocks(layout)),
                ..
            } => Some(layout.count),
            _ => None,
        }
    }

    /// The file an upload sends, with its size.
    pub fn upload_file(&self) -> Option<(&std::path::Path, u64)> {
        match &self.payload {
            Payload::Upload {
                path, len_bytes, ..
            }
            | Payload::Post {
                path, len_bytes, ..
            }
            | Payload::Parts {
                path, len_bytes, ..
            } => Some((path, *len_bytes)),
            Payload::Download { .. } => None,
        }
    }

    /// A GET into `destination`.
    pub fn download(link: &PresignedLink, destination: PathBuf, replace_existing: bool) -> Self {
        Plan {
            url: Secret::new(link.as_sent()),
            redacted_url: link.redacted(),
            headers: Vec::new(),
            payload: Payload::Download {
                destination,
                replace_existing,
                name_from_response: false,
            },
            expires_at: link.expires_at,
            expected_checksums: Vec::new(),
            single_put_limit_bytes: None,
            link: Some(Box::new(link.clone())),
        }
    }

    /// Sends `headers` too (the headers the link signs, with their values), after the others.
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        for (name, value) in headers {
            if self.header(&name).is_none() {
                self.headers.push((name, value));
            }
        }
        self
    }

    /// Lets the server's `Content-Disposition` name the downloaded file.
    pub fn with_name_from_response(mut self) -> Self {
        if let Payload::Download {
            name_from_response, ..
        } = &mut self.payload
        {
            *name_from_response = true;
        }
        self
    }

    /// The operation this plan performs.
    pub fn operation(&self) -> Operation {
        match self.payload {
            Payload::Upload { .. } | Payload::Post { .. } | Payload::Parts { .. } => Operation::Put,
            Payload::Download { .. } => Operation::Get,
        }
    }

    /// The value of header `name` (ASCII case-insensitive) this plan sends.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request `refusal` answered, as text, redacted: for a multipart upload, the part's
    /// or the Complete request alone (a set may have thousands), otherwise [`Plan::describe`].
    pub fn describe_refused(&self, refusal: &Refusal) -> String {
        let Payload::Parts { set, layout, .. } = &self.payload else {
            return self.describe();
        };
        match refusal.part {
            Some(number) => {
                let Some(place) = set.parts.iter().position(|p| p.number == number) else {
                    return self.describe();
                };
                let (_, len) = layout.span(u32::try_from(place).unwrap_or(u32::MAX));
                format!(
                    "PUT {}\nContent-Length: {len}\n",
                    set.parts[place].link.redacted()
                )
            }
            None => format!("POST {}\n", self.redacted_url),
        }
    }

    /// The request as text, redacted, for showing and copying.
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}\n", self.method(), self.redacted_url);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\n"));
        }
        match &self.payload {
            Payload::Upload {
                path,
                len_bytes,
                pieces: Some(Pieces::GcsResumable(layout)),
            } => {
                out.clear();
                out.push_str(&format!("POST {}\n", self.redacted_url));
                for (name, value) in &self.headers {
                    out.push_str(&format!("{name}: {value}\n"));
                }
                out.push_str("x-goog-resumable: start\nContent-Length: 0\n");
                out.push_str(&format!(
                    "PUT (the session's address, which the storage answers with)\nContent-Range: bytes 0-{}/{len_bytes}  ({} chunks)\n",
                    layout.part_size.min(*len_bytes).saturating_sub(1),
                    layout.count
                ));
                out.push_str(&fill(T::BodyFrom, &[("path", &path.display().to_string())]));
                out.push('\n');
            }
            Payload::Upload {
                path,
                pieces: Some(Pieces::AzureBlocks(layout)),
                ..
            } => {
                out.clear();
                let as_sent = self.redacted_url.as_str();
                for index in 0..layout.count {
                    let (_, len) = layout.span(index);
                    out.push_str(&format!(
                        "PUT {}\nContent-Length: {len}\nContent-MD5: (the block's)\n",
                        crate::link::parts::azure_block_url(as_sent, index + 1)
                    ));
                }
                out.push_str(&format!(
                    "PUT {}\n",
                    crate::link::parts::azure_block_list_url(as_sent)
                ));
                if let Some(value) = self.header("Content-Type") {
                    out.push_str(&format!("x-ms-blob-content-type: {value}\n"));
                }
                out.push_str(&fill(T::BodyFrom, &[("path", &path.display().to_string())]));
                out.push('\n');
            }
            Payload::Upload {
                path, len_bytes, ..
            } => {
                out.push_str(&format!("Content-Length: {len_bytes}\n"));
                out.push_str(&fill(T::BodyFrom, &[("path", &path.display().to_string())]));
                out.push('\n');
            }
            Payload::Post {
                path,
                fields,
                file_field,
                file_type,
                ..
            } => {
                out.push_str("Content-Type: multipart/form-data\n");
                for (name, value) in fields {
                    let value = if crate::post::is_secret_field(name) {
                        crate::secret::REDACTED
                    } else {
                        value
                    };
                    out.push_str(&format!("  {name} = {value}\n"));
                }
                out.push_str(&format!(
                    "  {file_field} = {} ({file_type})\n",
                    fill(T::BodyFrom, &[("path", &path.display().to_string())])
                ));
            }
            Payload::Parts {
                path,
                len_bytes,
                set,
                layout,
            } => {
                out.clear();
                for (index, part) in set.parts.iter().enumerate() {
                    let (_, len) = layout.span(u32::try_from(index).unwrap_or(u32::MAX));
                    out.push_str(&format!(
                        "PUT {}\nContent-Length: {len}\n",
                        part.link.redacted()
                    ));
                }
                out.push_str(&format!("POST {}\n", self.redacted_url));
                out.push_str(&fill(
                    T::PartsDescribe,
                    &[
                        ("count", &layout.count.to_string()),
                        ("size", &crate::format::bytes(layout.part_size)),
                        ("total", &crate::format::bytes(*len_bytes)),
                        ("path", &path.display().to_string()),
                    ],
                ));
                out.push('\n');
            }
            Payload::Download { .. } => {}
        }
        out
    }
}

/// A successful transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// HTTP status (200, or 201 for Azure).
    pub status: u16,
    /// Bytes of body sent (upload) or received (download).
    pub bytes: u64,
    /// Wall time from the first byte of the request to the end.
    pub elapsed: Duration,
    /// The response's facts (ETag, request id...).
    pub response: ResponseFacts,
    /// Where a download was saved.
    pub saved_to: Option<PathBuf>,
    /// What could be proved about the bytes.
    pub verification: Verification,
    /// Connections the download settled on (1 for an upload or a download in one stream).
    pub connections: u32,
    /// Why a download in ranges used that many.
    pub connections_reason: Option<ConnectionsReason>,
    /// Why a download that could have used several connections used one.
    pub single_stream_reason: Option<SingleStreamReason>,
    /// From the last byte's arrival to the digest's, when a download in ranges was verified.
    pub hash_tail: Option<Duration>,
    /// Parts of a multipart upload (0 for a single request).
    pub parts: u32,
    /// How long the storage took to answer a multipart upload's Complete request (joining
    /// the parts).
    pub complete_time: Option<Duration>,
    /// The parts were Azure blocks.
    pub blocks: bool,
}

/// Why a download in ranges used the connections it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionsReason {
    /// Connections were added while each raised the total rate; the next did not.
    StoppedGrowing,
    /// Every addition raised the rate, up to the most allowed.
    Maximum,
    /// The server answered 503 / SlowDown: fewer connections, no more added.
    ServerSlowDown,
    /// The rate fell while downloading: one connection fewer.
    RateFell,
    /// The link was close to its expiry: no connection was added.
    LinkExpiring,
    /// The download ended before measuring whether more would help.
    EndedWhileMeasuring,
    /// Too little was left for another connection to pay back what trying it costs.
    TooShort,
}

impl ConnectionsReason {
    /// How `count` connections came to be used, in the current language.
    pub fn describe(&self, count: u32) -> String {
        let key = match self {
            ConnectionsReason::StoppedGrowing if count <= 1 => T::ConnectionsOneFastest,
            ConnectionsReason::StoppedGrowing => T::ConnectionsStoppedGrowing,
            ConnectionsReason::Maximum => T::ConnectionsMaximum,
            ConnectionsReason::ServerSlowDown => T::ConnectionsServerSlowDown,
            ConnectionsReason::RateFell => T::ConnectionsRateFell,
            ConnectionsReason::LinkExpiring => T::ConnectionsLinkExpiring,
            ConnectionsReason::EndedWhileMeasuring => T::ConnectionsEndedWhileMeasuring,
            ConnectionsReason::TooShort => T::ConnectionsTooShort,
        };
        let count_text = count.to_string();
        let connections = if count <= 1 {
            crate::text::tr(T::ConnectionsCountOne).to_owned()
        } else {
            fill(T::ConnectionsCountMany, &[("count", &count_text)])
        };
        fill(
            key,
            &[("count", &count_text), ("connections", &connections)],
        )
    }
}

/// Why a large download ran over one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SingleStreamReason {
    /// Asked for a part, the server sent the whole object.
    RangesIgnored,
    /// The object changed on the server during the download (another ETag, or 412): the
    /// download started over in one piece, never mixing two versions.
    ObjectChanged,
}

impl SingleStreamReason {
    /// The reason in words, in the current language.
    pub fn describe(&self) -> String {
        crate::text::tr(match self {
            SingleStreamReason::RangesIgnored => T::OneStreamRangesIgnored,
            SingleStreamReason::ObjectChanged => T::OneStreamObjectChanged,
        })
        .to_owned()
    }
}

/// The server's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status.
    pub status: u16,
    /// The status's reason phrase (`Forbidden`...).
    pub reason: String,
    /// The error body, read and redacted.
    pub body: ErrorBody,
    /// The response's facts.
    pub response: ResponseFacts,
    /// Bytes of the body sent before the refusal (an upload refused mid-way sent some).
    pub bytes_sent: u64,
    /// The file was sent although it cannot match a checksum the link fixes (for testing).
    pub sent_despite_checksum: bool,
    /// The part of a multipart upload that was refused (`None`: the request itself, or the
    /// upload's Complete request).
    pub part: Option<u32>,
}

/// The response headers that matter to a person, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFacts {
    /// `ETag`.
    pub etag: Option<String>,
    /// `x-amz-version-id`.
    pub version_id: Option<String>,
    /// `x-amz-request-id`, `x-ms-request-id` or `x-guploader-uploadid`.
    pub request_id: Option<String>,
    /// `x-amz-id-2`.
    pub host_id: Option<String>,
    /// `Date`.
    pub date: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Content-Length`.
    pub content_length: Option<u64>,
    /// `Location`: a redirect the app did not follow, or, after an upload form, the stored
    /// object's address.
    pub location: Option<String>,
    /// The stored object's key, as an upload form's `201 Created` answer names it.
    pub key: Option<String>,
    /// Azure's `x-ms-error-code`.
    pub error_code: Option<String>,
    /// `Content-MD5` (Azure), base64.
    pub content_md5: Option<String>,
    /// `x-goog-hash` (GCS).
    pub goog_hash: Option<String>,
    /// `x-amz-server-side-encryption` (or SSE-C): the ETag is then no MD5.
    pub server_side_encryption: Option<String>,
    /// `Accept-Ranges`.
    pub accept_ranges: Option<String>,
    /// `Content-Range` of a partial answer.
    pub content_range: Option<String>,
    /// `Content-Disposition`.
    pub content_disposition: Option<String>,
}

/// Whether `link` starts a GCS resumable session: it signs `x-goog-resumable`.
pub fn resumable_start(link: &PresignedLink) -> bool {
    link.scheme == SignatureScheme::GcsV4
        && link.signed_headers.iter().any(|h| h == "x-goog-resumable")
}
