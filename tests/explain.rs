//! The error explainer: documented error bodies, every catalogued code, and failures caused by
//! hand against the playground, each with the cause that must come first.

use crate::playground;
use crate::support;

use std::time::Duration;

use playground::{Method, Playground};
use presign_desk::diagnose::{
    Answer, Attempt, CauseId, ErrorBody, Fix, ProbeVerdict, Strength, creator_message, diagnose,
};
use presign_desk::link::{Operation, PresignedLink};
use presign_desk::text::errors;
use presign_desk::text::{Language, with_language};
use presign_desk::transfer::Outcome;
use support::echo;

const HOUR: Duration = Duration::from_secs(3600);
const NOW: &str = "2026-11-24T06:30:00Z";
const V4_PUT: &str = "https://b.s3.us-east-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=abc&x-id=PutObject";
const V4_GET_TEMP: &str = "https://b.s3.ap-northeast-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAX%2F20261124%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=abc";
const V2_PUT: &str =
    "https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=AKIAX&Expires=1795600000&Signature=abc%3D";
const AZURE_PUT: &str = "https://acct.blob.core.windows.net/c/b.bin?sv=2024-11-04&se=2026-11-24T06%3A00%3A00Z&sr=b&sp=cw&sig=abc%3D";

fn explain(
    url: Option<&str>,
    operation: Operation,
    sent: Option<&str>,
    status: u16,
    body: &str,
    date: Option<&str>,
) -> presign_desk::diagnose::Diagnosis {
    let link = url.map(|u| PresignedLink::parse(u).unwrap());
    let attempt = Attempt {
        guessed_content_type: Some("text/csv".into()),
        file_len_bytes: Some(10),
        ..Attempt::new(link.as_ref(), operation)
    }
    .sending_content_type(sent);
    let body = ErrorBody::parse(body.as_bytes());
    let answer = Answer {
        status: Some(status),
        body: &body,
        date,
        error_code_header: None,
    };
    diagnose(&attempt, &answer, NOW.parse().unwrap())
}

/// (name, link, operation, sent Content-Type, status, body, first cause)
type Case = (
    &'static str,
    Option<&'static str>,
    Operation,
    Option<&'static str>,
    u16,
    &'static str,
    CauseId,
);

#[test]
fn documented_bodies_give_the_right_first_cause() {
    use CauseId::*;
    use Operation::*;
    let cases: &[Case] = &[
        (
            "sigv2 string-to-sign shows the type received",
            Some(V2_PUT),
            Put,
            Some("text/plain"),
            403,
            "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>PUT\n\ntext/plain\n1795600000\n/b/k.csv</StringToSign><SignatureProvided>abc=</SignatureProvided></Error>",
            ContentTypeMismatch,
        ),
        (
            "sigv4 path changed on the way",
            Some(
                "https://b.s3.us-east-1.amazonaws.com/a%2Bb.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&x-id=GetObject",
            ),
            Get,
            None,
            403,
            "<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>GET\n/a%20b.txt\n\nhost:b\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>",
            UrlAltered,
        ),
        (
            "expired, with Expires and ServerTime",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            403,
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>2026-11-24T07:00:00Z</Expires><ServerTime>2026-11-24T08:00:00Z</ServerTime></Error>",
            Expired,
        ),
        (
            "temporary credentials ended (seed 001)",
            Some(V4_GET_TEMP),
            Get,
            None,
            400,
            "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>SECRETTOKEN</Token-0></Error>",
            TemporaryCredentials,
        ),
        (
            "wrong region",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            400,
            "<Error><Code>AuthorizationQueryParametersError</Code><Message>Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'ap-northeast-1'</Message><Region>ap-northeast-1</Region></Error>",
            WrongRegion,
        ),
        (
            "too long a lifetime",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            400,
            "<Error><Code>AuthorizationQueryParametersError</Code><Message>X-Amz-Expires must be less than a week (in seconds) that is 604800</Message></Error>",
            ExpiryTooLong,
        ),
        (
            "temporary redirect of a new bucket (seed 003)",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            307,
            "<Error><Code>TemporaryRedirect</Code><Message>Please re-send this request to the specified temporary endpoint.</Message><Endpoint>b.s3-ap-northeast-1.amazonaws.com</Endpoint><Bucket>b</Bucket></Error>",
            Redirect,
        ),
        (
            "sigv2 refused by a sigv4-only region",
            Some(V2_PUT),
            Put,
            None,
            400,
            "<Error><Code>InvalidRequest</Code><Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message></Error>",
            LegacySignatureUnsupported,
        ),
        (
            "chunked upload",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            501,
            "<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message><Header>Transfer-Encoding</Header></Error>",
            ChunkedUpload,
        ),
        (
            "no length (MinIO)",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            411,
            "<Error><Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message></Error>",
            ChunkedUpload,
        ),
        (
            "too large",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            400,
            "<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>6442450944</ProposedSize><MaxSizeAllowed>5368709120</MaxSizeAllowed></Error>",
            TooLarge,
        ),
        (
            "checksum of an empty body (F11)",
            Some(
                "https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32&x-id=PutObject",
            ),
            Put,
            None,
            400,
            "<Error><Code>BadDigest</Code><Message>The CRC32 you specified did not match the calculated checksum.</Message></Error>",
            SdkChecksum,
        ),
        (
            "unsigned x-amz header",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            403,
            "<Error><Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message><HeadersNotSigned>x-amz-acl</HeadersNotSigned></Error>",
            UnsignedHeaders,
        ),
        (
            "two auth mechanisms",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            400,
            "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message><ArgumentName>Authorization</ArgumentName></Error>",
            TwoAuthMechanisms,
        ),
        (
            "azure blob type",
            Some(AZURE_PUT),
            Put,
            None,
            400,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>MissingRequiredHeader</Code><Message>An HTTP header that's mandatory for this request is not specified.</Message><HeaderName>x-ms-blob-type</HeaderName></Error>",
            MissingBlobType,
        ),
        (
            "azure expired",
            Some(AZURE_PUT),
            Put,
            None,
            403,
            "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message><AuthenticationErrorDetail>Signed expiry time [Tue, 24 Nov 2026 06:00:00 GMT] must be after signed start time [Tue, 24 Nov 2026 05:00:00 GMT]; the SAS has expired</AuthenticationErrorDetail></Error>",
            Expired,
        ),
        (
            "not found",
            Some(V4_PUT),
            Get,
            None,
            404,
            "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k.csv</Key></Error>",
            NotFound,
        ),
        (
            "signer lacks permission (seed 003)",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            403,
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
            Permission,
        ),
        (
            "slow down",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            503,
            "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
            Retryable,
        ),
        (
            "a proxy's HTML page",
            Some(V4_PUT),
            Put,
            Some("text/csv"),
            502,
            "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
            Retryable,
        ),
    ];
    for (name, url, operation, sent, status, body, first) in cases {
        let diagnosis = explain(*url, *operation, *sent, *status, body, None);
        let ids: Vec<CauseId> = diagnosis.causes.iter().map(|c| c.id).collect();
        assert_eq!(ids.first(), Some(first), "{name}: {ids:?}");
        // The first cause owns the title, the explanation and the remedy.
        let cause = &diagnosis.causes[0];
        assert_eq!(diagnosis.title, cause.title, "{name}");
        assert_eq!(diagnosis.explanation, cause.text, "{name}");
        assert_eq!(diagnosis.actions, cause.actions, "{name}");
        assert_eq!(diagnosis.ask, cause.ask, "{name}");
        assert_eq!(diagnosis.ask_whom, cause.ask_whom, "{name}");
        let everything = format!(
            "{diagnosis:?}{}",
            serde_json::to_string(&diagnosis).unwrap()
        );
        assert!(
            !everything.contains("SECRETTOKEN"),
            "{name}: the token leaked"
        );
    }
}

