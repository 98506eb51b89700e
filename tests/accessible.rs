//! Every control a screen reader reaches has a name and a role, on every screen a person
//! meets: the empty window, an upload ready, a refusal explained, a download, a form, the
//! settings, the queue before, during and after its run, and the table of links; in English and
//! Japanese. Read from the AccessKit tree the window hands to the platform (what Orca reads
//! through AT-SPI, NVDA through UI Automation, VoiceOver through NSAccessibility).

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use presign_desk::text::Language;
use presign_desk::ui::PresignDeskApp;

use crate::playground::{Method, Playground};
use crate::support::window::{
    choose_file, choose_file_ja, drop_on, paste, press, settings, wait_for_text, wait_until,
    window_with,
};
use crate::support::{write_pattern, wrong_signature};

const HOUR: Duration = Duration::from_secs(3600);

/// The roles a person acts on: each must say what it does.
const CONTROLS: &[Role] = &[
    Role::Button,
    Role::CheckBox,
    Role::ComboBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::SearchInput,
    Role::PasswordInput,
    Role::Slider,
    Role::SpinButton,
    Role::RadioButton,
    Role::Switch,
    Role::Link,
    Role::Tab,
    Role::MenuItem,
    Role::ListBoxOption,
    Role::DisclosureTriangle,
];

/// A control in the tree: its role and what a screen reader says for it.
#[derive(Debug, Clone, PartialEq)]
struct Control {
    role: Role,
    name: String,
}

fn controls(harness: &Harness<'_, PresignDeskApp>) -> Vec<Control> {
    harness
        .root()
        .children_recursive()
        .filter_map(|node| {
            let node = node.accesskit_node();
            (CONTROLS.contains(&node.role()) && !node.is_hidden()).then(|| Control {
                role: node.role(),
                name: node.label().unwrap_or_default().trim().to_owned(),
            })
        })
        .collect()
}

/// Asserts that every control on `screen` has a name, and that no two controls of one role
/// share a name (a screen reader could not tell them apart).
fn every_control_is_named(harness: &Harness<'_, PresignDeskApp>, screen: &str) -> Vec<Control> {
    let found = controls(harness);
    assert!(!found.is_empty(), "{screen}: no control in the tree");
    let unnamed: Vec<&Control> = found.iter().filter(|c| c.name.is_empty()).collect();
    assert!(
        unnamed.is_empty(),
        "{screen}: controls with no name: {unnamed:?}\nall: {found:#?}"
    );
    let mut repeated = Vec::new();
    for (at, control) in found.iter().enumerate() {
        if found[..at].contains(control) && !repeated.contains(control) {
            repeated.push(control.clone());
        }
    }
    assert!(
        repeated.is_empty(),
        "{screen}: controls a screen reader cannot tell apart: {repeated:?}\nall: {found:#?}"
    );
    found
}

