//! The result card: what a person trusts on success, with the next step; on a refusal, the
//! first cause in plain words, what to do and whom to ask, and the one fix that can help. The
//! server's full answer lives in the details.

use super::chrome::Chrome;
use super::session::{Explained, RunState};
use super::{Command, GOOD, copy_button_ui, primary_button};
use crate::diagnose::Whom;
use crate::link::Operation;
use crate::present;
use crate::text::{T, fill, heading, tr};
use crate::transfer::{Outcome, Plan, Success};

/// The result of the last transfer; `reveal` scrolls the card into view (it has just
/// arrived). Returns whether the whole card is in view.
pub fn result_ui(
    ui: &mut egui::Ui,
    run: &RunState,
    abort: &super::session::AbortState,
    chrome: &Chrome,
    reveal: bool,
    commands: &mut Vec<Command>,
) -> bool {
    let RunState::Finished {
        outcome,
        plan,
        explained,
    } = run
    else {
        return true;
    };
    ui.add_space(10.0);
    let card = egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            match outcome {
                Outcome::Succeeded(success) => success_ui(ui, plan, success, commands),
                Outcome::Refused(_) => {
                    if let Some(explained) = explained {
                        refusal_ui(ui, explained, chrome, commands);
                    }
                }
                Outcome::Failed(error) => {
                    title_ui(ui, tr(T::TransferFailed), ui.visuals().error_fg_color);
                    ui.add(egui::Label::new(error.to_string()).wrap());
                    if crate::diagnose::retry_can_help(outcome, None) {
                        ui.add_space(4.0);
                        if ui.button(tr(T::TryAgain)).clicked() {
                            commands.push(Command::Start);
                        }
                    }
                }
                Outcome::Cancelled => {
                    let id = match plan.operation() {
                        // The parts that arrived stay on the storage, and in the record.
                        _ if plan.sent_in_parts() => T::CancelledParts,
                        Operation::Put => T::CancelledUpload,
                        Operation::Get => T::CancelledDownload,
                    };
                    if id == T::CancelledParts {
                        cancelled_parts_ui(ui, plan, abort, commands);
                    } else {
                        ui.add(egui::Label::new(egui::RichText::new(tr(id)).size(16.0)).wrap());
                    }
                }
            }
        });
    let in_view = !ui.is_sizing_pass() && ui.clip_rect().contains_rect(card.response.rect);
    if reveal && !in_view {
        // Just enough to bring the card into view: the link above stays as far as it can.
        card.response.scroll_to_me(None);
    }
    in_view
}

/// A cancelled upload in parts: what arrived is kept to go on with; with an abort link, the
/// choice to remove it from the storage instead.
fn cancelled_parts_ui(
    ui: &mut egui::Ui,
    plan: &Plan,
    abort: &super::session::AbortState,
    commands: &mut Vec<Command>,
) {
    use super::session::AbortState;
    let big = |ui: &mut egui::Ui, text: &str| {
        ui.add(egui::Label::new(egui::RichText::new(text).size(16.0)).wrap());
    };
    if *abort == AbortState::Done {
        big(ui, tr(T::UploadAbortedOnStorage));
        return;
    }
    big(ui, tr(T::CancelledParts));
    let can_abort = matches!(&plan.payload,
        crate::transfer::Payload::Parts { set, .. } if set.abort.is_some());
    if !can_abort {
        return;
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let running = *abort == AbortState::Running;
        if ui
            .add_enabled(!running, egui::Button::new(tr(T::AbortUploadButton)))
            .on_hover_text(tr(T::AbortUploadHint))
            .clicked()
        {
            commands.push(Command::AbortUpload);
        }
        if running {
            ui.weak(tr(T::AbortUploadRunning));
        }
    });
    if let AbortState::Failed(why) = abort {
        ui.colored_label(
            ui.visuals().error_fg_color,
            fill(T::AbortUploadFailed, &[("reason", why)]),
        );
    }
}

fn title_ui(ui: &mut egui::Ui, text: &str, color: egui::Color32) {
    ui.add(egui::Label::new(egui::RichText::new(text).color(color).size(18.0).strong()).wrap());
}

fn success_ui(ui: &mut egui::Ui, plan: &Plan, success: &Success, commands: &mut Vec<Command>) {
    title_ui(ui, &present::success_title(plan, success), GOOD);
    let (verified, sentence) =
        present::verification_sentence(plan.operation(), &success.verification);
    let color = if verified {
        GOOD
    } else {
        ui.visuals().weak_text_color()
    };
    ui.add(egui::Label::new(egui::RichText::new(sentence).color(color)).wrap());
    for note in present::upload_notes(plan, success) {
        ui.add(egui::Label::new(note).wrap());
    }
    if let Some(path) = &success.saved_to {
        ui.add(egui::Label::new(fill(T::SavedTo, &[("path", &path.display().to_string())])).wrap());
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            if ui.add(primary_button(ui, tr(T::OpenFile), 15.0)).clicked() {
                commands.push(Command::OpenFile(path.clone()));
            }
            if ui.button(tr(T::ShowInFolder)).clicked() {
                commands.push(Command::ShowInFolder(path.clone()));
            }
        });
    }
}

/// A refusal in words: the first cause as a title, what it rests on, why, what to do and whom
/// to ask for what.
pub(super) fn diagnosis_ui(ui: &mut egui::Ui, diagnosis: &crate::diagnose::Diagnosis) {
    title_ui(ui, &diagnosis.title, ui.visuals().error_fg_color);
    if let Some(basis) = diagnosis
        .causes
        .first()
        .and_then(crate::diagnose::basis_text)
    {
        ui.weak(basis);
    }
    ui.add(egui::Label::new(&diagnosis.explanation).wrap());
    ui.add_space(4.0);
    let ask_heading = match diagnosis.ask_whom {
        Whom::Operator => T::WhatToAskOperator,
        _ => T::WhatToAsk,
    };
    for (label, text) in [
        (T::WhatToDo, diagnosis.actions.join(" ")),
        (ask_heading, diagnosis.ask.clone()),
    ] {
        if text.is_empty() {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(heading(label)).strong());
            ui.label(text);
        });
    }
}

/// "Copy message for the link's creator" (or the storage's operator), when someone can help.
pub(super) fn creator_copy_ui(
    ui: &mut egui::Ui,
    diagnosis: &crate::diagnose::Diagnosis,
    message: &str,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    let label = match diagnosis.ask_whom {
        Whom::Nobody => return,
        Whom::Operator => T::CopyForOperator,
        Whom::Creator => T::CopyForCreator,
    };
    copy_button_ui(
        ui,
        tr(label),
        || message.to_owned(),
        false,
        chrome,
        commands,
    );
}

/// The failure card: the first cause in plain words, what to do, whom to ask for what.
fn refusal_ui(
    ui: &mut egui::Ui,
    explained: &Explained,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    let diagnosis = &explained.diagnosis;
    diagnosis_ui(ui, diagnosis);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        // A real fix is the one thing to press.
        if let Some(fix) = &diagnosis.fix
            && ui.add(primary_button(ui, &fix.label(), 15.0)).clicked()
        {
            commands.push(Command::ApplyFix(fix.clone()));
        }
        creator_copy_ui(ui, diagnosis, &explained.creator_message, chrome, commands);
        if explained.retry_can_help && ui.button(tr(T::TryAgain)).clicked() {
            commands.push(Command::Start);
        }
        if ui.button(tr(T::ShowServerAnswer)).clicked() {
            commands.push(Command::ShowAnswer);
        }
    });
}
