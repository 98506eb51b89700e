//! The window as its people meet it: a link that cannot work asks first, the action follows the
//! link, the keyboard reaches every control and a finished form does not send again, the
//! request shown is the one the button sends, the done states, what people paste, small
//! windows, and the words on the card. Headless with egui_kittest against the playground, in
//! English and Japanese.

use crate::playground;
use crate::support;

use std::time::Duration;

use egui_kittest::kittest::Queryable;
use playground::{Method, Playground};
use presign_desk::text::Language;
use presign_desk::ui::Launch;
use support::window::*;

const HOUR: Duration = Duration::from_secs(3600);

fn temp_file(dir: &tempfile::TempDir, name: &str, contents: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn puts(pg: &Playground) -> usize {
    pg.received().iter().filter(|r| r.method == "PUT").count()
}

#[test]
fn a_link_that_cannot_work_asks_first_and_its_refusal_names_why() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "cut.csv", "a,b\n");
    let url = pg.sign_v4(Method::Put, "cut.csv", HOUR);
    let cut = url[..url.find("&X-Amz-SignedHeaders").unwrap()].to_owned();
    for (language, send_anyway, finding, title) in [
        (
            Language::ENGLISH,
            "Send it anyway (for testing)",
            "The link seems cut short",
            "The link is cut short",
        ),
        (
            Language::JAPANESE,
            "それでも送信する（テスト用）",
            "途中で切れている",
            "リンクが途中で切れています",
        ),
    ] {
        let mut harness = window_with(&runtime, settings(language, false), None);
        let sent_before = puts(&pg);
        paste(&mut harness, &cut);
        harness.get_by_label_contains(finding);
        type_into(
            &mut harness,
            if language == Language::ENGLISH {
                "File path"
            } else {
                "ファイルのパス"
            },
            &file.display().to_string(),
        );
        wait_for_text(&mut harness, "4 B");
        // The button stops with the reason; nothing goes out until the tester says so.
        let button = if language == Language::ENGLISH {
            "Upload cut.csv"
        } else {
            "cut.csv をアップロード"
        };
        harness.get_by_label(button).click();
        harness.run();
        assert_eq!(
            puts(&pg),
            sent_before,
            "{}: nothing was sent",
            language.code()
        );
        harness.get_by_label(send_anyway).click();
        harness.run();
        harness.get_by_label(button).click();
        wait_for_text(&mut harness, title);
        assert!(
            harness.query_by_label_contains("not allowed").is_none()
                && harness
                    .query_by_label_contains("権限がありません")
                    .is_none(),
            "the refusal is the finding's, not a permission's"
        );
        assert!(
            harness
                .query_by_label_contains("Details")
                .is_none_or(|n| n.value().is_none())
        );
    }
    // A link with no signature at all asks the same.
    let mut harness = window(&runtime);
    paste(
        &mut harness,
        &format!("{}/playground/plain.csv", pg.endpoint()),
    );
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label_contains("This link has no signature");
    harness.get_by_label("Send it anyway (for testing)");
}

#[test]
fn a_link_that_states_its_operation_decides_and_a_chosen_file_waits_aside() {
    let pg = Playground::start();
    std::fs::write(pg.object_path("hello.txt"), "hello\n").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "a,b\n");
    let get = pg.sign_v4(Method::Get, "hello.txt", HOUR);

    // A file first, then a download link: the link decides.
    let mut harness = window(&runtime);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "4 B");
    paste(&mut harness, &get);
    harness.get_by_label_contains("Download link for playground/hello.txt");
    harness.get_by_label("Download hello.txt");
    assert!(harness.query_by_label("Upload report.csv").is_none());
    harness.get_by_label_contains(
        "This link is for downloading playground/hello.txt; it cannot receive a file. report.csv is kept aside.",
    );
    // The override stays in the details.
    harness.get_by_label("Details").click();
    harness.run();
    harness.get_by_label("Upload a file").click();
    harness.run();
    harness.get_by_label("Upload report.csv");

    // `presign-desk gui LINK --file FILE` the same.
    let launch = Launch {
        url: Some(get.clone()),
        file: Some(file.clone()),
        ..Launch::default()
    };
    let mut harness = launched(
        &runtime,
        settings(Language::JAPANESE, false),
        None,
        launch,
        [1200.0, 900.0],
    );
    harness.run();
    harness.get_by_label("hello.txt をダウンロード");
    harness.get_by_label_contains("report.csv はそのままにしてあります");
}

