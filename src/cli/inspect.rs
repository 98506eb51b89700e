//! `explain` and `inspect`: what a server's answer and a link mean, as text or JSON.

use std::path::Path;
use std::process::ExitCode;

use super::{
    EXIT_BAD_INPUT, EXIT_REFUSED, ExplainArgs, InspectArgs, parse_link, parse_now, print_json,
};
use crate::diagnose::pasted::PastedAnswer;
use crate::diagnose::{Attempt, diagnose, explanation_text};
use crate::link::report::{InspectJson, summary_text};
use crate::link::{Operation, Severity};
use crate::text::{T, fill};

/// The most of an error body `explain` reads (one byte more than the reader keeps, to know).
const MAX_READ: u64 = crate::diagnose::MAX_ERROR_BODY_BYTES as u64 + 1;

pub(super) fn explain(args: &ExplainArgs) -> ExitCode {
    let now = match parse_now(args.now.as_deref()) {
        Ok(now) => now,
        Err(code) => return code,
    };
    let target = match args.url.as_deref().map(super::read_target).transpose() {
        Ok(target) => target,
        Err(code) => return code,
    };
    // The form when one was given (every shape `put` takes), else the link.
    let form = match target.as_deref().and_then(crate::post::PostForm::parse) {
        Some(Ok(form)) => Some(form),
        Some(Err(e)) => {
            eprintln!("{}", fill(T::CliBadLink, &[("reason", &e.to_string())]));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        None => None,
    };
    let link = match target.as_deref().filter(|_| form.is_none()).map(parse_link) {
        Some(Ok(link)) => Some(link),
        Some(Err(code)) => return code,
        None => None,
    };
    let sent_file = match args.sent_file.as_deref().map(std::fs::metadata).transpose() {
        Ok(meta) => meta.map(|m| m.len()),
        Err(e) => {
            let path = args.sent_file.as_deref().unwrap_or(Path::new("-"));
            eprintln!(
                "{}",
                fill(
                    T::CliNoBody,
                    &[
                        ("path", &path.display().to_string()),
                        ("reason", &e.to_string())
                    ]
                )
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let source = args.file.as_deref().filter(|p| *p != Path::new("-"));
    let mut bytes = Vec::new();
    let read = match source {
        Some(path) => std::fs::File::open(path).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_READ), &mut bytes)
        }),
        None => std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), MAX_READ),
            &mut bytes,
        ),
    };
    if let Err(e) = read {
        let path = source.unwrap_or(Path::new("-")).display().to_string();
        eprintln!(
            "{}",
            fill(T::CliNoBody, &[("path", &path), ("reason", &e.to_string())])
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // The body alone, or what a tool printed around it (`curl -i`, `curl -v`): the pasted
    // status line and headers are read as the window reads them; `--status` wins.
    let mut pasted = PastedAnswer::of_text(&String::from_utf8_lossy(&bytes));
    if args.status.is_some() {
        pasted.status = args.status;
    }
    let method = args.method.as_deref().map(str::to_ascii_uppercase);
    let operation = match method.as_deref() {
        Some("GET") => Operation::Get,
        Some(_) => Operation::Put,
        None => link
            .as_ref()
            .and_then(|l| l.operation)
            .unwrap_or(Operation::Put),
    };
    let attempt = Attempt {
        // Without --method the operation is assumed; the server's echo may correct it.
        operation_known: args.method.is_some(),
        form: form.as_ref(),
        posted: form.is_some() || method.as_deref() == Some("POST"),
        file_name: args.sent_file.as_deref().map(crate::link::file_name),
        file_len_bytes: sent_file,
        ..Attempt::new(link.as_ref(), operation)
    }
    .sending_content_type(args.sent_content_type.as_deref());
    let diagnosis = diagnose(&attempt, &pasted.answer(), now);
    if args.json {
        if let Err(code) = print_json(&diagnosis) {
            return code;
        }
    } else {
        print!("{}", explanation_text(&diagnosis));
    }
    ExitCode::SUCCESS
}

pub(super) fn inspect(args: &InspectArgs) -> ExitCode {
    let now = match parse_now(args.now.as_deref()) {
        Ok(now) => now,
        Err(code) => return code,
    };
    let text = match super::read_target(&args.url) {
        Ok(text) => text,
        Err(code) => return code,
    };
    if let Some(set) = crate::link::parts::PartsSet::parse(&text) {
        return inspect_parts(set, args.json, now);
    }
    if let Some(form) = crate::post::PostForm::parse(&text) {
        return inspect_form(form, args.json, now);
    }
    let list = crate::batch::LinkList::read(&text);
    if list.links.len() > 1 {
        let rows = crate::batch::link_table(&list.links, now);
        return print_table(&list, &rows, args.json, now);
    }
    let link = match parse_link(&text) {
        Ok(link) => link,
        Err(code) => return code,
    };
    let report = InspectJson::new(&link, now);
    let blocked = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    if args.json {
        if let Err(code) = print_json(&report) {
            return code;
        }
    } else {
        print!("{}", summary_text(&link, &report.findings, now));
    }
    if blocked {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `inspect` of a multipart set: where it goes, its parts, every link redacted; exit code 1
/// once its earliest link has expired.
pub(super) fn inspect_parts(
    set: Result<crate::link::parts::PartsSet, crate::link::parts::SetProblem>,
    json: bool,
    now: jiff::Timestamp,
) -> ExitCode {
    let set = match set {
        Ok(set) => set,
        Err(problem) => {
            eprintln!(
                "{}",
                fill(T::CliBadLink, &[("reason", &problem.to_string())])
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let report = crate::present::PartsJson::new(&set, now);
    if json {
        if let Err(code) = print_json(&report) {
            return code;
        }
    } else {
        print!("{}", crate::present::parts_summary(&set, now));
    }
    if report.expired {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `inspect` of an upload form: its policy in words; exit code 1 when it cannot work as it is
/// (expired, or carrying a field its policy does not cover).
pub(super) fn inspect_form(
    form: Result<crate::post::PostForm, crate::post::FormError>,
    json: bool,
    now: jiff::Timestamp,
) -> ExitCode {
    use crate::post::report::{FormJson, summary_text, uncovered};
    let form = match form {
        Ok(form) => form,
        Err(e) => {
            eprintln!("{}", fill(T::CliBadLink, &[("reason", &e.to_string())]));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if json {
        if let Err(code) = print_json(&FormJson::new(&form, now)) {
            return code;
        }
    } else {
        print!("{}", summary_text(&form, now));
    }
    let expired = form.expires_at().is_some_and(|at| at <= now);
    if expired || !uncovered(&form).is_empty() {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// The table of many links: a line each (those that cannot work first) and a summary, or the
/// rows as a JSON array; exit code 1 when any cannot work.
pub(super) fn print_table(
    list: &crate::batch::LinkList,
    rows: &[crate::batch::LinkRow],
    json: bool,
    now: jiff::Timestamp,
) -> ExitCode {
    use crate::batch::table::{Verdict, summary_line};
    if json {
        if let Err(code) = print_json(&rows) {
            return code;
        }
    } else {
        println!("{}", summary_line(rows));
        for row in rows {
            println!("{}", row.line(now));
        }
    }
    super::batch::say_duplicates(list);
    if rows.iter().any(|r| r.verdict == Verdict::CannotWork) {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}
