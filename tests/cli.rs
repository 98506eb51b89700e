//! The CLI, run as a process against the playground.

use crate::playground;
use crate::support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::link::PresignedLink;
use support::{presign_desk, presign_desk_in};

const HOUR: Duration = Duration::from_secs(3600);

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
fn long_japanese_names_are_downloaded_whole_or_cut_where_a_character_ends() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upload.pdf");
    support::write_pattern(&file, 3 * 1024 * 1024);
    let folder = dir.path().join("into");
    std::fs::create_dir(&folder).unwrap();
    // 80 characters and an extension: 244 bytes, a legal name whose partial file is not; and
    // 90, 274 bytes, too long for any file system. The server names the file (the playground
    // keeps keys in file names of its own, too short for either as a key).
    let eighty = format!("{}見積.pdf", "見積書".repeat(26));
    let ninety = format!("{}.pdf", "見積書".repeat(30));
    for (key, name) in [("long/eighty.pdf", &eighty), ("long/ninety.pdf", &ninety)] {
        let disposition = format!(
            "attachment; filename*=UTF-8''{}",
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
        );
        let url = pg.sign_v4_put_with_headers(key, HOUR, &[("content-disposition", &disposition)]);
        let header = format!("Content-Disposition: {disposition}");
        let out = presign_desk(&["put", &url, &path_arg(&file), "-H", &header]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

        let get_url = pg.sign_v4(Method::Get, key, HOUR);
        for _ in 0..2 {
            let out = presign_desk(&["get", &get_url, "-o", &path_arg(&folder)]);
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        }
    }
    let mut names: Vec<String> = support::files_in(&folder)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    names.sort();
    for name in &names {
        assert!(name.len() <= 255, "{name}: {} bytes", name.len());
        assert!(support::same_bytes(&file, &folder.join(name)), "{name}");
    }
    // The second download of each is kept beside the first, never over it; no partial is left.
    let eighty_stem = eighty.trim_end_matches(".pdf");
    let cut = &ninety[..249]; // 83 whole characters (249 bytes) and ".pdf" within 255
    let mut expected = vec![
        eighty.clone(),
        format!("{eighty_stem} (1).pdf"),
        format!("{cut}.pdf"),
        format!("{} (1).pdf", &ninety[..246]),
    ];
    expected.sort();
    assert_eq!(names, expected);
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
    for command in ["gui", "put", "get", "explain", "inspect"] {
        assert!(help.contains(command), "{help}");
    }
    assert!(help.contains("Usage: presign-desk"), "{help}");
    // No display is needed for either: they run where no window could open.
    let headless = |lang: &str, args: &[&str]| {
        support::program()
            .args(args)
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LANGUAGE")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("the binary runs")
    };
    let out = headless("ja_JP.UTF-8", &["put", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    // The usage names the program as it was started (presign-desk-cli.exe on Windows).
    assert!(
        help.contains("使い方: presign-desk") && help.contains(" put [OPTIONS]"),
        "{help}"
    );
    assert!(
        help.contains("Content-Type ヘッダーを送信しません"),
        "{help}"
    );
    let out = headless("ja_JP.UTF-8", &["--lang", "en", "put", "--help"]);
    assert!(text(&out.stdout).contains("Send no Content-Type header"));
    let out = headless("ja_JP.UTF-8", &["--version"]);
    assert_eq!(out.status.code(), Some(0));
}

fn fixture(name: &str) -> (String, String) {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/links/links.json")).unwrap();
    let generated: jiff::Timestamp = json["generated_at"].as_str().unwrap().parse().unwrap();
    let now = (generated + jiff::SignedDuration::from_secs(60)).to_string();
    (json["links"][name].as_str().unwrap().to_owned(), now)
}

#[test]
fn inspect_json_for_scripts() {
    let (url, now) = fixture("sigv4-get-session-token");
    let out = presign_desk(&["inspect", &url, "--json", "--now", &now]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["scheme"], "aws-sigv4");
    assert_eq!(json["provider"], "aws");
    assert_eq!(json["host"], "reports.s3.ap-northeast-1.amazonaws.com");
    assert_eq!(json["addressing"], "virtual-hosted");
    assert_eq!(json["bucket"], "reports");
    assert_eq!(json["key"], "2026/q3 summary.csv");
    assert_eq!(json["region"], "ap-northeast-1");
    assert_eq!(json["operation"], serde_json::Value::Null);
    assert_eq!(json["expires_in_secs"], 3540);
    assert_eq!(json["access_key_id"], "ASIAFIXTUREEXAMPLE02");
    assert_eq!(json["credential_kind"], "temporary");
    assert_eq!(json["security_token"], true);
    assert_eq!(json["signed_headers"], serde_json::json!(["host"]));
    let ids: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"temporary-credentials"), "{ids:?}");
    let signed_at: jiff::Timestamp = json["signed_at"].as_str().unwrap().parse().unwrap();
    let expires_at: jiff::Timestamp = json["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires_at.as_second() - signed_at.as_second(), 3600);
    let all = text(&out.stdout);
    assert!(!all.contains("FIXTURETOKEN"), "the token never appears");
    assert_no_signature(&out, &url);
}

#[test]
fn inspect_exit_codes_and_plain_text() {
    let (url, now) = fixture("sigv4-put-js-default-checksum");
    let out = presign_desk(&["inspect", &url, "--now", &now]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Signature: AWS Signature Version 4"),
        "{stdout}"
    );
    assert!(stdout.contains("X-Amz-Signature=REDACTED"), "{stdout}");
    assert!(stdout.contains("(sdk-checksum)"), "{stdout}");
    assert_no_signature(&out, &url);

    // A day later the link has expired: the inspection says so and exits 1.
    let later: jiff::Timestamp = now.parse().unwrap();
    let later = (later + jiff::SignedDuration::from_hours(24)).to_string();
    let out = presign_desk(&["inspect", &url, "--json", "--now", &later]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["id"], "expired");
    assert_eq!(json["findings"][0]["severity"], "error");
    assert!(json["expires_in_secs"].as_i64().unwrap() < 0);

    // A link pasted from an HTML e-mail, wrapped and in angle brackets, still reads.
    let mangled = format!(
        "<{}>",
        url.replace('&', "&amp;")
            .replacen("X-Amz-Date", "\nX-Amz-Date", 1)
    );
    let out = presign_desk(&["inspect", &mangled, "--json", "--now", &now]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["bucket"], "reports");
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "repaired-paste")
    );

    assert_eq!(
        presign_desk(&["inspect", &url, "--now", "yesterday"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        presign_desk(&["inspect", "ftp://x/y"]).status.code(),
        Some(2)
    );
}

fn presign_desk_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = support::program()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn explain_reads_a_body_and_says_why() {
    let (url, now) = fixture("sigv4-get-session-token");
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>IQoJb3JpZ2luX2VjEFIXTURETOKEN</Token-0><RequestId>R1</RequestId></Error>";
    let out = presign_desk_with_input(
        &[
            "explain", "-", "--url", &url, "--method", "GET", "--status", "400", "--json", "--now",
            &now,
        ],
        body,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["provider"], "aws");
    assert_eq!(json["status"], 400);
    assert_eq!(json["code"], "ExpiredToken");
    assert_eq!(json["message"], "The provided token has expired.");
    assert_eq!(json["causes"][0]["id"], "temporary-credentials");
    // Each cause carries its own remedy, and the diagnosis the first cause's.
    let first = &json["causes"][0];
    assert!(first["actions"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(first["ask_whom"], "creator");
    assert_eq!(json["ask"], first["ask"]);
    assert_eq!(json["actions"], first["actions"]);
    assert!(json["title"].as_str().unwrap().contains("credentials"));
    assert!(!json["explanation"].as_str().unwrap().is_empty());
    assert!(json["actions"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(json["details"]["Token-0"], "REDACTED");
    assert_eq!(json["details"]["RequestId"], "R1");
    assert!(!text(&out.stdout).contains("FIXTURETOKEN"));

    // From a file, in plain text.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("error.xml");
    std::fs::write(
        &file,
        "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
    )
    .unwrap();
    let out = presign_desk(&["explain", &path_arg(&file), "--status", "404"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).starts_with("Nothing is there\n"),
        "{}",
        text(&out.stdout)
    );

    let out = presign_desk(&["explain", &path_arg(&dir.path().join("missing.xml"))]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_failed_put_prints_the_explanation() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.txt");
    std::fs::write(&file, "x").unwrap();
    let url = pg.sign_v2(Method::Put, "x.txt", None, playground::unix_in(3600));
    let out = presign_desk(&[
        "put",
        &url,
        &path_arg(&file),
        "--content-type",
        "text/plain",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the file type sent does not match the link"),
        "{stderr}"
    );
    assert!(
        stderr.contains("→ Try again with --no-content-type"),
        "{stderr}"
    );
    assert_no_signature(&out, &url);

    // In Japanese from the locale, in English again with --lang.
    let put = [
        "put",
        &url,
        &path_arg(&file),
        "--content-type",
        "text/plain",
    ];
    let out = presign_desk_in("ja_JP.UTF-8", &put);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("送信したファイルの種類がリンクと一致しません"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--no-content-type を付けて再試行してください"),
        "{stderr}"
    );
    assert!(text(&out.stdout).starts_with("拒否されました：HTTP 403"));
    assert_no_signature(&out, &url);
    let mut english = put.to_vec();
    english.extend(["--lang", "en"]);
    let out = presign_desk_in("ja_JP.UTF-8", &english);
    assert!(text(&out.stderr).contains("the file type sent does not match the link"));
}

#[test]
fn machine_readable_output_is_the_same_in_every_language() {
    let url = "https://bucket.s3.ap-northeast-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261124%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Security-Token=TOKEN&X-Amz-Signature=abc";
    let args = ["inspect", url, "--json", "--now", "2026-11-24T06:30:00Z"];
    let english: serde_json::Value =
        serde_json::from_slice(&presign_desk_in("C.UTF-8", &args).stdout).unwrap();
    let japanese: serde_json::Value =
        serde_json::from_slice(&presign_desk_in("ja_JP.UTF-8", &args).stdout).unwrap();
    let shape = |v: &serde_json::Value| {
        let ids: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f["id"], f["severity"]))
            .collect();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        (
            ids,
            format!("{keys:?}"),
            v["scheme"].clone(),
            v["expires_at"].clone(),
        )
    };
    assert_eq!(shape(&english), shape(&japanese));
    assert_ne!(
        english["findings"][0]["message"], japanese["findings"][0]["message"],
        "the words are translated"
    );
    // The text output follows the language.
    let out = presign_desk_in(
        "ja_JP.UTF-8",
        &["inspect", url, "--now", "2026-11-24T06:30:00Z"],
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("署名の方式：AWS 署名バージョン 4"),
        "{stdout}"
    );
    assert!(stdout.contains("一時的な認証情報"), "{stdout}");
    assert!(!stdout.contains("TOKEN"), "{stdout}");
}
