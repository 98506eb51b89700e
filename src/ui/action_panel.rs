//! The one big button named for the action and the file; while running, the progress and
//! Cancel.

use super::Command;
use super::state::{RetryNotice, RunState};
use crate::prepare::Blocker;
use crate::present;
use crate::text::{T, tr};
use crate::transfer::Plan;

/// The button, named `label`, or the progress and Cancel while running.
pub fn action_ui(
    ui: &mut egui::Ui,
    label: &str,
    readiness: &Result<Plan, Blocker>,
    expired: bool,
    send_expired: &mut bool,
    run: &RunState,
    commands: &mut Vec<Command>,
) {
    if let RunState::Running {
        cancel,
        progress,
        retry,
        ..
    } = run
    {
        let fraction = progress.as_ref().and_then(|p| p.fraction()).unwrap_or(0.0);
        // No animation: it would redraw the window every frame for nothing new.
        ui.add(egui::ProgressBar::new(fraction).show_percentage());
        if let Some(progress) = progress {
            ui.label(present::progress_line(progress));
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
    let ready = readiness.is_ok();
    let mut text = egui::RichText::new(label).size(20.0).strong();
    if ready {
        text = text.color(ui.visuals().strong_text_color());
    }
    let mut button = egui::Button::new(text).min_size(egui::vec2(260.0, 48.0));
    if ready {
        // The one thing to press stands out.
        button = button.fill(ui.visuals().selection.bg_fill);
    }
    if ui.add_enabled(ready, button).clicked() {
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

fn retry_line(retry: &RetryNotice) -> String {
    present::retry_notice(
        retry.next_attempt,
        retry.max_attempts,
        retry.delay,
        &retry.reason,
    )
}
