//! Hostile servers and hostile disks, as a suspicious user would try them: bombs and floods for
//! error bodies, a disk that fills mid-way, a read-only folder, Ctrl-C. Each must end quickly,
//! hold memory flat, leave nothing half-written, touch no existing file and echo no secret.

use crate::support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use presign_desk::diagnose::{
    Answer, Attempt, MAX_ERROR_BODY_BYTES, diagnose, explanation_text, readable,
};
use presign_desk::link::Operation;
use presign_desk::transfer::{Options, Outcome, Plan};
use support::fault_server::{FaultServer, Reply, SIGNATURE, ok};
use support::files_in;

fn quick() -> Options {
    Options {
        stall_timeout: Duration::from_secs(3),
        backoff_base: Duration::from_millis(20),
        max_attempts: 1,
        ..Options::default()
    }
}

fn xml_head() -> Vec<(String, String)> {
    vec![("Content-Type".to_owned(), "application/xml".to_owned())]
}

/// Downloads from a server answering every request with `reply()`; the outcome and the folder.
async fn download_from(
    reply: impl Fn() -> Reply + Send + Sync + 'static,
) -> (Outcome, tempfile::TempDir, FaultServer) {
    let server = FaultServer::start(move |_, _| reply()).await;
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::download(&server.link("x.bin"), dir.path().join("x.bin"), false);
    let options = quick();
    let run = support::run_with(&plan, &options);
    let (outcome, _, _) = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("a hostile answer ends the download within seconds");
    (outcome, dir, server)
}