#[test]
fn after_a_success_the_form_is_done_and_enter_sends_nothing_again() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "region,revenue\n");
    let url = pg.sign_v4(Method::Put, "uploads/fa-106/見積.csv", HOUR);
    let mut harness = window(&runtime);
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "15 B");
    harness.key_press(egui::Key::Enter);
    wait_for_text(&mut harness, "Uploaded report.csv");
    // Where it went, since the stored name is not the file's.
    harness.get_by_label("Stored as playground/uploads/fa-106/見積.csv");
    // The note about the fixed type, or a dialog, no longer applies.
    assert!(
        harness
            .query_by_label_contains("only accepts the file type")
            .is_none()
    );
    harness.get_by_label("Upload another file");
    for _ in 0..3 {
        harness.key_press(egui::Key::Enter);
        harness.run();
    }
    std::thread::sleep(Duration::from_millis(300));
    harness.run();
    assert_eq!(puts(&pg), 1, "Enter after a success sends nothing");
    // A change makes the form ready again.
    type_into(&mut harness, "File path", " ");
    wait_for_text(&mut harness, "Upload report.csv");
}

#[test]
fn the_request_shown_and_copied_is_the_one_the_button_sends() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "a,b\n");
    let url = pg.sign_v4(Method::Put, "report.csv", HOUR);
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "4 B");
    harness.get_by_label_contains("Content-Type: text/csv");
    // Sent once, then the type changed: the request follows the change, not the last one.
    harness.key_press(egui::Key::Enter);
    wait_for_text(&mut harness, "Uploaded report.csv");
    let field = harness.get_by_label("Content-Type");
    field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Content-Type")
        .type_text("application/json");
    harness.run();
    wait_for_text(&mut harness, "Content-Type: application/json");
    assert!(
        harness
            .query_by_label_contains("Content-Type: text/csv")
            .is_none()
    );
    press(&mut harness, "Copy request (signature removed)");
    harness.step();
    let copied = copied_texts(&harness);
    assert!(
        copied[0].contains("Content-Type: application/json"),
        "{copied:?}"
    );
    harness.run();
    // "Copied." stands beside the button pressed.
    let button = harness
        .get_by_label("Copy request (signature removed)")
        .rect();
    let note = harness.get_by_label("Copied.").rect();
    assert!(
        (note.center().y - button.center().y).abs() < button.height(),
        "{note:?} beside {button:?}"
    );
    press(
        &mut harness,
        "Copy as curl (contains the link's secret signature)",
    );
    harness.step();
    assert!(copied_texts(&harness)[0].contains("'Content-Type: application/json'"));
}

#[test]
fn after_a_download_the_saved_file_is_done_not_in_the_way() {
    let pg = Playground::start();
    std::fs::write(pg.object_path("hello.txt"), "hello\n").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let folder = dir.path().join(language.code());
        std::fs::create_dir_all(&folder).unwrap();
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(&mut harness, &pg.sign_v4(Method::Get, "hello.txt", HOUR));
        let label = if language == Language::ENGLISH {
            "Save in folder"
        } else {
            "保存先フォルダー"
        };
        harness.get_by_label(label).focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness
            .get_by_label(label)
            .type_text(&folder.display().to_string());
        harness.run();
        harness.key_press(egui::Key::Escape);
        harness.run();
        std::thread::sleep(Duration::from_millis(100));
        harness.run();
        harness.key_press(egui::Key::Enter);
        let (done, open, show, exists) = if language == Language::ENGLISH {
            (
                "Downloaded hello.txt",
                "Open file",
                "Show in folder",
                "already exists",
            )
        } else {
            (
                "hello.txt（6 B）を",
                "ファイルを開く",
                "フォルダーに表示",
                "すでにあります",
            )
        };
        wait_for_text(&mut harness, done);
        std::thread::sleep(Duration::from_millis(200));
        harness.run();
        harness.get_by_label(open);
        harness.get_by_label(show);
        assert!(
            harness.query_by_label_contains(exists).is_none(),
            "{}: the file just saved is not flagged",
            language.code()
        );
        assert!(folder.join("hello.txt").exists());
    }
}

