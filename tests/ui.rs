//! The window, driven as a person would (by accessible names, clicks, keys and typing) with
//! egui_kittest, headless, against the playground.

use crate::playground;
use crate::support;

use support::window::*;

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use playground::{Method, Playground};
use presign_desk::text::Language;
use presign_desk::ui::PresignDeskApp;

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn paste_read_the_verdict_choose_a_file_upload_and_see_success() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "region,revenue\nnorth,120\n").unwrap();
    // 2 h 30 min reads "2 h 29 min" whichever second the check runs in.
    let url = pg.sign_v4(
        Method::Put,
        "from-the-window/report.csv",
        Duration::from_secs(9000),
    );

    let mut harness = window(&runtime);
    // The Paste button asks the platform for the clipboard...
    harness.get_by_label("Paste").click();
    harness.step();
    assert!(
        harness
            .output()
            .viewport_output
            .values()
            .any(|v| v.commands.contains(&egui::ViewportCommand::RequestPaste)),
        "the Paste button reads the clipboard"
    );
    // ...which arrives as a paste; with no field focused, Ctrl+V does the same.
    paste(&mut harness, &format!("  {url}\n"));
    // The link in one sentence: what for, where, how long.
    harness.get_by_label_contains(
        "Upload link for playground/from-the-window/report.csv · valid for 2 h ",
    );
    // No engineering on the first screen.
    assert!(harness.query_by_label_contains("Bucket in").is_none());
    assert!(harness.query_by_label_contains("Signed headers").is_none());

    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "25 B");
    harness.get_by_label("report.csv");
    harness.get_by_label("File type sent: text/csv");

    harness.get_by_label("Upload report.csv").click();
    wait_for_text(&mut harness, "Uploaded report.csv (25 B) in ");
    harness.get_by_label("The storage confirmed it received exactly this file.");
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
    paste(&mut harness, &url);
    harness.get_by_label_contains("Download link for playground/notes.txt");
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
    harness.get_by_label("Download notes (1).txt").click();
    wait_for_text(&mut harness, "Downloaded notes (1).txt (10 B)");
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
fn a_refusal_leads_with_the_cause_and_what_to_do() {
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
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "1 B");
    // Under the file type, in plain words.
    harness.get_by_label_contains("The link only accepts the file type it was made with");
    harness.get_by_label("Upload data.txt").click();
    // The cause comes first, in words, with what to do; the server's code is in Details.
    wait_for_text(&mut harness, "the file type sent does not match the link");
    harness.get_by_label_contains("and text/plain was sent");
    harness.get_by_label("What you can do:");
    harness.get_by_label("What to ask the link's creator for:");
    assert!(
        harness
            .query_by_label_contains("HTTP 403 SignatureDoesNotMatch")
            .is_none()
    );
    press(&mut harness, "Show the server's answer");
    // The details panel opens and scrolls to the answer.
    wait_for_text(
        &mut harness,
        "The server refused: HTTP 403 SignatureDoesNotMatch",
    );
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
fn the_one_click_fix_sends_again_without_a_file_type() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "legacy").unwrap();
    // A legacy link signed with no Content-Type, sent with the file's type by a tester's choice.
    let url = pg.sign_v2(Method::Put, "notes.txt", None, playground::unix_in(3600));

    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "6 B");
    harness.get_by_label("File type sent: none");
    // The override lives in Details.
    harness
        .get_by_label("Send no file type (no Content-Type header)")
        .click();
    harness.run();
    harness.get_by_label("File type sent: text/plain");
    harness.get_by_label("Upload notes.txt").click();
    wait_for_text(&mut harness, "the file type sent does not match the link");
    harness
        .get_by_label("Send again without a file type")
        .click();
    wait_for_text(&mut harness, "Uploaded notes.txt (6 B)");
    assert_eq!(
        std::fs::read(pg.object_path("notes.txt")).unwrap(),
        b"legacy"
    );
    assert_eq!(pg.last_received().header("content-type"), None);
}

