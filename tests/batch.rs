//! Many at once from the terminal, against the playground (s3s checks every signature): a list
//! of links with files matched by name and by order, a manifest, a folder through one form,
//! links to one folder, many links inspected and checked; one expired and one wrong link among
//! them said in their lines, the others done; no secret in any output.

use std::path::Path;
use std::time::Duration;

use crate::multipart::presign_desk;
use crate::playground::{Method, Playground};
use crate::support::{same_bytes, write_pattern, wrong_signature};

const HOUR: Duration = Duration::from_secs(3600);

/// Signatures and tokens of `links`, none of which may show in `text`.
fn assert_no_secret(links: &[String], text: &str) {
    for link in links {
        let Some((_, signature)) = link.rsplit_once("X-Amz-Signature=") else {
            continue;
        };
        assert!(!text.contains(signature), "a signature in {text}");
    }
}

fn lines(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn forty_files_and_forty_shuffled_links_are_matched_and_all_arrive_whole() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("month");
    std::fs::create_dir_all(files.join("north")).unwrap();
    let mut links = Vec::new();
    for n in 0..40u64 {
        let name = format!("invoice-{n:02}.pdf");
        let sub = if n % 2 == 0 { "north" } else { "" };
        write_pattern(&files.join(sub).join(&name), 1000 + n * 4099);
        links.push(pg.sign_v4(Method::Put, &format!("2026/12/{name}"), HOUR));
    }
    // Hidden files in the folder are left out and said.
    std::fs::write(files.join(".DS_Store"), "x").unwrap();
    // Shuffled, as a portal's mail lists them; one given twice.
    let mut shuffled: Vec<String> = (0..40).map(|n| links[(n * 17) % 40].clone()).collect();
    shuffled.push(links[3].clone());
    let list = dir.path().join("links.txt");
    std::fs::write(
        &list,
        format!(
            "Here are this month's links:\n\n{}\n\nThanks!",
            shuffled.join("\n")
        ),
    )
    .unwrap();
    let out = presign_desk(
        dir.path(),
        &[
            "put",
            &format!("@{}", list.display()),
            files.to_str().unwrap(),
            "--json",
        ],
    );
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("40 of 40 links matched to files: 40 by the file's name, 0 by order"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Hidden files and folders left out of the folders given: 1."),
        "{stderr}"
    );
    assert!(
        stderr.contains("Link 41 of the list is the same as link"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = report.as_array().unwrap();
    assert_eq!(rows.len(), 40);
    for row in rows {
        assert_eq!(row["result"], "succeeded", "{row}");
        assert_eq!(row["matched_by"], "name", "{row}");
        assert_eq!(
            row["transfer"]["verification"]["result"], "verified",
            "{row}"
        );
        let file = Path::new(row["file"].as_str().unwrap());
        let key = row["target"]
            .as_str()
            .unwrap()
            .strip_prefix("playground/")
            .unwrap();
        assert!(key.ends_with(&*file.file_name().unwrap().to_string_lossy()));
        assert!(same_bytes(file, &pg.object_path(key)), "{key}");
    }
    assert_no_secret(&links, &format!("{stdout}{stderr}"));
}

#[test]
fn a_manifest_and_a_list_with_an_expired_and_a_wrong_link_say_each_in_its_line() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let mut links = Vec::new();
    for n in 0..5 {
        write_pattern(&dir.path().join(format!("r{n}.csv")), 5000 + n);
        links.push(pg.sign_v4(Method::Put, &format!("in/r{n}.csv"), HOUR));
    }
    // r3's link expired an hour ago; r4's signature was changed on the way.
    links[3] = pg.sign_v4_with(
        Method::Put,
        "in/r3.csv",
        Duration::from_secs(60),
        None,
        jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1),
    );
    links[4] = wrong_signature(&links[4]);
    let manifest = dir.path().join("manifest.csv");
    let rows: Vec<String> = (0..5).map(|n| format!("r{n}.csv,{}", links[n])).collect();
    std::fs::write(&manifest, format!("file,url\n{}\n", rows.join("\n"))).unwrap();
    let out = presign_desk(dir.path(), &["put", &format!("@{}", manifest.display())]);
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    for n in 0..3 {
        assert!(pg.object_path(&format!("in/r{n}.csv")).exists());
    }
    assert!(!pg.object_path("in/r3.csv").exists());
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no line for {name} in {stdout}"))
            .to_owned()
    };
    assert!(line("r0.csv").starts_with('✓'), "{stdout}");
    assert!(
        line("r3.csv").contains("not sent") && line("r3.csv").contains("expired"),
        "{stdout}"
    );
    assert!(line("r4.csv").contains("refused (403)"), "{stdout}");
    assert!(
        stdout.contains("3 of 5 done · 1 failed · 1 not sent"),
        "{stdout}"
    );
    assert_no_secret(&links, &format!("{stdout}{stderr}"));

    // The same batch as a list and files: keys that do not name their files go by order, and
    // are said before anything is sent.
    let list = dir.path().join("links.txt");
    let plain: Vec<String> = (0..3)
        .map(|n| pg.sign_v4(Method::Put, &format!("drop/{n}-7f3e"), HOUR))
        .collect();
    std::fs::write(&list, plain.join("\n")).unwrap();
    let files: Vec<String> = (0..3)
        .map(|n| dir.path().join(format!("r{n}.csv")).display().to_string())
        .collect();
    let mut args = vec!["put".to_owned(), format!("@{}", list.display())];
    args.extend(files.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = presign_desk(dir.path(), &args);
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("3 of 3 links matched to files: 0 by the file's name, 3 by order"),
        "{stderr}"
    );
    assert!(
        stderr.contains("r1.csv → playground/drop/1-7f3e (by order"),
        "{stderr}"
    );
    for n in 0..3 {
        assert!(same_bytes(
            &dir.path().join(format!("r{n}.csv")),
            &pg.object_path(&format!("drop/{n}-7f3e"))
        ));
    }
}

