//! Installs the `.deb` that `packaging/build.sh` made, checks what a person gets (the program
//! on the PATH, the menu entry, its icon), then removes it and checks nothing is left in `/usr`.
//!
//! Ignored by default: it needs root and `dpkg`, and changes the machine's installed packages.
//! `INSTALL_TEST=1 packaging/build.sh` runs it, or, with the package already built:
//!
//!     PRESIGNDESK_DEB=target/packages/presign-desk_….deb cargo test --test suite -- --ignored package::

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APP_ID: &str = "io.github.presigndesk.PresignDesk";

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run {program}: {e}"))
}

fn run_ok(program: &str, args: &[&str]) -> String {
    let output = run(program, args);
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Why this machine cannot run the test, if it cannot.
fn cannot_run() -> Option<String> {
    if Command::new("dpkg").arg("--version").output().is_err() {
        return Some("dpkg is not on this machine".into());
    }
    let uid = run("id", &["-u"]);
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("installing a package needs root".into());
    }
    if run("dpkg", &["-s", "presign-desk"]).status.success() {
        return Some("presign-desk is already installed here; the test will not replace it".into());
    }
    None
}

fn the_deb() -> PathBuf {
    if let Some(path) = std::env::var_os("PRESIGNDESK_DEB") {
        return PathBuf::from(path);
    }
    // build.sh writes into the build folder's packages/, wherever cargo builds.
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the build folder")
        .join("packages");
    std::fs::read_dir(&folder)
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
        })
        .unwrap_or_else(|| {
            panic!(
                "no .deb in {}: run packaging/build.sh first",
                folder.display()
            )
        })
}

