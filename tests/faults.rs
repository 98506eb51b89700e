//! Fault injection: a misbehaving HTTP server on 127.0.0.1, written for these tests, that resets
//! connections, stalls, truncates bodies, lies about lengths and ETags. Every fault must end in
//! the right outcome, after the right number of attempts, with no partial file left behind.

use crate::support;

use std::time::Duration;

use presign_desk::link::PresignedLink;
use presign_desk::transfer::{Options, Outcome, Plan, TransferError, Verification};
use support::fault_server::{FaultServer, Reply, etag, ok, pattern, status};
use support::{files_in, write_pattern};

fn quick() -> Options {
    Options {
        stall_timeout: Duration::from_millis(800),
        backoff_base: Duration::from_millis(20),
        ..Options::default()
    }
}

async fn upload_with(
    server: &FaultServer,
    len: usize,
    options: &Options,
) -> (Outcome, Vec<u32>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("up.bin");
    let bytes = pattern(len);
    std::fs::write(&file, &bytes).unwrap();
    let plan = Plan::upload(&server.link("up.bin"), file, len as u64, None);
    let (outcome, _, retries) = support::run_with(&plan, options).await;
    (outcome, retries, bytes)
}

async fn download_with(
    server: &FaultServer,
    options: &Options,
) -> (Outcome, Vec<u32>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::download(&server.link("down.bin"), dir.path().join("down.bin"), false);
    let (outcome, _, retries) = support::run_with(&plan, options).await;
    (outcome, retries, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_mid_upload_is_retried_and_verified() {
    let body = pattern(3 * 1024 * 1024);
    let expected = etag(&body);
    let server = FaultServer::start(move |i, _| {
        if i == 0 {
            Reply::ResetAfterReading(512 * 1024)
        } else {
            ok(vec![], vec![expected.clone()])
        }
    })
    .await;
    let (outcome, retries, _) = upload_with(&server, body.len(), &quick()).await;
    let Outcome::Succeeded(success) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        matches!(success.verification, Verification::Verified(_)),
        "{:?}",
        success.verification
    );
    assert_eq!(retries, [2]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.method == "PUT"));
    assert_eq!(
        seen[1].body_bytes,
        body.len(),
        "the second attempt sends the whole file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_mid_download_resumes_with_range_and_if_match() {
    let body = pattern(3 * 1024 * 1024);
    let (full, tag) = (body.clone(), etag(&body));
    let half = 1024 * 1024;
    let server = FaultServer::start(move |i, seen| {
        let common = vec![tag.clone(), ("Accept-Ranges".into(), "bytes".into())];
        match (i, seen.header("range")) {
            (0, _) => Reply::Respond {
                status: 200,
                headers: common,
                body: full.clone(),
                declared_len: None,
                send_bytes: Some(half),
            },
            (_, Some(range)) => {
                let from: usize = range
                    .trim_start_matches("bytes=")
                    .trim_end_matches('-')
                    .parse()
                    .unwrap();
                let mut headers = common;
                headers.push((
                    "Content-Range".into(),
                    format!("bytes {from}-{}/{}", full.len() - 1, full.len()),
                ));
                Reply::Respond {
                    status: 206,
                    headers,
                    body: full[from..].to_vec(),
                    declared_len: None,
                    send_bytes: None,
                }
            }
            _ => ok(full.clone(), common),
        }
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    let Outcome::Succeeded(success) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(retries, [2]);
    assert!(
        matches!(success.verification, Verification::Verified(_)),
        "{:?}",
        success.verification
    );
    assert_eq!(
        std::fs::read(dir.path().join("down.bin")).unwrap(),
        body,
        "identical bytes"
    );
    let second = &server.seen()[1];
    let received: usize = second
        .header("range")
        .unwrap()
        .trim_start_matches("bytes=")
        .trim_end_matches('-')
        .parse()
        .unwrap();
    assert!(
        received > 0 && received <= half,
        "resumed from what was on disk: {received}"
    );
    assert_eq!(second.header("if-match"), Some(etag(&body).1.as_str()));
    assert_eq!(files_in(dir.path()).len(), 1, "no partial file left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_range_support_a_download_starts_over() {
    let body = pattern(2 * 1024 * 1024);
    let (full, tag) = (body.clone(), etag(&body));
    let server = FaultServer::start(move |i, _| {
        let send_bytes = (i == 0).then_some(700 * 1024);
        Reply::Respond {
            status: 200,
            headers: vec![tag.clone()],
            body: full.clone(),
            declared_len: None,
            send_bytes,
        }
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(retries, [2]);
    assert_eq!(server.seen()[1].header("range"), None);
    assert_eq!(std::fs::read(dir.path().join("down.bin")).unwrap(), body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_ends_the_attempt_and_the_next_one_succeeds() {
    let body = pattern(256 * 1024);
    let (full, tag) = (body.clone(), etag(&body));
    let server = FaultServer::start(move |i, _| {
        if i == 0 {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {}\r\n\r\n",
                full.len(),
                tag.1
            );
            Reply::StallAfter {
                head,
                sent: full[..1000].to_vec(),
            }
        } else {
            ok(full.clone(), vec![tag.clone()])
        }
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(retries, [2]);
    assert_eq!(std::fs::read(dir.path().join("down.bin")).unwrap(), body);

    // Stalled every time: a clear failure, and nothing on disk.
    let server = FaultServer::start(|_, _| Reply::StallAfter {
        head: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n".into(),
        sent: vec![1; 10],
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    assert!(
        matches!(outcome, Outcome::Failed(TransferError::Stalled(_))),
        "{outcome:?}"
    );
    assert_eq!(retries, [2, 3]);
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_twice_then_200() {
    let server = FaultServer::start(|i, _| {
        if i < 2 {
            status(503, "SlowDown")
        } else {
            ok(vec![], vec![])
        }
    })
    .await;
    let (outcome, retries, _) = upload_with(&server, 1000, &quick()).await;
    let Outcome::Succeeded(success) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(retries, [2, 3]);
    assert!(
        matches!(success.verification, Verification::CouldNotVerify(_)),
        "no ETag: said honestly"
    );

    let server = FaultServer::start(|_, _| status(503, "SlowDown")).await;
    let (outcome, retries, _) = upload_with(&server, 1000, &quick()).await;
    assert!(
        matches!(&outcome, Outcome::Refused(r) if r.status == 503),
        "{outcome:?}"
    );
    assert_eq!(retries, [2, 3], "three attempts in all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_4xx_and_expired_links_are_never_retried() {
    let server = FaultServer::start(|_, _| status(403, "AccessDenied")).await;
    let (outcome, retries, _) = upload_with(&server, 10, &quick()).await;
    assert!(matches!(&outcome, Outcome::Refused(r) if r.status == 403));
    assert!(retries.is_empty());

    // An expired link sent anyway: a 500 is not retried, the link cannot work again.
    let server = FaultServer::start(|_, _| status(500, "InternalError")).await;
    let link = PresignedLink::parse(&format!(
        "http://127.0.0.1:{}/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-Signature=abc",
        server.port
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"x").unwrap();
    let (outcome, _, retries) =
        support::run_with(&Plan::upload(&link, file, 1, None), &quick()).await;
    assert!(matches!(&outcome, Outcome::Refused(r) if r.status == 500));
    assert!(retries.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_bodies_and_lying_lengths_leave_no_file() {
    let body = pattern(100_000);
    let full = body.clone();
    // The server promises 100000 bytes and closes after 40000, every time.
    let server = FaultServer::start(move |_, _| Reply::Respond {
        status: 200,
        headers: vec![],
        body: full.clone(),
        declared_len: None,
        send_bytes: Some(40_000),
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_eq!(retries, [2, 3]);
    assert!(files_in(dir.path()).is_empty());

    // The server claims fewer bytes than the object has: the ETag exposes it.
    let (full, tag) = (body.clone(), etag(&body));
    let server = FaultServer::start(move |_, _| Reply::Respond {
        status: 200,
        headers: vec![tag.clone()],
        body: full.clone(),
        declared_len: Some(60_000),
        send_bytes: None,
    })
    .await;
    let (outcome, retries, dir) = download_with(&server, &quick()).await;
    assert!(
        matches!(
            outcome,
            Outcome::Failed(TransferError::DigestMismatch { .. })
        ),
        "{outcome:?}"
    );
    assert!(retries.is_empty(), "a mismatch is not a passing fault");
    assert!(files_in(dir.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_etag_that_does_not_match_is_an_error() {
    let other = etag(b"something else");
    let server = FaultServer::start(move |_, _| ok(pattern(5000), vec![other.clone()])).await;
    let (outcome, _, dir) = download_with(&server, &quick()).await;
    assert!(
        matches!(
            outcome,
            Outcome::Failed(TransferError::DigestMismatch { .. })
        ),
        "{outcome:?}"
    );
    assert!(
        files_in(dir.path()).is_empty(),
        "a download that cannot be trusted is not kept"
    );

    let other = etag(b"something else");
    let server = FaultServer::start(move |_, _| ok(vec![], vec![other.clone()])).await;
    let (outcome, _, _) = upload_with(&server, 5000, &quick()).await;
    assert!(
        matches!(
            outcome,
            Outcome::Failed(TransferError::DigestMismatch { .. })
        ),
        "{outcome:?}"
    );

    // With verification off, the same answer counts as success, marked as not verified.
    let other = etag(b"something else");
    let server = FaultServer::start(move |_, _| ok(vec![], vec![other.clone()])).await;
    let options = Options {
        verify: false,
        ..quick()
    };
    let (outcome, _, _) = upload_with(&server, 5000, &options).await;
    assert!(
        matches!(&outcome, Outcome::Succeeded(s) if s.verification == Verification::Off),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflights_refuse_before_sending() {
    let server = FaultServer::start(|_, _| ok(vec![], vec![])).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.bin");
    std::fs::write(&file, b"not empty").unwrap();

    // Over 5 GiB: refused with the reason, nothing sent.
    let plan = Plan::upload(
        &server.link("big"),
        file.clone(),
        5 * 1024 * 1024 * 1024 + 1,
        None,
    );
    let (outcome, _, _) = support::run_with(&plan, &quick()).await;
    assert!(
        matches!(outcome, Outcome::Failed(TransferError::TooLarge { .. })),
        "{outcome:?}"
    );

    // A link fixing the CRC32 of an empty body (DOMAIN F11) cannot take this file.
    let link = PresignedLink::parse(&format!(
        "{}&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32",
        server.link("f.bin").as_sent()
    ))
    .unwrap();
    let plan = Plan::upload(&link, file.clone(), 9, None);
    let (outcome, _, _) = support::run_with(&plan, &quick()).await;
    let Outcome::Failed(TransferError::ChecksumMismatch {
        algorithm, actual, ..
    }) = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(algorithm, "CRC32");
    assert_ne!(actual, "AAAAAA==");
    assert!(server.seen().is_empty(), "nothing was sent");

    // A tester may send it anyway.
    let options = Options {
        send_despite_checksum: true,
        ..quick()
    };
    let (outcome, _, _) = support::run_with(&plan, &options).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(server.seen().len(), 1);

    // An empty file matches the empty-body checksum and goes through.
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").unwrap();
    let (outcome, _, _) = support::run_with(&Plan::upload(&link, empty, 0, None), &quick()).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_of_a_large_interrupted_download_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.bin");
    write_pattern(&source, 24 * 1024 * 1024);
    let body = std::fs::read(&source).unwrap();
    let (full, tag) = (body.clone(), etag(&body));
    // Every answer breaks after 8 MiB more: three attempts carry the whole file.
    let server = FaultServer::start(move |_, seen| {
        let from: usize = seen.header("range").map_or(0, |r| {
            r.trim_start_matches("bytes=")
                .trim_end_matches('-')
                .parse()
                .unwrap()
        });
        let mut headers = vec![tag.clone(), ("Accept-Ranges".into(), "bytes".into())];
        let status = if from > 0 {
            headers.push((
                "Content-Range".into(),
                format!("bytes {from}-{}/{}", full.len() - 1, full.len()),
            ));
            206
        } else {
            200
        };
        let rest = full[from..].to_vec();
        let send_bytes = (rest.len() > 8 * 1024 * 1024).then_some(8 * 1024 * 1024);
        Reply::Respond {
            status,
            headers,
            body: rest,
            declared_len: None,
            send_bytes,
        }
    })
    .await;
    // A reset drops what was still in flight, so an attempt may carry less than 8 MiB.
    let options = Options {
        max_attempts: 12,
        ..quick()
    };
    let (outcome, retries, out) = download_with(&server, &options).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
    assert!(!retries.is_empty());
    let ranges: Vec<usize> = server
        .seen()
        .iter()
        .filter_map(|s| {
            s.header("range").map(|r| {
                r.trim_start_matches("bytes=")
                    .trim_end_matches('-')
                    .parse()
                    .unwrap()
            })
        })
        .collect();
    assert!(
        ranges.windows(2).all(|w| w[0] < w[1]),
        "each attempt continues further: {ranges:?}"
    );
    assert!(
        std::fs::read(out.path().join("down.bin")).unwrap() == body,
        "identical bytes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_may_name_the_file_but_never_over_another() {
    let body = pattern(1000);
    let disposition = (
        "Content-Disposition".to_owned(),
        "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%20v2.pdf"
            .to_owned(),
    );
    let (full, tag) = (body.clone(), etag(&body));
    let server =
        FaultServer::start(move |_, _| ok(full.clone(), vec![tag.clone(), disposition.clone()]))
            .await;
    let dir = tempfile::tempdir().unwrap();
    let plan =
        || Plan::download(&server.link("k"), dir.path().join("k"), false).with_name_from_response();

    let (outcome, _, _) = support::run_with(&plan(), &quick()).await;
    let Outcome::Succeeded(first) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(first.saved_to, Some(dir.path().join("見積 v2.pdf")));
    let (outcome, _, _) = support::run_with(&plan(), &quick()).await;
    let Outcome::Succeeded(second) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        second.saved_to,
        Some(dir.path().join("見積 v2 (1).pdf")),
        "kept both"
    );
    assert_eq!(std::fs::read(dir.path().join("見積 v2.pdf")).unwrap(), body);

    // A name the user chose stays.
    let chosen = Plan::download(&server.link("k"), dir.path().join("mine.pdf"), false);
    let (outcome, _, _) = support::run_with(&chosen, &quick()).await;
    assert!(
        matches!(&outcome, Outcome::Succeeded(s) if s.saved_to == Some(dir.path().join("mine.pdf"))),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_changed_during_its_upload_is_reported() {
    let server = FaultServer::start(|_, _| Reply::PauseWhileReading {
        after: 256 * 1024,
        pause: Duration::from_millis(600),
        then: Box::new(ok(vec![], vec![])),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live.log");
    std::fs::write(&file, pattern(2 * 1024 * 1024)).unwrap();
    let plan = Plan::upload(
        &server.link("live.log"),
        file.clone(),
        2 * 1024 * 1024,
        None,
    );
    // Another program rewrites the file in place once part of it is on the way (the server
    // holds the rest back meanwhile), however busy this machine is.
    let touched = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let retries = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let report: presign_desk::transfer::Reporter = {
        let (file, touched, retries) = (file.clone(), touched.clone(), retries.clone());
        std::sync::Arc::new(move |event| match event {
            presign_desk::transfer::TransferEvent::Progress(p)
                if p.bytes_done > 0 && !touched.swap(true, std::sync::atomic::Ordering::SeqCst) =>
            {
                let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
                f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
                    .unwrap();
            }
            presign_desk::transfer::TransferEvent::Retrying { next_attempt, .. } => {
                retries.lock().unwrap().push(next_attempt)
            }
            _ => {}
        })
    };
    let client = presign_desk::transfer::http_client().unwrap();
    let outcome = presign_desk::transfer::run_with(
        &client,
        &plan,
        &quick(),
        report,
        &presign_desk::transfer::CancellationToken::new(),
    )
    .await;
    assert!(touched.load(std::sync::atomic::Ordering::SeqCst));
    let retries = retries.lock().unwrap().clone();
    assert!(
        matches!(outcome, Outcome::Failed(TransferError::FileChanged { .. })),
        "{outcome:?}"
    );
    assert!(
        retries.is_empty(),
        "a changed file is not sent again behind the user's back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_without_an_md5_says_it_could_not_verify() {
    let server =
        FaultServer::start(|_, _| ok(pattern(3000), vec![("ETag".into(), "\"abc-2\"".into())]))
            .await;
    let (outcome, _, _) = download_with(&server, &quick()).await;
    let Outcome::Succeeded(success) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        matches!(
            &success.verification,
            Verification::CouldNotVerify(presign_desk::transfer::Unverifiable::Multipart)
        ),
        "{:?}",
        success.verification
    );
}