#[test]
fn what_people_paste_and_type_is_taken_as_meant() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "my report.csv", "a,b\n");
    let url = pg.sign_v4(Method::Put, "report.csv", HOUR);
    let mut harness = window(&runtime);
    paste(
        &mut harness,
        &format!("Please upload here: {} Thanks", url.replace('&', "&amp;")),
    );
    harness.get_by_label_contains("Upload link for playground/report.csv");
    assert_eq!(
        harness.state().form().link_text,
        url,
        "the field shows the link as sent"
    );
    harness.get_by_label("Details").click();
    harness.run();
    harness.get_by_label_contains("words around it (the rest of the message)");
    // A path in quotes, as a file manager copies it, and as a file:// address.
    for typed in [
        format!("'{}'", file.display()),
        format!("\"{}\"", file.display()),
        format!("file://{}", file.display().to_string().replace(' ', "%20")),
    ] {
        let field = harness.get_by_label("File path");
        field.focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label("File path").type_text(&typed);
        harness.run();
        wait_for_text(&mut harness, "Upload my report.csv");
        assert!(
            harness.query_by_label("No file at this path.").is_none(),
            "{typed}"
        );
    }
    // Two different links: a list, shown as such in the queue, never one of them guessed.
    paste(
        &mut harness,
        &format!("{url} or {}", pg.sign_v4(Method::Put, "other.csv", HOUR)),
    );
    harness.get_by_label_contains("2 links: 0 cannot work");
    assert!(
        harness.state().form().link().is_err(),
        "no single link is taken"
    );
}

#[test]
fn a_small_window_keeps_the_main_column_readable() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "notes.txt", "notes\n");
    for size in [[560.0, 440.0], [800.0, 600.0], [1280.0, 800.0]] {
        let mut harness = launched(
            &runtime,
            settings(Language::ENGLISH, true),
            None,
            Launch {
                url: Some(pg.sign_v4(Method::Put, "notes.txt", HOUR)),
                file: Some(file.clone()),
                ..Launch::default()
            },
            size,
        );
        wait_for_text(&mut harness, "Upload notes.txt");
        let button = harness.get_by_label("Upload notes.txt").rect();
        let link = harness.get_by_label("Link").rect();
        assert!(
            link.width() >= 400.0,
            "{size:?}: the link field is {} wide",
            link.width()
        );
        assert!(button.width() >= 200.0, "{size:?}: {button:?}");
        // The details are there, beside or below, never over the form.
        let summary = harness.get_by_label("Copy summary").rect();
        assert!(
            summary.left() >= link.right() - 1.0 || summary.top() >= button.bottom(),
            "{size:?}: the details overlap the form: {summary:?} and {link:?}"
        );
    }
}

#[test]
fn the_card_speaks_plainly_and_offers_only_what_can_help() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "notes.txt", "legacy");
    // A legacy link signed with no type, sent with one: the fix is the one thing to press.
    let url = pg.sign_v2(Method::Put, "notes.txt", None, playground::unix_in(3600));
    for (language, fix, try_again, sure) in [
        (
            Language::ENGLISH,
            "Send again without a file type",
            "Try again",
            "How sure",
        ),
        (
            Language::JAPANESE,
            "ファイルの種類を付けずに再送信",
            "再試行",
            "確度",
        ),
    ] {
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(&mut harness, &url);
        let path_label = if language == Language::ENGLISH {
            "File path"
        } else {
            "ファイルのパス"
        };
        type_into(&mut harness, path_label, &file.display().to_string());
        wait_for_text(&mut harness, "6 B");
        // A tester's choice, in the details: send the file's type.
        harness
            .get_by_label(if language == Language::ENGLISH {
                "Details"
            } else {
                "詳細"
            })
            .click();
        harness.run();
        harness
            .get_by_label(if language == Language::ENGLISH {
                "Send no file type (no Content-Type header)"
            } else {
                "ファイルの種類を送信しない（Content-Type ヘッダーなし）"
            })
            .click();
        harness.run();
        harness.key_press(egui::Key::Escape);
        harness.run();
        harness.key_press(egui::Key::Enter);
        wait_for_text(&mut harness, fix);
        // The card alone, as a person sees it: the details closed again (the switch in the
        // top bar comes first).
        harness
            .get_all_by_label(if language == Language::ENGLISH {
                "Details"
            } else {
                "詳細"
            })
            .next()
            .unwrap()
            .click();
        harness.run();
        assert!(
            harness.query_by_label(try_again).is_none(),
            "{}: trying the same again cannot help",
            language.code()
        );
        assert!(
            harness.query_by_label_contains(sure).is_none(),
            "{}: strength words are for the details",
            language.code()
        );
    }
    // The label and the hint of the link field agree in Japanese.
    let harness = window_with(&runtime, settings(Language::JAPANESE, false), None);
    harness.get_by_label("署名付きURL");
    let hint = presign_desk::text::with_language(Language::JAPANESE, || {
        presign_desk::text::tr(presign_desk::text::T::LinkHint)
    });
    assert!(hint.contains("署名付きURL"), "{hint}");
}

