//! Large downloads in byte ranges over several connections, through the shaping relay (a slow,
//! far-away line on loopback): against the playground (a real S3 server checking signatures)
//! and against the fault server, which resets a range, answers 503, changes the object
//! mid-way or ignores `Range`. Whatever happens, the file is one version of the object, whole.

mod playground;
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::transfer::{
    self, CancellationToken, Options, Outcome, Plan, Reporter, SingleStreamReason, TransferEvent,
    Verification,
};
use support::fault_server::{FaultServer, Reply, md5_hex, pattern, serve_object, status};
use support::relay::{Relay, Shape};
use support::{files_in, same_bytes, succeeded, write_pattern};

const MIB: usize = 1024 * 1024;
const SIZE: usize = 40 * MIB;

/// A line slow enough that the connections overlap, quick enough for a test.
fn line() -> Shape {
    Shape {
        one_way_delay: Duration::from_millis(5),
        per_connection: Some(24 * MIB as u64),
        total: Some(256 * MIB as u64),
    }
}

fn options(connections: u32) -> Options {
    Options {
        connections,
        stall_timeout: Duration::from_secs(5),
        backoff_base: Duration::from_millis(20),
        ..Options::default()
    }
}

fn tag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", md5_hex(bytes))
}

fn range_start(seen: &support::fault_server::Seen) -> Option<usize> {
    seen.header("range")?
        .strip_prefix("bytes=")?
        .split('-')
        .next()?
        .parse()
        .ok()
}

async fn relay_to(port: u16) -> Relay {
    Relay::start(0, ([127, 0, 0, 1], port).into(), line())
        .await
        .unwrap()
}

