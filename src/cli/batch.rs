//! `put` and `get` of a list: a list of links with the files for them (matched by the key's
//! file name, then by order), a manifest of file and link pairs, or one form for many files.
//! The matching is said before anything is sent; a few go at once; one line a file as each
//! ends, a summary, and with `--json` an array naming each. Exit code 1 when any was not
//! done.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;

use super::report::TransferReport;
use super::{EXIT_BAD_INPUT, EXIT_REFUSED, GetArgs, PutArgs};
use crate::batch::{self, FileEntry, LinkList, Manifest, MatchedBy, matching::FileName};
use crate::format;
use crate::link::{PresignedLink, target_name};
use crate::post::PostForm;
use crate::queue::plan;
use crate::queue::{Finished, How, Item, ItemResult, Target, UploadChoices, run_item};
use crate::text::{T, fill, tr};
use crate::transfer::{self, Reporter};

/// How many names a line of leftovers lists before it says "and N more".
const NAMES_SHOWN: usize = 10;

/// What happened to one item, as the JSON array gives it.
#[derive(Debug, Serialize)]
struct ItemReport {
    /// The file uploaded, or where the download went.
    file: Option<String>,
    /// `bucket/key`.
    target: String,
    /// The link, redacted (absent for a form).
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    /// How the file was matched to its link.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_by: Option<MatchedBy>,
    /// `succeeded`, `refused`, `failed`, `not-sent` or `cancelled`.
    result: ItemResult,
    /// The line printed for it.
    line: String,
    /// The transfer, when one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    transfer: Option<TransferReport>,
}

impl ItemReport {
    fn of(item: &Item, finished: Finished) -> Self {
        let transfer = match (finished.operation, &finished.outcome) {
            (Some(operation), Some(outcome)) => Some(TransferReport::new(
                operation,
                outcome,
                finished.elapsed,
                finished.attempts,
                finished.explanation,
            )),
            _ => None,
        };
        ItemReport {
            file: item.file.as_ref().map(|p| p.display().to_string()),
            target: finished.target,
            link: finished.link,
            matched_by: item.matched_by,
            result: finished.result,
            line: finished.line,
            transfer,
        }
    }
}

/// `put` with a list of links and files, a manifest, or a form and many files. `None` when
/// the arguments are one file to one link (the single upload).
pub(super) async fn put(args: &PutArgs, text: &str) -> Option<ExitCode> {
    let form = match PostForm::parse(text) {
        Some(Ok(form)) => Some(form),
        _ => None,
    };
    let single_file = args.files.len() == 1 && !args.files[0].is_dir();
    if let Some(form) = form {
        if single_file {
            return None;
        }
        let files = gathered(&args.files)?;
        let form = Arc::new(form);
        let items = files
            .entries
            .into_iter()
            .map(|e| Item {
                file: Some(e.path),
                size: e.size,
                target: Target::Form(form.clone()),
                matched_by: Some(MatchedBy::Given),
            })
            .collect();
        return Some(run(args_upload(args), args.transfer.parallel, items, args.json).await);
    }
    let list = LinkList::read(text);
    if args.files.is_empty() {
        let base = manifest_folder(&args.url);
        let Some(manifest) = Manifest::read(text, &base) else {
            let say = if list.links.len() > 1 {
                T::BatchNoFiles
            } else {
                T::BatchOneFile
            };
            eprintln!("{}", tr(say));
            return Some(ExitCode::from(EXIT_BAD_INPUT));
        };
        say_manifest_rows(&manifest);
        let items = manifest
            .pairs
            .into_iter()
            .map(|pair| Item {
                size: plain_size(&pair.file),
                file: Some(pair.file),
                target: Target::Link(pair.link),
                matched_by: Some(MatchedBy::Given),
            })
            .collect();
        return Some(run(args_upload(args), args.transfer.parallel, items, args.json).await);
    }
    // One link takes one file: a folder or more files are said as such there.
    if list.links.len() <= 1 {
        return None;
    }
    say_duplicates(&list);
    let files = gathered(&args.files)?;
    let items = matched(&files.entries, &list.links);
    Some(run(args_upload(args), args.transfer.parallel, items, args.json).await)
}

