//! What the transfer moves: the file to upload (a drop zone that also opens the file chooser, or
//! a typed path) and the type it is sent as; or where a download goes.

use super::{Command, WARN};
use crate::format;
use crate::link::{Operation, PresignedLink};
use crate::prepare::{DownloadForm, FileState, UploadForm};
use crate::present;
use crate::text::{T, fill, tr};

/// Upload or download: asked under `question` when the link (or a queue's links) does not say
/// which, and offered in the details as an override when it does; `[upload, download]` name
/// the choices and `chosen` is the command a choice gives.
pub fn operation_ui(
    ui: &mut egui::Ui,
    question: T,
    [upload, download]: [T; 2],
    operation: Operation,
    chosen: fn(Operation) -> Command,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(question));
        for (choice, label) in [(Operation::Put, upload), (Operation::Get, download)] {
            if ui.radio(operation == choice, tr(label)).clicked() {
                commands.push(chosen(choice));
            }
        }
    });
}

/// The drop zone, the typed path, and the file type that will be sent. `settled`: a result
/// says what happened, and notes about sending no longer apply.
pub fn upload_ui(
    ui: &mut egui::Ui,
    upload: &UploadForm,
    link: Option<&PresignedLink>,
    dialog_unavailable: bool,
    settled: bool,
    parts_note: Option<String>,
    commands: &mut Vec<Command>,
) {
    if drop_zone_ui(ui, upload).clicked() {
        commands.push(Command::PickFile);
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let label = ui.label(tr(T::FilePathLabel));
        let mut path = upload.path.clone();
        let edit = egui::TextEdit::singleline(&mut path)
            .hint_text(tr(T::FileHint))
            .desired_width(f32::INFINITY);
        if ui.add(edit).labelled_by(label.id).changed() {
            commands.push(Command::FileTyped(path));
        }
    });
    if dialog_unavailable {
        ui.colored_label(WARN, tr(T::NoDialog));
    }
    if let Some(note) = parts_note {
        // A multipart upload's type was set when it was started: the parts carry none.
        ui.add(egui::Label::new(note).wrap());
    } else if matches!(upload.state, Some(FileState::File { .. })) {
        match upload.content_type.header_value() {
            Some(value) => ui.label(fill(T::FileTypeSent, &[("type", value)])),
            None => ui.label(tr(T::FileTypeSentNone)),
        };
        if !settled && let Some(notice) = link.and_then(crate::content_type::fixed_type_notice) {
            ui.add(egui::Label::new(egui::RichText::new(tr(notice)).color(WARN)).wrap());
        }
    }
    if let Some(link) = link {
        signed_headers_ui(ui, upload, link, commands);
    }
}

/// The headers the link signs: a field for each value the person must give, and the values
/// PresignDesk fills in from the file, marked so.
fn signed_headers_ui(
    ui: &mut egui::Ui,
    upload: &UploadForm,
    link: &PresignedLink,
    commands: &mut Vec<Command>,
) {
    let needed = crate::signed_headers::needed(link);
    if needed.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(egui::RichText::new(tr(T::SignedHeadersTitle)).strong());
    for header in &needed {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(header.label());
            match header.filled_note() {
                Some(note) => {
                    let value = match &header.fill {
                        crate::signed_headers::Fill::Digest(digest) => upload
                            .digests
                            .as_deref()
                            .unwrap_or_default()
                            .iter()
                            .find(|(d, _)| d == digest)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_else(|| tr(T::Checking).to_owned()),
                        crate::signed_headers::Fill::Algorithm { value, .. } => (*value).to_owned(),
                        crate::signed_headers::Fill::Person => String::new(),
                    };
                    ui.label(egui::RichText::new(value).monospace());
                    ui.weak(note);
                }
                None => {
                    let mut value = upload
                        .headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&header.name))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    let edit = egui::TextEdit::singleline(&mut value)
                        .desired_width(220.0)
                        .font(egui::TextStyle::Monospace);
                    if ui.add(edit).labelled_by(label.id).changed() {
                        commands.push(Command::HeaderTyped(header.name.clone(), value));
                    }
                }
            }
        });
    }
}

