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
/// What the hasher reads from the file at a time.
const READ_BYTES: usize = 1024 * 1024;

enum Work {
    Bytes(Bytes),
    /// The file is complete up to this offset.
    FileUpTo(u64),
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

    /// Returns once the first `offset` bytes are hashed, or the hasher stopped.
    pub async fn hashed_to(&self, offset: u64) {
        let mut hashed = self.hashed.clone();
        let _ = hashed.wait_for(|&done| done >= offset).await;
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
            let mut md5 = Md5Stream::default();
            let mut hashed = 0u64;
            let mut buffer = Vec::new();
            let result = 'work: loop {
                match rx.blocking_recv() {
                    Some(Work::Finish) => break Ok(md5.hex()),
                    None => break Err(io::Error::other("hashing stopped before the end")),
                    Some(Work::Bytes(bytes)) => {
                        md5.update(&bytes);
                        hashed += bytes.len() as u64;
                        progress.send_replace(hashed);
                    }
                    Some(Work::FileUpTo(offset)) => {
                        let Some(file) = file.as_ref() else {
                            break Err(io::Error::other("no file to hash"));
                        };
                        if buffer.is_empty() {
                            buffer = vec![0; READ_BYTES];
                        }
                        while hashed < offset {
                            let n = usize::try_from(offset - hashed)
                                .unwrap_or(usize::MAX)
                                .min(READ_BYTES);
                            if let Err(e) = read_at(file, &mut buffer[..n], hashed) {
                                break 'work Err(e);
                            }
                            md5.update(&buffer[..n]);
                            hashed += n as u64;
                            progress.send_replace(hashed);
                        }
                    }
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
    async fn nothing_fed_is_the_md5_of_nothing() {
        let hasher = Hasher::of_bytes();
        assert_eq!(
            hasher.finish().await.unwrap(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
    }
}
