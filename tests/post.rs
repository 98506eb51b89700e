//! Presigned POST forms against the playground, which checks a form's policy (its expiry,
//! every condition) and its signature: uploads from the command line in every shape a form
//! is handed over in, the checks made before sending, and each refusal with its cause.

use crate::playground;
use crate::support;

use playground::Playground;
use serde_json::{Value, json};
use support::presign_desk;

fn report(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const CONTENT: &str = "region,revenue\nnorth,120\n";

/// The form as a person saves it, and the file they upload.
struct Setup {
    _dir: tempfile::TempDir,
    form_arg: String,
    file: String,
}

fn setup(form: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, CONTENT).unwrap();
    let form_file = dir.path().join("form.json");
    std::fs::write(&form_file, form).unwrap();
    Setup {
        form_arg: format!("@{}", form_file.display()),
        file: file.display().to_string(),
        _dir: dir,
    }
}

/// The form's JSON with `change` made to its fields.
fn edited(form: &str, change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut value: Value = serde_json::from_str(form).unwrap();
    change(value["fields"].as_object_mut().unwrap());
    value.to_string()
}

#[test]
fn a_form_in_every_shape_uploads_the_file_byte_for_byte() {
    let pg = Playground::start();
    let form = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[
            json!(["content-length-range", 1, 1024]),
            json!({"success_action_status": "201"}),
            json!(["starts-with", "$Content-Type", "text/"]),
        ],
        &[("success_action_status", "201")],
    );
    // The fields in the form's own order (a JSON map in serde_json would sort them).
    let read = presign_desk::post::PostForm::parse(&form).unwrap().unwrap();
    let (url, fields) = (read.url.clone(), read.fields.clone());
    let python = form.replace('"', "'");
    let curl = format!(
        "curl -X POST {} -F 'file=@report.csv' {url}",
        fields
            .iter()
            .map(|(k, v)| format!("-F '{k}={v}'"))
            .collect::<Vec<_>>()
            .join(" \\\n  ")
    );
    let html = format!(
        "<form action=\"{url}\" method=\"post\" enctype=\"multipart/form-data\">\n{}\n<input type=\"file\" name=\"file\"><input type=\"submit\" value=\"Upload\"></form>",
        fields
            .iter()
            .map(|(k, v)| format!("  <input type=\"hidden\" name=\"{k}\" value=\"{v}\" />"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let shapes = [form.clone(), python, curl, html];
    let read: Vec<_> = shapes
        .iter()
        .map(|text| {
            let form = presign_desk::post::PostForm::parse(text).unwrap().unwrap();
            (
                form.url.clone(),
                form.fields.clone(),
                form.file_field.clone(),
            )
        })
        .collect();
    assert!(
        read.windows(2).all(|w| w[0] == w[1]),
        "every shape reads alike"
    );
    for (i, text) in shapes.iter().enumerate() {
        let s = setup(text);
        let out = presign_desk(&["put", "--json", &s.form_arg, &s.file]);
        let r = report(&out);
        assert_eq!(r["result"], "succeeded", "shape {i}: {r:#}");
        assert_eq!(r["status"], 201);
        assert_eq!(r["verification"]["result"], "verified", "{r:#}");
        assert_eq!(
            std::fs::read(pg.object_path("uploads/report.csv")).unwrap(),
            CONTENT.as_bytes()
        );
        std::fs::remove_file(pg.object_path("uploads/report.csv")).unwrap();
    }
    // The fields went in the form's order, the file last, with an exact length.
    let received = pg.last_received();
    assert_eq!(received.method, "POST");
    assert!(received.header("content-length").is_some());
    assert!(received.header("transfer-encoding").is_none());
}

/// Sends `form` anyway and returns the first cause of the storage's refusal, with its strength.
fn refused(form: &str, extra: &[&str]) -> (String, String, Value) {
    let s = setup(form);
    let mut args = vec!["put", "--json", "--send-anyway", &s.form_arg, &s.file];
    args.extend(extra);
    let r = report(&presign_desk(&args));
    assert_eq!(r["result"], "refused", "{r:#}");
    (
        r["causes"][0]["id"].as_str().unwrap_or_default().to_owned(),
        r["causes"][0]["strength"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        r,
    )
}

#[test]
fn each_refusal_of_the_storage_is_named_for_the_form() {
    let pg = Playground::start();
    let sign = |conditions: &[Value], fields: &[(&str, &str)], expires: i64| {
        pg.sign_post("uploads/${filename}", expires, conditions, fields)
    };
    let base = sign(&[], &[], 3600);
    let cases: Vec<(&str, String, Vec<&str>, &str)> = vec![
        ("expired", sign(&[], &[], -60), vec![], "policy-expired"),
        (
            "a key outside the prefix",
            edited(&base, |f| {
                f.insert("key".into(), "other/${filename}".into());
            }),
            vec![],
            "policy-condition",
        ),
        (
            "too large",
            sign(&[json!(["content-length-range", 1, 10])], &[], 3600),
            vec![],
            "too-large",
        ),
        (
            "too small",
            sign(&[json!(["content-length-range", 1000, 2000])], &[], 3600),
            vec![],
            "too-small",
        ),
        (
            "another file type",
            sign(&[json!(["eq", "$Content-Type", "text/csv"])], &[], 3600),
            vec!["--content-type", "text/plain"],
            "policy-condition",
        ),
        (
            "a field the policy does not cover",
            edited(&base, |f| {
                f.insert("x-amz-meta-note".into(), "hi".into());
            }),
            vec![],
            "policy-extra-field",
        ),
        (
            "the policy altered",
            edited(&base, |f| {
                use base64::Engine as _;
                let policy = f["policy"].as_str().unwrap().to_owned();
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(policy)
                    .unwrap();
                let changed = String::from_utf8(decoded)
                    .unwrap()
                    .replace("uploads/", "upload/");
                f.insert(
                    "policy".into(),
                    base64::engine::general_purpose::STANDARD
                        .encode(changed)
                        .into(),
                );
            }),
            vec![],
            "url-altered",
        ),
        (
            // The playground, like some S3-compatible servers, holds a form to the 15 minutes
            // of an ordinary request; the form is still valid by its policy.
            "signed 20 minutes ago",
            pg.sign_post_at(
                "uploads/${filename}",
                3600,
                &[],
                &[],
                jiff::Timestamp::now() - jiff::SignedDuration::from_mins(20),
            ),
            vec![],
            "server-skew-window",
        ),
    ];
    for (name, form, extra, first) in cases {
        let (id, strength, r) = refused(&form, &extra);
        assert_eq!(id, first, "{name}: {r:#}");
        // Only the server's words prove a cause; a late form and an altered one are inferred.
        let expected = if first == "server-skew-window" {
            "likely"
        } else {
            "proven"
        };
        if first != "url-altered" {
            assert_eq!(strength, expected, "{name}: {r:#}");
        }
        if first == "server-skew-window" {
            assert_eq!(r["ask_whom"], "operator", "{r:#}");
            assert!(
                r["explanation"].as_str().unwrap().contains("20 min"),
                "{r:#}"
            );
        }
        assert!(r["title"].is_string() && r["ask"].is_string(), "{name}");
    }
}

#[test]
fn checks_before_sending_stop_what_the_storage_would_refuse() {
    let pg = Playground::start();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "expired",
            pg.sign_post("uploads/${filename}", -60, &[], &[]),
            "policy-expired",
        ),
        (
            "too large",
            pg.sign_post(
                "uploads/${filename}",
                3600,
                &[json!(["content-length-range", 1, 10])],
                &[],
            ),
            "too-large",
        ),
        (
            "no key",
            edited(&pg.sign_post("uploads/${filename}", 3600, &[], &[]), |f| {
                f.remove("key");
            }),
            "form-field-missing",
        ),
    ];
    for (name, form, first) in cases {
        let s = setup(&form);
        let out = presign_desk(&["put", "--json", &s.form_arg, &s.file]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let r = report(&out);
        assert_eq!(r["result"], "failed", "{name}: {r:#}");
        assert_eq!(r["causes"][0]["id"], first, "{name}: {r:#}");
        assert_eq!(r["causes"][0]["strength"], "proven");
        // And in words on the terminal: the same title, the same exit code.
        let words = presign_desk(&["put", "--lang", "en", &s.form_arg, &s.file]);
        assert_eq!(words.status.code(), Some(1), "{name}");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&words.stdout),
            String::from_utf8_lossy(&words.stderr)
        );
        let title = r["title"].as_str().expect("a title");
        assert!(said.contains(title), "{name}: {title:?} in {said}");
    }
    assert!(pg.received().is_empty(), "nothing was sent");
}

