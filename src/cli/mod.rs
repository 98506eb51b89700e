//! The terminal front end: the same core as the window, for scripts and testers.
//!
//! Exit codes: 0 success, 1 the server refused or the transfer failed, 2 bad usage or input.

mod batch;
mod check;
mod docs;
mod help;
mod inspect;
mod report;
mod transfer;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

pub use crate::queue::plan::output_path;
pub use docs::{completion_script, write_manual_pages};
pub use help::{command, language_in_args};

use crate::link::PresignedLink;
use crate::text::{T, fill};

/// Upload to and download from presigned URLs (S3, R2, MinIO, GCS, Azure SAS).
///
/// With no command, the window opens.
#[derive(Debug, Parser)]
#[command(name = "presign-desk", version, about, long_about = None)]
pub struct Cli {
    /// What to do; the window opens when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The language of what PresignDesk says (default: the system's, from LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "ja"], hide_possible_values = true)]
    pub lang: Option<String>,
}

impl Cli {
    /// The language asked for with `--lang`.
    pub fn language(&self) -> Option<crate::text::Language> {
        self.lang
            .as_deref()
            .and_then(crate::text::Language::from_code)
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the window, optionally with a link (and a file to upload) filled in.
    Gui {
        /// A presigned link to start with.
        url: Option<String>,
        /// A file to upload.
        #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        file: Option<PathBuf>,
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
    /// Check a link without changing anything: a download link is probed for its first byte;
    /// an upload link is inspected only. Exit code 0: the link works; 1: it does not.
    Check(CheckArgs),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages, English in DIR/man1 and Japanese in DIR/ja/man1 (for packagers).
    ManPages {
        /// The folder to write into.
        #[arg(value_hint = clap::ValueHint::DirPath)]
        dir: PathBuf,
    },
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The link, quoted.
    pub url: String,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file holding the error body; - or nothing reads standard input.
    #[arg(value_hint = clap::ValueHint::FilePath)]
    pub file: Option<PathBuf>,
    /// The link that was used, or the upload form (as `put` takes it; @FILE reads a file).
    #[arg(long)]
    pub url: Option<String>,
    /// The method that was used (default: the link's, POST for a form, else PUT).
    #[arg(long, value_parser = ["GET", "PUT", "POST", "get", "put", "post"])]
    pub method: Option<String>,
    /// The file that was uploaded (its name and size are read; nothing is sent).
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub sent_file: Option<PathBuf>,
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
    /// The presigned link, upload form or multipart set, quoted (@FILE reads it from a file);
    /// or a list of links (one a line) with the files for them, or a manifest of file and link
    /// pairs (CSV or JSON) with no files.
    pub url: String,
    /// The file to upload; for a list or a form, any number of files and folders.
    #[arg(value_hint = clap::ValueHint::AnyPath)]
    pub files: Vec<PathBuf>,
    /// Send exactly this Content-Type (default: guessed from the file name).
    #[arg(long, value_name = "TYPE", conflicts_with = "no_content_type")]
    pub content_type: Option<String>,
    /// Send no Content-Type header.
    #[arg(long)]
    pub no_content_type: bool,
    /// A header the link signs, as 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Send even if the file cannot match a checksum the link fixes (for testing).
    #[arg(long)]
    pub send_despite_checksum: bool,
    /// Send through a form even when its checks say the storage will refuse it (for testing).
    #[arg(long)]
    pub send_anyway: bool,
    /// Print the request as a curl command and send nothing (it keeps the signature).
    #[arg(long)]
    pub curl: bool,
    /// Print one JSON object for scripts.
    #[arg(long)]
    pub json: bool,
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
    /// For a list: how many files go at once.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub parallel: u32,
}

impl TransferArgs {
    fn options(&self, send_despite_checksum: bool) -> crate::transfer::Options {
        crate::transfer::Options {
            max_attempts: self.attempts,
            stall_timeout: Duration::from_secs(self.stall_timeout),
            verify: !self.no_verify,
            send_despite_checksum,
            ..crate::transfer::Options::default()
        }
    }
}

/// Arguments of `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The presigned link, quoted; @FILE reads it, or a list of links (one a line), or a
    /// manifest of link and file pairs, from a file.
    pub url: String,
    /// Where to save: a file, or a folder to save in (default: the key's name in the current
    /// folder; for a list, the folder every file goes to).
    #[arg(short, long, value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// The most connections a large download (over 32 MiB) may use; 1 turns ranges off.
    #[arg(long, value_name = "N", default_value_t = crate::transfer::DEFAULT_CONNECTIONS,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::transfer::MAX_CONNECTIONS)))]
    pub connections: u32,
    /// Print the request as a curl command and send nothing (it keeps the signature).
    #[arg(long)]
    pub curl: bool,
    /// Print one JSON object for scripts.
    #[arg(long)]
    pub json: bool,
    /// How the transfer behaves.
    #[command(flatten)]
    pub transfer: TransferArgs,
}

const EXIT_REFUSED: u8 = 1;
const EXIT_BAD_INPUT: u8 = crate::queue::plan::EXIT_BAD_INPUT;
/// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Runs `put` or `get` on the current tokio runtime.
pub async fn run(command: Command) -> ExitCode {
    match command {
        Command::Put(args) => transfer::put(args).await,
        Command::Get(args) => transfer::get(args).await,
        Command::Inspect(args) => inspect::inspect(&args),
        Command::Explain(args) => inspect::explain(&args),
        Command::Check(args) => check::check(&args).await,
        Command::Completions { shell } => docs::print_completions(shell),
        Command::ManPages { dir } => docs::man_pages(&dir),
        // The binary opens the window itself; reaching here is a caller's mistake.
        Command::Gui { .. } => ExitCode::from(EXIT_BAD_INPUT),
    }
}

/// A link or a form as given on the command line: the text, or `@FILE` to read it from a file.
pub(crate) fn read_target(arg: &str) -> Result<String, ExitCode> {
    let Some(path) = arg.strip_prefix('@') else {
        return Ok(arg.to_owned());
    };
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!(
            "{}",
            fill(T::CliNoBody, &[("path", path), ("reason", &e.to_string())])
        );
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

fn parse_link(text: &str) -> Result<PresignedLink, ExitCode> {
    PresignedLink::parse(text).map_err(|e| {
        eprintln!("{}", fill(T::CliBadLink, &[("reason", &e.to_string())]));
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

/// Prints `value` as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), ExitCode> {
    let json = serde_json::to_string_pretty(value).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(EXIT_REFUSED)
    })?;
    println!("{json}");
    Ok(())
}

/// The `--now` option, or the clock.
pub(crate) fn parse_now(now: Option<&str>) -> Result<jiff::Timestamp, ExitCode> {
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

/// The HTTP client every command sends with, or the reason none could be made, said on stderr
/// (exit code 1).
pub(crate) fn client_or_say() -> Result<reqwest::Client, ExitCode> {
    crate::transfer::http_client().map_err(|e| {
        eprintln!(
            "{}",
            fill(T::CliFailed, &[("reason", &e.without_url().to_string())])
        );
        ExitCode::from(EXIT_REFUSED)
    })
}

/// A token cancelled by Ctrl-C: what runs stops and removes its partial files, and the exit
/// code says why; a second Ctrl-C ends at once, whatever is still being cleaned up.
pub(crate) fn cancelled_by_ctrl_c() -> crate::transfer::CancellationToken {
    let cancel = crate::transfer::CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
        }
    });
    cancel
}