#[test]
fn every_catalogued_code_has_its_texts() {
    for family in [
        errors::Family::S3,
        errors::Family::Gcs,
        errors::Family::Azure,
    ] {
        for code in errors::codes(family) {
            let entry = errors::for_code(family, code).expect("a listed code is explained");
            assert!(
                !entry.title.is_empty() && !entry.meaning.is_empty(),
                "{}",
                entry.code
            );
            assert!(
                !entry.action.is_empty() && !entry.ask.is_empty(),
                "{}",
                entry.code
            );
            // Read from a body, the code finds its entry: the causes or the entry name it.
            let body = format!(
                "<Error><Code>{}</Code><Message>m</Message></Error>",
                entry.code
            );
            let url = match family {
                errors::Family::Azure => AZURE_PUT,
                errors::Family::Gcs => {
                    "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T060000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=ab"
                }
                errors::Family::S3 => V4_PUT,
            };
            let diagnosis = explain(
                Some(url),
                Operation::Put,
                Some("text/csv"),
                400,
                &body,
                None,
            );
            assert_eq!(diagnosis.code.as_deref(), Some(entry.code));
            // The remedy is the first cause's; the code's own entry only when no cause is
            // known beyond what the server stated.
            let first = &diagnosis.causes[0];
            assert_eq!(diagnosis.ask, first.ask, "{}", entry.code);
            assert_eq!(diagnosis.actions, first.actions, "{}", entry.code);
            if first.id == CauseId::ServerStated {
                assert_eq!(diagnosis.actions, [entry.action], "{}", entry.code);
                assert!(
                    diagnosis.ask == entry.ask || diagnosis.ask.is_empty(),
                    "{}",
                    entry.code
                );
            }
            // A known code always has a cause, and the title is the first cause's.
            assert!(!diagnosis.causes.is_empty(), "{}: no cause", entry.code);
            assert_eq!(diagnosis.title, diagnosis.causes[0].title, "{}", entry.code);
            // Each service in its own words: no S3 permission names outside S3.
            if family != errors::Family::S3 {
                let all = serde_json::to_string(&diagnosis).unwrap();
                assert!(!all.contains("s3:"), "{}: {all}", entry.code);
            }
        }
    }
    for status in [301, 400, 401, 403, 404, 405, 411, 413, 418, 500, 503, 0] {
        let diagnosis = explain(None, Operation::Get, None, status, "", None);
        assert!(!diagnosis.title.is_empty(), "{status}");
    }
}

#[test]
fn expiry_is_measured_on_the_servers_clock_when_it_says() {
    // This computer's clock says 06:30, before the link's expiry; the server says 08:00.
    let d = explain(
        Some(V4_PUT),
        Operation::Put,
        Some("text/csv"),
        403,
        "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2026-11-24T07:00:00Z</Expires><ServerTime>2026-11-24T08:00:00Z</ServerTime></Error>",
        None,
    );
    assert_eq!(d.causes[0].id, CauseId::Expired);
    assert!(
        d.explanation
            .contains("expired 1 h ago (2026-11-24 07:00:00 UTC)"),
        "{}",
        d.explanation
    );
}

#[test]
fn gcs_and_azure_bodies_keep_their_details() {
    let gcs = "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T050000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=ab";
    let d = explain(
        Some(gcs),
        Operation::Get,
        None,
        400,
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>Invalid argument.</Message><Details>The provided token has expired. Request signature expired at: 2026-11-24T05:15:00+00:00</Details></Error>",
        None,
    );
    assert_eq!(
        d.causes[0].id,
        CauseId::Expired,
        "GCS says ExpiredToken for an expired link"
    );
    assert!(d.details["Details"].contains("Request signature expired at"));

    let link = PresignedLink::parse(AZURE_PUT).unwrap();
    let attempt = Attempt::new(Some(&link), Operation::Put);
    let body = ErrorBody::parse(b"");
    let answer = Answer {
        status: Some(403),
        body: &body,
        date: None,
        error_code_header: Some("AuthorizationPermissionMismatch"),
    };
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert_eq!(
        d.code.as_deref(),
        Some("AuthorizationPermissionMismatch"),
        "read from x-ms-error-code"
    );
    assert_eq!(d.causes[0].id, CauseId::Permission);
}

