//! Links made by the providers' real signers (tests/fixtures/links/make_links.py): each is
//! decoded and judged as at one minute after it was made.

use presign_desk::link::{
    Addressing, CredentialKind, FindingId, Operation, PresignedLink, Provider, SignatureScheme,
};
use serde_json::Value;

struct Fixtures {
    now: jiff::Timestamp,
    links: serde_json::Map<String, Value>,
}

fn fixtures() -> Fixtures {
    let text = include_str!("fixtures/links/links.json");
    let json: Value = serde_json::from_str(text).unwrap();
    let generated: jiff::Timestamp = json["generated_at"].as_str().unwrap().parse().unwrap();
    Fixtures {
        now: generated + jiff::SignedDuration::from_secs(60),
        links: json["links"].as_object().unwrap().clone(),
    }
}

fn link(fixtures: &Fixtures, name: &str) -> PresignedLink {
    let url = fixtures.links[name]
        .as_str()
        .unwrap_or_else(|| panic!("no fixture {name}"));
    PresignedLink::parse(url).unwrap()
}

fn ids(fixtures: &Fixtures, name: &str, intended: Option<Operation>) -> Vec<FindingId> {
    link(fixtures, name)
        .findings(fixtures.now, intended)
        .into_iter()
        .map(|f| f.id)
        .collect()
}

/// (fixture, scheme, provider, addressing, bucket, key, region)
type Decoded = (
    &'static str,
    SignatureScheme,
    Provider,
    Addressing,
    &'static str,
    &'static str,
    &'static str,
);

