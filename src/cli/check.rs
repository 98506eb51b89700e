//! `check`: whether a link works, proved without changing anything. A download link is
//! probed with a `GET` of its first byte; an upload link is only inspected, since a `PUT`
//! cannot be tried without writing.

use std::process::ExitCode;

use super::report::CheckReport;
use super::{CheckArgs, EXIT_REFUSED, parse_link, print_json};
use crate::clock::this_computer_offset_secs;
use crate::diagnose::explanation_text;
use crate::link::PresignedLink;
use crate::link::{Finding, Severity};
use crate::secret::Secret;
use crate::text::{T, fill, tr};
use crate::transfer::{self, ProbeAnswer};
use crate::{format, present};

pub(super) async fn check(args: &CheckArgs) -> ExitCode {
    let text = match super::read_target(&args.url) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let now = jiff::Timestamp::now();
    // An upload form or a multipart set cannot be tried without writing: it is inspected.
    if let Some(set) = crate::link::parts::PartsSet::parse(&text) {
        if !args.json {
            println!("{}", tr(T::CheckUploadInspectedOnly));
        }
        return super::inspect::inspect_parts(set, args.json, now);
    }
    if let Some(form) = crate::post::PostForm::parse(&text) {
        if !args.json {
            println!("{}", tr(T::CheckUploadInspectedOnly));
        }
        return super::inspect::inspect_form(form, args.json, now);
    }
    let list = crate::batch::LinkList::read(&text);
    if list.links.len() > 1 {
        return check_list(&list, args.json, now).await;
    }
    let link = match parse_link(&text) {
        Ok(link) => link,
        Err(code) => return code,
    };
    let findings = link.findings(now, None);
    let mut report =
        CheckReport::of_link(&link, now, findings.iter().map(|f| f.id.as_str()).collect());
    let blocked = findings.iter().any(|f| f.severity == Severity::Error);

    if !present::check_sends_probe(&link) {
        report.result = if blocked { "refused" } else { "inspected" };
        if args.json {
            if let Err(code) = print_json(&report) {
                return code;
            }
        } else {
            println!("{}", tr(T::CheckUploadInspectedOnly));
            print_findings(&findings);
        }
        return exit(!blocked);
    }

    let client = match super::client_or_say() {
        Ok(client) => client,
        Err(code) => return code,
    };
    report.probed = true;
    let answer = transfer::probe(&client, &Secret::new(link.as_sent())).await;
    let ok = match &answer {
        Ok(ProbeAnswer::Accepted {
            status,
            size,
            response,
            ..
        }) => {
            report.result = "ok";
            report.status = Some(*status);
            report.size = *size;
            report.etag = response.etag.clone();
            report.content_type = response.content_type.clone();
            report.request_id = response.request_id.clone();
            server_clock(&mut report, &link, response.date.as_deref(), now);
            true
        }
        Ok(ProbeAnswer::Refused(refusal)) => {
            report.result = "refused";
            report.request_id = refusal.response.request_id.clone();
            server_clock(&mut report, &link, refusal.response.date.as_deref(), now);
            report.explanation = Some(crate::diagnose::of_check(&link, refusal, now));
            false
        }
        Err(error) => {
            report.result = "failed";
            report.error = Some(error.to_string());
            false
        }
    };
    if args.json {
        if let Err(code) = print_json(&report) {
            return code;
        }
        return exit(ok);
    }
    match (&answer, &report.explanation) {
        (Ok(ProbeAnswer::Accepted { .. }), _) => {
            println!(
                "{}",
                present::check_ok_line(&link, report.size, report.etag.as_deref())
            );
            if let Some(secs) = report.expires_in_secs {
                println!(
                    "{}",
                    fill(T::CheckValidFor, &[("span", &format::span_minutes(secs))])
                );
            }
        }
        (_, Some(diagnosis)) => {
            println!(
                "{}",
                fill(
                    T::CliRefused,
                    &[
                        ("status", &diagnosis.status.unwrap_or(0).to_string()),
                        ("reason", diagnosis.code.as_deref().unwrap_or_default())
                    ]
                )
            );
            eprintln!("\n{}", explanation_text(diagnosis));
        }
        (_, None) => println!(
            "{}",
            fill(
                T::CliFailed,
                &[("reason", report.error.as_deref().unwrap_or_default())]
            )
        ),
    }
    print_findings(&findings);
    exit(ok)
}

/// The server's clock against this computer's, and the time left on the server's clock.
fn server_clock(
    report: &mut CheckReport,
    link: &PresignedLink,
    date: Option<&str>,
    now: jiff::Timestamp,
) {
    report.server_date = date.map(str::to_owned);
    if let Some(offset) = this_computer_offset_secs(now, date) {
        report.clock_offset_secs = Some(offset);
        report.expires_in_secs =
            link.expires_in_secs(now - jiff::SignedDuration::from_secs(offset));
    }
}

fn print_findings(findings: &[Finding]) {
    for finding in findings {
        println!("  - {} ({})", finding.message, finding.id.as_str());
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REFUSED)
    }
}

/// `check` of a list: every link read, the download links among them probed (a few at once),
/// the upload links inspected only; the table, those that cannot work first.
async fn check_list(list: &crate::batch::LinkList, json: bool, now: jiff::Timestamp) -> ExitCode {
    use crate::batch::table::{self, Verdict};
    use futures_util::StreamExt;
    let mut rows = table::link_table(&list.links, now);
    let client = match super::client_or_say() {
        Ok(client) => client,
        Err(code) => return code,
    };
    let client = &client;
    let answers: Vec<(usize, Option<crate::queue::Checked>)> =
        futures_util::stream::iter(rows.iter().enumerate())
            .map(|(at, row)| async move {
                let text = &list.links[row.position - 1];
                let answer = match PresignedLink::parse(text) {
                    Ok(link) if row.verdict != Verdict::CannotWork => {
                        Some(crate::queue::check_link(client, &link, now).await)
                    }
                    _ => None,
                };
                (at, answer)
            })
            .buffer_unordered(CHECKS_AT_ONCE)
            .collect()
            .await;
    for (at, answer) in answers {
        if let Some((checked, words, works)) = answer {
            rows[at].take_check(checked, words, works);
        }
    }
    table::sort(&mut rows);
    super::inspect::print_table(list, &rows, json, now)
}

/// Checks of a list made at once.
const CHECKS_AT_ONCE: usize = 4;
