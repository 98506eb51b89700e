//! The terminal front end: the same core as the window, for scripts and testers.
//!
//! Exit codes: 0 success, 1 the server refused or the transfer failed, 2 bad usage or input.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};

use crate::content_type::{self, ContentTypeChoice};
use crate::diagnose::{Answer, Attempt, diagnose, explanation_text};
use crate::link::report::{InspectJson, summary_text};
use crate::link::{Operation, PresignedLink, Severity};
use crate::text::{T, fill};
use crate::transfer::{self, CancellationToken, Outcome, Plan, Progress, Reporter, TransferEvent};
use crate::{format, transfer::naming};

/// Upload to and download from presigned URLs (S3, R2, MinIO, GCS, Azure SAS).
///
/// With no command, the window opens.
#[derive(Debug, Parser)]
#[command(name = "presign-desk", version, about, long_about = None)]
pub struct Cli {
    /// What to do; the window opens when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the window, optionally with a link filled in.
    Gui {
        /// A presigned link to start with.
        url: Option<String>,
    },
    /// Upload FILE to a presigned PUT link.
    Put(PutArgs),
    /// Download from a presigned GET link.
    Get(GetArgs),
    /// Explain a server's error body (from FILE, or standard input when FILE is - or absent).
    Explain(ExplainArgs),
    /// Decode a link and say what it means. Exit code 0: nothing stops it from working;
    /// 1: it will not work as it is (expired, cut short...); 2: not a link.
    Inspect(InspectArgs),
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file holding the error body; - or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// The link that was used.
    #[arg(long)]
    pub url: Option<String>,
    /// The method that was used (default: the link's, else PUT).
    #[arg(long, value_parser = ["GET", "PUT", "get", "put"])]
    pub method: Option<String>,
    /// The Content-Type that was sent, if any.
    #[arg(long, value_name = "TYPE")]
    pub sent_content_type: Option<String>,
    /// The HTTP status of the answer.
    #[arg(long, value_name = "N")]
    pub status: Option<u16>,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// Judge expiry as at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The link, quoted.
    pub url: String,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// Judge the link as at this time (RFC 3339, e.g. 2026-11-24T06:30:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Arguments of `put`.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// The presigned link, quoted.
    pub url: String,
    /// The file to upload.
    pub file: PathBuf,
    /// Send exactly this Content-Type (default: guessed from the file name).
    #[arg(long, value_name = "TYPE", conflicts_with = "no_content_type")]
    pub content_type: Option<String>,
    /// Send no Content-Type header.
    #[arg(long)]
    pub no_content_type: bool,
    /// Send even if the file cannot match a checksum the link fixes (for testing).
    #[arg(long)]
    pub send_despite_checksum: bool,
    /// How the transfer behaves.
    #[command(flatten)]
    pub transfer: TransferArgs,
}

/// Options shared by `put` and `get`.
#[derive(Debug, Args)]
pub struct TransferArgs {
    /// Attempts in all when the connection breaks or the server has a passing problem.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub attempts: u32,
    /// End an attempt when no byte moves for this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub stall_timeout: u64,
    /// Skip the MD5 verification of what arrived.
    #[arg(long)]
    pub no_verify: bool,
}

impl TransferArgs {
    fn options(&self, send_despite_checksum: bool) -> transfer::Options {
        transfer::Options {
            max_attempts: self.attempts,
            stall_timeout: Duration::from_secs(self.stall_timeout),
            verify: !self.no_verify,
            send_despite_checksum,
            ..transfer::Options::default()
        }
    }
}

/// Arguments of `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The presigned link, quoted.
    pub url: String,
    /// Where to save: a file, or a folder to save in (default: the key's name in the current
    /// folder).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// How the transfer behaves.
    #[command(flatten)]
    pub transfer: TransferArgs,
}

const EXIT_REFUSED: u8 = 1;
/// The most of an error body `explain` reads (one byte more than the reader keeps, to know).
const MAX_READ: u64 = crate::diagnose::MAX_ERROR_BODY_BYTES as u64 + 1;
const EXIT_BAD_INPUT: u8 = 2;

