//! "Link details": every decoded field of the link, for support staff.

use jiff::Timestamp;

use super::link_panel::expiry_line;
use crate::format;
use crate::link::{CredentialKind, LinkError, PresignedLink, SignatureScheme};
use crate::text::{T, fill, tr};

/// The details panel.
pub fn details_ui(ui: &mut egui::Ui, link: &Result<PresignedLink, LinkError>, now: Timestamp) {
    ui.add_space(4.0);
    ui.heading(tr(T::DetailsTitle));
    ui.add_space(4.0);
    let Ok(link) = link else {
        ui.weak(tr(T::LinkEmpty));
        return;
    };
    let none = tr(T::None_).to_owned();
    let scheme = match link.scheme {
        SignatureScheme::AwsSigV4 => "AWS Signature V4",
        SignatureScheme::AwsSigV2 => "AWS Signature V2",
        SignatureScheme::GcsV4 => "Google Cloud Storage V4",
        SignatureScheme::GcsV2 => "Google Cloud Storage V2",
        SignatureScheme::AzureSas => "Azure SAS",
        SignatureScheme::Unsigned => tr(T::None_),
    };
    let credentials = match link.credential_kind() {
        CredentialKind::LongTerm => tr(T::CredLongTerm),
        CredentialKind::Temporary => tr(T::CredTemporary),
        CredentialKind::Unknown => tr(T::CredUnknown),
    };
    let token = match &link.security_token {
        Some(token) => fill(T::TokenPresent, &[("len", &token.len_chars().to_string())]),
        None => tr(T::TokenAbsent).to_owned(),
    };
    let rows: Vec<(T, String)> = vec![
        (T::FieldScheme, scheme.to_owned()),
        (T::FieldProvider, serde_name(&link.provider)),
        (T::FieldHost, link.host()),
        (T::FieldAddressing, serde_name(&link.addressing)),
        (
            T::FieldBucket,
            link.bucket.clone().unwrap_or_else(|| none.clone()),
        ),
        (
            T::FieldKey,
            link.key.clone().unwrap_or_else(|| none.clone()),
        ),
        (
            T::FieldRegion,
            link.region.clone().unwrap_or_else(|| none.clone()),
        ),
        (
            T::FieldOperation,
            link.operation
                .map_or(none.clone(), |o| o.method().to_owned()),
        ),
        (
            T::FieldSignedAt,
            link.signed_at.map_or(none.clone(), format::utc),
        ),
        (
            T::FieldExpiresAt,
            link.expires_at.map_or(none.clone(), format::utc),
        ),
        (
            T::FieldAccessKey,
            link.access_key_id.clone().unwrap_or_else(|| none.clone()),
        ),
        (T::FieldCredentials, credentials.to_owned()),
        (T::FieldToken, token),
        (
            T::FieldSignedHeaders,
            if link.signed_headers.is_empty() {
                none.clone()
            } else {
                link.signed_headers.join(", ")
            },
        ),
    ];
    egui::Grid::new("link-details")
        .num_columns(2)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for (label, value) in rows {
                ui.label(egui::RichText::new(tr(label)).strong());
                ui.add(egui::Label::new(value).wrap());
                ui.end_row();
                if label == T::FieldExpiresAt {
                    ui.label(egui::RichText::new(tr(T::FieldTimeLeft)).strong());
                    let (color, line) = expiry_line(ui, link, now);
                    ui.colored_label(color, line);
                    ui.end_row();
                }
            }
        });
}

fn serde_name<V: serde::Serialize>(value: &V) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
