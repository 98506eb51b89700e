//! The queue in the window, against the playground: a list of links pasted and a folder
//! dropped, matched by name in any order and every file arriving whole; a folder through one
//! form; ten download links to a folder with an expired and a changed one said in their rows;
//! the queue's controls named for screen readers; in English and Japanese.

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use presign_desk::text::Language;
use presign_desk::ui::PresignDeskApp;

use crate::playground::{Method, Playground};
use crate::support::window::{
    copied_texts, drop_on, paste, press, settings, wait_for_text, wait_until, window_with,
};
use crate::support::{same_bytes, write_pattern, wrong_signature};

const HOUR: Duration = Duration::from_secs(3600);

fn shows(harness: &Harness<'_, PresignDeskApp>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

#[test]
fn forty_files_and_forty_pasted_links_in_any_order_all_arrive_whole() {
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let pg = Playground::start();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("samples");
        std::fs::create_dir_all(folder.join("more")).unwrap();
        let mut links = Vec::new();
        for n in 0..40u64 {
            let name = format!("sample-{n:02}.bin");
            let sub = if n % 3 == 0 { "more" } else { "" };
            write_pattern(&folder.join(sub).join(&name), 500 + n * 997);
            links.push(pg.sign_v4(Method::Put, &format!("batch/{name}"), HOUR));
        }
        std::fs::write(folder.join(".hidden"), "x").unwrap();
        let shuffled: Vec<String> = (0..40).map(|n| links[(n * 13) % 40].clone()).collect();
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(
            &mut harness,
            &format!("Links for the samples:\n{}\n", shuffled.join("\n")),
        );
        let en = language == Language::ENGLISH;
        wait_for_text(
            &mut harness,
            if en {
                "40 links: 0 cannot work"
            } else {
                "リンク 40 個"
            },
        );
        drop_on(&mut harness, &[&folder]);
        let upload_all = if en {
            "Upload all (40)"
        } else {
            "すべてアップロード（40）"
        };
        wait_for_text(&mut harness, upload_all);
        // Each file's link can be changed before anything is sent: a named combo box a row.
        let combo = if en {
            "Link for sample-00.bin"
        } else {
            "sample-00.bin のリンク"
        };
        assert!(
            harness.query_by_label(combo).is_some(),
            "the row's link is named"
        );
        press(&mut harness, upload_all);
        let done = if en {
            "40 of 40 done"
        } else {
            "40 個中 40 個完了"
        };
        wait_until(&mut harness, done, |h| shows(h, done));
        for n in 0..40u64 {
            let name = format!("sample-{n:02}.bin");
            let sub = if n % 3 == 0 { "more" } else { "" };
            assert!(
                same_bytes(
                    &folder.join(sub).join(&name),
                    &pg.object_path(&format!("batch/{name}"))
                ),
                "{name}"
            );
        }
        assert!(!pg.object_path("batch/.hidden").exists());
    }
}

#[test]
fn a_folder_goes_through_one_form() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("scans");
    std::fs::create_dir_all(&folder).unwrap();
    for n in 0..5 {
        write_pattern(&folder.join(format!("scan-{n}.pdf")), 3000 + n);
    }
    let form = pg.sign_post("inbox/${filename}", 3600, &[], &[]);
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, false), None);
    paste(&mut harness, &form);
    harness.run();
    drop_on(&mut harness, &[&folder]);
    wait_for_text(&mut harness, "Upload all (5)");
    press(&mut harness, "Upload all (5)");
    wait_until(&mut harness, "5 of 5 done", |h| shows(h, "5 of 5 done"));
    for n in 0..5 {
        let name = format!("scan-{n}.pdf");
        assert!(same_bytes(
            &folder.join(&name),
            &pg.object_path(&format!("inbox/{name}"))
        ));
    }
}

