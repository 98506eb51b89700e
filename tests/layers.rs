//! The library's layers hold: a module uses only modules in the layers below its own, never one
//! beside it or above it, and the picture of the layers in `src/lib.rs` and the README is the one
//! this test checks. The test reads every `crate::` path in `src/` (comments left out), so an
//! upward `use` fails it with the file and the line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. Modules in one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    &["text", "secret", "view", "markup"],
    &["format"],
    &["link"],
    &["clock", "content_type", "post"],
    &["exchange"],
    &["signed_headers", "settings"],
    &["diagnose"],
    &["batch"],
    &["present", "transfer", "prepare"],
    &["queue"],
    &["cli", "ui"],
    &["start"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src is readable")
        .map(|entry| entry.expect("a readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of the library belongs to; `None` for the crate root and the
/// binaries, which are not layers.
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" | "bin" => None,
        name => Some(name.trim_end_matches(".rs").to_string()),
    }
}

/// The code of a line with its `//` comment removed (a `//` inside a string literal is rare
/// enough in this code base to ignore; it would only hide a path, never invent one).
fn code_of(line: &str) -> &str {
    line.find("//").map_or(line, |at| &line[..at])
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules named after each `crate::` in `code`, with the byte offset where each
/// is named, including every item of a braced group: `crate::{link, text::Id}` names `link`
/// and `text`. Groups may span lines.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let before = code[..from + at].chars().next_back();
        from += at + "crate::".len();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `presign_desk_crate::` or similar: not this crate's root
        }
        let rest = &code[from..];
        let Some(group) = rest.strip_prefix('{') else {
            let name = identifier(rest);
            if !name.is_empty() {
                found.push((from, name.to_string()));
            }
            continue;
        };
        let mut depth = 1;
        let mut item_start = true;
        for (index, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => item_start = true,
                c if item_start && depth == 1 && !c.is_whitespace() => {
                    item_start = false;
                    let name = identifier(&group[index..]);
                    if !name.is_empty() {
                        found.push((from + 1 + index, name.to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Every use of one top-level module by another: (file, line number, user, used).
fn uses() -> Vec<(PathBuf, usize, String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut found = Vec::new();
    for file in files {
        let Some(module) = module_of(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let code: String = text
            .lines()
            .map(|line| format!("{}\n", code_of(line)))
            .collect();
        for (offset, used) in crate_paths(&code) {
            if used != module && used != "self" && used != "super" {
                let line = code[..offset].matches('\n').count() + 1;
                found.push((file.clone(), line, module.clone(), used));
            }
        }
    }
    found
}

#[test]
fn every_module_uses_only_the_layers_below_its_own() {
    let mut breaches = Vec::new();
    for (file, line, user, used) in uses() {
        let (Some(user_layer), Some(used_layer)) = (layer_of(&user), layer_of(&used)) else {
            continue; // an unknown module fails the next test, with its name
        };
        if used_layer >= user_layer {
            let how = if used_layer == user_layer {
                "beside it"
            } else {
                "above it"
            };
            breaches.push(format!(
                "{}:{line}: `{user}` uses `{used}`, a layer {how}",
                file.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(&file)
                    .display()
            ));
        }
    }
    assert!(
        breaches.is_empty(),
        "imports against the layers (see the picture in src/lib.rs):\n{}",
        breaches.join("\n")
    );
}

#[test]
fn every_module_of_the_library_has_a_layer() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|file| module_of(file)).collect();
    let unplaced: Vec<_> = modules
        .iter()
        .filter(|module| layer_of(module).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules with no layer in tests/layers.rs: {unplaced:?}"
    );
    let listed: BTreeSet<String> = LAYERS
        .iter()
        .flat_map(|layer| layer.iter().map(|name| name.to_string()))
        .collect();
    assert_eq!(
        listed, modules,
        "the layers name a module that src does not have"
    );
    // Every module the test found uses is one it knows: a misspelled path would hide a breach.
    for (file, line, _, used) in uses() {
        assert!(
            layer_of(&used).is_some(),
            "{}:{line}: `crate::{used}` is not a module of the library",
            file.display()
        );
    }
}

/// The picture: top layer first, a layer's modules in backticks separated by ` · `.
fn picture() -> Vec<String> {
    LAYERS
        .iter()
        .rev()
        .map(|layer| {
            layer
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .collect()
}

/// The lines of `text` that look like a layer of the picture (only module names in backticks
/// separated by ` · `), with any `//! ` or list prefix removed.
fn drawn_layers(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.trim_start_matches("//!")
                .trim()
                .trim_start_matches("- ")
        })
        .filter(|line| {
            line.starts_with('`')
                && line.ends_with('`')
                && line.split(" · ").all(|part| {
                    part.len() > 2
                        && part.starts_with('`')
                        && part.ends_with('`')
                        && part[1..part.len() - 1]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_')
                })
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_picture_in_lib_rs_and_the_readme_is_the_one_checked_here() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["src/lib.rs", "README.md"] {
        let text = std::fs::read_to_string(root.join(file)).expect("readable");
        assert_eq!(
            drawn_layers(&text),
            picture(),
            "{file} draws the layers differently from tests/layers.rs"
        );
    }
}

#[test]
fn the_reader_finds_paths_in_every_form() {
    let names = |code: &str| -> Vec<String> {
        crate_paths(code)
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    };
    assert_eq!(names("use crate::link::PresignedLink;"), ["link"]);
    assert_eq!(
        names("use crate::{\n    link::{self, X},\n    text::Id, view,\n};"),
        ["link", "text", "view"]
    );
    assert_eq!(
        names("let x = crate::format::size(1) + crate::clock::now();"),
        ["format", "clock"]
    );
    assert_eq!(names("presign_desk::link::x"), Vec::<String>::new());
    assert_eq!(code_of("use crate::ui; // crate::start"), "use crate::ui; ");
}
