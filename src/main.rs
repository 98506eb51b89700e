//! The `presign-desk` binary: parse arguments, build the runtime, open the window or run a
//! command. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use presign_desk::cli::{Cli, Command};
use presign_desk::text::{T, fill};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match cli.command {
        None => open_window(&runtime, None),
        Some(Command::Gui { url }) => open_window(&runtime, url),
        Some(command) => runtime.block_on(presign_desk::cli::run(command)),
    }
}

fn open_window(runtime: &tokio::runtime::Runtime, url: Option<String>) -> ExitCode {
    match presign_desk::ui::run_window(runtime.handle().clone(), url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", fill(T::CliGuiFailed, &[("reason", &e.to_string())]));
            ExitCode::FAILURE
        }
    }
}