/// A SigV4 link signed at 06:00:00 UTC for an hour, on Amazon or on another S3 server.
fn v4_link(host: &str) -> String {
    format!(
        "https://{host}/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc"
    )
}
const AWS_HOST: &str = "b.s3.us-east-1.amazonaws.com";
const OTHER_HOST: &str = "storage.example.net";
const SIGNED_AT: i64 = 1_795_500_000; // 2026-11-24T06:00:00Z

fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).unwrap().to_string()
}

fn http_date(secs: i64) -> String {
    jiff::fmt::rfc2822::to_string(
        &jiff::Timestamp::from_second(secs)
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC),
    )
    .unwrap()
}

/// (offset of the signer's clock from the server's, the span the text must name, whether it
/// is a whole number of hours)
const OFFSETS: &[(i64, &str, bool)] = &[
    (180, "3 min", false),
    (-180, "3 min", false),
    (1200, "20 min", false),
    (-1200, "20 min", false),
    (32_400, "9 h", true),
    (-32_400, "9 h", true),
    // Off by a minute or two from whole hours: said as the whole hours, with the zone hint.
    (32_340, "9 h", true),
    (-32_460, "9 h", true),
    (19_800, "5 h 30 min", true),
    (-7_980, "2 h 13 min", false),
    (93_600, "1 d 2 h", true),
    (-93_600, "1 d 2 h", true),
];

fn ids(d: &presign_desk::diagnose::Diagnosis) -> Vec<(CauseId, Strength)> {
    d.causes.iter().map(|c| (c.id, c.strength)).collect()
}

#[test]
fn request_time_too_skewed_names_the_signers_clock_and_by_how_much() {
    let skewed = |request_time: &str, server: i64| {
        format!(
            "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>{request_time}</RequestTime><ServerTime>{}</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>",
            iso(server)
        )
    };
    // The echoed request time in each form servers write it.
    let forms = [
        "20261124T060000Z".to_owned(),
        "2026-11-24T06:00:00Z".to_owned(),
        (SIGNED_AT * 1000).to_string(),
    ];
    for &(offset, span, whole_hours) in OFFSETS {
        for form in &forms {
            let server = SIGNED_AT - offset;
            let d = explain(
                Some(&v4_link(AWS_HOST)),
                Operation::Put,
                None,
                403,
                &skewed(form, server),
                None,
            );
            let first = &d.causes[0];
            assert_eq!(
                (first.id, first.strength),
                (CauseId::SignerClock, Strength::Proven),
                "{offset} {form}: {:?}",
                ids(&d)
            );
            assert!(first.text.contains(span), "{offset}: {}", first.text);
            let ahead = offset > 0;
            assert_eq!(first.text.contains("ahead"), ahead, "{}", first.text);
            assert_eq!(
                first.text.contains("time zone"),
                whole_hours,
                "{offset}: {}",
                first.text
            );
            assert_eq!(d.title, first.title);
            // The remedy never turns to this computer's clock.
            let remedy = format!("{} {:?} {}", d.title, d.actions, d.ask);
            assert!(!remedy.contains("this computer"), "{remedy}");
            assert!(!first.text.contains(" 0 min"), "{}", first.text);
        }
        // No echo: the link's signing time against the response's Date.
        let d = explain(
            Some(&v4_link(AWS_HOST)),
            Operation::Put,
            None,
            403,
            "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message></Error>",
            Some(&http_date(SIGNED_AT - offset)),
        );
        assert_eq!(d.causes[0].id, CauseId::SignerClock);
        assert!(d.causes[0].text.contains(span), "{}", d.causes[0].text);
    }
    // Nothing to measure with: still the signer's clock, never this computer's.
    let d = explain(
        None,
        Operation::Put,
        None,
        403,
        "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message></Error>",
        None,
    );
    assert_eq!(
        ids(&d),
        vec![(CauseId::SignerClock, Strength::Likely)],
        "{:?}",
        d.causes
    );
    let remedy = format!("{} {:?} {}", d.title, d.actions, d.ask);
    assert!(!remedy.contains("this computer"), "{remedy}");
}

#[test]
fn a_server_that_applies_its_request_window_to_presigned_links_is_named() {
    // Signed 20 min before the server's time, valid for an hour: the link is fine.
    let body = |server: i64| {
        format!(
            "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message><RequestTime>20261124T060000Z</RequestTime><ServerTime>{}</ServerTime></Error>",
            iso(server)
        )
    };
    let d = explain(
        Some(&v4_link(OTHER_HOST)),
        Operation::Put,
        None,
        403,
        &body(SIGNED_AT + 1200),
        None,
    );
    assert_eq!(
        ids(&d),
        vec![
            (CauseId::ServerSkewWindow, Strength::Likely),
            (CauseId::SignerClock, Strength::Possible)
        ]
    );
    assert!(d.explanation.contains("20 min"), "{}", d.explanation);
    // Amazon does not do this: there the signer's clock stands.
    let d = explain(
        Some(&v4_link(AWS_HOST)),
        Operation::Put,
        None,
        403,
        &body(SIGNED_AT + 1200),
        None,
    );
    assert_eq!(d.causes[0].id, CauseId::SignerClock);
    // Within the window (3 min), or past the link's expiry (26 h): the signer's clock.
    for late in [180, 93_600] {
        let d = explain(
            Some(&v4_link(OTHER_HOST)),
            Operation::Put,
            None,
            403,
            &body(SIGNED_AT + late),
            None,
        );
        assert_eq!(
            (d.causes[0].id, d.causes[0].strength),
            (CauseId::SignerClock, Strength::Proven),
            "{late}"
        );
    }
}

