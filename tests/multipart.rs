//! Multipart uploads from presigned part links, against the playground (s3s checks every
//! link's signature and builds the object from the parts): every shape a back end hands the
//! links out in, a line that drops, a set that cannot fit the file, a Complete answer of 200
//! that carries an error.

use crate::playground;
use crate::support;

use std::path::Path;
use std::time::Duration;

use playground::{MultipartLinks, Playground};
use presign_desk::link::parts::{PartsSet, SetShape};
use presign_desk::transfer::{Options, Outcome, Plan, Verification};
use support::relay::{Relay, Shape};
use support::{program, same_bytes, succeeded, write_pattern};

const MIB: u64 = 1024 * 1024;
const HOUR: Duration = Duration::from_secs(3600);

/// Runs the CLI in English with its records of uploads kept in `data` (its local data folder).
pub(crate) fn presign_desk(data: &Path, args: &[&str]) -> std::process::Output {
    cli(data, args).output().expect("the binary runs")
}

pub(crate) fn cli(data: &Path, args: &[&str]) -> std::process::Command {
    let mut command = program();
    command
        .args(args)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LANGUAGE")
        .env("XDG_DATA_HOME", data);
    command
}

/// The records of uploads under way in `data`, with the parts each holds.
pub(crate) fn records(data: &Path) -> Vec<usize> {
    let folder = data.join("presigndesk").join("uploads");
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "json").then_some(path)
        })
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let record: serde_json::Value = serde_json::from_str(&text).ok()?;
            Some(record["parts"].as_array()?.len())
        })
        .collect()
}

fn options() -> Options {
    Options {
        backoff_base: Duration::from_millis(20),
        stall_timeout: Duration::from_secs(10),
        connections: 8,
        ..Options::default()
    }
}

/// The links as each shape a back end uses: one a line; `{uploadId, parts: [{partNumber,
/// url}], complete}`; `{upload_id, urls, complete_url, abort_url}` nested in `data`.
fn shapes(links: &MultipartLinks) -> Vec<(SetShape, String)> {
    let lines = links
        .parts
        .iter()
        .chain([&links.complete])
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    // Listed out of order: the numbers say the order.
    let mut listed: Vec<serde_json::Value> = links
        .parts
        .iter()
        .enumerate()
        .map(|(i, url)| serde_json::json!({"partNumber": i + 1, "url": url}))
        .collect();
    listed.reverse();
    let camel = serde_json::json!({
        "uploadId": links.upload_id,
        "key": "big.bin",
        "parts": listed,
        "complete": links.complete,
    })
    .to_string();
    let snake = serde_json::json!({"data": {
        "upload_id": links.upload_id,
        "urls": links.parts,
        "complete_url": links.complete,
        "abort_url": links.abort,
    }})
    .to_string();
    vec![
        (SetShape::Lines, lines),
        (SetShape::Json, camel),
        (SetShape::Json, snake),
    ]
}

/// A set of `parts` part links and a Complete link to the fault server, one a line.
fn fault_set(server: &support::fault_server::FaultServer, parts: u32) -> String {
    let base = server.link("big.bin");
    let with = |query: String| base.as_sent().replace('?', &format!("?{query}&"));
    (1..=parts)
        .map(|n| with(format!("partNumber={n}&uploadId=U1")))
        .chain([with("uploadId=U1".to_owned())])
        .collect::<Vec<_>>()
        .join("\n")
}

fn plan_for(text: &str, file: &Path) -> Plan {
    let set = PartsSet::parse(text).expect("a set").expect("a usable set");
    let len = std::fs::metadata(file).unwrap().len();
    let layout = set.layout(len).expect("the file fits the parts");
    Plan::parts(set, layout, file.to_owned(), len)
}

