//! The window: egui panels over the library. Panels draw the state they are given and return
//! [`Command`]s; the app applies them after drawing; background work reports back by message.

mod action_panel;
mod app;
mod background;
mod chrome;
mod commands;
mod details_panel;
mod explain_panel;
mod file_panel;
mod form;
mod history_panel;
mod link_panel;
mod opener;
mod queue;
mod queue_panel;
mod result_panel;
mod session;
mod settings_panel;
mod state;
mod top_bar;

use std::path::PathBuf;

pub use app::PresignDeskApp;

use crate::link::Operation;
use crate::settings::{Settings, Theme};
use crate::text::{Language, T, tr};

/// Which table the queue saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A row a file: where it went and how it ended.
    Results,
    /// A row a link: what it is and whether it can work.
    Links,
}

/// Something the person asked for while the window was drawn; applied once drawing is done.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The person typed in the link field: its whole new text.
    LinkTyped(String),
    /// Put the clipboard's text in the link field (the Paste button).
    PasteLink,
    /// Text arrived from the clipboard for the link field.
    LinkPasted(String),
    /// The clipboard held no text to paste.
    PasteFoundNoText,
    /// The person chose upload or download for a link that does not say.
    OperationChosen(Operation),
    /// The tester overrode the operation a link states (in the details).
    OperationOverridden(Operation),
    /// The person typed the upload path: its whole new text.
    FileTyped(String),
    /// A file was dropped or chosen for upload.
    FileChosen(PathBuf),
    /// Several files or folders were dropped: the queue takes them.
    FilesChosen(Vec<PathBuf>),
    /// What the queue's links that do not say are for.
    QueueOperationChosen(Operation),
    /// Save the queue's results (or the table of its links) to a file, as CSV or JSON.
    QueueSave(Saved),
    /// The person chose which link of the list a row's file goes through (`None`: none).
    QueueLinkChosen {
        /// The row.
        row: usize,
        /// The link's place in the list.
        link: Option<usize>,
    },
    /// Send every row of the queue that can go, a few at once.
    QueueStart,
    /// Cancel one row of the queue, or all (`None`).
    QueueCancel(Option<usize>),
    /// Send again the rows that ended other than done.
    QueueRetryFailed,
    /// Forget the queue's files.
    QueueForgetFiles,
    /// The safe check of every link of the list.
    QueueCheckLinks,
    /// The tester typed the file type to send.
    ContentTypeTyped(String),
    /// The tester chose to send no file type (`true`) or the one typed (`false`).
    SendNoContentType(bool),
    /// The person typed the value of the signed header named first.
    HeaderTyped(String, String),
    /// Open the file chooser.
    PickFile,
    /// Open the folder chooser.
    PickFolder,
    /// The download folder or name changed (chosen, found free, or at start).
    DestinationEdited,
    /// The person typed the download folder.
    FolderTyped(String),
    /// The person typed a download name; it stops following the link.
    NameTyped(String),
    /// Replace the file that has the download's name.
    ReplaceExisting,
    /// Pick a free name beside the existing file.
    KeepBoth,
    /// Send a link that is expired or cannot work as it is (for testing), or not.
    SendAnyway(bool),
    /// Start the upload or download.
    Start,
    /// After a finished upload: choose the next file.
    UploadAnother,
    /// Change the request as the explanation suggests, and send again.
    ApplyFix(crate::diagnose::Fix),
    /// Check the link with a download of its first byte (changes nothing).
    CheckLink,
    /// The person typed or pasted in "Explain a server's answer": its whole new text.
    PastedAnswerTyped(String),
    /// The person typed the pasted answer's HTTP status: its whole new text.
    PastedStatusTyped(String),
    /// Explain the pasted answer for the link or form in the window (sends nothing).
    ExplainPasted,
    /// Forget the pasted answer and its explanation.
    ClearPasted,
    /// Cancel the running transfer.
    Cancel,
    /// After a cancelled multipart upload: remove it and its parts from the storage.
    AbortUpload,
    /// Put this text on the clipboard; `secret` when it holds the link's signature; `from` the
    /// button pressed, beside which "Copied." shows.
    Copy {
        /// The text.
        text: String,
        /// It holds the link's signature.
        secret: bool,
        /// The button pressed.
        from: egui::Id,
    },
    /// Open the downloaded file with the system's program.
    OpenFile(PathBuf),
    /// Show the downloaded file in its folder.
    ShowInFolder(PathBuf),
    /// The person changed a setting: save it.
    SettingsChanged,
    /// Open or close the details.
    ToggleDetails,
    /// Open the details at the server's answer.
    ShowAnswer,
    /// Speak this language from now on.
    LanguageChosen(Language),
    /// Use these colours.
    ThemeChosen(Theme),
    /// Fill the form as for this earlier transfer of the session.
    UseAgain(usize),
    /// The person confirmed closing the window while a transfer runs.
    CloseAndCancel,
    /// The person chose to keep the window and the transfer.
    KeepOpen,
}

/// How the window starts: what `presign-desk gui` was given.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// A link to fill in.
    pub url: Option<String>,
    /// A file to upload.
    pub file: Option<PathBuf>,
    /// A language for this run, over the saved choice (`--lang`).
    pub language: Option<Language>,
    /// When the process started, if the window should report on stderr how long its first frame
    /// and each transfer took (for scripts/gui-bench.sh).
    pub report_timing: Option<std::time::Instant>,
}