#[test]
fn not_yet_valid_means_the_signer_is_ahead() {
    for &(offset, span, whole_hours) in OFFSETS.iter().filter(|(o, _, _)| *o > 0) {
        let d = explain(
            Some(&v4_link(AWS_HOST)),
            Operation::Get,
            None,
            403,
            "<Error><Code>AccessDenied</Code><Message>Request is not yet valid</Message></Error>",
            Some(&http_date(SIGNED_AT - offset)),
        );
        let first = &d.causes[0];
        assert_eq!(
            (first.id, first.strength),
            (CauseId::SignerClock, Strength::Proven),
            "{offset}"
        );
        assert!(first.text.contains(span) && first.text.contains("ahead"));
        assert_eq!(first.text.contains("time zone"), whole_hours);
    }
    // A server clock that does not show the signer ahead: still the signer's clock, unproven.
    let d = explain(
        Some(&v4_link(AWS_HOST)),
        Operation::Get,
        None,
        403,
        "<Error><Code>AccessDenied</Code><Message>Request is not yet valid</Message></Error>",
        Some(&http_date(SIGNED_AT + 180)),
    );
    assert_eq!(
        ids(&d),
        vec![(CauseId::SignerClock, Strength::Likely)],
        "{:?}",
        d.causes
    );
}

#[test]
fn an_expired_link_signed_whole_hours_ago_suspects_the_signers_time_zone_after_expiry() {
    let expired = |server: i64| {
        format!(
            "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>2026-11-24T07:00:00Z</Expires><ServerTime>{}</ServerTime></Error>",
            iso(server)
        )
    };
    for (after, suspect) in [
        (32_400, Some("9 h")),
        (32_400 - 90, Some("9 h")),
        (93_600, Some("1 d 2 h")),
        (7_200, Some("2 h")),
        (3_600 + 180, None),
        (3_600 + 1_200, None),
        (8_400, None),
    ] {
        let d = explain(
            Some(&v4_link(AWS_HOST)),
            Operation::Get,
            None,
            403,
            &expired(SIGNED_AT + after),
            None,
        );
        assert_eq!(
            (d.causes[0].id, d.causes[0].strength),
            (CauseId::Expired, Strength::Proven),
            "{after}: expiry always comes first"
        );
        match suspect {
            Some(span) => {
                assert_eq!(
                    (d.causes[1].id, d.causes[1].strength),
                    (CauseId::SignerClock, Strength::Possible),
                    "{after}"
                );
                assert!(d.causes[1].text.contains(span), "{}", d.causes[1].text);
            }
            None => assert_eq!(d.causes.len(), 1, "{after}: {:?}", ids(&d)),
        }
    }
}

#[test]
fn what_the_servers_echo_proves_outranks_what_the_link_suggests() {
    // The link signs content-type; the server's echo shows a double-encoded path and exactly
    // the type that was sent.
    let link = "https://b.s3.us-east-1.amazonaws.com/a%20b.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=abc";
    let typed = [("content-type", "text/csv")];
    let signed = ["content-type", "host"];
    let body = echo::signature_mismatch(&link.replace("a%20b", "a%2520b"), "PUT", &typed, &signed);
    let d = explain(
        Some(link),
        Operation::Put,
        Some("text/csv"),
        403,
        &body,
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::UrlAltered, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    assert!(d.explanation.contains("encoded twice"), "{}", d.explanation);
    assert!(
        d.causes
            .iter()
            .all(|c| c.id != CauseId::ContentTypeMismatch),
        "the echo shows the type sent, and a proven cause explains the refusal: {:?}",
        ids(&d)
    );
    // The same echo with the path intact: the signed type stays the likely cause, read from
    // the echo.
    let intact = echo::signature_mismatch(link, "PUT", &typed, &signed);
    let d = explain(
        Some(link),
        Operation::Put,
        Some("text/csv"),
        403,
        &intact,
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::ContentTypeMismatch, Strength::Likely),
        "{:?}",
        ids(&d)
    );
    assert!(
        d.explanation
            .contains("received the file type (Content-Type) text/csv")
    );
    // Ranked by strength: nothing proven ever follows something weaker.
    let strengths: Vec<Strength> = d.causes.iter().map(|c| c.strength).collect();
    assert!(strengths.is_sorted(), "{strengths:?}");
}

/// A download link that states its operation and signs only the host: everything it asks for
/// is in the link, so the echo can show all of it.
fn stated_get(host: &str) -> String {
    format!("{}&x-id=GetObject&X-Amz-Meta-Note=a%2Bb%20c", v4_link(host))
}

#[test]
fn every_change_to_the_query_on_the_way_is_proven_and_named() {
    let link = stated_get(AWS_HOST);
    let signed = ["host"];
    // How the request was sent (what a tool or a proxy did to the link), and what the
    // explanation must name.
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "a parameter encoded twice",
            link.replace(
                "AKIAX%2F20261124%2Fus-east-1%2Fs3%2Faws4_request",
                "AKIAX%252F20261124%252Fus-east-1%252Fs3%252Faws4_request",
            ),
            "X-Amz-Credential (encoded twice)",
            "X-Amz-Credential（二重にエンコードされた）",
        ),
        (
            "a parameter decoded (a plus sign read as a space)",
            link.replace("a%2Bb", "a+b"),
            "X-Amz-Meta-Note (its + became a space)",
            "X-Amz-Meta-Note（「+」が空白に変わった）",
        ),
        (
            "a parameter dropped",
            link.replace("&x-id=GetObject", ""),
            "x-id (dropped)",
            "x-id（削除された）",
        ),
        (
            "a parameter added by a proxy",
            format!("{link}&session=42"),
            "session (added)",
            "session（追加された）",
        ),
        (
            "a name's case changed",
            link.replace("X-Amz-Date=", "x-amz-date="),
            "X-Amz-Date (changed in case)",
            "X-Amz-Date（大文字と小文字が変わった）",
        ),
        (
            "another value",
            link.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"),
            "X-Amz-Expires (changed)",
            "X-Amz-Expires（変更された）",
        ),
    ];
    for (name, sent, english, japanese) in cases {
        let body = echo::signature_mismatch(&sent, "GET", &[], &signed);
        for (language, words) in [(Language::ENGLISH, english), (Language::JAPANESE, japanese)] {
            let d = with_language(language, || {
                explain(Some(&link), Operation::Get, None, 403, &body, None)
            });
            assert_eq!(
                (d.causes[0].id, d.causes[0].strength),
                (CauseId::UrlAltered, Strength::Proven),
                "{name}: {:?}",
                ids(&d)
            );
            assert!(d.explanation.contains(words), "{name}: {}", d.explanation);
            // A proven change leaves no guess about the file type in front of it.
            assert!(
                d.causes
                    .iter()
                    .all(|c| c.id != CauseId::ContentTypeMismatch),
                "{name}"
            );
        }
    }
}