#[test]
fn every_control_of_every_screen_has_a_name_and_a_role() {
    for language in [Language::ENGLISH, Language::JAPANESE] {
        let en = language == Language::ENGLISH;
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let pg = Playground::start();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.pdf");
        write_pattern(&file, 5000);

        // The window as a new user first sees it, with the details panel open.
        let mut harness = window_with(&runtime, settings(language, true), None);
        harness.run();
        every_control_is_named(&harness, "the empty window");

        // An upload ready: a link and a file.
        let link = pg.sign_v4(Method::Put, "inbox/report.pdf", HOUR);
        paste(&mut harness, &wrong_signature(&link));
        if en {
            choose_file(&mut harness, &file);
        } else {
            choose_file_ja(&mut harness, &file);
        }
        let found = every_control_is_named(&harness, "an upload ready");
        assert!(
            found.iter().any(|c| c.role == Role::TextInput),
            "the link and file fields are in the tree: {found:#?}"
        );

        // The storage refused it: the explanation and its buttons.
        harness.key_press(egui::Key::Enter);
        let refused = if en { "signature" } else { "署名" };
        wait_for_text(&mut harness, refused);
        every_control_is_named(&harness, "a refusal explained");

        // A download link.
        let get = pg.sign_v4(Method::Get, "inbox/report.pdf", HOUR);
        paste(&mut harness, &get);
        every_control_is_named(&harness, "a download ready");

        // A form.
        let form = pg.sign_post("inbox/${filename}", 3600, &[], &[]);
        paste(&mut harness, &form);
        every_control_is_named(&harness, "a form");

        // The queue: three files, three links, one of them changed.
        let mut links = Vec::new();
        let folder = dir.path().join("batch");
        std::fs::create_dir_all(&folder).unwrap();
        for n in 0..3 {
            let name = format!("part-{n}.bin");
            write_pattern(&folder.join(&name), 2000 + n);
            let link = pg.sign_v4(Method::Put, &format!("batch/{name}"), HOUR);
            links.push(if n == 1 { wrong_signature(&link) } else { link });
        }
        let mut harness = window_with(&runtime, settings(language, true), None);
        paste(&mut harness, &links.join("\n"));
        harness.run();
        every_control_is_named(&harness, "a list of links");
        drop_on(&mut harness, &[&folder]);
        let upload_all = if en {
            "Upload all (3)"
        } else {
            "すべてアップロード（3）"
        };
        wait_for_text(&mut harness, upload_all);
        every_control_is_named(&harness, "the queue ready");
        press(&mut harness, upload_all);
        let done = if en {
            "2 of 3 done"
        } else {
            "3 個中 2 個完了"
        };
        wait_until(&mut harness, done, |h| {
            h.query_by_label_contains(done).is_some()
        });
        every_control_is_named(&harness, "the queue ended");
        let table = if en { "3 links: " } else { "リンク 3 個" };
        harness
            .get_by(|node| {
                node.role() == Role::DisclosureTriangle
                    && node.label().is_some_and(|l| l.contains(table))
            })
            .click();
        harness.run();
        every_control_is_named(&harness, "the table of links");

        // Downloads running, each row with its own Cancel.
        let trickle = crate::support::trickle_server();
        let links: Vec<String> = (0..3)
            .map(|n| trickle.replace("/large.bin?", &format!("/large-{n}.bin?")))
            .collect();
        let saved = dir.path().join("saved");
        std::fs::create_dir_all(&saved).unwrap();
        let mut harness = window_with(&runtime, settings(language, false), None);
        paste(&mut harness, &links.join("\n"));
        harness.run();
        // These links do not say what they are for: the person says.
        every_control_is_named(&harness, "links that do not say what they are for");
        harness
            .get_by_label(if en {
                "Download their files"
            } else {
                "ファイルをダウンロード"
            })
            .click();
        harness.run();
        let folder_label = if en {
            "Save in folder"
        } else {
            "保存先フォルダー"
        };
        harness.get_by_label(folder_label).focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness
            .get_by_label(folder_label)
            .type_text(&saved.display().to_string());
        harness.run();
        every_control_is_named(&harness, "downloads ready");
        let download_all = if en {
            format!("Download all (3) to {}", saved.display())
        } else {
            format!("すべてダウンロード（3）：{}", saved.display())
        };
        wait_for_text(&mut harness, &download_all);
        press(&mut harness, &download_all);
        wait_until(&mut harness, "three rows running", |_| {
            crate::support::files_in(&saved).len() == 3
        });
        harness.run();
        let found = every_control_is_named(&harness, "downloads running");
        let row_cancels = found
            .iter()
            .filter(|c| c.role == Role::Button && c.name.contains("bucket/large-"))
            .count();
        assert_eq!(
            row_cancels, 3,
            "each running row's Cancel names its row: {found:#?}"
        );
        let cancel_all = if en {
            "Cancel all"
        } else {
            "すべてキャンセル"
        };
        press(&mut harness, cancel_all);
        wait_until(&mut harness, "the queue cancelled", |h| {
            h.query_by_label(cancel_all).is_none()
        });
    }
}