#[test]
fn every_fixture_decodes() {
    use Addressing::*;
    use Provider::*;
    use SignatureScheme::*;
    let f = fixtures();
    let table: &[Decoded] = &[
        (
            "sigv4-put-content-type",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "reports",
            "2026/q3 summary.csv",
            "ap-northeast-1",
        ),
        (
            "sigv4-get-session-token",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "reports",
            "2026/q3 summary.csv",
            "ap-northeast-1",
        ),
        (
            "sigv4-put-path-style",
            AwsSigV4,
            Aws,
            Path,
            "media",
            "photos/cat (1).jpg",
            "eu-west-1",
        ),
        (
            "sigv4-put-default-checksum",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "uploads",
            "data.bin",
            "us-east-1",
        ),
        (
            "sigv4-put-global-endpoint",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "fresh-bucket",
            "first.txt",
            "ap-northeast-1",
        ),
        (
            "sigv4-get-region-mismatch",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "logs",
            "app.log",
            "us-east-1",
        ),
        (
            "sigv4-get-dotted-bucket",
            AwsSigV4,
            Aws,
            Path,
            "www.example.com",
            "index.html",
            "us-west-2",
        ),
        (
            "sigv4-put-too-long",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "reports",
            "late.csv",
            "ap-northeast-1",
        ),
        (
            "sigv4-upload-part",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "reports",
            "video.mp4",
            "ap-northeast-1",
        ),
        (
            "sigv4-get-dualstack",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "media",
            "a.png",
            "us-east-2",
        ),
        (
            "sigv4-get-accelerate",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "media",
            "a.png",
            "us-east-1",
        ),
        (
            "sigv4-get-fips",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "secure",
            "doc.pdf",
            "us-east-1",
        ),
        (
            "sigv4-put-r2",
            AwsSigV4,
            S3Compatible,
            Path,
            "assets",
            "logo.svg",
            "auto",
        ),
        (
            "sigv4-put-minio-localhost",
            AwsSigV4,
            S3Compatible,
            Path,
            "test",
            "file.txt",
            "us-east-1",
        ),
        (
            "sigv4-put-js-default-checksum",
            AwsSigV4,
            Aws,
            VirtualHosted,
            "reports",
            "upload.bin",
            "ap-northeast-1",
        ),
        (
            "sigv2-put-content-type",
            AwsSigV2,
            Aws,
            VirtualHosted,
            "legacy",
            "old.csv",
            "",
        ),
        ("sigv2-get", AwsSigV2, Aws, Path, "legacy", "old.csv", ""),
        (
            "gcs-v4-rsa-put",
            GcsV4,
            Gcs,
            Path,
            "gcs-fixtures",
            "incoming/scan 01.pdf",
            "auto",
        ),
        (
            "gcs-v4-rsa-get-virtual",
            GcsV4,
            Gcs,
            VirtualHosted,
            "gcs-fixtures",
            "incoming/scan 01.pdf",
            "auto",
        ),
        (
            "gcs-v4-hmac-get",
            GcsV4,
            Gcs,
            Path,
            "gcs-fixtures",
            "incoming/scan 01.pdf",
            "auto",
        ),
        (
            "gcs-v2-get",
            GcsV2,
            Gcs,
            Path,
            "gcs-fixtures",
            "incoming/scan 01.pdf",
            "",
        ),
        (
            "azure-service-sas-put",
            AzureSas,
            Azure,
            Path,
            "uploads",
            "contract draft.docx",
            "",
        ),
        (
            "azure-service-sas-get",
            AzureSas,
            Azure,
            Path,
            "uploads",
            "contract draft.docx",
            "",
        ),
        (
            "azure-user-delegation-get",
            AzureSas,
            Azure,
            Path,
            "uploads",
            "contract draft.docx",
            "",
        ),
    ];
    assert_eq!(table.len(), f.links.len(), "every fixture is checked");
    for (name, scheme, provider, addressing, bucket, key, region) in table {
        let l = link(&f, name);
        assert_eq!(l.scheme, *scheme, "{name}");
        assert_eq!(l.provider, *provider, "{name}");
        assert_eq!(l.addressing, *addressing, "{name}");
        assert_eq!(l.bucket.as_deref(), Some(*bucket), "{name}");
        assert_eq!(l.key.as_deref(), Some(*key), "{name}");
        assert_eq!(l.region.as_deref().unwrap_or(""), *region, "{name}");
        assert!(l.expires_at.is_some(), "{name} has an expiry");
        assert!(
            l.missing_parameters.is_empty(),
            "{name}: {:?}",
            l.missing_parameters
        );
        assert!(
            !l.is_expired(f.now),
            "{name} is valid a minute after signing"
        );
        assert!(l.repairs.is_empty(), "{name}");
        assert!(
            !l.redacted().contains("Signature=") || l.redacted().contains("Signature=REDACTED"),
            "{name}"
        );
    }
}

