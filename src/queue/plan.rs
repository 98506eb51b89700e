//! What an upload or a download will send, built from the person's choices before anything is
//! sent: the file and its size, the file type, the signed headers, where a download goes, a
//! form's checks. The terminal's `put` and `get` and every item of a queue build it here.
//! Nothing here prints but [`Stop::say`]: a reason to stop is a [`Stop`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The exit code of bad input (a file that cannot be read, a download that would replace one).
pub const EXIT_BAD_INPUT: u8 = 2;
use crate::content_type::{self, ContentTypeChoice};
use crate::link::PresignedLink;
use crate::post::{PostForm, check};
use crate::text::{T, fill, tr};
use crate::transfer::{self, Plan, naming};

/// Why an item stops before sending: the words, and the exit code a terminal ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub message: String,
    pub code: u8,
}

impl Stop {
    fn bad_input(message: String) -> Self {
        Stop {
            message,
            code: EXIT_BAD_INPUT,
        }
    }

    /// Says why on stderr; the exit code to end with.
    pub fn say(self) -> ExitCode {
        eprintln!("{}", self.message);
        ExitCode::from(self.code)
    }
}

/// The size of the file to upload, or why it cannot be read.
pub async fn file_len(file: &Path) -> Result<u64, Stop> {
    let no_file = |reason: String| {
        Stop::bad_input(fill(
            T::CliNoFile,
            &[("path", &file.display().to_string()), ("reason", &reason)],
        ))
    };
    match tokio::fs::metadata(file).await {
        Ok(meta) if meta.is_file() => Ok(meta.len()),
        Ok(_) => Err(no_file(tr(T::FileIsFolder).to_owned())),
        Err(e) => Err(no_file(e.to_string())),
    }
}

/// The file type an upload sends: none with `--no-content-type`, the one typed with
/// `--content-type`, else the one the link signs or the file's name suggests.
pub fn file_type(
    none: bool,
    typed: Option<&str>,
    link: &PresignedLink,
    file: &Path,
) -> ContentTypeChoice {
    if none {
        ContentTypeChoice::none()
    } else if let Some(value) = typed {
        ContentTypeChoice::send(value.to_owned())
    } else {
        content_type::default_choice(Some(link), file)
    }
}

