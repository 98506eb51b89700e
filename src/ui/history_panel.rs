//! This session's transfers, for testers: each one redacted, with "Use again".

use super::Command;
use super::session::{HistoryEntry, HistoryResult};
use crate::link::Operation;
use crate::text::{T, fill, tr};

/// The list, newest first.
pub fn history_ui(
    ui: &mut egui::Ui,
    history: &[HistoryEntry],
    running: bool,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new(egui::RichText::new(tr(T::HistorySection)).strong())
        .id_salt("history")
        .default_open(true)
        .show(ui, |ui| {
            if history.is_empty() {
                ui.weak(tr(T::HistoryEmpty));
            }
            for (index, entry) in history.iter().enumerate().rev() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(row_text(entry));
                    if ui
                        .add_enabled(!running, egui::Button::new(tr(T::HistoryUseAgain)).small())
                        .clicked()
                    {
                        commands.push(Command::UseAgain(index));
                    }
                });
                ui.add(
                    egui::Label::new(egui::RichText::new(&entry.redacted_link).weak().small())
                        .wrap(),
                );
            }
        });
}

fn row_text(entry: &HistoryEntry) -> String {
    let result = match entry.result {
        HistoryResult::Succeeded { verified: true } => tr(T::HistoryVerified).to_owned(),
        HistoryResult::Succeeded { verified: false } => tr(T::HistorySucceeded).to_owned(),
        HistoryResult::Refused(status) => {
            fill(T::HistoryRefused, &[("status", &status.to_string())])
        }
        HistoryResult::Failed => tr(T::HistoryFailed).to_owned(),
        HistoryResult::Cancelled => tr(T::HistoryCancelled).to_owned(),
    };
    let operation = tr(match entry.operation {
        Operation::Put => T::Upload,
        Operation::Get => T::Download,
    });
    let time = entry
        .finished_at
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M:%S")
        .to_string();
    fill(
        T::HistoryRow,
        &[
            ("time", &time),
            ("operation", operation),
            (
                "file",
                &crate::link::file_name(std::path::Path::new(&entry.path)),
            ),
            ("result", &result),
        ],
    )
}