/// Opens the window on the main thread; background work runs on `runtime`.
pub fn run_window(runtime: tokio::runtime::Handle, launch: Launch) -> eframe::Result<()> {
    // Read once, before the first frame; saving happens off the UI thread.
    let path = Settings::default_path();
    let (settings, problems) = path
        .as_deref()
        .map(Settings::read)
        .map(|loaded| (loaded.settings, loaded.problems))
        .unwrap_or_default();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(tr(T::AppTitle))
        .with_app_id("io.github.presigndesk.PresignDesk")
        .with_inner_size([980.0, 720.0])
        .with_min_inner_size([560.0, 440.0])
        .with_drag_and_drop(true)
        .with_icon(icon());
    if let Some(window) = settings.window.and_then(|w| w.usable()) {
        viewport = viewport
            .with_inner_size([window.width, window.height])
            .with_position([window.x, window.y]);
    }
    let options = eframe::NativeOptions {
        viewport,
        // The window keeps no egui state of its own between runs (text fields may hold a link).
        persist_window: false,
        // Nothing here has gradients to band; without it a frame drawn in software (Mesa's
        // llvmpipe: virtual desktops, remote sessions) costs a fifth less.
        dithering: false,
        ..Default::default()
    };
    eframe::run_native(
        tr(T::AppTitle),
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            Ok(Box::new(
                PresignDeskApp::new(runtime, launch)
                    .with_settings(settings, path, problems)
                    .with_upload_records(Settings::upload_records_folder()),
            ))
        }),
    )
}

/// The bundled Japanese font: a subset of Noto Sans CJK JP (SIL OFL 1.1, see
/// `assets/fonts/OFL.txt`), so Japanese text and file names render without a system CJK font.
const JAPANESE_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansJP-Subset.otf");

/// Adds the bundled Japanese font after egui's own fonts (Latin text keeps its look), and sets
/// the style the window uses: no blinking cursor, which would repaint twice a second.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "NotoSansJP-Subset",
        egui::FontData::from_static(JAPANESE_FONT),
        [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| egui::epaint::text::InsertFontFamily {
                family,
                priority: egui::epaint::text::FontPriority::Lowest,
            })
            .collect(),
    ));
    ctx.all_styles_mut(|style| {
        style.visuals.text_cursor.blink = false;
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

/// The window icon: the app icon, drawn from `assets/icons/`.
fn icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/presign-desk-256.png"))
        .unwrap_or_default()
}

/// Colour for text that needs attention but is not an error.
pub const WARN: egui::Color32 = egui::Color32::from_rgb(0xc0, 0x7a, 0x10);
/// Colour for good news.
pub const GOOD: egui::Color32 = egui::Color32::from_rgb(0x2e, 0x8b, 0x45);

/// A button that copies `text`, with "Copied." beside it once pressed.
fn copy_button_ui(
    ui: &mut egui::Ui,
    label: &str,
    text: impl FnOnce() -> String,
    secret: bool,
    chrome: &chrome::Chrome,
    commands: &mut Vec<Command>,
) {
    // A narrow details panel wraps a long label rather than growing past its edge.
    let response = ui.add(egui::Button::new(label).wrap());
    report_control(ui, label, &response);
    if response.clicked() {
        commands.push(Command::Copy {
            text: text(),
            secret,
            from: response.id,
        });
    }
    if let Some(note) = chrome.notice_at(response.id) {
        ui.weak(note);
    }
}

/// The one thing to press: strong text on the selection colour.
fn primary_button(ui: &egui::Ui, label: &str, size: f32) -> egui::Button<'static> {
    egui::Button::new(
        egui::RichText::new(label.to_owned())
            .size(size)
            .strong()
            .color(ui.visuals().strong_text_color()),
    )
    .fill(ui.visuals().selection.bg_fill)
}

/// The colour of a tone.
fn tone_color(ui: &egui::Ui, tone: crate::view::Tone) -> egui::Color32 {
    match tone {
        crate::view::Tone::Good => GOOD,
        crate::view::Tone::Warning => WARN,
        crate::view::Tone::Bad => ui.visuals().error_fg_color,
        crate::view::Tone::Neutral => ui.visuals().weak_text_color(),
    }
}

/// Whether named controls are reported this frame (for the scripts that drive the window).
fn set_reporting(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| {
        d.insert_temp(egui::Id::unique("report-on"), on);
        d.remove_temp::<Vec<(String, egui::Rect)>>(egui::Id::unique("report-controls"));
    });
}

/// Notes where the control `name` is drawn, when reporting.
fn report_control(ui: &egui::Ui, name: &str, response: &egui::Response) {
    let ctx = ui.ctx();
    if ctx.data(|d| d.get_temp::<bool>(egui::Id::unique("report-on"))) == Some(true) {
        ctx.data_mut(|d| {
            d.get_temp_mut_or_default::<Vec<(String, egui::Rect)>>(egui::Id::unique(
                "report-controls",
            ))
            .push((name.to_owned(), response.rect));
        });
    }
}

/// The controls noted this frame.
fn reported_controls(ctx: &egui::Context) -> Vec<(String, egui::Rect)> {
    ctx.data(|d| d.get_temp(egui::Id::unique("report-controls")))
        .unwrap_or_default()
}
