//! Starts the playground, a real S3-compatible server on 127.0.0.1 that checks signatures, and
//! prints ready-to-paste presigned links, so anyone can try PresignDesk with no cloud account.
//!
//!     cargo run --example playground [-- --port 9000] [--data DIR] [--expires SECS]
//!
//! Stop it with Ctrl-C.

// The tests' own playground; this program uses only part of it.
#[allow(dead_code)]
#[path = "../tests/playground/mod.rs"]
mod playground;

use std::path::PathBuf;
use std::time::Duration;

use playground::{BUCKET, Method, Playground};

struct Options {
    port: u16,
    data: PathBuf,
    expires_secs: u64,
    /// A relay's port: also print a download link signed for it.
    via: Option<u16>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        port: 9000,
        data: std::env::temp_dir().join("presign-desk-playground"),
        expires_secs: 3600,
        via: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => options.port = value()?.parse().map_err(|_| "--port takes a number")?,
            "--data" => options.data = PathBuf::from(value()?),
            "--expires" => {
                options.expires_secs = value()?.parse().map_err(|_| "--expires takes seconds")?
            }
            "--via" => options.via = Some(value()?.parse().map_err(|_| "--via takes a port")?),
            "-h" | "--help" => {
                return Err(
                    "usage: playground [--port N] [--data DIR] [--expires SECS] [--via RELAY_PORT]"
                        .into(),
                );
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let playground = match Playground::start_in(&options.data, options.port) {
        Ok(playground) => playground,
        Err(e) => {
            eprintln!(
                "could not start the playground on 127.0.0.1:{}: {e}",
                options.port
            );
            std::process::exit(1);
        }
    };
    std::fs::write(
        playground.object_path("hello.txt"),
        "Hello from the PresignDesk playground.\n",
    )
    .expect("sample object");
    let expires = Duration::from_secs(options.expires_secs);
    let in_secs = options.expires_secs as i64;
    let now = jiff::Timestamp::now();

    println!(
        "PresignDesk playground: {} (bucket '{BUCKET}', data in {})",
        playground.endpoint(),
        options.data.display()
    );
    println!(
        "Links are valid for {} s. Paste one into PresignDesk.\n",
        options.expires_secs
    );
    let links = [
        (
            "Upload (SigV4), any Content-Type",
            playground.sign_v4(Method::Put, "uploads/my-file", expires),
        ),
        (
            "Download hello.txt (SigV4)",
            playground.sign_v4(Method::Get, "hello.txt", expires),
        ),
        (
            "Download what you uploaded (SigV4)",
            playground.sign_v4(Method::Get, "uploads/my-file", expires),
        ),
        (
            "Upload to a Japanese name, fa-106/見積.csv (SigV4)",
            playground.sign_v4(Method::Put, "fa-106/見積.csv", expires),
        ),
        (
            "Upload with a signed Content-Type: text/csv (SigV4)",
            playground.sign_v4_with(
                Method::Put,
                "uploads/report.csv",
                expires,
                Some("text/csv"),
                now,
            ),
        ),
        (
            "Upload (legacy SigV2, signed with no Content-Type)",
            playground.sign_v2(
                Method::Put,
                "uploads/legacy.bin",
                None,
                playground::unix_in(in_secs),
            ),
        ),
        (
            "Download hello.txt (legacy SigV2)",
            playground.sign_v2(Method::Get, "hello.txt", None, playground::unix_in(in_secs)),
        ),
        (
            "Already expired (SigV4): the server refuses it",
            playground.sign_v4_with(
                Method::Put,
                "uploads/late",
                Duration::from_secs(60),
                None,
                now - jiff::SignedDuration::from_hours(1),
            ),
        ),
    ];
    for (title, url) in links {
        println!("{title}:\n  {url}\n");
    }
    println!(
        "Upload form (presigned POST, as boto3's generate_presigned_post returns it), to uploads/<file name>, up to 5 GiB:\n  {}\n",
        playground.sign_post(
            "uploads/${filename}",
            options.expires_secs as i64,
            &[
                serde_json::json!(["content-length-range", 0, 5u64 << 30]),
                serde_json::json!({"success_action_status": "201"}),
            ],
            &[("success_action_status", "201")],
        )
    );
    let set = playground.start_multipart("uploads/large-file", 4, expires, None);
    println!(
        "Multipart upload set to uploads/large-file, 4 parts, for one file of 15 MiB to 20 GiB (paste the whole line; a set completes once):\n  {}\n",
        set.to_json("uploads/large-file")
    );
    if let Some(port) = options.via {
        let via = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        println!(
            "Download what you uploaded, through the relay on {via} (SigV4):\n  {}\n",
            playground.sign_v4_get_via(via, "uploads/my-file", expires)
        );
    }
    // A batch as a portal mails it: a link a file, the last one already expired.
    let list: Vec<String> = (1..=12)
        .map(|n| {
            let key = format!("queue/invoice-{n:02}.pdf");
            if n == 12 {
                playground.sign_v4_with(
                    Method::Put,
                    &key,
                    Duration::from_secs(60),
                    None,
                    now - jiff::SignedDuration::from_hours(1),
                )
            } else {
                playground.sign_v4(Method::Put, &key, expires)
            }
        })
        .collect();
    println!(
        "A list of 12 upload links, to queue/invoice-01.pdf to queue/invoice-12.pdf, the last one expired (one a line; paste them all, then drop the files):\n  {}\n",
        list.join("\n  ")
    );
    println!(
        "Try it from a terminal too:\n  presign-desk put '<upload link or form>' FILE\n  presign-desk get '<download link>' -o FILE"
    );
    let (stop, stopped) = std::sync::mpsc::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(());
    });
    let _ = runtime.block_on(async { tokio::task::spawn_blocking(move || stopped.recv()).await });
    drop(playground);
}
