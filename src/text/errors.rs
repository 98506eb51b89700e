//! What each error code a storage server returns means, keyed by the code itself (the stable
//! id). Part of the one text catalogue: a second language is a second table like these.

/// The plain-language texts of one error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorText {
    /// The code as the server sends it (`SignatureDoesNotMatch`), or `http-NNN` for a status.
    pub code: &'static str,
    /// One line, what happened.
    pub title: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// What the person uploading or downloading can do.
    pub action: &'static str,
    /// What to ask the link's creator for.
    pub ask: &'static str,
}

const fn e(
    code: &'static str,
    title: &'static str,
    meaning: &'static str,
    action: &'static str,
    ask: &'static str,
) -> ErrorText {
    ErrorText {
        code,
        title,
        meaning,
        action,
        ask,
    }
}

const NEW_LINK: &str = "A new link.";
const RETRY: &str = "Wait a moment and try again; PresignDesk can retry.";
const NOTHING: &str = "Nothing, unless it keeps happening.";

/// Amazon S3 and S3-compatible servers (R2, MinIO, Ceph...).
pub const S3: &[ErrorText] = &[
    e(
        "SignatureDoesNotMatch",
        "The server did not accept the link's signature",
        "What was sent differs from what the link was signed for: a header such as Content-Type, the method, or the link itself.",
        "Send the link exactly as given, with the Content-Type it was made for (often none).",
        "The exact Content-Type and method the link was made for, or a new link.",
    ),
    e(
        "AccessDenied",
        "The server refused access",
        "The link is valid in form, but the server will not allow this request: it expired, or whoever made it lacks the permission.",
        "Check the expiry shown in Link details.",
        "A new link, made by someone allowed to read or write this bucket (s3:GetObject or s3:PutObject).",
    ),
    e(
        "AuthorizationQueryParametersError",
        "The link's signature parameters are wrong for this server",
        "The link was signed for another region, or asks to stay valid longer than 7 days.",
        "Nothing can fix it on this side.",
        "A link signed for the bucket's region and valid 7 days or less.",
    ),
    e(
        "PermanentRedirect",
        "The bucket is at another address",
        "The bucket lives in another region than the one the link points to; a signed link cannot be redirected.",
        "Nothing can fix it on this side.",
        "A link that uses the bucket's regional address.",
    ),
    e(
        "TemporaryRedirect",
        "The bucket is temporarily at another address",
        "The bucket is new (up to 24 hours) and its name has not reached every server yet; a signed link cannot be redirected.",
        "Try again later, or ask for a link with the regional address.",
        "A link that uses the bucket's regional address (s3.REGION.amazonaws.com).",
    ),
    e(
        "InvalidRequest",
        "The server refused the request as malformed",
        "Often: the link uses the old signature version that this bucket or region no longer accepts, or the link is incomplete.",
        "Copy the whole link again.",
        "A link made with Signature Version 4.",
    ),
    e(
        "ExpiredToken",
        "The credentials behind the link have expired",
        "The link was signed with temporary credentials, and they ended before the link's own expiry.",
        "Nothing can fix it on this side.",
        "A new link, made with credentials that last as long as the link should.",
    ),
    e(
        "InvalidToken",
        "The credentials behind the link are not valid",
        "The security token in the link is malformed or was revoked.",
        "Copy the whole link again.",
        NEW_LINK,
    ),
    e(
        "TokenRefreshRequired",
        "The credentials behind the link must be renewed",
        "The temporary credentials used to sign the link need refreshing.",
        "Nothing can fix it on this side.",
        NEW_LINK,
    ),
    e(
        "NotImplemented",
        "The server does not support how the upload was sent",
        "Most often the file was sent in chunks without a total size (Transfer-Encoding: chunked), which S3 refuses.",
        "Upload with PresignDesk, which always sends the size.",
        NOTHING,
    ),
    e(
        "MissingContentLength",
        "The upload had no size",
        "The server needs a Content-Length header; the file was sent in chunks without one.",
        "Upload with PresignDesk, which always sends the size.",
        NOTHING,
    ),
    e(
        "EntityTooLarge",
        "The file is too large for one upload",
        "A single upload can be at most 5 GiB (or less if the link's creator set a limit).",
        "Split the file, or compress it.",
        "A multipart upload for large files.",
    ),
    e(
        "InvalidArgument",
        "The server refused one of the request's values",
        "Often: the request carried a second authentication (an Authorization header) beside the link's signature.",
        "Send the link without adding authentication headers.",
        NOTHING,
    ),
    e(
        "BadDigest",
        "The file's checksum does not match the one expected",
        "The link or the request carries a checksum that the file sent does not have.",
        "Make sure the file is the one the link was made for.",
        "A link made without a fixed checksum (newer AWS SDKs add one by default).",
    ),
    e(
        "InvalidDigest",
        "The checksum sent is not valid",
        "A checksum in the request or the link is malformed.",
        "Nothing can fix it on this side.",
        "A link made without a fixed checksum (newer AWS SDKs add one by default).",
    ),
    e(
        "XAmzContentChecksumMismatch",
        "The file's checksum does not match the link's",
        "The link carries a checksum computed for other content (often an empty file).",
        "Nothing can fix it on this side.",
        "A link made with checksums only when required.",
    ),
    e(
        "NoSuchKey",
        "There is no file at this key",
        "The bucket exists but holds nothing under this name.",
        "Check the name; the file may not be uploaded yet.",
        "The right link, or the file to be uploaded first.",
    ),
    e(
        "NoSuchBucket",
        "The bucket does not exist",
        "No bucket has this name at this address.",
        "Check that the whole link was copied.",
        "A link to an existing bucket.",
    ),
    e(
        "InvalidAccessKeyId",
        "The key that signed the link does not exist",
        "The access key was deleted or disabled, or belongs to another service.",
        "Nothing can fix it on this side.",
        "A new link made with an active access key.",
    ),
    e(
        "RequestTimeTooSkewed",
        "The clocks disagree too much",
        "This computer's clock and the server's differ by more than 15 minutes.",
        "Set this computer's clock right (automatic time), then try again.",
        "Nothing, unless the link was made on a computer with a wrong clock.",
    ),
    e(
        "SlowDown",
        "The server asks to slow down",
        "The server is busy with too many requests.",
        RETRY,
        NOTHING,
    ),
    e(
        "InternalError",
        "The server had an internal error",
        "A problem on the server's side, usually passing.",
        RETRY,
        NOTHING,
    ),
    e(
        "ServiceUnavailable",
        "The service is unavailable",
        "The server cannot take requests right now.",
        RETRY,
        NOTHING,
    ),
    e(
        "RequestTimeout",
        "The connection was idle too long",
        "The server waited too long for data and closed the request.",
        RETRY,
        NOTHING,
    ),
    e(
        "IncompleteBody",
        "Fewer bytes arrived than announced",
        "The connection broke or the file changed while it was sent.",
        RETRY,
        NOTHING,
    ),
    e(
        "PreconditionFailed",
        "A condition of the request was not met",
        "The file on the server changed, or a condition signed into the link does not hold.",
        "Try again from the start.",
        "A new link if it keeps happening.",
    ),
    e(
        "InvalidRange",
        "The requested part of the file does not exist",
        "The range asked for lies beyond the end of the file.",
        "Download the whole file.",
        NOTHING,
    ),
    e(
        "MethodNotAllowed",
        "This operation is not allowed here",
        "The method is not allowed on this resource.",
        "Check whether the link is for upload or download.",
        "A link made for the operation you need.",
    ),
    e(
        "KeyTooLongError",
        "The file name is too long",
        "The object key is longer than the server accepts (1024 bytes).",
        "Nothing can fix it on this side.",
        "A link with a shorter key.",
    ),
    e(
        "AuthorizationHeaderMalformed",
        "The authorization is malformed",
        "The signing information does not fit this server (often the region).",
        "Nothing can fix it on this side.",
        "A link signed for the bucket's region.",
    ),
    e(
        "ExpiredRequest",
        "The link has expired",
        "The link's validity period is over (Cloudflare R2).",
        "Nothing can fix it on this side.",
        NEW_LINK,
    ),
];