fn has_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

#[test]
fn a_refused_form_is_explained_in_the_language_asked_for() {
    let pg = Playground::start();
    let base = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[json!(["eq", "$Content-Type", "text/csv"])],
        &[],
    );
    let form = edited(&base, |f| {
        f.insert("key".into(), "other/${filename}".into());
    });
    let s = setup(&form);
    for lang in ["en", "ja"] {
        let said = |out: &std::process::Output| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        };
        // Sent anyway with a key the policy does not allow: the storage refuses it.
        let sent = presign_desk(&["put", "--send-anyway", "--lang", lang, &s.form_arg, &s.file]);
        assert_eq!(sent.status.code(), Some(1), "{lang}: {}", said(&sent));
        assert_eq!(
            has_japanese(&said(&sent)),
            lang == "ja",
            "{lang}: {}",
            said(&sent)
        );
        // A file type the policy rules out: stopped here, naming the type it asks for.
        let typed = presign_desk(&[
            "put",
            "--lang",
            lang,
            "--content-type",
            "text/plain",
            &s.form_arg,
            &s.file,
        ]);
        assert_eq!(typed.status.code(), Some(1), "{lang}: {}", said(&typed));
        assert!(
            said(&typed).contains("text/csv"),
            "{lang}: {}",
            said(&typed)
        );
        assert_eq!(
            has_japanese(&said(&typed)),
            lang == "ja",
            "{lang}: {}",
            said(&typed)
        );
    }
    assert_eq!(
        pg.received().len(),
        2,
        "only the two sent anyway reached the storage"
    );
}

