//! GCS resumable uploads from a signed link that signs `x-goog-resumable: start`, against a
//! local responder that follows Google's documented protocol and checks the start link's
//! signature: the session started, the file sent in chunks of 256 KiB multiples, verified by
//! the MD5 in `x-goog-hash`; a line that drops costs only what the session had not kept; the
//! session's address never shows.

use crate::multipart::presign_desk;
use crate::support;

use std::time::Duration;

use presign_desk::link::PresignedLink;
use presign_desk::transfer::{Options, Plan, Verification};
use support::gcs::Gcs;
use support::relay::{Relay, Shape};
use support::{succeeded, write_pattern};

const MIB: u64 = 1024 * 1024;
const HOUR: Duration = Duration::from_secs(3600);
const UNIT: u64 = 256 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumable_link_starts_a_session_and_the_file_goes_in_chunks() {
    let gcs = Gcs::start().await;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("report.csv");
    write_pattern(&source, 20 * MIB + 5);
    let link = gcs.sign_resumable(gcs.addr, "bucket", "in/report.csv", HOUR);
    let out = tokio::task::spawn_blocking({
        let (data, link, file) = (dir.path().join("data"), link.clone(), source.clone());
        move || {
            presign_desk(
                &data,
                &["put", &link, &file.display().to_string(), "--json"],
            )
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["verification"]["result"], "verified", "{stdout}");
    let (stored, content_type) = gcs.object("in/report.csv").expect("the object is whole");
    assert_eq!(stored, std::fs::read(&source).unwrap(), "byte for byte");
    assert_eq!(
        content_type.as_deref(),
        Some("text/csv"),
        "the type goes with the start"
    );
    assert_eq!(gcs.starts(), [Some("start".to_owned())]);
    // Three chunks: two of 8 MiB (a multiple of 256 KiB), then what is left.
    let len = 20 * MIB + 5;
    assert_eq!(
        gcs.ranges(),
        [
            format!("bytes 0-{}/{len}", 8 * MIB - 1),
            format!("bytes {}-{}/{len}", 8 * MIB, 16 * MIB - 1),
            format!("bytes {}-{}/{len}", 16 * MIB, len - 1),
        ]
    );
    // The session's address is a secret like a signature.
    for id in gcs.session_ids() {
        assert!(
            !stdout.contains(&id) && !stderr.contains(&id),
            "{stdout}{stderr}"
        );
    }
    assert!(!stdout.contains("X-Goog-Signature=") || stdout.contains("REDACTED"));

    // The responder checks the signature: a link changed on the way is refused and explained.
    let changed = link.replace("in/report.csv", "in/other.csv");
    let outcome = support::put(&changed, &source, Some("text/csv")).await;
    let presign_desk::transfer::Outcome::Refused(refusal) = &outcome else {
        panic!("refused: {outcome:?}");
    };
    assert_eq!(refusal.status, 403);
    assert_eq!(refusal.body.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert!(gcs.object("in/other.csv").is_none());

    // The request shown and copied says what goes: the start, then the session.
    let link =
        PresignedLink::parse(&gcs.sign_resumable(gcs.addr, "bucket", "x.csv", HOUR)).unwrap();
    let plan = Plan::upload(&link, source.clone(), len, Some("text/csv"));
    let shown = plan.describe();
    assert!(shown.starts_with("POST "), "{shown}");
    assert!(shown.contains("x-goog-resumable: start"), "{shown}");
    assert!(
        !shown.contains("X-Goog-Signature=0") && shown.contains("REDACTED"),
        "{shown}"
    );
    assert!(
        presign_desk::signed_headers::needed(&link).is_empty(),
        "nobody is asked for x-goog-resumable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_that_drops_goes_on_from_what_the_session_holds() {
    let gcs = Gcs::start().await;
    let relay = Relay::start(
        0,
        gcs.addr,
        Shape {
            one_way_delay: Duration::from_millis(2),
            per_connection: Some(32 * MIB),
            total: None,
            // Cut every 11 MiB sent: mid-chunk each time.
            cut_every: Some(11 * MIB),
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    let len = 40 * MIB + 3;
    write_pattern(&source, len);
    let link = gcs.sign_resumable(relay.addr, "bucket", "big.bin", HOUR);
    let plan = Plan::upload(
        &PresignedLink::parse(&link).unwrap(),
        source.clone(),
        len,
        None,
    );
    let options = Options {
        backoff_base: Duration::from_millis(20),
        max_attempts: 6,
        ..Options::default()
    };
    let (outcome, _, retries) = support::run_with(&plan, &options).await;
    let success = succeeded(&outcome);
    assert!(
        matches!(success.verification, Verification::Verified(_)),
        "{success:?}"
    );
    assert_eq!(success.bytes, len, "what was cut is counted once");
    let (stored, _) = gcs.object("big.bin").expect("whole");
    assert_eq!(stored, std::fs::read(&source).unwrap());
    let cuts = relay.cuts();
    assert!(cuts >= 2, "the line dropped: {cuts} cuts");
    assert!(!retries.is_empty());
    assert_eq!(gcs.starts().len(), 1, "one session all the way");
    assert!(
        gcs.questions() >= 1,
        "the session was asked how much it holds"
    );
    // A cut costs at most what the session had not kept: less than a 256 KiB unit of what
    // arrived, plus what was on its way.
    let resent = gcs.chunk_bytes().saturating_sub(len);
    assert!(
        resent <= cuts * (8 * MIB + UNIT),
        "{resent} bytes sent again for {cuts} cuts"
    );
}

#[test]
fn a_resumable_link_pasted_in_the_window_uploads_with_nothing_to_fill_in() {
    use egui_kittest::kittest::Queryable;
    use presign_desk::text::Language;
    use support::window::{paste, settings, type_into, wait_for_text, window_with};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let gcs = runtime.block_on(Gcs::start());
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("notes.txt");
    write_pattern(&source, 9 * MIB);
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let english = language == Language::ENGLISH;
        let key = format!("window/{}.txt", language.code());
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(
            &mut harness,
            &gcs.sign_resumable(gcs.addr, "bucket", &key, HOUR),
        );
        let (path, button, done) = if english {
            ("File path", "Upload notes.txt", "Uploaded notes.txt")
        } else {
            ("ファイルのパス", "notes.txt をアップロード", "notes.txt（")
        };
        type_into(&mut harness, path, &source.display().to_string());
        // An upload link: the button is there with no header to type.
        wait_for_text(&mut harness, button);
        harness.get_by_label(button).click();
        wait_for_text(&mut harness, done);
        let (stored, content_type) = gcs.object(&key).expect("whole");
        assert_eq!(stored, std::fs::read(&source).unwrap());
        assert_eq!(content_type.as_deref(), Some("text/plain"));
    }
}