#[test]
fn an_echo_of_exactly_what_the_link_asks_for_points_at_the_link_itself() {
    let link = stated_get(OTHER_HOST);
    let body = echo::signature_mismatch(&link, "GET", &[], &["host"]);
    let d = explain(Some(&link), Operation::Get, None, 403, &body, None);
    assert_eq!(
        ids(&d),
        vec![(CauseId::WrongSecretOrTampered, Strength::Likely)],
        "nothing else is left: {:?}",
        d.causes
    );
    assert!(
        d.explanation
            .contains("received exactly what the link asks for")
    );
    assert_eq!(d.ask_whom, presign_desk::diagnose::Whom::Creator);
    // Without the echo, the same refusal proves nothing: the secret is only possible.
    let d = explain(
        Some(&link),
        Operation::Get,
        None,
        403,
        "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>",
        None,
    );
    assert_eq!(d.causes[0].strength, Strength::Possible);
    assert!(d.title.starts_with("Perhaps"), "{}", d.title);
}

#[test]
fn a_proxy_that_changes_the_host_the_method_or_the_file_type_is_named() {
    let link = stated_get(AWS_HOST);
    // The echo shows the host the storage received.
    let via_proxy = link.replace(AWS_HOST, "proxy.internal:8080");
    let body = echo::signature_mismatch(&via_proxy, "GET", &[], &["host"]);
    let d = explain(Some(&link), Operation::Get, None, 403, &body, None);
    assert_eq!(d.causes[0].id, CauseId::UrlAltered, "{:?}", ids(&d));
    assert!(
        d.explanation.contains("proxy.internal:8080"),
        "{}",
        d.explanation
    );
    assert_eq!(d.ask_whom, presign_desk::diagnose::Whom::Nobody);
    // A PUT that arrived as a GET: a known method that the echo contradicts.
    let d = explain(
        Some(&link),
        Operation::Put,
        None,
        403,
        &echo::signature_mismatch(&link, "GET", &[], &["host"]),
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::UrlAltered, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    // A charset added to the type on the way.
    let typed = V4_PUT;
    let body = echo::signature_mismatch(
        typed,
        "PUT",
        &[("content-type", "text/csv; charset=utf-8")],
        &["content-type", "host"],
    );
    let d = explain(
        Some(typed),
        Operation::Put,
        Some("text/csv"),
        403,
        &body,
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::ContentTypeMismatch, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    assert!(d.explanation.contains("charset=utf-8"), "{}", d.explanation);
    assert_eq!(d.fix, None, "no type the app sends would arrive unchanged");
}

#[test]
fn a_link_that_does_not_name_its_operation_and_signs_a_file_type_is_an_upload_link() {
    let s3 = V4_PUT.trim_end_matches("&x-id=PutObject");
    let gcs = "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T060000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=content-type%3Bhost&X-Goog-Signature=ab";
    for (link, words) in [(s3, "upload link"), (gcs, "upload URL")] {
        let bare = "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>";
        let echoed = echo::signature_mismatch(link, "GET", &[], &["content-type", "host"]);
        for body in [bare.to_owned(), echoed] {
            let d = explain(Some(link), Operation::Get, None, 403, &body, None);
            assert_eq!(
                (d.causes[0].id, d.causes[0].strength),
                (CauseId::MethodMismatch, Strength::Likely),
                "{link}: {:?}",
                ids(&d)
            );
            assert!(d.title.contains(words), "{}", d.title);
            assert!(d.title.starts_with("Most likely"), "{}", d.title);
        }
    }
    // The explain command without --method: the echo says the request was a GET.
    let link = PresignedLink::parse(s3).unwrap();
    let body = ErrorBody::parse(
        echo::signature_mismatch(s3, "GET", &[], &["content-type", "host"]).as_bytes(),
    );
    let attempt = Attempt {
        operation_known: false,
        ..Attempt::new(Some(&link), Operation::Put)
    };
    let answer = Answer {
        status: Some(403),
        body: &body,
        date: None,
        error_code_header: None,
    };
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert_eq!(d.causes[0].id, CauseId::MethodMismatch, "{:?}", ids(&d));
}

#[test]
fn a_legacy_string_to_sign_and_an_azure_one_are_read_too() {
    // SigV2: the third line is the type the server received.
    let body = "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>PUT\n\ntext/plain; charset=UTF-8\n1795600000\n/b/k.csv</StringToSign></Error>";
    let d = explain(
        Some(V2_PUT),
        Operation::Put,
        Some("text/plain"),
        403,
        body,
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::ContentTypeMismatch, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    // Azure: the string to sign in the detail names the SAS field that differs.
    let link = AZURE_PUT.replace("sp=cw", "sp=rcw");
    let detail = |sp: &str| {
        format!(
            "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message><AuthenticationErrorDetail>Signature did not match. String to sign used was {sp}\n\n2026-11-24T06:00:00Z\n/blob/acct/c/b.bin\n\n\nhttps\n2024-11-04\nb\n</AuthenticationErrorDetail></Error>"
        )
    };
    let d = explain(Some(&link), Operation::Put, None, 403, &detail("cw"), None);
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::UrlAltered, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    assert!(d.explanation.contains("sp (changed)"), "{}", d.explanation);
    let d = explain(Some(&link), Operation::Put, None, 403, &detail("rcw"), None);
    assert_eq!(
        d.causes[0].id,
        CauseId::WrongSecretOrTampered,
        "the SAS arrived as signed: {:?}",
        ids(&d)
    );
}

#[test]
fn tracking_parameters_in_a_signed_query_prove_the_link_was_altered() {
    let link = format!(
        "{}&utm_source=newsletter&fbclid=IwAR0abc",
        v4_link(AWS_HOST)
    );
    let d = explain(
        Some(&link),
        Operation::Get,
        None,
        403,
        "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>",
        None,
    );
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::UrlAltered, Strength::Proven)
    );
    assert!(
        d.explanation.contains("utm_source") && d.explanation.contains("fbclid"),
        "{}",
        d.explanation
    );
    // Azure signs only its own fields: an extra parameter there breaks nothing.
    let parsed = PresignedLink::parse(&format!("{AZURE_PUT}&utm_source=x")).unwrap();
    assert!(parsed.params_added_after_signing().is_empty());
}

#[test]
fn azure_and_gcs_are_explained_in_their_own_words() {
    // A read-only SAS used to upload: the link's own permissions prove the method is wrong.
    let read_only = AZURE_PUT.replace("sp=cw", "sp=r");
    let link = PresignedLink::parse(&read_only).unwrap();
    let attempt = Attempt::new(Some(&link), Operation::Put);
    let body = ErrorBody::parse(b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>");
    let answer = Answer {
        status: Some(403),
        body: &body,
        date: None,
        error_code_header: Some("AuthorizationPermissionMismatch"),
    };
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::MethodMismatch, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    let words = serde_json::to_string(&d).unwrap();
    assert!(!words.contains("s3:"), "{words}");
    assert!(words.contains("sp=r"), "{words}");

    let gcs = "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T060000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=ab";
    let d = explain(
        Some(gcs),
        Operation::Get,
        None,
        403,
        "<Error><Code>AccessDenied</Code><Message>Access denied.</Message><Details>sa@p.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.</Details></Error>",
        None,
    );
    let words = serde_json::to_string(&d).unwrap();
    assert!(!words.contains("s3:"), "{words}");
    assert!(
        d.explanation.contains("storage.objects.get"),
        "{}",
        d.explanation
    );
    // A GCS echo of a parameter encoded twice on the way, in GCS's format.
    let body = echo::signature_mismatch(
        &gcs.replace("a%2F20261124", "a%252F20261124"),
        "GET",
        &[],
        &["host"],
    )
    .replace("X-Amz-", "X-Goog-");
    let d = explain(Some(gcs), Operation::Get, None, 403, &body, None);
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::UrlAltered, Strength::Proven),
        "{:?}",
        ids(&d)
    );
}

