//! Long fuzz runs, on demand:
//!
//!     FUZZ_CASES=1000000 cargo test --release --test suite -- --ignored fuzz:: --nocapture
//!
//! Each target gets `FUZZ_CASES` cases (100 000 when unset) built from real inputs by random
//! edits and from random bytes: the link parser with the paste repair and the inspector, the
//! error-body reader with the explainer, and the file-name sanitiser with Content-Disposition.
//! No case may panic or take longer than `CASE_LIMIT`; memory must stay bounded. Each prints
//! how many cases ran, in how long, and the peak memory. CI keeps the short proptest run in
//! `parse_never_panics.rs`.

use crate::support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use presign_desk::diagnose::{Answer, Attempt, ErrorBody, creator_message, diagnose, readable};
use presign_desk::link::PresignedLink;
use presign_desk::link::report::{InspectJson, summary_text};
use presign_desk::transfer::naming;
use support::fixture_links;

/// The most one case may take, however hostile (release build; a debug build is far slower).
const CASE_LIMIT: Duration = Duration::from_secs(2);
/// The most the whole process may hold at its peak.
const MEMORY_LIMIT_KIB: u64 = 512 * 1024;

fn cases() -> u64 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// xorshift64*: fast, repeatable from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces worth inserting: what links, pastes and error bodies are made of.
const TOKENS: &[&str] = &[
    "%",
    "%2",
    "%25",
    "%2F",
    "%00",
    "%E3%81",
    "?",
    "&",
    "=",
    "#",
    "/",
    "//",
    "/../",
    "/./",
    "\\",
    ":",
    "@",
    "[",
    "]",
    "[::1]",
    "\"",
    "'",
    "<",
    ">",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u{feff}",
    "\u{200b}",
    "「",
    "」",
    "“",
    "”",
    "見積",
    "é",
    "\u{0}",
    "X-Amz-Signature=",
    "X-Amz-Date=",
    "X-Amz-Expires=",
    "X-Amz-Credential=",
    "X-Amz-Security-Token=",
    "X-Amz-SignedHeaders=",
    "Signature=",
    "Expires=",
    "AWSAccessKeyId=",
    "sig=",
    "se=",
    "sp=",
    "sv=",
    "X-Goog-Date=",
    "X-Goog-Expires=",
    "utm_source=",
    "x-id=PutObject",
    "https://",
    "http://",
    "s3.amazonaws.com",
    ".blob.core.windows.net",
    "storage.googleapis.com",
    "99999999999999999999",
    "-1",
    "20261125T000000Z",
    "<Error>",
    "</Error>",
    "<Code>",
    "</Code>",
    "<Message>",
    "</Message>",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    "&a;",
    "&amp;",
    "&#x0;",
    "&#99999999;",
    "<![CDATA[",
    "]]>",
    "<?xml version=\"1.0\"?>",
    "<!--",
    "-->",
    "{\"error\":",
    "}",
    "<html>",
    "<body>",
];

/// One random edit: insert a token or a random character, delete, duplicate or cut.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(6) {
        let at = rng.below(chars.len() + 1);
        match rng.below(7) {
            0 | 1 => {
                let token: Vec<char> = rng.pick(TOKENS).chars().collect();
                chars.splice(at..at, token);
            }
            2 => {
                let c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{fffd}');
                chars.insert(at, c);
            }
            3 if at < chars.len() => {
                let end = (at + 1 + rng.below(8)).min(chars.len());
                chars.drain(at..end);
            }
            4 if at < chars.len() => {
                let end = (at + 1 + rng.below(40)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, copy);
            }
            5 => chars.truncate(at),
            _ => {
                if let Some(c) = chars.get_mut(at) {
                    *c = char::from(rng.below(128) as u8);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn random_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    (0..rng.below(max)).map(|_| rng.next() as u8).collect()
}

fn fixture_bodies() -> Vec<String> {
    let mut bodies: Vec<String> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/errors"
    ))
    .map(|dir| {
        dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    })
    .unwrap_or_default();
    bodies.extend([
        "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>AWS4-HMAC-SHA256\n20261125T000000Z</StringToSign><CanonicalRequest>PUT\n/b/k\nX-Amz-Date=1\nhost:h\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>".to_owned(),
        "<?xml version=\"1.0\"?><Error><Code>RequestTimeTooSkewed</Code><RequestTime>20261125T000000Z</RequestTime><ServerTime>2026-11-25T09:00:00Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>".to_owned(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1\nTime:2026-11-25T00:00:00Z</Message><AuthenticationErrorDetail>Signature did not match. String to sign used was w\n\n2026-11-25T09:00:00Z</AuthenticationErrorDetail></Error>".to_owned(),
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]><Error><Code>&lol2;&x;</Code></Error>".to_owned(),
        "<html><head><title>Access blocked</title></head><body>Blocked by policy</body></html>".to_owned(),
    ]);
    bodies
}