#[test]
#[ignore = "installs a package: needs root and dpkg (INSTALL_TEST=1 packaging/build.sh runs it)"]
fn the_deb_installs_a_working_app_with_its_menu_entry_and_removes_cleanly() {
    if let Some(reason) = cannot_run() {
        eprintln!("skipped: {reason}");
        return;
    }
    let deb = the_deb();
    let deb = deb.to_str().expect("the package's path is UTF-8");
    let files: Vec<String> = run_ok("dpkg-deb", &["--contents", deb])
        .lines()
        .filter(|line| !line.starts_with('d'))
        .filter_map(|line| line.split_whitespace().last())
        .map(|path| path.trim_start_matches('.').to_owned())
        .collect();
    assert!(files.iter().any(|f| f == "/usr/bin/presign-desk"));

    run_ok("dpkg", &["-i", deb]);

    // The program is on the PATH and answers without a display.
    let version = run_ok("presign-desk", &["--version"]);
    assert!(
        version.starts_with(&format!("presign-desk {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let help = run_ok("presign-desk", &["--help"]);
    assert!(help.contains("put"), "{help}");

    // The menu entry is where desktops look, valid, and runs the installed program.
    let entry = format!("/usr/share/applications/{APP_ID}.desktop");
    run_ok("desktop-file-validate", &[&entry]);
    let entry_text = std::fs::read_to_string(&entry).expect("the desktop entry is installed");
    assert!(
        entry_text.contains("Exec=presign-desk gui %u"),
        "{entry_text}"
    );
    assert!(entry_text.contains("Name[ja]=") || entry_text.contains("GenericName[ja]="));
    // Its icon resolves in the hicolor theme at every size a menu asks for.
    let icon = entry_text
        .lines()
        .find_map(|line| line.strip_prefix("Icon="))
        .expect("the entry names an icon");
    for size in [32, 48, 64, 128, 256, 512] {
        let path = format!("/usr/share/icons/hicolor/{size}x{size}/apps/{icon}.png");
        assert!(Path::new(&path).is_file(), "{path} is missing");
    }
    assert!(
        Path::new(&format!(
            "/usr/share/icons/hicolor/scalable/apps/{icon}.svg"
        ))
        .is_file()
    );
    assert!(Path::new(&format!("/usr/share/metainfo/{APP_ID}.metainfo.xml")).is_file());

    // `man presign-desk` shows the page, and each command has one of its own.
    let page = Command::new("man")
        .args(["-P", "cat", "presign-desk"])
        .env("MANWIDTH", "80")
        .output()
        .expect("man runs");
    let page = String::from_utf8_lossy(&page.stdout);
    assert!(
        page.contains("presign-desk-put(1)") && page.contains("EXIT STATUS"),
        "{page}"
    );
    let put = run_ok("man", &["-P", "cat", "presign-desk-put"]);
    assert!(
        put.contains("--connections") || put.contains("--content-type"),
        "{put}"
    );
    // bash finds the completion where bash-completion loads it from, and Tab completes.
    let bash = run_ok(
        "bash",
        &[
            "-c",
            ". /usr/share/bash-completion/completions/presign-desk && complete -p presign-desk \
             && COMP_WORDS=(presign-desk put --cont) COMP_CWORD=2 \
             && _presign_desk_at_file presign-desk --cont put && echo \"${COMPREPLY[*]}\"",
        ],
    );
    assert!(
        bash.contains("-F _presign_desk_at_file presign-desk"),
        "{bash}"
    );
    assert!(bash.contains("--content-type"), "{bash}");
    for path in [
        "/usr/share/zsh/vendor-completions/_presign-desk",
        "/usr/share/fish/vendor_completions.d/presign-desk.fish",
        "/usr/share/man/ja/man1/presign-desk.1.gz",
    ] {
        assert!(Path::new(path).is_file(), "{path} is missing");
    }

    run_ok("dpkg", &["-r", "presign-desk"]);

    let left: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("/usr/") && Path::new(f).exists())
        // dpkg -r keeps nothing but conffiles, and the package has none.
        .collect();
    assert!(left.is_empty(), "left in /usr after dpkg -r: {left:?}");
    assert!(
        !run("dpkg", &["-s", "presign-desk"]).status.success(),
        "dpkg still lists the package"
    );
}

/// Runs `script` in bash from the project's folder, with `common.sh` sourced, and `env` set.
fn common_sh(script: &str, env: &[(&str, &str)], unset: &[&str]) -> Output {
    let mut command = Command::new("bash");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("-c")
        .arg(format!(". scripts/common.sh\n{script}"));
    for name in unset {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("bash runs")
}

#[test]
fn the_scripts_find_the_build_folder_with_and_without_cargo_target_dir() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = |env: &[(&str, &str)], unset: &[&str]| {
        let output = common_sh("target_dir", env, unset);
        assert!(output.status.success(), "{output:?}");
        PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
    };
    assert_eq!(found(&[], &["CARGO_TARGET_DIR"]), project.join("target"));
    let elsewhere = std::env::temp_dir().join("presign desk builds/here");
    assert_eq!(
        found(&[("CARGO_TARGET_DIR", elsewhere.to_str().unwrap())], &[]),
        elsewhere,
        "a folder with a space in its name"
    );
    assert_eq!(
        found(&[("CARGO_TARGET_DIR", "relative/out")], &[]),
        project.join("relative/out"),
        "a relative CARGO_TARGET_DIR is taken from the current folder, as cargo does"
    );
    // Every script that uses build output asks cargo, never assumes ./target.
    for script in std::fs::read_dir(project.join("scripts"))
        .unwrap()
        .chain(std::fs::read_dir(project.join("packaging")).unwrap())
    {
        let path = script.unwrap().path();
        if path.extension().is_some_and(|e| e == "sh") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
                .replace("$target/", "the build folder/");
            assert!(
                !code.contains("target/release") && !code.contains("target/debug"),
                "{} names the build folder instead of asking cargo",
                path.display()
            );
        }
    }
}

/// A folder of stand-ins for the package manager that log each call to `calls.log` and then
/// fail, as a mirror in the middle of a sync makes them fail.
fn failing_package_manager(test: &str) -> (PathBuf, PathBuf) {
    let folder =
        std::env::temp_dir().join(format!("presign-desk-apt-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let log = folder.join("calls.log");
    for name in ["apt-get", "sudo"] {
        let path = folder.join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\necho \"{name} $*\" >>'{}'\necho 'E: File has unexpected size. Mirror sync in progress?' >&2\nexit 100\n",
                log.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    (folder, log)
}

#[test]
fn with_every_tool_there_no_package_manager_is_called() {
    let (folder, log) = failing_package_manager("present");
    let path = format!("{}:{}", folder.display(), std::env::var("PATH").unwrap());
    let output = common_sh(
        "need_tools bash:bash sh:dash cargo:cargo && echo ready",
        &[("PATH", &path)],
        &[],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ready\n");
    assert!(!log.exists(), "called: {:?}", std::fs::read_to_string(&log));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_failed_refresh_is_a_warning_and_a_tool_still_missing_is_named_with_its_package() {
    let (folder, log) = failing_package_manager("missing");
    let path = format!("{}:{}", folder.display(), std::env::var("PATH").unwrap());
    let output = common_sh(
        "need_tools bash:bash presign-desk-absent-tool:presign-desk-absent-package; echo not reached",
        &[("PATH", &path)],
        &[],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(3),
        "the script's own status: {stderr}"
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("not reached"));
    // The refresh failed, and the install was tried all the same.
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains("update"), "{calls}");
    assert!(calls.contains("install"), "{calls}");
    assert!(
        stderr.contains("warning: apt-get update failed"),
        "{stderr}"
    );
    let named: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("presign-desk-absent-tool"))
        .collect();
    assert_eq!(named.len(), 1, "{stderr}");
    assert!(named[0].contains("from the Debian package presign-desk-absent-package"));
    // Only the missing tool's package was asked for.
    assert!(!calls.contains(" bash"), "{calls}");
    // With -s, the status the script asks for.
    let output = common_sh(
        "need_tools -s 2 presign-desk-absent-tool:presign-desk-absent-package",
        &[("PATH", &path)],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_dir_all(&folder).unwrap();
}