#[test]
fn fixture_fields_and_findings() {
    let f = fixtures();
    let has = |name, id| ids(&f, name, None).contains(&id);

    let put = link(&f, "sigv4-put-content-type");
    assert_eq!(put.signed_headers, ["content-type", "host"]);
    assert_eq!(put.credential_kind(), CredentialKind::LongTerm);
    assert_eq!(put.expires_in_secs(f.now), Some(3540));
    assert!(has("sigv4-put-content-type", FindingId::ContentTypeSigned));

    let temp = link(&f, "sigv4-get-session-token");
    assert_eq!(temp.credential_kind(), CredentialKind::Temporary);
    assert!(
        temp.security_token
            .as_ref()
            .is_some_and(|t| t.len_chars() > 20)
    );
    assert!(has(
        "sigv4-get-session-token",
        FindingId::TemporaryCredentials
    ));

    assert!(has("sigv4-put-default-checksum", FindingId::SdkChecksum));
    assert!(has("sigv4-put-default-checksum", FindingId::SignedHeaders));
    let js = link(&f, "sigv4-put-js-default-checksum");
    assert_eq!(js.operation, Some(Operation::Put));
    let js_findings = js.findings(f.now, None);
    let checksum = js_findings
        .iter()
        .find(|x| x.id == FindingId::SdkChecksum)
        .unwrap();
    assert!(
        checksum.message.contains("empty file"),
        "{}",
        checksum.message
    );

    assert!(has("sigv4-put-global-endpoint", FindingId::GlobalEndpoint));
    assert!(has("sigv4-get-region-mismatch", FindingId::RegionMismatch));
    assert!(
        !has("sigv4-get-dotted-bucket", FindingId::DottedBucketTls),
        "boto3 chose path style"
    );
    assert!(has("sigv4-put-too-long", FindingId::ExpiryTooLong));
    let part = link(&f, "sigv4-upload-part");
    assert_eq!(
        (part.part_number.as_deref(), part.operation),
        (Some("3"), Some(Operation::Put))
    );
    assert!(has("sigv4-upload-part", FindingId::MultipartPart));
    assert!(!has("sigv4-get-accelerate", FindingId::GlobalEndpoint));
    assert!(has("sigv4-put-minio-localhost", FindingId::PlainHttp));

    for name in ["sigv2-put-content-type", "sigv2-get", "gcs-v2-get"] {
        assert!(has(name, FindingId::LegacySignature), "{name}");
        assert!(has(name, FindingId::ContentTypeSigned), "{name}");
    }
    let gcs = link(&f, "gcs-v4-rsa-put");
    assert_eq!(
        gcs.access_key_id.as_deref(),
        Some("uploader@fixture-project.iam.gserviceaccount.com")
    );
    assert_eq!(gcs.algorithm.as_deref(), Some("GOOG4-RSA-SHA256"));
    assert_eq!(gcs.expires_in_secs(f.now), Some(840));
    assert!(has("gcs-v4-rsa-put", FindingId::ContentTypeSigned));
    assert_eq!(
        link(&f, "gcs-v4-hmac-get").algorithm.as_deref(),
        Some("GOOG4-HMAC-SHA256")
    );

    assert_eq!(
        link(&f, "azure-service-sas-put").operation,
        Some(Operation::Put)
    );
    assert!(has("azure-service-sas-put", FindingId::AzureBlobType));
    assert_eq!(
        link(&f, "azure-service-sas-get").operation,
        Some(Operation::Get)
    );
    assert!(
        ids(&f, "azure-service-sas-get", Some(Operation::Put))
            .contains(&FindingId::AzurePermissions)
    );
    assert!(
        !ids(&f, "azure-service-sas-get", Some(Operation::Get))
            .contains(&FindingId::AzurePermissions)
    );
    // The user-delegation key lives an hour, the link eight: two hours on, the key has ended it.
    let delegated = link(&f, "azure-user-delegation-get");
    let later = f.now + jiff::SignedDuration::from_hours(2);
    assert!(
        !delegated.is_expired(later),
        "the link's own expiry is later"
    );
    assert!(
        delegated
            .findings(later, None)
            .iter()
            .any(|x| x.id == FindingId::Expired)
    );
}

#[test]
fn no_fixture_shows_a_secret_in_any_report() {
    let f = fixtures();
    for (name, url) in &f.links {
        let link = PresignedLink::parse(url.as_str().unwrap()).unwrap();
        let secrets: Vec<String> = link
            .raw()
            .query_params()
            .into_iter()
            .filter(|p| {
                [
                    "x-amz-signature",
                    "x-amz-security-token",
                    "signature",
                    "x-goog-signature",
                    "sig",
                ]
                .contains(&p.name.to_ascii_lowercase().as_str())
            })
            .map(|p| {
                p.raw
                    .split_once('=')
                    .map(|(_, v)| v.to_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert!(!secrets.is_empty(), "{name} has a signature");
        let findings = link.findings(f.now, None);
        let reports = [
            link.redacted(),
            format!("{link:?}"),
            presign_desk::link::report::summary_text(&link, &findings, f.now),
            serde_json::to_string(&presign_desk::link::report::InspectJson::new(&link, f.now))
                .unwrap(),
        ];
        for report in reports {
            for secret in &secrets {
                assert!(
                    !report.contains(secret.as_str()),
                    "{name} leaks in {report}"
                );
            }
        }
    }
}
