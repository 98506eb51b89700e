//! Large files to an Azure SAS that may write, against Azurite (Microsoft's emulator, which
//! checks every SAS signature and each block's Content-MD5): sent as blocks in parallel and
//! committed with Put Block List; a line that drops costs only the blocks it cut; a killed
//! upload goes on with the blocks that are missing. Run by `scripts/azurite-check.sh`, which
//! installs Azurite (these tests are ignored without it).

use crate::multipart::{cli, presign_desk, records};
use crate::support;

use std::time::Duration;

use presign_desk::link::PresignedLink;
use presign_desk::transfer::{Options, Plan, Verification};
use support::azurite::Azurite;
use support::relay::{Relay, Shape};
use support::{same_bytes, succeeded, write_pattern};

const MIB: u64 = 1024 * 1024;
const HOUR: Duration = Duration::from_secs(3600);

/// Downloads `link` and compares it with `source`.
async fn arrived_whole(link: &str, source: &std::path::Path) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy");
    let outcome = support::get(link, &copy, false).await;
    succeeded(&outcome);
    same_bytes(source, &copy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Azurite: scripts/azurite-check.sh"]
async fn a_large_file_goes_as_blocks_and_arrives_whole_with_its_type() {
    let azurite = Azurite::start("box");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let source = dir.path().join("report.csv");
    write_pattern(&source, 70 * MIB + 11);
    let link = azurite.blob_sas("box", "report.csv", "rw", HOUR);
    let out = tokio::task::spawn_blocking({
        let (data, link, source) = (data.clone(), link.clone(), source.clone());
        move || {
            let file = source.display().to_string();
            presign_desk(&data, &["put", &link, &file, "--json"])
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // 70 MiB in 8 MiB blocks: nine, each checked by the storage against its MD5.
    assert_eq!(report["parts"], 9, "{stdout}");
    assert_eq!(report["verification"]["result"], "verified", "{stdout}");
    assert_eq!(azurite.blocks_received(), 9);
    assert!(
        !stdout.contains("sig="),
        "the signature never shows: {stdout}"
    );
    assert!(arrived_whole(&link, &source).await);
    // The file type chosen is the blob's.
    let head = reqwest::Client::new().head(&link).send().await.unwrap();
    assert_eq!(head.headers()["content-type"], "text/csv");
    assert!(records(&data).is_empty(), "nothing is left to go on with");

    // A small file, or a SAS that may only create, goes as one request.
    let small = dir.path().join("small.bin");
    write_pattern(&small, MIB);
    let outcome = support::put(
        &azurite.blob_sas("box", "small.bin", "rw", HOUR),
        &small,
        None,
    )
    .await;
    assert_eq!(succeeded(&outcome).parts, 0);
    let create_only = azurite.blob_sas("box", "created.bin", "c", HOUR);
    let plan = Plan::upload(
        &PresignedLink::parse(&create_only).unwrap(),
        source.clone(),
        70 * MIB + 11,
        None,
    );
    assert!(
        !plan.sent_in_parts(),
        "Put Block List needs the permission to write"
    );
    assert_eq!(azurite.blocks_received(), 9, "no block was sent for either");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Azurite: scripts/azurite-check.sh"]
async fn a_line_that_drops_costs_only_the_blocks_it_cut() {
    let azurite = Azurite::start("box");
    let relay = Relay::start(
        0,
        azurite.addr,
        Shape {
            one_way_delay: Duration::from_millis(2),
            per_connection: Some(32 * MIB),
            total: None,
            // Cut every 13 MiB sent: several cuts over 48 MiB.
            cut_every: Some(13 * MIB),
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    write_pattern(&source, 72 * MIB);
    let direct = azurite.blob_sas("box", "big.bin", "rw", HOUR);
    let via = direct.replace(&azurite.addr.to_string(), &relay.addr.to_string());
    let plan = Plan::upload(
        &PresignedLink::parse(&via).unwrap(),
        source.clone(),
        72 * MIB,
        None,
    );
    let options = Options {
        backoff_base: Duration::from_millis(20),
        max_attempts: 6,
        connections: 16,
        ..Options::default()
    };
    let (outcome, _, retries) = support::run_with(&plan, &options).await;
    let success = succeeded(&outcome);
    assert_eq!(success.parts, 9);
    assert_eq!(
        success.verification,
        Verification::BlocksVerified { blocks: 9 }
    );
    let cuts = relay.cuts();
    assert!(cuts >= 2, "the line dropped: {cuts} cuts");
    assert!(!retries.is_empty(), "the cut blocks were sent again");
    let sent = azurite.blocks_received() as u64;
    assert!(
        sent <= 9 + cuts,
        "{sent} blocks sent for 9 blocks and {cuts} cuts"
    );
    assert_eq!(success.bytes, 72 * MIB, "what was cut is counted once");
    assert!(arrived_whole(&direct, &source).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Azurite: scripts/azurite-check.sh"]
async fn a_killed_upload_sends_only_the_missing_blocks_when_run_again() {
    let azurite = Azurite::start("box");
    // 5 MiB/s a connection, 10 MiB/s in all: 80 MiB take eight seconds or more.
    let relay = Relay::start(
        0,
        azurite.addr,
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
    write_pattern(&source, 80 * MIB);
    let direct = azurite.blob_sas("box", "big.bin", "rw", HOUR);
    let via = direct.replace(&azurite.addr.to_string(), &relay.addr.to_string());
    let file = source.display().to_string();
    let args = ["put", via.as_str(), file.as_str()];
    let first_log = dir.path().join("first.log");
    let mut first = cli(&data, &args)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&first_log).unwrap())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while records(&data).first().is_none_or(|blocks| *blocks < 2) {
        assert!(
            std::time::Instant::now() < deadline,
            "no block was recorded"
        );
        assert!(
            first.try_wait().unwrap().is_none(),
            "the upload ended early: {}",
            std::fs::read_to_string(&first_log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let done = records(&data)[0];
    assert!((2..10).contains(&done), "{done} blocks recorded");
    // Requests of the killed run still in the relay arrive first: wait until none does.
    let mut sent_before = azurite.blocks_received();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = azurite.blocks_received();
        if now == sent_before {
            break;
        }
        sent_before = now;
    }

    let again = tokio::task::spawn_blocking({
        let (data, args) = (data.clone(), args.map(str::to_owned));
        move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            presign_desk(&data, &args)
        }
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{done} of 10 parts are already there; sending the other {}.",
            10 - done
        )),
        "{stderr}"
    );
    assert_eq!(
        azurite.blocks_received() - sent_before,
        10 - done,
        "only the missing blocks went"
    );
    assert!(stderr.contains("Sent as 10 blocks"), "{stderr}");
    assert!(arrived_whole(&direct, &source).await);
    assert!(
        records(&data).is_empty(),
        "the finished upload's record is gone"
    );
}
