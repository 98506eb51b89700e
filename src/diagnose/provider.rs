//! The provider's own fields and words: which family of error codes applies, and the causes
//! whose evidence is a provider's own field (Azure's permissions, the bucket and key, the
//! checksums a link fixes). Pure.

use super::attempt::Attempt;
use super::cause::{Basis, Found, kind};
use crate::link::{Operation, PresignedLink, Provider};
use crate::text::errors::Family;
use crate::text::{T, tr};

/// The provider the link points at (from Azure's own header when there is no link), and the
/// family of error codes it speaks.
pub(super) fn family(link: Option<&PresignedLink>, azure_header: bool) -> (Provider, Family) {
    let provider = link.map_or(
        if azure_header {
            Provider::Azure
        } else {
            Provider::Unknown
        },
        |l| l.provider,
    );
    let family = match provider {
        Provider::Azure => Family::Azure,
        Provider::Gcs => Family::Gcs,
        _ if azure_header => Family::Azure,
        _ => Family::S3,
    };
    (provider, family)
}

/// The verb of an operation, as the texts say it (`upload`).
pub(super) fn verb(operation: Operation) -> &'static str {
    tr(match operation {
        Operation::Put => T::VerbUpload,
        Operation::Get => T::VerbDownload,
    })
}

/// The operation in words (`an upload (PUT)`).
pub(super) fn operation_words(operation: Operation) -> &'static str {
    tr(match operation {
        Operation::Put => T::OperationUpload,
        Operation::Get => T::OperationDownload,
    })
}

/// The creator lacks the permission, in the words of the link's own service: Azure's SAS names
/// what it allows (`sp`) and what the operation needs.
pub(super) fn permission(attempt: &Attempt<'_>) -> Found {
    let sp = attempt
        .link
        .and_then(|l| l.azure_permissions.as_deref())
        .unwrap_or("?");
    let needed = match attempt.operation {
        Operation::Put => "w / c",
        Operation::Get => "r",
    };
    Found::new(&kind::PERMISSION)
        .with("action", verb(attempt.operation))
        .with("sp", sp)
        .with("needed", needed)
}

/// Nothing at the address: the key (the bucket is there), the bucket, or not known which. The
/// names come from the link, else from the answer's own elements.
pub(super) fn not_found(
    link: Option<&PresignedLink>,
    body: &crate::exchange::ErrorBody,
    code: Option<&str>,
) -> Found {
    let named = |from_link: Option<String>, elements: &[&str]| {
        from_link
            .or_else(|| {
                elements
                    .iter()
                    .find_map(|e| body.element(e).map(str::to_owned))
            })
            .filter(|n| !n.is_empty())
    };
    let bucket = named(
        link.and_then(|l| l.bucket.clone()),
        &["BucketName", "Bucket"],
    );
    let key = named(link.and_then(|l| l.key.clone()), &["Key"]);
    match (code, bucket, key) {
        (Some("NoSuchKey" | "BlobNotFound"), Some(bucket), Some(key)) => {
            Found::new(&kind::NOT_FOUND_KEY)
                .with("bucket", bucket)
                .with("key", key)
                .proven(Basis::ServerSaid)
        }
        (Some("NoSuchBucket" | "ContainerNotFound"), Some(bucket), _) => {
            Found::new(&kind::NOT_FOUND_BUCKET)
                .with("bucket", bucket)
                .proven(Basis::ServerSaid)
        }
        (code, bucket, key) => {
            let what = match link {
                Some(l) => crate::link::target_name(l),
                None => crate::link::object_name(bucket.as_deref(), key.as_deref())
                    .unwrap_or_else(|| "?".to_owned()),
            };
            let found = Found::new(&kind::NOT_FOUND).with("what", what);
            if code.is_some() {
                found.proven(Basis::ServerSaid)
            } else {
                found
            }
        }
    }
}

/// The checksum parameters a link fixes (query parameters, or signed headers as boto3 makes
/// them), when it fixes any.
pub(super) fn checksum_params(link: &PresignedLink) -> Vec<&str> {
    let mut params: Vec<&str> = link.checksums.iter().map(|(n, _)| n.as_str()).collect();
    params.extend(
        link.signed_headers
            .iter()
            .map(String::as_str)
            .filter(|h| h.starts_with("x-amz-checksum-") || *h == "x-amz-sdk-checksum-algorithm"),
    );
    params
}

