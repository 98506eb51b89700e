//! The window: egui panels over the library. Panels draw and return [`Command`]s; the app
//! applies them after drawing; background work reports back by message.

mod app;
mod background;
mod details_panel;
mod form_panel;
mod link_panel;
mod result_panel;
mod settings_panel;

pub use app::PresignDeskApp;

use crate::settings::Settings;
use crate::text::{T, tr};

/// Something the user asked for while the window was drawn; applied once drawing is done.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The link text changed.
    LinkEdited,
    /// The user switched between upload and download.
    OperationChosen,
    /// The upload path changed (typed, dropped or chosen).
    FileEdited,
    /// Open the file chooser.
    PickFile,
    /// Open the folder chooser.
    PickFolder,
    /// The download folder changed (or the name, by the app).
    DestinationEdited,
    /// The user typed a download name; it stops following the link.
    NameEdited,
    /// Pick a free name beside the existing file.
    KeepBoth,
    /// Start the upload or download.
    Start,
    /// Change the Content-Type as the explanation suggests, and send again.
    ApplyFix(crate::diagnose::Fix),
    /// Cancel the running transfer.
    Cancel,
    /// Put this text on the clipboard.
    Copy(String),
    /// The user changed a setting: save it.
    SettingsChanged,
}

/// Opens the window on the main thread; background work runs on `runtime`.
pub fn run_window(runtime: tokio::runtime::Handle, url: Option<String>) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(tr(T::AppTitle))
            .with_app_id("presign-desk")
            .with_inner_size([1100.0, 720.0])
            .with_min_inner_size([640.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        tr(T::AppTitle),
        options,
        Box::new(move |_cc| {
            // Read once, before the first frame; saving happens off the UI thread.
            let path = Settings::default_path();
            let (settings, notice) = path.as_deref().map(Settings::load).unwrap_or_default();
            Ok(Box::new(
                PresignDeskApp::new(runtime, url).with_settings(settings, path, notice),
            ))
        }),
    )
}
