//! The link doctor against real servers on loopback: signature failures made by hand against
//! the playground and the cause each must put first; `check`; the JSON of `put`, `get` and
//! `check`; and uploads refused right after their headers ending at once.

use crate::playground;
use crate::support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::diagnose::{Answer, Attempt, CauseId, Strength, diagnose};
use presign_desk::link::PresignedLink;
use presign_desk::transfer::{Outcome, Plan};
use serde_json::Value;
use support::presign_desk;

const HOUR: Duration = Duration::from_secs(3600);

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Uploads `body` through `url` with `content_type`, and explains the refusal.
async fn refused_upload(
    url: &str,
    content_type: Option<&str>,
) -> (u16, presign_desk::diagnose::Diagnosis) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "a,b\n1,2\n").unwrap();
    let link = PresignedLink::parse(url).unwrap();
    let plan = Plan::upload(&link, file, 8, content_type);
    let (outcome, _) = support::run(&plan).await;
    let Outcome::Refused(refusal) = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    let attempt = Attempt::of_plan(&plan, Some(&link));
    let diagnosis = diagnose(
        &attempt,
        &Answer::of_refusal(&refusal),
        jiff::Timestamp::now(),
    );
    (refusal.status, diagnosis)
}

fn first(d: &presign_desk::diagnose::Diagnosis) -> (CauseId, Strength) {
    (d.causes[0].id, d.causes[0].strength)
}