/// `get` of a list of links into a folder (`-o`, default the current one), or of a manifest
/// of link and file pairs. `None` for one link.
pub(super) async fn get(args: &GetArgs, text: &str) -> Option<ExitCode> {
    let list = LinkList::read(text);
    let base = manifest_folder(&args.url);
    let manifest = Manifest::read(text, &base);
    if list.links.len() <= 1 && manifest.is_none() {
        return None;
    }
    let mut items = Vec::new();
    if let Some(manifest) = manifest {
        say_manifest_rows(&manifest);
        for pair in manifest.pairs {
            items.push(Item {
                file: Some(pair.file),
                size: Ok(0),
                target: Target::Link(pair.link),
                matched_by: Some(MatchedBy::Given),
            });
        }
    } else {
        say_duplicates(&list);
        let folder = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
        if !folder.is_dir() {
            eprintln!(
                "{}",
                fill(
                    T::BatchNotAFolder,
                    &[("path", &folder.display().to_string())]
                )
            );
            return Some(ExitCode::from(EXIT_BAD_INPUT));
        }
        // Two links saving to one name: the second would replace the first's file.
        let mut taken: Vec<PathBuf> = Vec::new();
        for link in list.links {
            let file = PresignedLink::parse(&link)
                .ok()
                .map(|l| plan::output_path(Some(&folder), &transfer::naming::file_name_for(&l)));
            let size = match &file {
                Some(path) if taken.contains(path) => Err(tr(T::BatchSameOutput).to_owned()),
                _ => Ok(0),
            };
            if let Some(path) = &file {
                taken.push(path.clone());
            }
            items.push(Item {
                file,
                size,
                target: Target::Link(link),
                matched_by: None,
            });
        }
    }
    let how = How {
        upload: None,
        overwrite: args.overwrite,
        options: transfer::Options {
            connections: args.connections,
            ..args.transfer.options(false)
        },
    };
    Some(run(how, args.transfer.parallel, items, args.json).await)
}

fn args_upload(args: &PutArgs) -> How {
    How {
        upload: Some(UploadChoices {
            no_content_type: args.no_content_type,
            content_type: args.content_type.clone(),
            headers: args.headers.clone(),
            send_anyway: args.send_anyway,
        }),
        overwrite: false,
        options: transfer::Options {
            connections: 1,
            ..args.transfer.options(args.send_despite_checksum)
        },
    }
}