#[test]
fn the_storage_answer_is_shown_and_a_redirect_is_not_followed() {
    let pg = Playground::start();
    // A 201 names the stored object; the key comes from the file's name.
    let form = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[json!({"success_action_status": "201"})],
        &[("success_action_status", "201")],
    );
    let s = setup(&form);
    let out = presign_desk(&["put", &s.form_arg, &s.file]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Stored as playground/uploads/report.csv"),
        "{said}"
    );

    // A form that sends the browser on to a page: the page is named, never fetched (nothing
    // listens there).
    let page = "http://127.0.0.1:9/thanks";
    let form = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[json!({"success_action_redirect": page})],
        &[("success_action_redirect", page)],
    );
    let s = setup(&form);
    let out = presign_desk(&["put", "--json", &s.form_arg, &s.file]);
    let r = report(&out);
    assert_eq!(r["result"], "succeeded", "{r:#}");
    assert_eq!(r["status"], 303);
    // S3 adds the object to the page's address; its ETag proves what arrived.
    let location = r["location"].as_str().unwrap_or_default();
    assert!(location.starts_with(&format!("{page}?")), "{r:#}");
    assert_eq!(r["key"], "uploads/report.csv");
    assert_eq!(r["verification"]["result"], "verified", "{r:#}");
    let out = presign_desk(&["put", &s.form_arg, &s.file]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("not opened: {page}")), "{said}");
    assert_eq!(
        std::fs::read(pg.object_path("uploads/report.csv")).unwrap(),
        CONTENT.as_bytes()
    );
}

#[test]
fn put_curl_prints_the_exact_request_and_sends_nothing() {
    let pg = Playground::start();
    let form = pg.sign_post(
        "uploads/${filename}",
        3600,
        &[json!({"success_action_status": "201"})],
        &[("success_action_status", "201")],
    );
    let s = setup(&form);
    let out = presign_desk(&["put", "--curl", &s.form_arg, &s.file]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        !pg.object_path("uploads/report.csv").exists(),
        "nothing was sent"
    );
    let command = String::from_utf8(out.stdout).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("secret signature"),
        "it says the command holds the signature"
    );
    // The command a tester would paste, run by the shell: the same upload, byte for byte.
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{} -sS -f -o /dev/null", command.trim()))
        .output()
        .expect("sh and curl");
    assert!(run.status.success(), "{run:?}\n{command}");
    assert_eq!(
        std::fs::read(pg.object_path("uploads/report.csv")).unwrap(),
        CONTENT.as_bytes()
    );
}