#[tokio::test]
async fn signature_failures_made_against_the_playground_are_ranked_by_proof() {
    let pg = Playground::start();

    // A query changed after signing (a mail program's tracker).
    let url = format!(
        "{}&utm_source=newsletter",
        pg.sign_v4(Method::Put, "doctor/a.csv", HOUR)
    );
    let (status, d) = refused_upload(&url, None).await;
    assert_eq!(status, 403);
    assert_eq!(d.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(first(&d), (CauseId::UrlAltered, Strength::Proven), "{d:#?}");

    // A type other than the signed one.
    let url = pg.sign_v4_with(
        Method::Put,
        "doctor/b.csv",
        HOUR,
        Some("text/csv"),
        jiff::Timestamp::now(),
    );
    let (_, d) = refused_upload(&url, Some("text/plain")).await;
    assert_eq!(
        first(&d),
        (CauseId::ContentTypeMismatch, Strength::Likely),
        "{d:#?}"
    );

    // A download link used to upload: the link says what it was made for.
    let url = pg.sign_v4(Method::Get, "hello.txt", HOUR);
    let (_, d) = refused_upload(&url, None).await;
    assert_eq!(
        first(&d),
        (CauseId::MethodMismatch, Strength::Proven),
        "{d:#?}"
    );

    // A path changed after signing: nothing the playground answers can prove how; the
    // signature itself is the cause left, and no guess outranks it as proven.
    let url = pg
        .sign_v4(Method::Put, "doctor/c d.csv", HOUR)
        .replace("c%20d.csv", "c%2520d.csv");
    let (_, d) = refused_upload(&url, None).await;
    assert_eq!(
        first(&d),
        (CauseId::WrongSecretOrTampered, Strength::Possible),
        "{d:#?}"
    );
}

#[test]
fn a_refused_upload_of_a_link_that_does_not_say_its_operation_is_settled_by_a_probe() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.txt");
    std::fs::write(&file, "x").unwrap();
    let url = pg.sign_v4_without_operation(Method::Get, "hello.txt", HOUR);
    let out = presign_desk(&["put", "--json", &url, &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["result"], "refused");
    assert_eq!(report["code"], "SignatureDoesNotMatch");
    assert_eq!(report["causes"][0]["id"], "method-mismatch", "{report:#}");
    assert_eq!(report["causes"][0]["strength"], "proven");
    // The probe was a GET of one byte: nothing was written.
    let methods: Vec<String> = pg.received().iter().map(|r| r.method.clone()).collect();
    assert_eq!(
        methods,
        ["PUT", "GET"],
        "one upload, then one download probe"
    );
    assert_eq!(pg.last_received().header("range"), Some("bytes=0-0"));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_probes_a_download_link_and_only_inspects_an_upload_link() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("hello.txt");
    std::fs::write(&source, "hello from the playground\n").unwrap();
    let put = pg.sign_v4(Method::Put, "hello.txt", HOUR);
    support::succeeded(&support::put(&put, &source, None).await);
    let url = pg.sign_v4(Method::Get, "hello.txt", HOUR);
    let out = presign_desk(&["check", "--json", &url]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json_of(&out);
    assert_eq!(report["result"], "ok");
    assert_eq!(report["probed"], true);
    assert_eq!(report["status"], 206);
    let size = std::fs::metadata(pg.object_path("hello.txt"))
        .unwrap()
        .len();
    assert_eq!(report["size"], size, "the size comes from Content-Range");
    assert!(report["etag"].as_str().is_some_and(|e| e.len() > 30));
    let left = report["expires_in_secs"].as_i64().unwrap();
    assert!((3500..=3600).contains(&left), "{left}");
    assert!(report["clock_offset_secs"].as_i64().unwrap().abs() < 5);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .contains(&"operation-hint".into())
    );
    let received = pg.last_received();
    assert_eq!(
        (received.method.as_str(), received.header("range")),
        ("GET", Some("bytes=0-0"))
    );
    let text = presign_desk(&["check", &url]);
    assert_eq!(text.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .starts_with("The link works: playground/hello.txt is there"),
        "{text:?}"
    );

    // Missing object: refused with the explanation at the top level.
    let url = pg.sign_v4(Method::Get, "no/such.txt", HOUR);
    let out = presign_desk(&["check", "--json", &url]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["result"], "refused");
    assert_eq!(report["status"], 404);
    assert_eq!(report["code"], "NoSuchKey");
    assert_eq!(report["causes"][0]["id"], "not-found");

    // An upload link is never sent.
    let before = pg.received().len();
    let url = pg.sign_v4(Method::Put, "doctor/never.txt", HOUR);
    let out = presign_desk(&["check", "--json", &url]);
    assert_eq!(out.status.code(), Some(0));
    let report = json_of(&out);
    assert_eq!(report["result"], "inspected");
    assert_eq!(report["probed"], false);
    assert_eq!(report["operation"], "put");
    assert_eq!(pg.received().len(), before, "nothing was sent");
    assert!(!pg.object_path("doctor/never.txt").exists());
}

/// The fields every `put`/`get` report has, with their JSON types.
fn assert_transfer_schema(report: &Value) {
    for (field, kind) in [
        ("result", "string"),
        ("operation", "string"),
        ("bytes", "number"),
        ("duration_secs", "number"),
        ("throughput_bytes_per_sec", "number"),
        ("verification", "object"),
        ("attempts", "number"),
        ("status", "number"),
    ] {
        let value = &report[field];
        let ok = match kind {
            "string" => value.is_string(),
            "number" => value.is_number(),
            _ => value.is_object(),
        };
        assert!(ok, "{field} should be a {kind}: {report:#}");
    }
    for field in ["etag", "request_id", "saved_to"] {
        assert!(
            report.get(field).is_some(),
            "{field} is always present: {report:#}"
        );
    }
}

#[test]
fn put_and_get_print_one_json_object() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.bin");
    support::write_pattern(&file, 100_000);

    let url = pg.sign_v4(Method::Put, "doctor/data.bin", HOUR);
    let out = presign_desk(&["put", "--json", &url, &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json_of(&out);
    assert_transfer_schema(&report);
    assert_eq!(report["result"], "succeeded");
    assert_eq!(report["operation"], "put");
    assert_eq!(report["status"], 200);
    assert_eq!(report["bytes"], 100_000);
    assert_eq!(report["attempts"], 1);
    assert_eq!(report["verification"]["result"], "verified");
    let md5 = report["verification"]["md5"].as_str().unwrap().to_owned();
    assert_eq!(report["etag"], format!("\"{md5}\""));
    assert!(report["saved_to"].is_null());
    assert!(report.get("causes").is_none(), "no explanation on success");

    let saved = dir.path().join("back.bin");
    let url = pg.sign_v4(Method::Get, "doctor/data.bin", HOUR);
    let out = presign_desk(&["get", "--json", &url, "-o", &saved.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json_of(&out);
    assert_transfer_schema(&report);
    assert_eq!(report["operation"], "get");
    assert_eq!(report["bytes"], 100_000);
    assert_eq!(report["saved_to"], saved.display().to_string());
    assert_eq!(report["verification"]["md5"], md5);
    assert!(support::same_bytes(&file, &saved));

    // A refusal: the explanation's fields at the top level, exit code 1.
    let url = pg.sign_v4(Method::Get, "doctor/missing.bin", HOUR);
    let missing = dir.path().join("missing.bin");
    let out = presign_desk(&["get", "--json", &url, "-o", &missing.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_transfer_schema(&report);
    assert_eq!(report["result"], "refused");
    assert_eq!(report["status"], 404);
    assert_eq!(report["code"], "NoSuchKey");
    assert_eq!(report["causes"][0]["id"], "not-found");
    assert_eq!(report["causes"][0]["strength"], "proven");
    assert_eq!(report["verification"]["result"], "unverified");
    assert!(!missing.exists());
    let signature = url.rsplit("X-Amz-Signature=").next().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(signature));
}

/// A server that reads a whole upload, then refuses its signature (as servers that check the
/// payload do). Returns a link to it that signs the Content-Type.
fn refuse_after_body() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = stream.read_exact(&mut body);
            let answer = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>";
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                )
                .as_bytes(),
            );
        }
    });
    format!(
        "http://127.0.0.1:{port}/bucket/typed.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={}&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&x-id=PutObject&X-Amz-Signature=0123abcd",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    )
}

