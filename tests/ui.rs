//! The window, driven as a person would (by labels, clicks and typing) with egui_kittest,
//! headless, against the playground.

mod playground;
mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use playground::{Method, Playground};
use presign_desk::ui::PresignDeskApp;

const HOUR: Duration = Duration::from_secs(3600);

fn window(runtime: &tokio::runtime::Runtime) -> Harness<'static, PresignDeskApp> {
    let app = PresignDeskApp::new(runtime.handle().clone(), None);
    Harness::builder()
        .with_size([1100.0, 760.0])
        // The countdown asks for a repaint each second; let a frame settle in a few more steps.
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut PresignDeskApp| app.ui(ui), app)
}

/// Steps the window until `done` holds (background work repaints later than `run` waits).
fn wait_until(
    harness: &mut Harness<'_, PresignDeskApp>,
    what: &str,
    done: impl Fn(&Harness<'_, PresignDeskApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(harness) {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

/// Steps the window until `text` shows.
fn wait_for_text(harness: &mut Harness<'_, PresignDeskApp>, text: &str) {
    wait_until(harness, text, |h| h.query_by_label_contains(text).is_some());
}

/// The texts the last frame put on the clipboard.
fn copied_texts(harness: &Harness<'_, PresignDeskApp>) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn type_into(harness: &mut Harness<'_, PresignDeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn paste_a_link_type_a_path_press_upload_and_see_success() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "region,revenue\nnorth,120\n").unwrap();
    // 90 minutes reads "1 h 30 min" or "1 h 29 min" whichever second the check runs in.
    let url = pg.sign_v4(
        Method::Put,
        "from-the-window/report.csv",
        Duration::from_secs(5400),
    );

    let mut harness = window(&runtime);
    type_into(&mut harness, "Presigned link", &format!("  {url}\n"));
    // The link says at once what it is for, where it goes and when it expires.
    harness.get_by_label("Upload link");
    harness.get_by_label_contains("bucket playground · key from-the-window/report.csv");
    // Shown twice: in the summary under the link and in the details panel.
    assert_eq!(
        harness
            .query_all_by_label_contains("expires in 1 h ")
            .count(),
        2
    );

    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "25 B");
    assert_eq!(
        harness.get_by_label("Content-Type").value().as_deref(),
        Some("text/csv")
    );

    harness.get_by_label("Upload").click();
    wait_for_text(&mut harness, "Uploaded 25 B");
    harness.get_by_label_contains("ETag");
    assert_eq!(
        std::fs::read(pg.object_path("from-the-window/report.csv")).unwrap(),
        std::fs::read(&file).unwrap()
    );
    assert_eq!(pg.last_received().header("content-type"), Some("text/csv"));
}

#[test]
fn download_never_overwrites_without_asking() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(pg.object_path("notes.txt"), "fresh copy").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "my own notes").unwrap();
    let url = pg.sign_v4(Method::Get, "notes.txt", HOUR);

    let mut harness = window(&runtime);
    type_into(&mut harness, "Presigned link", &url);
    harness.get_by_label("Download link");
    let folder = harness.get_by_label("Save in folder");
    folder.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save in folder")
        .type_text(&dir.path().display().to_string());
    harness.run();
    assert_eq!(
        harness.get_by_label("File name").value().as_deref(),
        Some("notes.txt")
    );
    wait_for_text(&mut harness, "notes.txt already exists in this folder.");

    harness.get_by_label("Keep both").click();
    wait_until(&mut harness, "a free name", |h| {
        h.get_by_label("File name").value().as_deref() == Some("notes (1).txt")
    });
    harness.run();
    harness.get_by_label("Download").click();
    wait_for_text(&mut harness, "Downloaded 10 B");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "my own notes"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes (1).txt")).unwrap(),
        "fresh copy"
    );
}