/// Runs `case` for `cases()` inputs on a worker thread while this thread watches the time each
/// takes; panics with the input when one is too slow. Prints the figures.
fn run(target: &str, make: fn(&mut Rng) -> String, case: fn(&str)) {
    let total = cases();
    let done = Arc::new(AtomicU64::new(0));
    let current = Arc::new(Mutex::new(String::new()));
    let (worker_done, worker_current) = (done.clone(), current.clone());
    let started = Instant::now();
    let worker = std::thread::spawn(move || {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ total);
        for _ in 0..total {
            let input = make(&mut rng);
            worker_current.lock().unwrap().clone_from(&input);
            case(&input);
            worker_done.fetch_add(1, Ordering::Relaxed);
        }
    });
    let (mut last, mut since) = (0, Instant::now());
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(50));
        let now = done.load(Ordering::Relaxed);
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() > CASE_LIMIT {
            panic!(
                "{target}: case {now} took over {CASE_LIMIT:?}: {:?}",
                current.lock().unwrap()
            );
        }
    }
    if let Err(panic) = worker.join() {
        eprintln!("{target}: panicked on {:?}", current.lock().unwrap());
        std::panic::resume_unwind(panic);
    }
    let peak = peak_memory_kib();
    println!(
        "{target}: {total} cases in {:.1} s, no panic, none over {CASE_LIMIT:?}, peak memory {} MiB",
        started.elapsed().as_secs_f64(),
        peak / 1024
    );
    assert!(peak < MEMORY_LIMIT_KIB, "{target}: peak memory {peak} KiB");
}

/// The process's peak resident memory (Linux), 0 where unknown.
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_795_000_000).unwrap()
}

fn link_case(text: &str) {
    let _ = presign_desk::link::paste::clean(text);
    if let Ok(link) = PresignedLink::parse(text) {
        let findings = link.findings(now(), None);
        let _ = summary_text(&link, &findings, now());
        let _ = serde_json::to_string(&InspectJson::new(&link, now()));
        let _ = link.raw().request_target();
        let _ = link.redacted();
        let _ = naming::file_name_for(&link);
    }
}

fn make_link(rng: &mut Rng) -> String {
    thread_local! { static LINKS: Vec<String> = fixture_links(); }
    match rng.below(10) {
        0 => String::from_utf8_lossy(&random_bytes(rng, 300)).into_owned(),
        1 => {
            // A pasted link in wrappers.
            let link = LINKS.with(|l| rng.pick(l).clone());
            let (open, close) = *rng.pick(&[("<", ">"), ("\"", "\""), ("「", "」"), (" ", "\n")]);
            mutate(rng, &format!("{open}{link}{close}"))
        }
        _ => {
            let link = LINKS.with(|l| rng.pick(l).clone());
            mutate(rng, &link)
        }
    }
}

fn body_case(text: &str) {
    // The first character picks the status and whether a link comes with it.
    let selector = text.bytes().next().unwrap_or(0);
    let body = ErrorBody::parse(text.as_bytes());
    let link = selector
        .is_multiple_of(2)
        .then(|| fixture_links().into_iter().nth(usize::from(selector) % 7))
        .flatten()
        .and_then(|l| PresignedLink::parse(&l).ok());
    let attempt = Attempt {
        guessed_content_type: Some("text/csv".into()),
        file_len_bytes: Some(5),
        ..Attempt::new(link.as_ref(), presign_desk::link::Operation::Put)
    }
    .sending_content_type(Some("text/plain"));
    let answer = Answer {
        status: Some([400, 403, 404, 409, 412, 500, 503][usize::from(selector) % 7]),
        body: &body,
        date: selector
            .is_multiple_of(3)
            .then_some("Wed, 25 Nov 2026 09:00:00 GMT"),
        error_code_header: None,
    };
    let diagnosis = diagnose(&attempt, &answer, now());
    let _ = presign_desk::diagnose::explanation_text(&diagnosis);
    let _ = creator_message(&attempt, &diagnosis, Some("r"));
    let _ = readable(&body);
}

fn make_body(rng: &mut Rng) -> String {
    thread_local! { static BODIES: Vec<String> = fixture_bodies(); }
    match rng.below(12) {
        0 => String::from_utf8_lossy(&random_bytes(rng, 600)).into_owned(),
        // Deep nesting.
        1 => {
            let depth = rng.below(20_000);
            format!(
                "{}<Code>x</Code>{}",
                "<a>".repeat(depth),
                "</a>".repeat(depth / 2)
            )
        }
        _ => {
            let body = BODIES.with(|b| rng.pick(b).clone());
            mutate(rng, &body)
        }
    }
}

fn name_case(text: &str) {
    let _ = naming::file_name_from_content_disposition(text);
    let name = naming::sanitize(text);
    assert!(!name.contains('/') && !name.contains('\0'), "{name:?}");
    assert!(name != "." && name != "..", "{name:?}");
}

fn make_name(rng: &mut Rng) -> String {
    const HEADERS: &[&str] = &[
        "attachment; filename=\"report.pdf\"",
        "attachment; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%20v2.pdf",
        "inline; filename=\"../../etc/passwd\"; filename*=UTF-8''..%2F..%2Fx",
        "attachment; filename=\"a\\\"b.txt\"",
        "attachment; filename*=iso-8859-1'en'%A3%20rates.txt",
        "attachment; filename=CON.txt",
    ];
    match rng.below(6) {
        0 => String::from_utf8_lossy(&random_bytes(rng, 200)).into_owned(),
        _ => {
            let header = *rng.pick(HEADERS);
            mutate(rng, header)
        }
    }
}

#[test]
#[ignore = "long: FUZZ_CASES=N cargo test --release --test suite -- --ignored fuzz::"]
fn fuzz_link_parser_and_paste_repair() {
    run("links", make_link, link_case);
}

#[test]
#[ignore = "long: FUZZ_CASES=N cargo test --release --test suite -- --ignored fuzz::"]
fn fuzz_error_bodies_and_explainer() {
    run("error bodies", make_body, body_case);
}

#[test]
#[ignore = "long: FUZZ_CASES=N cargo test --release --test suite -- --ignored fuzz::"]
fn fuzz_file_names() {
    run("file names", make_name, name_case);
}
