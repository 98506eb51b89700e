//! A misbehaving HTTP server on 127.0.0.1, written for the tests: it answers each request as a
//! scenario says (resets, stalls, truncated bodies, lying lengths and ETags, byte ranges).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use presign_desk::link::PresignedLink;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The signature of every link to the fault server: long and distinctive, so a test can look
/// for it in whatever the app prints.
pub const SIGNATURE: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7";

/// A request as the fault server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body_bytes: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
pub enum Reply {
    /// Answer; `declared_len` in Content-Length (default: the body's), close after `send_bytes`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        declared_len: Option<usize>,
        send_bytes: Option<usize>,
    },
    /// Read this many body bytes, then reset the connection.
    ResetAfterReading(usize),
    /// Send the head and this many body bytes, then go silent.
    StallAfter { head: String, sent: Vec<u8> },
    /// Answer with `total` bytes made of `piece` repeated (never held whole): with a
    /// Content-Length, or chunked with none.
    Stream {
        status: u16,
        headers: Vec<(String, String)>,
        piece: Vec<u8>,
        total: u64,
        chunked: bool,
    },
    /// Read this many body bytes, pause, then read the rest and answer as `then`.
    PauseWhileReading {
        after: usize,
        pause: Duration,
        then: Box<Reply>,
    },
}

pub fn ok(body: Vec<u8>, headers: Vec<(String, String)>) -> Reply {
    Reply::Respond {
        status: 200,
        headers,
        body,
        declared_len: None,
        send_bytes: None,
    }
}

pub fn status(code: u16, error: &str) -> Reply {
    let body = format!("<Error><Code>{error}</Code><Message>fault</Message></Error>").into_bytes();
    Reply::Respond {
        status: code,
        headers: vec![],
        body,
        declared_len: None,
        send_bytes: None,
    }
}

type Scenario = Arc<dyn Fn(usize, &Seen) -> Reply + Send + Sync>;

