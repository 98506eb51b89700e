//! The request as a curl command a person can run to send the same thing.

use crate::exchange::{Payload, Plan};

/// The request as a curl command a person could type: the same method, headers and body, and
/// the link exactly as sent. It holds the link's signature: the one text that does.
pub fn curl_command(plan: &Plan) -> String {
    let mut parts = vec!["curl".to_owned(), "--globoff".to_owned()];
    if let Payload::Post {
        path,
        fields,
        file_field,
        file_type,
        ..
    } = &plan.payload
    {
        // --form-string sends a value as it is, even one that starts with @ or <.
        for (name, value) in fields {
            parts.push("--form-string".into());
            parts.push(shell_quote(&format!("{name}={value}")));
        }
        parts.push("-F".into());
        parts.push(shell_quote(&format!(
            "{file_field}=@{};type={file_type}",
            path.display()
        )));
        parts.push(shell_quote(plan.url.expose()));
        return parts.join(" ");
    }
    match &plan.payload {
        Payload::Upload {
            path,
            pieces: Some(crate::exchange::Pieces::AzureBlocks(layout)),
            ..
        } => return blocks_commands(plan, path, layout),
        Payload::Upload {
            path,
            len_bytes,
            pieces: Some(crate::exchange::Pieces::GcsResumable(_)),
        } => return resumable_commands(plan, path, *len_bytes),
        Payload::Upload { path, .. } => {
            parts.push("-T".into());
            parts.push(shell_quote(&path.display().to_string()));
            // curl announces larger bodies with Expect: 100-continue; PresignDesk sends none.
            parts.push("-H".into());
            parts.push(shell_quote("Expect:"));
        }
        Payload::Download { destination, .. } => {
            parts.push("-o".into());
            parts.push(shell_quote(&destination.display().to_string()));
        }
        Payload::Post { .. } => {}
        Payload::Parts {
            path, set, layout, ..
        } => return parts_commands(path, set, layout),
    }
    for (name, value) in &plan.headers {
        parts.push("-H".into());
        parts.push(shell_quote(&format!("{name}: {value}")));
    }
    parts.push(shell_quote(plan.url.expose()));
    parts.join(" ")
}

/// A multipart upload as bash commands: one curl a part (its bytes cut from the file), then
/// the Complete request, whose body needs the ETag each part's answer prints.
fn parts_commands(
    path: &std::path::Path,
    set: &crate::link::parts::PartsSet,
    layout: &crate::link::parts::Layout,
) -> String {
    let file = shell_quote(&path.display().to_string());
    let mut lines = Vec::new();
    let mut body = String::from("<CompleteMultipartUpload>");
    for (index, part) in set.parts.iter().enumerate() {
        let (start, len) = layout.span(u32::try_from(index).unwrap_or(u32::MAX));
        lines.push(format!(
            "curl --globoff -sS -D - -o /dev/null -X PUT -H 'Expect:' --data-binary @<(tail -c +{} {file} | head -c {len}) {}",
            start + 1,
            shell_quote(part.link.as_sent())
        ));
        body.push_str(&format!(
            "<Part><PartNumber>{0}</PartNumber><ETag>ETAG_OF_PART_{0}</ETag></Part>",
            part.number
        ));
    }
    body.push_str("</CompleteMultipartUpload>");
    lines.push(format!(
        "curl --globoff -X POST --data-binary {} {}",
        shell_quote(&body),
        shell_quote(set.complete.as_sent())
    ));
    lines.join("\n")
}

/// Azure blocks as bash commands: one Put Block a block (its bytes cut from the file, its MD5
/// beside it), then Put Block List.
fn blocks_commands(
    plan: &Plan,
    path: &std::path::Path,
    layout: &crate::link::parts::Layout,
) -> String {
    use crate::link::parts::{azure_block_list_body, azure_block_list_url, azure_block_url};
    let file = shell_quote(&path.display().to_string());
    let link = plan.url.expose();
    let mut lines = Vec::new();
    for index in 0..layout.count {
        let (start, len) = layout.span(index);
        let bytes = format!("<(tail -c +{} {file} | head -c {len})", start + 1);
        lines.push(format!(
            "curl --globoff -sS -X PUT -H 'Expect:' -H \"Content-MD5: $(openssl md5 -binary {bytes} | base64)\" --data-binary @{bytes} {}",
            shell_quote(&azure_block_url(link, index + 1))
        ));
    }
    let mut last = "curl --globoff -X PUT".to_owned();
    if let Some(value) = plan.header("Content-Type") {
        last.push_str(&format!(
            " -H {}",
            shell_quote(&format!("x-ms-blob-content-type: {value}"))
        ));
    }
    last.push_str(&format!(
        " --data-binary {} {}",
        shell_quote(&azure_block_list_body(layout.count)),
        shell_quote(&azure_block_list_url(link))
    ));
    lines.push(last);
    lines.join("\n")
}

/// A GCS resumable upload as bash commands: the start (POST, which answers with the session's
/// address in `Location`), then the whole file to that address in one request.
fn resumable_commands(plan: &Plan, path: &std::path::Path, len: u64) -> String {
    let mut start = "curl --globoff -sS -D - -o /dev/null -X POST -H 'x-goog-resumable: start' -H 'Content-Length: 0'".to_owned();
    for (name, value) in &plan.headers {
        start.push_str(&format!(" -H {}", shell_quote(&format!("{name}: {value}"))));
    }
    start.push_str(&format!(" {}", shell_quote(plan.url.expose())));
    format!(
        "SESSION=$({start} | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')\ncurl --globoff -X PUT -H 'Expect:' -H 'Content-Range: bytes 0-{}/{len}' -T {} \"$SESSION\"",
        len.saturating_sub(1),
        shell_quote(&path.display().to_string())
    )
}

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::PresignedLink;
    use crate::present::tests_common::LINK;

    #[test]
    fn curl_sends_the_same_request() {
        let link = PresignedLink::parse(LINK).unwrap();
        let plan = Plan::upload(&link, "/tmp/it's here.csv".into(), 12, Some("text/csv"));
        assert_eq!(
            curl_command(&plan),
            format!(
                "curl --globoff -T '/tmp/it'\\''s here.csv' -H 'Expect:' -H 'Content-Type: text/csv' '{LINK}'"
            )
        );
        let plan = Plan::download(&link, "/tmp/out.csv".into(), false);
        assert_eq!(
            curl_command(&plan),
            format!("curl --globoff -o '/tmp/out.csv' '{LINK}'")
        );
    }
}
