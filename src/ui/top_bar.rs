//! The bar across the top: the app's name, the language, the colours, the details switch; and
//! the question asked when the window is closed during a transfer.

use super::Command;
use crate::settings::{Settings, Theme};
use crate::text::{Language, T, tr};

/// The top bar: the name on the left; the language, the appearance and the details switch on
/// the right, laid out left to right so that Tab reaches them in the order they are read. Their
/// width is remembered from the frame before to place them at the right edge.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    language: Language,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(tr(T::AppTitle));
        let width_id = ui.scope_id().with("top-bar-controls");
        let remembered: f32 = ui.data(|d| d.get_temp(width_id)).unwrap_or(0.0);
        let gap = (ui.available_width() - remembered).max(ui.spacing().item_spacing.x);
        ui.add_space(gap);
        let controls = ui.horizontal(|ui| controls_ui(ui, settings, language, commands));
        let width = controls.response.rect.width();
        if (width - remembered).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(width_id, width));
            ui.ctx()
                .request_discard("the top bar's controls changed width");
        }
    });
    ui.add_space(2.0);
}

fn controls_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    language: Language,
    commands: &mut Vec<Command>,
) {
    let label = ui.label(tr(T::LanguageLabel));
    let mut chosen = language;
    egui::ComboBox::from_id_salt("language")
        .selected_text(language.name())
        .show_ui(ui, |ui| {
            for option in Language::all() {
                ui.selectable_value(&mut chosen, option, option.name());
            }
        })
        .response
        .labelled_by(label.id);
    if chosen != language {
        commands.push(Command::LanguageChosen(chosen));
    }
    ui.add_space(8.0);
    let label = ui.label(tr(T::ThemeLabel));
    let mut theme = settings.theme;
    egui::ComboBox::from_id_salt("theme")
        .selected_text(theme_name(theme))
        .show_ui(ui, |ui| {
            for choice in [Theme::System, Theme::Light, Theme::Dark] {
                ui.selectable_value(&mut theme, choice, theme_name(choice));
            }
        })
        .response
        .labelled_by(label.id);
    if theme != settings.theme {
        commands.push(Command::ThemeChosen(theme));
    }
    ui.separator();
    let details = ui.selectable_label(settings.show_details, tr(T::DetailsToggle));
    if details.clicked() {
        commands.push(Command::ToggleDetails);
    }
}

fn theme_name(theme: Theme) -> &'static str {
    tr(match theme {
        Theme::System => T::ThemeSystem,
        Theme::Light => T::ThemeLight,
        Theme::Dark => T::ThemeDark,
    })
}

/// Asks whether to cancel the running transfer and close.
pub fn close_dialog_ui(ctx: &egui::Context, commands: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("close-while-running")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(tr(T::CloseWhileRunningTitle));
        ui.label(tr(T::CloseWhileRunning));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(tr(T::KeepRunning)).clicked() {
                commands.push(Command::KeepOpen);
            }
            if ui.button(tr(T::CloseAnyway)).clicked() {
                commands.push(Command::CloseAndCancel);
            }
        });
    });
}