/// A server that reads the request's headers, answers 403 at once, and then either closes
/// the connection or keeps it open without reading. Returns its link and the count of body
/// bytes it read.
fn refuse_after_headers(close: bool) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let read = Arc::new(AtomicU64::new(0));
    let counter = read.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
                let answer = format!(
                    "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes());
                let _ = stream.flush();
                if close {
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    // Count what was already on its way.
                    return;
                }
                // Keep the connection open without reading, then drain what is left.
                std::thread::sleep(Duration::from_secs(20));
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    counter.fetch_add(n as u64, Ordering::Relaxed);
                }
            });
        }
    });
    let url = format!(
        "http://127.0.0.1:{port}/bucket/big.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    );
    (url, read)
}

#[tokio::test]
async fn an_upload_refused_right_after_its_headers_ends_with_the_servers_answer() {
    const GIB: u64 = 1024 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    // Sparse: 1 GiB that costs no disk.
    std::fs::File::create(&file).unwrap().set_len(GIB).unwrap();
    for close in [true, false] {
        let (url, _read) = refuse_after_headers(close);
        let link = PresignedLink::parse(&url).unwrap();
        let plan = Plan::upload(&link, file.clone(), GIB, None);
        let (outcome, progress) = support::run(&plan).await;
        let (status, code) = support::refused(&outcome);
        assert_eq!(
            (status, code.as_str()),
            (403, "AccessDenied"),
            "close={close}: the server's own answer, not a broken pipe"
        );
        // It did not go on sending the gigabyte.
        let sent = progress.last().map_or(0, |p| p.bytes_done);
        assert!(sent < GIB / 4, "close={close}: {sent} bytes were sent");
    }
}

#[tokio::test]
async fn a_link_the_inspector_finds_unusable_is_explained_by_that_finding() {
    let pg = Playground::start();
    // Cut short where a mail program wraps: the signature and the rest are gone.
    let url = pg.sign_v4(Method::Put, "doctor/cut.csv", HOUR);
    let cut = &url[..url.find("&X-Amz-SignedHeaders").unwrap()];
    let (status, d) = refused_upload(cut, None).await;
    assert!(matches!(status, 400 | 403), "{status}");
    assert_eq!(
        first(&d),
        (CauseId::LinkIncomplete, Strength::Proven),
        "{d:#?}"
    );
    assert!(
        d.explanation.contains("X-Amz-Signature"),
        "{}",
        d.explanation
    );
    assert!(!d.title.contains("not allowed"), "{}", d.title);
    // No signature at all.
    let plain = format!("{}/playground/doctor/plain.csv", pg.endpoint());
    let (_, d) = refused_upload(&plain, None).await;
    assert_eq!(
        first(&d),
        (CauseId::NotPresigned, Strength::Proven),
        "{d:#?}"
    );
}

#[test]
fn check_of_an_upload_link_that_does_not_say_so_says_it_may_be_one() {
    let pg = Playground::start();
    let url = pg.sign_v4_without_operation(Method::Put, "doctor/unsaid.txt", HOUR);
    let out = presign_desk(&["check", "--json", &url]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["result"], "refused");
    assert_eq!(report["causes"][0]["id"], "method-mismatch", "{report:#}");
    let title = report["title"].as_str().unwrap();
    assert!(
        title.starts_with("Perhaps this is an upload link"),
        "not stated as fact: {title}"
    );
    let text = presign_desk(&["check", &url]);
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(
        !stderr.contains("Details"),
        "a window word in the terminal: {stderr}"
    );
}

#[test]
fn put_json_carries_a_cause_for_its_own_refusal_and_the_bytes_a_refusal_cost() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.csv");
    std::fs::write(&file, "a,b\n1,2\n").unwrap();
    // The empty body's checksum, as 2025 SDKs sign it: PresignDesk does not send.
    let url = format!(
        "{}&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32",
        pg.sign_v4(Method::Put, "doctor/sum.csv", HOUR)
    );
    let out = presign_desk(&["put", "--json", &url, &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["result"], "failed");
    assert_eq!(report["causes"][0]["id"], "sdk-checksum", "{report:#}");
    assert_eq!(report["causes"][0]["strength"], "proven");
    assert!(report["error"].is_string());
    assert!(pg.received().is_empty(), "nothing was sent");

    // A refusal after the whole body went (a server that reads it all, then says no): its
    // bytes are counted.
    let url = refuse_after_body();
    let out = presign_desk(&[
        "put",
        "--json",
        "--content-type",
        "text/plain",
        &url,
        &file.display().to_string(),
    ]);
    let report = json_of(&out);
    assert_eq!(report["result"], "refused");
    assert_eq!(report["bytes"], 8, "{report:#}");
    assert_eq!(report["causes"][0]["id"], "content-type-mismatch");
    for field in ["actions", "ask", "ask_whom", "title"] {
        assert!(
            report["causes"][0].get(field).is_some(),
            "{field}: {report:#}"
        );
    }
}
