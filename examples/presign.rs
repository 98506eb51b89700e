//! Prints a SigV4 presigned link made by a real signer (rusty-s3) for any S3-compatible server,
//! so the benchmarks can drive servers PresignDesk's team did not write (s3rver, say).
//!
//!     cargo run --example presign -- --endpoint http://127.0.0.1:4568 --bucket bench \
//!         --key big.bin --method get [--expires 3600] [--access-key K --secret-key S] \
//!         [--region us-east-1]
//!
//! The endpoint is the address the client connects to (a relay in front of the server, say):
//! the signature covers its host.
//!
//! With `--count N`, prints N links one a line, `{n}` in the key replaced by 0001, 0002…: a
//! list as a portal mails it, for the queue's benchmark.
//!
//! With `--parts N --server 127.0.0.1:PORT`, starts a multipart upload of the key on that
//! server and prints its set as JSON (N part links, the Complete and the Abort link, signed for
//! the endpoint), as a back end hands one out.

// The tests' playground holds the multipart signer; this program uses only that.
#[allow(dead_code)]
#[path = "../tests/playground/mod.rs"]
mod playground;

use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

struct Options {
    endpoint: String,
    bucket: String,
    key: String,
    method: String,
    expires_secs: u64,
    access_key: String,
    secret_key: String,
    region: String,
    /// A multipart set of this many parts, started on `server`.
    parts: Option<(u16, std::net::SocketAddr)>,
    /// Links to print, `{n}` in the key numbered.
    count: usize,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        endpoint: String::new(),
        bucket: String::new(),
        key: String::new(),
        method: "get".to_owned(),
        expires_secs: 3600,
        // s3rver's defaults.
        access_key: "S3RVER".to_owned(),
        secret_key: "S3RVER".to_owned(),
        region: "us-east-1".to_owned(),
        parts: None,
        count: 1,
    };
    let mut parts = None;
    let mut server = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--endpoint" => options.endpoint = value,
            "--bucket" => options.bucket = value,
            "--key" => options.key = value,
            "--method" => options.method = value.to_ascii_lowercase(),
            "--expires" => {
                options.expires_secs = value.parse().map_err(|_| "--expires takes seconds")?
            }
            "--access-key" => options.access_key = value,
            "--secret-key" => options.secret_key = value,
            "--region" => options.region = value,
            "--parts" => parts = Some(value.parse().map_err(|_| "--parts takes a number")?),
            "--count" => options.count = value.parse().map_err(|_| "--count takes a number")?,
            "--server" => server = Some(value.parse().map_err(|_| "--server takes HOST:PORT")?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    options.parts = match (parts, server) {
        (Some(parts), Some(server)) => Some((parts, server)),
        (None, None) => None,
        _ => return Err("--parts and --server go together".to_owned()),
    };
    if options.endpoint.is_empty() || options.bucket.is_empty() || options.key.is_empty() {
        return Err("--endpoint, --bucket and --key are needed".to_owned());
    }
    Ok(options)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("presign: {message}");
            std::process::exit(2);
        }
    };
    if let Some((parts, server)) = options.parts {
        let set = playground::start_multipart_in(
            &options.bucket,
            &server,
            &options.endpoint,
            &options.key,
            parts,
            Duration::from_secs(options.expires_secs),
            (&options.access_key, &options.secret_key, &options.region),
        );
        println!("{}", set.to_json(&options.key));
        return;
    }
    let endpoint = match options.endpoint.parse() {
        Ok(endpoint) => endpoint,
        Err(e) => {
            eprintln!("presign: --endpoint: {e}");
            std::process::exit(2);
        }
    };
    let bucket = match Bucket::new(endpoint, UrlStyle::Path, options.bucket, options.region) {
        Ok(bucket) => bucket,
        Err(e) => {
            eprintln!("presign: {e}");
            std::process::exit(2);
        }
    };
    let credentials = Credentials::new(options.access_key, options.secret_key);
    let expires = Duration::from_secs(options.expires_secs);
    let now = jiff::Timestamp::now();
    for n in 1..=options.count {
        let key = options.key.replace("{n}", &format!("{n:04}"));
        let url = match options.method.as_str() {
            "put" => bucket
                .put_object(Some(&credentials), &key)
                .sign_with_time(expires, &now),
            "get" => bucket
                .get_object(Some(&credentials), &key)
                .sign_with_time(expires, &now),
            other => {
                eprintln!("presign: --method is get or put, not {other}");
                std::process::exit(2);
            }
        };
        println!("{url}");
    }
}
