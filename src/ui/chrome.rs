//! The window around the form: notes after an action ("Copied." beside the button pressed),
//! the close question, what to bring into view, the paste on its way, and what the window
//! exchanges with the platform (keys, pasted text, dropped files, the close button, the
//! clipboard).

use std::collections::BTreeMap;
use std::time::Instant;

use super::Command;
use crate::settings::WindowGeometry;
use crate::text::{T, tr};

/// A short note after an action, shown beside the control that caused it (or under the
/// result when no control is named).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The note.
    pub text: String,
    /// The control it belongs beside.
    pub anchor: Option<egui::Id>,
}

/// The chrome's state.
#[derive(Default)]
pub struct Chrome {
    /// The note after the last action.
    pub notice: Option<Notice>,
    /// The last file or folder dialog could not open on this system.
    pub dialog_unavailable: bool,
    /// Asking whether to close while a transfer runs.
    pub confirm_close: bool,
    /// The person chose to close: close once the cancelled transfer has cleaned up.
    pub closing: bool,
    /// Close at the end of this frame.
    pub close_now: bool,
    /// Frames left in which the details bring the server's answer into view (a panel that just
    /// opened needs a frame or two before it can scroll).
    pub reveal_answer: u8,
    /// Frames left in which a result that just arrived is brought into view.
    pub reveal_result: u8,
    /// The Paste button asked the platform for the clipboard: frames left to wait for it.
    paste_wait_frames: u8,
    paste_requested: bool,
    /// Texts to put on the clipboard at the end of the frame.
    copy_requests: Vec<String>,
    /// Where the window is, for the next start.
    pub geometry: Option<WindowGeometry>,
    /// Reports on stderr for the scripts that measure and check the window.
    pub report: Option<Report>,
}

/// What the window reports on stderr when asked (`PRESIGNDESK_REPORT_TIMING`), for the scripts
/// that drive it under Xvfb: timings, where its named controls are, what it showed. Never a
/// link or a secret.
pub struct Report {
    /// When the process started, until the first frame is reported.
    pub first_frame: Option<Instant>,
    /// When the running transfer started.
    pub transfer_started: Option<Instant>,
    /// The controls reported, with the place last reported.
    controls: BTreeMap<String, [i32; 4]>,
    /// Frames drawn so far: each is said, so a script counts the repaints of an idle window.
    pub frames: u64,
}

impl Report {
    /// Reporting from `started`.
    pub fn new(started: Instant) -> Self {
        Report {
            first_frame: Some(started),
            transfer_started: None,
            controls: BTreeMap::new(),
            frames: 0,
        }
    }

    /// Says that one more frame was drawn.
    pub fn frame_drawn(&mut self) {
        self.frames += 1;
        eprintln!("frame {} drawn", self.frames);
    }

    /// Says where the control named `name` is (in pixels), when it moved.
    pub fn control(&mut self, name: &str, rect: egui::Rect, pixels_per_point: f32) {
        let px = |v: f32| (v * pixels_per_point).round() as i32;
        let place = [
            px(rect.min.x),
            px(rect.min.y),
            px(rect.width()),
            px(rect.height()),
        ];
        if self.controls.get(name) != Some(&place) {
            eprintln!(
                "control \"{name}\" at {} {} size {} {}",
                place[0], place[1], place[2], place[3]
            );
            self.controls.insert(name.to_owned(), place);
        }
    }
}

impl Chrome {
    /// The chrome of a new window, reporting on stderr when `report` is given.
    pub fn reporting(report: Option<Report>) -> Self {
        Chrome {
            report,
            ..Chrome::default()
        }
    }

    /// Shows `text` beside `anchor`.
    pub fn note(&mut self, text: impl Into<String>, anchor: Option<egui::Id>) {
        let text = text.into();
        if self.report.is_some() {
            eprintln!("notice: {text}");
        }
        self.notice = Some(Notice { text, anchor });
    }

    /// Puts `text` on the clipboard at the end of the frame.
    pub fn copy(&mut self, text: String) {
        if self.report.is_some() {
            eprintln!("copied {} characters", text.chars().count());
        }
        self.copy_requests.push(text);
    }