#[test]
fn what_cannot_be_matched_is_said_and_never_sent() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    for folder in ["north", "south"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        write_pattern(&dir.path().join(folder).join("report.csv"), 300);
    }
    write_pattern(&dir.path().join("extra.csv"), 10);
    let links = [
        pg.sign_v4(Method::Put, "report.csv", HOUR),
        pg.sign_v4(Method::Put, "south/summary.csv", HOUR),
    ];
    let list = dir.path().join("links.txt");
    std::fs::write(&list, links.join("\n")).unwrap();
    let out = presign_desk(
        dir.path(),
        &[
            "put",
            &format!("@{}", list.display()),
            dir.path().join("north").to_str().unwrap(),
            dir.path().join("south").to_str().unwrap(),
            dir.path().join("extra.csv").to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("2 files are called report.csv"), "{stderr}");
    assert!(
        stderr.contains("1 files have no link and are not sent"),
        "{stderr}"
    );
    assert!(
        stdout.contains("not sent: no file was given for this link"),
        "{stdout}"
    );
    assert!(
        pg.received().iter().all(|r| r.method != "PUT"),
        "nothing is sent"
    );
}

#[test]
fn a_folder_goes_through_one_form_and_ten_links_download_to_one_folder() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("photos");
    std::fs::create_dir_all(folder.join("day2")).unwrap();
    for n in 0..6 {
        let sub = if n < 3 { "" } else { "day2" };
        write_pattern(&folder.join(sub).join(format!("p{n}.jpg")), 2000 + n);
    }
    let form = pg.sign_post("uploads/${filename}", 3600, &[], &[]);
    let out = presign_desk(dir.path(), &["put", &form, folder.to_str().unwrap()]);
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("6 of 6 done"), "{stdout}");
    for n in 0..6 {
        assert!(
            pg.object_path(&format!("uploads/p{n}.jpg")).exists(),
            "{stdout}"
        );
    }

    // Ten download links to one folder; one expired, one changed: each in its line.
    let mut links: Vec<String> = (0..10)
        .map(|n| {
            let key = format!("get/d{n}.bin");
            std::fs::create_dir_all(pg.object_path(&key).parent().unwrap()).unwrap();
            write_pattern(&pg.object_path(&key), 40_000 + n);
            pg.sign_v4(Method::Get, &key, HOUR)
        })
        .collect();
    links[8] = pg.sign_v4_with(
        Method::Get,
        "get/d8.bin",
        Duration::from_secs(60),
        None,
        jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1),
    );
    links[9] = wrong_signature(&links[9]);
    let list = dir.path().join("downloads.txt");
    std::fs::write(&list, links.join("\n")).unwrap();
    let saved = dir.path().join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    let out = presign_desk(
        dir.path(),
        &[
            "get",
            &format!("@{}", list.display()),
            "-o",
            saved.to_str().unwrap(),
            "--json",
        ],
    );
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let results: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(results[..8], ["succeeded"; 8]);
    assert_eq!(results[8..], ["not-sent", "refused"]);
    for n in 0..8 {
        assert!(same_bytes(
            &saved.join(format!("d{n}.bin")),
            &pg.object_path(&format!("get/d{n}.bin"))
        ));
    }
    // A refused download leaves no file behind.
    assert!(!saved.join("d9.bin").exists());
    assert_no_secret(&links, &format!("{stdout}{stderr}"));
}

#[test]
fn many_links_are_inspected_and_checked_with_the_ones_that_cannot_work_first() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    write_pattern(&pg.object_path("there.bin"), 100);
    let good = pg.sign_v4(Method::Get, "there.bin", HOUR);
    let upload = pg.sign_v4(Method::Put, "new.bin", HOUR);
    let expired = pg.sign_v4_with(
        Method::Get,
        "there.bin",
        Duration::from_secs(60),
        None,
        jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2),
    );
    let changed = wrong_signature(&good);
    let cut = good[..good.find("&X-Amz-Signature").unwrap()].to_owned();
    let links = [good.clone(), upload, expired, changed, cut];
    let list = dir.path().join("links.txt");
    std::fs::write(&list, links.join("\n")).unwrap();
    let at = format!("@{}", list.display());

    let out = presign_desk(dir.path(), &["inspect", &at]);
    let (stdout, _) = lines(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let table: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        table[0], "5 links: 2 cannot work, 0 may fail, 3 work",
        "{stdout}"
    );
    // Reading alone cannot tell the changed signature: it works as far as reading goes.
    assert!(
        table[1].starts_with("✗ 3. cannot work") || table[1].starts_with("✗ 5. cannot work"),
        "{stdout}"
    );
    let out = presign_desk(dir.path(), &["inspect", &at, "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5);
    assert_eq!(rows[0]["verdict"], "cannot-work");
    assert_eq!(rows[4]["verdict"], "works");

    // The check asks the storage: the changed link is refused, and sorts among the first.
    let out = presign_desk(dir.path(), &["check", &at, "--json"]);
    let (stdout, stderr) = lines(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let by_position = |n: u64| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["position"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_position(1)["checked"], "ok");
    assert_eq!(by_position(2)["checked"], "inspected");
    assert_eq!(by_position(4)["checked"], "refused");
    assert_eq!(by_position(4)["verdict"], "cannot-work");
    let verdicts: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "cannot-work",
            "cannot-work",
            "cannot-work",
            "works",
            "works"
        ]
    );
    assert_no_secret(&links, &format!("{stdout}{stderr}"));
}