fn assert_whole(pg: &Playground, key: &str, source: &Path, outcome: &Outcome, parts: u32) {
    let success = succeeded(outcome);
    assert_eq!(success.parts, parts, "{success:?}");
    match &success.verification {
        Verification::PartsVerified { etag, parts: n } => {
            assert!(etag.ends_with(&format!("-{parts}")), "{etag}");
            assert_eq!(*n, parts);
        }
        other => panic!("the upload's ETag was checked: {other:?}"),
    }
    assert!(
        same_bytes(source, &pg.object_path(key)),
        "the object is the file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_goes_through_its_part_links_in_every_shape_and_arrives_whole() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    // Five parts of 6 MiB but the last, a little shorter.
    write_pattern(&source, 30 * MIB - 1000);
    for (index, shape) in [SetShape::Lines, SetShape::Json, SetShape::Json]
        .into_iter()
        .enumerate()
    {
        let key = format!("multipart/{index}.bin");
        let links = pg.start_multipart(&key, 5, HOUR, None);
        let (given, text) = shapes(&links).swap_remove(index);
        assert_eq!(given, shape);
        let plan = plan_for(&text, &source);
        let (outcome, progress, _) = support::run_with(&plan, &options()).await;
        assert_whole(&pg, &key, &source, &outcome, 5);
        let last = progress.last().expect("progress was reported");
        assert_eq!(last.bytes_done, 30 * MIB - 1000);
        // Every part went once, with its exact length; then one Complete.
        let received = pg.received();
        let puts: Vec<_> = received
            .iter()
            .filter(|r| r.method == "PUT" && r.target.contains(&links.upload_id))
            .collect();
        assert_eq!(puts.len(), 5, "{puts:?}");
        assert!(puts.iter().all(
            |r| r.header("content-length") == Some(&(6 * MIB).to_string())
                || r.header("content-length") == Some(&(6 * MIB - 1000).to_string())
        ));
        let completes = received
            .iter()
            .filter(|r| r.method == "POST" && r.target.contains(&links.upload_id))
            .count();
        assert_eq!(completes, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_that_drops_loses_only_the_parts_it_cut() {
    let pg = Playground::start();
    let relay = Relay::start(
        0,
        pg.addr(),
        Shape {
            one_way_delay: Duration::from_millis(2),
            per_connection: Some(32 * MIB),
            total: None,
            // Cut every 13 MiB sent: four cuts over 48 MiB.
            cut_every: Some(13 * MIB),
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 40 * MIB);
    let links = pg.start_multipart("dropped.bin", 8, HOUR, Some(relay.addr));
    let (_, text) = shapes(&links).swap_remove(0);
    let plan = plan_for(&text, &source);
    let options = Options {
        max_attempts: 6,
        ..options()
    };
    let (outcome, _, retries) = support::run_with(&plan, &options).await;
    assert_whole(&pg, "dropped.bin", &source, &outcome, 8);
    let cuts = relay.cuts();
    assert!(cuts >= 2, "the line dropped: {cuts} cuts");
    // Each cut costs its part once more, nothing else.
    let puts = pg.received().iter().filter(|r| r.method == "PUT").count() as u64;
    assert!(
        puts <= 8 + cuts,
        "{puts} parts sent for 8 parts and {cuts} cuts"
    );
    assert!(!retries.is_empty(), "the cut parts were sent again");
    // What was sent again is at most one part a cut: the bytes counted end at the file's size.
    assert_eq!(succeeded(&outcome).bytes, 40 * MIB);
}

#[test]
fn the_cli_takes_a_set_from_a_file_and_refuses_one_that_cannot_fit_before_sending() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 12 * MIB + 5);
    let links = pg.start_multipart("cli.bin", 2, HOUR, None);
    let (_, json) = shapes(&links).swap_remove(1);
    let set_file = dir.path().join("set.json");
    std::fs::write(&set_file, &json).unwrap();
    // Decoded before anything is sent, every link redacted.
    let inspected = presign_desk(
        dir.path(),
        &["inspect", &format!("@{}", set_file.display()), "--json"],
    );
    assert_eq!(inspected.status.code(), Some(0));
    let decoded: serde_json::Value = serde_json::from_slice(&inspected.stdout).unwrap();
    assert_eq!(decoded["kind"], "multipart");
    assert_eq!(decoded["upload_id"], links.upload_id.as_str());
    assert_eq!(decoded["key"], "cli.bin");
    assert_eq!(decoded["parts"].as_array().unwrap().len(), 2);
    let checked = presign_desk(dir.path(), &["check", &json]);
    assert_eq!(checked.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&checked.stdout).contains("in 2 parts"));
    let plain = presign_desk(dir.path(), &["inspect", &json]);
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(
        plain.starts_with("Multipart upload to playground/cli.bin in 2 parts"),
        "{plain}"
    );
    for link in links.parts.iter().chain([&links.complete]) {
        let signature = link.rsplit("X-Amz-Signature=").next().unwrap();
        let decoded = decoded.to_string();
        assert!(!decoded.contains(signature) && !plain.contains(signature));
    }
    let out = presign_desk(
        dir.path(),
        &[
            "put",
            &format!("@{}", set_file.display()),
            &source.display().to_string(),
            "--json",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["result"], "succeeded");
    assert_eq!(report["parts"], 2);
    assert_eq!(report["verification"]["result"], "verified");
    assert!(report["etag"].as_str().unwrap().ends_with("-2"));
    assert!(same_bytes(&source, &pg.object_path("cli.bin")));
    assert_eq!(
        records(dir.path()),
        Vec::<usize>::new(),
        "a finished upload keeps no record"
    );
    for link in links.parts.iter().chain([&links.complete]) {
        let signature = link.rsplit("X-Amz-Signature=").next().unwrap();
        assert!(!stdout.contains(signature) && !stderr.contains(signature));
    }

    // Twenty parts for 12 MiB would be 0.6 MiB each: refused, nothing sent.
    let links = pg.start_multipart("too-many.bin", 20, HOUR, None);
    let (_, lines) = shapes(&links).swap_remove(0);
    let before = pg.received().len();
    let out = presign_desk(dir.path(), &["put", &lines, &source.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("20 parts") && stderr.contains("at most 3 parts"),
        "{stderr}"
    );
    assert_eq!(pg.received().len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_answer_of_200_with_an_error_inside_is_a_failure_explained() {
    use support::fault_server::{FaultServer, ok};
    let server = FaultServer::start(|_, seen| {
        if seen.method == "PUT" {
            ok(Vec::new(), vec![("ETag".into(), "\"opaque-part-tag\"".into())])
        } else {
            // S3 starts a 200 at once and may still fail while it assembles the parts.
            ok(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R1</RequestId></Error>".to_vec(),
                vec![],
            )
        }
    })
    .await;
    let text = fault_set(&server, 2);
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 10 * MIB);
    let plan = plan_for(&text, &source);
    let (outcome, _, _) = support::run_with(&plan, &options()).await;
    let Outcome::Refused(refusal) = &outcome else {
        panic!("a 200 with an error is no success: {outcome:?}");
    };
    assert_eq!(refusal.status, 200);
    assert_eq!(refusal.body.code.as_deref(), Some("InternalError"));
    assert_eq!(refusal.part, None, "the Complete request, not a part");
    // Retried as S3 asks, then explained.
    let posts = server.seen().iter().filter(|s| s.method == "POST").count();
    assert_eq!(posts, options().max_attempts as usize);
    let diagnosis =
        presign_desk::diagnose::of_refusal(&plan, refusal, None, jiff::Timestamp::now());
    assert_eq!(diagnosis.status, Some(200));
    assert_eq!(diagnosis.causes[0].key, "retryable", "{diagnosis:?}");
}

#[test]
fn a_file_too_large_for_one_request_is_not_sent_and_the_person_is_told_what_to_ask_for() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    // Sparse: 6 GiB on paper, nothing on disk.
    let big = dir.path().join("backup.tar");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(6 * 1024 * MIB)
        .unwrap();
    let s3 = pg.sign_v4(playground::Method::Put, "backup.tar", HOUR);
    let azure = format!(
        "http://{}/devstoreaccount1/box/backup.tar?sv=2023-11-03&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=c&sig=c2lnbmF0dXJl",
        pg.addr()
    );
    for (link, limit, ask) in [
        (s3, "5.37 GB", "multipart set"),
        // A SAS that may only create cannot commit blocks.
        (azure, "5.24 GB", "may write"),
    ] {
        let before = pg.received().len();
        let out = presign_desk(dir.path(), &["put", &link, &big.display().to_string()]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(all.contains("6.44 GB") && all.contains(limit), "{all}");
        assert!(all.contains(ask), "{all}");
        assert_eq!(pg.received().len(), before, "nothing was sent: {all}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_killed_mid_way_sends_only_the_missing_parts_when_run_again() {
    let pg = Playground::start();
    // 5 MiB/s a connection, 10 MiB/s in all: 40 MiB take four seconds or more.
    let relay = Relay::start(
        0,
        pg.addr(),
        Shape {
            one_way_delay: Duration::from_millis(2),
            per_connection: Some(5 * MIB),
            total: Some(10 * MIB),
            cut_every: None,
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let source = dir.path().join("big.bin");
    write_pattern(&source, 40 * MIB);
    let links = pg.start_multipart("restart.bin", 8, HOUR, Some(relay.addr));
    let set_file = dir.path().join("set.txt");
    std::fs::write(&set_file, shapes(&links).swap_remove(0).1).unwrap();
    let set_arg = format!("@{}", set_file.display());
    let file_arg = source.display().to_string();
    let args = ["put", set_arg.as_str(), file_arg.as_str()];

    let mut first = cli(&data, &args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while records(&data).first().is_none_or(|parts| *parts < 2) {
        assert!(std::time::Instant::now() < deadline, "no part was recorded");
        assert!(
            first.try_wait().unwrap().is_none(),
            "the upload ended early"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let done = records(&data)[0];
    assert!((2..8).contains(&done), "{done} parts recorded");
    // Requests of the killed run still in the relay arrive first: wait until none does.
    let puts = || pg.received().iter().filter(|r| r.method == "PUT").count();
    let mut sent_before = puts();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = puts();
        if now == sent_before {
            break;
        }
        sent_before = now;
    }

    let again = {
        let (data, args) = (data.clone(), args.map(str::to_owned));
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            presign_desk(&data, &args)
        })
        .await
        .unwrap()
    };
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{done} of 8 parts are already there; sending the other {}.",
            8 - done
        )),
        "{stderr}"
    );
    let sent_again = puts() - sent_before;
    assert_eq!(sent_again, 8 - done, "only the missing parts went");
    assert!(same_bytes(&source, &pg.object_path("restart.bin")));
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.starts_with("uploaded 41.9 MB"), "{stdout}");
    assert!(
        stdout.contains("Verified: the upload's ETag") && stdout.contains("-8 is the MD5"),
        "{stdout}"
    );
    assert!(stderr.contains("Sent as 8 parts"), "{stderr}");
    assert_eq!(
        records(&data),
        Vec::<usize>::new(),
        "the finished upload's record is gone"
    );
}

#[test]
fn a_set_pasted_in_the_window_is_shown_checked_against_the_file_and_uploaded() {
    use egui_kittest::kittest::Queryable;
    use presign_desk::text::Language;
    use support::window::{choose_file, paste, settings, type_into, wait_for_text, window_with};
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 12 * MIB + 5);
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let english = language == Language::ENGLISH;
        let key = format!("window/{}.bin", if english { "en" } else { "ja" });
        let links = pg.start_multipart(&key, 3, HOUR, None);
        let mut harness = window_with(&runtime, settings(language, true), None);
        paste(&mut harness, &shapes(&links).swap_remove(1).1);
        let target = format!("playground/{key}");
        let (verdict, path, button, done, parts) = if english {
            (
                format!("Multipart upload to {target} in 3 parts · valid for"),
                "File path",
                "Upload big.bin",
                "Uploaded big.bin",
                "Sent as 3 parts",
            )
        } else {
            (
                format!("{target} へのマルチパートアップロード（3 個のパート）"),
                "ファイルのパス",
                "big.bin をアップロード",
                "big.bin（",
                "3 個のパートに分け",
            )
        };
        harness.get_by_label_contains(&verdict);
        harness.get_by_label(&links.upload_id);
        type_into(&mut harness, path, &source.display().to_string());
        wait_for_text(&mut harness, button);
        // How the chosen file is cut, before anything is sent.
        harness.get_by_label_contains(if english {
            "5.24 MB each, the last 2.10 MB"
        } else {
            "各 5.24 MB、最後は 2.10 MB"
        });
        harness.get_by_label(button).click();
        wait_for_text(&mut harness, done);
        harness.get_by_label_contains(parts);
        assert!(same_bytes(&source, &pg.object_path(&key)));
    }
    // Twenty parts cannot hold this file: the window says so and sends nothing.
    let links = pg.start_multipart("window/too-many.bin", 20, HOUR, None);
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, false), None);
    paste(&mut harness, &shapes(&links).swap_remove(0).1);
    choose_file(&mut harness, &source);
    wait_for_text(&mut harness, "this file can have at most 3 parts");
    let before = pg.received().len();
    harness.get_by_label("Upload big.bin").click();
    harness.run();
    assert_eq!(pg.received().len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_refused_for_good_stops_the_upload_and_keeps_what_arrived() {
    use support::fault_server::{FaultServer, ok};
    // The third request finds the links expired.
    let server = FaultServer::start(|index, seen| {
        if seen.method == "PUT" && index < 2 {
            ok(
                Vec::new(),
                vec![("ETag".into(), format!("\"tag-{index}\""))],
            )
        } else {
            support::fault_server::status(403, "AccessDenied")
        }
    })
    .await;
    let text = fault_set(&server, 3);
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 12 * MIB);
    let plan = plan_for(&text, &source);
    let data = dir.path().join("data");
    let options = Options {
        connections: 1,
        upload_records: Some(data.join("presigndesk").join("uploads")),
        ..options()
    };
    let (outcome, _, _) = support::run_with(&plan, &options).await;
    let Outcome::Refused(refusal) = &outcome else {
        panic!("refused: {outcome:?}");
    };
    assert_eq!(refusal.status, 403);
    assert_eq!(refusal.part, Some(3), "the part refused is named");
    assert_eq!(
        records(&data),
        vec![2],
        "the two parts that arrived are kept"
    );
    // Explained for the part's own link.
    let diagnosis =
        presign_desk::diagnose::of_refusal(&plan, refusal, None, jiff::Timestamp::now());
    assert_eq!(diagnosis.status, Some(403));
    assert!(!diagnosis.causes.is_empty());
}

#[test]
fn a_multipart_upload_cancelled_in_the_window_says_what_is_kept_and_goes_on_from_there() {
    use egui_kittest::kittest::Queryable;
    use presign_desk::text::Language;
    use support::window::{
        paste, settings, type_into, wait_for_text, wait_until, window_recording,
    };
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // 4 MiB/s a connection: the parts are on their way when Cancel is pressed.
    let relay = runtime
        .block_on(Relay::start(
            0,
            pg.addr(),
            Shape {
                one_way_delay: Duration::from_millis(2),
                per_connection: Some(4 * MIB),
                total: Some(8 * MIB),
                cut_every: None,
            },
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 30 * MIB);
    let links = pg.start_multipart("window/cancelled.bin", 5, HOUR, Some(relay.addr));
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("presigndesk").join("uploads");
    let mut harness = window_recording(&runtime, settings(Language::ENGLISH, false), &folder);
    paste(&mut harness, &shapes(&links).swap_remove(1).1);
    type_into(&mut harness, "File path", &source.display().to_string());
    wait_for_text(&mut harness, "Upload big.bin");
    harness.get_by_label("Upload big.bin").click();
    // Cancelled once a part has arrived and the record keeps it.
    wait_until(&mut harness, "a part arriving", |_| {
        records(data.path()).iter().any(|&parts| parts > 0)
    });
    harness.get_by_label("Cancel").click();
    wait_for_text(
        &mut harness,
        "The parts that arrived are kept on the storage",
    );
    let kept = records(data.path());
    // Nothing claims the storage holds nothing.
    assert!(
        harness
            .query_by_label_contains("Nothing was stored")
            .is_none()
    );
    // Pressed again, the upload goes on from the parts kept, and completes.
    harness.get_by_label("Upload big.bin").click();
    wait_for_text(&mut harness, "were already there)");
    wait_for_text(&mut harness, "Uploaded big.bin");
    assert!(same_bytes(&source, &pg.object_path("window/cancelled.bin")));
    assert!(kept[0] > 0 && kept[0] < 5, "cancelled mid-way: {kept:?}");
    assert!(
        records(data.path()).is_empty(),
        "the record goes once the upload is whole"
    );
}

#[test]
fn a_cancelled_multipart_upload_can_be_removed_from_the_storage_instead() {
    use egui_kittest::kittest::Queryable;
    use presign_desk::text::Language;
    use support::window::{
        paste, settings, type_into, wait_for_text, wait_until, window_recording,
    };
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let relay = runtime
        .block_on(Relay::start(
            0,
            pg.addr(),
            Shape {
                one_way_delay: Duration::from_millis(2),
                per_connection: Some(4 * MIB),
                total: Some(8 * MIB),
                cut_every: None,
            },
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 30 * MIB);
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("presigndesk").join("uploads");
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let english = language == Language::ENGLISH;
        let key = format!("window/removed-{}.bin", language.code());
        let links = pg.start_multipart(&key, 5, HOUR, Some(relay.addr));
        let mut harness = window_recording(&runtime, settings(language, false), &folder);
        // The shape with a cancel link.
        paste(&mut harness, &shapes(&links).swap_remove(2).1);
        let (path, button, cancel, remove, removed) = if english {
            (
                "File path",
                "Upload big.bin",
                "Cancel",
                "Remove the parts from the storage",
                "the upload was cancelled on the storage",
            )
        } else {
            (
                "ファイルのパス",
                "big.bin をアップロード",
                "キャンセル",
                "ストレージからパートを削除",
                "ストレージ上のアップロードも取り消しました",
            )
        };
        type_into(&mut harness, path, &source.display().to_string());
        wait_for_text(&mut harness, button);
        harness.get_by_label(button).click();
        wait_until(&mut harness, "a part arriving", |_| {
            records(data.path()).iter().any(|&parts| parts > 0)
        });
        harness.get_by_label(cancel).click();
        wait_for_text(&mut harness, remove);
        harness.get_by_label(remove).click();
        wait_for_text(&mut harness, removed);
        assert!(
            records(data.path()).is_empty(),
            "nothing is kept to go on with"
        );
        let deletes = pg
            .received()
            .iter()
            .filter(|r| r.method == "DELETE" && r.target.contains(&links.upload_id))
            .count();
        assert_eq!(deletes, 1, "the set's cancel link was sent once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_that_expire_mid_way_stop_with_the_parts_that_need_fresh_ones() {
    let pg = Playground::start();
    // 8 MiB/s in all: 60 MiB take 7.5 s, and the links last 4.
    let relay = Relay::start(
        0,
        pg.addr(),
        Shape {
            one_way_delay: Duration::from_millis(2),
            per_connection: Some(4 * MIB),
            total: Some(8 * MIB),
            cut_every: None,
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let source = dir.path().join("big.bin");
    write_pattern(&source, 60 * MIB);
    let links = pg.start_multipart("expiring.bin", 12, Duration::from_secs(4), Some(relay.addr));
    let set_file = dir.path().join("set.txt");
    std::fs::write(&set_file, shapes(&links).swap_remove(0).1).unwrap();
    let out = tokio::task::spawn_blocking({
        let (data, set, file) = (data.clone(), set_file.clone(), source.clone());
        move || {
            let set = format!("@{}", set.display());
            presign_desk(&data, &["put", &set, &file.display().to_string()])
        }
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    let kept = records(&data);
    assert_eq!(kept.len(), 1, "the upload's record is kept: {stderr}");
    let kept = kept[0];
    assert!((1..12).contains(&kept), "{kept} parts arrived: {stderr}");
    assert!(
        stderr.contains(&format!(
            "The links expired with {kept} of 12 parts on the storage"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("still need fresh links"), "{stderr}");
    assert!(
        stderr.contains("12 still need") || stderr.contains("–12 still need"),
        "the last part is named: {stderr}"
    );
    // The refusal is explained as the expiry it is.
    assert!(stderr.to_lowercase().contains("expired"), "{stderr}");
}
