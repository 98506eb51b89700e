//! Helpers shared by the integration tests.

pub mod azurite;
pub mod echo;
pub mod fault_server;
pub mod gcs;
pub mod relay;
pub mod secrets;
pub mod window;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use presign_desk::link::PresignedLink;
use presign_desk::transfer::{
    self, CancellationToken, Outcome, Plan, Progress, Reporter, TransferEvent,
};

/// Uploads `file` to `url` with `content_type` (None: no header).
pub async fn put(url: &str, file: &Path, content_type: Option<&str>) -> Outcome {
    let link = PresignedLink::parse(url).expect("a link the app can read");
    let len = std::fs::metadata(file).expect("the file exists").len();
    let plan = Plan::upload(&link, file.to_owned(), len, content_type);
    run(&plan).await.0
}

/// Downloads `url` into `destination`.
pub async fn get(url: &str, destination: &Path, replace_existing: bool) -> Outcome {
    let link = PresignedLink::parse(url).expect("a link the app can read");
    let plan = Plan::download(&link, destination.to_owned(), replace_existing);
    run(&plan).await.0
}

/// Runs `plan`, collecting progress events.
pub async fn run(plan: &Plan) -> (Outcome, Vec<Progress>) {
    let (outcome, progress, _) = run_with(plan, &transfer::Options::default()).await;
    (outcome, progress)
}

/// Runs `plan` with `options`, collecting progress events and the attempts announced.
pub async fn run_with(
    plan: &Plan,
    options: &transfer::Options,
) -> (Outcome, Vec<Progress>, Vec<u32>) {
    let client = transfer::http_client().expect("HTTP client");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let retries = Arc::new(Mutex::new(Vec::new()));
    let (progress_sink, retry_sink) = (progress.clone(), retries.clone());
    let report: Reporter = Arc::new(move |event| match event {
        TransferEvent::Progress(p) => progress_sink.lock().unwrap().push(p),
        TransferEvent::Retrying { next_attempt, .. } => {
            retry_sink.lock().unwrap().push(next_attempt)
        }
        // Tests that leave a partial file on purpose watch for this themselves.
        TransferEvent::PartialLeft { .. }
        | TransferEvent::PartsAlreadyThere { .. }
        | TransferEvent::PartsKept { .. }
        | TransferEvent::PartArrived { .. }
        | TransferEvent::PartsNeedLinks { .. } => {}
    });
    let outcome =
        transfer::run_with(&client, plan, options, report, &CancellationToken::new()).await;
    let progress = progress.lock().unwrap().clone();
    let retries = retries.lock().unwrap().clone();
    (outcome, progress, retries)
}

/// The real links in `tests/fixtures/links` (made by boto3, the JS SDK, the GCS and Azure SDKs).
pub fn fixture_links() -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/links/links.json")).unwrap();
    json["links"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Writes `len` bytes of a repeatable, non-uniform pattern to `path`, in pieces.
pub fn write_pattern(path: &Path, len: u64) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state: u32 = 0x1234_5678;
    let mut block = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        for byte in block.iter_mut() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *byte = state as u8;
        }
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n]).unwrap();
        left -= n as u64;
    }
    file.flush().unwrap();
}

/// Whether two files hold the same bytes, compared in pieces (no whole-file buffers).
pub fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (mut fa, mut fb) = (
        std::fs::File::open(a).unwrap(),
        std::fs::File::open(b).unwrap(),
    );
    if fa.metadata().unwrap().len() != fb.metadata().unwrap().len() {
        return false;
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = fa.read(&mut ba).unwrap();
        if n == 0 {
            return true;
        }
        fb.read_exact(&mut bb[..n]).unwrap();
        if ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Every file in `dir`, hidden ones included.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The HTTP status of a refusal, with its error code; panics with the outcome otherwise.
pub fn refused(outcome: &Outcome) -> (u16, String) {
    match outcome {
        Outcome::Refused(r) => (r.status, r.body.code.clone().unwrap_or_default()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Panics unless the outcome is a success.
pub fn succeeded(outcome: &Outcome) -> &transfer::Success {
    match outcome {
        Outcome::Succeeded(s) => s,
        other => panic!("expected success, got {other:?}"),
    }
}

/// A PUT of `body` with no Content-Length, streamed in chunks, as clients that do not know the
/// size send it.
pub async fn put_chunked(url: &str, body: &'static [u8]) -> reqwest::Response {
    let stream =
        futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(body))]);
    reqwest::Client::new()
        .put(url)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("the server answers")
}

/// A server on 127.0.0.1 that answers every GET with a large body announced in full, sends its
/// first 64 KiB, then holds the connection without sending more: a download that stays running
/// until it is cancelled. Returns a presigned-looking link to it.
pub fn trickle_server() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    request.push(byte[0]);
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\nETag: \"0123456789abcdef0123456789abcdef\"\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let _ = stream.write_all(&vec![b'x'; 64 * 1024]);
                // Hold the connection until the client goes away (or a minute passes).
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
                let _ = stream.read(&mut [0u8; 1]);
            });
        }
    });
    format!(
        "http://127.0.0.1:{port}/bucket/large.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    )
}

/// Runs the `presign-desk` binary in English (whatever this machine's locale), in UTC.
pub fn presign_desk(args: &[&str]) -> std::process::Output {
    presign_desk_in("C.UTF-8", args)
}

/// The program the CLI tests run: this build's `presign-desk`, or the one `PRESIGNDESK_PROGRAM`
/// names, started through `PRESIGNDESK_RUNNER` when set. scripts/windows-check.sh runs the
/// tests so against the installed `presign-desk-cli.exe` under Wine.
pub fn program() -> std::process::Command {
    let program = std::env::var_os("PRESIGNDESK_PROGRAM")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_presign-desk").into());
    match std::env::var_os("PRESIGNDESK_RUNNER") {
        Some(runner) => {
            let mut command = std::process::Command::new(runner);
            command.arg(program);
            command
        }
        None => std::process::Command::new(program),
    }
}

/// Runs the `presign-desk` binary with `LANG` set to `lang`, no other locale variable, in UTC.
pub fn presign_desk_in(lang: &str, args: &[&str]) -> std::process::Output {
    program()
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("TZ", "UTC")
        .output()
        .expect("the binary runs")
}

/// `link` with its SigV4 signature changed on the way: the storage refuses it.
pub fn wrong_signature(link: &str) -> String {
    let (head, signature) = link.rsplit_once("X-Amz-Signature=").unwrap();
    let flipped: String = signature
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    format!("{head}X-Amz-Signature={flipped}")
}
