//! "Explain a server's answer", for support staff handed an error from a mail, a ticket or a
//! terminal: paste it (and its status, when known) and read what it means for the link or form
//! in the window, in the same words a refusal of the window's own transfer gets. Nothing is
//! sent. The reading is [`crate::diagnose::pasted`]'s; this only draws it.

use super::chrome::Chrome;
use super::session::{PastedResult, PastedState};
use super::{Command, copy_button_ui};
use crate::diagnose::explanation_text;
use crate::diagnose::pasted::PasteProblem;
use crate::text::{T, fill, tr};

/// The most of a pasted answer the field takes: what the explainer reads of a body.
const PASTED_MAX_CHARS: usize = crate::diagnose::MAX_ERROR_BODY_BYTES;

/// The section: closed until opened (most people never need it), then the field, the status,
/// the buttons and what the answer means.
pub fn pasted_section_ui(
    ui: &mut egui::Ui,
    pasted: &PastedState,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    let shown = egui::CollapsingHeader::new(egui::RichText::new(tr(T::PastedSection)).strong())
        .id_salt(T::PastedSection.key())
        .default_open(false)
        .show(ui, |ui| {
            ui.add(egui::Label::new(egui::RichText::new(tr(T::PastedHint)).weak()).wrap());
            input_ui(ui, pasted, commands);
            match &pasted.result {
                None => {}
                Some(PastedResult::Unreadable(problem)) => {
                    let text = match problem {
                        PasteProblem::Empty => tr(T::PastedEmpty).to_owned(),
                        PasteProblem::Status(typed) => {
                            fill(T::PastedBadStatus, &[("status", typed)])
                        }
                    };
                    ui.colored_label(ui.visuals().error_fg_color, text);
                }
                Some(PastedResult::Explained(explained)) => {
                    let reading = &explained.reading;
                    ui.add_space(6.0);
                    for line in &reading.context {
                        ui.add(egui::Label::new(egui::RichText::new(line).weak()).wrap());
                    }
                    super::result_panel::diagnosis_ui(ui, &reading.diagnosis);
                    super::details_panel::other_causes_ui(ui, &reading.diagnosis);
                    ui.add_space(4.0);
                    ui.horizontal_wrapped(|ui| {
                        copy_button_ui(
                            ui,
                            tr(T::CopyExplanation),
                            || explanation_text(&reading.diagnosis),
                            false,
                            chrome,
                            commands,
                        );
                        super::result_panel::creator_copy_ui(
                            ui,
                            &reading.diagnosis,
                            &reading.creator_message,
                            chrome,
                            commands,
                        );
                    });
                    egui::CollapsingHeader::new(tr(T::ErrorDetails))
                        .id_salt("pasted-readable")
                        .show(ui, |ui| {
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(&explained.readable).monospace(),
                                )
                                .wrap(),
                            );
                        });
                }
            }
        });
    super::report_control(ui, tr(T::PastedSection), &shown.header_response);
}

/// The answer's field, its status, "Explain" and "Clear".
fn input_ui(ui: &mut egui::Ui, pasted: &PastedState, commands: &mut Vec<Command>) {
    let label = ui.label(tr(T::PastedBodyLabel));
    let mut text = pasted.text.clone();
    let field = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(5)
                .desired_width(f32::INFINITY)
                .char_limit(PASTED_MAX_CHARS)
                .hint_text("<Error><Code>…</Code>…</Error>")
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
    super::report_control(ui, tr(T::PastedBodyLabel), &field);
    if field.changed() {
        commands.push(Command::PastedAnswerTyped(text));
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr(T::PastedStatusLabel));
        let mut status = pasted.status.clone();
        let typed = ui
            .add(egui::TextEdit::singleline(&mut status).desired_width(48.0))
            .labelled_by(label.id);
        if typed.changed() {
            commands.push(Command::PastedStatusTyped(status));
        }
        let entered = typed.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let explain = ui.button(tr(T::PastedExplain));
        super::report_control(ui, tr(T::PastedExplain), &explain);
        if explain.clicked() || entered {
            commands.push(Command::ExplainPasted);
        }
        if (!pasted.text.is_empty() || !pasted.status.is_empty() || pasted.result.is_some())
            && ui.button(tr(T::PastedClear)).clicked()
        {
            commands.push(Command::ClearPasted);
        }
    });
}
