//! The playground: a real S3-compatible server (s3s over s3s-fs) on 127.0.0.1 that checks
//! SigV4 and SigV2 presigned signatures, with a thin layer in front that answers the way Amazon
//! S3 does where s3s-fs is more lenient, and that records every request as received.
//!
//! Used by the integration tests, the benchmarks and `cargo run --example playground`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

/// Access key of the playground's single user.
pub const ACCESS_KEY: &str = "AKIAPLAYGROUNDKEY000";
/// Secret key of the playground's single user.
pub const SECRET_KEY: &str = "playground-secret-key-do-not-use-elsewhere";
/// Region the links are signed for.
pub const REGION: &str = "us-east-1";
/// The bucket the playground creates.
pub const BUCKET: &str = "playground";
/// The longest lifetime Amazon S3 accepts for a SigV4 link.
pub const MAX_EXPIRES_SECS: u64 = 604_800;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method.
    pub method: String,
    /// The request-target exactly as it arrived.
    pub target: String,
    /// Headers, names lowercase, in arrival order.
    pub headers: Vec<(String, String)>,
}

impl Received {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A multipart upload's links, as a back end hands them out.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub struct MultipartLinks {
    /// The upload's id.
    pub upload_id: String,
    /// One UploadPart link a part, part 1 first.
    pub parts: Vec<String>,
    /// The CompleteMultipartUpload link.
    pub complete: String,
    /// The AbortMultipartUpload link.
    pub abort: String,
}

/// Starts a multipart upload of `key` in `bucket_name` of the S3 server at `server`
/// (path-style) and signs its links for `endpoint` (the server itself, or a relay in front of
/// it) with `(access key, secret, region)`: `parts` UploadPart links, the Complete link and
/// the Abort link.
#[allow(dead_code)]
pub fn start_multipart_in(
    bucket_name: &str,
    server: &SocketAddr,
    endpoint: &str,
    key: &str,
    parts: u16,
    expires: Duration,
    (access_key, secret_key, region): (&str, &str, &str),
) -> MultipartLinks {
    let credentials = Credentials::new(access_key, secret_key);
    let bucket_for = |endpoint: &str| {
        Bucket::new(
            endpoint.parse().expect("endpoint URL"),
            UrlStyle::Path,
            bucket_name.to_owned(),
            region.to_owned(),
        )
        .expect("bucket")
    };
    let now = jiff::Timestamp::now();
    let post = |bucket: &Bucket, query: &[(&str, &str)]| {
        rusty_s3::signing::sign(
            &now,
            rusty_s3::Method::Post,
            bucket.object_url(key),
            access_key,
            secret_key,
            None,
            region,
            expires.as_secs(),
            query.iter().copied(),
            std::iter::empty(),
        )
    };
    let create = post(&bucket_for(&format!("http://{server}")), &[("uploads", "")]);
    let answer = raw_request("POST", &create, server);
    let upload_id = answer
        .split("<UploadId>")
        .nth(1)
        .and_then(|rest| rest.split("</UploadId>").next())
        .unwrap_or_else(|| panic!("the server started an upload: {answer}"))
        .to_owned();
    let signer = bucket_for(endpoint);
    let part_links = (1..=parts)
        .map(|n| {
            rusty_s3::actions::UploadPart::new(&signer, Some(&credentials), key, n, &upload_id)
                .sign(expires)
                .to_string()
        })
        .collect();
    let complete = post(&signer, &[("uploadId", upload_id.as_str())]).to_string();
    let abort =
        rusty_s3::actions::AbortMultipartUpload::new(&signer, Some(&credentials), key, &upload_id)
            .sign(expires)
            .to_string();
    MultipartLinks {
        upload_id,
        parts: part_links,
        complete,
        abort,
    }
}

impl MultipartLinks {
    /// The set as JSON, as a back end hands it out: `{uploadId, key, parts: [{partNumber,
    /// url}], complete, abort}`.
    #[allow(dead_code)]
    pub fn to_json(&self, key: &str) -> String {
        let parts: Vec<serde_json::Value> = self
            .parts
            .iter()
            .enumerate()
            .map(|(i, url)| serde_json::json!({"partNumber": i + 1, "url": url}))
            .collect();
        serde_json::json!({
            "uploadId": self.upload_id,
            "key": key,
            "parts": parts,
            "complete": self.complete,
            "abort": self.abort,
        })
        .to_string()
    }
}

/// Sends `method url` with an empty body to the playground over a plain socket; the answer's
/// body.
#[allow(dead_code)]
fn raw_request(method: &str, url: &reqwest::Url, addr: &SocketAddr) -> String {
    use std::io::{Read, Write};
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let mut socket = std::net::TcpStream::connect(addr).expect("the playground listens");
    write!(
        socket,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("request sent");
    let mut answer = String::new();
    socket.read_to_string(&mut answer).expect("answer read");
    answer
}

/// The HTTP method a link is signed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Download.
    Get,
    /// Upload.
    Put,
}

