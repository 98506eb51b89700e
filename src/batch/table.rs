//! Many links at a glance: a row for each link of a list (who made it, where it goes, for
//! what, how long it has left, whether its credentials are temporary, what is wrong with it),
//! sorted with the ones that cannot work first, and the table as CSV and JSON. No row holds
//! a signature or a token: the link in it is redacted.

use serde::Serialize;

use crate::link::{
    CredentialKind, Operation, PresignedLink, Provider, Severity, SignatureScheme, target_name,
};
use crate::text::{T, tr};

/// Whether a link can work, as far as reading it tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// It will not work as it is (expired, cut short, not a link).
    CannotWork,
    /// It may fail, or needs care.
    MayFail,
    /// Nothing stops it.
    Works,
}

impl Verdict {
    /// The verdict in words.
    pub fn words(self) -> &'static str {
        tr(match self {
            Verdict::CannotWork => T::TableCannotWork,
            Verdict::MayFail => T::TableMayFail,
            Verdict::Works => T::TableWorks,
        })
    }
}

/// One finding of a row: its id and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowFinding {
    /// The finding's stable id.
    pub id: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// Its words.
    pub message: String,
}

/// One link of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkRow {
    /// Its place in the list, counted from 1.
    pub position: usize,
    /// Whether it can work.
    pub verdict: Verdict,
    /// `aws`, `s3-compatible`, `gcs`, `azure`, `unknown` (absent: not a link).
    pub provider: Option<Provider>,
    /// The signature's kind.
    pub scheme: Option<SignatureScheme>,
    /// `bucket/key`, or the server's name.
    pub target: String,
    /// `GET`, `PUT`, or absent when the link does not say.
    pub operation: Option<Operation>,
    /// RFC 3339 UTC.
    pub expires_at: Option<String>,
    /// The same moment, for the countdown.
    #[serde(skip)]
    pub expires: Option<jiff::Timestamp>,
    /// Negative once expired.
    pub expires_in_secs: Option<i64>,
    /// `long-term`, `temporary`, `unknown`.
    pub credentials: Option<CredentialKind>,
    /// What reading the link found, errors first.
    pub findings: Vec<RowFinding>,
    /// The link with its signature and token replaced.
    pub link: String,
    /// The safe check's answer, when one was asked for: `ok`, `refused` or `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<String>,
    /// The check's answer in words (the explanation's title on a refusal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_words: Option<String>,
}

impl LinkRow {
    /// The row of `text`, the list's link at `position`.
    pub fn of(position: usize, text: &str, now: jiff::Timestamp) -> Self {
        match PresignedLink::parse(text) {
            Ok(link) => Self::of_link(position, &link, now),
            Err(e) => LinkRow {
                position,
                verdict: Verdict::CannotWork,
                provider: None,
                scheme: None,
                target: String::new(),
                operation: None,
                expires_at: None,
                expires: None,
                expires_in_secs: None,
                credentials: None,
                findings: vec![RowFinding {
                    id: "not-a-link",
                    severity: Severity::Error,
                    message: e.to_string(),
                }],
                link: String::new(),
                checked: None,
                check_words: None,
            },
        }
    }

