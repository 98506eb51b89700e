//! The details panel, for support staff and testers: every decoded field of the link and what
//! it means, the choices a tester overrides, the request (and "Copy as curl"), and everything
//! the server answered.

use jiff::Timestamp;

use super::chrome::Chrome;
use super::session::{CheckState, RunState};
use super::{Command, WARN, copy_button_ui};
use crate::content_type::ContentTypeChoice;
use crate::diagnose::BodyFormat;
use crate::link::report::{detail_rows, summary_text, time_left};
use crate::link::{Finding, LinkError, Operation, PresignedLink, Severity};
use crate::present;
use crate::text::{T, fill, label_value, tr};
use crate::transfer::{Outcome, Plan, ResponseFacts};

/// A section with a heading, open unless the user closed it; the heading's response.
fn section(ui: &mut egui::Ui, title: T, add: impl FnOnce(&mut egui::Ui)) -> egui::Response {
    egui::CollapsingHeader::new(egui::RichText::new(tr(title)).strong())
        .id_salt(title.key())
        .default_open(true)
        .show(ui, add)
        .header_response
}

/// The link: findings, then every field.
pub fn link_section_ui(
    ui: &mut egui::Ui,
    link: &Result<PresignedLink, LinkError>,
    findings: &[Finding],
    now: Timestamp,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    section(ui, T::LinkSection, |ui| {
        let Ok(link) = link else {
            ui.weak(tr(T::LinkEmpty));
            return;
        };
        ui.horizontal_wrapped(|ui| {
            copy_button_ui(
                ui,
                tr(T::CopySummary),
                || summary_text(link, findings, now),
                false,
                chrome,
                commands,
            );
        });
        if !findings.is_empty() {
            ui.label(egui::RichText::new(tr(T::FindingsTitle)).strong());
            findings_ui(ui, findings);
            ui.add_space(6.0);
        }
        // Values wrap within the panel: the grid never grows past its edge.
        let value_width = (ui.available_width() * 0.62).max(120.0);
        egui::Grid::new("link-details")
            .max_col_width(value_width)
            .num_columns(2)
            .striped(true)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for (label, value) in detail_rows(link, now) {
                    ui.label(egui::RichText::new(tr(label)).strong());
                    if label == T::FieldTimeLeft {
                        let tone = present::verdict(link, now).tone;
                        ui.colored_label(super::tone_color(ui, tone), time_left(link, now));
                    } else {
                        ui.add(egui::Label::new(value).wrap());
                    }
                    ui.end_row();
                }
            });
    });
}

/// An upload form: its address and signer, each condition of its policy in plain words, the
/// fields no condition covers.
pub fn form_section_ui(
    ui: &mut egui::Ui,
    form: &crate::post::PostForm,
    now: Timestamp,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    use crate::post::report;
    section(ui, T::FormSection, |ui| {
        ui.horizontal_wrapped(|ui| {
            copy_button_ui(
                ui,
                tr(T::CopySummary),
                || report::summary_text(form, now),
                false,
                chrome,
                commands,
            );
        });
        let value_width = (ui.available_width() * 0.62).max(120.0);
        egui::Grid::new("form-details")
            .max_col_width(value_width)
            .num_columns(2)
            .striped(true)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for (label, value) in report::detail_rows(form, now) {
                    ui.label(egui::RichText::new(tr(label)).strong());
                    ui.add(egui::Label::new(value).wrap());
                    ui.end_row();
                }
            });
        if let Some(policy) = &form.policy {
            ui.label(egui::RichText::new(tr(T::FormConditions)).strong());
            for condition in &policy.conditions {
                ui.add(egui::Label::new(format!("• {}", report::condition_text(condition))).wrap());
            }
        } else {
            ui.weak(tr(T::FormNoPolicy));
        }
        for field in report::uncovered(form) {
            ui.colored_label(WARN, fill(T::ConditionUncovered, &[("field", &field)]));
        }
        ui.label(egui::RichText::new(tr(T::FormFields)).strong());
        for (name, value) in form.redacted_fields() {
            ui.add(
                egui::Label::new(egui::RichText::new(format!("{name} = {value}")).monospace())
                    .wrap(),
            );
        }
    });
}

