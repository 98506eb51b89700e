//! The queue on screen: what was given and what was left out, the button for all, the total
//! progress, a row a file (file, size, where it goes, time left, status, speed, the result or
//! the cause), the table of the links, and the copies for a ticket. Only the rows in view are
//! drawn, so a thousand rows cost what a screenful does.

use jiff::Timestamp;

use super::queue::{Queue, RowStatus};
use super::{Command, copy_button_ui, primary_button, report_control, tone_color};
use crate::batch::table::{self, Verdict};
use crate::format;
use crate::queue::ItemResult;
use crate::text::{T, fill, tr};
use crate::view::Tone;

/// Rows shown before the list scrolls.
const ROWS_IN_VIEW: usize = 14;

/// The queue: notes, the button, the progress, the rows, the link table.
pub fn queue_ui(
    ui: &mut egui::Ui,
    queue: &Queue,
    folder: &str,
    chrome: &super::chrome::Chrome,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    ui.heading(fill(
        T::QueueTitle,
        &[
            ("rows", &queue.rows.len().to_string()),
            ("files", &queue.files.entries.len().to_string()),
            ("links", &queue.links.len().to_string()),
        ],
    ));
    notes_ui(ui, queue);
    if queue.asks_operation() {
        ui.add_enabled_ui(!queue.running, |ui| {
            super::file_panel::operation_ui(
                ui,
                T::QueueChooseOperation,
                [T::QueueModeUpload, T::QueueModeDownload],
                queue.chosen,
                Command::QueueOperationChosen,
                commands,
            );
        });
    }
    if queue.downloads() {
        ui.add_enabled_ui(!queue.running, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(tr(T::FolderLabel));
                let mut typed = folder.to_owned();
                let edit = egui::TextEdit::singleline(&mut typed)
                    .desired_width((ui.available_width() - 140.0).max(160.0));
                if ui.add(edit).labelled_by(label.id).changed() {
                    commands.push(Command::FolderTyped(typed));
                }
                if ui.button(tr(T::ChooseFolder)).clicked() {
                    commands.push(Command::PickFolder);
                }
            });
        });
    }
    // Upload links with no files yet: the table of the links, and where the files go.
    if !queue.has_rows() {
        ui.add_space(6.0);
        links_ui(ui, queue, chrome, now, commands);
        return;
    }
    ui.add_space(6.0);
    actions_ui(ui, queue, folder, now, commands);
    progress_ui(ui, queue);
    ui.add_space(6.0);
    rows_ui(ui, queue, now, commands);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        copy_button_ui(
            ui,
            tr(T::QueueCopySummary),
            || queue.summary(),
            false,
            chrome,
            commands,
        );
        copy_button_ui(
            ui,
            tr(T::QueueCopyCsv),
            || queue.to_csv(),
            false,
            chrome,
            commands,
        );
        copy_button_ui(
            ui,
            tr(T::QueueCopyJson),
            || queue.to_json(),
            false,
            chrome,
            commands,
        );
        let save = ui.button(tr(T::QueueSave));
        report_control(ui, tr(T::QueueSave), &save);
        if save.clicked() {
            commands.push(Command::QueueSave(super::Saved::Results));
        }
    });
    if queue.links.len() > 1 {
        ui.add_space(10.0);
        egui::CollapsingHeader::new(table::summary_line(&queue.table))
            .id_salt("queue-links")
            .show(ui, |ui| links_ui(ui, queue, chrome, now, commands));
    }
}

/// What was left out or could not be matched, each said once.
fn notes_ui(ui: &mut egui::Ui, queue: &Queue) {
    let warn = |ui: &mut egui::Ui, text: String| {
        ui.add(egui::Label::new(egui::RichText::new(text).color(super::WARN)).wrap());
    };
    if queue.gathering {
        ui.weak(tr(T::QueueGathering));
    }
    if queue.files.hidden > 0 {
        ui.weak(fill(
            T::BatchHidden,
            &[("count", &queue.files.hidden.to_string())],
        ));
    }
    for (folder, reason) in &queue.files.unreadable_folders {
        warn(
            ui,
            fill(
                T::BatchFolderUnreadable,
                &[("path", &folder.display().to_string()), ("reason", reason)],
            ),
        );
    }
    if queue.files.cut {
        warn(
            ui,
            fill(
                T::BatchCut,
                &[("max", &crate::batch::files::MAX_FILES.to_string())],
            ),
        );
    }
    for (at, first) in &queue.duplicates {
        ui.weak(fill(
            T::BatchDuplicateLink,
            &[("at", &at.to_string()), ("first", &first.to_string())],
        ));
    }
    for group in &queue.same_name {
        let paths: Vec<String> = group
            .iter()
            .take(5)
            .map(|&f| queue.files.entries[f].path.display().to_string())
            .collect();
        warn(
            ui,
            fill(
                T::BatchSameName,
                &[
                    ("count", &group.len().to_string()),
                    ("name", &queue.files.entries[group[0]].name),
                    ("paths", &paths.join(", ")),
                ],
            ),
        );
    }
    if !queue.files_left.is_empty() {
        let names: Vec<String> = queue
            .files_left
            .iter()
            .take(10)
            .map(|&f| queue.files.entries[f].name.clone())
            .collect();
        warn(
            ui,
            fill(
                T::BatchFilesLeft,
                &[
                    ("count", &queue.files_left.len().to_string()),
                    ("names", &names.join(", ")),
                ],
            ),
        );
    }
    if queue.form.is_none() && !queue.downloads() && queue.files.entries.is_empty() {
        ui.label(tr(T::QueueDropFiles));
    }
}

