//! What a cause is and what it owns: its stable id, how sure it is, what shows it, and, per kind
//! of cause, whom to ask and which topics its remedy may speak of. The texts themselves are in
//! the catalogues under `causes.<key>`; `render.rs` fills them.

use serde::Serialize;

use crate::text::{T, tr};

/// The stable id of a cause (the JSON's `causes[i].id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum CauseId {
    ContentTypeMismatch,
    MethodMismatch,
    UrlAltered,
    WrongSecretOrTampered,
    Expired,
    SignerClock,
    ServerSkewWindow,
    TemporaryCredentials,
    WrongRegion,
    Redirect,
    LegacySignatureUnsupported,
    ChunkedUpload,
    TooLarge,
    SdkChecksum,
    UnsignedHeaders,
    SignedHeaderMissing,
    SignedHeaderMismatch,
    TwoAuthMechanisms,
    MissingBlobType,
    NotFound,
    Permission,
    Retryable,
    ExpiryTooLong,
    LinkIncomplete,
    NotPresigned,
    UrlNotSendable,
    PolicyExpired,
    PolicyCondition,
    PolicyExtraField,
    TooSmall,
    FormFieldMissing,
    FormUnreadable,
    ServerStated,
}

impl CauseId {
    /// The id as in the JSON (`content-type-mismatch`).
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// How sure a cause is. Causes are ranked by it first, then by how common they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// The server's echo, the server's own words or the link's own fields show it.
    Proven,
    /// Consistent with everything seen.
    Likely,
    /// Not ruled out.
    Possible,
}

impl Strength {
    /// The strength in words, in the current language (for testers: the details, the CLI).
    pub fn text(self) -> &'static str {
        tr(match self {
            Strength::Proven => T::StrengthProven,
            Strength::Likely => T::StrengthLikely,
            Strength::Possible => T::StrengthPossible,
        })
    }
}

/// Whom to ask to mend the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Whom {
    /// The person or service that made the link.
    Creator,
    /// Whoever runs the storage.
    Operator,
    /// Nobody: the person holding the link can mend it, or it mends itself.
    Nobody,
}

/// What shows a cause, said in plain words where the cause is shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The server's error code or message states it.
    ServerSaid,
    /// The server's echo of the request it received shows it.
    ServerEcho,
    /// The link's own fields show it.
    Link,
    /// A test download of the same link showed it.
    Probe,
    /// PresignDesk found it before sending anything.
    Local,
    /// Reasoned from what was seen, not shown outright.
    Inference,
}

/// A subject a cause's title and remedy may speak of. A remedy that speaks of a topic its cause
/// rules out contradicts its own explanation (a test checks the whole catalogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// This computer's clock.
    ThisClock,
    /// The clock of whoever made the link.
    SignerClock,
    /// Who is allowed to do what.
    Permissions,
    /// The file type (Content-Type).
    FileType,
    /// The address: host, path, region, endpoint.
    Address,
    /// Upload or download.
    Method,
    /// Whoever runs the storage.
    Operator,
}

/// One kind of cause: an id and, where the evidence differs, a variant with texts of its own.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    /// The stable id.
    pub id: CauseId,
    /// The catalogue key of its texts: `causes.<key>.title`, `.why`, `.action`, `.ask`.
    pub key: &'static str,
    /// Whom its remedy asks.
    pub whom: Whom,
    /// What its title and remedy may speak of.
    pub topics: &'static [Topic],
}

macro_rules! kinds {
    ($($name:ident = $id:ident, $key:literal, $whom:ident, [$($topic:ident),*];)*) => {
        $(
            #[allow(missing_docs)]
            pub const $name: Kind = Kind {
                id: CauseId::$id,
                key: $key,
                whom: Whom::$whom,
                topics: &[$(Topic::$topic),*],
            };
        )*
        /// Every kind of cause, for the checks over the whole catalogue.
        pub const ALL: &[&Kind] = &[$(&$name),*];
    };
}

/// Every kind of cause the explainer names.
pub mod kind {
    use super::{CauseId, Kind, Topic, Whom};