    /// The row of a parsed link.
    pub fn of_link(position: usize, link: &PresignedLink, now: jiff::Timestamp) -> Self {
        let findings: Vec<RowFinding> = link
            .findings(now, None)
            .into_iter()
            .map(|f| RowFinding {
                id: f.id.as_str(),
                severity: f.severity,
                message: f.message,
            })
            .collect();
        let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::CannotWork
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            Verdict::MayFail
        } else {
            Verdict::Works
        };
        LinkRow {
            position,
            verdict,
            provider: Some(link.provider),
            scheme: Some(link.scheme),
            target: target_name(link),
            operation: link.operation,
            expires_at: link.expires_at.map(|t| t.to_string()),
            expires: link.expires_at,
            expires_in_secs: link.expires_in_secs(now),
            credentials: Some(link.credential_kind()),
            findings,
            link: link.redacted(),
            checked: None,
            check_words: None,
        }
    }

    /// Takes the safe check's answer (`ok`, `refused`, `failed` or `inspected`, in words,
    /// whether the link works): a link that does not work cannot; one the storage served works.
    pub fn take_check(&mut self, checked: &str, words: String, works: bool) {
        self.checked = Some(checked.to_owned());
        self.check_words = Some(words);
        if !works {
            self.verdict = Verdict::CannotWork;
        } else if checked == "ok" {
            self.verdict = Verdict::Works;
        }
    }

    /// The first finding worth saying (an error, else a warning), in words.
    pub fn first_problem(&self) -> Option<&str> {
        self.findings
            .iter()
            .find(|f| f.severity != Severity::Info)
            .map(|f| f.message.as_str())
    }
}

impl LinkRow {
    /// How long the link has left at `now`, in words.
    pub fn time_left(&self, now: jiff::Timestamp) -> String {
        match self.expires {
            Some(at) if at > now => crate::format::countdown(at.as_second() - now.as_second()),
            Some(at) => crate::link::report::left_until(at, now),
            None if self.provider.is_some() => tr(T::NoExpiry).to_owned(),
            None => String::new(),
        }
    }

    /// The row as one line of the terminal's table, marked ✗, ! or ✓ before its place.
    pub fn line(&self, now: jiff::Timestamp) -> String {
        let mark = match self.verdict {
            Verdict::CannotWork => "✗",
            Verdict::MayFail => "!",
            Verdict::Works => "✓",
        };
        format!("{mark} {}", self.words(now))
    }

    /// The row in words, its place first (the window colours it instead of marking it).
    pub fn words(&self, now: jiff::Timestamp) -> String {
        let mut cells = vec![format!("{}. {}", self.position, self.verdict.words())];
        if let Some(provider) = self.provider {
            cells.push(tr(crate::link::report::provider_text(provider)).to_owned());
            cells.push(
                self.operation
                    .map_or_else(|| "—".to_owned(), |o| o.method().to_owned()),
            );
            cells.push(self.target.clone());
            cells.push(self.time_left(now));
        }
        if let Some(kind) = self.credentials.filter(|k| *k == CredentialKind::Temporary) {
            cells.push(tr(crate::link::report::credential_text(kind)).to_owned());
        }
        if let Some(words) = &self.check_words {
            cells.push(words.clone());
        } else if let Some(problem) = self.first_problem() {
            cells.push(problem.to_owned());
        }
        cells.join(" · ")
    }
}

/// How many rows of each verdict, in one line.
pub fn summary_line(rows: &[LinkRow]) -> String {
    let count = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count().to_string();
    crate::text::fill(
        T::TableSummary,
        &[
            ("total", &rows.len().to_string()),
            ("cannot", &count(Verdict::CannotWork)),
            ("may", &count(Verdict::MayFail)),
            ("works", &count(Verdict::Works)),
        ],
    )
}

/// The rows of `links`, those that cannot work first, then those that may fail, then the
/// rest; within each, the soonest to expire first, then in the list's order.
pub fn link_table(links: &[String], now: jiff::Timestamp) -> Vec<LinkRow> {
    let mut rows: Vec<LinkRow> = links
        .iter()
        .enumerate()
        .map(|(at, text)| LinkRow::of(at + 1, text, now))
        .collect();
    sort(&mut rows);
    rows
}

/// Sorts rows as [`link_table`] does (again after a check changed their verdicts).
pub fn sort(rows: &mut [LinkRow]) {
    rows.sort_by_key(|r| (r.verdict, r.expires_in_secs.unwrap_or(i64::MAX), r.position));
}

