//! The process's start, shared by both programs (`presign-desk`, and on Windows the console
//! program `presign-desk-cli`): choose the language, parse arguments, build the runtime, open
//! the window or run a command.

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::text::{Language, T, fill, language};
use crate::ui::Launch;
use clap::FromArgMatches;

/// Runs the program with the process's arguments: the window, or the command they name.
pub fn run() -> ExitCode {
    let started = std::time::Instant::now();
    // The language comes first: `--help` is printed in it while the arguments are parsed.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let chosen = crate::cli::language_in_args(&args);
    language::set_process_language(chosen.unwrap_or_else(Language::system));
    let matches = crate::cli::command().get_matches_from(&args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("presign-desk-io")
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!(
                "{}",
                fill(T::CliRuntimeFailed, &[("reason", &e.to_string())])
            );
            return ExitCode::FAILURE;
        }
    };
    let launch = |url, file| Launch {
        url,
        file,
        language: chosen,
        // For the measurements in scripts/gui-bench.sh.
        report_timing: std::env::var_os("PRESIGNDESK_REPORT_TIMING").map(|_| started),
    };
    match cli.command {
        None => open_window(&runtime, launch(None, None)),
        Some(Command::Gui { url, file }) => {
            // `@FILE`: the link, or a list of links, read from a file.
            let url = match url.as_deref().map(crate::cli::read_target).transpose() {
                Ok(url) => url,
                Err(code) => return code,
            };
            open_window(&runtime, launch(url, file))
        }
        Some(command) => runtime.block_on(crate::cli::run(command)),
    }
}

fn open_window(runtime: &tokio::runtime::Runtime, launch: Launch) -> ExitCode {
    match crate::ui::run_window(runtime.handle().clone(), launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", fill(T::CliGuiFailed, &[("reason", &e.to_string())]));
            ExitCode::FAILURE
        }
    }
}