#[test]
fn tab_reaches_every_control_top_to_bottom_in_both_languages() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "a,b\n");
    for (language, expected) in [
        (
            Language::ENGLISH,
            [
                "Language",
                "Appearance",
                "Details",
                "Paste",
                "Link",
                "Choose the file to upload",
                "File path",
                "Upload report.csv",
            ],
        ),
        (
            Language::JAPANESE,
            [
                "言語",
                "表示",
                "詳細",
                "貼り付け",
                "署名付きURL",
                "アップロードするファイルを選択",
                "ファイルのパス",
                "report.csv をアップロード",
            ],
        ),
    ] {
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(&mut harness, &pg.sign_v4(Method::Put, "report.csv", HOUR));
        type_into(&mut harness, expected[6], &file.display().to_string());
        wait_for_text(&mut harness, "4 B");
        harness.key_press(egui::Key::Escape);
        harness.run();
        assert_eq!(tab_order(&mut harness), expected, "{}", language.code());
    }
}

#[test]
fn a_paste_that_finds_no_text_says_so_and_stale_notes_go() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut harness = window(&runtime);
    harness.get_by_label("Paste").click();
    // The platform answers with nothing (an empty clipboard, or a picture).
    for _ in 0..5 {
        harness.step();
    }
    harness.get_by_label_contains("The clipboard holds no text to paste");
    // Without a desktop portal the file chooser cannot open, and the window says what to do
    // instead; once a file is given another way, the note goes.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    wait_for_text(&mut harness, "No file chooser could open");
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "a.txt", "a");
    choose_file(&mut harness, &file);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("No file chooser could open")
            .is_none()
    );
}

#[test]
fn in_japanese_too_the_form_is_done_pastes_are_read_and_small_windows_hold() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "見積.csv", "品目,数量\n");
    let url = pg.sign_v4(Method::Put, "fa-106/見積.csv", HOUR);
    let japanese = || settings(Language::JAPANESE, false);

    // A message as a colleague sends it, the link inside.
    let mut harness = window_with(&runtime, japanese(), None);
    paste(
        &mut harness,
        &format!(
            "お疲れさまです。以下のリンクにアップロードしてください。\n{url}\nよろしくお願いします。"
        ),
    );
    harness.get_by_label_contains("playground/fa-106/見積.csv へのアップロード用リンク");
    assert_eq!(harness.state().form().link_text, url);
    type_into(
        &mut harness,
        "ファイルのパス",
        &format!("\"{}\"", file.display()),
    );
    wait_for_text(&mut harness, "見積.csv をアップロード");
    harness.key_press(egui::Key::Enter);
    wait_for_text(&mut harness, "見積.csv（");
    harness.get_by_label("保存先：playground/fa-106/見積.csv");
    harness.get_by_label("別のファイルをアップロード");
    harness.key_press(egui::Key::Enter);
    harness.run();
    std::thread::sleep(Duration::from_millis(200));
    harness.run();
    assert_eq!(puts(&pg), 1, "Enter after a success sends nothing");

    // The request shown follows the type typed in the details.
    let mut harness = window_with(&runtime, settings(Language::JAPANESE, true), None);
    paste(&mut harness, &url);
    type_into(&mut harness, "ファイルのパス", &file.display().to_string());
    wait_for_text(&mut harness, "Content-Type: text/csv");
    let field = harness.get_by_label("Content-Type");
    field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Content-Type").type_text("text/plain");
    harness.run();
    wait_for_text(&mut harness, "Content-Type: text/plain");
    press(&mut harness, "リクエストをコピー（署名は除きます）");
    harness.step();
    assert!(copied_texts(&harness)[0].contains("Content-Type: text/plain"));

    // Longer Japanese labels in small windows: the form stays readable and uncovered.
    for size in [[560.0, 440.0], [800.0, 600.0]] {
        let mut harness = launched(
            &runtime,
            settings(Language::JAPANESE, true),
            None,
            Launch {
                url: Some(url.clone()),
                file: Some(file.clone()),
                ..Launch::default()
            },
            size,
        );
        wait_for_text(&mut harness, "見積.csv をアップロード");
        let link = harness.get_by_label("署名付きURL").rect();
        let summary = harness.get_by_label("概要をコピー").rect();
        assert!(link.width() >= 400.0, "{size:?}: {link:?}");
        assert!(
            summary.left() >= link.right() - 1.0 || summary.top() >= link.bottom(),
            "{size:?}: the details overlap the form"
        );
    }
}