#[test]
fn a_file_dropped_anywhere_is_taken_for_upload() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("photo.png");
    std::fs::write(&file, [0x89, b'P', b'N', b'G']).unwrap();

    let mut harness = window(&runtime);
    // A link that does not say what it is for, set to download: a drop means "upload this".
    paste(
        &mut harness,
        &pg.sign_v4_without_operation(Method::Get, "k", HOUR),
    );
    harness.get_by_label("Download the file").click();
    harness.run();
    harness.get_by_label("Download k");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.clone())));
    harness.run();
    assert_eq!(
        harness.get_by_label("File path").value().as_deref(),
        Some(file.display().to_string().as_str())
    );
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label("photo.png");
    harness.get_by_label("File type sent: image/png");
    harness.get_by_label("Upload photo.png");
    // The drop zone is one control, named for what clicking it does.
    harness.get_by_label("Choose the file to upload");
}

#[test]
fn enter_starts_and_escape_cancels_and_nothing_is_stored() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.bin");
    support::write_pattern(&file, 256 * 1024 * 1024);

    let mut harness = window(&runtime);
    paste(&mut harness, &pg.sign_v4(Method::Put, "big.bin", HOUR));
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "268 MB");
    harness.key_press(egui::Key::Enter);
    wait_until(&mut harness, "the Cancel button", |h| {
        h.query_by_label("Cancel").is_some()
    });
    harness.key_press(egui::Key::Escape);
    wait_for_text(&mut harness, "Cancelled. Nothing was stored");
    assert!(!pg.object_path("big.bin").exists());
    // The form is usable again.
    harness.get_by_label("Upload big.bin");
}

#[test]
fn details_show_the_link_and_copy_a_redacted_summary() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/links/links.json")).unwrap();
    let url = json["links"]["sigv4-get-session-token"].as_str().unwrap();

    let mut harness = window(&runtime);
    // Pasted from an HTML mail: in angle brackets, ampersands escaped.
    paste(&mut harness, &format!("<{}>", url.replace('&', "&amp;")));
    assert!(
        harness.query_by_label("Copy summary").is_none(),
        "closed for a new user"
    );
    harness.get_by_label("Details").click();
    harness.run();
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
    paste(&mut harness, &url);
    harness.get_by_label_contains("· expired 2 h 0 min ago");
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label("This link has expired. Ask the person who sent it for a new one.");
    harness.get_by_label("Upload late.txt").click();
    harness.run();
    assert!(harness.query_by_label_contains("Uploaded").is_none());
    assert!(
        harness.state().session().history.is_empty(),
        "nothing was sent"
    );

    // A tester can still send it on purpose, and sees the server's answer.
    harness.get_by_label("Send it anyway (for testing)").click();
    harness.run();
    harness.get_by_label("Upload late.txt").click();
    wait_for_text(&mut harness, "The link has expired");
}