type Log = Arc<Mutex<Vec<Received>>>;

/// A running playground; stops when dropped.
pub struct Playground {
    addr: SocketAddr,
    root: PathBuf,
    _temp: Option<tempfile::TempDir>,
    log: Log,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Playground {
    /// Starts a playground on a free port of 127.0.0.1 with a fresh data folder.
    pub fn start() -> Self {
        let temp = tempfile::tempdir().expect("temporary folder for the playground");
        let mut playground =
            Self::start_in(temp.path(), 0).expect("the playground starts on 127.0.0.1");
        playground._temp = Some(temp);
        playground
    }

    /// Starts a playground storing its data in `root` on 127.0.0.1:`port` (0: any free port).
    pub fn start_in(root: &Path, port: u16) -> std::io::Result<Self> {
        std::fs::create_dir_all(root.join(BUCKET))?;
        let fs =
            s3s_fs::FileSystem::new(root).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let mut builder = s3s::service::S3ServiceBuilder::new(fs);
        builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let service = builder.build();

        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let log: Log = Arc::default();
        let (shutdown, mut stop) = tokio::sync::oneshot::channel::<()>();
        let server_log = log.clone();
        let thread = std::thread::Builder::new()
            .name("playground".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("playground runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(std_listener)
                        .expect("playground listener");
                    loop {
                        let socket = tokio::select! {
                            _ = &mut stop => break,
                            accepted = listener.accept() => match accepted {
                                Ok((socket, _)) => socket,
                                Err(_) => continue,
                            },
                        };
                        let service = service.clone();
                        let log = server_log.clone();
                        tokio::spawn(async move {
                            let handler = hyper::service::service_fn(move |req| {
                                strict_s3(req, service.clone(), log.clone())
                            });
                            let _ =
                                hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                                    .serve_connection(TokioIo::new(socket), handler)
                                    .await;
                        });
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(Self {
            addr,
            root: root.to_owned(),
            _temp: None,
            log,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where the object `key` of the bucket lives on disk.
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(BUCKET).join(key)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The last request received.
    pub fn last_received(&self) -> Received {
        self.received()
            .pop()
            .expect("the playground received a request")
    }

    fn bucket(&self) -> Bucket {
        Self::bucket_at(&self.endpoint())
    }

    fn bucket_at(endpoint: &str) -> Bucket {
        let endpoint = endpoint.parse().expect("endpoint URL");
        Bucket::new(endpoint, UrlStyle::Path, BUCKET, REGION).expect("bucket")
    }

    /// A SigV4 download link signed for `http://{via}`, a relay in front of the playground
    /// (the signature covers the host the client connects to).
    #[allow(dead_code)]
    pub fn sign_v4_get_via(&self, via: SocketAddr, key: &str, expires: Duration) -> String {
        let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
        let bucket = Self::bucket_at(&format!("http://{via}"));
        let mut action = bucket.get_object(Some(&credentials), key);
        action.query_mut().insert("x-id", "GetObject");
        action
            .sign_with_time(expires, &jiff::Timestamp::now())
            .to_string()
    }

    /// Starts a multipart upload of `key` and signs its links as a back end hands them out:
    /// `parts` UploadPart links, the Complete link and the Abort link. With `via`, the links
    /// are signed for that relay in front of the playground.
    #[allow(dead_code)]
    pub fn start_multipart(
        &self,
        key: &str,
        parts: u16,
        expires: Duration,
        via: Option<SocketAddr>,
    ) -> MultipartLinks {
        let via = via.map(|via| format!("http://{via}"));
        start_multipart_in(
            BUCKET,
            &self.addr,
            via.as_deref().unwrap_or(&self.endpoint()),
            key,
            parts,
            expires,
            (ACCESS_KEY, SECRET_KEY, REGION),
        )
    }

    /// Where it listens.
    #[allow(dead_code)]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A SigV4 presigned link made by a real signer (rusty-s3), signed now.
    pub fn sign_v4(&self, method: Method, key: &str, expires: Duration) -> String {
        self.sign_v4_with(method, key, expires, None, jiff::Timestamp::now())
    }

    /// A SigV4 link with a signed Content-Type (when given), as if signed at `signed_at`.
    pub fn sign_v4_with(
        &self,
        method: Method,
        key: &str,
        expires: Duration,
        content_type: Option<&str>,
        signed_at: jiff::Timestamp,
    ) -> String {
        let bucket = self.bucket();
        let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
        let url = match method {
            Method::Put => {
                let mut action = bucket.put_object(Some(&credentials), key);
                if let Some(ct) = content_type {
                    action.headers_mut().insert("content-type", ct.to_owned());
                }
                action.query_mut().insert("x-id", "PutObject");
                action.sign_with_time(expires, &signed_at)
            }
            Method::Get => {
                let mut action = bucket.get_object(Some(&credentials), key);
                action.query_mut().insert("x-id", "GetObject");
                action.sign_with_time(expires, &signed_at)
            }
        };
        url.to_string()
    }

    /// A SigV4 upload link that signs `headers` (name, value) besides the host: the request
    /// must carry each with exactly that value, which the link does not say.
    pub fn sign_v4_put_with_headers(
        &self,
        key: &str,
        expires: Duration,
        headers: &[(&str, &str)],
    ) -> String {
        let bucket = self.bucket();
        let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
        let mut action = bucket.put_object(Some(&credentials), key);
        for (name, value) in headers {
            action.headers_mut().insert(*name, (*value).to_owned());
        }
        action.query_mut().insert("x-id", "PutObject");
        action
            .sign_with_time(expires, &jiff::Timestamp::now())
            .to_string()
    }

    /// A presigned POST form, as boto3's `generate_presigned_post` returns it (printed as
    /// JSON), valid for `expires_secs` from now (negative: already expired). The policy holds
    /// the bucket, the key (exact, or a prefix when `key` ends with `${filename}`), the
    /// signing fields, and `conditions` besides; `fields` are added to the form as given.
    pub fn sign_post(
        &self,
        key: &str,
        expires_secs: i64,
        conditions: &[serde_json::Value],
        fields: &[(&str, &str)],
    ) -> String {
        self.sign_post_at(
            key,
            expires_secs,
            conditions,
            fields,
            jiff::Timestamp::now(),
        )
    }

    /// [`Self::sign_post`] as signed at `now`.
    pub fn sign_post_at(
        &self,
        key: &str,
        expires_secs: i64,
        conditions: &[serde_json::Value],
        fields: &[(&str, &str)],
        now: jiff::Timestamp,
    ) -> String {
        let date = now.strftime("%Y%m%d").to_string();
        let amz_date = now.strftime("%Y%m%dT%H%M%SZ").to_string();
        let credential = format!("{ACCESS_KEY}/{date}/{REGION}/s3/aws4_request");
        let expiration = (now + jiff::SignedDuration::from_secs(expires_secs))
            .strftime("%Y-%m-%dT%H:%M:%S.000Z")
            .to_string();
        let key_condition = match key.strip_suffix("${filename}") {
            Some(prefix) => serde_json::json!(["starts-with", "$key", prefix]),
            None => serde_json::json!({ "key": key }),
        };
        let mut all = vec![serde_json::json!({ "bucket": BUCKET }), key_condition];
        all.extend(conditions.iter().cloned());
        all.push(serde_json::json!({ "x-amz-algorithm": "AWS4-HMAC-SHA256" }));
        all.push(serde_json::json!({ "x-amz-credential": credential }));
        all.push(serde_json::json!({ "x-amz-date": amz_date }));
        let policy = serde_json::json!({ "expiration": expiration, "conditions": all });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let mut signing = hmac_sha256(format!("AWS4{SECRET_KEY}").as_bytes(), date.as_bytes());
        for part in [REGION, "s3", "aws4_request"] {
            signing = hmac_sha256(&signing, part.as_bytes());
        }
        let signature: String = hmac_sha256(&signing, policy.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // In boto3's order: the key, the fields asked for, then the signing fields.
        let mut form: Vec<(String, String)> = vec![("key".into(), key.into())];
        form.extend(
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        form.push(("x-amz-algorithm".into(), "AWS4-HMAC-SHA256".into()));
        form.push(("x-amz-credential".into(), credential));
        form.push(("x-amz-date".into(), amz_date));
        form.push(("policy".into(), policy));
        form.push(("x-amz-signature".into(), signature));
        let json = |text: &str| serde_json::Value::from(text).to_string();
        let fields: Vec<String> = form
            .iter()
            .map(|(n, v)| format!("{}: {}", json(n), json(v)))
            .collect();
        format!(
            "{{\"url\": {}, \"fields\": {{{}}}}}",
            json(&format!("{}/{BUCKET}", self.endpoint())),
            fields.join(", ")
        )
    }

    /// A SigV4 link that does not say which operation it was made for (no `x-id`), as many
    /// signers make them.
    #[allow(dead_code)]
    pub fn sign_v4_without_operation(
        &self,
        method: Method,
        key: &str,
        expires: Duration,
    ) -> String {
        let bucket = self.bucket();
        let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
        let now = jiff::Timestamp::now();
        match method {
            Method::Put => bucket
                .put_object(Some(&credentials), key)
                .sign_with_time(expires, &now),
            Method::Get => bucket
                .get_object(Some(&credentials), key)
                .sign_with_time(expires, &now),
        }
        .to_string()
    }

    /// A SigV2 (legacy) presigned link signed with the playground's secret. `content_type` is
    /// the Content-Type the signer signed (`None`: the request must carry none).
    pub fn sign_v2(
        &self,
        method: Method,
        key: &str,
        content_type: Option<&str>,
        expires_unix: i64,
    ) -> String {
        let path = format!("/{BUCKET}/{}", encode_key(key));
        let verb = match method {
            Method::Get => "GET",
            Method::Put => "PUT",
        };
        let string_to_sign = format!(
            "{verb}\n\n{}\n{expires_unix}\n{path}",
            content_type.unwrap_or("")
        );
        let mut mac =
            Hmac::<hmac_sha1::Sha1>::new_from_slice(SECRET_KEY.as_bytes()).expect("HMAC key");
        mac.update(string_to_sign.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!(
            "{}{path}?AWSAccessKeyId={ACCESS_KEY}&Expires={expires_unix}&Signature={}",
            self.endpoint(),
            percent_encoding::utf8_percent_encode(&signature, percent_encoding::NON_ALPHANUMERIC)
        )
    }
}

impl Drop for Playground {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// HMAC-SHA256 of `message` under `key` (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&sha2::Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// Percent-encodes a key the way AWS signers do: everything but unreserved characters and `/`.
pub fn encode_key(key: &str) -> String {
    const KEY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(key, KEY).to_string()
}

/// Unix seconds `secs` from now (negative: in the past).
pub fn unix_in(secs: i64) -> i64 {
    jiff::Timestamp::now().as_second() + secs
}

fn s3_error(status: StatusCode, code: &str, message: &str, extra: &str) -> Response<s3s::Body> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>{extra}<RequestId>PLAYGROUND</RequestId></Error>"
    );
    let mut response = Response::new(s3s::Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static("application/xml"),
    );
    response
}

/// Records the request, answers like Amazon S3 where s3s-fs is lenient, else passes it on.
async fn strict_s3(
    req: Request<Incoming>,
    s3: s3s::service::S3Service,
    log: Log,
) -> Result<Response<s3s::Body>, s3s::HttpError> {
    let received = Received {
        method: req.method().to_string(),
        target: req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default(),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    let chunked = received
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let has_length = received.header("content-length").is_some();
    let expires =
        query_value(&received.target, "X-Amz-Expires").and_then(|e| e.parse::<u64>().ok());
    if let Ok(mut log) = log.lock() {
        log.push(received.clone());
    }

    if received.method == "PUT" && (chunked || !has_length) {
        return Ok(s3_error(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
            "<Header>Transfer-Encoding</Header>",
        ));
    }
    if let Some(expires) = expires.filter(|e| *e > MAX_EXPIRES_SECS) {
        return Ok(s3_error(
            StatusCode::BAD_REQUEST,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
            &format!("<X-Amz-Expires>{expires}</X-Amz-Expires>"),
        ));
    }
    if received.method == "POST" {
        return s3.call(req.map(small_pieces)).await;
    }
    s3.call(req.map(s3s::Body::from)).await
}

/// A form upload's body handed to s3s in pieces of at most 16 KiB. s3s 0.14 refuses a form
/// ("failed to read file stream") when one read of the body ends inside what could be the
/// closing boundary and the next read is over 64 KiB; hyper reads up to 400 KiB at once from a
/// fast client. Amazon S3 has no such limit, so the playground keeps its reads small.
fn small_pieces(body: Incoming) -> s3s::Body {
    use futures_util::StreamExt as _;
    use http_body_util::BodyExt as _;
    const PIECE: usize = 16 * 1024;
    let pieces = body.into_data_stream().flat_map(|chunk| {
        let pieces: Vec<Result<hyper::body::Frame<bytes::Bytes>, hyper::Error>> = match chunk {
            Ok(mut bytes) => {
                let mut pieces = Vec::with_capacity(bytes.len() / PIECE + 1);
                while bytes.len() > PIECE {
                    pieces.push(Ok(hyper::body::Frame::data(bytes.split_to(PIECE))));
                }
                pieces.push(Ok(hyper::body::Frame::data(bytes)));
                pieces
            }
            Err(e) => vec![Err(e)],
        };
        futures_util::stream::iter(pieces)
    });
    s3s::Body::http_body(http_body_util::StreamBody::new(pieces))
}

fn query_value(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (n, v) = pair.split_once('=')?;
        (n == name).then(|| v.to_owned())
    })
}
