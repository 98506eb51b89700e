//! "Link details": every decoded field of the link and what it means, for support staff.

use jiff::Timestamp;

use super::Command;
use super::link_panel::{WARN, expiry_line};
use crate::link::report::{detail_rows, summary_text};
use crate::link::{Finding, LinkError, PresignedLink, Severity};
use crate::text::{T, tr};

/// The details panel. `findings` are the link's findings for the chosen operation.
pub fn details_ui(
    ui: &mut egui::Ui,
    link: &Result<PresignedLink, LinkError>,
    findings: &[Finding],
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(tr(T::DetailsTitle));
        if let Ok(link) = link
            && ui.button(tr(T::CopySummary)).clicked()
        {
            commands.push(Command::Copy(summary_text(link, findings, now)));
        }
    });
    ui.add_space(4.0);
    let Ok(link) = link else {
        ui.weak(tr(T::LinkEmpty));
        return;
    };
    if !findings.is_empty() {
        ui.label(egui::RichText::new(tr(T::FindingsTitle)).strong());
        findings_ui(ui, findings);
        ui.add_space(8.0);
    }
    egui::Grid::new("link-details")
        .num_columns(2)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for (label, value) in detail_rows(link, now) {
                ui.label(egui::RichText::new(tr(label)).strong());
                if label == T::FieldTimeLeft {
                    let (color, line) = expiry_line(ui, link, now);
                    ui.colored_label(color, line);
                } else {
                    ui.add(egui::Label::new(value).wrap());
                }
                ui.end_row();
            }
        });
}

/// Findings as coloured lines with a dot: red errors, amber warnings, plain notes.
pub fn findings_ui(ui: &mut egui::Ui, findings: &[Finding]) {
    for finding in findings {
        let color = match finding.severity {
            Severity::Error => ui.visuals().error_fg_color,
            Severity::Warning => WARN,
            Severity::Info => ui.visuals().weak_text_color(),
        };
        ui.horizontal_top(|ui| {
            let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 14.0), egui::Sense::hover());
            ui.painter().circle_filled(dot.center(), 4.0, color);
            ui.add(egui::Label::new(egui::RichText::new(&finding.message).color(color)).wrap());
        });
    }
}
