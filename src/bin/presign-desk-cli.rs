//! `presign-desk-cli`: the same program as `presign-desk`, built as a console program. On
//! Windows, where `presign-desk.exe` is a window program whose output no console shows, this is
//! the one to run in cmd or PowerShell: output on the console, pipes and redirects, exit codes.

fn main() -> std::process::ExitCode {
    presign_desk::start::run()
}
