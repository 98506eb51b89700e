//! "Link details": every decoded field of the link, for support staff.

use jiff::Timestamp;

use super::link_panel::expiry_line;
use crate::format;
use crate::link::{
    Addressing, CredentialKind, LinkError, PresignedLink, Provider, SignatureScheme,
};
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
        SignatureScheme::AwsSigV4 => T::SchemeAwsV4,
        SignatureScheme::AwsSigV2 => T::SchemeAwsV2,
        SignatureScheme::GcsV4 => T::SchemeGcsV4,
        SignatureScheme::GcsV2 => T::SchemeGcsV2,
        SignatureScheme::AzureSas => T::SchemeAzure,
        SignatureScheme::Unsigned => T::SchemeNone,
    };
    let provider = match link.provider {
        Provider::Aws => T::ProviderAws,
        Provider::S3Compatible => T::ProviderS3Compatible,
        Provider::Gcs => T::ProviderGcs,
        Provider::Azure => T::ProviderAzure,
        Provider::Unknown => T::ProviderUnknown,
    };
    let addressing = match link.addressing {
        Addressing::VirtualHosted => T::AddressingVirtual,
        Addressing::Path => T::AddressingPath,
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
        (T::FieldScheme, tr(scheme).to_owned()),
        (T::FieldProvider, tr(provider).to_owned()),
        (T::FieldHost, link.host()),
        (T::FieldAddressing, tr(addressing).to_owned()),
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
