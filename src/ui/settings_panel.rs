//! "Transfer settings": attempts, stall timeout, connections and verification.

use crate::settings::{ATTEMPTS_RANGE, CONNECTIONS_RANGE, STALL_TIMEOUT_RANGE, Settings};
use crate::text::{T, tr};

/// The settings section; returns whether anything changed.
pub fn settings_ui(ui: &mut egui::Ui, settings: &mut Settings) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(tr(T::SettingsTitle)).show(ui, |ui| {
        egui::Grid::new("settings")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(tr(T::SettingsAttempts));
                changed |= ui
                    .add(egui::DragValue::new(&mut settings.max_attempts).range(ATTEMPTS_RANGE))
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
                let label = ui.label(tr(T::SettingsStall));
                changed |= ui
                    .add(
                        egui::DragValue::new(&mut settings.stall_timeout_secs)
                            .range(STALL_TIMEOUT_RANGE)
                            .suffix(" s"),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
                let label = ui.label(tr(T::SettingsConnections));
                changed |= ui
                    .add(
                        egui::DragValue::new(&mut settings.download_connections)
                            .range(CONNECTIONS_RANGE),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
            });
        changed |= ui
            .checkbox(&mut settings.verify, tr(T::SettingsVerify))
            .changed();
    });
    changed
}
