//! What each error code a storage server returns means. The codes each provider family knows are
//! listed here; their texts (title, meaning, action, ask) are in the catalogues under
//! `errors.<family>.<code>`, so every language explains every code.

use super::{catalogue, language};

/// The plain-language texts of one error code, in the current language.
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

/// Amazon S3 and S3-compatible servers (R2, MinIO, Ceph...).
const S3: &[&str] = &[
    "SignatureDoesNotMatch",
    "AccessDenied",
    "AuthorizationQueryParametersError",
    "PermanentRedirect",
    "TemporaryRedirect",
    "InvalidRequest",
    "ExpiredToken",
    "InvalidToken",
    "TokenRefreshRequired",
    "NotImplemented",
    "MissingContentLength",
    "EntityTooLarge",
    "InvalidArgument",
    "BadDigest",
    "InvalidDigest",
    "XAmzContentChecksumMismatch",
    "NoSuchKey",
    "NoSuchBucket",
    "InvalidAccessKeyId",
    "RequestTimeTooSkewed",
    "SlowDown",
    "InternalError",
    "ServiceUnavailable",
    "RequestTimeout",
    "IncompleteBody",
    "PreconditionFailed",
    "InvalidRange",
    "MethodNotAllowed",
    "KeyTooLongError",
    "AuthorizationHeaderMalformed",
    "ExpiredRequest",
    "EntityTooSmall",
    "InvalidPolicyDocument",
    "IncorrectNumberOfFilesInPostRequest",
    "MalformedPOSTRequest",
    "MaxPostPreDataLengthExceeded",
];

/// Google Cloud Storage (XML API), where it differs from S3.
const GCS: &[&str] = &[
    "ExpiredToken",
    "MalformedSecurityHeader",
    "SignatureDoesNotMatch",
    "AccessDenied",
];

/// Azure Blob Storage.
const AZURE: &[&str] = &[
    "AuthenticationFailed",
    "AuthorizationPermissionMismatch",
    "AuthorizationResourceTypeMismatch",
    "AuthorizationServiceMismatch",
    "AuthorizationSourceIPMismatch",
    "AuthorizationProtocolMismatch",
    "AuthorizationFailure",
    "MissingRequiredHeader",
    "BlobNotFound",
    "ContainerNotFound",
    "InvalidHeaderValue",
    "RequestBodyTooLarge",
    "ServerBusy",
    "OperationTimedOut",
    "InternalError",
];

/// When the code is unknown or absent: by HTTP status class.
const BY_STATUS: &[&str] = &[
    "http-400",
    "http-401",
    "http-403",
    "http-404",
    "http-405",
    "http-3xx",
    "http-411",
    "http-413",
    "http-4xx",
    "http-5xx",
    "http-other",
];

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

fn texts(table: &str, code: &'static str) -> ErrorText {
    let language = language::current();
    let field = |name: &str| {
        catalogue::text_at(language, &format!("errors.{table}.{code}.{name}")).unwrap_or(code)
    };
    ErrorText {
        code,
        title: field("title"),
        meaning: field("meaning"),
        action: field("action"),
        ask: field("ask"),
    }
}

/// The codes a family explains (GCS also shares S3's).
pub fn codes(family: Family) -> &'static [&'static str] {
    match family {
        Family::S3 => S3,
        Family::Gcs => GCS,
        Family::Azure => AZURE,
    }
}

/// The texts for `code` from the tables of the provider family, then S3's (GCS shares them;
/// Azure has its own).
pub fn for_code(family: Family, code: &str) -> Option<ErrorText> {
    let (own_table, own): (&str, &[&'static str]) = match family {
        Family::Gcs => ("gcs", GCS),
        Family::Azure => ("azure", AZURE),
        Family::S3 => ("s3", S3),
    };
    if let Some(known) = own.iter().find(|c| **c == code) {
        return Some(texts(own_table, known));
    }
    if family == Family::Gcs {
        return S3.iter().find(|c| **c == code).map(|c| texts("s3", c));
    }
    None
}

/// A field (`title`, `why`, `action`, `ask`) of the cause texts under `causes.<key>`, in the
/// family's own words where it has them (`causes.<key>.in-gcs.<field>`), in the current
/// language (English when it lacks it).
pub fn cause_field(key: &str, family: Family, field: &str) -> Option<&'static str> {
    let language = language::current();
    let own = match family {
        Family::S3 => None,
        Family::Gcs => Some("in-gcs"),
        Family::Azure => Some("in-azure"),
    };
    own.and_then(|own| catalogue::text_at(language, &format!("causes.{key}.{own}.{field}")))
        .or_else(|| catalogue::text_at(language, &format!("causes.{key}.{field}")))
}

/// The texts for an HTTP status when no code is known.
pub fn for_status(status: u16) -> ErrorText {
    let code = match status {
        300..=399 => "http-3xx".to_owned(),
        400 | 401 | 403 | 404 | 405 | 411 | 413 => format!("http-{status}"),
        402..=499 => "http-4xx".to_owned(),
        500..=599 => "http-5xx".to_owned(),
        _ => "http-other".to_owned(),
    };
    let known = BY_STATUS
        .iter()
        .find(|c| **c == code)
        .unwrap_or(&"http-other");
    texts("status", known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Language, with_language};

    #[test]
    fn every_listed_code_is_explained_in_every_language_and_nothing_else_is() {
        for language in Language::all() {
            let keys = catalogue::catalogue(language).keys();
            let mut listed = Vec::new();
            for (table, codes) in [
                ("s3", S3),
                ("gcs", GCS),
                ("azure", AZURE),
                ("status", BY_STATUS),
            ] {
                for code in codes {
                    for field in ["title", "meaning", "action", "ask"] {
                        let key = format!("errors.{table}.{code}.{field}");
                        assert!(keys.contains_key(&key), "{}: {key}", language.code());
                        listed.push(key);
                    }
                }
            }
            let stray: Vec<&String> = keys
                .keys()
                .filter(|k| k.starts_with("errors.") && !listed.contains(k))
                .collect();
            assert!(stray.is_empty(), "{}: {stray:?}", language.code());
        }
    }

    #[test]
    fn families_share_what_they_should() {
        with_language(Language::ENGLISH, || {
            assert_eq!(
                for_code(Family::Gcs, "ExpiredToken").unwrap().title,
                "The link has expired"
            );
            assert_eq!(
                for_code(Family::Gcs, "NoSuchKey").unwrap().code,
                "NoSuchKey"
            );
            assert!(for_code(Family::Azure, "NoSuchKey").is_none());
            assert_eq!(for_status(418).code, "http-4xx");
            assert_eq!(for_status(302).code, "http-3xx");
            assert_eq!(for_status(0).code, "http-other");
        });
    }
}