#[test]
fn copy_as_curl_and_the_session_list_for_testers() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("table.csv");
    std::fs::write(&file, "a").unwrap();
    let url = pg.sign_v4(Method::Put, "t.csv", HOUR);

    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    harness.get_by_label("No transfer yet.");
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "1 B");
    harness
        .get_by_label("Send no file type (no Content-Type header)")
        .click();
    harness.run();

    // The one copy with the secret says so on its button and after copying.
    press(
        &mut harness,
        "Copy as curl (contains the link's secret signature)",
    );
    harness.step();
    let curl = copied_texts(&harness).pop().expect("copied");
    assert_eq!(
        curl,
        format!(
            "curl --globoff -T '{}' -H 'Expect:' '{url}'",
            file.display()
        )
    );
    harness.run();
    harness.get_by_label_contains("It contains the link's signature");
    // The redacted copy does not.
    press(&mut harness, "Copy request (signature removed)");
    harness.step();
    let request = copied_texts(&harness).pop().expect("copied");
    assert!(request.starts_with("PUT http://127.0.0.1:"), "{request}");
    assert!(request.contains("X-Amz-Signature=REDACTED"), "{request}");

    harness.get_by_label("Upload table.csv").click();
    wait_for_text(&mut harness, "Uploaded table.csv (1 B)");
    assert_eq!(pg.last_received().header("content-type"), None);
    // The session list names it without its secret, and runs it again as it was.
    harness.get_by_label_contains(" · Upload · table.csv · done, verified");
    assert!(
        harness
            .query_all_by_label_contains("X-Amz-Signature=REDACTED")
            .next()
            .is_some()
    );
    type_into(&mut harness, "Link", " changed");
    press(&mut harness, "Use again");
    harness.run();
    assert_eq!(harness.state().form().link_text, url);
    wait_for_text(&mut harness, "1 B");
    harness.get_by_label("table.csv");
    harness.get_by_label("File type sent: none");
    harness.get_by_label("Upload table.csv").click();
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

    let mut harness = window_with(
        &runtime,
        settings(Language::ENGLISH, false),
        Some(settings_path.clone()),
    );
    // The details panel is remembered once opened.
    harness.get_by_label("Details").click();
    harness.run();
    wait_until(&mut harness, "the panel remembered", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"show_details\": true"))
    });
    press(&mut harness, "Transfer settings");
    harness.run();
    press(
        &mut harness,
        "Check that what arrived is what was sent (MD5)",
    );
    harness.run();
    wait_until(&mut harness, "the settings file", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"verify\": false"))
    });
    let saved = std::fs::read_to_string(&settings_path).unwrap();
    assert!(!saved.contains("127.0.0.1"), "no link is kept: {saved}");

    paste(&mut harness, &pg.sign_v4(Method::Put, "a.txt", HOUR));
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "3 B");
    harness.get_by_label("Upload a.txt").click();
    wait_for_text(&mut harness, "Not verified (verification is off)");
    let saved = std::fs::read_to_string(&settings_path).unwrap();
    assert!(!saved.contains("a.txt"), "no file name is kept: {saved}");
}

#[test]
fn a_setting_this_version_cannot_read_is_named_and_the_rest_are_kept() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings_path = dir.path().join("settings.json");
    // Written by a newer version: a theme this one does not know, and a field it has no use for.
    std::fs::write(
        &settings_path,
        r#"{"theme": "high-contrast", "max_attempts": 5, "language": "en", "future_option": 1}"#,
    )
    .unwrap();
    let loaded = presign_desk::settings::Settings::read(&settings_path);
    assert_eq!(loaded.settings.max_attempts, 5);
    let app = PresignDeskApp::new(runtime.handle().clone(), Default::default()).with_settings(
        loaded.settings,
        Some(settings_path.clone()),
        loaded.problems,
    );
    let mut harness = Harness::builder()
        .with_size([1200.0, 900.0])
        .with_max_steps(32)
        .with_context_setup(presign_desk::ui::install_fonts)
        .build_ui_state(|ui, app: &mut PresignDeskApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label_contains("The setting theme in");
    harness.get_by_label_contains("\"system\" is used instead");
    // A change to another setting writes that change and leaves the rest as the file had them.
    harness.get_by_label("Details").click();
    harness.run();
    wait_until(&mut harness, "the panel remembered", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"show_details\": true"))
    });
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings_path).unwrap()).unwrap();
    assert_eq!(
        saved["theme"], "high-contrast",
        "the newer version's theme stays"
    );
    assert_eq!(saved["future_option"], 1);
    assert_eq!(saved["max_attempts"], 5);
    // In the window's language when it changes.
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("日本語").click();
    harness.run();
    harness.get_by_label_contains("の theme を読み込めなかったため");
    wait_until(&mut harness, "the language remembered", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"language\": \"ja\""))
    });
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings_path).unwrap()).unwrap();
    assert_eq!(
        (saved["theme"].as_str(), saved["show_details"].as_bool()),
        (Some("high-contrast"), Some(true))
    );
}

