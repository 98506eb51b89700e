//! A local responder for Google Cloud Storage's resumable uploads, written for the tests from
//! Google's documented protocol (the XML API's `x-goog-resumable: start`, then chunks with
//! `Content-Range` answered by 308 and `Range`, and `bytes */LEN` to ask how much a session
//! holds). It checks every start link's GOOG4-HMAC-SHA256 signature and expiry, holds a
//! session to exactly what arrived (a cut request keeps the whole 256 KiB units that came, as
//! GCS does), refuses a chunk that does not start where the session stands or is not a
//! multiple of 256 KiB, and answers the last chunk with the object's MD5 in `x-goog-hash`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use md5::Digest as _;

use super::echo::canonical_request;
use crate::playground::hmac_sha256;

const ACCESS_KEY: &str = "GOOG1EPRESIGNDESKTESTKEY";
const SECRET: &str = "gcs-test-secret-do-not-use";
const UNIT: usize = 256 * 1024;

/// What a test may ask of the responder afterwards.
#[derive(Default)]
struct State {
    sessions: HashMap<String, Session>,
    /// Finished objects by key, with their file type.
    objects: HashMap<String, (Vec<u8>, Option<String>)>,
    /// Chunk bytes received in all (what went again included).
    chunk_bytes: u64,
    /// `bytes */LEN` questions asked.
    questions: u32,
    /// Start requests, with their `x-goog-resumable` value.
    starts: Vec<Option<String>>,
    /// Every chunk's `Content-Range`.
    ranges: Vec<String>,
}

struct Session {
    key: String,
    content_type: Option<String>,
    data: Vec<u8>,
    done: bool,
}