    /// Asks the platform for the clipboard's text (the Paste button).
    pub fn request_paste(&mut self) {
        self.paste_requested = true;
        // The text arrives as a paste event in the next frame or the one after.
        self.paste_wait_frames = 3;
    }

    /// Ctrl+V with nothing focused pastes a link, and so does the Paste button's answer;
    /// Ctrl+O chooses a file; Enter starts; Esc cancels or keeps the window open.
    pub fn keyboard(&mut self, ctx: &egui::Context, running: bool, commands: &mut Vec<Command>) {
        let nothing_focused = ctx.memory(|m| m.focused().is_none());
        let pasted = ctx.input(|i| {
            i.events.iter().rev().find_map(|event| match event {
                egui::Event::Paste(text) => Some(Some(text.clone())),
                egui::Event::PasteImage(_) => Some(None),
                _ => None,
            })
        });
        let awaiting = self.paste_wait_frames > 0;
        match pasted {
            Some(Some(text)) if (nothing_focused || awaiting) && !running => {
                self.paste_wait_frames = 0;
                commands.push(Command::LinkPasted(text));
            }
            Some(None) if nothing_focused || awaiting => {
                self.paste_wait_frames = 0;
                commands.push(Command::PasteFoundNoText);
            }
            _ if awaiting => {
                self.paste_wait_frames -= 1;
                if self.paste_wait_frames == 0 {
                    commands.push(Command::PasteFoundNoText);
                } else {
                    ctx.request_repaint();
                }
            }
            _ => {}
        }
        let (open, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::O),
                i.key_pressed(egui::Key::Enter) && i.modifiers.is_none(),
                i.key_pressed(egui::Key::Escape),
            )
        });
        // Enter on a focused button presses that button; with nothing focused, or in the link
        // or a path field, it presses the main one.
        let enter_is_ours = nothing_focused || ctx.egui_wants_keyboard_input();
        if open && !running {
            commands.push(Command::PickFile);
        }
        if enter && enter_is_ours && !self.confirm_close {
            commands.push(Command::Start);
        }
        if escape {
            if self.confirm_close {
                commands.push(Command::KeepOpen);
            } else if running {
                commands.push(Command::Cancel);
            }
        }
    }

    /// A file dropped anywhere on the window is taken for upload.
    pub fn take_dropped_files(
        &mut self,
        ctx: &egui::Context,
        running: bool,
        commands: &mut Vec<Command>,
    ) {
        if running {
            return;
        }
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        // One file is the single screen's; several, or a folder, are the queue's.
        match dropped.as_slice() {
            [] => {}
            [one] if !one.is_dir() => commands.push(Command::FileChosen(one.clone())),
            _ => commands.push(Command::FilesChosen(dropped)),
        }
    }

    /// Closing while a transfer runs asks first; the window also notes where it is.
    pub fn watch_close(&mut self, ctx: &egui::Context, running: bool) {
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
        if close_requested && running && !self.close_now {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    /// What drawing asked of the platform: clipboard, paste, close.
    pub fn flush_requests(&mut self, ctx: &egui::Context) {
        for text in self.copy_requests.drain(..) {
            ctx.copy_text(text);
        }
        if std::mem::take(&mut self.paste_requested) {
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
            // The platform reads the clipboard after this frame and hands the text to the
            // next one: make sure there is a next one.
            ctx.request_repaint();
        }
        if self.close_now {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The note if it belongs beside `anchor`.
    pub fn notice_at(&self, anchor: egui::Id) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.anchor == Some(anchor))
            .map(|n| n.text.as_str())
    }

    /// The note if it belongs beside no control.
    pub fn loose_notice(&self) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|n| n.anchor.is_none())
            .map(|n| n.text.as_str())
    }
}

/// "Copied." after a copy, with the secret's warning when it holds the link's signature.
pub fn copied_text(secret: bool) -> &'static str {
    tr(if secret { T::CopiedSecret } else { T::Copied })
}