#[test]
fn a_refusal_shows_the_status_and_the_servers_error() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.txt");
    std::fs::write(&file, "x").unwrap();
    // Signed for text/csv; the file's name suggests text/plain.
    let url = pg.sign_v4_with(
        Method::Put,
        "data.txt",
        HOUR,
        Some("text/csv"),
        jiff::Timestamp::now(),
    );

    let mut harness = window(&runtime);
    type_into(&mut harness, "Presigned link", &url);
    // Under the Content-Type field, and among the link's findings.
    harness.get_by_label(
        "The link's signature covers the Content-Type: it must be exactly the one the link was made with.",
    );
    harness.get_by_label_contains("an upload must send exactly the type the link was made with");
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "1 B");
    harness.get_by_label("Upload").click();
    // The cause comes first, in words; the server's code is one click away.
    wait_for_text(&mut harness, "The Content-Type does not match the link");
    harness.get_by_label_contains("and text/plain was sent");
    assert!(
        harness
            .query_by_label_contains("HTTP 403 SignatureDoesNotMatch")
            .is_none()
    );
    harness.get_by_label("Show details").click();
    harness.run();
    harness.get_by_label("The server refused: HTTP 403 SignatureDoesNotMatch");
    assert!(!pg.object_path("data.txt").exists());

    harness
        .get_by_label("Copy message for the link's creator")
        .click();
    harness.step();
    let copied = copied_texts(&harness);
    let message = copied.first().expect("the message was copied");
    assert!(message.contains("upload playground/data.txt"), "{message}");
    assert!(message.contains("X-Amz-Signature=REDACTED"), "{message}");
}

#[test]
fn the_one_click_fix_sends_again_without_a_content_type() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "legacy").unwrap();
    // A legacy link signed with no Content-Type, sent with the file's type by a tester's choice.
    let url = pg.sign_v2(Method::Put, "notes.txt", None, playground::unix_in(3600));

    let mut harness = window(&runtime);
    type_into(&mut harness, "Presigned link", &url);
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "6 B");
    harness.get_by_label("Send no Content-Type").click();
    harness.run();
    harness.get_by_label("Upload").click();
    wait_for_text(&mut harness, "The Content-Type does not match the link");
    harness
        .get_by_label("Send again without a Content-Type")
        .click();
    wait_for_text(&mut harness, "Uploaded 6 B");
    assert_eq!(
        std::fs::read(pg.object_path("notes.txt")).unwrap(),
        b"legacy"
    );
    assert_eq!(pg.last_received().header("content-type"), None);
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_on_the_window_chooses_it_for_upload() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("photo.png");
    std::fs::write(&file, [0x89, b'P', b'N', b'G']).unwrap();

    let mut harness = window(&runtime);
    // Starting from a download link: a drop means "upload this".
    type_into(
        &mut harness,
        "Presigned link",
        &pg.sign_v4(Method::Get, "k", HOUR),
    );
    harness.get_by_label("Download the file");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(file.clone())));
    harness.run();
    assert_eq!(
        harness.get_by_label("File to upload").value().as_deref(),
        Some(file.display().to_string().as_str())
    );
    assert_eq!(
        harness.get_by_label("Content-Type").value().as_deref(),
        Some("image/png")
    );
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label("Upload");
}

#[test]
fn cancel_during_an_upload_stores_nothing() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    support::write_pattern(&file, 256 * 1024 * 1024);

    let mut harness = window(&runtime);
    type_into(
        &mut harness,
        "Presigned link",
        &pg.sign_v4(Method::Put, "big.bin", HOUR),
    );
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "256 MiB");
    harness.get_by_label("Upload").click();
    wait_until(&mut harness, "the Cancel button", |h| {
        h.query_by_label("Cancel").is_some()
    });
    harness.get_by_label("Cancel").click();
    wait_for_text(&mut harness, "Cancelled. Nothing was stored");
    assert!(!pg.object_path("big.bin").exists());
    // The form is usable again.
    harness.get_by_label("Upload");
}

