//! The one big button named for the action and the file, and what stops it; while running, the
//! progress and Cancel; once done, the next step.

use super::session::{RetryNotice, RunState};
use super::{Command, primary_button, report_control};
use crate::link::Operation;
use crate::prepare::Blocker;
use crate::present;
use crate::text::{T, tr};
use crate::transfer::Plan;

/// What the button area shows.
pub struct Action<'a> {
    /// Upload or download.
    pub operation: Operation,
    /// The button's label (`Upload 見積.csv`).
    pub label: String,
    /// Whether the inputs make a request.
    pub readiness: &'a Result<Plan, Blocker>,
    /// The tester chose to send a link that cannot work as it is.
    pub send_anyway: bool,
    /// The last transfer of this form succeeded and nothing changed since.
    pub done: bool,
}

/// The button, or the progress and Cancel while running, or the next step once done.
pub fn action_ui(
    ui: &mut egui::Ui,
    action: &Action<'_>,
    run: &RunState,
    commands: &mut Vec<Command>,
) {
    if let RunState::Running {
        cancel,
        progress,
        retry,
        parts,
        ..
    } = run
    {
        let fraction = progress.as_ref().and_then(|p| p.fraction()).unwrap_or(0.0);
        // No animation: it would redraw the window every frame for nothing new. The line under
        // it says the percentage, once.
        ui.add(egui::ProgressBar::new(fraction));
        if let Some(progress) = progress {
            ui.label(present::progress_line(progress));
        }
        if let Some(board) = parts {
            parts_bar_ui(ui, board);
            ui.label(present::parts_progress_line(
                board.done(),
                board.total(),
                board.before,
            ));
        }
        if let Some(retry) = retry {
            ui.colored_label(super::WARN, retry_line(retry));
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
    if action.done {
        // A finished download's next steps are on its card; an upload's is the next file.
        if action.operation == Operation::Put {
            let button =
                primary_button(ui, tr(T::UploadAnother), 18.0).min_size(egui::vec2(240.0, 40.0));
            if ui.add(button).clicked() {
                commands.push(Command::UploadAnother);
            }
        }
        return;
    }
    let ready = action.readiness.is_ok();
    let button = if ready {
        primary_button(ui, &action.label, 20.0)
    } else {
        egui::Button::new(
            egui::RichText::new(action.label.clone())
                .size(20.0)
                .strong(),
        )
    }
    .min_size(egui::vec2(260.0, 44.0))
    .truncate();
    let response = ui.add_enabled(ready, button);
    report_control(ui, "main button", &response);
    if response.clicked() {
        commands.push(Command::Start);
    }
    // Problems with the link, the file or the folder show where they are; the button only
    // explains what shows nowhere else.
    if let Err(blocker) = action.readiness
        && blocker.shown_under_button()
    {
        ui.add(egui::Label::new(egui::RichText::new(blocker.message()).weak()).wrap());
    }
    let may_send_anyway = match action.readiness {
        Err(blocker) => blocker.may_send_anyway(),
        Ok(_) => action.send_anyway,
    };
    if may_send_anyway {
        let mut send_anyway = action.send_anyway;
        if ui.checkbox(&mut send_anyway, tr(T::SendAnyway)).changed() {
            commands.push(Command::SendAnyway(send_anyway));
        }
    }
}

fn retry_line(retry: &RetryNotice) -> String {
    present::retry_notice(
        retry.next_attempt,
        retry.max_attempts,
        retry.delay,
        &retry.reason,
    )
}

/// A bar of the parts in part order: those that arrived filled, the others empty; runs of one
/// state drawn as one rectangle, so 10,000 parts cost no more than a few.
pub(super) fn parts_bar_ui(ui: &mut egui::Ui, board: &super::session::PartsBoard) {
    // Within what is in view: a panel's section may be laid out wider than it shows.
    let width = ui
        .available_width()
        .min(ui.clip_rect().right() - ui.cursor().min.x - 4.0)
        .max(40.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 10.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    painter.rect_stroke(
        rect,
        2.0,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    let total = board.arrived.len().max(1) as f32;
    let mut start = 0;
    while start < board.arrived.len() {
        let state = board.arrived[start];
        let end = board.arrived[start..]
            .iter()
            .position(|a| *a != state)
            .map_or(board.arrived.len(), |n| start + n);
        if state {
            let left = rect.left() + rect.width() * start as f32 / total;
            let right = rect.left() + rect.width() * end as f32 / total;
            let run = egui::Rect::from_min_max(
                egui::pos2(left, rect.top()),
                egui::pos2(right.max(left + 1.0), rect.bottom()),
            );
            painter.rect_filled(run, 0.0, super::GOOD);
        }
        start = end;
    }
}
