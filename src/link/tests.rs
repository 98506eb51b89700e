use super::*;

const SIGV4_VIRTUAL: &str = "https://reports.s3.ap-northeast-1.amazonaws.com/2026/q3%20summary.csv\
?X-Amz-Algorithm=AWS4-HMAC-SHA256\
&X-Amz-Credential=ASIAEXAMPLE%2F20261124%2Fap-northeast-1%2Fs3%2Faws4_request\
&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600\
&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2Fsecret-token\
&X-Amz-Signature=0123456789abcdef&X-Amz-SignedHeaders=content-type%3Bhost&x-id=PutObject";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn sigv4_virtual_hosted_link_is_decoded() {
    let link = PresignedLink::parse(SIGV4_VIRTUAL).unwrap();
    assert_eq!(link.scheme, SignatureScheme::AwsSigV4);
    assert_eq!(link.provider, Provider::Aws);
    assert_eq!(link.addressing, Addressing::VirtualHosted);
    assert_eq!(link.bucket.as_deref(), Some("reports"));
    assert_eq!(link.key.as_deref(), Some("2026/q3 summary.csv"));
    assert_eq!(link.region.as_deref(), Some("ap-northeast-1"));
    assert_eq!(link.operation, Some(Operation::Put));
    assert_eq!(link.signed_at, Some(at("2026-11-24T06:00:00Z")));
    assert_eq!(link.expires_at, Some(at("2026-11-24T07:00:00Z")));
    assert_eq!(link.credential_kind(), CredentialKind::Temporary);
    assert_eq!(link.signed_headers, ["content-type", "host"]);
    assert!(link.signs_content_type());
    assert_eq!(link.expires_in_secs(at("2026-11-24T06:30:00Z")), Some(1800));
    assert!(!link.is_expired(at("2026-11-24T06:59:59Z")));
    assert!(link.is_expired(at("2026-11-24T07:00:00Z")));
}

#[test]
fn the_text_sent_is_the_paste_without_surrounding_whitespace() {
    let pasted = format!("  \n{SIGV4_VIRTUAL}\t ");
    let link = PresignedLink::parse(&pasted).unwrap();
    assert_eq!(link.as_sent(), SIGV4_VIRTUAL);
    assert!(
        link.raw()
            .request_target()
            .starts_with("/2026/q3%20summary.csv?X-Amz-Algorithm")
    );
}

#[test]
fn redacted_link_hides_signature_and_token_but_keeps_the_rest() {
    let link = PresignedLink::parse(SIGV4_VIRTUAL).unwrap();
    let shown = link.redacted();
    assert!(!shown.contains("0123456789abcdef"), "{shown}");
    assert!(!shown.contains("secret-token"), "{shown}");
    assert!(shown.contains("X-Amz-Signature=REDACTED"));
    assert!(shown.contains("X-Amz-Security-Token=REDACTED"));
    assert!(shown.contains("X-Amz-Expires=3600"));
    assert!(!format!("{link:?}").contains("secret-token"));
}

