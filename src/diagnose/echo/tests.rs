use super::*;

const LINK: &str = "https://b.s3.us-east-1.amazonaws.com/a%20b.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&x-id=PutObject&X-Amz-Signature=abc";

/// The canonical request a server computes for LINK received unchanged, with `path`,
/// `query` and `content_type` as given.
fn canonical(method: &str, path: &str, query: &str, content_type: &str) -> String {
    format!(
        "{method}\n{path}\n{query}\ncontent-type:{content_type}\nhost:b.s3.us-east-1.amazonaws.com\n\ncontent-type;host\nUNSIGNED-PAYLOAD"
    )
}

const QUERY: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&x-id=PutObject";

fn headers(content_type: &str) -> Vec<(String, String)> {
    vec![("Content-Type".into(), content_type.into())]
}

fn reading(echo: &str, sent_type: &str) -> Reading {
    let link = PresignedLink::parse(LINK).unwrap();
    let headers = headers(sent_type);
    let sent = Sent {
        method: Some("PUT"),
        headers: &headers,
    };
    read(Some(echo), None, None, Some(&link), &sent).unwrap()
}

fn changes(r: &Reading) -> Vec<(Part, Change)> {
    r.differences
        .iter()
        .map(|d| (d.part.clone(), d.change))
        .collect()
}

#[test]
fn an_unchanged_request_matches() {
    let r = reading(
        &canonical("PUT", "/a%20b.csv", QUERY, "text/csv"),
        "text/csv",
    );
    assert!(r.matches(), "{:?}", r.differences);
    assert_eq!(r.content_type.as_deref(), Some("text/csv"));
    assert_eq!(r.method.as_deref(), Some("PUT"));
}

#[test]
fn each_change_of_a_parameter_is_named() {
    let param = |name: &str| Part::Param(name.into());
    let cases: Vec<(String, Vec<(Part, Change)>)> = vec![
        (
            QUERY.replace("%2F", "%252F"),
            vec![(param("X-Amz-Credential"), Change::EncodedTwice)],
        ),
        (
            QUERY.replace("&x-id=PutObject", ""),
            vec![(param("x-id"), Change::Dropped)],
        ),
        (
            format!("{QUERY}&utm_source=mail"),
            vec![(param("utm_source"), Change::Added)],
        ),
        (
            QUERY.replace("X-Amz-Date=", "x-amz-date="),
            vec![(param("X-Amz-Date"), Change::CaseChanged)],
        ),
        (
            QUERY.replace("x-id=PutObject", "x-id=putobject"),
            vec![(param("x-id"), Change::CaseChanged)],
        ),
        (
            QUERY.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"),
            vec![(param("X-Amz-Expires"), Change::OtherValue)],
        ),
    ];
    for (query, expected) in cases {
        let r = reading(
            &canonical("PUT", "/a%20b.csv", &query, "text/csv"),
            "text/csv",
        );
        assert_eq!(changes(&r), expected, "{query}");
        assert!(!r.matches());
    }
}

#[test]
fn a_plus_that_became_a_space_is_named() {
    let link = PresignedLink::parse(
        "https://b.s3.amazonaws.com/k?X-Amz-Credential=A%2Fb&X-Amz-Date=1&X-Amz-Meta=a%2Bb&X-Amz-Signature=s",
    )
    .unwrap();
    let sent = Sent {
        method: None,
        headers: &[],
    };
    let echo = "GET\n/k\nX-Amz-Credential=A%2Fb&X-Amz-Date=1&X-Amz-Meta=a%20b\nhost:b.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD";
    let r = read(Some(echo), None, None, Some(&link), &sent).unwrap();
    assert_eq!(
        changes(&r),
        [(Part::Param("X-Amz-Meta".into()), Change::PlusAsSpace)]
    );
}

