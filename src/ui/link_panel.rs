//! The link field and what the link says at a glance.

use jiff::Timestamp;

use super::Command;
use crate::format;
use crate::link::{ExpiryStatus, LinkError, Operation, PresignedLink, SignatureScheme};
use crate::text::{T, fill, tr};

/// Colour for text that needs attention but is not an error.
pub const WARN: egui::Color32 = egui::Color32::from_rgb(0xd0, 0x8a, 0x1c);
/// Colour for good news.
pub const GOOD: egui::Color32 = egui::Color32::from_rgb(0x3c, 0xa0, 0x50);

/// The link field and its summary.
pub fn link_ui(
    ui: &mut egui::Ui,
    text: &mut String,
    link: &Result<PresignedLink, LinkError>,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    let label = ui.label(egui::RichText::new(tr(T::LinkLabel)).strong());
    let response = ui
        .add(
            egui::TextEdit::multiline(text)
                .hint_text(tr(T::LinkHint))
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
    if response.changed() {
        commands.push(Command::LinkEdited);
    }
    match link {
        Err(LinkError::Empty) => {
            ui.weak(tr(T::LinkEmpty));
        }
        Err(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        Ok(link) => summary_ui(ui, link, now),
    }
}

fn summary_ui(ui: &mut egui::Ui, link: &PresignedLink, now: Timestamp) {
    let purpose = match link.operation {
        Some(Operation::Put) => tr(T::LinkForUpload),
        Some(Operation::Get) => tr(T::LinkForDownload),
        None => tr(T::LinkForUnknown),
    };
    let none = tr(T::None_);
    let place = fill(
        T::BucketKey,
        &[
            ("bucket", link.bucket.as_deref().unwrap_or(none)),
            ("key", link.key.as_deref().unwrap_or(none)),
        ],
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(purpose).strong());
        ui.label("·");
        ui.label(place);
    });
    let (color, line) = expiry_line(ui, link, now);
    ui.colored_label(color, line);
    if link.scheme == SignatureScheme::Unsigned {
        ui.colored_label(WARN, tr(T::LinkNotPresigned));
    }
}

/// The expiry as a coloured line: green while valid, amber in the last minutes, red once over.
pub fn expiry_line(ui: &egui::Ui, link: &PresignedLink, now: Timestamp) -> (egui::Color32, String) {
    let at = link.expires_at.map(format::utc).unwrap_or_default();
    match link.expiry_status(now) {
        ExpiryStatus::Valid { secs_left } => (
            if secs_left < 300 { WARN } else { GOOD },
            fill(
                T::ExpiresIn,
                &[("span", &format::span_secs(secs_left)), ("at", &at)],
            ),
        ),
        ExpiryStatus::Expired { secs_ago } => (
            ui.visuals().error_fg_color,
            fill(
                T::ExpiredAgo,
                &[("span", &format::span_secs(secs_ago)), ("at", &at)],
            ),
        ),
        ExpiryStatus::Unknown => (ui.visuals().weak_text_color(), tr(T::NoExpiry).to_owned()),
    }
}