/// A large area that takes a dropped file and opens the chooser when clicked (or pressed with
/// the keyboard), showing the chosen file's name and size; one line once a file is chosen.
fn drop_zone_ui(ui: &mut egui::Ui, upload: &UploadForm) -> egui::Response {
    let dragging = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    let id = ui.scope_id().with("drop-zone");
    let focused = ui.memory(|m| m.has_focus(id));
    let stroke = if dragging || focused {
        egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
    } else {
        egui::Stroke::new(1.5, ui.visuals().widgets.inactive.fg_stroke.color)
    };
    let path = upload.path.trim();
    let chosen = matches!(upload.state, Some(FileState::File { .. })) && !path.is_empty();
    let frame = egui::Frame::new()
        .inner_margin(if chosen {
            egui::Margin::symmetric(14, 8)
        } else {
            egui::Margin::symmetric(16, 16)
        })
        .corner_radius(10.0)
        .stroke(stroke)
        .fill(ui.visuals().faint_bg_color);
    let shown = frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        match (&upload.state, path.is_empty()) {
            (_, true) => {
                ui.set_min_height(64.0);
                ui.vertical_centered(|ui| {
                    ui.label(egui::RichText::new("↑").size(24.0));
                    ui.label(egui::RichText::new(tr(T::DropZoneEmpty)).size(16.0));
                });
            }
            (None, false) => {
                ui.weak(tr(T::Checking));
            }
            (Some(FileState::File { len_bytes }), false) => {
                let name = crate::link::file_name(&upload.file());
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        egui::RichText::new(present::short_name(&name, 60))
                            .size(17.0)
                            .strong(),
                    );
                    ui.label(format::bytes(*len_bytes));
                    ui.weak(tr(T::DropZoneAgain));
                });
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
    // Reached by Tab like a button, and pressed with Enter or Space.
    let response = ui.interact(shown.response.rect, id, egui::Sense::click());
    let enabled = ui.is_enabled();
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, tr(T::ChooseFile)));
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// A file chosen for a link that is for downloading: said, and kept aside.
pub fn set_aside_ui(ui: &mut egui::Ui, file: &str, link: Option<&PresignedLink>) {
    let target = link.map(crate::link::target_name).unwrap_or_default();
    ui.add(
        egui::Label::new(
            egui::RichText::new(fill(
                T::FileSetAside,
                &[("target", &target), ("file", file)],
            ))
            .color(WARN),
        )
        .wrap(),
    );
    ui.add_space(4.0);
}

/// Where a download goes, and what to do if the name is taken. `done`: the file there is the
/// one just downloaded.
pub fn download_ui(
    ui: &mut egui::Ui,
    download: &DownloadForm,
    dialog_unavailable: bool,
    done: bool,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("download-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(tr(T::FolderLabel));
            ui.horizontal(|ui| {
                let mut folder = download.folder.clone();
                let edit = egui::TextEdit::singleline(&mut folder)
                    .desired_width((ui.available_width() - 140.0).max(160.0));
                if ui.add(edit).labelled_by(label.id).changed() {
                    commands.push(Command::FolderTyped(folder));
                }
                if ui.button(tr(T::ChooseFolder)).clicked() {
                    commands.push(Command::PickFolder);
                }
            });
            ui.end_row();

            let label = ui.label(tr(T::FileNameLabel));
            let mut name = download.name.clone();
            let edit = egui::TextEdit::singleline(&mut name)
                .desired_width((ui.available_width()).clamp(160.0, 320.0));
            if ui.add(edit).labelled_by(label.id).changed() {
                commands.push(Command::NameTyped(name));
            }
            ui.end_row();
        });
    if let Some(state) = &download.state
        && !done
    {
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
                        commands.push(Command::ReplaceExisting);
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