/// Downloads `big.bin` from the fault server through the relay over up to `connections`
/// connections, into a new folder: the outcome, the retries announced, the folder.
async fn through_the_relay(
    server: &FaultServer,
    connections: u32,
) -> (Outcome, Vec<u32>, tempfile::TempDir) {
    let relay = relay_to(server.port).await;
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::download(
        &server.link_at(relay.addr.port(), "big.bin"),
        dir.path().join("big.bin"),
        false,
    );
    let (outcome, _, retries) = support::run_with(&plan, &options(connections)).await;
    (outcome, retries, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_download_runs_in_ranges_on_the_playground() {
    let playground = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.bin");
    write_pattern(&source, SIZE as u64);
    let put = playground.sign_v4(Method::Put, "big.bin", Duration::from_secs(600));
    succeeded(&support::put(&put, &source, None).await);
    let relay = relay_to(playground.addr().port()).await;
    let link = playground.sign_v4_get_via(relay.addr, "big.bin", Duration::from_secs(600));
    let link = presign_desk::link::PresignedLink::parse(&link).unwrap();
    let out = dir.path().join("out.bin");
    let plan = Plan::download(&link, out.clone(), false);
    let (outcome, progress, retries) = support::run_with(&plan, &options(4)).await;
    let success = succeeded(&outcome);
    assert_eq!(success.connections, 4, "four ranges at once");
    assert_eq!(success.single_stream_reason, None);
    assert!(matches!(success.verification, Verification::Verified(_)));
    assert!(
        same_bytes(&source, &out),
        "the file is the object, byte for byte"
    );
    assert!(retries.is_empty());
    assert!(relay.connections() >= 4);
    // The playground checked every signature; the ranges were asked for the same object.
    let ranged: Vec<_> = playground
        .received()
        .into_iter()
        .filter(|r| r.header("range").is_some())
        .collect();
    assert_eq!(ranged.len(), 3, "the first answer streams the first range");
    assert!(ranged.iter().all(|r| r.header("if-match").is_some()));
    // One bar for the whole file, never going back.
    assert!(
        progress
            .windows(2)
            .all(|w| w[0].bytes_done <= w[1].bytes_done)
    );
    let last = progress.last().unwrap();
    assert_eq!(
        (last.bytes_done, last.total_bytes),
        (SIZE as u64, Some(SIZE as u64))
    );
    assert_eq!(files_in(dir.path()).len(), 2, "no partial file left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_downloads_and_one_connection_ask_for_no_range() {
    let playground = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.bin");
    write_pattern(&source, SIZE as u64);
    let put = playground.sign_v4(Method::Put, "big.bin", Duration::from_secs(600));
    succeeded(&support::put(&put, &source, None).await);
    let get = playground.sign_v4(Method::Get, "big.bin", Duration::from_secs(600));
    let link = presign_desk::link::PresignedLink::parse(&get).unwrap();
    let before = playground.received().len();
    let plan = Plan::download(&link, dir.path().join("one.bin"), false);
    let (outcome, _, _) = support::run_with(&plan, &options(1)).await;
    assert_eq!(succeeded(&outcome).connections, 1);
    assert!(same_bytes(&source, &dir.path().join("one.bin")));
    let received = playground.received();
    assert_eq!(received.len(), before + 1, "one request");
    assert_eq!(received[before].header("range"), None);

    let small = dir.path().join("small.bin");
    write_pattern(&small, 3 * MIB as u64);
    let put = playground.sign_v4(Method::Put, "small.bin", Duration::from_secs(600));
    succeeded(&support::put(&put, &small, None).await);
    let get = playground.sign_v4(Method::Get, "small.bin", Duration::from_secs(600));
    let outcome = support::get(&get, &dir.path().join("small-out.bin"), false).await;
    assert_eq!(
        succeeded(&outcome).connections,
        1,
        "under 32 MiB: one stream"
    );
    assert_eq!(playground.last_received().header("range"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_range_resumes_and_a_503_means_fewer_connections() {
    let object = Arc::new(pattern(SIZE));
    let tag = tag_of(&object);
    let ranged = Arc::new(AtomicUsize::new(0));
    let (served, count) = (object.clone(), ranged.clone());
    let server = FaultServer::start(move |_, seen| {
        if seen.header("range").is_some() {
            match count.fetch_add(1, Ordering::SeqCst) {
                // The first range breaks half-way, with a reset.
                0 => {
                    let mut reply = serve_object(&served, &tag, seen, true);
                    if let Reply::Respond {
                        body, send_bytes, ..
                    } = &mut reply
                    {
                        *send_bytes = Some(body.len() / 2);
                    }
                    return reply;
                }
                // The second is told to slow down.
                1 => return status(503, "SlowDown"),
                _ => {}
            }
        }
        serve_object(&served, &tag, seen, true)
    })
    .await;
    let (outcome, retries, dir) = through_the_relay(&server, 4).await;
    let out = dir.path().join("big.bin");
    let success = succeeded(&outcome);
    assert!(
        retries.is_empty(),
        "each range retried on its own: {retries:?}"
    );
    assert!(success.connections > 1);
    assert!(matches!(success.verification, Verification::Verified(_)));
    assert!(std::fs::read(&out).unwrap() == *object, "identical bytes");
    let seen = server.seen();
    let starts: Vec<usize> = seen.iter().filter_map(range_start).collect();
    let initial: Vec<usize> = (1..4).map(|i| SIZE * i / 4).collect();
    assert!(
        starts.iter().any(|s| !initial.contains(s)),
        "the broken range resumed after what had arrived: {starts:?}"
    );
    assert!(
        seen.iter()
            .filter(|s| s.header("range").is_some())
            .all(|s| s.header("if-match").is_some()),
        "every range is guarded by the first answer's ETag"
    );
    assert_eq!(files_in(dir.path()), vec![out]);
}

/// Version A until the second range is asked for, version B from then on.
async fn changing_server(honour_if_match: bool) -> (FaultServer, Vec<u8>) {
    let a = Arc::new(pattern(SIZE));
    let b: Vec<u8> = a.iter().map(|x| x ^ 0x5a).collect();
    let (tag_a, tag_b) = (tag_of(&a), tag_of(&b));
    let ranged = Arc::new(AtomicUsize::new(0));
    let served_b = Arc::new(b.clone());
    let server = FaultServer::start(move |_, seen| {
        let changed = if seen.header("range").is_some() {
            ranged.fetch_add(1, Ordering::SeqCst) >= 1
        } else {
            ranged.load(Ordering::SeqCst) >= 1
        };
        if changed {
            serve_object(&served_b, &tag_b, seen, honour_if_match)
        } else {
            serve_object(&a, &tag_a, seen, honour_if_match)
        }
    })
    .await;
    (server, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_changed_mid_way_is_never_spliced() {
    // A server that checks If-Match answers 412; one that does not sends the new ETag.
    for honour_if_match in [true, false] {
        let (server, new_version) = changing_server(honour_if_match).await;
        let (outcome, _, dir) = through_the_relay(&server, 4).await;
        let out = dir.path().join("big.bin");
        let success = succeeded(&outcome);
        assert_eq!(
            success.single_stream_reason,
            Some(SingleStreamReason::ObjectChanged),
            "If-Match honoured: {honour_if_match}"
        );
        assert_eq!(success.connections, 1, "started over in one stream");
        assert_eq!(
            success.verification,
            Verification::Verified(md5_hex(&new_version))
        );
        assert!(
            std::fs::read(&out).unwrap() == new_version,
            "all of the new version, nothing of the old"
        );
        assert_eq!(files_in(dir.path()), vec![out]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_ignores_range_gets_one_stream() {
    let object = Arc::new(pattern(SIZE));
    let tag = tag_of(&object);
    let served = object.clone();
    let server = FaultServer::start(move |_, seen| {
        // Whatever is asked, the whole object (and it says it accepts ranges).
        let mut whole = seen.clone();
        whole.headers.retain(|(name, _)| name != "range");
        serve_object(&served, &tag, &whole, true)
    })
    .await;
    let (outcome, _, dir) = through_the_relay(&server, 8).await;
    let out = dir.path().join("big.bin");
    let success = succeeded(&outcome);
    assert_eq!(
        success.single_stream_reason,
        Some(SingleStreamReason::RangesIgnored)
    );
    assert_eq!(success.connections, 1);
    assert!(matches!(success.verification, Verification::Verified(_)));
    assert!(std::fs::read(&out).unwrap() == *object);
    assert_eq!(files_in(dir.path()), vec![out]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_every_connection_and_leaves_nothing() {
    let object = Arc::new(pattern(SIZE));
    let tag = tag_of(&object);
    let served = object.clone();
    let server = FaultServer::start(move |_, seen| serve_object(&served, &tag, seen, true)).await;
    // 1 MiB/s a connection: far from done when cancelled.
    let relay = Relay::start(
        0,
        ([127, 0, 0, 1], server.port).into(),
        Shape {
            one_way_delay: Duration::from_millis(5),
            per_connection: Some(MIB as u64),
            total: None,
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::download(
        &server.link_at(relay.addr.port(), "big.bin"),
        dir.path().join("big.bin"),
        false,
    );
    let cancel = CancellationToken::new();
    let seen_bytes = Arc::new(Mutex::new(0u64));
    let sink = seen_bytes.clone();
    let report: Reporter = Arc::new(move |event| {
        if let TransferEvent::Progress(p) = event {
            *sink.lock().unwrap() = p.bytes_done;
        }
    });
    let client = transfer::http_client().unwrap();
    let running = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            transfer::run_with(&client, &plan, &options(4), report, &cancel).await
        })
    };
    // Cancel once the ranges are flowing.
    while *seen_bytes.lock().unwrap() < 2 * MIB as u64 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    cancel.cancel();
    let outcome = tokio::time::timeout(Duration::from_secs(20), running)
        .await
        .expect("cancel ends the download")
        .unwrap();
    assert!(matches!(outcome, Outcome::Cancelled), "{outcome:?}");
    assert!(files_in(dir.path()).is_empty(), "no partial file left");
}
