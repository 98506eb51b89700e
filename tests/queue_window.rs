//! The queue in the window, against the playground: a list of links pasted and a folder
//! dropped, matched by name in any order and every file arriving whole; a folder through one
//! form; ten download links to a folder with an expired and a changed one said in their rows;
//! the queue's controls named for screen readers; in English and Japanese.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use presign_desk::text::Language;
use presign_desk::ui::PresignDeskApp;

use crate::playground::{Method, Playground};
use crate::support::window::{paste, press, settings, wait_for_text, wait_until, window_with};
use crate::support::{same_bytes, write_pattern};

const HOUR: Duration = Duration::from_secs(3600);

/// A file dropped on the window, as the platform hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_on(harness: &mut Harness<'_, PresignDeskApp>, paths: &[&Path]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.to_path_buf())));
    }
    harness.run();
}

fn wrong(link: &str) -> String {
    let (head, signature) = link.rsplit_once("X-Amz-Signature=").unwrap();
    let flipped: String = signature
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    format!("{head}X-Amz-Signature={flipped}")
}

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
    links[7] = wrong(&links[7]);
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
    // "Retry the failed ones" is offered, and the copies hold no signature.
    assert!(shows(&harness, "Retry the failed ones (2)"));
}
