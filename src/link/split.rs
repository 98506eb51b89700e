//! Split a URL into its parts without changing a byte: the parts are slices of the pasted text.

use std::fmt;

use super::LinkError;
use crate::secret::{REDACTED, is_secret_name};

/// A URL split into parts, keeping the exact text that was pasted (trimmed).
#[derive(Clone, PartialEq, Eq)]
pub struct RawUrl {
    /// The whole link, trimmed.
    pub text: String,
    /// `true` for `https`.
    pub is_https: bool,
    /// The host as written (IPv6 with brackets), without user info and port.
    pub host: String,
    /// The port, when written.
    pub port: Option<u16>,
    path_start: usize,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

/// One `name=value` pair of the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// The pair exactly as written.
    pub raw: String,
    /// The name exactly as written.
    pub raw_name: String,
    /// The name, percent-decoded.
    pub name: String,
    /// The value, percent-decoded (`+` stays `+`: presigned links encode spaces as `%20`).
    pub value: String,
}

impl RawUrl {
    /// Splits `text` (trimmed of surrounding whitespace) into parts.
    pub fn split(text: &str) -> Result<Self, LinkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LinkError::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(LinkError::BrokenInside);
        }
        let (is_https, rest_at) = if starts_with_ignore_case(text, "https://") {
            (true, 8)
        } else if starts_with_ignore_case(text, "http://") {
            (false, 7)
        } else {
            return Err(LinkError::NotHttp);
        };
        let rest = &text[rest_at..];
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        let (host, port) = split_port(host_port);
        if host.is_empty() {
            return Err(LinkError::NoHost);
        }
        let path_start = rest_at + authority_len;
        let fragment_start = text[path_start..].find('#').map(|i| path_start + i);
        let before_fragment = fragment_start.unwrap_or(text.len());
        let query_start = text[path_start..before_fragment]
            .find('?')
            .map(|i| path_start + i + 1);
        Ok(RawUrl {
            text: text.to_owned(),
            is_https,
            host: host.to_owned(),
            port,
            path_start,
            query_start,
            fragment_start,
        })
    }

    /// Where the path ends: at the `?`, else at the `#`, else at the end.
    fn path_end(&self) -> usize {
        self.query_start
            .map(|q| q - 1)
            .or(self.fragment_start)
            .unwrap_or(self.text.len())
    }

    /// The path as written (may be empty).
    pub fn path(&self) -> &str {
        &self.text[self.path_start..self.path_end()]
    }

    /// The query string as written, without `?`.
    pub fn query(&self) -> Option<&str> {
        let start = self.query_start?;
        Some(&self.text[start..self.fragment_start.unwrap_or(self.text.len())])
    }

    /// Everything before the `?` (scheme, host and path).
    pub fn before_query(&self) -> &str {
        &self.text[..self.path_end()]
    }

    /// The request-target an HTTP/1.1 request carries: path and query exactly as written.
    pub fn request_target(&self) -> String {
        let path = if self.path().is_empty() {
            "/"
        } else {
            self.path()
        };
        match self.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        }
    }

    /// The query parameters in order.
    pub fn query_params(&self) -> Vec<QueryParam> {
        let Some(query) = self.query() else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
                QueryParam {
                    raw: pair.to_owned(),
                    raw_name: raw_name.to_owned(),
                    name: decode(raw_name),
                    value: decode(raw_value),
                }
            })
            .collect()
    }

    /// The decoded value of the first parameter named `name` (ASCII case-insensitive).
    pub fn param(&self, name: &str) -> Option<String> {
        self.query_params()
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value)
    }
}

impl RawUrl {
    /// The link with every signature and token value replaced by `REDACTED`.
    pub fn redacted(&self) -> String {
        let mut out = self.before_query().to_owned();
        if self.query().is_some() {
            out.push('?');
            let params: Vec<String> = self
                .query_params()
                .into_iter()
                .map(|p| {
                    if is_secret_name(&p.name) {
                        format!("{}={REDACTED}", p.raw_name)
                    } else {
                        p.raw
                    }
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        out
    }
}

/// Shows the redacted link: a `{:?}` in a log or a panic never prints a signature.
impl fmt::Debug for RawUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawUrl").field(&self.redacted()).finish()
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn split_port(host_port: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host_port.strip_prefix('[') {
        // [v6]:port
        return match rest.split_once(']') {
            Some((v6, tail)) => (
                &host_port[..v6.len() + 2],
                tail.strip_prefix(':').and_then(|p| p.parse().ok()),
            ),
            None => (host_port, None),
        };
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, port.parse().ok()),
        _ => (host_port, None),
    }
}