/// Google Cloud Storage (XML API), where it differs from S3.
pub const GCS: &[ErrorText] = &[
    e(
        "ExpiredToken",
        "The link has expired",
        "The signed URL's validity period is over.",
        "Nothing can fix it on this side.",
        NEW_LINK,
    ),
    e(
        "MalformedSecurityHeader",
        "A signed header is missing or malformed",
        "The request lacks a header the link's signature requires, or has it in the wrong form.",
        "Send the headers the link was signed with (see Link details).",
        "The headers and values the link was made for.",
    ),
];

/// Azure Blob Storage.
pub const AZURE: &[ErrorText] = &[
    e(
        "AuthenticationFailed",
        "The server did not accept the link's signature",
        "The SAS token is not valid for this request: it expired, was altered, or does not cover it.",
        "Check the expiry in Link details and copy the whole link again.",
        NEW_LINK,
    ),
    e(
        "AuthorizationPermissionMismatch",
        "The link does not allow this operation",
        "The SAS permissions do not include what was attempted (read or write).",
        "Check whether the link is for upload or download.",
        "A link with the permission needed (r to download, w or c to upload).",
    ),
    e(
        "AuthorizationResourceTypeMismatch",
        "The link is for another kind of resource",
        "The SAS token is for a container or service, not this blob, or the reverse.",
        "Nothing can fix it on this side.",
        "A SAS link for this blob.",
    ),
    e(
        "AuthorizationServiceMismatch",
        "The link is for another Azure service",
        "The SAS token does not cover Blob Storage.",
        "Nothing can fix it on this side.",
        "A Blob SAS link.",
    ),
    e(
        "AuthorizationSourceIPMismatch",
        "The link may not be used from this network",
        "The SAS token only allows certain IP addresses.",
        "Try from the network the link was made for.",
        "A link that allows your network's address.",
    ),
    e(
        "AuthorizationProtocolMismatch",
        "The link requires HTTPS",
        "The SAS token only allows HTTPS and the request used HTTP.",
        "Use the https:// form of the link.",
        NOTHING,
    ),
    e(
        "AuthorizationFailure",
        "The server refused access",
        "The request is not authorised (policy, network rules or a disabled account).",
        "Nothing can fix it on this side.",
        "Access from the storage account's owner.",
    ),
    e(
        "MissingRequiredHeader",
        "A required header is missing",
        "Azure needs x-ms-blob-type: BlockBlob on an upload.",
        "Upload with PresignDesk, which sends it.",
        NOTHING,
    ),
    e(
        "BlobNotFound",
        "There is no file at this name",
        "The container holds nothing under this name.",
        "Check the name; the file may not be uploaded yet.",
        "The right link.",
    ),
    e(
        "ContainerNotFound",
        "The container does not exist",
        "No container has this name in the account.",
        "Check that the whole link was copied.",
        "A link to an existing container.",
    ),
    e(
        "InvalidHeaderValue",
        "A header value is not accepted",
        "One of the request's headers has a value Azure refuses.",
        "Nothing can fix it on this side.",
        NOTHING,
    ),
    e(
        "RequestBodyTooLarge",
        "The file is too large for one upload",
        "A single blob upload has a size limit.",
        "Split the file, or compress it.",
        "A link for a block-by-block upload.",
    ),
    e(
        "ServerBusy",
        "The server is busy",
        "Azure is throttling requests.",
        RETRY,
        NOTHING,
    ),
    e(
        "OperationTimedOut",
        "The operation timed out",
        "The server could not finish in time.",
        RETRY,
        NOTHING,
    ),
    e(
        "InternalError",
        "The server had an internal error",
        "A problem on Azure's side, usually passing.",
        RETRY,
        NOTHING,
    ),
];

