//! MD5 on a thread of its own, so sending and receiving never wait for hashing unless hashing
//! is the slowest part (a bounded queue lets it set the pace only then).
//!
//! Fed either with the bytes themselves, in order (one stream: no second read), or with how far
//! the file on disk is complete (parallel ranges: the bytes are read back in file order, from
//! the page cache, as the ranges below a point complete).

use std::io;
use std::path::Path;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot, watch};

use super::verify::{self, Md5Stream, Verification};
use super::{ResponseFacts, TransferError};

/// Chunks waiting for the hasher at most; with 256 KiB chunks, 4 MiB.
const QUEUE: usize = 16;
/// Written pieces handed over from memory ([`Feed::written_at`]) are at most this many of
/// those waiting: each holds a connection's write (1 MiB), which the file holds too.
const IN_MEMORY: usize = 4;
/// What the hasher reads from the file at a time.
const READ_BYTES: usize = 1024 * 1024;

enum Work {
    Bytes(Bytes),
    /// The file is complete up to this offset.
    FileUpTo(u64),
    /// These bytes were written at this offset, and the file is complete up to their end:
    /// hashed from memory, with no read of their own.
    At(u64, Bytes),
    /// Everything was fed: send the digest.
    Finish,
}

/// Feeds the hashing thread; cheap to clone.
#[derive(Clone)]
pub(super) struct Feed {
    work: mpsc::Sender<Work>,
    /// How many bytes the thread has hashed.
    hashed: watch::Receiver<u64>,
}

impl Feed {
    /// Hashes `bytes` next.
    pub async fn bytes(&self, bytes: Bytes) {
        // A closed queue means the hasher failed; `finish` reports that.
        let _ = self.work.send(Work::Bytes(bytes)).await;
    }

    /// The file holds every byte below `offset`: hash up to there.
    pub async fn file_up_to(&self, offset: u64) {
        let _ = self.work.send(Work::FileUpTo(offset)).await;
    }

    /// Whether bytes written may be handed over from memory now: few enough wait already.
    pub fn has_room(&self) -> bool {
        self.work.capacity() > QUEUE - IN_MEMORY
    }

    /// `bytes` were written at `offset` and every byte below their end is in the file.
    pub async fn written_at(&self, offset: u64, bytes: Bytes) {
        let _ = self.work.send(Work::At(offset, bytes)).await;
    }

    /// Returns once the first `offset` bytes are hashed, or the hasher stopped.
    pub async fn hashed_to(&self, offset: u64) {
        let mut hashed = self.hashed.clone();
        let _ = hashed.wait_for(|&done| done >= offset).await;
    }
}

/// What the hashing thread holds.
struct Thread {
    md5: Md5Stream,
    /// Bytes hashed, from the first.
    hashed: u64,
    buffer: Vec<u8>,
    file: Option<std::fs::File>,
    progress: watch::Sender<u64>,
}

impl Thread {
    fn update(&mut self, bytes: &[u8]) {
        self.md5.update(bytes);
        self.hashed += bytes.len() as u64;
        self.progress.send_replace(self.hashed);
    }

    /// Hashes the file from where the hash is up to `offset`.
    fn read_up_to(&mut self, offset: u64) -> io::Result<()> {
        if self.hashed >= offset {
            return Ok(());
        }
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("no file to hash"))?;
        if self.buffer.is_empty() {
            self.buffer = vec![0; READ_BYTES];
        }
        while self.hashed < offset {
            let n = usize::try_from(offset - self.hashed)
                .unwrap_or(usize::MAX)
                .min(READ_BYTES);
            let chunk = &mut self.buffer[..n];
            read_at(file, chunk, self.hashed)?;
            self.md5.update(chunk);
            self.hashed += n as u64;
            self.progress.send_replace(self.hashed);
        }
        Ok(())
    }
}

/// A running MD5; dropping it stops the thread.
pub(super) struct Hasher {
    feed: Feed,
    done: oneshot::Receiver<io::Result<String>>,
}

impl Hasher {
    /// Starts hashing bytes fed to it. Must run on a tokio runtime.
    pub fn of_bytes() -> Self {
        Self::start(None)
    }

    /// Starts hashing the file at `path` in order, as far as it is said to be complete.
    pub async fn of_file(path: &Path) -> io::Result<Self> {
        let file = tokio::fs::File::open(path).await?.into_std().await;
        Ok(Self::start(Some(file)))
    }

