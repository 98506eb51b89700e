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
}
