//! The big button, the progress of a running transfer, and the result card.

use super::Command;
use super::app::{Explained, RunState};
use super::link_panel::GOOD;
use crate::cli::progress_line;
use crate::diagnose::BodyFormat;
use crate::link::Operation;
use crate::prepare::Blocker;
use crate::text::{T, fill, tr};
use crate::transfer::{Outcome, Plan, Refusal, ResponseFacts, Verification};
use crate::{diagnose, format};

/// The Upload/Download button, or the progress and Cancel while running.
pub fn action_ui(
    ui: &mut egui::Ui,
    operation: Operation,
    readiness: &Result<Plan, Blocker>,
    expired: bool,
    send_expired: &mut bool,
    run: &RunState,
    commands: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    if let RunState::Running {
        cancel, progress, ..
    } = run
    {
        let fraction = progress.as_ref().and_then(|p| p.fraction()).unwrap_or(0.0);
        ui.add(
            egui::ProgressBar::new(fraction)
                .show_percentage()
                .animate(true),
        );
        if let Some(progress) = progress {
            ui.label(progress_line(progress));
        }
        let cancelling = cancel.is_cancelled();
        let label = if cancelling {
            tr(T::Cancelling)
        } else {
            tr(T::Cancel)
        };
        if ui
            .add_enabled(!cancelling, egui::Button::new(label))
            .clicked()
        {
            commands.push(Command::Cancel);
        }
        return;
    }
    let label = match operation {
        Operation::Put => tr(T::Upload),
        Operation::Get => tr(T::Download),
    };
    let button = egui::Button::new(egui::RichText::new(label).size(20.0).strong())
        .min_size(egui::vec2(220.0, 44.0));
    if ui.add_enabled(readiness.is_ok(), button).clicked() {
        commands.push(Command::Start);
    }
    // Problems with the link, the file or the folder show where they are; the button only
    // explains what shows nowhere else.
    if let Err(blocker @ (Blocker::Expired | Blocker::NoFile | Blocker::NoName)) = readiness {
        ui.weak(blocker.message());
    }
    if expired {
        ui.checkbox(send_expired, tr(T::SendAnyway));
    }
}

/// The result of the last transfer.
pub fn outcome_ui(
    ui: &mut egui::Ui,
    run: &RunState,
    notice: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let RunState::Finished {
        outcome,
        plan,
        explained,
    } = run
    else {
        return;
    };
    ui.add_space(10.0);
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            match outcome {
                Outcome::Succeeded(success) => {
                    let id = match plan.operation() {
                        Operation::Put => T::Uploaded,
                        Operation::Get => T::Downloaded,
                    };
                    let title = fill(
                        id,
                        &[
                            ("size", &format::bytes(success.bytes)),
                            ("time", &format::duration(success.elapsed)),
                        ],
                    );
                    ui.label(egui::RichText::new(title).color(GOOD).size(18.0).strong());
                    if let Some(path) = &success.saved_to {
                        ui.label(fill(T::SavedTo, &[("path", &path.display().to_string())]));
                    }
                    let verified = matches!(success.verification, Verification::Verified(_));
                    let color = if verified {
                        GOOD
                    } else {
                        ui.visuals().weak_text_color()
                    };
                    ui.colored_label(color, success.verification.describe());
                    let download = plan.operation() == Operation::Get;
                    facts_ui(ui, success.status, &success.response, download);
                    if ui.button(tr(T::CopyDetails)).clicked() {
                        commands.push(Command::Copy(success_report(plan, success)));
                    }
                }
                Outcome::Refused(refusal) => {
                    if let Some(explained) = explained {
                        refusal_ui(ui, refusal, explained, plan, commands);
                    }
                }
                Outcome::Failed(error) => {
                    ui.label(
                        egui::RichText::new(tr(T::TransferFailed))
                            .color(ui.visuals().error_fg_color)
                            .size(18.0)
                            .strong(),
                    );
                    ui.label(error.to_string());
                    request_ui(ui, plan, commands);
                    if ui.button(tr(T::TryAgain)).clicked() {
                        commands.push(Command::Start);
                    }
                }
                Outcome::Cancelled => {
                    let id = match plan.operation() {
                        Operation::Put => T::CancelledUpload,
                        Operation::Get => T::CancelledDownload,
                    };
                    ui.label(egui::RichText::new(tr(id)).size(16.0));
                }
            }
            if let Some(notice) = notice {
                ui.weak(notice);
            }
        });
}

