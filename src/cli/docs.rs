//! The manual pages and the shell completion scripts, made from the same parser as `--help`
//! (`help::command`), so no option is described twice.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap_complete::Shell;

use super::{EXIT_BAD_INPUT, command};
use crate::text::{Language, T, fill, tr, with_language};

/// The commands whose link argument also takes `@FILE` (the link or form read from a file).
const TAKE_AT_FILE: [&str; 3] = ["put", "inspect", "check"];

/// `presign-desk completions SHELL`: the script on standard output.
pub(super) fn print_completions(shell: Shell) -> ExitCode {
    let script = completion_script(shell);
    match std::io::stdout().lock().write_all(script.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not worth a message.
        Err(_) => ExitCode::FAILURE,
    }
}

/// `presign-desk man-pages DIR`: every page written, each path printed.
pub(super) fn man_pages(dir: &Path) -> ExitCode {
    match write_manual_pages(dir) {
        Ok(paths) => {
            for path in paths {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "{}",
                fill(
                    T::CliManPagesFailed,
                    &[
                        ("path", &dir.display().to_string()),
                        ("reason", &e.to_string())
                    ]
                )
            );
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// The completion script for `shell`, in the current language (zsh, fish and PowerShell show
/// each option's description). After the generated part, bash, zsh and fish also complete a
/// file name after `@` where a command takes `@FILE`.
pub fn completion_script(shell: Shell) -> String {
    let mut command = command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "presign-desk", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    match shell {
        Shell::Bash => bash_names(&mut script),
        Shell::Zsh => zsh_at_file(&mut script),
        _ => {}
    }
    script.push_str(&at_file_completion(shell));
    script
}

/// The bash generator names each command's state `presign__desk__subcmd__put` where it walks
/// the words, but `presign__subcmd__desk__subcmd__put` where it answers (it reads the `-` of
/// the program's name as a separator the second time), so no command's options would
/// complete: the answers are given the names the walk sets.
fn bash_names(script: &mut String) {
    *script = script.replace("presign__subcmd__desk__", "presign__desk__");
}

/// zsh loads the script as the body of `_presign-desk`, so a wrapper after it would never be
/// registered: the link arguments complete through `_presign_desk_link` instead.
fn zsh_at_file(script: &mut String) {
    let commands = TAKE_AT_FILE.join("|");
    let function = format!(
        r#"(( $+functions[_presign_desk_link] )) ||
_presign_desk_link() {{
    # A link or form read from a file: `presign-desk put @links.txt FILE`.
    if [[ "$PREFIX" == @* ]] && (( ${{words[(I)({commands})]}} )); then
        compset -P '@'
        _files
    else
        _message -e links link
    fi
}}

"#
    );
    *script = script
        .lines()
        .map(|line| {
            if line.starts_with("':url -- ") || line.starts_with("'::url -- ") {
                line.replace(":_default' \\", ":_presign_desk_link' \\")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    script.push('\n');
    let end = script
        .rfind("if [ \"$funcstack[1]\" = \"_presign-desk\" ]")
        .unwrap_or(script.len());
    script.insert_str(end, &function);
}

/// What completes `@FILE`: the generated scripts know only the argument's type (a string), so a
/// small wrapper answers a word that starts with `@` with the files it can name.
fn at_file_completion(shell: Shell) -> String {
    let commands = TAKE_AT_FILE.join(" ");
    match shell {
        Shell::Bash => format!(
            r#"
# A link or form read from a file: `presign-desk put @links.txt FILE`.
_presign_desk_at_file() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" word
    if [[ "$cur" == @* ]]; then
        for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
            case " {commands} " in
                *" $word "*)
                    local IFS=$'\n'
                    compopt -o filenames 2>/dev/null
                    COMPREPLY=($(compgen -P @ -f -- "${{cur#@}}"))
                    return 0
                    ;;
            esac
        done
    fi
    _presign__desk "$@"
}}
complete -F _presign_desk_at_file -o bashdefault -o default presign-desk
"#
        ),
        Shell::Fish => TAKE_AT_FILE
            .iter()
            .map(|name| {
                format!(
                    "complete -c presign-desk -n \"__fish_seen_subcommand_from {name}; and string match -q -- '@*' (commandline -ct)\" -f -a \"(string replace -r '^' '@' -- (__fish_complete_path (string sub -s 2 -- (commandline -ct))))\"\n"
                )
            })
            .collect(),
        _ => String::new(),
    }
}

/// Writes `presign-desk.1` and a page for each command (`presign-desk-put.1`…), English into
/// `dir/man1` and Japanese into `dir/ja/man1`; returns the files written.
pub fn write_manual_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for language in Language::all() {
        let folder = if language == Language::ENGLISH {
            dir.join("man1")
        } else {
            dir.join(language.code()).join("man1")
        };
        std::fs::create_dir_all(&folder)?;
        let pages = with_language(language, manual_pages);
        for (name, page) in pages {
            let path = folder.join(name);
            std::fs::write(&path, page)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Every page in the current language, as (file name, roff text).
fn manual_pages() -> Vec<(String, Vec<u8>)> {
    let mut root = command();
    root.build();
    let mut pages = vec![page(&root, &root_sections())];
    for sub in root.get_subcommands() {
        pages.push(page(sub, &see_also()));
    }
    pages
}

fn page(command: &clap::Command, extra: &str) -> (String, Vec<u8>) {
    let man = clap_mangen::Man::new(command.clone())
        .manual(tr(T::ManManual))
        .source(format!("PresignDesk {}", env!("CARGO_PKG_VERSION")));
    let mut text = Vec::new();
    // Writing into memory cannot fail.
    let _ = man.render(&mut text);
    text.extend_from_slice(extra.as_bytes());
    (man.get_filename(), text)
}

/// The root page's sections past the options: exit status, files, environment, see also.
fn root_sections() -> String {
    let settings = crate::settings::Settings::default_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut roff = String::new();
    section(&mut roff, tr(T::ManExitHeading), tr(T::ManExitCodes));
    section(
        &mut roff,
        tr(T::ManFilesHeading),
        &fill(T::ManFiles, &[("path", &settings)]),
    );
    section(
        &mut roff,
        tr(T::ManEnvironmentHeading),
        tr(T::ManEnvironment),
    );
    roff.push_str(&see_also());
    roff
}

fn see_also() -> String {
    let mut roff = String::new();
    let mut root = command();
    root.build();
    let pages: Vec<String> = std::iter::once(root.get_name().to_owned())
        .chain(
            root.get_subcommands()
                .map(|s| format!("presign-desk-{}", s.get_name())),
        )
        .map(|name| format!("\\fB{}\\fR(1)", escape(&name)))
        .collect();
    roff.push_str(&format!(".SH \"{}\"\n", escape(tr(T::ManSeeAlsoHeading))));
    roff.push_str(&pages.join(", "));
    roff.push('\n');
    roff
}

/// A section whose text has one paragraph a line.
fn section(roff: &mut String, heading: &str, text: &str) {
    roff.push_str(&format!(".SH \"{}\"\n", escape(heading)));
    for line in text.lines() {
        roff.push_str(".PP\n");
        roff.push_str(&escape(line));
        roff.push('\n');
    }
}

/// Text made safe for roff: backslashes and hyphens escaped, no line starting with a control
/// character.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_gets_a_page_in_every_language() {
        for language in Language::all() {
            let pages = with_language(language, manual_pages);
            let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                [
                    "presign-desk.1",
                    "presign-desk-gui.1",
                    "presign-desk-put.1",
                    "presign-desk-get.1",
                    "presign-desk-explain.1",
                    "presign-desk-inspect.1",
                    "presign-desk-check.1",
                    "presign-desk-completions.1",
                    "presign-desk-man-pages.1",
                ]
            );
            let (_, root) = &pages[0];
            let root = String::from_utf8_lossy(root);
            with_language(language, || {
                for heading in [T::ManExitHeading, T::ManFilesHeading, T::ManSeeAlsoHeading] {
                    assert!(root.contains(&escape(tr(heading))), "{heading:?}");
                }
            });
            assert!(root.contains("settings.json"));
            let put = String::from_utf8_lossy(&pages[2].1);
            for option in [
                "\\-\\-content\\-type",
                "\\-\\-header",
                "\\-\\-json",
                "\\-\\-attempts",
            ] {
                assert!(put.contains(option), "{option} in the put page");
            }
        }
    }

    #[test]
    fn completions_name_every_command_and_option() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let script = completion_script(shell);
            for word in [
                "put",
                "get",
                "inspect",
                "check",
                "explain",
                "connections",
                "json",
                "content-type",
            ] {
                assert!(script.contains(word), "{shell}: {word}");
            }
        }
        let bash = completion_script(Shell::Bash);
        assert!(bash.contains("compgen -P @ -f"));
        // Every state the walk over the words sets has its answer, and every answer a state.
        let set: std::collections::BTreeSet<&str> = bash
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\"")?.strip_suffix('"'))
            .filter(|name| !name.is_empty())
            .collect();
        let answered: std::collections::BTreeSet<&str> = bash
            .lines()
            .filter(|l| l.starts_with("        ") && !l.starts_with("         "))
            .filter_map(|l| l.trim().strip_suffix(')'))
            .filter(|name| name.starts_with("presign"))
            .collect();
        assert_eq!(set.len(), 9, "the program and its eight commands: {set:?}");
        assert_eq!(set, answered);
        let zsh = completion_script(Shell::Zsh);
        assert!(
            zsh.starts_with("#compdef presign-desk"),
            "zsh finds it by its first line"
        );
        // Each option's spec is one shell word: a quote inside a value name would split it.
        for line in zsh
            .lines()
            .filter(|l| l.starts_with("'-") || l.starts_with("'*-"))
        {
            let unquoted = line.replace("'\\''", "");
            assert_eq!(unquoted.matches('\'').count(), 2, "{line}");
        }
        assert_eq!(zsh.matches(":_presign_desk_link' \\").count(), 5, "{zsh}");
        assert!(zsh.find("_presign_desk_link() {") < zsh.rfind("if [ \"$funcstack[1]\""));
    }

    #[test]
    fn roff_text_is_escaped() {
        assert_eq!(escape("--json"), "\\-\\-json");
        assert_eq!(escape(".hidden"), "\\&.hidden");
        assert_eq!(escape("a\\b"), "a\\eb");
    }
}