/// The folder a manifest's relative paths are read from: the manifest's own (`@FILE`), else
/// the current one.
fn manifest_folder(arg: &str) -> PathBuf {
    arg.strip_prefix('@')
        .and_then(|path| Path::new(path).parent())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn plain_size(path: &Path) -> Result<u64, String> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => std::fs::File::open(path)
            .map(|_| meta.len())
            .map_err(|e| e.to_string()),
        Ok(_) => Err(tr(T::FileIsFolder).to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// The files of the arguments, with what was left out said; `None` (exit 2) when none.
fn gathered(paths: &[PathBuf]) -> Option<batch::Files> {
    let files = batch::gather(paths);
    if files.hidden > 0 {
        eprintln!(
            "{}",
            fill(T::BatchHidden, &[("count", &files.hidden.to_string())])
        );
    }
    for (folder, reason) in &files.unreadable_folders {
        eprintln!(
            "{}",
            fill(
                T::BatchFolderUnreadable,
                &[("path", &folder.display().to_string()), ("reason", reason)]
            )
        );
    }
    if files.cut {
        eprintln!(
            "{}",
            fill(
                T::BatchCut,
                &[("max", &batch::files::MAX_FILES.to_string())]
            )
        );
    }
    Some(files)
}

/// Each link given again, said once.
pub(super) fn say_duplicates(list: &LinkList) {
    for (at, first) in &list.duplicates {
        eprintln!(
            "{}",
            fill(
                T::BatchDuplicateLink,
                &[("at", &at.to_string()), ("first", &first.to_string())]
            )
        );
    }
}

fn say_manifest_rows(manifest: &Manifest) {
    if !manifest.unreadable_rows.is_empty() {
        let rows: Vec<String> = manifest
            .unreadable_rows
            .iter()
            .map(usize::to_string)
            .collect();
        eprintln!(
            "{}",
            fill(T::BatchManifestRows, &[("rows", &rows.join(", "))])
        );
    }
}

/// Names for a line: the first few, then "and N more".
fn some_names(names: Vec<String>) -> String {
    let more = names.len().saturating_sub(NAMES_SHOWN);
    let mut shown: Vec<String> = names.into_iter().take(NAMES_SHOWN).collect();
    if more > 0 {
        shown.push(fill(T::BatchAndMore, &[("count", &more.to_string())]));
    }
    shown.join(", ")
}

/// The files matched to the links, the matching said on stderr before anything is sent.
fn matched(files: &[FileEntry], links: &[String]) -> Vec<Item> {
    let parsed: Vec<Option<PresignedLink>> =
        links.iter().map(|l| PresignedLink::parse(l).ok()).collect();
    let keys: Vec<Option<&str>> = parsed
        .iter()
        .map(|l| l.as_ref().and_then(|l| l.key.as_deref()))
        .collect();
    let names: Vec<FileName<'_>> = files
        .iter()
        .map(|f| FileName {
            name: &f.name,
            folders: &f.folders,
        })
        .collect();
    let matching = batch::match_files(&names, &keys);
    let target = |link: usize| {
        parsed[link]
            .as_ref()
            .map_or_else(|| tr(T::BatchNotALink).to_owned(), target_name)
    };
    let count = |by: &[MatchedBy]| {
        matching
            .pairs
            .iter()
            .filter(|p| by.contains(&p.by))
            .count()
            .to_string()
    };
    eprintln!(
        "{}",
        fill(
            T::BatchMatched,
            &[
                ("count", &matching.pairs.len().to_string()),
                ("links", &links.len().to_string()),
                (
                    "by_name",
                    &count(&[MatchedBy::Name, MatchedBy::NameAndFolder])
                ),
                ("by_order", &count(&[MatchedBy::Order])),
            ]
        )
    );
    for pair in matching.pairs.iter().filter(|p| p.by == MatchedBy::Order) {
        eprintln!(
            "{}",
            fill(
                T::BatchByOrder,
                &[
                    ("file", &files[pair.file].path.display().to_string()),
                    ("target", &target(pair.link))
                ]
            )
        );
    }
    for group in &matching.same_name {
        let paths: Vec<String> = group
            .iter()
            .map(|&f| files[f].path.display().to_string())
            .collect();
        eprintln!(
            "{}",
            fill(
                T::BatchSameName,
                &[
                    ("count", &group.len().to_string()),
                    ("name", &files[group[0]].name),
                    ("paths", &some_names(paths))
                ]
            )
        );
    }
    if !matching.files_left.is_empty() {
        let names = matching
            .files_left
            .iter()
            .map(|&f| files[f].path.display().to_string())
            .collect();
        eprintln!(
            "{}",
            fill(
                T::BatchFilesLeft,
                &[
                    ("count", &matching.files_left.len().to_string()),
                    ("names", &some_names(names))
                ]
            )
        );
    }
    let mut items: Vec<Item> = matching
        .pairs
        .iter()
        .map(|pair| Item {
            file: Some(files[pair.file].path.clone()),
            size: files[pair.file].size.clone(),
            target: Target::Link(links[pair.link].clone()),
            matched_by: Some(pair.by),
        })
        .collect();
    // A link with no file is a row of its own: not sent, and said why.
    for &link in &matching.links_left {
        items.push(Item {
            file: None,
            size: Err(tr(T::BatchNoFileForLink).to_owned()),
            target: Target::Link(links[link].clone()),
            matched_by: None,
        });
    }
    items
}

/// Runs the items, a few at once, printing a line for each as it ends; the summary and the
/// exit code.
async fn run(how: How, parallel: u32, items: Vec<Item>, json: bool) -> ExitCode {
    if items.is_empty() {
        eprintln!("{}", tr(T::BatchNothing));
        return ExitCode::from(EXIT_REFUSED);
    }
    let parallel = parallel.max(1) as usize;
    let total_bytes: u64 = items.iter().filter_map(|i| i.size.as_ref().ok()).sum();
    eprintln!(
        "{}",
        fill(
            if how.upload.is_some() {
                T::BatchUploading
            } else {
                T::BatchDownloading
            },
            &[
                ("count", &items.len().to_string()),
                ("size", &format::bytes(total_bytes)),
                ("parallel", &parallel.to_string()),
            ]
        )
    );
    let client = match super::client_or_say() {
        Ok(client) => client,
        Err(code) => return code,
    };
    let cancel = super::cancelled_by_ctrl_c();
    let how = &how;
    let client = &client;
    let cancel = &cancel;
    let mut reports: Vec<Option<ItemReport>> = (0..items.len()).map(|_| None).collect();
    {
        use futures_util::StreamExt;
        let mut running = futures_util::stream::iter(items.iter().enumerate())
            .map(|(at, item)| async move {
                let quiet: Reporter = Arc::new(|_| {});
                let finished = run_item(how, client, cancel, item, quiet).await;
                (at, ItemReport::of(item, finished))
            })
            .buffer_unordered(parallel);
        while let Some((at, report)) = running.next().await {
            if !json {
                println!("{}", report.line);
            }
            reports[at] = Some(report);
        }
    }
    let reports: Vec<ItemReport> = reports.into_iter().flatten().collect();
    let count = |result: ItemResult| reports.iter().filter(|r| r.result == result).count();
    let done = count(ItemResult::Succeeded);
    let summary = fill(
        T::BatchSummary,
        &[
            ("done", &done.to_string()),
            ("total", &reports.len().to_string()),
            (
                "failed",
                &(count(ItemResult::Refused) + count(ItemResult::Failed)).to_string(),
            ),
            ("not_sent", &count(ItemResult::NotSent).to_string()),
        ],
    );
    if json {
        if let Err(code) = super::print_json(&reports) {
            return code;
        }
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    if count(ItemResult::Cancelled) > 0 {
        ExitCode::from(super::EXIT_INTERRUPTED)
    } else if done == reports.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REFUSED)
    }
}