/// The button for all, Cancel all, Retry the failed ones, Forget the files.
fn actions_ui(
    ui: &mut egui::Ui,
    queue: &Queue,
    folder: &str,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    let totals = queue.totals();
    ui.horizontal_wrapped(|ui| {
        if queue.running {
            let cancel = ui.button(tr(T::QueueCancelAll));
            report_control(ui, tr(T::QueueCancelAll), &cancel);
            if cancel.clicked() {
                commands.push(Command::QueueCancel(None));
            }
            return;
        }
        let sendable = queue.sendable();
        let label = if queue.downloads() {
            fill(
                T::QueueDownloadAll,
                &[("count", &sendable.to_string()), ("folder", folder)],
            )
        } else {
            fill(T::QueueUploadAll, &[("count", &sendable.to_string())])
        };
        let button = primary_button(ui, &label, 16.0).min_size(egui::vec2(200.0, 34.0));
        let start = ui.add_enabled(sendable > 0 && !queue.gathering, button);
        report_control(ui, &label, &start);
        if start.clicked() {
            commands.push(Command::QueueStart);
        }
        let retried = queue.retriable(now).len();
        if retried > 0 {
            let retry = ui.button(fill(
                T::QueueRetryFailed,
                &[("count", &retried.to_string())],
            ));
            report_control(ui, tr(T::QueueRetryFailedName), &retry);
            if retry.clicked() {
                commands.push(Command::QueueRetryFailed);
            }
        }
        if !queue.files.entries.is_empty() && totals.ended == 0 {
            let forget = ui.button(tr(T::QueueForgetFiles));
            if forget.clicked() {
                commands.push(Command::QueueForgetFiles);
            }
        }
    });
}

/// The total: rows done, bytes, time left.
fn progress_ui(ui: &mut egui::Ui, queue: &Queue) {
    let totals = queue.totals();
    if totals.running == 0 && totals.ended == 0 {
        return;
    }
    let fraction = if totals.bytes_total > 0 {
        totals.bytes_done as f32 / totals.bytes_total as f32
    } else {
        totals.ended as f32 / queue.rows.len().max(1) as f32
    };
    ui.add(egui::ProgressBar::new(fraction.min(1.0)));
    let elapsed = queue
        .started
        .map(|s| s.elapsed().as_secs_f64())
        .unwrap_or(0.0);
    let left = if totals.bytes_done > 0 && elapsed > 0.0 && queue.running {
        let rate = totals.bytes_done as f64 / elapsed;
        let secs = (totals.bytes_total.saturating_sub(totals.bytes_done)) as f64 / rate;
        fill(
            T::QueueTimeLeft,
            &[("span", &format::span_secs(secs.round() as i64))],
        )
    } else {
        String::new()
    };
    ui.label(fill(
        T::QueueProgress,
        &[
            ("done", &totals.done.to_string()),
            ("total", &queue.rows.len().to_string()),
            ("failed", &totals.failed.to_string()),
            ("not_sent", &totals.not_sent.to_string()),
            ("bytes_done", &format::bytes(totals.bytes_done)),
            ("bytes_total", &format::bytes(totals.bytes_total)),
            ("left", &left),
        ],
    ));
}

/// The rows, those in view only.
fn rows_ui(ui: &mut egui::Ui, queue: &Queue, now: Timestamp, commands: &mut Vec<Command>) {
    let header = [
        T::QueueColFile,
        T::QueueColSize,
        T::QueueColTarget,
        T::QueueColTimeLeft,
        T::QueueColStatus,
        T::QueueColSpeed,
        T::QueueColResult,
    ];
    let row_height = ui.spacing().interact_size.y + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("queue-rows")
        .max_height(row_height * ROWS_IN_VIEW as f32)
        .show_rows(ui, row_height, queue.rows.len(), |ui, range| {
            egui::Grid::new("queue-rows-grid")
                .num_columns(header.len())
                .min_col_width(60.0)
                .striped(true)
                .show(ui, |ui| {
                    // The names of the columns above the rows in view, in the rows' grid so
                    // that they line up.
                    for column in header {
                        ui.strong(tr(column));
                    }
                    ui.end_row();
                    for at in range {
                        row_ui(ui, queue, at, now, commands);
                        ui.end_row();
                    }
                });
        });
}

