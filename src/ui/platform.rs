//! What the window exchanges with the platform around drawing: keys, pasted text, dropped
//! files, the close button, the clipboard.

use super::Command;
use super::app::PresignDeskApp;
use crate::link::Operation;
use crate::settings::WindowGeometry;

impl PresignDeskApp {
    /// Ctrl+V with nothing focused pastes a link; Ctrl+O chooses a file; Enter starts; Esc
    /// cancels.
    pub(super) fn keyboard(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let nothing_focused = ctx.memory(|m| m.focused().is_none());
        let pasted = ctx.input(|i| {
            i.events.iter().rev().find_map(|event| match event {
                egui::Event::Paste(text) => Some(text.clone()),
                _ => None,
            })
        });
        if let Some(text) = pasted
            && (nothing_focused || self.awaiting_paste)
            && !self.run.is_running()
        {
            self.awaiting_paste = false;
            commands.push(Command::LinkPasted(text));
        }
        let (open, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::O),
                i.key_pressed(egui::Key::Enter) && i.modifiers.is_none(),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if open && !self.run.is_running() {
            commands.push(Command::OperationChosen(Operation::Put));
            commands.push(Command::PickFile);
        }
        if enter && !self.confirm_close {
            commands.push(Command::Start);
        }
        if escape {
            if self.confirm_close {
                commands.push(Command::KeepOpen);
            } else if self.run.is_running() {
                commands.push(Command::Cancel);
            }
        }
    }

    pub(super) fn take_dropped_files(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if self.run.is_running() {
            return;
        }
        if let Some(path) = dropped.first().map(|f| f.path().to_owned()) {
            self.upload.path = path.display().to_string();
            commands.push(Command::OperationChosen(Operation::Put));
            commands.push(Command::FileEdited);
        }
    }

    /// Closing while a transfer runs asks first; the window also notes where it is.
    pub(super) fn watch_close(&mut self, ctx: &egui::Context) {
        let (close_requested, outer, inner) = ctx.input(|i| {
            let viewport = i.viewport();
            (
                viewport.close_requested(),
                viewport.outer_rect,
                viewport.inner_rect,
            )
        });
        if let (Some(outer), Some(inner)) = (outer, inner) {
            self.geometry = Some(WindowGeometry {
                x: outer.min.x,
                y: outer.min.y,
                width: inner.width(),
                height: inner.height(),
            });
        }
        if close_requested && self.run.is_running() && !self.close_now {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    /// What drawing asked of the platform: clipboard, paste, close.
    pub(super) fn flush_requests(&mut self, ctx: &egui::Context) {
        for text in self.copy_requests.drain(..) {
            ctx.copy_text(text);
        }
        if std::mem::take(&mut self.paste_requested) {
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
        }
        if self.close_now {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
