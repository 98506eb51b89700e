//! "Transfer settings": attempts, stall timeout, connections and verification.

use crate::settings::{
    ATTEMPTS_RANGE, CONNECTIONS_RANGE, QUEUE_AT_ONCE_RANGE, STALL_TIMEOUT_RANGE, Settings,
};
use crate::text::{T, tr};

/// The settings section; returns whether anything changed.
pub fn settings_ui(ui: &mut egui::Ui, settings: &mut Settings) -> bool {
    let mut changed = false;
    egui::CollapsingHeader::new(tr(T::SettingsTitle)).show(ui, |ui| {
        // Each label above its value: long labels wrap in a narrow panel.
        let mut row =
            |ui: &mut egui::Ui, label: T, add: &mut dyn FnMut(&mut egui::Ui) -> egui::Response| {
                let label = ui.add(egui::Label::new(tr(label)).wrap());
                changed |= add(ui).labelled_by(label.id).changed();
                ui.add_space(4.0);
            };
        row(ui, T::SettingsAttempts, &mut |ui| {
            ui.add(egui::DragValue::new(&mut settings.max_attempts).range(ATTEMPTS_RANGE))
        });
        row(ui, T::SettingsStall, &mut |ui| {
            ui.add(
                egui::DragValue::new(&mut settings.stall_timeout_secs)
                    .range(STALL_TIMEOUT_RANGE)
                    .suffix(" s"),
            )
        });
        row(ui, T::SettingsConnections, &mut |ui| {
            ui.add(
                egui::DragValue::new(&mut settings.download_connections).range(CONNECTIONS_RANGE),
            )
        });
        row(ui, T::SettingsQueueAtOnce, &mut |ui| {
            ui.add(egui::DragValue::new(&mut settings.queue_at_once).range(QUEUE_AT_ONCE_RANGE))
        });
        let mut verify = settings.verify;
        let response = ui.add(egui::Checkbox::new(&mut verify, tr(T::SettingsVerify)));
        if response.changed() {
            settings.verify = verify;
            changed = true;
        }
    });
    changed
}
