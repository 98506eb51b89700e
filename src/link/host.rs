//! What a link's host says: the provider, the bucket of a virtual-hosted name, where the bucket
//! and key are in the address, and the region a host names. Heuristics over the host names
//! providers use; pure.

use super::split::RawUrl;
use super::{Addressing, Provider, SignatureScheme};

/// The provider a host belongs to; for other hosts, the one whose scheme signed the link.
pub(super) fn detect_provider(host: &str, scheme: SignatureScheme) -> Provider {
    if host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn") {
        Provider::Aws
    } else if host == "storage.googleapis.com" || host.ends_with(".storage.googleapis.com") {
        Provider::Gcs
    } else if host.ends_with(".blob.core.windows.net") {
        Provider::Azure
    } else {
        match scheme {
            SignatureScheme::AwsSigV4 | SignatureScheme::AwsSigV2 => Provider::S3Compatible,
            SignatureScheme::GcsV4 | SignatureScheme::GcsV2 => Provider::Gcs,
            SignatureScheme::AzureSas => Provider::Azure,
            SignatureScheme::Unsigned => Provider::Unknown,
        }
    }
}

/// The bucket a virtual-hosted host names, if any.
fn virtual_host_bucket(host: &str, provider: Provider) -> Option<String> {
    let bucket = match provider {
        Provider::Aws => {
            // BUCKET.s3.REGION.amazonaws.com, BUCKET.s3-REGION..., BUCKET.s3.amazonaws.com,
            // BUCKET.s3-accelerate..., BUCKET.s3.dualstack..., BUCKET.s3-fips...
            let at = host.find(".s3.").or_else(|| host.find(".s3-"))?;
            &host[..at]
        }
        Provider::Gcs => host.strip_suffix(".storage.googleapis.com")?,
        Provider::S3Compatible => {
            // BUCKET.ACCOUNT.r2.cloudflarestorage.com
            let rest = host.strip_suffix(".r2.cloudflarestorage.com")?;
            rest.split_once('.')?.0
        }
        Provider::Azure | Provider::Unknown => return None,
    };
    (!bucket.is_empty()).then(|| bucket.to_owned())
}

/// Where the bucket and the key are: in the host (virtual-hosted) or the path, both decoded.
pub(super) fn locate_object(
    raw: &RawUrl,
    host: &str,
    provider: Provider,
) -> (Addressing, Option<String>, Option<String>) {
    let path = raw.path().strip_prefix('/').unwrap_or(raw.path());
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    if let Some(bucket) = virtual_host_bucket(host, provider) {
        return (
            Addressing::VirtualHosted,
            Some(bucket),
            non_empty(decode(path)),
        );
    }
    let (bucket, key) = match path.split_once('/') {
        Some((bucket, key)) => (bucket, key),
        None => (path, ""),
    };
    (
        Addressing::Path,
        non_empty(decode(bucket)),
        non_empty(decode(key)),
    )
}

/// The region an Amazon S3 or R2 host names (`s3.eu-west-1`, `s3-eu-west-1`, `s3.dualstack.…`).
pub(super) fn region_from_host(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    if host.ends_with(".r2.cloudflarestorage.com") {
        return Some("auto".to_owned());
    }
    if !host.ends_with(".amazonaws.com") {
        return None;
    }
    for (i, label) in labels.iter().enumerate() {
        if let Some(region) = label.strip_prefix("s3-")
            && !matches!(region, "accelerate" | "fips" | "external-1")
        {
            return Some(region.to_owned());
        }
        if *label == "s3" || *label == "s3-fips" {
            let mut next = labels.get(i + 1).copied()?;
            if next == "dualstack" {
                next = labels.get(i + 2).copied()?;
            }
            return (next != "amazonaws").then(|| next.to_owned());
        }
    }
    None
}
