//! A shaping relay: forwards every TCP connection it accepts on 127.0.0.1 to a target on
//! loopback, adding a delay in each direction and capping the bandwidth of each connection and
//! of all together, so "80 ms round trip, 16 MiB/s per connection, 256 MiB/s in all" can be
//! reproduced on one machine. Used by the tests and, through `examples/relay.rs`, the benchmark.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How the relay shapes traffic.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// Added to every byte's trip in each direction (a round trip gains twice this).
    pub one_way_delay: Duration,
    /// Bytes per second each connection may carry in each direction; `None`: no cap.
    pub per_connection: Option<u64>,
    /// Bytes per second all connections together may carry in each direction; `None`: no cap.
    pub total: Option<u64>,
    /// Cuts the connection that carries the client's bytes past each multiple of this many
    /// (counted over every connection): a line that drops now and then.
    pub cut_every: Option<u64>,
}

/// Bytes the relay reads at a time: small enough for smooth shaping.
const PIECE: usize = 16 * 1024;

/// A running relay; it stops when dropped.
pub struct Relay {
    /// Where it listens.
    pub addr: SocketAddr,
    connections: Arc<Mutex<u32>>,
    cuts: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    /// Listens on `127.0.0.1:port` (0: any free port) and forwards to `target`.
    pub async fn start(port: u16, target: SocketAddr, shape: Shape) -> std::io::Result<Relay> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let connections = Arc::new(Mutex::new(0));
        let counted = connections.clone();
        let up_total = shape
            .total
            .map(|rate| Arc::new(Mutex::new(Bucket::new(rate))));
        let down_total = shape
            .total
            .map(|rate| Arc::new(Mutex::new(Bucket::new(rate))));
        let cuts = Arc::new(AtomicU64::new(0));
        let sent_up = Arc::new(AtomicU64::new(0));
        let counted_cuts = cuts.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                *counted.lock().unwrap() += 1;
                let (up_total, down_total) = (up_total.clone(), down_total.clone());
                let cut = Cut {
                    every: shape.cut_every,
                    sent: sent_up.clone(),
                    cuts: counted_cuts.clone(),
                    token: CancellationToken::new(),
                };
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    let token = cut.token.clone();
                    let up = pipe(client_read, server_write, shape, up_total, Some(cut));
                    let down = pipe(server_read, client_write, shape, down_total, None);
                    tokio::select! {
                        _ = async { tokio::join!(up, down) } => {}
                        () = token.cancelled() => {}
                    }
                });
            }
        });
        Ok(Relay {
            addr,
            connections,
            cuts,
            task,
        })
    }

    /// Connections cut so far.
    #[allow(dead_code)]
    pub fn cuts(&self) -> u64 {
        self.cuts.load(Ordering::Relaxed)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u32 {
        *self.connections.lock().unwrap()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where a connection is cut: the bytes sent up over every connection, and the cut's signal.
struct Cut {
    every: Option<u64>,
    sent: Arc<AtomicU64>,
    cuts: Arc<AtomicU64>,
    token: CancellationToken,
}

impl Cut {
    /// Counts `n` bytes; true when they cross a multiple of `every` (the connection is cut).
    fn counts(&self, n: usize) -> bool {
        let Some(every) = self.every.filter(|e| *e > 0) else {
            return false;
        };
        let before = self.sent.fetch_add(n as u64, Ordering::Relaxed);
        if before / every != (before + n as u64) / every {
            self.cuts.fetch_add(1, Ordering::Relaxed);
            self.token.cancel();
            return true;
        }
        false
    }
}

/// A token bucket that may go into debt: a writer takes what it sends and waits the debt off.
struct Bucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u64) -> Self {
        Bucket {
            rate: rate.max(1) as f64,
            tokens: 0.0,
            last: Instant::now(),
        }
    }

    /// Takes `bytes`; returns how long to wait before sending them.
    fn take(&mut self, bytes: usize) -> Duration {
        let now = Instant::now();
        let burst = self.rate * 0.02;
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(burst);
        self.last = now;
        self.tokens -= bytes as f64;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

/// Copies one direction: what is read waits out the delay in a queue (bounded, so a full line
/// pushes back on the sender as a real one does), then goes out at the allowed rate.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shape: Shape,
    total: Option<Arc<Mutex<Bucket>>>,
    cut: Option<Cut>,
) {
    // What is in flight on the simulated line: the delay times the rate, at least a little.
    let in_flight = shape
        .per_connection
        .map(|rate| rate as f64 * shape.one_way_delay.as_secs_f64())
        .unwrap_or(16.0 * 1024.0 * 1024.0);
    let capacity = ((in_flight / PIECE as f64) as usize).clamp(16, 4096);
    let (tx, mut rx) = mpsc::channel::<(Instant, Vec<u8>)>(capacity);
    let reader = async move {
        loop {
            let mut piece = vec![0u8; PIECE];
            match from.read(&mut piece).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if cut.as_ref().is_some_and(|c| c.counts(n)) {
                        break;
                    }
                    piece.truncate(n);
                    if tx
                        .send((Instant::now() + shape.one_way_delay, piece))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    };
    let writer = async move {
        let mut own = shape.per_connection.map(Bucket::new);
        while let Some((due, piece)) = rx.recv().await {
            tokio::time::sleep_until(due.into()).await;
            let mut wait = own
                .as_mut()
                .map(|b| b.take(piece.len()))
                .unwrap_or_default();
            if let Some(total) = &total {
                wait = wait.max(total.lock().unwrap().take(piece.len()));
            }
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if to.write_all(&piece).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
