//! `put` and `get`: a transfer from the terminal, progress on stderr, the result on stdout.
//! What is sent is built in `plan.rs`; this file runs it and prints.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::report::TransferReport;
use super::{EXIT_BAD_INPUT, EXIT_REFUSED, GetArgs, PutArgs, parse_link};
use crate::diagnose::explanation_text;
use crate::queue::plan;
use crate::text::{T, fill};
use crate::transfer::{self, Outcome, Plan, Progress, Reporter, TransferEvent};
use crate::{format, present};

pub(super) async fn put(args: PutArgs) -> ExitCode {
    let text = match super::read_target(&args.url) {
        Ok(text) => text,
        Err(code) => return code,
    };
    match crate::link::parts::PartsSet::parse(&text) {
        Some(Ok(set)) => return put_parts(args, set).await,
        Some(Err(problem)) => {
            eprintln!(
                "{}",
                fill(T::CliBadLink, &[("reason", &problem.to_string())])
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        None => {}
    }
    // A list of links, a manifest, or a form with many files.
    if let Some(code) = super::batch::put(&args, &text).await {
        return code;
    }
    let [file] = args.files.as_slice() else {
        eprintln!("{}", crate::text::tr(T::BatchOneFile));
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let file = file.clone();
    match crate::post::PostForm::parse(&text) {
        Some(Ok(form)) => return put_form(args, form, file).await,
        Some(Err(e)) => {
            eprintln!("{}", fill(T::CliBadLink, &[("reason", &e.to_string())]));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        None => {}
    }
    let link = match parse_link(&text) {
        Ok(link) => link,
        Err(code) => return code,
    };
    let len = match plan::file_len(&file).await {
        Ok(len) => len,
        Err(stop) => return stop.say(),
    };
    let choice = plan::file_type(
        args.no_content_type,
        args.content_type.as_deref(),
        &link,
        &file,
    );
    let plan = match plan::upload(&link, &file, len, &choice, &args.headers).await {
        Ok(plan) => plan,
        Err(stop) => return stop.say(),
    };
    if args.curl {
        return print_curl(&plan);
    }
    eprintln!(
        "{}",
        fill(
            T::CliUploading,
            &[
                ("size", &format::bytes(len)),
                ("target", &crate::link::target_name(&link))
            ]
        )
    );
    let mut options = args.transfer.options(args.send_despite_checksum);
    if plan.sent_in_parts() {
        // Blocks: as many at once as help, and a record to go on after a cut or a restart.
        options.connections = transfer::MAX_PART_CONNECTIONS;
        options.upload_records = crate::settings::Settings::upload_records_folder();
    }
    let run = execute(&plan, &options).await;
    finish(run, &plan, args.json).await
}

pub(super) async fn get(args: GetArgs) -> ExitCode {
    // A list of links or a manifest, from a file.
    if args.url.starts_with('@') {
        let text = match super::read_target(&args.url) {
            Ok(text) => text,
            Err(code) => return code,
        };
        if let Some(code) = super::batch::get(&args, &text).await {
            return code;
        }
        return match parse_link(&text) {
            Ok(link) => get_one(args, link).await,
            Err(code) => code,
        };
    }
    let link = match parse_link(&args.url) {
        Ok(link) => link,
        Err(code) => return code,
    };
    get_one(args, link).await
}

async fn get_one(args: GetArgs, link: crate::link::PresignedLink) -> ExitCode {
    let plan = match plan::download(&link, args.output.as_deref(), args.overwrite) {
        Ok(plan) => plan,
        Err(stop) => return stop.say(),
    };
    if args.curl {
        return print_curl(&plan);
    }
    eprintln!(
        "{}",
        fill(
            T::CliDownloading,
            &[("target", &crate::link::target_name(&link))]
        )
    );
    let options = transfer::Options {
        connections: args.connections,
        ..args.transfer.options(false)
    };
    let run = execute(&plan, &options).await;
    finish(run, &plan, args.json).await
}

/// `--curl`: the request on stdout as a command, the warning that it holds the signature on
/// stderr; nothing is sent.
fn print_curl(plan: &Plan) -> ExitCode {
    println!("{}", present::curl_command(plan));
    eprintln!("{}", crate::text::tr(T::CliCurlKeepsSecret));
    ExitCode::SUCCESS
}

/// `put` through an upload form: its checks first (a check that cannot pass stops it unless
/// the tester sends anyway), then the form posted with the file.
async fn put_form(args: PutArgs, form: crate::post::PostForm, file: PathBuf) -> ExitCode {
    let len = match plan::file_len(&file).await {
        Ok(len) => len,
        Err(stop) => return stop.say(),
    };
    let upload = plan::form_upload(
        &form,
        &file,
        len,
        args.no_content_type,
        args.content_type.as_deref(),
        jiff::Timestamp::now(),
    );
    let plan = upload.plan;
    if args.curl {
        return print_curl(&plan);
    }
    if !upload.problems.is_empty() && !args.send_anyway {
        let diagnosis = crate::diagnose::of_form_problems(&form, &upload.problems);
        let error = transfer::TransferError::FormCheck(diagnosis.title.clone());
        if args.json {
            let report = TransferReport::new(
                plan.operation(),
                &Outcome::Failed(error),
                Duration::ZERO,
                1,
                Some(diagnosis),
            );
            return super::print_json(&report)
                .err()
                .unwrap_or(ExitCode::from(EXIT_REFUSED));
        }
        println!("{}", fill(T::CliFailed, &[("reason", &error.to_string())]));
        eprintln!("\n{}", explanation_text(&diagnosis));
        return ExitCode::from(EXIT_REFUSED);
    }
    eprintln!(
        "{}",
        fill(
            T::CliUploading,
            &[("size", &format::bytes(len)), ("target", &upload.target)]
        )
    );
    let options = args.transfer.options(args.send_despite_checksum);
    let run = execute(&plan, &options).await;
    finish(run, &plan, args.json).await
}

/// `put` through a multipart set: the file cut into the set's parts (checked before anything
/// is sent), the parts sent in parallel, then the upload completed and its ETag checked.
async fn put_parts(args: PutArgs, set: crate::link::parts::PartsSet) -> ExitCode {
    let [file] = args.files.as_slice() else {
        eprintln!("{}", crate::text::tr(T::BatchOneFile));
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let file = file.clone();
    let len = match plan::file_len(&file).await {
        Ok(len) => len,
        Err(stop) => return stop.say(),
    };
    let layout = match set.layout(len) {
        Ok(layout) => layout,
        Err(problem) => {
            eprintln!("{problem}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let target = crate::link::target_name(&set.complete);
    let plan = Plan::parts(set, layout, file, len);
    if args.curl {
        return print_curl(&plan);
    }
    eprintln!(
        "{}",
        fill(
            T::CliUploadingParts,
            &[
                ("size", &format::bytes(len)),
                ("target", &target),
                ("count", &layout.count.to_string()),
                ("part_size", &format::bytes(layout.part_size)),
            ]
        )
    );
    let options = transfer::Options {
        connections: transfer::MAX_PART_CONNECTIONS,
        upload_records: crate::settings::Settings::upload_records_folder(),
        ..args.transfer.options(false)
    };
    let run = execute(&plan, &options).await;
    finish(run, &plan, args.json).await
}

/// How a transfer went, with what the JSON report needs beside the outcome.
struct Run {
    outcome: Outcome,
    elapsed: Duration,
    attempts: u32,
    client: Option<reqwest::Client>,
}

async fn execute(plan: &Plan, options: &transfer::Options) -> Run {
    let started = Instant::now();
    let client = match transfer::http_client() {
        Ok(client) => client,
        Err(e) => {
            return Run {
                outcome: Outcome::Failed(transfer::TransferError::Connect(
                    e.without_url().to_string(),
                )),
                elapsed: started.elapsed(),
                attempts: 1,
                client: None,
            };
        }
    };
    let attempts = Arc::new(AtomicU32::new(1));
    let count = attempts.clone();
    let cancel = super::cancelled_by_ctrl_c();
    let printer = Arc::new(Mutex::new(ProgressPrinter::new()));
    let report_printer = printer.clone();
    let report: Reporter = Arc::new(move |event| {
        if let Ok(mut printer) = report_printer.lock() {
            match event {
                TransferEvent::Progress(progress) => printer.show(&progress),
                TransferEvent::Retrying {
                    next_attempt,
                    max_attempts,
                    delay,
                    reason,
                } => {
                    count.fetch_max(next_attempt, Ordering::Relaxed);
                    printer.note(&present::retry_notice(
                        next_attempt,
                        max_attempts,
                        delay,
                        &reason,
                    ))
                }
                TransferEvent::PartsAlreadyThere { done, total, .. } => printer.note(&fill(
                    T::PartsAlreadyThere,
                    &[
                        ("done", &done.to_string()),
                        ("total", &total.to_string()),
                        ("left", &(total - done).to_string()),
                    ],
                )),
                TransferEvent::PartsKept { kept, total } => printer.note(&fill(
                    T::PartsKept,
                    &[
                        ("kept", &kept.to_string()),
                        ("total", &total.to_string()),
                        ("left", &(total - kept).to_string()),
                    ],
                )),
                TransferEvent::PartialLeft { path, reason } => {
                    printer.note(&present::partial_left_notice(&path, &reason))
                }
                // The progress line counts the bytes; the window draws the parts.
                TransferEvent::PartArrived { .. } => {}
                TransferEvent::PartsNeedLinks {
                    numbers,
                    kept,
                    total,
                } => printer.note(&present::parts_need_links(&numbers, kept, total)),
            }
        }
    });
    let outcome = transfer::run_with(&client, plan, options, report, &cancel).await;
    if let Ok(mut printer) = printer.lock() {
        printer.end();
    }
    Run {
        outcome,
        elapsed: started.elapsed(),
        attempts: attempts.load(Ordering::Relaxed),
        client: Some(client),
    }
}

/// The explanation of a refusal; a signature refusal of an upload link that does not say what
/// it was made for is settled by a download probe first.
async fn explain_refusal(
    refusal: &transfer::Refusal,
    plan: &Plan,
    client: Option<&reqwest::Client>,
) -> crate::diagnose::Diagnosis {
    let probe = match client {
        Some(client) => transfer::settle_refusal(client, plan, refusal).await,
        None => None,
    };
    crate::diagnose::of_refusal(plan, refusal, probe, jiff::Timestamp::now())
}

async fn finish(run: Run, plan: &Plan, json: bool) -> ExitCode {
    let code = match run.outcome {
        Outcome::Succeeded(_) => ExitCode::SUCCESS,
        Outcome::Cancelled => ExitCode::from(super::EXIT_INTERRUPTED),
        _ => ExitCode::from(EXIT_REFUSED),
    };
    if json {
        let explanation = match &run.outcome {
            Outcome::Refused(refusal) => {
                Some(explain_refusal(refusal, plan, run.client.as_ref()).await)
            }
            Outcome::Failed(error) => crate::diagnose::of_local(plan, error),
            _ => None,
        };
        let report = TransferReport::new(
            plan.operation(),
            &run.outcome,
            run.elapsed,
            run.attempts,
            explanation,
        );
        return super::print_json(&report).err().unwrap_or(code);
    }
    let none = || crate::text::tr(T::None_).to_owned();
    match &run.outcome {
        Outcome::Succeeded(success) => {
            let values = [
                ("size", format::bytes(success.bytes)),
                ("time", format::duration(success.elapsed)),
                ("status", success.status.to_string()),
                ("etag", success.response.etag.clone().unwrap_or_else(none)),
                (
                    "request_id",
                    success.response.request_id.clone().unwrap_or_else(none),
                ),
                (
                    "path",
                    success
                        .saved_to
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                ),
            ];
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let id = if success.saved_to.is_some() {
                T::CliDownloaded
            } else {
                T::CliUploaded
            };
            println!(
                "{} · {}",
                fill(id, &values),
                success.verification.describe()
            );
            for note in present::upload_notes(plan, success) {
                eprintln!("{note}");
            }
            if let Some(line) = present::connections_line(success) {
                eprintln!("{line}");
            }
            ExitCode::SUCCESS
        }
        Outcome::Refused(refusal) => {
            let mut line = fill(
                T::CliRefused,
                &[
                    ("status", &refusal.status.to_string()),
                    ("reason", &refusal.reason),
                ],
            );
            if let Some(code) = &refusal.body.code {
                line.push_str(&format!(" · {code}"));
            }
            if let Some(message) = &refusal.body.message {
                line.push_str(&format!(": {message}"));
            }
            println!("{line}");
            let diagnosis = explain_refusal(refusal, plan, run.client.as_ref()).await;
            eprintln!("\n{}", explanation_text(&diagnosis));
            // The same text as the window's "Copy details", for a ticket.
            eprintln!("{}", present::ticket(plan, &run.outcome).trim_end());
            ExitCode::from(EXIT_REFUSED)
        }
        Outcome::Failed(error) => {
            println!("{}", fill(T::CliFailed, &[("reason", &error.to_string())]));
            // A request PresignDesk would not send is explained as a refusal is.
            if let Some(diagnosis) = crate::diagnose::of_local(plan, error) {
                eprintln!("\n{}", explanation_text(&diagnosis));
            }
            ExitCode::from(EXIT_REFUSED)
        }
        Outcome::Cancelled => {
            println!("{}", crate::text::tr(T::CliCancelled));
            // The parts that arrived stay on the storage and in the record.
            if plan.sent_in_parts() {
                eprintln!("{}", crate::text::tr(T::PartsCancelledKept));
            }
            ExitCode::from(super::EXIT_INTERRUPTED)
        }
    }
}

/// Progress on stderr: one self-updating line on a terminal, a line a second otherwise.
struct ProgressPrinter {
    terminal: bool,
    last_line: Option<Instant>,
    drawn: bool,
}

impl ProgressPrinter {
    fn new() -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            last_line: None,
            drawn: false,
        }
    }

    fn show(&mut self, progress: &Progress) {
        let line = present::progress_line(progress);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
            self.drawn = true;
        } else if self
            .last_line
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
        {
            self.last_line = Some(Instant::now());
            let _ = writeln!(err, "{line}");
        }
    }

    /// A line of its own (a retry), after the progress line.
    fn note(&mut self, line: &str) {
        self.end();
        self.drawn = false;
        eprintln!("{line}");
    }

    fn end(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}
