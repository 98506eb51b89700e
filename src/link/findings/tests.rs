use super::*;

const NOW: &str = "2026-11-24T06:30:00Z";

/// A SigV4 link signed at 06:00 for an hour, with `extra` query parameters and `host`.
fn v4(host: &str, region: &str, extra: &str) -> String {
    format!(
        "https://{host}/key.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAEXAMPLE%2F20261124%2F{region}%2Fs3%2Faws4_request\
         &X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=abc{extra}"
    )
}

fn plain() -> String {
    v4("b.s3.us-east-1.amazonaws.com", "us-east-1", "")
}

fn ids_at(text: &str, now: &str, intended: Option<Operation>) -> Vec<&'static str> {
    let link = PresignedLink::parse(text).unwrap();
    link.findings(now.parse().unwrap(), intended)
        .iter()
        .map(|f| f.id.as_str())
        .collect()
}

fn ids(text: &str) -> Vec<&'static str> {
    ids_at(text, NOW, None)
}

/// (finding id, a link that has it, a link that does not)
fn table() -> Vec<(&'static str, String, String)> {
    let azure = |sp: &str| {
        format!(
            "https://acct.blob.core.windows.net/c/b.bin?sv=2024-11-04&se=2026-11-25T00%3A00%3A00Z&sr=b&sp={sp}&sig=abc"
        )
    };
    vec![
        (
            "expired",
            v4("b.s3.us-east-1.amazonaws.com", "us-east-1", "").replace("T060000Z", "T040000Z"),
            plain(),
        ),
        (
            "not-yet-valid",
            plain().replace("T060000Z", "T080000Z"),
            plain(),
        ),
        (
            "expiry-too-long",
            plain().replace("Expires=3600", "Expires=604801"),
            plain().replace("Expires=3600", "Expires=604800"),
        ),
        (
            "temporary-credentials",
            plain().replace("AKIAEXAMPLE", "ASIAEXAMPLE") + "&X-Amz-Security-Token=tok",
            plain(),
        ),
        (
            "legacy-signature",
            "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAX&Expires=1795600000&Signature=abc"
                .into(),
            plain(),
        ),
        (
            "content-type-signed",
            plain().replace("SignedHeaders=host", "SignedHeaders=content-type%3Bhost"),
            plain(),
        ),
        (
            "signed-headers",
            plain().replace("SignedHeaders=host", "SignedHeaders=host%3Bx-amz-acl"),
            plain().replace("SignedHeaders=host", "SignedHeaders=content-type%3Bhost"),
        ),
        (
            "sdk-checksum",
            v4(
                "b.s3.us-east-1.amazonaws.com",
                "us-east-1",
                "&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32",
            ),
            plain(),
        ),
        (
            "plain-http",
            plain().replace("https://", "http://"),
            plain(),
        ),
        (
            "region-mismatch",
            v4("b.s3.eu-west-1.amazonaws.com", "us-east-1", ""),
            plain(),
        ),
        (
            "global-endpoint",
            v4("b.s3.amazonaws.com", "ap-northeast-1", ""),
            v4("b.s3.amazonaws.com", "us-east-1", ""),
        ),
        (
            "dotted-bucket-tls",
            v4("my.bucket.s3.us-east-1.amazonaws.com", "us-east-1", ""),
            v4("s3.us-east-1.amazonaws.com/my.bucket", "us-east-1", ""),
        ),
        ("repaired-paste", format!("<{}>", plain()), plain()),
        (
            "missing-parameters",
            plain().replace("&X-Amz-Signature=abc", ""),
            plain(),
        ),
        (
            "not-presigned",
            "https://example.com/file.zip".into(),
            plain(),
        ),
        ("operation-hint", plain() + "&x-id=PutObject", plain()),
        (
            "multipart-part",
            plain() + "&partNumber=3&uploadId=xyz",
            plain() + "&partNumber=3",
        ),
        ("azure-blob-type", azure("cw"), azure("r")),
        ("azure-permissions", azure("l"), azure("rw")),
    ]
}