#[test]
fn the_path_the_host_the_method_and_headers() {
    let r = reading(
        &canonical("PUT", "/a%2520b.csv", QUERY, "text/csv"),
        "text/csv",
    );
    assert_eq!(changes(&r), [(Part::Path, Change::EncodedTwice)]);
    let r = reading(&canonical("PUT", "/a+b.csv", QUERY, "text/csv"), "text/csv");
    assert_eq!(changes(&r), [(Part::Path, Change::OtherValue)]);
    let r = reading(
        &canonical("GET", "/a%20b.csv", QUERY, "text/csv"),
        "text/csv",
    );
    assert_eq!(changes(&r), [(Part::Method, Change::OtherValue)]);
    let echo = canonical("PUT", "/a%20b.csv", QUERY, "text/csv")
        .replace("host:b.s3.us-east-1.amazonaws.com", "host:proxy.internal");
    assert_eq!(
        changes(&reading(&echo, "text/csv")),
        [(Part::Host, Change::OtherValue)]
    );
    // A proxy that adds a charset.
    let r = reading(
        &canonical("PUT", "/a%20b.csv", QUERY, "text/csv; charset=utf-8"),
        "text/csv",
    );
    assert_eq!(
        changes(&r),
        [(Part::Header("content-type".into()), Change::OtherValue)]
    );
}

#[test]
fn a_signed_header_left_out_is_missing() {
    let link =
        PresignedLink::parse(&LINK.replace("content-type%3Bhost", "host%3Bx-amz-acl")).unwrap();
    let echo = "PUT\n/a%20b.csv\nX\nhost:b.s3.us-east-1.amazonaws.com\nx-amz-acl:\n\nhost;x-amz-acl\nUNSIGNED-PAYLOAD";
    let sent = Sent {
        method: Some("PUT"),
        headers: &[],
    };
    let r = read(Some(echo), None, None, Some(&link), &sent).unwrap();
    assert_eq!(r.missing_headers, ["x-amz-acl"]);
    let with = [("x-amz-acl".to_owned(), "private".to_owned())];
    let sent = Sent {
        method: Some("PUT"),
        headers: &with,
    };
    let echo = echo.replace("x-amz-acl:\n", "x-amz-acl:public-read\n");
    let r = read(Some(&echo), None, None, Some(&link), &sent).unwrap();
    assert!(r.missing_headers.is_empty());
    assert_eq!(
        changes(&r)
            .into_iter()
            .filter(|(p, _)| matches!(p, Part::Header(_)))
            .collect::<Vec<_>>(),
        [(Part::Header("x-amz-acl".into()), Change::OtherValue)]
    );
}

#[test]
fn a_legacy_string_to_sign_shows_the_type_and_the_expiry() {
    let link = PresignedLink::parse(
        "https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=AKIAX&Expires=1795600000&Signature=abc%3D",
    )
    .unwrap();
    let headers = headers("text/plain");
    let sent = Sent {
        method: Some("PUT"),
        headers: &headers,
    };
    let r = read(
        None,
        Some("PUT\n\ntext/plain\n1795600000\n/b/k.csv"),
        None,
        Some(&link),
        &sent,
    )
    .unwrap();
    assert!(r.matches(), "{:?}", r.differences);
    assert_eq!(r.content_type.as_deref(), Some("text/plain"));
    let r = read(
        None,
        Some("PUT\n\ntext/plain\n1795600001\n/b/k.csv"),
        None,
        Some(&link),
        &sent,
    )
    .unwrap();
    assert_eq!(
        changes(&r),
        [(Part::Param("Expires".into()), Change::OtherValue)]
    );
}

#[test]
fn azure_names_the_sas_field_that_differs() {
    let link = PresignedLink::parse("https://acct.blob.core.windows.net/c/b.bin?sv=2024-11-04&st=2026-11-24T05%3A00%3A00Z&se=2026-11-24T06%3A00%3A00Z&sr=b&sp=cw&sig=abc%3D").unwrap();
    let sent = Sent {
        method: Some("PUT"),
        headers: &[],
    };
    let same = "Signature did not match. String to sign used was cw\n2026-11-24T05:00:00Z\n2026-11-24T06:00:00Z\n/blob/acct/c/b.bin\n\n\nhttps\n2024-11-04\nb\n";
    let r = read(None, None, Some(same), Some(&link), &sent).unwrap();
    assert!(r.matches(), "{:?}", r.differences);
    let other = same.replacen("was cw\n", "was w\n", 1);
    let r = read(None, None, Some(&other), Some(&link), &sent).unwrap();
    assert_eq!(
        changes(&r),
        [(Part::Param("sp".into()), Change::OtherValue)]
    );
}