/// A multipart set: where it uploads, the upload's id, its parts and how the chosen file is
/// cut into them, when its earliest link expires; then each link, redacted.
pub fn parts_section_ui(
    ui: &mut egui::Ui,
    set: &crate::link::parts::PartsSet,
    len: Option<u64>,
    now: Timestamp,
    board: Option<&super::session::PartsBoard>,
) {
    section(ui, T::PartsSection, |ui| {
        // While the parts go: which arrived, in part order.
        if let Some(board) = board {
            super::action_panel::parts_bar_ui(ui, board);
            ui.label(present::parts_progress_line(
                board.done(),
                board.total(),
                board.before,
            ));
            ui.add_space(4.0);
        }
        let value_width = (ui.available_width() * 0.62).max(120.0);
        egui::Grid::new("parts-details")
            .max_col_width(value_width)
            .num_columns(2)
            .striped(true)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for (label, value) in present::parts_rows(set, len, now) {
                    ui.label(egui::RichText::new(tr(label)).strong());
                    ui.add(egui::Label::new(value).wrap());
                    ui.end_row();
                }
            });
    });
}

/// "Check link": for a download link (or one that does not say), a `GET` of its first byte
/// proves it works; an upload link cannot be tried without writing, and the button says so.
pub fn check_section_ui(
    ui: &mut egui::Ui,
    link: &PresignedLink,
    check: &CheckState,
    commands: &mut Vec<Command>,
) {
    use crate::transfer::ProbeAnswer;
    ui.add_space(4.0);
    let upload = !present::check_sends_probe(link);
    ui.horizontal_wrapped(|ui| {
        let button = ui.add_enabled(
            !upload && !matches!(check, CheckState::Running),
            egui::Button::new(tr(T::CheckLinkButton)),
        );
        let button = if upload {
            button.on_disabled_hover_text(tr(T::CheckUploadInspectedOnly))
        } else {
            button.on_hover_text(tr(T::CheckLinkHint))
        };
        if button.clicked() {
            commands.push(Command::CheckLink);
        }
        if matches!(check, CheckState::Running) {
            ui.spinner();
        }
    });
    if upload {
        ui.weak(tr(T::CheckUploadInspectedOnly));
    }
    let CheckState::Done {
        answer, diagnosis, ..
    } = check
    else {
        return;
    };
    match (answer.as_ref(), diagnosis) {
        (Ok(ProbeAnswer::Accepted { size, response, .. }), _) => {
            ui.colored_label(
                super::GOOD,
                present::check_ok_line(link, *size, response.etag.as_deref()),
            );
        }
        (_, Some(diagnosis)) => {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(&diagnosis.title).color(ui.visuals().error_fg_color),
                )
                .wrap(),
            );
            if let Some(first) = diagnosis.causes.first() {
                ui.weak(fill(
                    T::CauseStrengthLine,
                    &[("strength", first.strength.text())],
                ));
            }
            ui.add(egui::Label::new(&diagnosis.explanation).wrap());
        }
        (Err(error), _) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        _ => {}
    }
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

/// What a tester overrides: the operation when the link states one, and the file type sent.
pub fn choices_ui(
    ui: &mut egui::Ui,
    link: &Result<PresignedLink, LinkError>,
    operation: Operation,
    content_type: &ContentTypeChoice,
    commands: &mut Vec<Command>,
) {
    if link.as_ref().is_ok_and(|l| l.operation.is_some()) {
        super::file_panel::operation_ui(
            ui,
            T::OperationOverride,
            [T::ModeUpload, T::ModeDownload],
            operation,
            Command::OperationOverridden,
            commands,
        );
    }
    if operation != Operation::Put {
        return;
    }
    section(ui, T::FileTypeLabel, |ui| {
        ui.add_enabled_ui(content_type.send_header, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(tr(T::ContentTypeLabel));
                let mut value = content_type.value.clone();
                let edited = ui
                    .add(
                        egui::TextEdit::singleline(&mut value)
                            .desired_width(f32::INFINITY)
                            .font(egui::TextStyle::Monospace),
                    )
                    .labelled_by(label.id)
                    .changed();
                if edited {
                    commands.push(Command::ContentTypeTyped(value));
                }
            });
        });
        let mut send_none = !content_type.send_header;
        if ui
            .checkbox(&mut send_none, tr(T::SendNoContentType))
            .changed()
        {
            commands.push(Command::SendNoContentType(send_none));
        }
    });
}

/// The request the button will send (or the one running): redacted, with "Copy as curl".
pub fn request_section_ui(
    ui: &mut egui::Ui,
    plan: Option<&Plan>,
    chrome: &Chrome,
    commands: &mut Vec<Command>,
) {
    section(ui, T::RequestSection, |ui| {
        let Some(plan) = plan else {
            ui.weak(tr(T::RequestNotReady));
            return;
        };
        ui.add(egui::Label::new(egui::RichText::new(plan.describe()).monospace()).wrap());
        ui.horizontal_wrapped(|ui| {
            copy_button_ui(
                ui,
                tr(T::CopyRequest),
                || plan.describe(),
                false,
                chrome,
                commands,
            );
        });
        ui.horizontal_wrapped(|ui| {
            copy_button_ui(
                ui,
                tr(T::CopyAsCurl),
                || present::curl_command(plan),
                true,
                chrome,
                commands,
            );
        });
    });
}

