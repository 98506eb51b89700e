//! The request on the wire, against the playground: a real S3-compatible server on 127.0.0.1
//! that checks signatures.

use crate::playground;
use crate::support;

use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::link::PresignedLink;
use presign_desk::transfer::{CancellationToken, Outcome, Plan, Reporter, TransferError};
use support::*;

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigv4_put_then_get_round_trip_keeps_every_byte() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.bin");
    write_pattern(&source, 3 * 1024 * 1024 + 17);

    let put_url = pg.sign_v4(Method::Put, "round/trip.bin", HOUR);
    let uploaded = put(&put_url, &source, None).await;
    let success = succeeded(&uploaded);
    assert_eq!(success.status, 200);
    assert_eq!(success.bytes, 3 * 1024 * 1024 + 17);
    assert!(success.response.etag.is_some(), "ETag reported");
    assert!(
        matches!(
            success.verification,
            presign_desk::transfer::Verification::Verified(_)
        ),
        "the upload is proved: {:?}",
        success.verification
    );
    assert!(same_bytes(&source, &pg.object_path("round/trip.bin")));

    let get_url = pg.sign_v4(Method::Get, "round/trip.bin", HOUR);
    let destination = dir.path().join("back.bin");
    let downloaded = get(&get_url, &destination, false).await;
    let success = succeeded(&downloaded);
    assert_eq!(success.saved_to.as_deref(), Some(destination.as_path()));
    assert!(
        matches!(
            success.verification,
            presign_desk::transfer::Verification::Verified(_)
        ),
        "the download is proved: {:?}",
        success.verification
    );
    assert!(same_bytes(&source, &destination));
    assert_eq!(files_in(dir.path()).len(), 2, "no partial file left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_on_the_wire_are_only_what_the_link_needs() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, b"hello").unwrap();

    let url = pg.sign_v4(Method::Put, "notes.txt", HOUR);
    succeeded(&put(&url, &file, None).await);
    let sent = pg.last_received();
    assert_eq!(sent.header("content-length"), Some("5"));
    assert_eq!(sent.header("transfer-encoding"), None, "never chunked");
    assert_eq!(
        sent.header("content-type"),
        None,
        "no Content-Type unless chosen"
    );
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("expect"), None);
    assert!(
        sent.headers.iter().all(|(n, _)| !n.starts_with("x-amz-")),
        "no unsigned x-amz-* header: {:?}",
        sent.headers
    );

    succeeded(&put(&url, &file, Some("text/plain")).await);
    assert_eq!(
        pg.last_received().header("content-type"),
        Some("text/plain")
    );

    // An empty file still says Content-Length: 0.
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").unwrap();
    succeeded(&put(&pg.sign_v4(Method::Put, "empty", HOUR), &empty, None).await);
    assert_eq!(pg.last_received().header("content-length"), Some("0"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_content_type_must_match() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.csv");
    std::fs::write(&file, b"a,b\n1,2\n").unwrap();
    let url = pg.sign_v4_with(
        Method::Put,
        "data.csv",
        HOUR,
        Some("text/csv"),
        jiff::Timestamp::now(),
    );
    assert!(PresignedLink::parse(&url).unwrap().signs_content_type());

    assert_eq!(
        refused(&put(&url, &file, None).await),
        (403, "SignatureDoesNotMatch".into())
    );
    assert_eq!(
        refused(&put(&url, &file, Some("text/plain")).await),
        (403, "SignatureDoesNotMatch".into())
    );
    assert_eq!(
        succeeded(&put(&url, &file, Some("text/csv")).await).status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigv2_content_type_is_signed_even_when_empty() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("legacy.txt");
    std::fs::write(&file, b"legacy").unwrap();
    let url = pg.sign_v2(Method::Put, "legacy.txt", None, playground::unix_in(3600));

    assert_eq!(succeeded(&put(&url, &file, None).await).status, 200);
    assert_eq!(
        refused(&put(&url, &file, Some("text/plain")).await),
        (403, "SignatureDoesNotMatch".into())
    );
    let typed = pg.sign_v2(
        Method::Put,
        "typed.txt",
        Some("text/plain"),
        playground::unix_in(3600),
    );
    assert_eq!(
        succeeded(&put(&typed, &file, Some("text/plain")).await).status,
        200
    );

    let get_url = pg.sign_v2(Method::Get, "legacy.txt", None, playground::unix_in(3600));
    let destination = dir.path().join("legacy-back.txt");
    succeeded(&get(&get_url, &destination, false).await);
    assert_eq!(std::fs::read(&destination).unwrap(), b"legacy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_method_and_expired_links_are_refused() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.txt");
    std::fs::write(&file, b"x").unwrap();

    let get_link = pg.sign_v4(Method::Get, "f.txt", HOUR);
    assert_eq!(refused(&put(&get_link, &file, None).await).0, 403);
    assert!(!pg.object_path("f.txt").exists(), "nothing stored");

    let two_hours_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    let expired = pg.sign_v4_with(Method::Put, "f.txt", HOUR, None, two_hours_ago);
    let outcome = put(&expired, &file, None).await;
    assert_eq!(refused(&outcome), (403, "AccessDenied".into()));
    let Outcome::Refused(refusal) = outcome else {
        unreachable!()
    };
    assert_eq!(refusal.body.message.as_deref(), Some("Request has expired"));

    let expired_v2 = pg.sign_v2(Method::Put, "f.txt", None, playground::unix_in(-60));
    assert_eq!(
        refused(&put(&expired_v2, &file, None).await),
        (403, "AccessDenied".into())
    );

    let too_long = pg.sign_v4(
        Method::Put,
        "f.txt",
        Duration::from_secs(playground::MAX_EXPIRES_SECS + 1),
    );
    assert_eq!(
        refused(&put(&too_long, &file, None).await),
        (400, "AuthorizationQueryParametersError".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn special_character_keys_go_out_byte_for_byte() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payload");
    std::fs::write(&file, b"special").unwrap();
    let keys = [
        "with space.txt",
        "plus+sign.txt",
        "parens(1).txt",
        "bang!.txt",
        "star*.txt",
        "quote'.txt",
        "tilde~.txt",
        "percent%2Fslash.txt",
        "at@sign.txt",
        "日本語のファイル.txt",
        "dir/sub dir/mixed + (all) !*'~@ 日本.txt",
    ];
    for key in keys {
        let url = pg.sign_v4(Method::Put, key, HOUR);
        let link = PresignedLink::parse(&url).unwrap();
        let outcome = put(&url, &file, None).await;
        assert_eq!(succeeded(&outcome).status, 200, "{key}");
        assert_eq!(
            pg.last_received().target,
            link.raw().request_target(),
            "{key}"
        );
        assert_eq!(
            std::fs::read(pg.object_path(key)).unwrap(),
            b"special",
            "{key}"
        );

        // The same through a legacy SigV2 link.
        let v2 = pg.sign_v2(Method::Get, key, None, playground::unix_in(3600));
        let back = dir.path().join("back");
        succeeded(&get(&v2, &back, true).await);
        assert_eq!(
            pg.last_received().target,
            PresignedLink::parse(&v2).unwrap().raw().request_target(),
            "{key}"
        );
        assert_eq!(std::fs::read(&back).unwrap(), b"special", "{key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_upload_is_refused_so_content_length_matters() {
    let pg = Playground::start();
    let url = pg.sign_v4(Method::Put, "chunked.bin", HOUR);
    // What a client without an explicit length sends: a streamed, chunked body.
    let response = put_chunked(&url, b"abc").await;
    assert_eq!(response.status().as_u16(), 501);
    assert_eq!(
        pg.last_received().header("transfer-encoding"),
        Some("chunked")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<Code>NotImplemented</Code>")
    );

    // The app's own upload of the same link succeeds: it always sends Content-Length.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.bin");
    std::fs::write(&file, b"abc").unwrap();
    succeeded(&put(&url, &file, None).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_download_leaves_no_file_and_never_overwrites() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();

    let missing = pg.sign_v4(Method::Get, "does-not-exist", HOUR);
    let destination = dir.path().join("wanted.bin");
    assert_eq!(
        refused(&get(&missing, &destination, false).await),
        (404, "NoSuchKey".into())
    );
    assert!(files_in(dir.path()).is_empty(), "no file, partial or whole");

    std::fs::write(pg.object_path("there.txt"), b"new content").unwrap();
    let url = pg.sign_v4(Method::Get, "there.txt", HOUR);
    std::fs::write(&destination, b"precious").unwrap();
    match get(&url, &destination, false).await {
        Outcome::Failed(TransferError::DestinationExists(path)) => assert_eq!(path, destination),
        other => panic!("expected DestinationExists, got {other:?}"),
    }
    assert_eq!(std::fs::read(&destination).unwrap(), b"precious");
    succeeded(&get(&url, &destination, true).await);
    assert_eq!(std::fs::read(&destination).unwrap(), b"new content");
    assert_eq!(files_in(dir.path()).len(), 1);
}

/// A download of a 64 MiB object from the playground into `folder`.
fn a_64_mib_download(pg: &Playground, folder: &std::path::Path) -> Plan {
    write_pattern(&pg.object_path("big.bin"), 64 * 1024 * 1024);
    let link = PresignedLink::parse(&pg.sign_v4(Method::Get, "big.bin", HOUR)).unwrap();
    Plan::download(&link, folder.join("big.bin"), false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_download_and_removes_the_partial_file() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = a_64_mib_download(&pg, dir.path());

    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let report: Reporter = std::sync::Arc::new(move |_| trigger.cancel());
    let client = presign_desk::transfer::http_client().unwrap();
    let outcome = presign_desk::transfer::run(&client, &plan, report, &cancel).await;
    assert!(matches!(outcome, Outcome::Cancelled), "{outcome:?}");
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_file_that_cannot_be_removed_is_reported() {
    use presign_desk::transfer::TransferEvent;
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = a_64_mib_download(&pg, dir.path());

    // Once bytes arrive, the partial file's name is taken by a folder that is not empty, which
    // no file removal can take away; then the download is cancelled.
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let folder = dir.path().to_owned();
    let left = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = left.clone();
    let report: Reporter = std::sync::Arc::new(move |event| match event {
        TransferEvent::PartialLeft { path, reason } => seen.lock().unwrap().push((path, reason)),
        TransferEvent::Progress(p) if p.bytes_done > 0 && !trigger.is_cancelled() => {
            for part in files_in(&folder) {
                std::fs::remove_file(&part).unwrap();
                std::fs::create_dir(&part).unwrap();
                std::fs::write(part.join("keep"), b"x").unwrap();
            }
            trigger.cancel();
        }
        _ => {}
    });
    let client = presign_desk::transfer::http_client().unwrap();
    let outcome = presign_desk::transfer::run(&client, &plan, report, &cancel).await;
    assert!(matches!(outcome, Outcome::Cancelled), "{outcome:?}");
    let left = left.lock().unwrap().clone();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].0, files_in(dir.path())[0]);
    assert!(
        left[0].0.to_string_lossy().ends_with(".presigndesk-part"),
        "{left:?}"
    );
    assert!(!left[0].1.is_empty());
    // Said in words, with the path to delete.
    let note = presign_desk::present::partial_left_notice(&left[0].0, &left[0].1);
    assert!(note.contains(&left[0].0.display().to_string()), "{note}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_reported_not_followed() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let mut served = 0;
        listener.set_nonblocking(false).unwrap();
        // Answer one request with a 307, then wait briefly for any follow-up.
        let (mut socket, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf);
        let body = "<Error><Code>TemporaryRedirect</Code><Message>Please re-send this request to the specified temporary endpoint.</Message><Endpoint>b.s3-eu-west-1.amazonaws.com</Endpoint><Bucket>b</Bucket></Error>";
        let _ = write!(
            socket,
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{addr}/elsewhere\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        served += 1;
        listener.set_nonblocking(true).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        if listener.accept().is_ok() {
            served += 1;
        }
        served
    });
    let url = format!("http://{addr}/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc");
    let dir = tempfile::tempdir().unwrap();
    let outcome = get(&url, &dir.path().join("k"), false).await;
    let Outcome::Refused(refusal) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(refusal.status, 307);
    assert_eq!(
        refusal.body.element("Endpoint"),
        Some("b.s3-eu-west-1.amazonaws.com")
    );
    assert_eq!(
        refusal.response.location.as_deref(),
        Some(format!("http://{addr}/elsewhere").as_str())
    );
    assert_eq!(server.join().unwrap(), 1, "the redirect was not followed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mib_upload_and_download() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("large.bin");
    let len = 200 * 1024 * 1024;
    write_pattern(&source, len);

    let link = PresignedLink::parse(&pg.sign_v4(Method::Put, "large.bin", HOUR)).unwrap();
    let (outcome, progress) = run(&Plan::upload(&link, source.clone(), len, None)).await;
    assert_eq!(succeeded(&outcome).bytes, len);
    assert_eq!(
        pg.last_received().header("content-length"),
        Some(len.to_string().as_str())
    );
    let last = progress.last().expect("progress was reported");
    assert_eq!((last.bytes_done, last.total_bytes), (len, Some(len)));
    assert!(
        progress
            .windows(2)
            .all(|w| w[0].bytes_done <= w[1].bytes_done)
    );

    let destination = dir.path().join("large-back.bin");
    let link = PresignedLink::parse(&pg.sign_v4(Method::Get, "large.bin", HOUR)).unwrap();
    let (outcome, progress) = run(&Plan::download(&link, destination.clone(), false)).await;
    assert_eq!(succeeded(&outcome).bytes, len);
    assert_eq!(progress.last().unwrap().total_bytes, Some(len));
    assert!(same_bytes(&source, &destination));
}
