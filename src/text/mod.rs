//! Every text a person reads, in one catalogue keyed by stable ids.
//!
//! [`T`] holds the interface texts; [`errors`] the explanations of server error codes.
//!
//! The UI and the CLI never hold user-facing literals: they name a [`T`] and fill its
//! `{placeholders}`. A second language is a second column here.

pub mod errors;

macro_rules! catalogue {
    ($($id:ident => $en:expr,)*) => {
        /// The id of a user-facing text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum T { $(#[allow(missing_docs)] $id,)* }

        impl T {
            /// Every id, for checks over the whole catalogue.
            pub const ALL: &'static [T] = &[$(T::$id,)*];

            /// The English text.
            pub fn en(self) -> &'static str {
                match self { $(T::$id => $en,)* }
            }
        }
    };
}

catalogue! {
    AppTitle => "PresignDesk",
    LinkLabel => "Presigned link",
    LinkHint => "Paste the link you were given (https://…)",
    LinkEmpty => "Paste a presigned link to start.",
    LinkForUpload => "Upload link",
    LinkForDownload => "Download link",
    LinkForUnknown => "Link",
    LinkNotPresigned => "This link has no signature: it is not a presigned link, so the server will probably refuse it.",
    BucketKey => "bucket {bucket} · key {key}",
    ExpiresIn => "expires in {span} ({at})",
    ExpiredAgo => "expired {span} ago ({at})",
    NoExpiry => "no expiry in the link",
    ExpiredButtonReason => "This link has expired. Ask its creator for a new one.",
    SendAnyway => "Send it anyway (for testing)",
    ErrEmpty => "The link is empty.",
    ErrNotHttp => "A link starts with https:// (or http://).",
    ErrNoHost => "The link has no server name after https://.",
    ErrBrokenInside => "The link has a space or a line break inside it. Copy it again in one piece.",
    ModeUpload => "Upload a file",
    ModeDownload => "Download the file",
    FileLabel => "File to upload",
    FileHint => "Type a path, or choose a file",
    DropHint => "You can also drop a file anywhere on this window.",
    NoFileChosen => "Choose the file to upload.",
    ChooseFile => "Choose file…",
    DropHere => "Drop the file to upload it",
    NoDialog => "No file chooser could open on this system. Drop the file on this window or type its path.",
    NoFolderDialog => "No folder chooser could open on this system. Type the folder's path.",
    FileMissing => "No file at this path.",
    FileIsFolder => "This is a folder; choose a file.",
    FileSize => "{size}",
    ContentTypeLabel => "Content-Type",
    SendNoContentType => "Send no Content-Type",
    ContentTypeSigned => "The link's signature covers the Content-Type: it must be exactly the one the link was made with.",
    ContentTypeLegacy => "This older kind of link signs the Content-Type; most are made with none.",
    FolderLabel => "Save in folder",
    NoFileName => "Type a name for the file.",
    Checking => "Checking…",
    ChooseFolder => "Choose folder…",
    FileNameLabel => "File name",
    FolderMissing => "This folder does not exist.",
    DestinationExists => "{name} already exists in this folder.",
    Replace => "Replace it",
    KeepBoth => "Keep both",
    WillReplace => "The existing file will be replaced.",
    Upload => "Upload",
    Download => "Download",
    Cancel => "Cancel",
    Cancelling => "Cancelling…",
    TryAgain => "Try again",
    ProgressKnown => "{done} of {total} · {speed} · {eta} left",
    ProgressUnknown => "{done} · {speed}",
    Uploaded => "Uploaded {size} in {time}",
    Downloaded => "Downloaded {size} in {time}",
    SavedTo => "Saved to {path}",
    ServerRefused => "The server refused: HTTP {status} {code}",
    TransferFailed => "The transfer failed",
    CancelledUpload => "Cancelled. Nothing was stored: a server keeps no part of an unfinished upload.",
    CancelledDownload => "Cancelled. The partial download was removed.",
    Status => "HTTP status",
    ETag => "ETag",
    ContentLength => "Length",
    RequestId => "Request id",
    HostId => "Host id",
    VersionId => "Version id",
    ServerDate => "Server date",
    Location => "Redirect to",
    ServerMessage => "Message",
    BodyCode => "Code",
    ErrorDetails => "Everything the server said",
    RawBody => "Raw answer (secrets removed)",
    BodyEmpty => "The server sent no text with this status.",
    RequestSent => "Request that was sent",
    CopyRequest => "Copy request",
    CopyDetails => "Copy details",
    Copied => "Copied.",
    DetailsTitle => "Link details",
    FieldScheme => "Signature",
    FieldProvider => "Service",
    FieldHost => "Server",
    FieldAddressing => "Bucket in",
    FieldBucket => "Bucket",
    FieldKey => "Key",
    FieldRegion => "Region",
    FieldOperation => "Made for",
    FieldSignedAt => "Signed at",
    FieldExpiresAt => "Expires at",
    FieldTimeLeft => "Time left",
    FieldAccessKey => "Access key",
    FieldCredentials => "Credentials",
    FieldToken => "Security token",
    FieldSignedHeaders => "Signed headers",
    SchemeAwsV4 => "AWS Signature Version 4",
    SchemeAwsV2 => "AWS Signature Version 2 (legacy)",
    SchemeGcsV4 => "Google Cloud Storage V4",
    SchemeGcsV2 => "Google Cloud Storage V2 (legacy)",
    SchemeAzure => "Azure shared access signature",
    SchemeNone => "none: not a presigned link",
    ProviderAws => "Amazon S3",
    ProviderS3Compatible => "S3-compatible storage",
    ProviderGcs => "Google Cloud Storage",
    ProviderAzure => "Azure Blob Storage",
    ProviderUnknown => "not recognised",
    AddressingVirtual => "the server name (virtual-hosted style)",
    AddressingPath => "the path (path style)",
    BodyFrom => "(body: the file {path})",
    FieldKeyExpires => "Signing key expires",
    FieldPermissions => "Permissions",
    FieldChecksums => "Checksums",
    FieldPart => "Multipart part",
    FieldOverrides => "Response overrides",
    TokenPresent => "present ({len} characters, hidden)",
    TokenAbsent => "none",
    CredLongTerm => "long-term key (AKIA…)",
    CredTemporary => "temporary credentials: the link stops working when they end, even before its expiry",
    CredUnknown => "not known",
    None_ => "—",
    FindExpired => "This link expired {span} ago ({at}). It can no longer be used: ask its creator for a new one.",
    FindNotYetValid => "This link only becomes valid at {at}, {span} from now. Either this computer's clock is behind, or the link was made on a computer whose clock is ahead; the server refuses it until then.",
    FindExpiryTooLong => "The link asks to stay valid for {span} ({secs} seconds), but servers accept at most 7 days: it will be refused whatever the time. Ask for a link valid 7 days or less.",
    FindTemporaryCredentials => "The link was signed with temporary credentials. It stops working when they expire, which can be long before the time the link states: at most 6 hours for a server's role, at most 36 hours for other temporary sessions. If the server answers ExpiredToken, ask for a new link.",
    FindLegacySignature => "This link uses an older kind of signature. It signs the Content-Type, so an upload must send exactly the type the link was made with (often none), and newer buckets and regions refuse this kind of link.",
    FindContentTypeSigned => "The signature covers the Content-Type: an upload must send exactly the type the link was made with. The link does not say which; if the server answers SignatureDoesNotMatch, ask the creator which type they used.",
    FindSignedHeaders => "The request must carry these headers with exactly the values the link was made with: {headers}.",
    FindSdkChecksum => "The link carries checksum parameters that newer AWS SDKs add by default ({params}). The upload must match them, and many S3-compatible servers refuse such uploads. The fix is on the creator's side: sign with request checksums only when required.",
    FindSdkChecksumEmpty => "The link carries the checksum of an empty file ({params}), which newer AWS SDKs add by default: uploading any file with content will be refused. Ask the creator to sign with request checksums only when required (boto3: request_checksum_calculation=\"when_required\"; JS: requestChecksumCalculation: \"WHEN_REQUIRED\").",
    FindPlainHttp => "The link uses http:// without encryption: anyone on the network path can read it and reuse it until it expires.",
    FindPlainHttpLocal => "The link uses http:// to this computer (a local test server).",
    FindRegionMismatch => "The link was signed for the region {scope} but points to a server in {host}: the server will refuse it. Ask for a link whose address and signature use the same region.",
    FindGlobalEndpoint => "The link uses the global address (no region in the server name) but was signed for {region}. A bucket created in the last 24 hours can answer with a redirect that a presigned link cannot follow; if that happens, ask for a link with the regional address (s3.{region}.amazonaws.com).",
    FindDottedBucketTls => "The bucket name {bucket} has dots and stands in the server name over https: the server's certificate does not cover such names, so the connection may fail with a certificate error. A path-style link avoids it.",
    FindRepairedPaste => "The pasted text had {what}, which PresignDesk took out. The link itself is unchanged.",
    FindMissingParameters => "The link seems cut short: {params} missing. Copy the whole link again (it often ends with the signature).",
    FindNotPresigned => "This link has no signature: it is not a presigned link, so unless the file is public the server will refuse it.",
    FindOperationHint => "The link says it was made for {operation}.",
    FindMultipartPart => "This link uploads part {part} of a multipart upload: the file only appears once the link's creator completes the upload with all its parts.",
    FindAzureBlobType => "An upload to Azure Blob Storage needs the header x-ms-blob-type: BlockBlob; PresignDesk sends it.",
    FindAzurePermissions => "The link's permissions ({sp}) do not allow this operation: the server will refuse it. Ask for a link with the {needed} permission.",
    OperationUpload => "an upload (PUT)",
    OperationDownload => "a download (GET)",
    RepairWhitespace => "spaces or line breaks around it",
    RepairQuotes => "quotes around it",
    RepairBrackets => "angle brackets < > around it",
    RepairBreaks => "line breaks or spaces inside it",
    RepairAmp => "&amp; in place of &",
    FindingsTitle => "What this means",
    CopySummary => "Copy summary",
    CauseContentTypeMismatchTitle => "The Content-Type does not match the link",
    CauseContentTypeSent => "The link's signature covers the Content-Type, and {sent} was sent: the link was made with another type, or with none.",
    CauseContentTypeNone => "The link's signature covers the Content-Type, and none was sent: the link was made with a type ({guess} is the most likely).",
    CauseContentTypeReceived => "The server received the Content-Type {received}, but the link was signed with another one.",
    CauseMethodMismatchTitle => "The link was made for another operation",
    CauseMethodMismatch => "This link was made for {made_for}, but was used for {used}. Use it for what it was made for, or ask for a link for {used}.",
    CauseMethodMaybe => "The link may have been made for {other} rather than {used}: a link only works for the operation it was made for.",
    CauseUrlAlteredTitle => "The link was changed on the way",
    CauseUrlAltered => "The address the server checked differs from the link as signed ({what}). Copy the whole link again and send it unchanged.",
    CauseWrongSecretTitle => "The signature itself does not match",
    CauseWrongSecret => "If nothing sent differs from what the link asks for, the link was altered after signing or signed with a wrong secret key: ask for a new link.",
    CauseExpiredTitle => "The link has expired",
    CauseExpired => "The link expired {span} ago ({at}). Ask for a new one.",
    CauseExpiredPlain => "The link's validity period is over. Ask for a new one.",
    CauseClockSkewTitle => "This computer's clock is wrong",
    CauseClockSkew => "This computer's clock differs from the server's by {span}. Set the clock right (automatic time) and try again.",
    CauseTemporaryCredentialsTitle => "The credentials behind the link have expired",
    CauseTemporaryCredentials => "The link was signed with temporary credentials, which ended before the link's own expiry. Ask for a new link made with credentials that last as long as the link.",
    CauseWrongRegionTitle => "The link was signed for the wrong region",
    CauseWrongRegion => "The bucket is in {region}, but the link was signed for {signed}. Ask for a link signed for {region}.",
    CauseRedirectTitle => "The bucket is at another address",
    CauseRedirect => "The bucket must be reached at {endpoint}; a signed link cannot be redirected. Ask for a link with that address.",
    CauseLegacyUnsupportedTitle => "This bucket refuses the old kind of signature",
    CauseLegacyUnsupported => "The bucket only accepts Signature Version 4 (AWS4-HMAC-SHA256), and this link uses the old version 2. Ask for a link made with Signature Version 4.",
    CauseChunkedTitle => "The upload was sent without its size",
    CauseChunked => "The file was sent in chunks without a Content-Length, which the server refuses. PresignDesk always sends the size: upload with it.",
    CauseTooLargeTitle => "The file is too large for one upload",
    CauseTooLarge => "The file ({size}) is larger than the server accepts in one upload ({max}).",
    CauseSdkChecksumTitle => "The link carries a checksum the file does not have",
    CauseSdkChecksum => "The link carries a checksum ({params}) that this file cannot match; newer AWS SDKs add the checksum of an empty file by default. Ask the creator to sign with checksums only when required.",
    CauseUnsignedHeadersTitle => "Headers were sent that the link did not sign",
    CauseUnsignedHeaders => "The request carried headers that the link does not cover ({headers}). Send only the headers the link lists.",
    CauseTwoAuthTitle => "Two kinds of authentication were sent",
    CauseTwoAuth => "The request carried an Authorization header as well as the link's signature. Send the link without any other authentication.",
    CauseMissingBlobTypeTitle => "Azure needs the blob type",
    CauseMissingBlobType => "An upload to Azure needs the header x-ms-blob-type: BlockBlob, and it was missing. Upload with PresignDesk, which sends it.",
    CauseNotFoundTitle => "Nothing is there",
    CauseNotFound => "The server has nothing at {what}: the file or the bucket does not exist (yet).",
    CausePermissionTitle => "The link's creator is not allowed to do this",
    CausePermission => "The link is well formed, but whoever made it lacks the permission to {action} this file. Ask them to check their permissions (s3:PutObject to upload, s3:GetObject to download) or to make the link with another account.",
    CauseRetryableTitle => "The server had a passing problem",
    CauseRetryable => "The server answered {code}, a passing problem on its side: trying again usually works.",
    CauseExpiryTooLongTitle => "The link asks for too long a lifetime",
    CauseExpiryTooLong => "The link asks to stay valid for more than 7 days, which the server refuses whatever the time. Ask for a link valid 7 days or less.",
    ContentTypeNoneWord => "none",
    VerbUpload => "upload",
    VerbDownload => "download",
    FixWithoutContentType => "Send again without a Content-Type",
    FixWithContentType => "Send again with Content-Type {type}",
    WhatToDo => "What you can do",
    WhatToAsk => "What to ask the link's creator for",
    OtherCauses => "Other possible causes",
    CopyForCreator => "Copy message for the link's creator",
    ShowDetails => "Show details",
    CreatorMessage => "I tried to {verb} {target} with the link you sent me, and the server refused it.\nServer answer: HTTP {status} {code}{message}\nWhat went wrong: {title}. {explanation}\nWhat I need: {ask}\nRequest id: {request_id}\nLink (signature removed): {link}\n",
    ErrReadFile => "Could not read {path}: {reason}",
    ErrFileChanged => "{path} changed while it was being sent ({planned} bytes planned, {now} now). Nothing was stored.",
    ErrWriteFile => "Could not write {path}: {reason}",
    ErrDestinationExists => "{path} already exists. It was left as it was.",
    ErrConnect => "Could not connect to the server: {reason}",
    ErrNetwork => "The connection failed: {reason}",
    ErrTruncated => "The download stopped early: {received} of {expected} bytes arrived. Nothing was kept.",
    ErrCannotSendUnchanged => "This link cannot be sent unchanged: its path holds parts such as /./ or /../ that HTTP software rewrites.",
    ErrInvalidHeader => "The {name} value cannot be sent: it has a line break or a control character.",
    ErrStalled => "No data moved for {secs} seconds; the attempt was ended.",
    ErrTooLarge => "The file ({size}) is larger than one upload may be ({limit}). Nothing was sent.",
    ErrChecksumMismatch => "The link fixes a {algorithm} checksum ({expected}) that this file does not have ({actual}): the server would refuse it. Nothing was sent. Ask for a link made without a fixed checksum.",
    ErrDigestMismatch => "What arrived is not what was sent: the MD5 of {path} is {computed}, the server's is {server}.",
    ErrNoSpace => "Not enough free space: the download needs {needed}, the disk has {available}.",
    Verified => "Verified: {how}",
    CouldNotVerify => "Could not verify: {why}",
    VerificationOff => "Not verified (verification is off)",
    Md5Matches => "the MD5 {md5} matches the server's",
    NotMd5Encrypted => "the object is encrypted ({how}), so its ETag is not an MD5",
    NotMd5Multipart => "the ETag is that of a multipart upload, not an MD5",
    NotMd5Other => "the server's ETag is not an MD5",
    NoDigest => "the server sent no ETag or checksum",
    Retrying => "Attempt {attempt} of {max} in {delay}: {reason}",
    AttemptNumber => "attempt {attempt}",
    CliUploading => "Uploading {size} to {target}",
    CliDownloading => "Downloading {target}",
    CliUploaded => "uploaded {size} in {time} · HTTP {status} · ETag {etag} · request id {request_id}",
    CliDownloaded => "downloaded {size} in {time} to {path} · HTTP {status} · ETag {etag} · request id {request_id}",
    CliRefused => "refused: HTTP {status} {reason}",
    CliFailed => "failed: {reason}",
    CliCancelled => "cancelled",
    CliBadLink => "This is not a link PresignDesk can use: {reason}",
    CliNoFile => "Cannot upload {path}: {reason}",
    CliOutputExists => "{path} already exists. Choose another name with -o, or pass --overwrite to replace it.",
    CliNoBody => "Cannot read the error body from {path}: {reason}",
    CliBadNow => "--now takes a time like 2026-11-24T06:30:00Z, not {value}.",
    CliGuiFailed => "The window could not open: {reason}",
    CliRuntimeFailed => "Could not start: {reason}",
}

/// The text of `id` in the user's language.
pub fn tr(id: T) -> &'static str {
    id.en()
}

/// The text of `id` with each `{name}` replaced by its value.
pub fn fill(id: T, values: &[(&str, &str)]) -> String {
    let mut out = tr(id).to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_non_empty_and_filled_once() {
        for id in T::ALL {
            assert!(!tr(*id).trim().is_empty(), "{id:?}");
        }
        assert_eq!(
            fill(
                T::ServerRefused,
                &[("status", "403"), ("code", "AccessDenied")]
            ),
            "The server refused: HTTP 403 AccessDenied"
        );
    }
}
