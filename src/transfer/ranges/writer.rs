//! Writes a connection's bytes into the shared file at their offset, and keeps the MD5 fed:
//! from memory while the file is complete up to them, else read back, a write far ahead of it
//! waiting for it.

use std::io;
use std::sync::Mutex;

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use super::board::{Board, Stop};
use super::{AHEAD_BYTES, AHEAD_WAIT, Job, Trouble, WRITE_BYTES, lock};
use crate::transfer::TransferError;

/// Writes `buffer` at `offset` (off the runtime's threads), records it, and tells the hasher
/// how far the file is now complete. A write far ahead of the MD5 waits for it first, so
/// that the connection slows to the MD5's pace when hashing is the slowest part.
pub(super) async fn write(
    job: &Job,
    board: &Mutex<Board>,
    index: usize,
    buffer: &mut Vec<u8>,
    offset: &mut u64,
    stop: &CancellationToken,
) -> Result<(), Trouble> {
    if buffer.is_empty() {
        return Ok(());
    }
    if let Some(feed) = &job.feed {
        let end = *offset + buffer.len() as u64;
        tokio::select! {
            () = stop.cancelled() => {}
            _ = tokio::time::timeout(AHEAD_WAIT, feed.hashed_to(end.saturating_sub(AHEAD_BYTES))) => {}
        }
    }
    let failed = |reason: String| {
        Trouble::Stop(Stop::Failed(TransferError::WriteFile {
            path: job.destination.clone(),
            reason,
        }))
    };
    let file = job.file.clone();
    let (bytes, at) = (std::mem::take(buffer), *offset);
    let written = tokio::task::spawn_blocking(move || write_at(&file, &bytes, at).map(|()| bytes))
        .await
        .map_err(|e| failed(e.to_string()))?
        .map_err(|e| failed(e.to_string()))?;
    *offset += written.len() as u64;
    let complete = {
        let mut shared = lock(board);
        shared.parts[index].written = *offset;
        let complete = shared.complete_below();
        (complete > shared.hashed).then(|| {
            shared.hashed = complete;
            complete
        })
    };
    match (complete, &job.feed) {
        // Everything below these bytes is in the file: the MD5 takes them from memory (no read
        // back), as a single stream's; unless it is behind, so that memory stays bounded.
        (Some(complete), Some(feed)) if *offset <= complete && feed.has_room() => {
            feed.written_at(at, Bytes::from(written)).await;
            *buffer = Vec::with_capacity(WRITE_BYTES);
            if complete > *offset {
                feed.file_up_to(complete).await;
            }
        }
        (Some(complete), Some(feed)) => {
            feed.file_up_to(complete).await;
            *buffer = written;
        }
        _ => *buffer = written,
    }
    buffer.clear();
    Ok(())
}

/// Writes all of `bytes` at `offset`, leaving the file's position alone (several writers may
/// share one file).
fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            let n = std::os::windows::fs::FileExt::seek_write(
                file,
                &bytes[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            done += n;
        }
        Ok(())
    }
}