/// Runs `put` or `get` on the current tokio runtime.
pub async fn run(command: Command) -> ExitCode {
    match command {
        Command::Put(args) => put(args).await,
        Command::Get(args) => get(args).await,
        Command::Inspect(args) => inspect(&args),
        Command::Explain(args) => explain(&args),
        // The binary opens the window itself; reaching here is a caller's mistake.
        Command::Gui { .. } => ExitCode::from(EXIT_BAD_INPUT),
    }
}

fn parse_link(text: &str) -> Result<PresignedLink, ExitCode> {
    PresignedLink::parse(text).map_err(|e| {
        eprintln!("{}", fill(T::CliBadLink, &[("reason", &e.to_string())]));
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

async fn put(args: PutArgs) -> ExitCode {
    let link = match parse_link(&args.url) {
        Ok(link) => link,
        Err(code) => return code,
    };
    let no_file = |reason: String| {
        eprintln!(
            "{}",
            fill(
                T::CliNoFile,
                &[
                    ("path", &args.file.display().to_string()),
                    ("reason", &reason)
                ]
            )
        );
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let len = match tokio::fs::metadata(&args.file).await {
        Ok(meta) if meta.is_file() => meta.len(),
        Ok(_) => return no_file(crate::text::tr(T::FileIsFolder).to_owned()),
        Err(e) => return no_file(e.to_string()),
    };
    let choice = if args.no_content_type {
        ContentTypeChoice::none()
    } else if let Some(value) = args.content_type {
        ContentTypeChoice::send(value)
    } else {
        content_type::default_choice(Some(&link), &args.file)
    };
    let plan = Plan::upload(&link, args.file.clone(), len, choice.header_value());
    eprintln!(
        "{}",
        fill(
            T::CliUploading,
            &[
                ("size", &format::bytes(len)),
                ("target", &target_name(&link))
            ]
        )
    );
    let options = args.transfer.options(args.send_despite_checksum);
    finish(execute(&plan, &options).await, &plan)
}

async fn get(args: GetArgs) -> ExitCode {
    let link = match parse_link(&args.url) {
        Ok(link) => link,
        Err(code) => return code,
    };
    let destination = output_path(args.output.as_deref(), &naming::file_name_for(&link));
    if destination.exists() && !args.overwrite {
        eprintln!(
            "{}",
            fill(
                T::CliOutputExists,
                &[("path", &destination.display().to_string())]
            )
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let mut plan = Plan::download(&link, destination, args.overwrite);
    // The server may name the file unless the user did.
    if args.output.as_deref().is_none_or(Path::is_dir) {
        plan = plan.with_name_from_response();
    }
    eprintln!(
        "{}",
        fill(T::CliDownloading, &[("target", &target_name(&link))])
    );
    finish(execute(&plan, &args.transfer.options(false)).await, &plan)
}

/// Prints `value` as pretty JSON on stdout.
fn print_json(value: &impl serde::Serialize) -> Result<(), ExitCode> {
    let json = serde_json::to_string_pretty(value).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(EXIT_REFUSED)
    })?;
    println!("{json}");
    Ok(())
}

/// The `--now` option, or the clock.
fn parse_now(now: Option<&str>) -> Result<jiff::Timestamp, ExitCode> {
    match now.map(str::parse::<jiff::Timestamp>) {
        None => Ok(jiff::Timestamp::now()),
        Some(Ok(now)) => Ok(now),
        Some(Err(_)) => {
            eprintln!(
                "{}",
                fill(T::CliBadNow, &[("value", now.unwrap_or_default())])
            );
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

fn explain(args: &ExplainArgs) -> ExitCode {
    let now = match parse_now(args.now.as_deref()) {
        Ok(now) => now,
        Err(code) => return code,
    };
    let link = match args.url.as_deref().map(parse_link).transpose() {
        Ok(link) => link,
        Err(code) => return code,
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
    let body = crate::diagnose::ErrorBody::parse(&bytes);
    let operation = match args
        .method
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("GET") => Operation::Get,
        Some(_) => Operation::Put,
        None => link
            .as_ref()
            .and_then(|l| l.operation)
            .unwrap_or(Operation::Put),
    };
    let attempt = Attempt {
        sent_content_type: args.sent_content_type.clone(),
        ..Attempt::new(link.as_ref(), operation)
    };
    let answer = Answer {
        status: args.status,
        body: &body,
        date: None,
        error_code_header: None,
    };
    let diagnosis = diagnose(&attempt, &answer, now);
    if args.json {
        if let Err(code) = print_json(&diagnosis) {
            return code;
        }
    } else {
        print!("{}", explanation_text(&diagnosis));
    }
    ExitCode::SUCCESS
}

fn inspect(args: &InspectArgs) -> ExitCode {
    let now = match parse_now(args.now.as_deref()) {
        Ok(now) => now,
        Err(code) => return code,
    };
    let link = match parse_link(&args.url) {
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

/// Where `get` saves: `-o` as a file, or the link's file name inside `-o` when it is a folder.
pub fn output_path(output: Option<&Path>, file_name: &str) -> PathBuf {
    match output {
        Some(path) if path.is_dir() => path.join(file_name),
        Some(path) => path.to_owned(),
        None => PathBuf::from(file_name),
    }
}

fn target_name(link: &PresignedLink) -> String {
    match (&link.bucket, &link.key) {
        (Some(bucket), Some(key)) => format!("{bucket}/{key}"),
        _ => link.host(),
    }
}

async fn execute(plan: &Plan, options: &transfer::Options) -> Outcome {
    let client = match transfer::http_client() {
        Ok(client) => client,
        Err(e) => {
            return Outcome::Failed(transfer::TransferError::Connect(
                e.without_url().to_string(),
            ));
        }
    };
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
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
                } => printer.note(&fill(
                    T::Retrying,
                    &[
                        ("attempt", &next_attempt.to_string()),
                        ("max", &max_attempts.to_string()),
                        ("delay", &format::duration(delay)),
                        ("reason", &reason),
                    ],
                )),
            }
        }
    });
    let outcome = transfer::run_with(&client, plan, options, report, &cancel).await;
    if let Ok(mut printer) = printer.lock() {
        printer.end();
    }
    outcome
}

fn finish(outcome: Outcome, plan: &Plan) -> ExitCode {
    let none = || crate::text::tr(T::None_).to_owned();
    match outcome {
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
            let link = PresignedLink::parse(plan.url.expose()).ok();
            let attempt = Attempt::of_plan(plan, link.as_ref());
            let diagnosis = diagnose(
                &attempt,
                &Answer::of_refusal(&refusal),
                jiff::Timestamp::now(),
            );
            eprintln!("\n{}", explanation_text(&diagnosis));
            eprintln!("{}", plan.describe().trim_end());
            eprintln!("{}", crate::diagnose::readable(&refusal.body));
            ExitCode::from(EXIT_REFUSED)
        }
        Outcome::Failed(error) => {
            println!("{}", fill(T::CliFailed, &[("reason", &error.to_string())]));
            ExitCode::from(EXIT_REFUSED)
        }
        Outcome::Cancelled => {
            println!("{}", crate::text::tr(T::CliCancelled));
            ExitCode::from(EXIT_REFUSED)
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
        let line = progress_line(progress);
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

/// One line of progress: `12.0 MiB of 200 MiB · 45.0 MiB/s · 4.2 s left`, and the attempt
/// once there was a retry.
pub fn progress_line(progress: &Progress) -> String {
    let line = progress_figures(progress);
    if progress.attempt > 1 {
        format!(
            "{line} · {}",
            fill(
                T::AttemptNumber,
                &[("attempt", &progress.attempt.to_string())]
            )
        )
    } else {
        line
    }
}

fn progress_figures(progress: &Progress) -> String {
    let done = format::bytes(progress.bytes_done);
    let speed = format::speed(progress.bytes_per_sec);
    match progress.total_bytes {
        Some(total) => {
            let eta = progress
                .eta()
                .map(format::duration)
                .unwrap_or_else(|| crate::text::tr(T::None_).to_owned());
            let percent = progress.fraction().unwrap_or_default() * 100.0;
            format!(
                "{percent:5.1}% {}",
                fill(
                    T::ProgressKnown,
                    &[
                        ("done", &done),
                        ("total", &format::bytes(total)),
                        ("speed", &speed),
                        ("eta", &eta)
                    ],
                )
            )
        }
        None => fill(T::ProgressUnknown, &[("done", &done), ("speed", &speed)]),
    }
}
