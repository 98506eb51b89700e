//! Links that sign headers besides the host, as SDKs make them (ACL, metadata, storage class,
//! Content-MD5, the checksum algorithm, Content-Disposition, Cache-Control), against the
//! playground, which checks every signed header: sent with the value PresignDesk fills in or
//! the one typed, stored; refused without it, and the refusal named for the header.

use crate::playground;
use crate::support;

use std::time::Duration;

use playground::Playground;
use presign_desk::diagnose::CauseId;
use serde_json::Value;
use support::presign_desk;

const HOUR: Duration = Duration::from_secs(3600);

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn each_signed_header_is_sent_with_its_value_and_the_object_is_stored() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "region,revenue\nnorth,120\n").unwrap();
    let path = file.display().to_string();
    // (the header the link signs with its value, what to type for it, or nothing when
    // PresignDesk fills it in)
    let md5 = {
        use base64::Engine as _;
        use md5::Digest as _;
        base64::engine::general_purpose::STANDARD
            .encode(md5::Md5::digest(std::fs::read(&file).unwrap()))
    };
    let cases: Vec<(&str, String, Option<&str>)> = vec![
        (
            "x-amz-acl",
            "public-read".into(),
            Some("x-amz-acl: public-read"),
        ),
        (
            "x-amz-meta-project",
            "fa-106".into(),
            Some("x-amz-meta-project: fa-106"),
        ),
        (
            "x-amz-storage-class",
            "STANDARD".into(),
            Some("x-amz-storage-class: STANDARD"),
        ),
        (
            "content-disposition",
            "attachment; filename=\"report.csv\"".into(),
            Some("Content-Disposition: attachment; filename=\"report.csv\""),
        ),
        (
            "cache-control",
            "max-age=60".into(),
            Some("cache-control: max-age=60"),
        ),
        ("content-md5", md5.clone(), None),
        ("x-amz-sdk-checksum-algorithm", "CRC32".into(), None),
    ];
    for (name, value, typed) in &cases {
        let key = format!("headers/{name}.csv");
        let url = pg.sign_v4_put_with_headers(&key, HOUR, &[(name, value.as_str())]);
        let mut args = vec!["put", "--json", &url, &path];
        if let Some(typed) = typed {
            args.extend(["-H", typed]);
        }
        let out = presign_desk(&args);
        let report = json(&out);
        assert_eq!(report["result"], "succeeded", "{name}: {report:#}");
        let received = pg.last_received();
        assert_eq!(
            received.header(name),
            Some(value.as_str()),
            "{name} went with the signed value"
        );
        assert_eq!(
            std::fs::read(pg.object_path(&key)).unwrap(),
            std::fs::read(&file).unwrap()
        );
    }
    // Metadata is kept by the playground: read back on download.
    let get = pg.sign_v4(
        playground::Method::Get,
        "headers/x-amz-meta-project.csv",
        HOUR,
    );
    let metadata = block_on(async move {
        let answer = reqwest::get(&get).await.unwrap();
        answer
            .headers()
            .get("x-amz-meta-project")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    assert_eq!(metadata.as_deref(), Some("fa-106"));
}

#[test]
fn a_signed_header_left_out_stops_the_upload_and_a_refusal_names_it() {
    let pg = Playground::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.csv");
    std::fs::write(&file, "a,b\n").unwrap();
    let path = file.display().to_string();
    let url = pg.sign_v4_put_with_headers("headers/acl.csv", HOUR, &[("x-amz-acl", "private")]);
    // Without the value, PresignDesk does not send and says which header and how.
    let out = presign_desk(&["put", &url, &path]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("x-amz-acl") && stderr.contains("-H"),
        "{stderr}"
    );
    assert!(pg.received().is_empty(), "nothing was sent");
    // Another value than the signed one: refused, and explained by the header.
    let out = presign_desk(&["put", "--json", &url, &path, "-H", "x-amz-acl: public-read"]);
    let report = json(&out);
    assert_eq!(report["result"], "refused");
    let ids: Vec<&str> = report["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(ids.contains(&"signed-header-mismatch"), "{ids:?}");
    // Sent by another tool without the header: the explainer names it.
    let status = presign_desk_explain_unsent(&pg, &url, &file);
    assert_eq!(status, CauseId::SignedHeaderMissing);
}

/// A PUT of `file` through `url` without the headers it signs (as curl would send it), and the
/// first cause the explainer gives its refusal.
fn presign_desk_explain_unsent(pg: &Playground, url: &str, file: &std::path::Path) -> CauseId {
    let _ = pg;
    let (url_owned, bytes) = (url.to_owned(), std::fs::read(file).unwrap());
    let (status, body) = block_on(async move {
        let answer = reqwest::Client::new()
            .put(&url_owned)
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        (status, answer.bytes().await.unwrap())
    });
    let body = presign_desk::diagnose::ErrorBody::parse(&body);
    let link = presign_desk::link::PresignedLink::parse(url).unwrap();
    let attempt =
        presign_desk::diagnose::Attempt::new(Some(&link), presign_desk::link::Operation::Put);
    let d = presign_desk::diagnose::diagnose(
        &attempt,
        &presign_desk::diagnose::Answer {
            status: Some(status),
            body: &body,
            date: None,
            error_code_header: None,
        },
        jiff::Timestamp::now(),
    );
    d.causes[0].id
}

fn block_on<T>(work: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(work)
}