#[test]
fn switch_to_japanese_and_read_labels_and_explanations_in_japanese() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings_path = dir.path().join("settings.json");
    // A Japanese key and file name render with the bundled font: no glyph may be missing.
    let file = dir.path().join("見積.csv");
    std::fs::write(&file, "品目,金額\n").unwrap();
    // A legacy link signed with no file type; the tester sends one, and the fix sends none.
    let url = pg.sign_v2(
        Method::Put,
        "fa-106/見積.csv",
        None,
        playground::unix_in(3600),
    );

    let mut harness = window_with(
        &runtime,
        settings(Language::ENGLISH, true),
        Some(settings_path.clone()),
    );
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("日本語").click();
    harness.run();
    wait_until(&mut harness, "the choice remembered", |_| {
        std::fs::read_to_string(&settings_path).is_ok_and(|t| t.contains("\"language\": \"ja\""))
    });
    harness.get_by_label("署名付きURL");
    harness.get_by_label("貼り付け");
    assert!(
        harness
            .query_all_by_label("受け取ったリンクを貼り付けると始められます。")
            .next()
            .is_some()
    );

    paste(&mut harness, &url);
    harness.get_by_label_contains("playground/fa-106/見積.csv へのリンク · 有効期限まで残り");
    harness.get_by_label("ファイルをアップロード").click();
    harness.run();
    choose_file_ja(&mut harness, &file);
    wait_for_text(&mut harness, "見積.csv");
    wait_for_text(&mut harness, "14 B");
    harness.get_by_label("送信するファイルの種類：なし");
    harness
        .get_by_label("ファイルの種類を送信しない（Content-Type ヘッダーなし）")
        .click();
    harness.run();
    harness.get_by_label("送信するファイルの種類：text/csv");
    harness.get_by_label("見積.csv をアップロード").click();
    wait_for_text(&mut harness, "送信したファイルの種類がリンクと一致しません");
    harness.get_by_label("できること：");
    harness.get_by_label("リンクを作成した方に依頼すること：");
    harness
        .get_by_label("リンクを作成した方へのメッセージをコピー")
        .click();
    harness.step();
    let message = copied_texts(&harness).pop().expect("copied");
    assert!(message.contains("サーバーに拒否されました"), "{message}");
    assert!(message.contains("Signature=REDACTED"), "{message}");
    // The server's answer, in Japanese words around the server's own code.
    harness.get_by_label("サーバーに拒否されました：HTTP 403 SignatureDoesNotMatch");

    // The fix, in Japanese, works.
    harness
        .get_by_label("ファイルの種類を付けずに再送信")
        .click();
    wait_for_text(&mut harness, "見積.csv（");
    harness.get_by_label("ストレージ側で、このファイルと同じ内容を受け取ったことを確認しました。");
    assert_eq!(pg.last_received().header("content-type"), None);
}

#[test]
fn closing_during_a_transfer_asks_first_then_cancels_cleanly() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = support::trickle_server();

    let mut harness = window(&runtime);
    paste(&mut harness, &url);
    harness.get_by_label("Download the file").click();
    harness.run();
    let folder = harness.get_by_label("Save in folder");
    folder.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save in folder")
        .type_text(&dir.path().display().to_string());
    harness.run();
    wait_until(&mut harness, "the destination checked", |h| {
        h.state().form().readiness(jiff::Timestamp::now()).is_ok()
    });
    harness.get_by_label("Download large.bin").click();
    wait_until(&mut harness, "bytes arriving", |_| {
        support::files_in(dir.path()).len() == 1
    });

    // The window is asked to close: it stays, and asks.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    assert!(viewport_commands(&harness).contains(&egui::ViewportCommand::CancelClose));
    harness.run();
    harness.get_by_label("A transfer is running");
    harness.get_by_label("Keep it running").click();
    harness.run();
    assert!(harness.query_by_label("A transfer is running").is_none());
    assert!(harness.state().is_running());

    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    harness.run();
    harness.get_by_label("Cancel it and close").click();
    wait_until(&mut harness, "the window to close", |h| {
        viewport_commands(h).contains(&egui::ViewportCommand::Close)
    });
    assert!(!harness.state().is_running());
    assert!(
        support::files_in(dir.path()).is_empty(),
        "nothing half-written is left"
    );
}