/// Everything the server answered to the last transfer; `reveal` scrolls it into view.
/// Returns whether its heading is in view.
pub fn answer_section_ui(
    ui: &mut egui::Ui,
    run: &RunState,
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
        return false;
    };
    let (status, facts) = match outcome {
        Outcome::Succeeded(success) => (success.status, &success.response),
        Outcome::Refused(refusal) => (refusal.status, &refusal.response),
        Outcome::Failed(_) | Outcome::Cancelled => return false,
    };
    let shown = section(ui, T::AnswerSection, |ui| {
        let download = plan.operation() == Operation::Get;
        if let Outcome::Refused(refusal) = outcome {
            let code = refusal.body.code.as_deref().unwrap_or(&refusal.reason);
            ui.label(fill(
                T::ServerRefused,
                &[("status", &status.to_string()), ("code", code)],
            ));
            if let Some(message) = &refusal.body.message {
                ui.add(egui::Label::new(message).wrap());
            } else if refusal.body.format == BodyFormat::Empty {
                ui.weak(tr(T::BodyEmpty));
            }
            // For testers: how sure the first cause is, and its id.
            if let Some(first) = explained.as_ref().and_then(|e| e.diagnosis.causes.first()) {
                ui.weak(format!(
                    "{} · {}",
                    fill(T::CauseStrengthLine, &[("strength", first.strength.text())],),
                    first.id.as_str()
                ));
            }
        }
        facts_ui(
            ui,
            status,
            facts,
            download && matches!(outcome, Outcome::Succeeded(_)),
        );
        if let Outcome::Succeeded(success) = outcome {
            ui.label(success.verification.describe());
            if let Some(line) = present::connections_line(success) {
                ui.label(line);
            }
        }
        if let Some(explained) = explained {
            other_causes_ui(ui, &explained.diagnosis);
        }
        if let (Outcome::Refused(refusal), Some(explained)) = (outcome, explained) {
            ui.label(egui::RichText::new(tr(T::ErrorDetails)).strong());
            // Kept with the explanation and cut to a readable length: a server's answer may
            // be a megabyte of text, never laid out every frame.
            ui.add(egui::Label::new(egui::RichText::new(&explained.readable).monospace()).wrap());
            egui::CollapsingHeader::new(tr(T::RawBody)).show(ui, |ui| {
                let raw = &refusal.body.text;
                let shown = &raw[..raw.floor_char_boundary(present::ANSWER_SHOWN_BYTES)];
                ui.add(egui::Label::new(egui::RichText::new(shown).monospace()).wrap());
            });
        }
        ui.horizontal_wrapped(|ui| {
            copy_button_ui(
                ui,
                tr(T::CopyDetails),
                || present::ticket(plan, outcome),
                false,
                chrome,
                commands,
            );
        });
    });
    // A panel's first pass only measures: nothing is in view until a real pass says so.
    let visible = !ui.is_sizing_pass() && ui.clip_rect().contains_rect(shown.rect);
    if reveal && !visible {
        shown.scroll_to_me(Some(egui::Align::TOP));
    }
    visible
}

/// The causes after the first, each with how sure it is, why, and its first step.
pub(super) fn other_causes_ui(ui: &mut egui::Ui, diagnosis: &crate::diagnose::Diagnosis) {
    if diagnosis.causes.len() < 2 {
        return;
    }
    ui.label(egui::RichText::new(tr(T::OtherCauses)).strong());
    for cause in &diagnosis.causes[1..] {
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("• {} ({})", cause.title, cause.strength.text()))
                    .strong(),
            )
            .wrap(),
        );
        ui.add(egui::Label::new(&cause.text).wrap());
        if let Some(action) = cause.actions.first() {
            ui.add(egui::Label::new(label_value(T::WhatToDo, action)).wrap());
        }
    }
}

/// The response's facts; `object` adds the type and length, which describe the object only
/// in a download's answer.
fn facts_ui(ui: &mut egui::Ui, status: u16, facts: &ResponseFacts, object: bool) {
    let value_width = (ui.available_width() * 0.62).max(120.0);
    egui::Grid::new("response-facts")
        .max_col_width(value_width)
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (label, value) in present::fact_rows(status, facts, object) {
                ui.label(egui::RichText::new(tr(label)).strong());
                ui.add(egui::Label::new(egui::RichText::new(value).monospace()).wrap());
                ui.end_row();
            }
        });
}
