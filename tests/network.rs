//! The network around the link: proxies from the environment (`HTTP_PROXY`, `HTTPS_PROXY`
//! through a CONNECT tunnel, `NO_PROXY`), and TLS verified against the system's trust, where a
//! private CA is trusted only through `SSL_CERT_FILE`. Runs the `presign-desk` binary, whose
//! environment the test controls, against servers and a proxy on 127.0.0.1.

use crate::support;

use std::process::Command;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use support::fault_server::{FaultServer, SIGNATURE, ok};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const PROXY_VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// `presign-desk get URL -o FILE` with exactly the environment given (no inherited proxy).
fn get(url: &str, file: &std::path::Path, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_presign-desk"));
    command
        .args(["get", url, "-o"])
        .arg(file)
        .env("LANG", "C.UTF-8");
    for name in PROXY_VARIABLES {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::block_in_place(|| command.output()).unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), said)
}

/// A forwarding proxy on 127.0.0.1: absolute-form requests are passed on, CONNECT opens a
/// tunnel. It records each request line.
struct Proxy {
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = lines.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = forward(client, log).await;
                });
            }
        });
        Proxy { port, lines }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

async fn forward(mut client: TcpStream, log: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        client.read_exact(&mut byte).await?;
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or_default().to_owned();
    log.lock().unwrap().push(line.clone());
    let mut parts = line.split(' ');
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let mut upstream = if method == "CONNECT" {
        let upstream = TcpStream::connect(target).await?;
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        upstream
    } else {
        let authority = target
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let mut upstream = TcpStream::connect(authority).await?;
        upstream.write_all(&head).await?;
        upstream
    };
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// A private CA, and a server certificate it signed for 127.0.0.1 and localhost.
struct TestCa {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

fn test_ca() -> TestCa {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "PresignDesk test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
    TestCa {
        ca_pem: ca_cert.pem(),
        chain: vec![server_cert.der().clone()],
        key: PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
    }
}

/// An HTTPS server on 127.0.0.1 answering every GET with `body`.
async fn tls_server(ca: &TestCa, body: &'static [u8]) -> u16 {
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(ca.chain.clone(), ca.key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tls.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.write_all(body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_proxy_is_used_as_set_and_no_proxy_bypasses_it() {
    let server = FaultServer::start(|_, _| ok(b"through".to_vec(), vec![])).await;
    let proxy = Proxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.link("x.bin").as_sent().to_owned();

    let (code, said) = get(&url, &dir.path().join("a"), &[("HTTP_PROXY", &proxy.url())]);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(std::fs::read(dir.path().join("a")).unwrap(), b"through");
    assert_eq!(
        proxy.lines(),
        vec![format!("GET {url} HTTP/1.1")],
        "the proxy received the link exactly as signed"
    );

    let (code, said) = get(
        &url,
        &dir.path().join("b"),
        &[("http_proxy", &proxy.url()), ("NO_PROXY", "127.0.0.1")],
    );
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(proxy.lines().len(), 1, "NO_PROXY: straight to the server");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_verified_and_a_private_ca_is_trusted_only_when_named() {
    let ca = test_ca();
    let port = tls_server(&ca, b"secure").await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.ca_pem).unwrap();
    let ca_file = ca_file.to_str().unwrap().to_owned();
    let url = format!(
        "https://127.0.0.1:{port}/bucket/x.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={SIGNATURE}",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    );

    // Not trusted: refused, with the reason, the signature nowhere.
    let (code, said) = get(&url, &dir.path().join("refused"), &[]);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.to_lowercase().contains("certificate"), "{said}");
    assert!(!said.contains(SIGNATURE));
    assert!(!dir.path().join("refused").exists());

    // Trusted through SSL_CERT_FILE.
    let (code, said) = get(
        &url,
        &dir.path().join("trusted"),
        &[("SSL_CERT_FILE", &ca_file)],
    );
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(
        std::fs::read(dir.path().join("trusted")).unwrap(),
        b"secure"
    );

    // Through HTTPS_PROXY: a CONNECT tunnel; the proxy sees the host, not the link.
    let proxy = Proxy::start().await;
    let (code, said) = get(
        &url,
        &dir.path().join("tunnelled"),
        &[("SSL_CERT_FILE", &ca_file), ("HTTPS_PROXY", &proxy.url())],
    );
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(
        proxy.lines(),
        vec![format!("CONNECT 127.0.0.1:{port} HTTP/1.1")]
    );
}