#[test]
fn ten_download_links_to_a_folder_with_an_expired_and_a_changed_one_in_their_rows() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let mut links: Vec<String> = (0..10)
        .map(|n| {
            let key = format!("out/d{n}.bin");
            std::fs::create_dir_all(pg.object_path(&key).parent().unwrap()).unwrap();
            write_pattern(&pg.object_path(&key), 20_000 + n);
            pg.sign_v4(Method::Get, &key, HOUR)
        })
        .collect();
    links[4] = pg.sign_v4_with(
        Method::Get,
        "out/d4.bin",
        Duration::from_secs(60),
        None,
        jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1),
    );
    links[7] = wrong_signature(&links[7]);
    let saved = dir.path().join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, false), None);
    paste(&mut harness, &links.join("\n"));
    wait_for_text(&mut harness, "10 links: 1 cannot work");
    let folder_field = harness.get_by_label("Save in folder");
    folder_field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save in folder")
        .type_text(&saved.display().to_string());
    harness.run();
    let button = format!("Download all (10) to {}", saved.display());
    wait_for_text(&mut harness, &button);
    press(&mut harness, &button);
    wait_until(&mut harness, "the queue ends", |h| shows(h, "8 of 10 done"));
    for n in [0, 1, 2, 3, 5, 6, 8, 9] {
        assert!(same_bytes(
            &saved.join(format!("d{n}.bin")),
            &pg.object_path(&format!("out/d{n}.bin"))
        ));
    }
    assert!(!saved.join("d4.bin").exists() && !saved.join("d7.bin").exists());
    assert!(
        shows(&harness, "This link expired"),
        "the expired row says so"
    );
    assert!(
        shows(&harness, "refused"),
        "the changed row says it was refused"
    );
    // "Retry the failed ones" is offered for the refused one; the expired link cannot work
    // again, so it is not retried. The copies hold no signature.
    assert!(shows(&harness, "Retry the failed ones (1)"));
    let signatures: Vec<&str> = links
        .iter()
        .map(|l| l.rsplit_once("X-Amz-Signature=").unwrap().1)
        .collect();
    for (button, holds) in [
        ("Copy summary", "8 of 10 done"),
        ("Copy as CSV", "d4.bin"),
        ("Copy as JSON", "d9.bin\","),
    ] {
        press(&mut harness, button);
        harness.step();
        let copied = copied_texts(&harness).pop().expect("copied");
        assert!(copied.contains(holds), "{button}: {copied}");
        for signature in &signatures {
            assert!(!copied.contains(signature), "{button} holds a signature");
        }
    }
    let csv = {
        press(&mut harness, "Copy as CSV");
        harness.step();
        copied_texts(&harness).pop().unwrap()
    };
    assert_eq!(csv.lines().count(), 11, "a header and a line a link: {csv}");
    let json: serde_json::Value = {
        press(&mut harness, "Copy as JSON");
        harness.step();
        serde_json::from_str(&copied_texts(&harness).pop().unwrap()).unwrap()
    };
    assert_eq!(json.as_array().map(Vec::len), Some(10));
    // Each download names the file it was saved as; the two not saved name none.
    let saved_as: Vec<Option<&str>> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["file"].as_str())
        .collect();
    for (n, file) in saved_as.iter().enumerate() {
        if n == 4 || n == 7 {
            assert_eq!(*file, None, "row {n}");
        } else {
            assert_eq!(
                *file,
                Some(saved.join(format!("d{n}.bin")).to_str().unwrap()),
                "row {n}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_folder_of_ten_thousand_files_with_unreadable_ones_is_said_and_the_rest_sent() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("month");
    std::fs::create_dir_all(folder.join("logs")).unwrap();
    for n in 0..10_000 {
        std::fs::write(folder.join("logs").join(format!("line-{n:05}.log")), "x").unwrap();
    }
    write_pattern(&folder.join("invoice-a.pdf"), 4000);
    write_pattern(&folder.join("invoice-d.pdf"), 5000);
    // A link to a file that is gone: there, but it cannot be read.
    std::os::unix::fs::symlink(folder.join("moved.pdf"), folder.join("invoice-b.pdf")).unwrap();
    // A link back to the folder itself: said, and its files not given twice.
    std::os::unix::fs::symlink(&folder, folder.join("logs/again")).unwrap();
    let links: Vec<String> = ["a", "b", "d"]
        .iter()
        .map(|n| pg.sign_v4(Method::Put, &format!("inbox/invoice-{n}.pdf"), HOUR))
        .collect();
    let mut harness = window_with(&runtime, settings(Language::ENGLISH, false), None);
    paste(&mut harness, &links.join("\n"));
    wait_for_text(&mut harness, "3 links: 0 cannot work");
    drop_on(&mut harness, &[&folder]);
    // The unreadable file is said in its row before anything is sent, and not counted.
    wait_for_text(&mut harness, "Upload all (2)");
    assert!(shows(&harness, "Queue: 3 rows (10003 files, 3 links)"));
    assert!(shows(&harness, "10000 files have no link and are not sent"));
    assert!(shows(&harness, "it leads back to a folder already read"));
    assert!(shows(
        &harness,
        "this file cannot be read, so it is not sent"
    ));
    // A file removed after it was matched, before its turn: said in its row, not sent.
    std::fs::remove_file(folder.join("invoice-d.pdf")).unwrap();
    press(&mut harness, "Upload all (2)");
    wait_until(&mut harness, "the queue ends", |h| shows(h, "1 of 3 done"));
    assert!(same_bytes(
        &folder.join("invoice-a.pdf"),
        &pg.object_path("inbox/invoice-a.pdf")
    ));
    assert!(!pg.object_path("inbox/invoice-b.pdf").exists());
    assert!(!pg.object_path("inbox/invoice-d.pdf").exists());
    let signatures = links.iter().map(|l| l.rsplit_once('=').unwrap().1);
    press(&mut harness, "Copy summary");
    harness.step();
    let summary = copied_texts(&harness).pop().unwrap();
    // Counted as the terminal counts them: the unreadable one not sent, the removed one failed.
    assert!(
        summary.starts_with("1 of 3 done · 1 failed · 1 not sent"),
        "{summary}"
    );
    assert!(
        summary.contains(
            "invoice-b.pdf · playground/inbox/invoice-b.pdf · not sent · this file cannot be read"
        ),
        "{summary}"
    );
    for signature in signatures {
        assert!(!summary.contains(signature));
    }
}