/// The table as CSV (RFC 4180), a header row first; the same columns in every language.
pub fn to_csv(rows: &[LinkRow]) -> String {
    let mut out = String::from(
        "position,verdict,provider,target,operation,expires_at,expires_in_secs,credentials,findings,checked,link\r\n",
    );
    for row in rows {
        let findings: Vec<&str> = row.findings.iter().map(|f| f.id).collect();
        let cells = [
            row.position.to_string(),
            plain(&row.verdict),
            row.provider.as_ref().map(plain).unwrap_or_default(),
            row.target.clone(),
            row.operation
                .map(|o| o.method().to_owned())
                .unwrap_or_default(),
            row.expires_at.clone().unwrap_or_default(),
            row.expires_in_secs
                .map(|s| s.to_string())
                .unwrap_or_default(),
            row.credentials.as_ref().map(plain).unwrap_or_default(),
            findings.join(" "),
            row.checked.clone().unwrap_or_default(),
            row.link.clone(),
        ];
        out.push_str(&csv_line(&cells));
    }
    out
}

/// One CSV line: a cell with a comma, quote or line break quoted, its quotes doubled.
pub fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// The kebab-case word serde gives a unit enum, for CSV cells.
fn plain<S: Serialize>(value: &S) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-12-07T10:00:00Z";

    fn link(key: &str, date: &str, expires: u32, temporary: bool) -> String {
        let id = if temporary {
            "ASIAEXAMPLE"
        } else {
            "AKIAEXAMPLE"
        };
        let token = if temporary {
            "&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2B%2F"
        } else {
            ""
        };
        format!(
            "https://b.s3.eu-west-1.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={id}%2F20261207%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires={expires}{token}&X-Amz-SignedHeaders=host&x-id=PutObject&X-Amz-Signature={}",
            "ab".repeat(32)
        )
    }

    #[test]
    fn the_ones_that_cannot_work_come_first_and_no_secret_is_in_the_exports() {
        let now: jiff::Timestamp = NOW.parse().unwrap();
        let links = vec![
            link("long.csv", "20261207T090000Z", 86400, false),
            link("expired.csv", "20261207T080000Z", 600, false),
            "not a link".to_owned(),
            link("soon.csv", "20261207T095500Z", 600, true),
        ];
        let rows = link_table(&links, now);
        let order: Vec<usize> = rows.iter().map(|r| r.position).collect();
        assert_eq!(order, [2, 3, 4, 1], "{rows:#?}");
        assert_eq!(rows[0].verdict, Verdict::CannotWork);
        assert_eq!(rows[2].credentials, Some(CredentialKind::Temporary));
        assert_eq!(rows[2].expires_in_secs, Some(300));
        assert_eq!(rows[3].operation, Some(Operation::Put));
        let csv = to_csv(&rows);
        let json = serde_json::to_string(&rows).unwrap();
        for export in [&csv, &json] {
            assert!(!export.contains(&"ab".repeat(32)), "{export}");
            assert!(!export.contains("EXAMPLETOKEN"), "{export}");
        }
        assert_eq!(csv.lines().count(), 5);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("2,cannot-work,aws,b/expired.csv,PUT,")
        );
    }

    #[test]
    fn a_checks_answer_settles_the_verdict() {
        let now: jiff::Timestamp = NOW.parse().unwrap();
        let row = LinkRow::of(1, &link("a.csv", "20261207T090000Z", 86400, false), now);
        let mut refused = row.clone();
        refused.take_check("refused", "refused (403)".into(), false);
        assert_eq!(refused.verdict, Verdict::CannotWork);
        let mut served = row.clone();
        served.take_check("ok", "it works".into(), true);
        assert_eq!(served.verdict, Verdict::Works);
        let mut inspected = row.clone();
        inspected.take_check("inspected", "an upload link".into(), true);
        assert_eq!(inspected.verdict, row.verdict);
        assert_eq!(inspected.check_words.as_deref(), Some("an upload link"));
    }
}
