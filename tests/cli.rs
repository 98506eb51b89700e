//! The CLI, run as a process against the playground.

mod playground;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::link::PresignedLink;

const HOUR: Duration = Duration::from_secs(3600);

fn presign_desk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_presign-desk"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Fails if the output shows the link's signature anywhere.
fn assert_no_signature(output: &Output, url: &str) {
    let link = PresignedLink::parse(url).unwrap();
    let signature = link
        .raw()
        .query_params()
        .into_iter()
        .find(|p| p.name == "X-Amz-Signature" || p.name == "Signature")
        .map(|p| p.value)
        .unwrap();
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(!all.contains(&signature), "signature leaked: {all}");
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn put_then_get() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, "hello cli").unwrap();

    let url = pg.sign_v4(Method::Put, "cli/hello.txt", HOUR);
    let out = presign_desk(&["put", &url, &path_arg(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("uploaded 9 B in "), "{stdout}");
    assert!(
        stdout.contains("HTTP 200") && stdout.contains("ETag \""),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "one line of result");
    assert!(text(&out.stderr).contains("Uploading 9 B to playground/cli/hello.txt"));
    assert_eq!(
        pg.last_received().header("content-type"),
        Some("text/plain"),
        "guessed from .txt"
    );
    assert_no_signature(&out, &url);

    let get_url = pg.sign_v4(Method::Get, "cli/hello.txt", HOUR);
    let back = dir.path().join("back.txt");
    let out = presign_desk(&["get", &get_url, "-o", &path_arg(&back)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("downloaded 9 B in "));
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "hello cli");
    assert_no_signature(&out, &get_url);

    // -o naming a folder saves under the key's name.
    let folder = dir.path().join("into");
    std::fs::create_dir(&folder).unwrap();
    let out = presign_desk(&["get", &get_url, "-o", &path_arg(&folder)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(folder.join("hello.txt")).unwrap(),
        "hello cli"
    );
}

#[test]
fn content_type_flags() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("table.csv");
    std::fs::write(&file, "a,b").unwrap();
    let url = pg.sign_v4_with(
        Method::Put,
        "t.csv",
        HOUR,
        Some("application/vnd.custom"),
        jiff::Timestamp::now(),
    );

    let out = presign_desk(&["put", &url, &path_arg(&file), "--no-content-type"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(pg.last_received().header("content-type"), None);

    let out = presign_desk(&[
        "put",
        &url,
        &path_arg(&file),
        "--content-type",
        "application/vnd.custom",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        pg.last_received().header("content-type"),
        Some("application/vnd.custom")
    );

    let out = presign_desk(&[
        "put",
        &url,
        &path_arg(&file),
        "--content-type",
        "x/y",
        "--no-content-type",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "conflicting flags are bad usage"
    );
}

#[test]
fn a_refusal_prints_status_and_error_body_and_exits_1() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.bin");
    std::fs::write(&file, "x").unwrap();
    let get_link = pg.sign_v4(Method::Get, "x.bin", HOUR);

    let out = presign_desk(&["put", &get_link, &path_arg(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("refused: HTTP 403 Forbidden · SignatureDoesNotMatch"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Code: SignatureDoesNotMatch"), "{stderr}");
    assert!(
        stderr.contains("PUT http://127.0.0.1:"),
        "the request is shown: {stderr}"
    );
    assert!(stderr.contains("X-Amz-Signature=REDACTED"), "{stderr}");
    assert_no_signature(&out, &get_link);
}

#[test]
fn bad_input_exits_2_and_loses_nothing() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let url = pg.sign_v4(Method::Put, "k", HOUR);

    let out = presign_desk(&["put", "s3://bucket/key", "whatever"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("https://"),
        "{}",
        text(&out.stderr)
    );

    let out = presign_desk(&["put", &url, &path_arg(&dir.path().join("missing.bin"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Cannot upload"));

    let out = presign_desk(&["put", &url, &path_arg(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "a folder is not a file");

    std::fs::write(pg.object_path("k"), "server copy").unwrap();
    let existing = dir.path().join("mine.txt");
    std::fs::write(&existing, "mine").unwrap();
    let get_url = pg.sign_v4(Method::Get, "k", HOUR);
    let out = presign_desk(&["get", &get_url, "-o", &path_arg(&existing)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--overwrite"));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "mine");
    let out = presign_desk(&["get", &get_url, "-o", &path_arg(&existing), "--overwrite"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "server copy");

    let out = presign_desk(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_and_help() {
    let out = presign_desk(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("presign-desk {}", env!("CARGO_PKG_VERSION"))
    );
    let out = presign_desk(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for command in ["gui", "put", "get"] {
        assert!(help.contains(command), "{help}");
    }
}
