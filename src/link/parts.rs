//! A multipart upload handed out as presigned links: one UploadPart link a part (each carries
//! `uploadId` and `partNumber`), the CompleteMultipartUpload link (only `uploadId`), perhaps an
//! abort link. Back ends hand them out as a plain list of links, one a line, or as JSON whose
//! field names vary (`uploadId` or `upload_id`, `parts: [{partNumber, url}]` or `urls: [...]`,
//! `complete` or `complete_url`...): the fields are read by what they mean. Pure: the set is
//! read and checked here, sent by the engine.

use serde_json::Value;

use super::{LinkError, PresignedLink};
use crate::text::{T, fill};

/// The most parts one S3 upload may have.
pub const MAX_PARTS: u32 = 10_000;
/// The least every part but the last must carry on S3.
pub const MIN_PART_BYTES: u64 = 5 * 1024 * 1024;
/// The most one part may carry on S3.
pub const MAX_PART_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The most blocks one Azure blob may have.
pub const AZURE_MAX_BLOCKS: u64 = 50_000;
/// The most one Azure block may carry.
pub const AZURE_MAX_BLOCK_BYTES: u64 = 4000 * 1024 * 1024;
/// The block an Azure upload is cut into, unless the file needs larger ones to fit.
pub const AZURE_BLOCK_BYTES: u64 = 8 * 1024 * 1024;
/// From this size, a file to an Azure SAS that may write goes as blocks: several at once, and
/// a dropped line or a closed window costs one block, not the file.
pub const AZURE_BLOCKS_FROM_BYTES: u64 = 64 * 1024 * 1024;

/// How `len` bytes are cut into Azure blocks: 8 MiB each, larger (whole MiB) only where the
/// file would need more than Azure's 50,000 blocks.
pub fn azure_blocks(len: u64) -> Layout {
    const MIB: u64 = 1024 * 1024;
    let fitting = len.div_ceil(AZURE_MAX_BLOCKS).div_ceil(MIB) * MIB;
    let part_size = AZURE_BLOCK_BYTES
        .max(fitting)
        .min(AZURE_MAX_BLOCK_BYTES)
        .min(len.max(1));
    let count = len.div_ceil(part_size).max(1);
    Layout {
        part_size,
        count: u32::try_from(count).unwrap_or(u32::MAX),
        last_size: len - (count - 1) * part_size,
    }
}

/// Block `number`'s id: its number in six digits, base64 (Azure wants ids of one length
/// within a blob; the same number gives the same id, so a block sent again replaces itself).
pub fn azure_block_id(number: u32) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{number:06}"))
}

/// The Put Block request for block `number` through the SAS link `as_sent` (a SAS signs the
/// blob, not these parameters, so the link goes exactly as signed with them added).
pub fn azure_block_url(as_sent: &str, number: u32) -> String {
    let id = azure_block_id(number)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    format!("{}comp=block&blockid={id}", with_query_joint(as_sent))
}

/// The Put Block List request that commits the blocks through `as_sent`.
pub fn azure_block_list_url(as_sent: &str) -> String {
    format!("{}comp=blocklist", with_query_joint(as_sent))
}

/// The Put Block List body: blocks 1 to `count`, in order.
pub fn azure_block_list_body(count: u32) -> String {
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
    for number in 1..=count {
        body.push_str(&format!("<Latest>{}</Latest>", azure_block_id(number)));
    }
    body.push_str("</BlockList>");
    body
}

fn with_query_joint(link: &str) -> String {
    match link.find('?') {
        Some(at) if at + 1 < link.len() && !link.ends_with('&') => format!("{link}&"),
        Some(_) => link.to_owned(),
        None => format!("{link}?"),
    }
}

/// The unit a GCS resumable session takes chunks in: every chunk but the last is a multiple.
pub const GCS_CHUNK_UNIT_BYTES: u64 = 256 * 1024;
/// The chunk sent to a GCS session in one request: 8 MiB (32 units).
pub const GCS_CHUNK_BYTES: u64 = 32 * GCS_CHUNK_UNIT_BYTES;