/// (url, provider, addressing, bucket, key, region)
type HostCase = (
    &'static str,
    Provider,
    Addressing,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn host_styles_give_bucket_key_and_region() {
    let cases: &[HostCase] = &[
        (
            "https://s3.eu-west-1.amazonaws.com/my-bucket/a/b.txt",
            Provider::Aws,
            Addressing::Path,
            Some("my-bucket"),
            Some("a/b.txt"),
            Some("eu-west-1"),
        ),
        (
            "https://my-bucket.s3.amazonaws.com/k",
            Provider::Aws,
            Addressing::VirtualHosted,
            Some("my-bucket"),
            Some("k"),
            None,
        ),
        (
            "https://my-bucket.s3-us-west-2.amazonaws.com/k",
            Provider::Aws,
            Addressing::VirtualHosted,
            Some("my-bucket"),
            Some("k"),
            Some("us-west-2"),
        ),
        (
            "https://my-bucket.s3.dualstack.us-east-2.amazonaws.com/k",
            Provider::Aws,
            Addressing::VirtualHosted,
            Some("my-bucket"),
            Some("k"),
            Some("us-east-2"),
        ),
        (
            "https://my-bucket.s3-accelerate.amazonaws.com/k",
            Provider::Aws,
            Addressing::VirtualHosted,
            Some("my-bucket"),
            Some("k"),
            None,
        ),
        (
            "https://acct123.r2.cloudflarestorage.com/bkt/photo.jpg",
            Provider::Unknown,
            Addressing::Path,
            Some("bkt"),
            Some("photo.jpg"),
            Some("auto"),
        ),
        (
            "http://127.0.0.1:9000/bucket/dir/file",
            Provider::Unknown,
            Addressing::Path,
            Some("bucket"),
            Some("dir/file"),
            None,
        ),
        (
            "https://storage.googleapis.com/gbucket/obj",
            Provider::Gcs,
            Addressing::Path,
            Some("gbucket"),
            Some("obj"),
            None,
        ),
        (
            "https://gbucket.storage.googleapis.com/obj",
            Provider::Gcs,
            Addressing::VirtualHosted,
            Some("gbucket"),
            Some("obj"),
            None,
        ),
        (
            "https://acct.blob.core.windows.net/container/blob.bin",
            Provider::Azure,
            Addressing::Path,
            Some("container"),
            Some("blob.bin"),
            None,
        ),
    ];
    for (url, provider, addressing, bucket, key, region) in cases {
        let link = PresignedLink::parse(url).unwrap();
        assert_eq!(link.provider, *provider, "{url}");
        assert_eq!(link.addressing, *addressing, "{url}");
        assert_eq!(link.bucket.as_deref(), *bucket, "{url}");
        assert_eq!(link.key.as_deref(), *key, "{url}");
        assert_eq!(link.region.as_deref(), *region, "{url}");
    }
}

#[test]
fn schemes_are_recognised() {
    let cases = [
        (
            "http://localhost:9000/b/k?AWSAccessKeyId=AKIAX&Expires=1790000000&Signature=abc%2B%3D",
            SignatureScheme::AwsSigV2,
        ),
        (
            "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=ab",
            SignatureScheme::GcsV4,
        ),
        (
            "https://storage.googleapis.com/b/k?GoogleAccessId=sa%40p.iam&Expires=1790000000&Signature=ab",
            SignatureScheme::GcsV2,
        ),
        (
            "https://a.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-11-25T00%3A00%3A00Z&sr=b&sp=cw&sig=abc%3D",
            SignatureScheme::AzureSas,
        ),
        ("https://example.com/file.zip", SignatureScheme::Unsigned),
    ];
    for (url, scheme) in cases {
        assert_eq!(PresignedLink::parse(url).unwrap().scheme, scheme, "{url}");
    }
}

#[test]
fn expiry_and_operation_of_other_schemes() {
    let v2 = PresignedLink::parse(
        "http://localhost:9000/b/k?AWSAccessKeyId=AKIAX&Expires=1790000000&Signature=abc",
    )
    .unwrap();
    assert_eq!(
        v2.expires_at,
        Some(Timestamp::from_second(1_790_000_000).unwrap())
    );
    assert!(v2.signs_content_type());
    assert_eq!(v2.credential_kind(), CredentialKind::LongTerm);

    let gcs = PresignedLink::parse("https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=ab").unwrap();
    assert_eq!(gcs.expires_at, Some(at("2026-11-24T00:15:00Z")));
    assert_eq!(
        gcs.access_key_id.as_deref(),
        Some("sa@p.iam.gserviceaccount.com")
    );
    assert_eq!(gcs.region.as_deref(), Some("auto"));
    assert!(!gcs.signs_content_type());

    let azure = PresignedLink::parse("https://a.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-11-25T00%3A00%3A00Z&sr=b&sp=cw&sig=abc%3D").unwrap();
    assert_eq!(azure.expires_at, Some(at("2026-11-25T00:00:00Z")));
    assert_eq!(azure.operation, Some(Operation::Put));
    let azure_read = PresignedLink::parse(
        "https://a.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-11-25&sp=r&sig=abc",
    )
    .unwrap();
    assert_eq!(azure_read.operation, Some(Operation::Get));
    assert_eq!(azure_read.expires_at, Some(at("2026-11-25T00:00:00Z")));
}

#[test]
fn bad_text_gives_a_reason_not_a_panic() {
    assert_eq!(PresignedLink::parse("   ").unwrap_err(), LinkError::Empty);
    assert_eq!(
        PresignedLink::parse("s3://bucket/key").unwrap_err(),
        LinkError::NotHttp
    );
    assert_eq!(
        PresignedLink::parse("https:///path").unwrap_err(),
        LinkError::NoHost
    );
    let wrapped = PresignedLink::parse("https://h/a\nb").unwrap();
    assert_eq!(wrapped.as_sent(), "https://h/ab");
    assert_eq!(wrapped.repairs, [Repair::BreaksInside]);
    for text in [
        "https://",
        "http://[",
        "https://h:99999999/",
        "https://ü/é?%ZZ=%&&=",
        "HTTPS://H",
        "ｈttps://x",
    ] {
        let _ = PresignedLink::parse(text);
    }
}

#[test]
fn request_target_keeps_every_byte() {
    let url =
        "http://127.0.0.1:9000/b/a%20b+c(d)!*'~%2F@%E6%97%A5.txt?X-Amz-Signature=x&a=%2B#frag";
    let raw = RawUrl::split(url).unwrap();
    assert_eq!(
        raw.request_target(),
        "/b/a%20b+c(d)!*'~%2F@%E6%97%A5.txt?X-Amz-Signature=x&a=%2B"
    );
    assert_eq!(raw.host, "127.0.0.1");
    assert_eq!(raw.port, Some(9000));
    assert_eq!(RawUrl::split("https://h").unwrap().request_target(), "/");
    assert_eq!(RawUrl::split("https://[::1]:8080/x").unwrap().host, "[::1]");
}