/// When the code is unknown or absent: by HTTP status class.
pub const BY_STATUS: &[ErrorText] = &[
    e(
        "http-400",
        "The server refused the request as malformed",
        "The request was not understood.",
        "Copy the whole link again.",
        NEW_LINK,
    ),
    e(
        "http-401",
        "The server asks for authentication",
        "The link's signature was not accepted.",
        "Copy the whole link again.",
        NEW_LINK,
    ),
    e(
        "http-403",
        "The server refused access",
        "The link expired, was altered, or its creator lacks permission.",
        "Check the expiry shown in Link details.",
        NEW_LINK,
    ),
    e(
        "http-404",
        "Nothing was found at this address",
        "The bucket or the file does not exist.",
        "Check that the whole link was copied.",
        "The right link.",
    ),
    e(
        "http-405",
        "This operation is not allowed here",
        "The method is not allowed on this resource.",
        "Check whether the link is for upload or download.",
        "A link made for the operation you need.",
    ),
    e(
        "http-3xx",
        "The server points elsewhere",
        "The server answered with a redirect; a signed link cannot follow it.",
        "Nothing can fix it on this side.",
        "A link with the address the server points to.",
    ),
    e(
        "http-411",
        "The upload had no size",
        "The server needs a Content-Length header.",
        "Upload with PresignDesk, which always sends the size.",
        NOTHING,
    ),
    e(
        "http-413",
        "The file is too large",
        "The server refuses uploads of this size.",
        "Split the file, or compress it.",
        "A way to upload large files.",
    ),
    e(
        "http-4xx",
        "The server refused the request",
        "The request was not accepted.",
        "Check the link and the file.",
        NEW_LINK,
    ),
    e(
        "http-5xx",
        "The server had a problem",
        "An error on the server's side, usually passing.",
        RETRY,
        NOTHING,
    ),
    e(
        "http-other",
        "The server gave an unexpected answer",
        "The answer was not a success.",
        "Try again.",
        NOTHING,
    ),
];

/// The texts for `code` from the tables of the provider family, then S3's.
pub fn for_code(family: Family, code: &str) -> Option<&'static ErrorText> {
    let own: &[ErrorText] = match family {
        Family::Gcs => GCS,
        Family::Azure => AZURE,
        Family::S3 => &[],
    };
    own.iter()
        .chain(if family == Family::Azure { &[][..] } else { S3 })
        .find(|t| t.code == code)
}

/// The texts for an HTTP status when no code is known.
pub fn for_status(status: u16) -> &'static ErrorText {
    let code = match status {
        300..=399 => "http-3xx".to_owned(),
        400 | 401 | 403 | 404 | 405 | 411 | 413 => format!("http-{status}"),
        402..=499 => "http-4xx".to_owned(),
        500..=599 => "http-5xx".to_owned(),
        _ => "http-other".to_owned(),
    };
    BY_STATUS
        .iter()
        .find(|t| t.code == code)
        .unwrap_or(&BY_STATUS[BY_STATUS.len() - 1])
}

/// Which table of codes applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Amazon S3 and compatible servers.
    S3,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage.
    Azure,
}