/// How `len` bytes go to a GCS resumable session: chunks of 8 MiB, the last what is left.
pub fn gcs_chunks(len: u64) -> Layout {
    let count = len.div_ceil(GCS_CHUNK_BYTES).max(1);
    let part_size = GCS_CHUNK_BYTES.min(len).max(1);
    Layout {
        part_size,
        count: u32::try_from(count).unwrap_or(u32::MAX),
        last_size: len - (count - 1) * part_size,
    }
}

/// One part's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartLink {
    /// The part's number (1 to 10,000).
    pub number: u32,
    /// Its UploadPart link.
    pub link: PresignedLink,
}

/// How the set was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetShape {
    /// Links, one a line (words around them allowed).
    Lines,
    /// A JSON document.
    Json,
}

/// A multipart upload's links, read and checked: parts in order of their numbers, every link
/// of one upload of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsSet {
    /// The upload's id, as every link carries it.
    pub upload_id: String,
    /// The part links, by part number.
    pub parts: Vec<PartLink>,
    /// The CompleteMultipartUpload link (a POST).
    pub complete: PresignedLink,
    /// The AbortMultipartUpload link (a DELETE), when one was given.
    pub abort: Option<PresignedLink>,
    /// The part size the back end stated, in bytes.
    pub part_size: Option<u64>,
    /// How it was given.
    pub shape: SetShape,
}

/// Why a text that holds a multipart set cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetProblem {
    /// A link of the set cannot be read.
    BadLink {
        /// Which link: `part 3`, `complete`...
        which: String,
        /// Why.
        error: LinkError,
    },
    /// No part link is in the set.
    NoParts,
    /// No link to complete the upload.
    NoComplete,
    /// Two links carry only the upload id, and nothing says which completes and which aborts.
    UnclearFinishers,
    /// A part's number is given twice.
    DuplicatePart(u32),
    /// A part's number is outside 1 to 10,000.
    PartNumberOutOfRange(u32),
    /// More parts than S3 allows.
    TooManyParts(usize),
    /// The number stated beside a link is not the one the link carries.
    NumberDiffers {
        /// The number stated.
        stated: u32,
        /// The number in the link.
        in_link: u32,
    },
    /// A link carries no upload id, or another upload's.
    OtherUpload {
        /// Which link.
        which: String,
    },
    /// A link is for another object (host or path) than the first part's.
    OtherObject {
        /// Which link.
        which: String,
    },
}

impl std::fmt::Display for SetProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            SetProblem::BadLink { which, error } => fill(
                T::PartsBadLink,
                &[("which", which), ("reason", &error.to_string())],
            ),
            SetProblem::NoParts => crate::text::tr(T::PartsNoParts).to_owned(),
            SetProblem::NoComplete => crate::text::tr(T::PartsNoComplete).to_owned(),
            SetProblem::UnclearFinishers => crate::text::tr(T::PartsUnclearFinishers).to_owned(),
            SetProblem::DuplicatePart(n) => fill(T::PartsDuplicate, &[("number", &n.to_string())]),
            SetProblem::PartNumberOutOfRange(n) => {
                fill(T::PartsNumberOutOfRange, &[("number", &n.to_string())])
            }
            SetProblem::TooManyParts(n) => fill(
                T::PartsTooMany,
                &[("count", &n.to_string()), ("max", &MAX_PARTS.to_string())],
            ),
            SetProblem::NumberDiffers { stated, in_link } => fill(
                T::PartsNumberDiffers,
                &[
                    ("stated", &stated.to_string()),
                    ("in_link", &in_link.to_string()),
                ],
            ),
            SetProblem::OtherUpload { which } => fill(T::PartsOtherUpload, &[("which", which)]),
            SetProblem::OtherObject { which } => fill(T::PartsOtherObject, &[("which", which)]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for SetProblem {}

/// How a file is cut into the set's parts: every part `part_size` long but the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Layout {
    /// Bytes of every part but the last.
    pub part_size: u64,
    /// Parts in all.
    pub count: u32,
    /// Bytes of the last part.
    pub last_size: u64,
}

