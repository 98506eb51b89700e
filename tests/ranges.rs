//! Large downloads in byte ranges over several connections, through the shaping relay (a slow,
//! far-away line on loopback): against the playground (a real S3 server checking signatures)
//! and against the fault server, which resets a range, answers 503, changes the object
//! mid-way or ignores `Range`. Whatever happens, the file is one version of the object, whole.

use crate::playground;
use crate::support;

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

/// A line slow enough that the connections overlap (one alone takes over three seconds, so that
/// a second is worth adding even when a busy machine makes the first answer slow), quick
/// enough for a test.
fn line() -> Shape {
    Shape {
        one_way_delay: Duration::from_millis(5),
        per_connection: Some(12 * MIB as u64),
        total: Some(256 * MIB as u64),
        cut_every: None,
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

/// `bytes=a-b` or `bytes=a-` as (a, one past b, or the object's end).
fn range_of(header: Option<&str>) -> Option<(usize, Option<usize>)> {
    let (from, to) = header?.strip_prefix("bytes=")?.split_once('-')?;
    Some((
        from.parse().ok()?,
        to.parse::<usize>().ok().map(|to| to + 1),
    ))
}

/// Pieces go out in file order: each range asked for starts past those asked for before it,
/// but for the few asked for at about the same moment by other connections (at most one
/// each), and resumes or halves taken over, which start inside an earlier range.
fn assert_in_file_order(ranges: impl Iterator<Item = (usize, Option<usize>)>, size: usize) {
    let ranges: Vec<_> = ranges.collect();
    // The first answer streams from the first byte up to the first piece asked for.
    let first = ranges.first().map_or(size, |&(from, _)| from);
    let mut asked: Vec<(usize, usize)> = vec![(0, first)];
    for (from, to) in ranges {
        let inside = asked.iter().any(|&(a, b)| from > a && from < b);
        let ahead = asked[1..].iter().filter(|&&(a, _)| a > from).count();
        assert!(
            inside || ahead <= 3,
            "{from} comes after {ahead} ranges further on: {asked:?}"
        );
        asked.push((from, to.unwrap_or(size)));
    }
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
    // Each connection of the line carries 24 MiB/s: every one added raised the rate.
    assert!(success.connections >= 2, "{success:?}");
    assert_eq!(success.single_stream_reason, None);
    assert!(success.connections_reason.is_some());
    assert!(matches!(success.verification, Verification::Verified(_)));
    assert!(success.hash_tail.is_some());
    assert!(
        same_bytes(&source, &out),
        "the file is the object, byte for byte"
    );
    assert!(retries.is_empty());
    assert!(relay.connections() >= 2);
    // The playground checked every signature; the ranges were asked for the same object, in
    // file order, the first answer streaming from the first byte.
    let received = playground.received();
    let gets: Vec<_> = received.iter().filter(|r| r.method == "GET").collect();
    assert_eq!(gets[0].header("range"), None);
    let ranged: Vec<_> = gets
        .iter()
        .filter(|r| r.header("range").is_some())
        .collect();
    assert!(!ranged.is_empty());
    assert!(ranged.iter().all(|r| r.header("if-match").is_some()));
    assert_in_file_order(
        ranged.iter().filter_map(|r| range_of(r.header("range"))),
        SIZE,
    );
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
    let broken = Arc::new(Mutex::new(None));
    let (served, count, broke) = (object.clone(), ranged.clone(), broken.clone());
    let server = FaultServer::start(move |_, seen| {
        if seen.header("range").is_some() {
            match count.fetch_add(1, Ordering::SeqCst) {
                // The first range breaks half-way, with a reset.
                0 => {
                    *broke.lock().unwrap() = range_of(seen.header("range"));
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
    assert_eq!(
        success.connections_reason,
        Some(transfer::ConnectionsReason::ServerSlowDown),
        "{success:?}"
    );
    assert!(matches!(success.verification, Verification::Verified(_)));
    assert!(std::fs::read(&out).unwrap() == *object, "identical bytes");
    let seen = server.seen();
    let ranges: Vec<_> = seen
        .iter()
        .filter_map(|s| range_of(s.header("range")))
        .collect();
    // Two connections may ask at the same moment: the broken range is the one the server broke,
    // whatever order the requests were recorded in.
    let (broken_from, broken_to) = broken.lock().unwrap().expect("a range was broken");
    let broken_to = broken_to.unwrap_or(SIZE);
    assert!(
        ranges
            .iter()
            .any(|&(from, _)| from > broken_from && from < broken_to),
        "the broken range resumed after what had arrived: {ranges:?}"
    );
    assert_in_file_order(ranges.into_iter(), SIZE);
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
            cut_every: None,
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

/// Downloads an object of `size` bytes from the fault server through a relay shaped `shape`,
/// over at most `max` connections.
async fn download_shaped(shape: Shape, max: u32, size: usize) -> (transfer::Success, u32) {
    let object = Arc::new(pattern(size));
    let tag = tag_of(&object);
    let served = object.clone();
    let server = FaultServer::start(move |_, seen| serve_object(&served, &tag, seen, true)).await;
    let relay = Relay::start(0, ([127, 0, 0, 1], server.port).into(), shape)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.bin");
    let plan = Plan::download(
        &server.link_at(relay.addr.port(), "big.bin"),
        out.clone(),
        false,
    );
    let (outcome, _, _) = support::run_with(&plan, &options(max)).await;
    let success = succeeded(&outcome).clone();
    assert!(std::fs::read(&out).unwrap() == *object, "identical bytes");
    assert!(matches!(success.verification, Verification::Verified(_)));
    let ranged = server
        .seen()
        .iter()
        .filter(|s| s.header("range").is_some())
        .count();
    (success, u32::try_from(ranged).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_added_where_each_carries_a_share_and_not_where_the_line_is_full() {
    use presign_desk::transfer::ConnectionsReason;
    // Each connection capped at 8 MiB/s, the line not: every connection added adds 8 MiB/s.
    let per_connection = Shape {
        one_way_delay: Duration::from_millis(5),
        per_connection: Some(8 * MIB as u64),
        total: None,
        cut_every: None,
    };
    // The controller measures over a window of up to a second (twice the first answer's time,
    // which a busy machine stretches) and tries another connection only while at least six
    // windows of the transfer are left: each object is sized to leave that at its rate.
    let (success, _) = download_shaped(per_connection, 6, 64 * MIB).await;
    assert!(success.connections >= 2, "{success:?}");
    assert_ne!(
        success.connections_reason,
        Some(ConnectionsReason::StoppedGrowing),
        "{success:?}"
    );
    // The line full at 12 MiB/s whatever the connections: one stream is as fast as any.
    let line_capped = Shape {
        one_way_delay: Duration::from_millis(5),
        per_connection: None,
        total: Some(12 * MIB as u64),
        cut_every: None,
    };
    let (success, _) = download_shaped(line_capped, 6, 96 * MIB).await;
    assert_eq!(success.connections, 1, "{success:?}");
    assert_eq!(
        success.connections_reason,
        Some(ConnectionsReason::StoppedGrowing)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_expires_mid_way_still_downloads_whole() {
    let playground = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.bin");
    write_pattern(&source, SIZE as u64);
    let put = playground.sign_v4(Method::Put, "big.bin", Duration::from_secs(600));
    succeeded(&support::put(&put, &source, None).await);
    // 40 MiB at 6 MiB/s a connection and 8 MiB/s in all: five seconds, however many.
    let relay = Relay::start(
        0,
        playground.addr(),
        Shape {
            one_way_delay: Duration::from_millis(5),
            per_connection: Some(6 * MIB as u64),
            total: Some(8 * MIB as u64),
            cut_every: None,
        },
    )
    .await
    .unwrap();
    let link = playground.sign_v4_get_via(relay.addr, "big.bin", Duration::from_secs(4));
    let link = presign_desk::link::PresignedLink::parse(&link).unwrap();
    let out = dir.path().join("out.bin");
    let plan = Plan::download(&link, out.clone(), false);
    let started = std::time::Instant::now();
    let options = Options {
        expiry_margin: Duration::from_millis(1500),
        ..options(4)
    };
    let (outcome, _, retries) = support::run_with(&plan, &options).await;
    let success = succeeded(&outcome);
    assert!(
        started.elapsed() > Duration::from_secs(4),
        "the link expired during the download"
    );
    assert!(retries.is_empty(), "{retries:?}");
    assert!(same_bytes(&source, &out), "the whole object");
    assert!(matches!(success.verification, Verification::Verified(_)));
    // Any range asked for after the expiry would have been refused, and the download failed.
    let ranged = playground
        .received()
        .iter()
        .filter(|r| r.header("range").is_some())
        .count();
    assert!(ranged > 0, "ranges were used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_refused_to_its_last_attempt_is_explained() {
    let object = Arc::new(pattern(SIZE));
    let tag = tag_of(&object);
    let served = object.clone();
    // The whole object streams, slowly; every range is told to slow down.
    let server = FaultServer::start(move |_, seen| {
        if seen.header("range").is_some() {
            return status(503, "SlowDown");
        }
        serve_object(&served, &tag, seen, true)
    })
    .await;
    let relay = relay_to(server.port).await;
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::download(
        &server.link_at(relay.addr.port(), "big.bin"),
        dir.path().join("big.bin"),
        false,
    );
    let options = Options {
        max_attempts: 1,
        ..options(4)
    };
    let (outcome, _, _) = support::run_with(&plan, &options).await;
    let Outcome::Refused(refusal) = &outcome else {
        panic!("expected the range's refusal, got {outcome:?}");
    };
    assert_eq!(refusal.status, 503);
    assert_eq!(refusal.body.code.as_deref(), Some("SlowDown"));
    // Explained as the single stream's refusal would be: the server's own words, read.
    let diagnosis =
        presign_desk::diagnose::of_refusal(&plan, refusal, None, jiff::Timestamp::now());
    assert_eq!(diagnosis.status, Some(503));
    assert_eq!(diagnosis.code.as_deref(), Some("SlowDown"));
    assert_eq!(diagnosis.causes[0].id.as_str(), "retryable");
    assert!(files_in(dir.path()).is_empty(), "no partial file left");
}
