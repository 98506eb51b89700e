//! The `presign-desk` program: the window, and the command line where the system gives it a
//! console. On Windows it is a window program (no console opens when it starts from the Start
//! menu); its twin `presign-desk-cli.exe` is the console program for cmd and PowerShell.
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    presign_desk::start::run()
}