impl Layout {
    /// Where part `index` (0-based, in part order) starts in the file, and its length.
    pub fn span(&self, index: u32) -> (u64, u64) {
        let start = u64::from(index) * self.part_size;
        let len = if index + 1 == self.count {
            self.last_size
        } else {
            self.part_size
        };
        (start, len)
    }
}

/// Why a file cannot be cut into a set's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutProblem {
    /// The parts would be smaller than S3 takes: the file fits at most `most` parts.
    PartsTooSmall {
        /// Parts in the set.
        count: u32,
        /// Bytes each would carry.
        each: u64,
        /// The most parts this file can have.
        most: u64,
    },
    /// The parts would be larger than S3 takes: the file needs at least `least` parts.
    PartsTooLarge {
        /// Parts in the set.
        count: u32,
        /// Bytes each would carry.
        each: u64,
        /// The fewest parts this file can have.
        least: u64,
    },
    /// The part size the back end stated cuts the file into another number of parts.
    SizeDoesNotFit {
        /// Parts in the set.
        count: u32,
        /// The stated part size.
        part_size: u64,
        /// Parts that size gives for this file.
        needs: u64,
    },
}

impl std::fmt::Display for LayoutProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = crate::format::bytes;
        let text = match *self {
            LayoutProblem::PartsTooSmall { count, each, most } => fill(
                T::PartsTooSmall,
                &[
                    ("count", &count.to_string()),
                    ("each", &bytes(each)),
                    ("min", &bytes(MIN_PART_BYTES)),
                    ("most", &most.to_string()),
                ],
            ),
            LayoutProblem::PartsTooLarge { count, each, least } => fill(
                T::PartsTooLarge,
                &[
                    ("count", &count.to_string()),
                    ("each", &bytes(each)),
                    ("max", &bytes(MAX_PART_BYTES)),
                    ("least", &least.to_string()),
                ],
            ),
            LayoutProblem::SizeDoesNotFit {
                count,
                part_size,
                needs,
            } => fill(
                T::PartsSizeDoesNotFit,
                &[
                    ("count", &count.to_string()),
                    ("size", &bytes(part_size)),
                    ("needs", &needs.to_string()),
                ],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for LayoutProblem {}

/// How `len` bytes are cut into `count` parts: `part_size` when the back end stated one,
/// otherwise the whole MiB (or, failing that, the byte count) that gives exactly `count`.
pub fn layout(len: u64, count: u32, part_size: Option<u64>) -> Result<Layout, LayoutProblem> {
    let count = count.max(1);
    if count == 1 && part_size.is_none() {
        if len > MAX_PART_BYTES {
            return Err(LayoutProblem::PartsTooLarge {
                count,
                each: len,
                least: len.div_ceil(MAX_PART_BYTES),
            });
        }
        return Ok(Layout {
            part_size: len,
            count,
            last_size: len,
        });
    }
    let parts_of = |size: u64| len.div_ceil(size.max(1)).max(1);
    let size = match part_size {
        Some(size) => {
            let needs = parts_of(size);
            if needs != u64::from(count) {
                return Err(LayoutProblem::SizeDoesNotFit {
                    count,
                    part_size: size,
                    needs,
                });
            }
            size
        }
        None => {
            // Any size from the exact share up gives `count` parts while the parts still
            // reach the last byte: a whole MiB at least the minimum reads best.
            const MIB: u64 = 1024 * 1024;
            let exact = len.div_ceil(u64::from(count)).max(1);
            let least = exact.max(MIN_PART_BYTES);
            [least.div_ceil(MIB) * MIB, least]
                .into_iter()
                .find(|size| parts_of(*size) == u64::from(count))
                .unwrap_or(exact)
        }
    };
    if count > 1 && size < MIN_PART_BYTES {
        return Err(LayoutProblem::PartsTooSmall {
            count,
            each: size,
            // Every part but the last at least the minimum: the last holds at least a byte.
            most: len.saturating_sub(1) / MIN_PART_BYTES + 1,
        });
    }
    if size > MAX_PART_BYTES || parts_of(size) != u64::from(count) {
        return Err(LayoutProblem::PartsTooLarge {
            count,
            each: size,
            least: parts_of(MAX_PART_BYTES),
        });
    }
    let last_size = len - size * (u64::from(count) - 1);
    Ok(Layout {
        part_size: size,
        count,
        last_size,
    })
}

/// A link found in the text, with what was said about it.
#[derive(Debug, Clone)]
struct Found {
    url: String,
    /// The part number stated beside it (JSON), if any.
    number: Option<u32>,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A part, or a link whose role its query says.
    Unsaid,
    Complete,
    Abort,
}

/// What the text held, before the links are read.
#[derive(Debug, Default)]
struct Draft {
    links: Vec<Found>,
    upload_id: Option<String>,
    part_size: Option<u64>,
}

impl PartsSet {
    /// Reads a multipart set from `text`: `None` when the text is no set (a single link, a
    /// form), otherwise the set or why it cannot be used.
    pub fn parse(text: &str) -> Option<Result<PartsSet, SetProblem>> {
        let trimmed = text.trim();
        let (draft, shape) = match serde_json::from_str::<Value>(trimmed) {
            Ok(value) => (from_json(&value), SetShape::Json),
            Err(_) => (from_lines(trimmed), SetShape::Lines),
        };
        // A set: some link carries a part number, or the JSON names an upload id and links.
        let carries_part = draft
            .links
            .iter()
            .any(|l| query_param(&l.url, "partNumber").is_some());
        let names_upload = draft.upload_id.is_some() && !draft.links.is_empty();
        if !carries_part && !names_upload {
            return None;
        }
        Some(read(draft, shape))
    }

    /// The earliest expiry among the links.
    pub fn expires_at(&self) -> Option<jiff::Timestamp> {
        self.parts
            .iter()
            .map(|p| &p.link)
            .chain([&self.complete])
            .filter_map(|l| l.expires_at)
            .min()
    }

    /// How `len` bytes are cut into this set's parts.
    pub fn layout(&self, len: u64) -> Result<Layout, LayoutProblem> {
        let count = u32::try_from(self.parts.len()).unwrap_or(u32::MAX);
        layout(len, count, self.part_size)
    }
}

fn read(draft: Draft, shape: SetShape) -> Result<PartsSet, SetProblem> {
    let parse = |url: &str, which: String| {
        PresignedLink::parse(url).map_err(|error| SetProblem::BadLink { which, error })
    };
    let mut parts = Vec::new();
    let mut complete = None;
    let mut abort = None;
    let mut unsaid_finishers = Vec::new();
    for (position, found) in draft.links.iter().enumerate() {
        let in_link = query_param(&found.url, "partNumber").and_then(|n| n.parse::<u32>().ok());
        let x_id = query_param(&found.url, "x-id");
        let role = match (found.role, x_id.as_deref()) {
            (Role::Unsaid, Some("CompleteMultipartUpload")) => Role::Complete,
            (Role::Unsaid, Some("AbortMultipartUpload")) => Role::Abort,
            (role, _) => role,
        };
        match role {
            Role::Complete => complete = Some(parse(&found.url, tr_which(T::PartsWhichComplete))?),
            Role::Abort => abort = Some(parse(&found.url, tr_which(T::PartsWhichAbort))?),
            Role::Unsaid if in_link.is_none() && found.number.is_none() => {
                unsaid_finishers.push(found.url.clone());
            }
            Role::Unsaid => {
                let number = match (found.number, in_link) {
                    (Some(stated), Some(in_link)) if stated != in_link => {
                        return Err(SetProblem::NumberDiffers { stated, in_link });
                    }
                    (Some(n), _) | (None, Some(n)) => n,
                    (None, None) => u32::try_from(position + 1).unwrap_or(u32::MAX),
                };
                let which = part_which(number);
                parts.push(PartLink {
                    number,
                    link: parse(&found.url, which)?,
                });
            }
        }
    }
    // Links with only the upload id: the complete link, then perhaps the abort link, when
    // nothing else said which is which.
    match (unsaid_finishers.as_slice(), &complete, &abort) {
        ([], _, _) => {}
        ([one], None, _) => complete = Some(parse(one, tr_which(T::PartsWhichComplete))?),
        ([one], Some(_), None) => abort = Some(parse(one, tr_which(T::PartsWhichAbort))?),
        _ => return Err(SetProblem::UnclearFinishers),
    }
    if parts.is_empty() {
        return Err(SetProblem::NoParts);
    }
    if parts.len() > MAX_PARTS as usize {
        return Err(SetProblem::TooManyParts(parts.len()));
    }
    parts.sort_by_key(|p| p.number);
    for pair in parts.windows(2) {
        if pair[0].number == pair[1].number {
            return Err(SetProblem::DuplicatePart(pair[0].number));
        }
    }
    if let Some(bad) = parts.iter().find(|p| p.number == 0 || p.number > MAX_PARTS) {
        return Err(SetProblem::PartNumberOutOfRange(bad.number));
    }
    let complete = complete.ok_or(SetProblem::NoComplete)?;
    let upload_id = draft
        .upload_id
        .or_else(|| parts[0].link.upload_id.clone())
        .unwrap_or_default();
    let object = object_of(&parts[0].link);
    let finishers = [
        (tr_which(T::PartsWhichComplete), Some(&complete)),
        (tr_which(T::PartsWhichAbort), abort.as_ref()),
    ];
    let every = parts
        .iter()
        .map(|p| (part_which(p.number), Some(&p.link)))
        .chain(finishers);
    for (which, link) in every {
        let Some(link) = link else { continue };
        if link.upload_id.as_deref() != Some(upload_id.as_str()) || upload_id.is_empty() {
            return Err(SetProblem::OtherUpload { which });
        }
        if object_of(link) != object {
            return Err(SetProblem::OtherObject { which });
        }
    }
    Ok(PartsSet {
        upload_id,
        parts,
        complete,
        abort,
        part_size: draft.part_size,
        shape,
    })
}

fn tr_which(id: T) -> String {
    crate::text::tr(id).to_owned()
}

fn part_which(number: u32) -> String {
    fill(T::PartsWhichPart, &[("number", &number.to_string())])
}

/// The object a link is for: its address before the query.
fn object_of(link: &PresignedLink) -> String {
    link.raw().before_query().to_ascii_lowercase()
}

/// A query parameter of `url`, decoded; `None` when the URL cannot be split.
fn query_param(url: &str, name: &str) -> Option<String> {
    super::RawUrl::split(url).ok()?.param(name)
}

/// Links one a line, with words around them; a line's words say what its link is for when
/// the link does not ("Complete: https://...").
fn from_lines(text: &str) -> Draft {
    let mut draft = Draft::default();
    for line in text.lines() {
        let lower = line.to_lowercase();
        for word in line.split_whitespace() {
            let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
                continue;
            };
            let url = word[start..].trim_end_matches(['"', '\'', ',', ';', '>', ')', ']', '}']);
            let before = lower.split("http").next().unwrap_or_default();
            let role = if ["abort", "cancel", "中止"]
                .iter()
                .any(|w| before.contains(w))
            {
                Role::Abort
            } else if ["complete", "finish", "完了"]
                .iter()
                .any(|w| before.contains(w))
            {
                Role::Complete
            } else {
                Role::Unsaid
            };
            draft.links.push(Found {
                url: url.replace("&amp;", "&"),
                number: None,
                role,
            });
        }
    }
    draft
}

/// A field name as its meaning: lowercase, without `_`, `-` or spaces.
fn meaning(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_url(value: &Value) -> Option<&str> {
    value
        .as_str()
        .map(str::trim)
        .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
}

fn number_of(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// A URL held by `value`: the string itself, or an object's field that names a link.
fn url_in(value: &Value) -> Option<&str> {
    if let Some(url) = is_url(value) {
        return Some(url);
    }
    let object = value.as_object()?;
    object
        .iter()
        .filter(|(name, _)| {
            let m = meaning(name);
            ["url", "link", "href", "signed", "presigned"]
                .iter()
                .any(|w| m.contains(w))
        })
        .find_map(|(_, v)| is_url(v))
}

fn from_json(value: &Value) -> Draft {
    let mut draft = Draft::default();
    walk(value, &mut draft, 0);
    draft
}

fn walk(value: &Value, draft: &mut Draft, depth: u32) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Object(object) => {
            for (name, field) in object {
                let m = meaning(name);
                if m == "uploadid" {
                    if let Some(id) = field.as_str() {
                        draft.upload_id.get_or_insert_with(|| id.to_owned());
                    }
                } else if ["partsize", "chunksize", "partsizebytes", "chunksizebytes"]
                    .contains(&m.as_str())
                {
                    if let Some(size) = number_of(field) {
                        draft.part_size.get_or_insert(size);
                    }
                } else if let Some(role) = finisher(&m) {
                    if let Some(url) = url_in(field) {
                        draft.links.push(Found {
                            url: url.to_owned(),
                            number: None,
                            role,
                        });
                    } else {
                        walk(field, draft, depth + 1);
                    }
                } else if let Value::Array(items) = field {
                    parts_from(items, draft, depth);
                } else {
                    walk(field, draft, depth + 1);
                }
            }
        }
        Value::Array(items) => parts_from(items, draft, depth),
        _ => {}
    }
}

/// `complete_url`, `completeUrl`, `finish`, `abort_url`, `cancel`...
fn finisher(meaning: &str) -> Option<Role> {
    if meaning.contains("abort") || meaning.contains("cancel") {
        Some(Role::Abort)
    } else if meaning.contains("complete") || meaning.contains("finish") {
        Some(Role::Complete)
    } else {
        None
    }
}

/// An array of part links: strings, or objects with a link and perhaps a number.
fn parts_from(items: &[Value], draft: &mut Draft, depth: u32) {
    for item in items {
        let Some(url) = url_in(item) else {
            walk(item, draft, depth + 1);
            continue;
        };
        let number = item.as_object().and_then(|object| {
            object
                .iter()
                .find(|(name, _)| {
                    [
                        "partnumber",
                        "part",
                        "number",
                        "partno",
                        "partnum",
                        "num",
                        "n",
                    ]
                    .contains(&meaning(name).as_str())
                })
                .and_then(|(_, v)| number_of(v))
                .and_then(|n| u32::try_from(n).ok())
        });
        draft.links.push(Found {
            url: url.to_owned(),
            number,
            role: Role::Unsaid,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;

    fn part(n: u32) -> String {
        format!(
            "https://b.s3.amazonaws.com/big.bin?partNumber={n}&uploadId=UP1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261207T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=ab{n}"
        )
    }

    fn finisher_link(extra: &str) -> String {
        format!(
            "https://b.s3.amazonaws.com/big.bin?uploadId=UP1{extra}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261207T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=cd"
        )
    }

    #[test]
    fn azure_blocks_are_8_mib_until_a_file_needs_larger_ones_to_fit_50000() {
        for len in [
            1,
            64 * MIB,
            100 * MIB + 3,
            6 * 1024 * MIB,
            400 * 1024 * MIB,
            10 * 1024 * 1024 * MIB,
        ] {
            let layout = azure_blocks(len);
            assert!(u64::from(layout.count) <= AZURE_MAX_BLOCKS, "{len}");
            assert!(layout.part_size <= AZURE_MAX_BLOCK_BYTES, "{len}");
            assert!(
                layout.last_size > 0 && layout.last_size <= layout.part_size,
                "{len}"
            );
            let (start, last) = layout.span(layout.count - 1);
            assert_eq!(
                start + last,
                len,
                "the blocks cover the file exactly: {len}"
            );
        }
        assert_eq!(azure_blocks(100 * MIB).part_size, 8 * MIB);
        assert_eq!(azure_blocks(100 * MIB).count, 13);
        // 400 GiB in 8 MiB blocks would be 51,200: the blocks grow to 9 MiB.
        assert_eq!(azure_blocks(400 * 1024 * MIB).part_size, 9 * MIB);
    }

    #[test]
    fn gcs_chunks_are_multiples_of_256_kib_but_the_last() {
        for len in [0, 1, GCS_CHUNK_BYTES, GCS_CHUNK_BYTES + 1, 100 * MIB + 7] {
            let layout = gcs_chunks(len);
            if layout.count > 1 {
                assert_eq!(layout.part_size % GCS_CHUNK_UNIT_BYTES, 0);
            }
            let (start, last) = layout.span(layout.count - 1);
            assert_eq!(start + last, len, "{len}");
        }
        assert_eq!(gcs_chunks(100 * MIB).count, 13);
    }

    #[test]
    fn block_requests_keep_the_link_as_signed_and_ids_of_one_length() {
        let link = "https://acct.blob.core.windows.net/box/big.bin?sv=2022-11-02&sp=rw&sr=b&se=2026-12-08T00%3A00%3A00Z&sig=a%2Bb%3D";
        let url = azure_block_url(link, 7);
        assert!(url.starts_with(link), "the signed link is untouched: {url}");
        assert!(url.ends_with("&comp=block&blockid=MDAwMDA3"));
        assert_eq!(azure_block_list_url(link), format!("{link}&comp=blocklist"));
        let ids: Vec<String> = [1, 99, 50_000].map(azure_block_id).into();
        assert!(ids.iter().all(|id| id.len() == ids[0].len()));
        let body = azure_block_list_body(3);
        assert_eq!(body.matches("<Latest>").count(), 3);
        assert!(body.contains("<Latest>MDAwMDAx</Latest><Latest>MDAwMDAy</Latest>"));
    }

    #[test]
    fn every_shape_a_back_end_hands_out_gives_the_same_set() {
        let lines = format!(
            "{}\n{}\n{}\n{}\n",
            part(1),
            part(2),
            part(3),
            finisher_link("")
        );
        let labelled = format!(
            "Your upload links:\nPart 1: {}\nPart 2: {}\nPart 3: {}\nTo finish: {}\nTo cancel: {}\n",
            part(1),
            part(2),
            part(3),
            finisher_link(""),
            finisher_link("&x-id=AbortMultipartUpload")
        );
        let listed: Vec<Value> = [3, 1, 2]
            .map(|n| serde_json::json!({"partNumber": n, "url": part(n)}))
            .into();
        let camel = serde_json::json!({
            "uploadId": "UP1", "key": "big.bin",
            "parts": listed,
            "complete": finisher_link(""),
        })
        .to_string();
        let snake = serde_json::json!({
            "data": {"upload_id": "UP1", "part_size": 8 * MIB,
            "urls": [part(1), part(2), part(3)],
            "complete_url": finisher_link(""), "abort_url": finisher_link("")}
        })
        .to_string();
        for (text, shape, abort) in [
            (lines, SetShape::Lines, false),
            (labelled, SetShape::Lines, true),
            (camel, SetShape::Json, false),
            (snake, SetShape::Json, true),
        ] {
            let set = PartsSet::parse(&text).expect("a set").expect(&text);
            assert_eq!(set.shape, shape);
            assert_eq!(set.upload_id, "UP1");
            let numbers: Vec<u32> = set.parts.iter().map(|p| p.number).collect();
            assert_eq!(numbers, [1, 2, 3], "{text}");
            for p in &set.parts {
                assert_eq!(
                    p.link.part_number.as_deref(),
                    Some(p.number.to_string().as_str())
                );
            }
            assert_eq!(set.complete.part_number, None);
            assert_eq!(set.abort.is_some(), abort, "{text}");
        }
    }

    #[test]
    fn a_single_link_or_a_form_is_no_set() {
        assert!(PartsSet::parse(&finisher_link("").replace("uploadId=UP1&", "")).is_none());
        assert!(
            PartsSet::parse(r#"{"url":"https://b.s3.amazonaws.com/","fields":{"key":"k"}}"#)
                .is_none()
        );
        assert!(PartsSet::parse("hello").is_none());
    }

    #[test]
    fn a_set_that_cannot_be_one_upload_is_refused_before_anything_is_sent() {
        let p = |n| part(n);
        let other_upload = p(2).replace("uploadId=UP1", "uploadId=UP2");
        let other_object = p(2).replace("big.bin", "other.bin");
        let cases: Vec<(String, SetProblem)> = vec![
            (format!("{}\n{}", p(1), p(2)), SetProblem::NoComplete),
            (
                format!("{}\n{}\n{}", p(1), finisher_link(""), finisher_link("")),
                SetProblem::UnclearFinishers,
            ),
            (
                format!("{}\n{}\n{}", p(1), p(1), finisher_link("")),
                SetProblem::DuplicatePart(1),
            ),
            (
                format!("{}\n{}\n{}", p(1), other_upload, finisher_link("")),
                SetProblem::OtherUpload {
                    which: part_which(2),
                },
            ),
            (
                format!("{}\n{}\n{}", p(1), other_object, finisher_link("")),
                SetProblem::OtherObject {
                    which: part_which(2),
                },
            ),
            (
                serde_json::json!({"uploadId": "UP1", "parts": [{"partNumber": 2, "url": p(1)}], "complete": finisher_link("")}).to_string(),
                SetProblem::NumberDiffers { stated: 2, in_link: 1 },
            ),
            (
                format!("{}\n{}", p(10_001), finisher_link("")),
                SetProblem::PartNumberOutOfRange(10_001),
            ),
        ];
        for (text, problem) in cases {
            assert_eq!(PartsSet::parse(&text), Some(Err(problem)), "{text}");
        }
    }

    #[test]
    fn a_file_is_cut_into_equal_parts_of_at_least_five_mib_but_the_last() {
        // (file, parts, stated size) → (part size, last part).
        let fits = [
            (2048 * MIB, 8, None, 256 * MIB, 256 * MIB),
            (
                2048 * MIB,
                400,
                None,
                5_368_710,
                2048 * MIB - 399 * 5_368_710,
            ),
            (100 * MIB + 1, 3, Some(50 * MIB), 50 * MIB, 1),
            (12, 1, None, 12, 12),
            (0, 1, None, 0, 0),
            (10 * MIB, 2, None, 5 * MIB, 5 * MIB),
            // Three parts for 12 MiB: 5, 5 and the rest (equal shares would be under 5 MiB).
            (12 * MIB + 5, 3, None, 5 * MIB, 2 * MIB + 5),
        ];
        for (len, count, size, part_size, last_size) in fits {
            let l = layout(len, count, size).unwrap();
            assert_eq!(
                (l.part_size, l.last_size, l.count),
                (part_size, last_size, count)
            );
            let (start, last) = l.span(count - 1);
            assert_eq!(start + last, len);
        }
        assert_eq!(
            layout(30 * MIB, 20, None),
            Err(LayoutProblem::PartsTooSmall {
                count: 20,
                each: 3 * MIB / 2,
                most: 6
            })
        );
        assert_eq!(
            layout(100 * MIB, 2, Some(8 * MIB)),
            Err(LayoutProblem::SizeDoesNotFit {
                count: 2,
                part_size: 8 * MIB,
                needs: 13
            })
        );
        assert!(matches!(
            layout(12 * 1024 * MIB, 2, None),
            Err(LayoutProblem::PartsTooLarge { least: 3, .. })
        ));
    }
}
