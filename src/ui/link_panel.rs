//! The link field, its Paste button, and what the link says in one sentence.

use jiff::Timestamp;

use super::{Command, report_control, tone_color};
use crate::link::LinkError;
use crate::present;
use crate::text::{T, tr};

/// The link field and its verdict.
pub fn link_ui(
    ui: &mut egui::Ui,
    form: &super::form::Form,
    list: Option<String>,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    let text = form.link_text.as_str();
    let link = &form.link;
    let post = form.post.as_ref();
    let parts = form.parts.as_ref();
    let label = ui
        .horizontal(|ui| {
            let label = ui.label(egui::RichText::new(tr(T::LinkLabel)).strong().size(16.0));
            let paste = ui.button(tr(T::PasteLink));
            report_control(ui, tr(T::PasteLink), &paste);
            if paste.clicked() {
                commands.push(Command::PasteLink);
            }
            label
        })
        .inner;
    // A list of links: how many, and how many cannot work; the rows and the table show each,
    // and the field, which would lay out every link of the list each frame, gives way.
    if let Some(summary) = list {
        ui.horizontal_wrapped(|ui| {
            ui.add(egui::Label::new(egui::RichText::new(summary).size(16.0)).wrap());
            let clear = ui.button(tr(T::QueueClearList));
            report_control(ui, tr(T::QueueClearList), &clear);
            if clear.clicked() {
                commands.push(Command::LinkTyped(String::new()));
            }
        });
        return;
    }
    // A long link scrolls inside its field rather than pushing the rest off the screen.
    let mut text = text.to_owned();
    let response = egui::ScrollArea::vertical()
        .id_salt("link-field")
        .max_height(66.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .hint_text(tr(T::LinkHint))
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace)
                    // Enter starts the transfer; a line break inside a link is never wanted.
                    .return_key(Some(egui::KeyboardShortcut::new(
                        egui::Modifiers::SHIFT,
                        egui::Key::Enter,
                    ))),
            )
            .labelled_by(label.id)
        })
        .inner;
    report_control(ui, tr(T::LinkLabel), &response);
    if response.changed() {
        commands.push(Command::LinkTyped(text));
    }
    match parts {
        Some(Ok(set)) => {
            verdict_ui(ui, present::parts_verdict(set, now));
            return;
        }
        Some(Err(problem)) => {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(problem.to_string()).color(ui.visuals().error_fg_color),
                )
                .wrap(),
            );
            return;
        }
        None => {}
    }
    match post {
        Some(Ok(form)) => {
            verdict_ui(ui, crate::post::report::verdict(form, now));
            return;
        }
        Some(Err(error)) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
            return;
        }
        None => {}
    }
    match link {
        Err(LinkError::Empty) => {
            ui.weak(tr(T::LinkEmpty));
        }
        Err(error) => {
            ui.colored_label(ui.visuals().error_fg_color, error.to_string());
        }
        Ok(link) => {
            verdict_ui(ui, present::verdict(link, now));
        }
    }
}

/// What the field holds, in one sentence coloured by how it stands.
fn verdict_ui(ui: &mut egui::Ui, verdict: crate::view::Verdict) {
    ui.add(
        egui::Label::new(
            egui::RichText::new(verdict.text)
                .size(16.0)
                .color(tone_color(ui, verdict.tone)),
        )
        .wrap(),
    );
}