/// The failure card: the most likely cause first, what to do, what to ask for, and the rest
/// behind "Show details".
fn refusal_ui(
    ui: &mut egui::Ui,
    refusal: &Refusal,
    explained: &Explained,
    plan: &Plan,
    commands: &mut Vec<Command>,
) {
    let diagnosis = &explained.diagnosis;
    ui.label(
        egui::RichText::new(&diagnosis.title)
            .color(ui.visuals().error_fg_color)
            .size(18.0)
            .strong(),
    );
    ui.add(egui::Label::new(&diagnosis.explanation).wrap());
    ui.add_space(4.0);
    for (heading, text) in [
        (T::WhatToDo, diagnosis.actions.join(" ")),
        (T::WhatToAsk, diagnosis.ask.clone()),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(format!("{}:", tr(heading))).strong());
            ui.label(text);
        });
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if let Some(fix) = &diagnosis.fix
            && ui.button(fix.label()).clicked()
        {
            commands.push(Command::ApplyFix(fix.clone()));
        }
        if ui.button(tr(T::CopyForCreator)).clicked() {
            commands.push(Command::Copy(explained.creator_message.clone()));
        }
        if ui.button(tr(T::TryAgain)).clicked() {
            commands.push(Command::Start);
        }
    });
    egui::CollapsingHeader::new(tr(T::ShowDetails)).show(ui, |ui| {
        let code = refusal.body.code.as_deref().unwrap_or(&refusal.reason);
        ui.label(fill(
            T::ServerRefused,
            &[("status", &refusal.status.to_string()), ("code", code)],
        ));
        if let Some(message) = &refusal.body.message {
            ui.label(message);
        } else if refusal.body.format == BodyFormat::Empty {
            ui.weak(tr(T::BodyEmpty));
        }
        facts_ui(ui, refusal.status, &refusal.response, false);
        if diagnosis.causes.len() > 1 {
            ui.label(egui::RichText::new(tr(T::OtherCauses)).strong());
            for cause in &diagnosis.causes[1..] {
                ui.add(egui::Label::new(format!("• {}", cause.text)).wrap());
            }
        }
        ui.label(egui::RichText::new(tr(T::ErrorDetails)).strong());
        ui.add(
            egui::Label::new(egui::RichText::new(diagnose::readable(&refusal.body)).monospace())
                .wrap(),
        );
        request_ui(ui, plan, commands);
        egui::CollapsingHeader::new(tr(T::RawBody)).show(ui, |ui| {
            ui.add(egui::Label::new(egui::RichText::new(&refusal.body.text).monospace()).wrap());
        });
    });
}

/// The response's facts; `object` adds the type and length, which describe the object only
/// in a download's answer.
fn facts_ui(ui: &mut egui::Ui, status: u16, facts: &ResponseFacts, object: bool) {
    egui::Grid::new("response-facts")
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (label, value) in fact_rows(status, facts, object) {
                ui.label(egui::RichText::new(tr(label)).strong());
                ui.add(egui::Label::new(egui::RichText::new(value).monospace()).wrap());
                ui.end_row();
            }
        });
}

fn fact_rows(status: u16, facts: &ResponseFacts, object: bool) -> Vec<(T, String)> {
    let mut rows = vec![(T::Status, status.to_string())];
    if object && let Some(kind) = &facts.content_type {
        rows.push((T::ContentTypeLabel, kind.clone()));
    }
    if object && let Some(len) = facts.content_length {
        rows.push((T::ContentLength, format!("{len} ({})", format::bytes(len))));
    }
    let optional = [
        (T::ETag, &facts.etag),
        (T::VersionId, &facts.version_id),
        (T::RequestId, &facts.request_id),
        (T::HostId, &facts.host_id),
        (T::ServerDate, &facts.date),
        (T::Location, &facts.location),
    ];
    rows.extend(
        optional
            .into_iter()
            .filter_map(|(label, value)| value.clone().map(|v| (label, v))),
    );
    rows
}

fn request_ui(ui: &mut egui::Ui, plan: &Plan, commands: &mut Vec<Command>) {
    egui::CollapsingHeader::new(tr(T::RequestSent)).show(ui, |ui| {
        ui.add(egui::Label::new(egui::RichText::new(plan.describe()).monospace()).wrap());
        if ui.button(tr(T::CopyRequest)).clicked() {
            commands.push(Command::Copy(plan.describe()));
        }
    });
}

fn success_report(plan: &Plan, success: &crate::transfer::Success) -> String {
    let mut out = plan.describe();
    out.push_str(&success.verification.describe());
    out.push('\n');
    let download = plan.operation() == Operation::Get;
    for (label, value) in fact_rows(success.status, &success.response, download) {
        out.push_str(&format!("{}: {value}\n", tr(label)));
    }
    out
}