pub struct FaultServer {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FaultServer {
    pub async fn start(scenario: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let scenario: Scenario = Arc::new(scenario);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (scenario, log) = (scenario.clone(), log.clone());
                tokio::spawn(async move { serve(socket, scenario, log).await });
            }
        });
        Self { port, seen }
    }

    /// A SigV4-shaped link to this server, valid for an hour from now.
    pub fn link(&self, key: &str) -> PresignedLink {
        self.link_at(self.port, key)
    }

    /// The same link to another port (a relay in front of this server).
    pub fn link_at(&self, port: u16, key: &str) -> PresignedLink {
        let date = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ");
        PresignedLink::parse(&format!(
            "http://127.0.0.1:{}/bucket/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={SIGNATURE}",
            port
        ))
        .unwrap()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

// A reset is the point of these faults: SO_LINGER 0 makes the close send RST at once.
#[allow(deprecated)]
async fn serve(mut socket: tokio::net::TcpStream, scenario: Scenario, log: Arc<Mutex<Vec<Seen>>>) {
    // One request per connection keeps every attempt on its own socket.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read_exact(&mut byte).await.is_err() || head.len() > 65_536 {
            return;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let method = lines
        .next()
        .unwrap_or_default()
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut seen = Seen {
        method,
        headers,
        body_bytes: 0,
    };
    let index = log.lock().unwrap().len();
    let reply = scenario(index, &seen);
    let body_len: usize = seen
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (to_read, pause_at) = match &reply {
        Reply::ResetAfterReading(n) => ((*n).min(body_len), None),
        Reply::PauseWhileReading { after, pause, .. } => (body_len, Some((*after, *pause))),
        _ => (body_len, None),
    };
    let mut buffer = vec![0u8; 64 * 1024];
    while seen.body_bytes < to_read {
        if let Some((after, pause)) = pause_at
            && seen.body_bytes >= after
            && seen.body_bytes - after < buffer.len()
        {
            tokio::time::sleep(pause).await;
        }
        let want = (to_read - seen.body_bytes).min(buffer.len());
        match socket.read(&mut buffer[..want]).await {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.body_bytes += n,
        }
    }
    let reply = match reply {
        Reply::PauseWhileReading { then, .. } => *then,
        other => other,
    };
    log.lock().unwrap().push(seen);
    match reply {
        Reply::ResetAfterReading(_) => {
            let _ = socket.set_linger(Some(Duration::ZERO));
        }
        Reply::PauseWhileReading { .. } => {}
        Reply::Stream {
            status,
            headers,
            piece,
            total,
            chunked,
        } => {
            let mut out = format!("HTTP/1.1 {status} Fault\r\nConnection: close\r\n");
            if chunked {
                out.push_str("Transfer-Encoding: chunked\r\n");
            } else {
                out.push_str(&format!("Content-Length: {total}\r\n"));
            }
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            if socket.write_all(out.as_bytes()).await.is_err() {
                return;
            }
            let mut left = total;
            while left > 0 {
                let n = left.min(piece.len() as u64) as usize;
                let sent = if chunked {
                    let mut framed = format!("{n:x}\r\n").into_bytes();
                    framed.extend_from_slice(&piece[..n]);
                    framed.extend_from_slice(b"\r\n");
                    socket.write_all(&framed).await
                } else {
                    socket.write_all(&piece[..n]).await
                };
                if sent.is_err() {
                    return;
                }
                left -= n as u64;
            }
            if chunked {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
        }
        Reply::StallAfter { head, sent } => {
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&sent).await;
            tokio::time::sleep(Duration::from_secs(120)).await;
        }
        Reply::Respond {
            status,
            headers,
            body,
            declared_len,
            send_bytes,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} Fault\r\nConnection: close\r\nContent-Length: {}\r\n",
                declared_len.unwrap_or(body.len())
            );
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let _ = socket.write_all(out.as_bytes()).await;
            let end = send_bytes.unwrap_or(body.len()).min(body.len());
            let _ = socket.write_all(&body[..end]).await;
            if send_bytes.is_some() {
                let _ = socket.set_linger(Some(Duration::ZERO));
            }
        }
    }
}

pub fn md5_hex(bytes: &[u8]) -> String {
    let mut md5 = presign_desk::transfer::verify::Md5Stream::default();
    md5.update(bytes);
    md5.hex()
}

pub fn etag(bytes: &[u8]) -> (String, String) {
    ("ETag".into(), format!("\"{}\"", md5_hex(bytes)))
}

/// A repeatable, non-uniform body of `len` bytes.
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// The first and last byte a `Range: bytes=A-B` (or `A-`) asks for, within `len`.
pub fn asked_range(seen: &Seen, len: usize) -> Option<(usize, usize)> {
    let spec = seen.header("range")?.strip_prefix("bytes=")?;
    let (first, last) = spec.split_once('-')?;
    let first = first.parse().ok()?;
    let last = last.parse().map_or(len - 1, |l: usize| l.min(len - 1));
    Some((first, last))
}

/// An S3-like answer to a GET of `object` whose ETag is `tag`: 200 for the whole, 206 for a
/// range, 412 when `If-Match` names another ETag (unless `honour_if_match` is false).
pub fn serve_object(object: &[u8], tag: &str, seen: &Seen, honour_if_match: bool) -> Reply {
    if honour_if_match && seen.header("if-match").is_some_and(|m| m != tag) {
        return status(412, "PreconditionFailed");
    }
    let mut headers = vec![
        ("ETag".to_owned(), tag.to_owned()),
        ("Accept-Ranges".to_owned(), "bytes".to_owned()),
    ];
    match asked_range(seen, object.len()) {
        Some((first, last)) => {
            headers.push((
                "Content-Range".to_owned(),
                format!("bytes {first}-{last}/{}", object.len()),
            ));
            Reply::Respond {
                status: 206,
                headers,
                body: object[first..=last].to_vec(),
                declared_len: None,
                send_bytes: None,
            }
        }
        None => ok(object.to_vec(), headers),
    }
}
