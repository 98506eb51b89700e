//! "Explain a server's answer" in the window, as support staff use it: a real refusal from the
//! playground pasted (as `curl -i` printed it, or the body alone), read for the link or form
//! in the window, in English and Japanese, copied for a ticket without a secret.

use crate::playground;
use crate::support;

use support::window::*;

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use playground::{Method, Playground};
use presign_desk::text::Language;
use presign_desk::transfer::{Outcome, Refusal};
use presign_desk::ui::PresignDeskApp;

const HOUR: Duration = Duration::from_secs(3600);

/// The refusal as `curl -i` prints it: the status line, the headers a server sends, the body.
fn as_curl_printed(refusal: &Refusal) -> String {
    let mut out = format!("HTTP/1.1 {} Forbidden\r\n", refusal.status);
    if let Some(id) = &refusal.response.request_id {
        out.push_str(&format!("x-amz-request-id: {id}\r\n"));
    }
    if let Some(date) = &refusal.response.date {
        out.push_str(&format!("Date: {date}\r\n"));
    }
    out.push_str("Content-Type: application/xml\r\n\r\n");
    out.push_str(&refusal.body.text);
    out
}

fn refusal(outcome: Outcome) -> Box<Refusal> {
    match outcome {
        Outcome::Refused(refusal) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Opens the section and puts `text` in its field.
fn paste_answer(harness: &mut Harness<'_, PresignDeskApp>, section: &str, field: &str, text: &str) {
    if harness.query_by_label(field).is_none() {
        press(harness, section);
        harness.run();
    }
    harness.get_by_label(field).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.event(egui::Event::Paste(text.to_owned()));
    harness.run();
}

#[test]
fn a_pasted_answer_is_explained_for_the_link_in_the_window() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A real refusal: an upload link used to download, answered by the playground.
    let upload = pg.sign_v4(Method::Put, "ticket/report.csv", HOUR);
    let answered =
        refusal(runtime.block_on(support::get(&upload, &dir.path().join("report.csv"), false)));
    assert_eq!(answered.body.code.as_deref(), Some("SignatureDoesNotMatch"));
    let signature = upload.rsplit("X-Amz-Signature=").next().unwrap().to_owned();

    let mut harness = window_with(&runtime, settings(Language::ENGLISH, true), None);
    let section = "Explain a server's answer";
    let field = "The server's answer";
    // Nothing pasted: said, nothing else.
    press(&mut harness, section);
    harness.run();
    press(&mut harness, "Explain");
    harness.run();
    harness.get_by_label_contains("Paste the server's answer first");

    // No link yet: read from the answer alone, and said so.
    let printed = as_curl_printed(&answered);
    paste_answer(&mut harness, section, field, &printed);
    press(&mut harness, "Explain");
    harness.run();
    harness.get_by_label_contains("No link is filled in, so this is read from the answer alone");

    // The link pasted afterwards: the same answer is read again, for it, with no press.
    paste(&mut harness, &upload);
    harness.run();
    harness.get_by_label_contains("Read for the link above (playground/ticket/report.csv)");
    // The playground's answer has no echo, and nobody said which request it came from: the
    // link says it is for uploading, so "used for another operation" is a possible cause.
    harness.get_by_label_contains("Which request this answer came from is not known");
    harness.get_by_label_contains("Perhaps the link was used for another operation");
    press(&mut harness, "Copy explanation");
    harness.step();
    let copied = copied_texts(&harness).pop().expect("copied");
    assert!(copied.contains("made for an upload (PUT)"), "{copied}");
    assert!(!copied.contains(&signature), "no signature in {copied}");

    // A status that is none is named; the explanation it replaced goes.
    paste_answer(&mut harness, section, field, &answered.body.text);
    type_into(&mut harness, "HTTP status (if known)", "forbidden");
    press(&mut harness, "Explain");
    harness.run();
    harness.get_by_label_contains("“forbidden” is not an HTTP status");
    assert!(
        harness
            .query_by_label_contains("Perhaps the link was used")
            .is_none()
    );

    // In Japanese the same reading, in Japanese words, with no press.
    harness.get_by_label("HTTP status (if known)").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    harness.run();
    press(&mut harness, "Explain");
    harness.run();
    harness.get_by_label_contains("Perhaps the link was used for another operation");
    harness.get_by_label("Language").click();
    harness.run();
    harness.get_by_label("日本語").click();
    harness.run();
    harness.run();
    harness.get_by_label_contains(
        "上のリンク（playground/ticket/report.csv）について読み取りました。",
    );
    harness.get_by_label("説明をコピー");
    assert!(
        harness
            .query_by_label_contains("Perhaps the link was used")
            .is_none()
    );

    // Clear forgets it all.
    press(&mut harness, "クリア");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("について読み取りました")
            .is_none()
    );
}

#[test]
fn a_forms_refusal_pasted_is_read_as_the_forms_and_never_as_a_links() {
    let pg = Playground::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "region,revenue\nnorth,120\n").unwrap();
    // A real refusal of a form whose policy has expired.
    let form_text = pg.sign_post("uploads/${filename}", -60, &[], &[]);
    let form = presign_desk::post::PostForm::parse(&form_text)
        .unwrap()
        .unwrap();
    let plan = presign_desk::transfer::Plan::post(&form, file.clone(), 25, Some("text/csv"));
    let answered = refusal(runtime.block_on(support::run(&plan)).0);

    for (language, section, field, explain, copy, expired, form_line, link_causes) in [
        (
            Language::ENGLISH,
            "Explain a server's answer",
            "The server's answer",
            "Explain",
            "Copy explanation",
            "expired",
            "Read as a refusal of the upload form above.",
            ["no signature", "multipart"],
        ),
        (
            Language::JAPANESE,
            "サーバーの応答を説明",
            "サーバーの応答",
            "説明",
            "説明をコピー",
            "期限",
            "上のアップロードフォームが拒否されたものとして読み取りました。",
            ["署名がありません", "マルチパート"],
        ),
    ] {
        let mut harness = window_with(&runtime, settings(language, true), None);
        paste(&mut harness, &form_text);
        harness.run();
        paste_answer(&mut harness, section, field, &answered.body.text);
        type_into(
            &mut harness,
            if language == Language::ENGLISH {
                "HTTP status (if known)"
            } else {
                "HTTP ステータス（わかる場合）"
            },
            &answered.status.to_string(),
        );
        press(&mut harness, explain);
        harness.run();
        harness.get_by_label(form_line);
        // Every cause in words, as copied for a ticket.
        press(&mut harness, copy);
        harness.step();
        let shown = copied_texts(&harness).pop().expect("copied");
        assert!(
            shown.contains(expired),
            "{language:?}: the policy's expiry named in {shown}"
        );
        for wrong in link_causes {
            assert!(!shown.contains(wrong), "{language:?}: {wrong} in {shown}");
        }
        assert_eq!(pg.received().len(), 1, "explaining sends nothing");
    }
}