/// Every text the app makes of a refusal: the readable body, the explanation, the message for
/// the link's creator. None may hold the signature or run away in size.
fn texts_of(outcome: &Outcome, server: &FaultServer) -> Vec<String> {
    let Outcome::Refused(refusal) = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    assert!(
        refusal.body.text.len() <= MAX_ERROR_BODY_BYTES + 4,
        "the body read is capped: {} bytes",
        refusal.body.text.len()
    );
    let link = server.link("x.bin");
    let attempt = Attempt::new(Some(&link), Operation::Get);
    let answer = Answer::of_refusal(refusal);
    let diagnosis = diagnose(&attempt, &answer, jiff::Timestamp::now());
    let texts = vec![
        readable(&refusal.body),
        refusal.body.text.clone(),
        explanation_text(&diagnosis),
        presign_desk::diagnose::creator_message(&attempt, &diagnosis, None),
        serde_json::to_string(&diagnosis).unwrap(),
    ];
    for text in &texts {
        assert!(!text.contains(SIGNATURE), "the signature is echoed: {text}");
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_an_error_body_is_read_only_to_its_cap() {
    // 1 GB of error body, announced.
    let (outcome, dir, server) = download_from(|| Reply::Stream {
        status: 403,
        headers: xml_head(),
        piece: b"<Error><Code>AccessDenied</Code><Message>denied</Message></Error>                "
            .repeat(1024),
        total: 1_000_000_000,
        chunked: false,
    })
    .await;
    let texts = texts_of(&outcome, &server);
    assert!(texts[0].contains("AccessDenied"));
    assert!(files_in(dir.path()).is_empty());
    // And without a length, chunked.
    let (outcome, dir, server) = download_from(|| Reply::Stream {
        status: 500,
        headers: vec![],
        piece: vec![b'x'; 64 * 1024],
        total: 1_000_000_000,
        chunked: true,
    })
    .await;
    texts_of(&outcome, &server);
    assert!(files_in(dir.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_bomb_is_never_inflated() {
    // 10 MB of zeros, gzip-compressed to about 10 KB (made by the system's gzip).
    let bomb = Command::new("sh")
        .args(["-c", "head -c 10000000 /dev/zero | gzip -9 -c"])
        .output()
        .expect("sh and gzip")
        .stdout;
    assert!(bomb.len() < 100_000, "{} bytes", bomb.len());
    let gz = vec![("Content-Encoding".to_owned(), "gzip".to_owned())];
    let (body, headers) = (bomb.clone(), gz.clone());
    let (outcome, dir, server) = download_from(move || Reply::Respond {
        status: 403,
        headers: headers.clone(),
        body: body.clone(),
        declared_len: None,
        send_bytes: None,
    })
    .await;
    texts_of(&outcome, &server);
    assert!(files_in(dir.path()).is_empty());
    // A 200 is saved as sent: the compressed bytes, not 10 MB of zeros.
    let (body, headers) = (bomb.clone(), gz);
    let (outcome, dir, _) = download_from(move || ok(body.clone(), headers.clone())).await;
    assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(std::fs::read(dir.path().join("x.bin")).unwrap(), bomb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entity_bombs_deep_nesting_bad_utf8_and_filter_pages_are_read_safely() {
    let lol = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Error><Code>AccessDenied</Code><Message>&lol3;&xxe;</Message></Error>";
    let deep = format!(
        "{}<Code>AccessDenied</Code>{}",
        "<Error>".repeat(100_000),
        "</Error>".repeat(100_000)
    );
    let mut bad_utf8 =
        b"<Error><Code>AccessDenied</Code><Message>\xff\xfe\xc3\x28 \xe2\x82</Message></Error>"
            .to_vec();
    bad_utf8.extend([0x80, 0xbf, 0xf8]);
    let filter = format!(
        "<html><head><title>Blocked</title></head><body><h1>This site is blocked by your \
         organisation</h1><p>URL: http://127.0.0.1/bucket/x.bin?X-Amz-Signature={SIGNATURE}</p>\
         </body></html>"
    );
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("entity bomb", lol.as_bytes().to_vec()),
        ("100 000 deep", deep.into_bytes()),
        ("invalid UTF-8", bad_utf8),
        ("filter page", filter.into_bytes()),
    ];
    for (what, body) in bodies {
        let reply_body = body.clone();
        let (outcome, dir, server) = download_from(move || Reply::Respond {
            status: 403,
            headers: vec![],
            body: reply_body.clone(),
            declared_len: None,
            send_bytes: None,
        })
        .await;
        let texts = texts_of(&outcome, &server);
        for text in &texts {
            assert!(!text.contains("lollollol"), "{what}: entities expanded");
            assert!(
                !text.contains("root:"),
                "{what}: an external entity was read"
            );
        }
        assert!(files_in(dir.path()).is_empty(), "{what}");
    }
}

/// How this test may give the download a full disk, or why it cannot.
enum SmallDisk {
    /// A 2 MiB tmpfs mounted on the folder (root).
    Tmpfs,
    /// Files of at most 2 MiB for the child (`ulimit -f`, SIGXFSZ ignored).
    FileSizeLimit,
}

fn small_disk(dir: &Path) -> Result<SmallDisk, String> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            return Ok(SmallDisk::Tmpfs);
        }
    }
    let bash = Command::new("bash")
        .args(["-c", "ulimit -f 2048"])
        .status()
        .is_ok_and(|s| s.success());
    if bash {
        Ok(SmallDisk::FileSizeLimit)
    } else {
        Err("no tmpfs (needs root and mount) and no bash for ulimit".to_owned())
    }
}

/// `presign-desk get URL -o FILE --overwrite`, under the small disk.
fn get_under(disk: &SmallDisk, url: &str, file: &Path) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_presign-desk");
    let mut command = match disk {
        SmallDisk::Tmpfs => {
            let mut c = Command::new(bin);
            c.args(["get", url, "-o"]).arg(file).arg("--overwrite");
            c
        }
        SmallDisk::FileSizeLimit => {
            let mut c = Command::new("bash");
            c.args([
                "-c",
                "trap '' XFSZ; ulimit -f 2048; exec \"$0\" get \"$1\" -o \"$2\" --overwrite",
                bin,
                url,
            ])
            .arg(file);
            c
        }
    };
    command.env("LANG", "C.UTF-8").output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_the_download_and_spares_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let disk = match small_disk(dir.path()) {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    fills_up(&disk, dir.path()).await;
    if matches!(disk, SmallDisk::Tmpfs) {
        let _ = Command::new("umount").arg(dir.path()).status();
        // Where root has a tmpfs, the file-size limit is tried too.
        let other = tempfile::tempdir().unwrap();
        fills_up(&SmallDisk::FileSizeLimit, other.path()).await;
    }
}

async fn fills_up(disk: &SmallDisk, dir: &Path) {
    let keep = dir.join("keep.bin");
    std::fs::write(&keep, b"the user's own file").unwrap();
    for chunked in [false, true] {
        let server = FaultServer::start(move |_, _| Reply::Stream {
            status: 200,
            headers: vec![],
            piece: vec![7u8; 64 * 1024],
            total: 10 * 1024 * 1024,
            chunked,
        })
        .await;
        let url = server.link("big.bin").as_sent().to_owned();
        let output = tokio::task::block_in_place(|| get_under(disk, &url, &keep));
        let said = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "chunked {chunked}: {said}");
        assert!(!said.contains(SIGNATURE));
        // With a length, a tmpfs refuses before writing; otherwise the write fails mid-way.
        let expected = match (disk, chunked) {
            (SmallDisk::Tmpfs, false) => "free",
            _ => "could not write",
        };
        assert!(
            said.to_lowercase().contains(expected),
            "chunked {chunked}: {said}"
        );
        assert_eq!(files_in(dir), vec![keep.clone()], "nothing half-written");
        assert_eq!(std::fs::read(&keep).unwrap(), b"the user's own file");
    }
}

// Unix permissions and mounts make the folder read-only; Windows has neither.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_folder_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("read-only");
    std::fs::create_dir(&folder).unwrap();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    // Root writes through permissions: a read-only mount it must be.
    let mounted = root
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
            .arg(&folder)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if root && !mounted {
        eprintln!("skipped: running as root without mount, a folder cannot be made read-only");
        return;
    }
    if !root {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let server = FaultServer::start(|_, _| ok(b"hello".to_vec(), vec![])).await;
    let plan = Plan::download(&server.link("x.bin"), folder.join("x.bin"), false);
    let (outcome, _, _) = support::run_with(&plan, &quick()).await;
    match &outcome {
        Outcome::Failed(
            error @ presign_desk::transfer::TransferError::WriteFile { reason, .. },
        ) => {
            let text = error.to_string();
            assert!(
                reason.contains("Read-only") || reason.contains("ermission"),
                "{text}"
            );
            assert!(text.contains("read-only"), "the folder is named: {text}");
        }
        other => panic!("expected a write failure, got {other:?}"),
    }
    assert!(files_in(&folder).is_empty());
    if mounted {
        let _ = Command::new("umount").arg(&folder).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_exits_130_and_removes_the_partial_file() {
    // The server sends a little, then nothing: the download is under way when interrupted.
    let server = FaultServer::start(|_, _| Reply::StallAfter {
        head: "HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n".to_owned(),
        sent: vec![1u8; 300_000],
    })
    .await;
    for signals in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let url = server.link("x.bin").as_sent().to_owned();
        let mut child = Command::new(env!("CARGO_BIN_EXE_presign-desk"))
            .args(["get", &url, "-o"])
            .arg(dir.path().join("x.bin"))
            .env("LANG", "C.UTF-8")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the partial file: the transfer is running.
        for _ in 0..200 {
            if !files_in(dir.path()).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(files_in(dir.path()).len(), 1, "the partial file is there");
        for _ in 0..signals {
            Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
        }
        let status = tokio::task::block_in_place(|| child.wait()).unwrap();
        assert_eq!(status.code(), Some(130), "{signals} Ctrl-C");
        if signals == 1 {
            assert!(
                files_in(dir.path()).is_empty(),
                "the partial file is removed"
            );
        }
    }
}