fn row_ui(
    ui: &mut egui::Ui,
    queue: &Queue,
    at: usize,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    let row = &queue.rows[at];
    let file = queue.file(at);
    // The file sent, or the one a download was saved as.
    ui.label(
        queue
            .file_path(at)
            .and_then(|p| p.file_name())
            .map_or_else(|| "—".to_owned(), |n| n.to_string_lossy().into_owned()),
    );
    ui.label(
        file.and_then(|f| f.size.clone().ok())
            .map(format::bytes)
            .unwrap_or_default(),
    );
    // Which link a file goes through, chosen before anything is sent.
    let target = queue.target(at);
    let editable = !queue.running
        && queue.form.is_none()
        && !queue.downloads()
        && row.file.is_some()
        && row.status == RowStatus::Waiting;
    if editable {
        let mut chosen = row.link;
        egui::ComboBox::from_id_salt(("queue-link", at))
            .selected_text(if target.is_empty() {
                tr(T::QueueNoLink).to_owned()
            } else {
                target.clone()
            })
            .width(220.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, tr(T::QueueNoLink));
                for (link, parsed) in queue.parsed.iter().enumerate() {
                    let name = parsed
                        .as_ref()
                        .map_or_else(|| tr(T::BatchNotALink).to_owned(), crate::link::target_name);
                    ui.selectable_value(&mut chosen, Some(link), format!("{}. {name}", link + 1));
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::ComboBox,
                    true,
                    fill(
                        T::QueueLinkFor,
                        &[("file", &file.map(|f| f.name.clone()).unwrap_or_default())],
                    ),
                )
            });
        if chosen != row.link {
            commands.push(Command::QueueLinkChosen {
                row: at,
                link: chosen,
            });
        }
    } else {
        ui.label(target);
    }
    let link = queue.link(at);
    let expired = link.is_some_and(|l| l.is_expired(now));
    let left = link
        .and_then(|l| l.expires_at)
        .map(|at| crate::link::report::left_until(at, now))
        .unwrap_or_default();
    let left = if matches!(row.status, RowStatus::Ended { .. }) {
        String::new()
    } else {
        left
    };
    if expired && row.status == RowStatus::Waiting {
        ui.colored_label(ui.visuals().error_fg_color, left);
    } else {
        ui.label(left);
    }
    let tone = match &row.status {
        RowStatus::Ended {
            result: ItemResult::Succeeded,
            ..
        } => Tone::Good,
        RowStatus::Ended { .. } => Tone::Bad,
        _ if row.blocked.is_some() => Tone::Warning,
        _ => Tone::Neutral,
    };
    ui.horizontal(|ui| {
        ui.colored_label(tone_color(ui, tone), queue.status_words(at));
        if row.status == RowStatus::Running {
            // Named for its file: a screen reader tells one row's Cancel from another's.
            let name = file
                .map(|f| f.name.clone())
                .unwrap_or_else(|| queue.target(at));
            let cancel = ui
                .small_button(tr(T::Cancel))
                .on_hover_text(fill(T::QueueCancelRow, &[("file", &name)]));
            cancel.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    fill(T::QueueCancelRow, &[("file", &name)]),
                )
            });
            if cancel.clicked() {
                commands.push(Command::QueueCancel(Some(at)));
            }
        }
    });
    let speed = match (&row.status, &row.progress) {
        (RowStatus::Running, Some(p)) if p.bytes_per_sec > 0.0 => format::speed(p.bytes_per_sec),
        _ => String::new(),
    };
    ui.label(speed);
    let words = queue.result_words(at);
    // Cut to the column; the whole line shows on hover.
    ui.add(egui::Label::new(egui::RichText::new(words).color(tone_color(ui, tone))).truncate());
}

/// The links at a glance, the ones that cannot work first, and the safe check on request.
fn links_ui(
    ui: &mut egui::Ui,
    queue: &Queue,
    chrome: &super::chrome::Chrome,
    now: Timestamp,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = if queue.checking {
            tr(T::QueueChecking)
        } else {
            tr(T::QueueCheckAll)
        };
        let check = ui.add_enabled(!queue.checking && !queue.running, egui::Button::new(label));
        report_control(ui, tr(T::QueueCheckAll), &check);
        if check.clicked() {
            commands.push(Command::QueueCheckLinks);
        }
        copy_button_ui(
            ui,
            tr(T::QueueCopyTableCsv),
            || table::to_csv(&queue.table),
            false,
            chrome,
            commands,
        );
        copy_button_ui(
            ui,
            tr(T::QueueCopyTableJson),
            || serde_json::to_string_pretty(&queue.table).unwrap_or_default(),
            false,
            chrome,
            commands,
        );
        let save = ui.button(tr(T::QueueSaveTable));
        report_control(ui, tr(T::QueueSaveTable), &save);
        if save.clicked() {
            commands.push(Command::QueueSave(super::Saved::Links));
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("queue-links-rows")
        .max_height(row_height * ROWS_IN_VIEW as f32)
        .show_rows(ui, row_height, queue.table.len(), |ui, range| {
            for row in &queue.table[range] {
                let tone = match row.verdict {
                    Verdict::CannotWork => Tone::Bad,
                    Verdict::MayFail => Tone::Warning,
                    Verdict::Works => Tone::Neutral,
                };
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(row.words(now)).color(tone_color(ui, tone)),
                    )
                    .truncate(),
                );
            }
        });
}
