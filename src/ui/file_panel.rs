//! What the transfer moves: the file to upload (a drop zone that also opens the file chooser, or
//! a typed path) and the type it is sent as; or where a download goes.

use super::{Command, WARN};
use crate::format;
use crate::link::{Operation, PresignedLink, SignatureScheme};
use crate::prepare::{DownloadForm, FileState, UploadForm};
use crate::present;
use crate::text::{T, fill, tr};

/// Upload or download: asked under `question` when the link does not say which, and offered
/// in the details panel when it does.
pub fn operation_ui(
    ui: &mut egui::Ui,
    question: T,
    operation: Operation,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(question));
        for (choice, label) in [
            (Operation::Put, T::ModeUpload),
            (Operation::Get, T::ModeDownload),
        ] {
            if ui.radio(operation == choice, tr(label)).clicked() {
                commands.push(Command::OperationChosen(choice));
            }
        }
    });
}

/// The drop zone, the typed path, and the file type that will be sent.
pub fn upload_ui(
    ui: &mut egui::Ui,
    upload: &mut UploadForm,
    link: Option<&PresignedLink>,
    dialog_unavailable: bool,
    commands: &mut Vec<Command>,
) {
    if drop_zone_ui(ui, upload).clicked() {
        commands.push(Command::PickFile);
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let label = ui.label(tr(T::FilePathLabel));
        let edit = egui::TextEdit::singleline(&mut upload.path)
            .hint_text(tr(T::FileHint))
            .desired_width(f32::INFINITY);
        if ui.add(edit).labelled_by(label.id).changed() {
            commands.push(Command::FileEdited);
        }
    });
    if dialog_unavailable {
        ui.colored_label(WARN, tr(T::NoDialog));
    }
    if matches!(upload.state, Some(FileState::File { .. })) {
        ui.add_space(4.0);
        file_type_ui(ui, upload, link);
    }
}

/// A large area that takes a dropped file and opens the chooser when clicked, showing the
/// chosen file's name and size.
fn drop_zone_ui(ui: &mut egui::Ui, upload: &UploadForm) -> egui::Response {
    let dragging = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    let stroke_color = if dragging {
        ui.visuals().selection.stroke.color
    } else {
        ui.visuals().widgets.inactive.fg_stroke.color
    };
    let frame = egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(16, 18))
        .corner_radius(10.0)
        .stroke(egui::Stroke::new(1.5, stroke_color))
        .fill(ui.visuals().faint_bg_color);
    let shown = frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.set_min_height(84.0);
        ui.vertical_centered(|ui| {
            let path = upload.path.trim();
            match (&upload.state, path.is_empty()) {
                (_, true) => {
                    ui.label(egui::RichText::new("↑").size(28.0));
                    ui.label(egui::RichText::new(tr(T::DropZoneEmpty)).size(16.0));
                }
                (None, false) => {
                    ui.weak(tr(T::Checking));
                }
                (Some(FileState::File { len_bytes }), false) => {
                    let name = present::file_name(std::path::Path::new(path));
                    ui.label(egui::RichText::new(name).size(18.0).strong());
                    ui.label(format::bytes(*len_bytes));
                    ui.weak(tr(T::DropZoneAgain));
                }
                (Some(FileState::Folder), false) => {
                    ui.colored_label(ui.visuals().error_fg_color, tr(T::FileIsFolder));
                    ui.weak(tr(T::DropZoneAgain));
                }
                (Some(FileState::Missing(_)), false) => {
                    ui.colored_label(ui.visuals().error_fg_color, tr(T::FileMissing));
                    ui.weak(tr(T::DropZoneAgain));
                }
            }
        });
    });
    let response = shown.response.interact(egui::Sense::click());
    let enabled = ui.is_enabled();
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, tr(T::ChooseFile)));
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// "File type sent: text/csv", and why it matters when the link fixes it.
fn file_type_ui(ui: &mut egui::Ui, upload: &UploadForm, link: Option<&PresignedLink>) {
    match upload.content_type.header_value() {
        Some(value) => ui.label(fill(T::FileTypeSent, &[("type", value)])),
        None => ui.label(tr(T::FileTypeSentNone)),
    };
    if let Some(link) = link {
        if matches!(
            link.scheme,
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2
        ) {
            ui.colored_label(WARN, tr(T::FileTypeFixedLegacy));
        } else if link.signs_content_type() {
            ui.colored_label(WARN, tr(T::FileTypeFixed));
        }
    }
}

/// Where a download goes, and what to do if the name is taken.
pub fn download_ui(
    ui: &mut egui::Ui,
    download: &mut DownloadForm,
    dialog_unavailable: bool,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("download-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(tr(T::FolderLabel));
            ui.horizontal(|ui| {
                let edit = egui::TextEdit::singleline(&mut download.folder)
                    .desired_width((ui.available_width() - 140.0).max(200.0));
                if ui.add(edit).labelled_by(label.id).changed() {
                    commands.push(Command::DestinationEdited);
                }
                if ui.button(tr(T::ChooseFolder)).clicked() {
                    commands.push(Command::PickFolder);
                }
            });
            ui.end_row();

            let label = ui.label(tr(T::FileNameLabel));
            let edit = egui::TextEdit::singleline(&mut download.name).desired_width(320.0);
            if ui.add(edit).labelled_by(label.id).changed() {
                commands.push(Command::NameEdited);
            }
            ui.end_row();
        });
    if let Some(state) = &download.state {
        if !state.folder_exists {
            ui.colored_label(ui.visuals().error_fg_color, tr(T::FolderMissing));
        } else if state.name_taken {
            if download.replace_existing {
                ui.colored_label(WARN, tr(T::WillReplace));
            } else {
                ui.colored_label(
                    WARN,
                    fill(T::DestinationExists, &[("name", download.name.trim())]),
                );
                ui.horizontal(|ui| {
                    if ui.button(tr(T::Replace)).clicked() {
                        download.replace_existing = true;
                    }
                    if ui.button(tr(T::KeepBoth)).clicked() {
                        commands.push(Command::KeepBoth);
                    }
                });
            }
        }
    }
    if dialog_unavailable {
        ui.colored_label(WARN, tr(T::NoFolderDialog));
    }
}

/// While a file is dragged over the window: where it goes.
pub fn drop_overlay_ui(ctx: &egui::Context) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-overlay"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(180));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        tr(T::DropHere),
        egui::FontId::proportional(28.0),
        egui::Color32::WHITE,
    );
}
