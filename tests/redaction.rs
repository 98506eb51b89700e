//! The redaction audit of the command line: a successful and a failing upload and download with
//! each provider's link (S3 SigV4 with a security token, S3 SigV2, GCS, Azure SAS), plus
//! `inspect` and `check`, in English and Japanese, as text and as `--json`. The failing server
//! echoes every secret back in its error body, as real ones do. No secret may appear anywhere.
//! (The window's texts are audited in `ui.rs`.)

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use support::secrets::{audit_server, echoing_body, links, secrets};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_cli_output() {
    let failing = Arc::new(AtomicBool::new(false));
    let server = audit_server(failing.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, b"hello").unwrap();
    let file = file.to_str().unwrap().to_owned();
    let mut secrets = secrets();
    secrets.0.push(support::secrets::form_policy(server.port));
    let mut runs = 0;
    for fail in [false, true] {
        failing.store(fail, Ordering::SeqCst);
        for (provider, url) in links(server.port) {
            for lang in ["C.UTF-8", "ja_JP.UTF-8"] {
                let out = dir.path().join("out.bin").to_str().unwrap().to_owned();
                let commands: Vec<Vec<&str>> = vec![
                    vec!["put", &url, &file],
                    vec!["put", &url, &file, "--json"],
                    vec!["get", &url, "-o", &out, "--overwrite"],
                    vec!["get", &url, "-o", &out, "--overwrite", "--json"],
                    vec!["check", &url],
                    vec!["check", &url, "--json"],
                    vec!["inspect", &url],
                    vec!["inspect", &url, "--json"],
                ];
                for args in commands {
                    let output =
                        tokio::task::block_in_place(|| support::presign_desk_in(lang, &args));
                    let what = format!("{provider} {lang} fail={fail} {}", args.join(" "));
                    secrets.assert_absent(&what, &String::from_utf8_lossy(&output.stdout));
                    secrets.assert_absent(&what, &String::from_utf8_lossy(&output.stderr));
                    runs += 1;
                }
            }
        }
    }
    // `explain` of a saved error body, with the link.
    let body = dir.path().join("body.xml");
    std::fs::write(&body, echoing_body()).unwrap();
    for (provider, url) in links(server.port) {
        for json in [false, true] {
            let mut args = vec!["explain", body.to_str().unwrap(), "--url", &url];
            if json {
                args.push("--json");
            }
            let output = support::presign_desk(&args);
            let what = format!("explain {provider} json={json}");
            assert!(output.status.code().is_some());
            secrets.assert_absent(&what, &String::from_utf8_lossy(&output.stdout));
            secrets.assert_absent(&what, &String::from_utf8_lossy(&output.stderr));
        }
    }
    assert_eq!(runs, 2 * 5 * 2 * 8);
    assert!(server.seen().len() >= 2 * 4 * 2 * 4, "the transfers ran");
}