    kinds! {
        TYPE_SENT = ContentTypeMismatch, "content-type-mismatch.sent", Creator, [FileType];
        TYPE_NONE = ContentTypeMismatch, "content-type-mismatch.none", Creator, [FileType];
        TYPE_RECEIVED = ContentTypeMismatch, "content-type-mismatch.received", Creator, [FileType];
        TYPE_ALTERED = ContentTypeMismatch, "content-type-mismatch.altered", Nobody, [FileType];
        METHOD_STATED = MethodMismatch, "method-mismatch.stated", Creator, [Method];
        METHOD_MAYBE = MethodMismatch, "method-mismatch.maybe", Creator, [Method];
        METHOD_UNTOLD = MethodMismatch, "method-mismatch.untold", Creator, [Method];
        METHOD_UPLOAD_LINK = MethodMismatch, "method-mismatch.upload-link", Creator, [Method];
        METHOD_CHECK = MethodMismatch, "method-mismatch.check", Creator, [Method];
        ALTERED_PARAMS = UrlAltered, "url-altered.params", Creator, [Address];
        ALTERED_PATH = UrlAltered, "url-altered.path", Creator, [Address];
        ALTERED_QUERY = UrlAltered, "url-altered.query", Creator, [Address];
        ALTERED_HOST = UrlAltered, "url-altered.host", Nobody, [Address];
        ALTERED_METHOD = UrlAltered, "url-altered.method", Nobody, [Address, Method];
        ALTERED_HEADER = UrlAltered, "url-altered.header", Nobody, [Address];
        ALTERED_FORM = UrlAltered, "url-altered.form", Creator, [];
        POLICY_UNREADABLE = UrlAltered, "url-altered.policy", Creator, [];
        SECRET = WrongSecretOrTampered, "wrong-secret-or-tampered.default", Creator, [];
        SECRET_ECHO_MATCHES = WrongSecretOrTampered, "wrong-secret-or-tampered.echo-matches", Creator, [];
        EXPIRED_AGO = Expired, "expired.ago", Creator, [];
        EXPIRED_PLAIN = Expired, "expired.plain", Creator, [];
        CLOCK_BEHIND = SignerClock, "signer-clock.behind", Creator, [SignerClock];
        CLOCK_AHEAD = SignerClock, "signer-clock.ahead", Creator, [SignerClock];
        CLOCK_UNKNOWN = SignerClock, "signer-clock.unknown", Creator, [SignerClock];
        CLOCK_NOT_YET_VALID = SignerClock, "signer-clock.not-yet-valid", Creator, [SignerClock];
        CLOCK_AFTER_EXPIRY = SignerClock, "signer-clock.after-expiry", Creator, [SignerClock];
        SKEW_WINDOW = ServerSkewWindow, "server-skew-window", Operator, [Operator];
        TEMPORARY_CREDENTIALS = TemporaryCredentials, "temporary-credentials", Creator, [];
        WRONG_REGION = WrongRegion, "wrong-region", Creator, [Address];
        REDIRECT = Redirect, "redirect", Creator, [Address];
        LEGACY_UNSUPPORTED = LegacySignatureUnsupported, "legacy-signature-unsupported", Creator, [];
        LEGACY_UNSUPPORTED_REGION = LegacySignatureUnsupported, "legacy-signature-unsupported.region", Creator, [Address];
        LEGACY_UNSUPPORTED_OLD_REGION = LegacySignatureUnsupported, "legacy-signature-unsupported.old-region", Creator, [];
        CHUNKED = ChunkedUpload, "chunked-upload", Nobody, [];
        TOO_LARGE = TooLarge, "too-large", Creator, [Permissions];
        FORM_TOO_LARGE = TooLarge, "too-large.form", Creator, [];
        FORM_TOO_LARGE_PLAIN = TooLarge, "too-large.form-plain", Creator, [];
        TOO_SMALL = TooSmall, "too-small", Creator, [];
        TOO_SMALL_PLAIN = TooSmall, "too-small.plain", Creator, [];
        CHECKSUM_EMPTY = SdkChecksum, "sdk-checksum.empty", Creator, [];
        CHECKSUM_MISMATCH = SdkChecksum, "sdk-checksum.mismatch", Creator, [];
        CHECKSUM_PRESENT = SdkChecksum, "sdk-checksum.present", Creator, [];
        UNSIGNED_HEADERS = UnsignedHeaders, "unsigned-headers", Nobody, [];
        HEADER_MISSING = SignedHeaderMissing, "signed-header-missing", Nobody, [];
        HEADER_MISSING_ASK = SignedHeaderMissing, "signed-header-missing.value-unknown", Creator, [];
        HEADER_EMPTY = SignedHeaderMissing, "signed-header-missing.empty", Creator, [];
        HEADER_MISMATCH = SignedHeaderMismatch, "signed-header-mismatch", Creator, [];
        HEADER_UNVERIFIED = SignedHeaderMismatch, "signed-header-mismatch.received", Creator, [];
        HEADER_UNVERIFIED_SECRET = SignedHeaderMismatch, "signed-header-mismatch.received-secret", Creator, [];
        TWO_AUTH = TwoAuthMechanisms, "two-auth-mechanisms", Nobody, [];
        BLOB_TYPE = MissingBlobType, "missing-blob-type", Nobody, [];
        NOT_FOUND_KEY = NotFound, "not-found.key", Creator, [];
        NOT_FOUND_BUCKET = NotFound, "not-found.bucket", Creator, [];
        NOT_FOUND = NotFound, "not-found.unknown", Creator, [];
        PERMISSION = Permission, "permission", Creator, [Permissions];
        RETRYABLE = Retryable, "retryable", Nobody, [];
        EXPIRY_TOO_LONG = ExpiryTooLong, "expiry-too-long", Creator, [];
        INCOMPLETE = LinkIncomplete, "link-incomplete", Creator, [];
        NOT_PRESIGNED = NotPresigned, "not-presigned", Creator, [];
        NOT_SENDABLE = UrlNotSendable, "url-not-sendable", Creator, [Address];
        POLICY_EXPIRED = PolicyExpired, "policy-expired", Creator, [];
        POLICY_EXPIRED_PLAIN = PolicyExpired, "policy-expired.plain", Creator, [];
        POLICY_CONDITION = PolicyCondition, "policy-condition", Creator, [];
        POLICY_CONDITION_STATED = PolicyCondition, "policy-condition.stated", Creator, [];
        POLICY_CONDITION_UNNAMED = PolicyCondition, "policy-condition.unnamed", Creator, [];
        POLICY_CONDITION_TYPE = PolicyCondition, "policy-condition.type", Nobody, [FileType];
        POLICY_CONDITION_TYPE_STATED = PolicyCondition, "policy-condition.type-stated", Nobody, [FileType];
        POLICY_EXTRA_FIELD = PolicyExtraField, "policy-extra-field", Creator, [];
        FORM_FIELD_MISSING = FormFieldMissing, "form-field-missing", Creator, [];
        FORM_UNREADABLE = FormUnreadable, "form-unreadable", Operator, [Operator];
    }
}

