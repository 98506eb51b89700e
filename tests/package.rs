//! Installs the `.deb` that `packaging/build.sh` made, checks what a person gets (the program
//! on the PATH, the menu entry, its icon), then removes it and checks nothing is left in `/usr`.
//!
//! Ignored by default: it needs root and `dpkg`, and changes the machine's installed packages.
//! `INSTALL_TEST=1 packaging/build.sh` runs it, or, with the package already built:
//!
//!     PRESIGNDESK_DEB=target/packages/presign-desk_….deb cargo test --test package -- --ignored

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
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/packages");
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
