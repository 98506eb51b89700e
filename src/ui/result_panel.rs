//! The result card: what a person trusts on success, the explainer's title and what to do on a
//! refusal. The server's full answer lives in the details panel.

use super::state::{Explained, RunState};
use super::{Command, GOOD};
use crate::present;
use crate::text::{T, tr};
use crate::transfer::{Outcome, Plan, Success};

/// The result of the last transfer, and a note after an action ("Copied."); `reveal` scrolls
/// the card into view (it has just arrived). Returns whether the whole card is in view.
pub fn result_ui(
    ui: &mut egui::Ui,
    run: &RunState,
    notice: Option<&str>,
    reveal: bool,
    commands: &mut Vec<Command>,
) -> bool {
    let mut in_view = true;
    if let RunState::Finished {
        outcome,
        plan,
        explained,
    } = run
    {
        ui.add_space(12.0);
        let card = egui::Frame::group(ui.style())
            .inner_margin(14.0)
            .corner_radius(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                match outcome {
                    Outcome::Succeeded(success) => success_ui(ui, plan, success),
                    Outcome::Refused(_) => {
                        if let Some(explained) = explained {
                            refusal_ui(ui, explained, commands);
                        }
                    }
                    Outcome::Failed(error) => {
                        title_ui(ui, tr(T::TransferFailed), ui.visuals().error_fg_color);
                        ui.add(egui::Label::new(error.to_string()).wrap());
                        ui.add_space(4.0);
                        if ui.button(tr(T::TryAgain)).clicked() {
                            commands.push(Command::Start);
                        }
                    }
                    Outcome::Cancelled => {
                        let id = match plan.operation() {
                            crate::link::Operation::Put => T::CancelledUpload,
                            crate::link::Operation::Get => T::CancelledDownload,
                        };
                        ui.label(egui::RichText::new(tr(id)).size(16.0));
                    }
                }
            });
        in_view = !ui.is_sizing_pass() && ui.clip_rect().contains_rect(card.response.rect);
        if reveal && !in_view {
            card.response.scroll_to_me(Some(egui::Align::Max));
        }
    }
    if let Some(notice) = notice {
        ui.weak(notice);
    }
    in_view
}

fn title_ui(ui: &mut egui::Ui, text: &str, color: egui::Color32) {
    ui.add(egui::Label::new(egui::RichText::new(text).color(color).size(18.0).strong()).wrap());
}

fn success_ui(ui: &mut egui::Ui, plan: &Plan, success: &Success) {
    title_ui(ui, &present::success_title(plan, success), GOOD);
    let (verified, sentence) =
        present::verification_sentence(plan.operation(), &success.verification);
    let color = if verified {
        GOOD
    } else {
        ui.visuals().weak_text_color()
    };
    ui.colored_label(color, sentence);
    if let Some(path) = &success.saved_to {
        ui.label(crate::text::fill(
            T::SavedTo,
            &[("path", &path.display().to_string())],
        ));
    }
}

/// The failure card: the most likely cause first, what to do, what to ask for.
fn refusal_ui(ui: &mut egui::Ui, explained: &Explained, commands: &mut Vec<Command>) {
    let diagnosis = &explained.diagnosis;
    title_ui(ui, &diagnosis.title, ui.visuals().error_fg_color);
    if let Some(first) = diagnosis.causes.first() {
        ui.weak(crate::text::fill(
            T::CauseStrengthLine,
            &[("strength", first.strength.text())],
        ));
    }
    ui.add(egui::Label::new(&diagnosis.explanation).wrap());
    ui.add_space(4.0);
    let ask_heading = match diagnosis.ask_whom {
        crate::diagnose::Whom::Operator => T::WhatToAskOperator,
        _ => T::WhatToAsk,
    };
    for (heading, text) in [
        (T::WhatToDo, diagnosis.actions.join(" ")),
        (ask_heading, diagnosis.ask.clone()),
    ] {
        if text.is_empty() {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(crate::text::heading(heading)).strong());
            ui.label(text);
        });
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if let Some(fix) = &diagnosis.fix
            && ui.button(fix.label()).clicked()
        {
            commands.push(Command::ApplyFix(fix.clone()));
        }
        let copy_label = match diagnosis.ask_whom {
            crate::diagnose::Whom::Operator => T::CopyForOperator,
            _ => T::CopyForCreator,
        };
        if ui.button(tr(copy_label)).clicked() {
            commands.push(Command::Copy(explained.creator_message.clone()));
        }
        if ui.button(tr(T::TryAgain)).clicked() {
            commands.push(Command::Start);
        }
        if ui.button(tr(T::ShowServerAnswer)).clicked() {
            commands.push(Command::ShowAnswer);
        }
    });
}