#[test]
fn headers_the_link_signs_are_asked_for_or_filled_in_and_sent() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "a,b\n");
    let md5 = "9p9bcrx5qS3HDGPJqhQuNg=="; // of "a,b\n"
    let url = pg.sign_v4_put_with_headers(
        "signed/report.csv",
        HOUR,
        &[("x-amz-acl", "private"), ("content-md5", md5)],
    );
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    paste(&mut harness, &url);
    choose_file(&mut harness, &file);
    wait_for_text(&mut harness, "filled in by PresignDesk: the file's MD5");
    harness.get_by_label(md5);
    // The value only the creator knows stops the button with the reason.
    harness.get_by_label_contains("The link was made with x-amz-acl");
    harness.get_by_label("Upload report.csv").click();
    harness.run();
    assert_eq!(puts(&pg), 0);
    type_into(&mut harness, "Who may read it (x-amz-acl)", "private");
    wait_for_text(&mut harness, "x-amz-acl: private");
    // The request shown and the curl command carry the same headers.
    press(
        &mut harness,
        "Copy as curl (contains the link's secret signature)",
    );
    harness.step();
    let curl = copied_texts(&harness).remove(0);
    assert!(curl.contains("-H 'x-amz-acl: private'"), "{curl}");
    assert!(curl.contains(&format!("-H 'content-md5: {md5}'")), "{curl}");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Upload report.csv").click();
    wait_for_text(&mut harness, "Uploaded report.csv");
    assert_eq!(pg.last_received().header("x-amz-acl"), Some("private"));
    assert_eq!(pg.last_received().header("content-md5"), Some(md5));
}

#[test]
fn an_upload_form_pasted_as_json_uploads_the_file_and_checks_first() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "report.csv", "region,revenue\n");
    let form = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[serde_json::json!(["content-length-range", 1, 1024])],
        &[],
    );
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let mut harness = window_with(&runtime, settings(language, true), None);
        paste(&mut harness, &form.replace('"', "'"));
        let (verdict, path, button, done, stored) = if language == Language::ENGLISH {
            (
                "Upload form for playground/uploads/${filename}",
                "File path",
                "Upload report.csv",
                "Uploaded report.csv",
                "Stored as playground/uploads/report.csv",
            )
        } else {
            (
                "playground/uploads/${filename} へのアップロードフォーム",
                "ファイルのパス",
                "report.csv をアップロード",
                "report.csv（",
                "保存先：playground/uploads/report.csv",
            )
        };
        harness.get_by_label_contains(verdict);
        type_into(&mut harness, path, &file.display().to_string());
        wait_for_text(&mut harness, button);
        // The details show the policy in words, the signature redacted.
        harness.get_by_label_contains(if language == Language::ENGLISH {
            "key starts with uploads/"
        } else {
            "key は uploads/ で始まる"
        });
        harness.get_by_label("x-amz-signature = REDACTED");
        harness.get_by_label(button).click();
        wait_for_text(&mut harness, done);
        harness.get_by_label(stored);
        assert_eq!(
            std::fs::read(pg.object_path("uploads/report.csv")).unwrap(),
            b"region,revenue\n"
        );
        std::fs::remove_file(pg.object_path("uploads/report.csv")).unwrap();
    }
    // A file the policy's size range refuses stops the button, and says why.
    let small = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[serde_json::json!(["content-length-range", 1000, 2000])],
        &[],
    );
    let before = pg.received().len();
    let mut harness = window(&runtime);
    paste(&mut harness, &small);
    choose_file(&mut harness, &file);
    wait_for_text(
        &mut harness,
        "is smaller than the smallest size the form allows",
    );
    harness.get_by_label("Upload report.csv").click();
    harness.run();
    assert_eq!(pg.received().len(), before, "nothing was sent");
    harness.get_by_label("Send it anyway (for testing)");
}
