//! The upload form (file and Content-Type) and the download form (folder and name).

use super::Command;
use super::link_panel::WARN;
use crate::format;
use crate::link::{PresignedLink, SignatureScheme};
use crate::prepare::{DownloadForm, FileState, UploadForm};
use crate::text::{T, fill, tr};

/// The file to upload and its Content-Type.
pub fn upload_ui(
    ui: &mut egui::Ui,
    upload: &mut UploadForm,
    link: Option<&PresignedLink>,
    dialog_unavailable: bool,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("upload-form")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(tr(T::FileLabel));
            ui.horizontal(|ui| {
                let edit = egui::TextEdit::singleline(&mut upload.path)
                    .hint_text(tr(T::FileHint))
                    .desired_width((ui.available_width() - 120.0).max(200.0));
                if ui.add(edit).labelled_by(label.id).changed() {
                    commands.push(Command::FileEdited);
                }
                if ui.button(tr(T::ChooseFile)).clicked() {
                    commands.push(Command::PickFile);
                }
            });
            ui.end_row();

            ui.label("");
            file_state_ui(ui, upload);
            ui.end_row();

            let label = ui.label(tr(T::ContentTypeLabel));
            ui.horizontal(|ui| {
                ui.add_enabled_ui(upload.content_type.send_header, |ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut upload.content_type.value)
                            .desired_width(260.0)
                            .font(egui::TextStyle::Monospace),
                    )
                    .labelled_by(label.id);
                });
                let mut send_none = !upload.content_type.send_header;
                if ui
                    .checkbox(&mut send_none, tr(T::SendNoContentType))
                    .changed()
                {
                    upload.content_type.send_header = !send_none;
                }
            });
            ui.end_row();
        });
    if let Some(link) = link {
        if matches!(
            link.scheme,
            SignatureScheme::AwsSigV2 | SignatureScheme::GcsV2
        ) {
            ui.colored_label(WARN, tr(T::ContentTypeLegacy));
        } else if link.signs_content_type() {
            ui.colored_label(WARN, tr(T::ContentTypeSigned));
        }
    }
    if dialog_unavailable {
        ui.colored_label(WARN, tr(T::NoDialog));
    }
}

fn file_state_ui(ui: &mut egui::Ui, upload: &UploadForm) {
    if upload.path.trim().is_empty() {
        ui.weak(tr(T::DropHint));
        return;
    }
    match &upload.state {
        None => {
            ui.weak(tr(T::Checking));
        }
        Some(FileState::File { len_bytes }) => {
            ui.label(fill(T::FileSize, &[("size", &format::bytes(*len_bytes))]));
        }
        Some(FileState::Folder) => {
            ui.colored_label(ui.visuals().error_fg_color, tr(T::FileIsFolder));
        }
        Some(FileState::Missing(_)) => {
            ui.colored_label(ui.visuals().error_fg_color, tr(T::FileMissing));
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
                    .desired_width((ui.available_width() - 130.0).max(200.0));
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