#[test]
fn link_details_show_findings_and_copy_a_redacted_summary() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/links/links.json")).unwrap();
    let url = json["links"]["sigv4-get-session-token"].as_str().unwrap();

    let mut harness = window(&runtime);
    // Pasted from an HTML mail: in angle brackets, ampersands escaped.
    type_into(
        &mut harness,
        "Presigned link",
        &format!("<{}>", url.replace('&', "&amp;")),
    );
    harness.get_by_label_contains("temporary credentials. It stops working");
    harness.get_by_label_contains("which PresignDesk took out");
    harness.get_by_label("reports.s3.ap-northeast-1.amazonaws.com");
    harness.get_by_label_contains("present (");

    harness.get_by_label("Copy summary").click();
    harness.step();
    let copied = copied_texts(&harness);
    let summary = copied.first().expect("the summary was copied");
    assert!(summary.contains("X-Amz-Signature=REDACTED"), "{summary}");
    assert!(summary.contains("(temporary-credentials)"), "{summary}");
    assert!(!summary.contains("FIXTURETOKEN"), "{summary}");
}

#[test]
fn an_expired_link_disables_the_button_with_the_reason() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("late.txt");
    std::fs::write(&file, "late").unwrap();
    let signed = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(3);
    let url = pg.sign_v4_with(Method::Put, "late.txt", HOUR, None, signed);

    let mut harness = window(&runtime);
    type_into(&mut harness, "Presigned link", &url);
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label("This link has expired. Ask its creator for a new one.");
    harness.get_by_label("Upload").click();
    harness.run();
    assert!(harness.query_by_label_contains("Uploaded").is_none());
    assert!(
        harness
            .query_by_label_contains("The server refused")
            .is_none(),
        "nothing was sent"
    );

    // A tester can still send it on purpose, and sees the server's answer.
    harness.get_by_label("Send it anyway (for testing)").click();
    harness.run();
    harness.get_by_label("Upload").click();
    wait_for_text(&mut harness, "The link has expired");
}

#[test]
fn the_content_type_choice_survives_a_transfer() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("table.csv");
    std::fs::write(&file, "a").unwrap();

    let mut harness = window(&runtime);
    type_into(
        &mut harness,
        "Presigned link",
        &pg.sign_v4(Method::Put, "t.csv", HOUR),
    );
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "1 B");
    harness.get_by_label("Send no Content-Type").click();
    harness.run();
    harness.get_by_label("Upload").click();
    wait_for_text(&mut harness, "Uploaded 1 B");
    assert_eq!(pg.last_received().header("content-type"), None);
    harness.run();
    // Sending again sends the same thing.
    harness.get_by_label("Upload").click();
    wait_until(&mut harness, "a second upload", |_| {
        pg.received().len() == 2
    });
    assert_eq!(pg.last_received().header("content-type"), None);
}

#[test]
fn settings_are_saved_and_used() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings_path = dir.path().join("config/settings.json");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "abc").unwrap();

    let app = PresignDeskApp::new(runtime.handle().clone(), None).with_settings(
        presign_desk::settings::Settings::default(),
        Some(settings_path.clone()),
        None,
    );
    let mut harness = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut PresignDeskApp| app.ui(ui), app);
    harness.get_by_label("Transfer settings").click();
    harness.run();
    harness
        .get_by_label("Check that what arrived is what was sent (MD5)")
        .click();
    harness.run();
    wait_until(&mut harness, "the settings file", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"verify\": false"))
    });

    type_into(
        &mut harness,
        "Presigned link",
        &pg.sign_v4(Method::Put, "a.txt", HOUR),
    );
    type_into(&mut harness, "File to upload", &file.display().to_string());
    wait_for_text(&mut harness, "3 B");
    harness.get_by_label("Upload").click();
    wait_for_text(&mut harness, "Not verified (verification is off)");
}