/// The upload of `file` to `link`, with the headers the link signs: the values typed with
/// `-H` over those computed from the file; a header typed that the link does not sign is sent
/// as typed.
pub async fn upload(
    link: &PresignedLink,
    file: &Path,
    len: u64,
    content_type: &ContentTypeChoice,
    typed_headers: &[String],
) -> Result<Plan, Stop> {
    use crate::signed_headers::{self, parse_header_arg};
    let pairs = typed_headers
        .iter()
        .map(|text| {
            parse_header_arg(text)
                .ok_or_else(|| Stop::bad_input(fill(T::CliBadHeader, &[("value", text)])))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let needed = signed_headers::needed(link);
    let wanted = signed_headers::digests(&needed);
    let digests = if wanted.is_empty() {
        Vec::new()
    } else {
        transfer::file_digests(file, &wanted)
            .await
            .map_err(|e| Stop::bad_input(e.to_string()))?
    };
    let signed = signed_headers::values(&needed, &digests, &pairs).map_err(|missing| {
        Stop::bad_input(fill(
            T::CliHeaderMissing,
            &[("headers", &missing.join(", "))],
        ))
    })?;
    let extra: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(name, _)| !needed.iter().any(|n| n.name == *name))
        .collect();
    let plan = Plan::upload(link, file.to_owned(), len, content_type.header_value());
    Ok(plan.with_headers(signed).with_headers(extra))
}

/// Where `get` saves: `-o` as a file, or the link's file name inside `-o` when it is a folder.
pub fn output_path(output: Option<&Path>, file_name: &str) -> PathBuf {
    match output {
        Some(path) if path.is_dir() => path.join(file_name),
        Some(path) => path.to_owned(),
        None => PathBuf::from(file_name),
    }
}

/// The download of `link` to `-o` (or the link's file name here); a file already there stops
/// it unless `--overwrite`. The server may name the file unless the user did.
pub fn download(
    link: &PresignedLink,
    output: Option<&Path>,
    overwrite: bool,
) -> Result<Plan, Stop> {
    let destination = output_path(output, &naming::file_name_for(link));
    if destination.exists() && !overwrite {
        return Err(Stop::bad_input(fill(
            T::CliOutputExists,
            &[("path", &destination.display().to_string())],
        )));
    }
    let plan = Plan::download(link, destination, overwrite);
    Ok(if output.is_none_or(Path::is_dir) {
        plan.with_name_from_response()
    } else {
        plan
    })
}

/// An upload through a form: the plan, what its checks found, and where the file will be.
pub struct FormUpload {
    pub plan: Plan,
    pub problems: Vec<check::Problem>,
    /// `bucket/key` as the form will store it (else the key, else the form's address).
    pub target: String,
}

/// The form's upload of `file`. The type sent follows the form when it fixes one, unless the
/// tester says otherwise (`typed`, or `none` for no type).
pub fn form_upload(
    form: &PostForm,
    file: &Path,
    len: u64,
    none: bool,
    typed: Option<&str>,
    now: jiff::Timestamp,
) -> FormUpload {
    let chosen = if none {
        None
    } else if let Some(value) = typed {
        Some(value.to_owned())
    } else {
        crate::prepare::form_type(form, file)
            .header_value()
            .map(str::to_owned)
    };
    let file_name = crate::link::file_name(file);
    let problems = crate::prepare::form_problems(form, file, len, chosen.as_deref(), now);
    // Where the form will store the file; its address when the key is unknown.
    let target = match form.key_for(&file_name) {
        Some(key) => crate::link::object_name(form.bucket().as_deref(), Some(&key)),
        None => None,
    }
    .unwrap_or_else(|| form.url.clone());
    FormUpload {
        plan: Plan::post(form, file.to_owned(), len, chosen.as_deref()),
        problems,
        target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Payload;

    const PUT: &str = "https://bucket.s3.eu-west-1.amazonaws.com/reports/q3.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261124%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-md5%3Bhost%3Bx-amz-acl&x-id=PutObject&X-Amz-Signature=abc";

    fn link(text: &str) -> PresignedLink {
        PresignedLink::parse(text).expect("a link")
    }

    fn destination(plan: &Plan) -> Option<&Path> {
        match &plan.payload {
            Payload::Download { destination, .. } => Some(destination),
            _ => None,
        }
    }

    fn header<'a>(plan: &'a Plan, name: &str) -> Option<&'a str> {
        plan.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_file_type_is_none_typed_or_guessed_in_that_order() {
        let link = link(PUT);
        let file = Path::new("q3.csv");
        assert_eq!(
            file_type(true, Some("a/b"), &link, file).header_value(),
            None
        );
        assert_eq!(
            file_type(false, Some("a/b"), &link, file).header_value(),
            Some("a/b")
        );
        assert_eq!(
            file_type(false, None, &link, file).header_value(),
            Some("text/csv")
        );
    }

    #[tokio::test]
    async fn an_upload_carries_the_signed_headers_computed_and_typed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q3.csv");
        std::fs::write(&file, b"a,b\n1,2\n").unwrap();
        let link = link(PUT);
        let choice = file_type(false, None, &link, &file);
        // x-amz-acl is signed and not typed: stopped, naming it.
        let stop = upload(&link, &file, 8, &choice, &[]).await.unwrap_err();
        assert_eq!(stop.code, EXIT_BAD_INPUT);
        assert!(stop.message.contains("x-amz-acl"), "{}", stop.message);
        // Typed: sent, with the MD5 computed from the file and an extra header as typed.
        let typed = ["x-amz-acl: private".to_owned(), "X-Extra: 1".to_owned()];
        let plan = upload(&link, &file, 8, &choice, &typed).await.unwrap();
        assert_eq!(header(&plan, "x-amz-acl"), Some("private"));
        // printf 'a,b\n1,2\n' | openssl md5 -binary | base64
        assert_eq!(
            header(&plan, "content-md5"),
            Some("5evUwCzvvnlVl3xnraJCtw==")
        );
        assert_eq!(header(&plan, "X-Extra"), Some("1"));
        // A header typed without a colon is bad input, named.
        let stop = upload(&link, &file, 8, &choice, &["nonsense".to_owned()])
            .await
            .unwrap_err();
        assert!(stop.message.contains("nonsense"), "{}", stop.message);
    }

    #[tokio::test]
    async fn a_missing_file_or_a_folder_is_bad_input_named() {
        let dir = tempfile::tempdir().unwrap();
        let stop = file_len(dir.path()).await.unwrap_err();
        assert_eq!(stop.code, EXIT_BAD_INPUT);
        assert!(stop.message.contains(&dir.path().display().to_string()));
        let stop = file_len(&dir.path().join("nothing.csv")).await.unwrap_err();
        assert!(stop.message.contains("nothing.csv"), "{}", stop.message);
        std::fs::write(dir.path().join("five"), b"12345").unwrap();
        assert_eq!(file_len(&dir.path().join("five")).await, Ok(5));
    }

    #[test]
    fn a_download_never_overwrites_unless_asked_and_a_folder_takes_the_link_name() {
        let dir = tempfile::tempdir().unwrap();
        let link = link(&PUT.replace("x-id=PutObject", "x-id=GetObject"));
        let plan = download(&link, Some(dir.path()), false).unwrap();
        assert_eq!(
            destination(&plan),
            Some(dir.path().join("q3.csv").as_path())
        );
        std::fs::write(dir.path().join("q3.csv"), b"kept").unwrap();
        let stop = download(&link, Some(dir.path()), false).unwrap_err();
        assert_eq!(stop.code, EXIT_BAD_INPUT);
        assert!(stop.message.contains("q3.csv"), "{}", stop.message);
        assert!(download(&link, Some(dir.path()), true).is_ok());
        let named = dir.path().join("mine.csv");
        let plan = download(&link, Some(&named), false).unwrap();
        assert_eq!(destination(&plan), Some(named.as_path()));
        assert_eq!(std::fs::read(dir.path().join("q3.csv")).unwrap(), b"kept");
    }
}