#[test]
fn each_finding_positive_and_negative() {
    for (id, positive, negative) in table() {
        assert!(
            ids(&positive).contains(&id),
            "{id} missing for {positive}: {:?}",
            ids(&positive)
        );
        assert!(
            !ids(&negative).contains(&id),
            "{id} wrongly found for {negative}: {:?}",
            ids(&negative)
        );
    }
}

#[test]
fn every_id_is_in_the_table() {
    let covered: Vec<&str> = table().iter().map(|(id, _, _)| *id).collect();
    let all = [
        FindingId::Expired,
        FindingId::NotYetValid,
        FindingId::ExpiryTooLong,
        FindingId::TemporaryCredentials,
        FindingId::LegacySignature,
        FindingId::ContentTypeSigned,
        FindingId::SignedHeaders,
        FindingId::SdkChecksum,
        FindingId::PlainHttp,
        FindingId::RegionMismatch,
        FindingId::GlobalEndpoint,
        FindingId::DottedBucketTls,
        FindingId::RepairedPaste,
        FindingId::MissingParameters,
        FindingId::NotPresigned,
        FindingId::OperationHint,
        FindingId::MultipartPart,
        FindingId::AzureBlobType,
        FindingId::AzurePermissions,
    ];
    for id in all {
        assert!(covered.contains(&id.as_str()), "{id:?}");
        let json = serde_json::to_value(id).unwrap();
        assert_eq!(json.as_str(), Some(id.as_str()));
    }
}

#[test]
fn messages_say_what_it_means() {
    let link = PresignedLink::parse(&plain().replace("T060000Z", "T040000Z")).unwrap();
    let findings = link.findings(NOW.parse().unwrap(), None);
    let expired = findings
        .iter()
        .find(|f| f.id == FindingId::Expired)
        .unwrap();
    assert_eq!(expired.severity, Severity::Error);
    assert!(
        expired
            .message
            .contains("expired 1 h 30 min ago (2026-11-24 05:00:00 UTC)"),
        "{}",
        expired.message
    );
    assert!(
        findings.windows(2).all(|w| w[0].severity <= w[1].severity),
        "errors first"
    );

    let empty_crc = v4(
        "b.s3.us-east-1.amazonaws.com",
        "us-east-1",
        "&x-amz-checksum-crc32=AAAAAA%3D%3D",
    );
    let link = PresignedLink::parse(&empty_crc).unwrap();
    let message = &link.findings(NOW.parse().unwrap(), None)[0].message;
    assert!(message.contains("empty file"), "{message}");

    let local = ids(&v4("127.0.0.1:9000/b", "us-east-1", "").replace("https://", "http://"));
    assert!(local.contains(&"plain-http"));
}

#[test]
fn azure_permissions_follow_the_chosen_operation() {
    let read_only =
        "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2026-11-25&sp=r&sig=abc";
    assert!(!ids_at(read_only, NOW, Some(Operation::Get)).contains(&"azure-permissions"));
    assert!(ids_at(read_only, NOW, Some(Operation::Put)).contains(&"azure-permissions"));
    // A user-delegation key that ends first ends the link.
    let delegated = "https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2026-11-30&skoid=o&sktid=t&skt=2026-11-24&ske=2026-11-24T06%3A10%3A00Z&sks=b&skv=2024-11-04&sp=r&sr=b&sig=abc";
    assert!(ids(delegated).contains(&"expired"));
}

#[test]
fn findings_that_stop_the_link_are_errors_other_than_expiry_and_no_signature() {
    let mismatch =
        v4("b.s3.eu-west-1.amazonaws.com", "us-east-1", "").replace("T060000Z", "T040000Z");
    let link = PresignedLink::parse(&mismatch).unwrap();
    let findings = link.findings(NOW.parse().unwrap(), None);
    assert!(findings.iter().any(|f| f.id == FindingId::Expired));
    let ids: Vec<FindingId> = cannot_work(&findings).into_iter().map(|f| f.id).collect();
    assert_eq!(ids, [FindingId::RegionMismatch]);
}
