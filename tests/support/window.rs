//! Driving the window as a person does, headless with egui_kittest: by accessible names,
//! clicks, keys and typing.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use presign_desk::settings::Settings;
use presign_desk::text::Language;
use presign_desk::ui::{Launch, PresignDeskApp};

/// Settings of a person who speaks `language` and has the details panel as given.
pub fn settings(language: Language, show_details: bool) -> Settings {
    Settings {
        language: Some(language),
        show_details,
        ..Settings::default()
    }
}

/// The window in English, details closed, as a new user sees it.
pub fn window(runtime: &tokio::runtime::Runtime) -> Harness<'static, PresignDeskApp> {
    window_with(runtime, settings(Language::ENGLISH, false), None)
}

/// The window with these settings, saved to `settings_path` when given. The app's fonts are
/// installed as the real window installs them; a glyph no font has fails the test.
pub fn window_with(
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    settings_path: Option<std::path::PathBuf>,
) -> Harness<'static, PresignDeskApp> {
    launched(
        runtime,
        settings,
        settings_path,
        Launch::default(),
        [1200.0, 900.0],
    )
}

/// The window with these settings, keeping the records of multipart uploads in `records` as
/// the real window keeps them in the user's data folder.
pub fn window_recording(
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    records: &Path,
) -> Harness<'static, PresignDeskApp> {
    let app = PresignDeskApp::new(runtime.handle().clone(), Launch::default())
        .with_settings(settings, None, Vec::new())
        .with_upload_records(Some(records.to_owned()));
    harness(app, [1200.0, 900.0])
}

/// The window as `presign-desk gui` starts it with `launch`, at `size`.
pub fn launched(
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    settings_path: Option<std::path::PathBuf>,
    launch: Launch,
    size: [f32; 2],
) -> Harness<'static, PresignDeskApp> {
    let app = PresignDeskApp::new(runtime.handle().clone(), launch).with_settings(
        settings,
        settings_path,
        Vec::new(),
    );
    harness(app, size)
}

fn harness(app: PresignDeskApp, size: [f32; 2]) -> Harness<'static, PresignDeskApp> {
    Harness::builder()
        .with_size(size)
        .with_max_steps(32)
        .with_context_setup(presign_desk::ui::install_fonts)
        .build_ui_state(|ui, app: &mut PresignDeskApp| app.ui(ui), app)
}

/// Steps the window until `done` holds (background work repaints later than `run` waits).
pub fn wait_until(
    harness: &mut Harness<'_, PresignDeskApp>,
    what: &str,
    done: impl Fn(&Harness<'_, PresignDeskApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(harness) {
        if Instant::now() >= deadline {
            let shown: Vec<String> = harness
                .query_all_by(|node| node.label().is_some_and(|l| !l.is_empty()))
                .filter_map(|node| node.accesskit_node().label())
                .collect();
            panic!("{what} never happened; the window shows: {shown:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
}

/// Steps the window until `text` shows.
pub fn wait_for_text(harness: &mut Harness<'_, PresignDeskApp>, text: &str) {
    wait_until(harness, text, |h| {
        h.query_all_by_label_contains(text).next().is_some()
    });
}

/// The texts the last frame put on the clipboard.
pub fn copied_texts(harness: &Harness<'_, PresignDeskApp>) -> Vec<String> {
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

pub fn type_into(harness: &mut Harness<'_, PresignDeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Pastes `text` with Ctrl+V while no field has focus (a click beside the fields, or Esc,
/// leaves them), as the platform delivers it.
pub fn paste(harness: &mut Harness<'_, PresignDeskApp>, text: &str) {
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.event(egui::Event::Paste(text.to_owned()));
    harness.run();
}

pub fn choose_file(harness: &mut Harness<'_, PresignDeskApp>, file: &Path) {
    type_into(harness, "File path", &file.display().to_string());
}

pub fn choose_file_ja(harness: &mut Harness<'_, PresignDeskApp>, file: &Path) {
    type_into(harness, "ファイルのパス", &file.display().to_string());
}

/// Scrolls the control named `label` into view, as a person would, and clicks it.
pub fn press(harness: &mut Harness<'_, PresignDeskApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
}

/// The accessible names focus visits, Tab after Tab, until it comes back to the first.
pub fn tab_order(harness: &mut Harness<'_, PresignDeskApp>) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..40 {
        harness.key_press(egui::Key::Tab);
        harness.run();
        let name = harness
            .query_by(|node| node.is_focused())
            .map(|node| {
                let n = node.accesskit_node();
                n.label()
                    .or_else(|| n.value())
                    .unwrap_or_else(|| format!("<{:?}>", n.role()))
            })
            .unwrap_or_else(|| "<nothing>".to_owned());
        if seen.first() == Some(&name) {
            break;
        }
        seen.push(name);
    }
    seen
}

/// A file or folder dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
pub struct Dropped(pub std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `paths` on the window at once.
pub fn drop_on(harness: &mut Harness<'_, PresignDeskApp>, paths: &[&Path]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    }
    harness.run();
}
