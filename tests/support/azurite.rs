//! Azurite, Microsoft's Azure Storage emulator (from npm), started on 127.0.0.1 for a test:
//! it checks every SAS signature and keeps blocks and block lists as Azure does.
//! `scripts/azurite-check.sh` installs it and names its `azurite-blob` in
//! `PRESIGNDESK_AZURITE`; the tests that need it are `#[ignore]`d without it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;

/// Azurite's one account and its published key.
pub const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const VERSION: &str = "2021-08-06";

/// A running Azurite, stopped when dropped.
pub struct Azurite {
    child: Child,
    pub addr: SocketAddr,
    _folder: tempfile::TempDir,
    log: PathBuf,
}

impl Azurite {
    /// Starts Azurite on a free port with an empty store, and makes the container `container`.
    pub fn start(container: &str) -> Self {
        let program = std::env::var_os("PRESIGNDESK_AZURITE").expect(
            "PRESIGNDESK_AZURITE names Azurite's azurite-blob (scripts/azurite-check.sh installs it)",
        );
        let folder = tempfile::tempdir().unwrap();
        let log = folder.path().join("requests.log");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(program)
            .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
            .arg("--location")
            .arg(folder.path().join("store"))
            .arg("--debug")
            .arg(&log)
            // Nothing leaves the machine.
            .arg("--disableTelemetry")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Azurite starts");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let azurite = Azurite {
            child,
            addr,
            _folder: folder,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "Azurite did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let sas = azurite.account_sas();
        let status = azurite.request(
            "PUT",
            &format!("/{ACCOUNT}/{container}?restype=container&{sas}"),
        );
        assert_eq!(status, 201, "the container is made");
        azurite
    }

    /// A service SAS for the blob `container/blob` with permissions `sp`, valid for `valid`.
    pub fn blob_sas(&self, container: &str, blob: &str, sp: &str, valid: Duration) -> String {
        let expiry = expiry_in(valid);
        let to_sign = [
            sp,
            "",
            &expiry,
            &format!("/blob/{ACCOUNT}/{container}/{blob}"),
            "",
            "",
            "",
            VERSION,
            "b",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
        .join("\n");
        format!(
            "http://{}/{ACCOUNT}/{container}/{blob}?sv={VERSION}&sp={sp}&se={}&sr=b&sig={}",
            self.addr,
            encode(&expiry),
            encode(&sign(&to_sign))
        )
    }

    /// Put Block requests Azurite has received so far (cut ones too).
    pub fn blocks_received(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("RequestMethod=PUT") && l.contains("comp=block&blockid="))
            .count()
    }

    fn account_sas(&self) -> String {
        let expiry = expiry_in(Duration::from_secs(3600));
        let to_sign = [
            ACCOUNT, "rwdlac", "b", "sco", "", &expiry, "", "http", VERSION, "", "",
        ]
        .join("\n");
        format!(
            "sv={VERSION}&ss=b&srt=sco&sp=rwdlac&se={}&spr=http&sig={}",
            encode(&expiry),
            encode(&sign(&to_sign))
        )
    }

    /// Sends a bodiless request and returns the status.
    fn request(&self, method: &str, target: &str) -> u16 {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sign(text: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(KEY)
        .unwrap();
    base64::engine::general_purpose::STANDARD
        .encode(crate::playground::hmac_sha256(&key, text.as_bytes()))
}

fn expiry_in(valid: Duration) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::try_from(valid).unwrap();
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
