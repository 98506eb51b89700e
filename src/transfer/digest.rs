//! The digests of a file that the headers a link signs carry (its MD5, a checksum), read from
//! disk once, off the caller's thread.

use std::path::Path;

use base64::Engine as _;
use md5::Digest as _;
use tokio::io::AsyncReadExt;

use super::TransferError;
use crate::exchange::verify::Checksum;
use crate::signed_headers::Digest;

const READ_BYTES: usize = 256 * 1024;

/// The base64 value of each of `digests` for the file at `path`.
pub async fn file_digests(
    path: &Path,
    digests: &[Digest],
) -> Result<Vec<(Digest, String)>, TransferError> {
    let read_error = |e: std::io::Error| TransferError::ReadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut file = tokio::fs::File::open(path).await.map_err(read_error)?;
    let mut md5 = digests.contains(&Digest::Md5).then(md5::Md5::new);
    let mut sums: Vec<(Digest, Checksum)> = digests
        .iter()
        .filter_map(|d| match d {
            Digest::Checksum(algorithm) => Some((*d, Checksum::new(*algorithm))),
            Digest::Md5 => None,
        })
        .collect();
    let mut buffer = vec![0u8; READ_BYTES];
    loop {
        let n = file.read(&mut buffer).await.map_err(read_error)?;
        if n == 0 {
            break;
        }
        if let Some(md5) = &mut md5 {
            md5.update(&buffer[..n]);
        }
        for (_, sum) in &mut sums {
            sum.update(&buffer[..n]);
        }
    }
    let mut out: Vec<(Digest, String)> = sums
        .into_iter()
        .map(|(digest, sum)| (digest, sum.base64()))
        .collect();
    if let Some(md5) = md5 {
        out.push((
            Digest::Md5,
            base64::engine::general_purpose::STANDARD.encode(md5.finalize()),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::verify::ChecksumAlgorithm;

    #[tokio::test]
    async fn the_digests_of_a_known_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hello.txt");
        std::fs::write(&path, "hello").unwrap();
        let got = file_digests(
            &path,
            &[Digest::Md5, Digest::Checksum(ChecksumAlgorithm::Crc32)],
        )
        .await
        .unwrap();
        assert!(got.contains(&(Digest::Md5, "XUFAKrxLKna5cZ2REBfFkg==".to_owned())));
        assert!(got.contains(&(
            Digest::Checksum(ChecksumAlgorithm::Crc32),
            "NhCmhg==".to_owned()
        )));
    }
}