#[test]
fn a_download_probe_settles_which_operation_the_link_was_made_for() {
    let link_text = v4_link(OTHER_HOST);
    let link = PresignedLink::parse(&link_text).unwrap();
    let body =
        ErrorBody::parse(b"<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>");
    let answer = Answer {
        status: Some(403),
        body: &body,
        date: None,
        error_code_header: None,
    };
    let mut attempt = Attempt::new(Some(&link), Operation::Put);
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert!(
        d.causes
            .iter()
            .any(|c| (c.id, c.strength) == (CauseId::MethodMismatch, Strength::Possible)),
        "{:?}",
        ids(&d)
    );
    attempt.download_probe = Some(ProbeVerdict::of_answer(404, Some("NoSuchKey")));
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::MethodMismatch, Strength::Proven)
    );
    attempt.download_probe = Some(ProbeVerdict::of_answer(403, Some("SignatureDoesNotMatch")));
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    assert!(
        d.causes.iter().all(|c| c.id != CauseId::MethodMismatch),
        "{:?}",
        ids(&d)
    );
}

#[test]
fn the_message_for_the_creator_is_short_and_redacted() {
    let link = PresignedLink::parse(V4_GET_TEMP).unwrap();
    let attempt = Attempt::new(Some(&link), Operation::Get);
    let body = ErrorBody::parse(b"<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>SECRETTOKEN</Token-0></Error>");
    let answer = Answer {
        status: Some(400),
        body: &body,
        date: None,
        error_code_header: None,
    };
    let diagnosis = diagnose(&attempt, &answer, NOW.parse().unwrap());
    let message = creator_message(&attempt, &diagnosis, Some("REQ123"));
    assert!(message.contains("download b/k.csv"), "{message}");
    assert!(message.contains("HTTP 400 ExpiredToken"), "{message}");
    assert!(
        message.contains("credentials behind the link have expired"),
        "{message}"
    );
    assert!(message.contains("REQ123"));
    assert!(message.contains("X-Amz-Signature=REDACTED"));
    assert!(!message.contains("SECRETTOKEN"), "{message}");
}