fn viewport_commands(harness: &Harness<'_, PresignDeskApp>) -> Vec<egui::ViewportCommand> {
    harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.clone())
        .collect()
}

#[test]
fn check_link_proves_a_download_link_and_leaves_an_upload_link_unsent() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, "hello").unwrap();
    let put = pg.sign_v4(Method::Put, "check/hello.txt", HOUR);
    runtime.block_on(async { support::succeeded(&support::put(&put, &file, None).await).status });

    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    paste(
        &mut harness,
        &pg.sign_v4(Method::Get, "check/hello.txt", HOUR),
    );
    press(&mut harness, "Check link");
    wait_for_text(
        &mut harness,
        "The link works: playground/check/hello.txt is there (5 B",
    );
    let probe = pg.last_received();
    assert_eq!(
        (probe.method.as_str(), probe.header("range")),
        ("GET", Some("bytes=0-0"))
    );

    // An upload link cannot be tried without writing: the window says so and sends nothing.
    let before = pg.received().len();
    paste(
        &mut harness,
        &pg.sign_v4(Method::Put, "check/new.txt", HOUR),
    );
    harness.run();
    harness.get_by_label_contains("This is an upload link. An upload cannot be tried");
    assert!(
        harness.query_by_label_contains("The link works").is_none(),
        "the old result went with the old link"
    );
    assert_eq!(pg.received().len(), before);
}

#[test]
fn no_secret_in_any_text_the_window_shows_copies_or_saves() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use support::secrets::{audit_server, links, secrets};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let failing = Arc::new(AtomicBool::new(false));
    let server = runtime.block_on(audit_server(failing.clone()));
    let dir = tempfile::tempdir().unwrap();
    let settings_path = dir.path().join("config/settings.json");
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, "hello").unwrap();
    let secrets = secrets();
    for fail in [false, true] {
        failing.store(fail, Ordering::SeqCst);
        for (provider, url) in links(server.port) {
            let what = format!("{provider} fail={fail}");
            let mut harness = window_with(
                &runtime,
                settings(Language::ENGLISH, true),
                Some(settings_path.clone()),
            );
            paste(&mut harness, &url);
            choose_file(&mut harness, &file);
            wait_for_text(&mut harness, "5 B");
            harness.get_by_label("Upload hello.txt").click();
            wait_until(&mut harness, "the answer", |h| {
                h.query_by_label("Copy details").is_some()
            });
            let mut buttons = vec![
                "Copy summary",
                "Copy request (signature removed)",
                "Copy details",
            ];
            if fail {
                buttons.push("Copy message for the link's creator");
            }
            for button in buttons {
                press(&mut harness, button);
                harness.step();
                let copied = copied_texts(&harness);
                assert!(!copied.is_empty(), "{what}: {button} copied something");
                for text in copied {
                    secrets.assert_absent(&format!("{what}: {button}"), &text);
                }
                harness.run();
            }
            // Every label on screen: the verdict, the result card, the details, the session list.
            for secret in &secrets.0 {
                let shown: Vec<String> = harness
                    .query_all_by_label_contains(secret)
                    .map(|node| format!("{node:?}"))
                    .collect();
                assert!(shown.is_empty(), "{what}: on screen: {shown:?}");
            }
            // Closing and opening the details panel saves the settings.
            for _ in 0..2 {
                harness
                    .query_all_by_label("Details")
                    .next()
                    .unwrap()
                    .click();
                harness.run();
            }
            wait_until(&mut harness, "the settings file", |_| {
                settings_path.exists()
            });
            secrets.assert_absent(&what, &std::fs::read_to_string(&settings_path).unwrap());
        }
    }
    assert!(server.seen().len() >= 8, "the uploads ran");
}