/// A link's checksum as evidence: the CRC32 of an empty body with a file that has content, or a
/// file sent although it cannot match, proves it; other checksum parameters on a refusal about
/// digests make it likely.
pub(super) fn sdk_checksum(attempt: &Attempt<'_>, digest_refusal: bool) -> Option<Found> {
    let link = attempt.link?;
    let params = checksum_params(link);
    if params.is_empty() {
        return None;
    }
    let listed = params.join(", ");
    let empty_body = link.checksums.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("x-amz-checksum-crc32")
            && value == crate::link::findings::EMPTY_BODY_CRC32
    });
    if empty_body && attempt.file_len_bytes.is_some_and(|len| len > 0) {
        return Some(
            Found::new(&kind::CHECKSUM_EMPTY)
                .with("params", listed)
                .proven(Basis::Link),
        );
    }
    if attempt.sent_despite_checksum {
        return Some(
            Found::new(&kind::CHECKSUM_MISMATCH)
                .with("params", listed)
                .proven(Basis::Local),
        );
    }
    digest_refusal.then(|| Found::new(&kind::CHECKSUM_PRESENT).with("params", listed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V4: &str = "https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=x";

    #[test]
    fn the_family_follows_the_link_else_azures_header() {
        let link = PresignedLink::parse(V4).unwrap();
        assert_eq!(family(Some(&link), false), (Provider::Aws, Family::S3));
        assert_eq!(family(None, true), (Provider::Azure, Family::Azure));
        assert_eq!(family(None, false), (Provider::Unknown, Family::S3));
        let gcs =
            PresignedLink::parse("https://storage.googleapis.com/b/k?X-Goog-Signature=a").unwrap();
        assert_eq!(family(Some(&gcs), false).1, Family::Gcs);
    }

    #[test]
    fn not_found_says_which_part_is_missing() {
        let link = PresignedLink::parse(V4).unwrap();
        let empty = crate::exchange::ErrorBody::parse(b"");
        let key = not_found(Some(&link), &empty, Some("NoSuchKey"));
        assert_eq!(key.kind.key, "not-found.key");
        assert!(key.values.contains(&("bucket", "b".to_owned())));
        assert_eq!(
            not_found(Some(&link), &empty, Some("NoSuchBucket"))
                .kind
                .key,
            "not-found.bucket"
        );
        assert_eq!(not_found(None, &empty, None).kind.key, "not-found.unknown");
        // Without a link, the answer's own elements name the bucket and the key.
        let body = crate::exchange::ErrorBody::parse(
            b"<Error><Code>NoSuchKey</Code><Key>a/b.txt</Key><BucketName>docs</BucketName></Error>",
        );
        let key = not_found(None, &body, Some("NoSuchKey"));
        assert_eq!(key.kind.key, "not-found.key");
        assert!(key.values.contains(&("key", "a/b.txt".to_owned())));
        let bare = crate::exchange::ErrorBody::parse(b"<Error><Code>NoSuchKey</Code></Error>");
        assert_eq!(
            not_found(None, &bare, Some("NoSuchKey")).kind.key,
            "not-found.unknown"
        );
    }

    #[test]
    fn an_empty_body_checksum_with_a_file_that_has_content_is_proven() {
        let link = PresignedLink::parse(&format!(
            "{V4}&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32"
        ))
        .unwrap();
        let mut attempt = Attempt::new(Some(&link), Operation::Put);
        attempt.file_len_bytes = Some(10);
        let found = sdk_checksum(&attempt, false).unwrap();
        assert_eq!(
            (found.kind.key, found.strength),
            ("sdk-checksum.empty", super::super::Strength::Proven)
        );
        attempt.file_len_bytes = Some(0);
        assert_eq!(
            sdk_checksum(&attempt, false),
            None,
            "an empty file matches it"
        );
        assert_eq!(
            sdk_checksum(&attempt, true).unwrap().kind.key,
            "sdk-checksum.present"
        );
        let plain = PresignedLink::parse(V4).unwrap();
        assert_eq!(
            sdk_checksum(&Attempt::new(Some(&plain), Operation::Put), true),
            None
        );
    }
}