/// Runs `plan`'s failure against the playground and explains it as the app does.
async fn explained(
    url: &str,
    file: &std::path::Path,
    sent: Option<&str>,
) -> presign_desk::diagnose::Diagnosis {
    let link = PresignedLink::parse(url).unwrap();
    let len = std::fs::metadata(file).unwrap().len();
    let plan = presign_desk::transfer::Plan::upload(&link, file.to_owned(), len, sent);
    let (outcome, _) = support::run(&plan).await;
    let Outcome::Refused(refusal) = outcome else {
        panic!("expected a refusal: {outcome:?}")
    };
    diagnose(
        &Attempt::of_plan(&plan, Some(&link)),
        &Answer::of_refusal(&refusal),
        jiff::Timestamp::now(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_caused_by_hand_against_the_playground() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    std::fs::write(&file, "a,b\n").unwrap();

    // A wrong Content-Type on a link that signs one.
    let typed = pg.sign_v4_with(
        Method::Put,
        "t.csv",
        HOUR,
        Some("text/csv"),
        jiff::Timestamp::now(),
    );
    let d = explained(&typed, &file, Some("text/plain")).await;
    assert_eq!(d.causes[0].id, CauseId::ContentTypeMismatch);
    assert!(
        d.explanation.contains("text/plain was sent"),
        "{}",
        d.explanation
    );
    assert_eq!(
        d.fix, None,
        "the file's own type was sent already: no better type to offer"
    );

    // A PUT on a GET link.
    let get_link = pg.sign_v4(Method::Get, "report.txt", HOUR);
    let d = explained(&get_link, &file, None).await;
    assert_eq!(d.causes[0].id, CauseId::MethodMismatch);
    assert!(d.title.contains("another operation"), "{}", d.title);

    // An expired link.
    let old = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    let expired = pg.sign_v4_with(Method::Put, "late.txt", HOUR, None, old);
    let d = explained(&expired, &file, None).await;
    assert_eq!(d.causes[0].id, CauseId::Expired);
    assert!(d.explanation.contains("expired 1 h"), "{}", d.explanation);

    // A SigV2 link signed with no Content-Type, sent with one; the fix sends none.
    let v2 = pg.sign_v2(Method::Put, "legacy.txt", None, playground::unix_in(3600));
    let d = explained(&v2, &file, Some("text/plain")).await;
    assert_eq!(d.causes[0].id, CauseId::ContentTypeMismatch);
    assert_eq!(d.fix, Some(Fix::SendWithoutContentType));
    let (outcome, _) = support::run(&presign_desk::transfer::Plan::upload(
        &PresignedLink::parse(&v2).unwrap(),
        file.clone(),
        4,
        None,
    ))
    .await;
    assert!(
        matches!(outcome, Outcome::Succeeded(_)),
        "the fix works: {outcome:?}"
    );

    // A chunked upload, as other clients send it.
    let url = pg.sign_v4(Method::Put, "chunked.bin", HOUR);
    let response = support::put_chunked(&url, b"abc").await;
    let status = response.status().as_u16();
    let body = ErrorBody::parse(&response.bytes().await.unwrap());
    let link = PresignedLink::parse(&url).unwrap();
    let attempt = Attempt::new(Some(&link), Operation::Put);
    let answer = Answer {
        status: Some(status),
        body: &body,
        date: None,
        error_code_header: None,
    };
    assert_eq!(
        diagnose(&attempt, &answer, jiff::Timestamp::now()).causes[0].id,
        CauseId::ChunkedUpload
    );
}

/// (name, link, operation, body, Date, first cause, words its remedy must not carry in
/// English and in Japanese)
type RemedyCase = (
    &'static str,
    String,
    Operation,
    &'static str,
    Option<&'static str>,
    CauseId,
    [&'static [&'static str]; 2],
);

#[test]
fn the_remedy_follows_the_cause_in_every_language() {
    // (refusal, the first cause, words its remedy and its message for the creator must not
    // carry, in English and in Japanese)
    let skew = "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>";
    let not_yet =
        "<Error><Code>AccessDenied</Code><Message>Request is not yet valid</Message></Error>";
    let expired = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2026-11-24T07:00:00Z</Expires><ServerTime>2026-11-24T08:00:00Z</ServerTime></Error>";
    let mismatch = "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>";
    let tracked = format!("{}&utm_source=mail", v4_link(AWS_HOST));
    let get_link = V4_PUT.replace("PutObject", "GetObject");
    let cases: Vec<RemedyCase> = vec![
        (
            "skewed",
            v4_link(AWS_HOST),
            Operation::Put,
            skew,
            Some("Tue, 24 Nov 2026 15:00:00 GMT"),
            CauseId::SignerClock,
            [
                &["this computer", "permission"],
                &["このコンピューター", "権限"],
            ],
        ),
        (
            "not yet valid, signer 9 h ahead",
            v4_link(AWS_HOST),
            Operation::Get,
            not_yet,
            Some("Mon, 23 Nov 2026 21:00:00 GMT"),
            CauseId::SignerClock,
            [
                &["this computer", "permission", "s3:"],
                &["このコンピューター", "権限"],
            ],
        ),
        (
            "expired",
            V4_PUT.to_owned(),
            Operation::Put,
            expired,
            None,
            CauseId::Expired,
            [&["permission", "s3:", "allowed"], &["権限", "許可"]],
        ),
        (
            "tracking parameters",
            tracked,
            Operation::Get,
            mismatch,
            None,
            CauseId::UrlAltered,
            [
                &["exactly as given", "Content-Type"],
                &["受け取ったとおり", "Content-Type"],
            ],
        ),
        (
            "a PUT on a download link",
            get_link,
            Operation::Put,
            mismatch,
            None,
            CauseId::MethodMismatch,
            [
                &["Content-Type", "file type"],
                &["Content-Type", "ファイルの種類"],
            ],
        ),
    ];
    for (name, url, operation, body, date, first, forbidden) in cases {
        for (language, words) in [Language::ENGLISH, Language::JAPANESE]
            .into_iter()
            .zip(forbidden)
        {
            with_language(language, || {
                let d = explain(Some(&url), operation, None, 403, body, date);
                assert_eq!(d.causes[0].id, first, "{name}: {:?}", ids(&d));
                let link = PresignedLink::parse(&url).unwrap();
                let message = creator_message(&Attempt::new(Some(&link), operation), &d, None);
                let remedy = format!("{} {} {}", d.actions.join(" "), d.ask, d.title);
                for word in words {
                    assert!(
                        !remedy.contains(word),
                        "{name} ({}): {word} in {remedy}",
                        language.code()
                    );
                    // The message repeats the explanation, which may name what is not the
                    // cause; what it asks for may not.
                    let asked = message
                        .lines()
                        .find(|l| l.contains(&d.ask))
                        .unwrap_or_default();
                    assert!(!asked.contains(word), "{name}: {word} in {asked}");
                }
                assert!(message.contains(&d.ask), "{name}: {message}");
            });
        }
    }
}

#[test]
fn text_from_the_server_is_never_filled_in() {
    let link = PresignedLink::parse(V4_PUT).unwrap();
    let attempt = Attempt::new(Some(&link), Operation::Put);
    let body = ErrorBody::parse(
        b"<Error><Code>AccessDenied</Code><Message>Denied {ask} {link} {title}</Message></Error>",
    );
    let answer = Answer {
        status: Some(403),
        body: &body,
        date: None,
        error_code_header: None,
    };
    let d = diagnose(&attempt, &answer, NOW.parse().unwrap());
    let message = with_language(Language::ENGLISH, || creator_message(&attempt, &d, None));
    assert!(
        message.contains("(Denied {ask} {link} {title})"),
        "{message}"
    );
}

#[test]
fn every_cause_in_the_json_carries_its_own_remedy() {
    let d = explain(
        Some(&v4_link(OTHER_HOST)),
        Operation::Put,
        None,
        403,
        "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message><RequestTime>20261124T060000Z</RequestTime><ServerTime>2026-11-24T06:20:00Z</ServerTime></Error>",
        None,
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["causes"][0]["id"], "server-skew-window");
    assert_eq!(json["causes"][0]["ask_whom"], "operator");
    assert_eq!(json["ask_whom"], "operator");
    assert_eq!(json["causes"][1]["id"], "signer-clock");
    assert_eq!(json["causes"][1]["ask_whom"], "creator");
    for cause in json["causes"].as_array().unwrap() {
        assert!(
            cause["actions"].as_array().is_some_and(|a| !a.is_empty()),
            "{cause}"
        );
        assert!(
            cause["ask"].is_string() && cause["title"].is_string(),
            "{cause}"
        );
    }
    assert_ne!(json["causes"][0]["ask"], json["causes"][1]["ask"]);
}

#[test]
fn a_bare_skew_refusal_on_another_server_names_its_window_from_the_best_clock() {
    let link = v4_link(OTHER_HOST);
    let bare = "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message></Error>";
    // The answer's Date, else this computer's clock (40 min after signing here), measures
    // the link's age.
    for date in [Some(http_date(SIGNED_AT + 2400)), None] {
        let link_parsed = PresignedLink::parse(&link).unwrap();
        let attempt = Attempt::new(Some(&link_parsed), Operation::Put);
        let body = ErrorBody::parse(bare.as_bytes());
        let answer = Answer {
            status: Some(403),
            body: &body,
            date: date.as_deref(),
            error_code_header: None,
        };
        let now = jiff::Timestamp::from_second(SIGNED_AT + 2400).unwrap();
        let d = with_language(Language::ENGLISH, || diagnose(&attempt, &answer, now));
        assert_eq!(
            ids(&d),
            vec![
                (CauseId::ServerSkewWindow, Strength::Likely),
                (CauseId::SignerClock, Strength::Possible)
            ],
            "{date:?}"
        );
        assert!(d.explanation.contains("40 min ago"), "{}", d.explanation);
        assert!(d.explanation.contains("The link itself is fine"));
        assert!(d.actions[0].contains("operator"), "{:?}", d.actions);
    }
}

#[test]
fn clock_causes_in_japanese_say_the_offset_as_people_do() {
    for (offset, ahead) in [(32_400 - 60, true), (-(32_400 + 90), false)] {
        let d = with_language(Language::JAPANESE, || {
            explain(
                Some(&v4_link(AWS_HOST)),
                Operation::Put,
                None,
                403,
                "<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message></Error>",
                Some(&http_date(SIGNED_AT - offset)),
            )
        });
        let text = &d.causes[0].text;
        assert!(text.contains("9時間"), "{text}");
        assert!(
            !text.contains("8時間59分") && !text.contains("9時間1分"),
            "{text}"
        );
        assert_eq!(text.contains("進んで"), ahead, "{text}");
        assert!(text.contains("タイムゾーン"), "{text}");
        let remedy = format!("{} {}", d.actions.join(""), d.ask);
        assert!(!remedy.contains("このコンピューター"), "{remedy}");
    }
}

#[test]
fn a_signed_header_the_request_lacked_is_named_proven_by_the_echo() {
    let link = format!(
        "{}&x-id=PutObject",
        v4_link(AWS_HOST).replace(
            "SignedHeaders=host",
            "SignedHeaders=host%3Bx-amz-acl%3Bx-amz-sdk-checksum-algorithm"
        )
    );
    let body = echo::signature_mismatch(
        &link,
        "PUT",
        &[],
        &["host", "x-amz-acl", "x-amz-sdk-checksum-algorithm"],
    );
    let d = explain(Some(&link), Operation::Put, None, 403, &body, None);
    assert_eq!(
        (d.causes[0].id, d.causes[0].strength),
        (CauseId::SignedHeaderMissing, Strength::Proven),
        "{:?}",
        ids(&d)
    );
    assert!(d.explanation.contains("x-amz-acl"), "{}", d.explanation);
    assert_eq!(
        d.ask_whom,
        presign_desk::diagnose::Whom::Creator,
        "the ACL's value is the creator's"
    );
    // Without an echo: likely, and a header PresignDesk fills in is said so.
    let only_derived =
        v4_link(AWS_HOST).replace("SignedHeaders=host", "SignedHeaders=content-md5%3Bhost");
    let d = explain(
        Some(&only_derived),
        Operation::Put,
        None,
        403,
        "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>",
        None,
    );
    let missing = d
        .causes
        .iter()
        .find(|c| c.id == CauseId::SignedHeaderMissing)
        .unwrap();
    assert_eq!(missing.strength, Strength::Likely);
    assert!(
        missing.actions[0].contains("PresignDesk"),
        "{:?}",
        missing.actions
    );
}
