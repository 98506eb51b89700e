//! A string that must never be printed: signatures and security tokens.

use std::fmt;

/// A secret value (a signature or a security token) whose `Debug` and `Display` never show it.
///
/// The value is reachable only through [`Secret::expose`], so every place that sends it is
/// easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that has to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// How many characters the secret has; safe to show.
    pub fn len_chars(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted, {} chars>)", self.len_chars())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// What stands in place of a secret in every text the app produces.
pub const REDACTED: &str = "REDACTED";

/// The names (query parameters of a link, fields of a form) whose values are signatures, in
/// lowercase: SigV4, GCS V4, SigV2 and GCS V2, Azure SAS.
pub const SIGNATURE_NAMES: &[&str] = &["x-amz-signature", "x-goog-signature", "signature", "sig"];

/// The names whose values are security tokens (temporary credentials), in lowercase.
pub const TOKEN_NAMES: &[&str] = &["x-amz-security-token", "x-goog-security-token"];

/// Elements of an error body that echo a secret whole (S3's `ExpiredToken` echoes the token,
/// `SignatureDoesNotMatch` the signature and what was signed, as bytes), in lowercase; the
/// secret names themselves are secret elements too.
const ECHO_ELEMENTS: &[&str] = &[
    "token-0",
    "signatureprovided",
    "stringtosignbytes",
    "canonicalrequestbytes",
];

/// Whether a parameter or field called `name` (any case) holds a signature or a token. Every
/// text that shows a link, a form or a request redacts these.
pub fn is_secret_name(name: &str) -> bool {
    is_token_name(name) || SIGNATURE_NAMES.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// Whether a request header called `name` (any case) carries a secret: a token, a signature,
/// or an encryption key the request brings (SSE-C's `x-amz-server-side-encryption-customer-key`,
/// GCS's `x-goog-encryption-key`), whose digest alongside is no secret.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_secret_name(&lower) || lower.ends_with("customer-key") || lower.ends_with("encryption-key")
}

/// Whether `name` (any case) holds a security token.
pub fn is_token_name(name: &str) -> bool {
    TOKEN_NAMES.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// Whether an error body's element called `name` (its local name, any case) holds a secret.
pub fn is_secret_element(name: &str) -> bool {
    is_secret_name(name) || ECHO_ELEMENTS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("AQoDYXdzEJr-very-secret");
        assert!(!format!("{secret:?}").contains("very-secret"));
        assert!(!format!("{secret}").contains("very-secret"));
        assert_eq!(secret.expose(), "AQoDYXdzEJr-very-secret");
        assert_eq!(secret.len_chars(), 23);
    }

    #[test]
    fn secret_names_in_any_case() {
        for name in [
            "X-Amz-Signature",
            "x-goog-signature",
            "Signature",
            "sig",
            "X-Amz-Security-Token",
        ] {
            assert!(is_secret_name(name), "{name}");
            assert!(is_secret_element(name), "{name}");
        }
        assert!(is_token_name("X-Goog-Security-Token"));
        assert!(!is_token_name("X-Amz-Signature"));
        assert!(is_secret_element("SignatureProvided"));
        assert!(!is_secret_name("SignatureProvided"));
        for name in [
            "X-Amz-Credential",
            "X-Amz-Date",
            "signed",
            "sv",
            "key",
            "policy",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