    fn start(file: Option<std::fs::File>) -> Self {
        let (tx, mut rx) = mpsc::channel(QUEUE);
        let (done_tx, done) = oneshot::channel();
        let (progress, hashed_rx) = watch::channel(0u64);
        tokio::task::spawn_blocking(move || {
            let mut state = Thread {
                md5: Md5Stream::default(),
                hashed: 0,
                buffer: Vec::new(),
                file,
                progress,
            };
            let result = loop {
                let done = match rx.blocking_recv() {
                    Some(Work::Finish) => break Ok(state.md5.hex()),
                    None => break Err(io::Error::other("hashing stopped before the end")),
                    Some(Work::Bytes(bytes)) => {
                        state.update(&bytes);
                        Ok(())
                    }
                    Some(Work::FileUpTo(offset)) => state.read_up_to(offset),
                    // What lies below them comes from the file; what of them was read already
                    // is not hashed twice.
                    Some(Work::At(offset, bytes)) => state.read_up_to(offset).map(|()| {
                        let skip = usize::try_from(state.hashed - offset).unwrap_or(usize::MAX);
                        state.update(&bytes[skip.min(bytes.len())..]);
                    }),
                };
                if let Err(e) = done {
                    break Err(e);
                }
            };
            let _ = done_tx.send(result);
        });
        Self {
            feed: Feed {
                work: tx,
                hashed: hashed_rx,
            },
            done,
        }
    }

    /// A handle to feed it with.
    pub fn feed(&self) -> Feed {
        self.feed.clone()
    }

    /// Waits for everything fed so far to be hashed; the digest as lowercase hex. Feeds still
    /// held elsewhere need not be dropped: what they send later is not hashed.
    pub async fn finish(self) -> io::Result<String> {
        let _ = self.feed.work.send(Work::Finish).await;
        self.done
            .await
            .unwrap_or_else(|_| Err(io::Error::other("the hashing thread ended")))
    }
}

/// Reads exactly `buffer.len()` bytes at `offset`, leaving the file's position alone.
pub(super) fn read_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buffer.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buffer[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// Compares the hasher's MD5 with the server's (`None`: verification is off).
pub(super) async fn verify_md5(
    hasher: Option<Hasher>,
    facts: &ResponseFacts,
    path: &Path,
) -> Result<Verification, TransferError> {
    let Some(hasher) = hasher else {
        return Ok(Verification::Off);
    };
    let computed = hasher.finish().await.map_err(|e| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    verify::compare_md5(&computed, facts).map_err(|(computed, server)| {
        TransferError::DigestMismatch {
            path: path.to_owned(),
            computed,
            server,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn md5_of(bytes: &[u8]) -> String {
        let mut md5 = Md5Stream::default();
        md5.update(bytes);
        md5.hex()
    }

    #[tokio::test]
    async fn bytes_fed_in_pieces_hash_as_a_whole() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let hasher = Hasher::of_bytes();
        let feed = hasher.feed();
        for piece in data.chunks(100_001) {
            feed.bytes(Bytes::copy_from_slice(piece)).await;
        }
        assert_eq!(hasher.finish().await.unwrap(), md5_of(&data));
    }

    #[tokio::test]
    async fn a_file_is_hashed_in_order_up_to_each_mark() {
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i * 13 % 253) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        let hasher = Hasher::of_file(file.path()).await.unwrap();
        let feed = hasher.feed();
        // Marks may repeat or arrive late; only how far the file is complete matters.
        for mark in [0, 1_000_000, 1_000_000, 3_500_001, 5_000_000] {
            feed.file_up_to(mark).await;
        }
        assert_eq!(hasher.finish().await.unwrap(), md5_of(&data));
    }

    #[tokio::test]
    async fn bytes_written_at_the_prefix_are_hashed_from_memory_the_rest_from_the_file() {
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        let hasher = Hasher::of_file(file.path()).await.unwrap();
        let feed = hasher.feed();
        let piece = |a: usize, b: usize| Bytes::copy_from_slice(&data[a..b]);
        // In memory from the start; a mark; bytes partly hashed already; bytes behind the
        // hash; bytes past a gap the file fills.
        feed.written_at(0, piece(0, 1_000_000)).await;
        feed.file_up_to(1_500_000).await;
        feed.written_at(1_200_000, piece(1_200_000, 2_000_000))
            .await;
        feed.written_at(100, piece(100, 900)).await;
        feed.written_at(3_000_000, piece(3_000_000, 4_000_000))
            .await;
        feed.file_up_to(5_000_000).await;
        assert_eq!(hasher.finish().await.unwrap(), md5_of(&data));

        // Memory only, with no file to read: the bytes are enough.
        let hasher = Hasher::of_bytes();
        let feed = hasher.feed();
        feed.written_at(0, piece(0, 10)).await;
        feed.written_at(10, piece(10, 20)).await;
        assert_eq!(hasher.finish().await.unwrap(), md5_of(&data[..20]));
        // A gap with no file to fill it is an error, not a wrong digest.
        let hasher = Hasher::of_bytes();
        hasher.feed().written_at(10, piece(10, 20)).await;
        assert!(hasher.finish().await.is_err());
    }

    #[tokio::test]
    async fn nothing_fed_is_the_md5_of_nothing() {
        let hasher = Hasher::of_bytes();
        assert_eq!(
            hasher.finish().await.unwrap(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
    }
}
