//! The command line's help in the current language: the commands and options of the derived
//! parser, with their descriptions and headings taken from the catalogue.

use std::ffi::OsString;

use clap::{Arg, ArgAction, CommandFactory};

use super::Cli;
use crate::text::{Language, T, tr};

/// The language `--lang` asks for, read before the arguments are parsed: help is printed while
/// parsing, so the language must be known first.
pub fn language_in_args(args: &[OsString]) -> Option<Language> {
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(language) = value.and_then(Language::from_code) {
            return Some(language);
        }
    }
    None
}

/// The parser, its help in the current language.
pub fn command() -> clap::Command {
    localize(Cli::command(), true)
}

fn localize(mut command: clap::Command, root: bool) -> clap::Command {
    let name = command.get_name().to_owned();
    if let Some(about) = about(&name) {
        command = command.about(tr(about)).long_about(None::<&str>);
    }
    command = command
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            tr(T::CliHelpUsage)
        ))
        .subcommand_help_heading(tr(T::CliHelpCommands))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(tr(T::CliHelpHelp)),
        );
    if root {
        command = command
            .disable_help_subcommand(true)
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(tr(T::CliHelpVersion)),
            );
    }
    let arguments: Vec<(String, bool)> = command
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (order, (id, positional)) in arguments.into_iter().enumerate() {
        let heading = tr(if positional {
            T::CliHelpArguments
        } else {
            T::CliHelpOptions
        });
        let help = describe(&name, &id);
        command = command.mut_arg(id, |arg| {
            // A heading of its own would sort the arguments by name: keep their order.
            let arg = arg.help_heading(heading).display_order(order);
            match help {
                Some(text) => arg.help(tr(text)),
                None => arg,
            }
        });
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for sub in subcommands {
        command = command.mut_subcommand(sub, |s| localize(s, false));
    }
    command
}

fn about(command: &str) -> Option<T> {
    Some(match command {
        "presign-desk" => T::CliHelpAbout,
        "gui" => T::CliHelpGui,
        "put" => T::CliHelpPut,
        "get" => T::CliHelpGet,
        "explain" => T::CliHelpExplain,
        "inspect" => T::CliHelpInspect,
        "check" => T::CliHelpCheck,
        "completions" => T::CliHelpCompletions,
        "man-pages" => T::CliHelpManPages,
        _ => return None,
    })
}

fn describe(command: &str, argument: &str) -> Option<T> {
    Some(match (command, argument) {
        (_, "lang") => T::CliHelpLang,
        ("gui", "url") => T::CliHelpGuiUrl,
        ("gui", "file") => T::CliHelpGuiFile,
        ("get", "url") => T::CliHelpLink,
        ("put" | "inspect" | "check", "url") => T::CliHelpLinkOrForm,
        ("put", "files") => T::CliHelpPutFile,
        (_, "parallel") => T::CliHelpParallel,
        (_, "content_type") => T::CliHelpContentType,
        (_, "headers") => T::CliHelpHeader,
        (_, "no_content_type") => T::CliHelpNoContentType,
        (_, "send_despite_checksum") => T::CliHelpSendDespite,
        (_, "send_anyway") => T::CliHelpSendAnyway,
        (_, "curl") => T::CliHelpCurl,
        (_, "attempts") => T::CliHelpAttempts,
        (_, "stall_timeout") => T::CliHelpStall,
        (_, "no_verify") => T::CliHelpNoVerify,
        (_, "connections") => T::CliHelpConnections,
        (_, "output") => T::CliHelpOutput,
        (_, "overwrite") => T::CliHelpOverwrite,
        ("explain", "file") => T::CliHelpExplainFile,
        ("explain", "url") => T::CliHelpExplainUrl,
        (_, "method") => T::CliHelpMethod,
        (_, "sent_content_type") => T::CliHelpSentType,
        (_, "status") => T::CliHelpStatus,
        (_, "json") => T::CliHelpJson,
        (_, "now") => T::CliHelpNow,
        ("completions", "shell") => T::CliHelpShell,
        ("man-pages", "dir") => T::CliHelpManDir,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::with_language;

    #[test]
    fn lang_is_found_before_parsing() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            language_in_args(&args(&["presign-desk", "--lang", "ja", "put"])),
            Some(Language::JAPANESE)
        );
        assert_eq!(
            language_in_args(&args(&["presign-desk", "inspect", "--lang=en"])),
            Some(Language::ENGLISH)
        );
        assert_eq!(
            language_in_args(&args(&["presign-desk", "--", "--lang", "ja"])),
            None
        );
        assert_eq!(language_in_args(&args(&["presign-desk", "--lang"])), None);
    }

    #[test]
    fn every_command_and_option_is_described_in_every_language() {
        for language in Language::all() {
            with_language(language, || {
                let mut command = command();
                command.build();
                let mut all = vec![command.clone()];
                all.extend(command.get_subcommands().cloned());
                for command in all {
                    assert!(command.get_about().is_some(), "{}", command.get_name());
                    for arg in command.get_arguments() {
                        assert!(
                            arg.get_help().is_some(),
                            "{} {} in {}",
                            command.get_name(),
                            arg.get_id(),
                            language.code()
                        );
                    }
                }
                command.debug_assert();
            });
        }
    }
}