/// The responder, on 127.0.0.1 until the runtime ends.
#[derive(Clone)]
pub struct Gcs {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Gcs {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let gcs = Gcs {
            addr,
            state: Arc::default(),
        };
        let server = gcs.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let server = server.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let server = server.clone();
                        async move { Ok::<_, Infallible>(server.answer(request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        gcs
    }

    /// A V4 signed link (HMAC key) that starts a resumable upload of `bucket/key` through
    /// `via` (the responder, or a relay in front of it), valid for `valid`.
    pub fn sign_resumable(
        &self,
        via: SocketAddr,
        bucket: &str,
        key: &str,
        valid: Duration,
    ) -> String {
        let now = jiff::Timestamp::now();
        let datetime = now.strftime("%Y%m%dT%H%M%SZ").to_string();
        let date = &datetime[..8];
        let scope = format!("{date}/auto/storage/goog4_request");
        let unsigned = format!(
            "http://{via}/{bucket}/{key}?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential={}&X-Goog-Date={datetime}&X-Goog-Expires={}&X-Goog-SignedHeaders=host%3Bx-goog-resumable",
            format!("{ACCESS_KEY}/{scope}").replace('/', "%2F"),
            valid.as_secs()
        );
        let signature = signature(
            &unsigned,
            "POST",
            &[("x-goog-resumable", "start")],
            &datetime,
        );
        format!("{unsigned}&X-Goog-Signature={signature}")
    }

    /// The object stored at `key` and its file type, once its upload finished.
    pub fn object(&self, key: &str) -> Option<(Vec<u8>, Option<String>)> {
        self.state.lock().unwrap().objects.get(key).cloned()
    }

    /// Chunk bytes received in all, what went again included.
    pub fn chunk_bytes(&self) -> u64 {
        self.state.lock().unwrap().chunk_bytes
    }

    /// How many times a session was asked how much it holds.
    pub fn questions(&self) -> u32 {
        self.state.lock().unwrap().questions
    }

    /// The start requests' `x-goog-resumable` values.
    pub fn starts(&self) -> Vec<Option<String>> {
        self.state.lock().unwrap().starts.clone()
    }

    /// Every chunk's `Content-Range`, in order.
    pub fn ranges(&self) -> Vec<String> {
        self.state.lock().unwrap().ranges.clone()
    }

    /// The addresses of the sessions started (secrets the app must never show).
    pub fn session_ids(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .sessions
            .keys()
            .cloned()
            .collect()
    }

    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = request.method().as_str().to_owned();
        let uri = request.uri().to_string();
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        if let Some(id) = uri.strip_prefix("/upload/session?upload_id=") {
            let id = id.to_owned();
            let range = header("content-range").unwrap_or_default();
            return self.chunk(&id, &range, request.into_body()).await;
        }
        if method != "POST" {
            return error(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "only resumable starts are served",
            );
        }
        let host = header("host").unwrap_or_default();
        let resumable = header("x-goog-resumable");
        self.state.lock().unwrap().starts.push(resumable.clone());
        let url = format!("http://{host}{uri}");
        let query: HashMap<String, String> = uri
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(n, v)| {
                let v = percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned();
                (n.to_owned(), v)
            })
            .collect();
        let (Some(datetime), Some(given), Some(expires)) = (
            query.get("X-Goog-Date"),
            query.get("X-Goog-Signature"),
            query
                .get("X-Goog-Expires")
                .and_then(|e| e.parse::<i64>().ok()),
        ) else {
            return error(
                StatusCode::BAD_REQUEST,
                "MissingSecurityHeader",
                "a signed link's parameters are missing",
            );
        };
        let signed_at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", datetime)
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp());
        if signed_at
            .is_none_or(|at| at + jiff::SignedDuration::from_secs(expires) < jiff::Timestamp::now())
        {
            return error(
                StatusCode::BAD_REQUEST,
                "ExpiredToken",
                "The provided token has expired.",
            );
        }
        let headers: Vec<(&str, &str)> = resumable
            .as_deref()
            .map(|v| vec![("x-goog-resumable", v)])
            .unwrap_or_default();
        let expected = signature(&url, &method, &headers, datetime);
        if &expected != given {
            return error(
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            );
        }
        if resumable.as_deref() != Some("start") {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "x-goog-resumable must be start",
            );
        }
        let key = uri
            .split_once('?')
            .map_or(uri.as_str(), |(p, _)| p)
            .trim_start_matches('/')
            .split_once('/')
            .map(|(_, k)| k.to_owned())
            .unwrap_or_default();
        let id = format!("ADPycdsession{:016x}", rand_id());
        self.state.lock().unwrap().sessions.insert(
            id.clone(),
            Session {
                key,
                content_type: header("content-type"),
                data: Vec::new(),
                done: false,
            },
        );
        Response::builder()
            .status(StatusCode::CREATED)
            .header(
                "Location",
                format!("http://{host}/upload/session?upload_id={id}"),
            )
            .header("x-guploader-uploadid", &id)
            .body(Full::new(Bytes::new()))
            .unwrap()
    }

    /// A chunk, or a question (`bytes */LEN`), for session `id`.
    async fn chunk(&self, id: &str, range: &str, mut body: Incoming) -> Response<Full<Bytes>> {
        let Some(spec) = range.strip_prefix("bytes ") else {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "Content-Range is required",
            );
        };
        let Some((span, total)) = spec.split_once('/') else {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "Content-Range needs a total",
            );
        };
        let Ok(total) = total.parse::<usize>() else {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "this responder needs the total",
            );
        };
        let span = match span {
            "*" => None,
            span => {
                let Some((a, b)) = span
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
                else {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "InvalidArgument",
                        "a bad Content-Range",
                    );
                };
                Some((a, b))
            }
        };
        // The bytes as they come; a cut keeps what arrived.
        let mut received = Vec::new();
        let mut cut = false;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => {
                    if let Some(data) = frame.data_ref() {
                        received.extend_from_slice(data);
                    }
                }
                Err(_) => {
                    cut = true;
                    break;
                }
            }
        }
        let mut state = self.state.lock().unwrap();
        state.chunk_bytes += received.len() as u64;
        match span {
            None => state.questions += 1,
            Some(_) => state.ranges.push(range.to_owned()),
        }
        let Some(session) = state.sessions.get_mut(id) else {
            return error(
                StatusCode::NOT_FOUND,
                "NoSuchUpload",
                "no such upload session",
            );
        };
        if let Some((a, b)) = span {
            if a != session.data.len() {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidArgument",
                    "the chunk does not start where the session stands",
                );
            }
            let last = b + 1 == total;
            if !last && (b + 1 - a) % UNIT != 0 {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidArgument",
                    "a chunk but the last must be a multiple of 256 KiB",
                );
            }
            if cut {
                // Only whole units of what arrived are kept.
                received.truncate(received.len() / UNIT * UNIT);
            } else if received.len() != b + 1 - a {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidArgument",
                    "the body does not match Content-Range",
                );
            }
            session.data.extend_from_slice(&received);
        }
        if session.data.len() == total && !session.done {
            session.done = true;
            let (key, data, content_type) = (
                session.key.clone(),
                session.data.clone(),
                session.content_type.clone(),
            );
            let md5 = base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&data));
            state.objects.insert(key, (data, content_type));
            return Response::builder()
                .status(StatusCode::OK)
                .header("x-goog-hash", format!("crc32c=AAAAAA==,md5={md5}"))
                .header(
                    "ETag",
                    format!(
                        "\"{}\"",
                        hex(&base64::engine::general_purpose::STANDARD
                            .decode(&md5)
                            .unwrap())
                    ),
                )
                .body(Full::new(Bytes::new()))
                .unwrap();
        }
        let held = session.data.len();
        let mut answer = Response::builder().status(308);
        if held > 0 {
            answer = answer.header("Range", format!("bytes=0-{}", held - 1));
        }
        answer.body(Full::new(Bytes::new())).unwrap()
    }
}

fn signature(url: &str, method: &str, headers: &[(&str, &str)], datetime: &str) -> String {
    let canonical = canonical_request(url, method, headers, &["host", "x-goog-resumable"]);
    let date = &datetime[..8];
    let to_sign = format!(
        "GOOG4-HMAC-SHA256\n{datetime}\n{date}/auto/storage/goog4_request\n{}",
        hex(&sha2::Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac_sha256(format!("GOOG4{SECRET}").as_bytes(), date.as_bytes());
    for part in ["auto", "storage", "goog4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    hex(&hmac_sha256(&key, to_sign.as_bytes()))
}

fn error(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
    let body = format!(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    Response::builder()
        .status(status)
        .header("Content-Type", "application/xml; charset=UTF-8")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rand_id() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(jiff::Timestamp::now().as_nanosecond() as u64);
    hasher.finish()
}
