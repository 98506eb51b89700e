//! A loopback sink for benchmarks: discards every upload (200, no ETag) and serves SIZE bytes
//! for every download. It neither hashes nor touches the disk, so it measures the client, not
//! the server.
//!
//!     cargo run --release --example sink -- --port 9100 --size 1073741824

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};

const CHUNK_BYTES: usize = 256 * 1024;

type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

fn usage() -> ! {
    eprintln!("usage: sink [--port N] [--size BYTES]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let (mut port, mut size) = (9100u16, 10u64 * 1024 * 1024);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--port" => port = value.parse().unwrap_or_else(|_| usage()),
            "--size" => size = value.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|e| {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        });
    println!("sink listening on http://127.0.0.1:{port} serving {size} bytes");
    let chunk = Arc::new(Bytes::from(
        (0..CHUNK_BYTES)
            .map(|i| (i % 251) as u8)
            .collect::<Vec<_>>(),
    ));
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            continue;
        };
        let chunk = chunk.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, size, chunk.clone()));
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(socket), service)
                .await;
        });
    }
}

async fn handle(
    req: Request<Incoming>,
    size: u64,
    chunk: Arc<Bytes>,
) -> Result<Response<Body>, Infallible> {
    if req.method() == Method::PUT {
        let mut body = req.into_body();
        while let Some(Ok(_)) = body.frame().await {}
        return Ok(Response::new(http_body_util::Empty::new().boxed()));
    }
    let full = size / CHUNK_BYTES as u64;
    let rest = (size % CHUNK_BYTES as u64) as usize;
    let frames = (0..full)
        .map(move |_| chunk.as_ref().clone())
        .chain((rest > 0).then(|| Bytes::from(vec![0u8; rest])))
        .map(|b| Ok::<_, Infallible>(Frame::data(b)));
    let body = StreamBody::new(futures_util::stream::iter(frames)).boxed();
    Ok(Response::builder()
        .header("Content-Length", size)
        .header("Accept-Ranges", "none")
        .body(body)
        .unwrap_or_default())
}