/// The texts of one cause, filled, in the current language (the JSON's `causes[i]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// Stable id.
    pub id: CauseId,
    /// How sure it is.
    pub strength: Strength,
    /// What happened, in the words of its strength ("Most likely, …").
    pub title: String,
    /// Why: a sentence or two on what the evidence shows.
    pub text: String,
    /// What the person holding the link can do.
    pub actions: Vec<String>,
    /// What to ask for (empty when there is nobody to ask).
    pub ask: String,
    /// Whom to ask.
    pub ask_whom: Whom,
    /// What shows it.
    pub basis: Basis,
    /// The catalogue key of its kind.
    #[serde(skip)]
    pub key: &'static str,
}

/// A cause as the evidence readers find it: its kind, strength, basis and the values its texts
/// name. Turned into words once ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub kind: &'static Kind,
    pub strength: Strength,
    pub basis: Basis,
    pub values: Vec<(&'static str, String)>,
}

impl Found {
    /// A likely cause, inferred.
    pub fn new(kind: &'static Kind) -> Self {
        Found {
            kind,
            strength: Strength::Likely,
            basis: Basis::Inference,
            values: Vec::new(),
        }
    }

    /// Shown outright by `basis`.
    pub fn proven(mut self, basis: Basis) -> Self {
        self.strength = Strength::Proven;
        self.basis = basis;
        self
    }

    /// Only not ruled out.
    pub fn possible(mut self) -> Self {
        self.strength = Strength::Possible;
        self
    }

    /// Names `value` as `{name}` in its texts.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.push((name, value.into()));
        self
    }
}

/// Whether trying the same request again can help: a passing problem of the server or the
/// network. Not for a refusal whose cause is the link or the request.
pub fn retry_can_help(outcome: &crate::exchange::Outcome, first_cause: Option<CauseId>) -> bool {
    use crate::exchange::Outcome;
    match outcome {
        Outcome::Failed(error) => {
            error.is_retryable() || matches!(error, crate::exchange::TransferError::Connect(_))
        }
        Outcome::Refused(_) => matches!(
            first_cause,
            Some(CauseId::Retryable | CauseId::FormUnreadable)
        ),
        Outcome::Succeeded(_) | Outcome::Cancelled => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_key_and_the_ids_read_as_in_the_json() {
        let mut keys: Vec<&str> = kind::ALL.iter().map(|k| k.key).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "two kinds share a key");
        for k in kind::ALL {
            assert!(
                k.key.starts_with(&k.id.as_str()),
                "{} is under {}",
                k.key,
                k.id.as_str()
            );
        }
        assert_eq!(CauseId::SignerClock.as_str(), "signer-clock");
    }

    #[test]
    fn strengths_sort_proof_first() {
        let mut s = vec![Strength::Possible, Strength::Proven, Strength::Likely];
        s.sort();
        assert_eq!(s, [Strength::Proven, Strength::Likely, Strength::Possible]);
    }

    #[test]
    fn trying_again_is_offered_only_where_it_can_help() {
        use crate::exchange::{Outcome, TransferError};
        assert!(retry_can_help(
            &Outcome::Failed(TransferError::Network("reset".into())),
            None
        ));
        assert!(!retry_can_help(
            &Outcome::Failed(TransferError::CannotSendUnchanged),
            None
        ));
        let refusal = || {
            Outcome::Refused(Box::new(crate::exchange::Refusal {
                status: 403,
                reason: String::new(),
                body: crate::exchange::ErrorBody::parse(b""),
                response: Default::default(),
                bytes_sent: 0,
                sent_despite_checksum: false,
                part: None,
            }))
        };
        assert!(!retry_can_help(&refusal(), Some(CauseId::Expired)));
        assert!(retry_can_help(&refusal(), Some(CauseId::Retryable)));
    }
}
