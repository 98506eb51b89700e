//! What the person fills in: the link, the operation (when the link does not say, or the
//! tester overrides it), the file to upload and its type, where a download goes, and whether
//! the last transfer of this form is done.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::content_type::{self, ContentTypeChoice};
use crate::link::parts::{PartsSet, SetProblem};
use crate::link::{LinkError, Operation, PresignedLink, Repair};
use crate::post::{FormError, PostForm};
use crate::prepare::{self, Blocker, DownloadForm, UploadForm};
use crate::transfer::{Plan, naming};

/// The form.
pub struct Form {
    /// The link as typed or pasted.
    pub link_text: String,
    pub(super) link: Result<PresignedLink, LinkError>,
    /// The upload form the field holds instead of a link, when it holds one.
    pub(super) post: Option<Result<PostForm, FormError>>,
    /// The multipart set the field holds instead of a link, when it holds one.
    pub(super) parts: Option<Result<PartsSet, SetProblem>>,
    /// The links the field holds, when it holds more than one (a list for the queue).
    pub(super) list: Option<crate::batch::LinkList>,
    /// What the last paste took off the link, while the field holds what the paste put there.
    pasted: Option<(String, Vec<Repair>)>,
    /// Upload or download, for a link that does not say.
    pub chosen: Operation,
    /// The tester's override of the operation a link states (in the details).
    pub overridden: Option<Operation>,
    /// The upload inputs.
    pub upload: UploadForm,
    /// The download inputs.
    pub download: DownloadForm,
    /// The download name still follows the link (the person has not typed one).
    name_follows_link: bool,
    /// The tester chose to send a link that is expired or cannot work as it is.
    pub send_anyway: bool,
    /// The last transfer of this form succeeded and nothing changed since: Enter does nothing,
    /// and the button offers the next step.
    pub done: bool,
}

impl Form {
    /// An empty form; downloads go to `folder`.
    pub fn new(folder: PathBuf) -> Self {
        Form {
            link_text: String::new(),
            link: Err(LinkError::Empty),
            post: None,
            parts: None,
            list: None,
            pasted: None,
            chosen: Operation::Put,
            overridden: None,
            upload: UploadForm {
                path: String::new(),
                state: None,
                content_type: ContentTypeChoice::none(),
                headers: Vec::new(),
                digests: None,
            },
            download: DownloadForm {
                folder: folder.display().to_string(),
                name: String::new(),
                state: None,
                replace_existing: false,
            },
            name_follows_link: true,
            send_anyway: false,
            done: false,
        }
    }

    /// The parsed link.
    pub fn link(&self) -> &Result<PresignedLink, LinkError> {
        &self.link
    }

    /// The operation the button performs (a form only uploads).
    pub fn operation(&self) -> Operation {
        if self.post.is_some() || self.parts.is_some() {
            return Operation::Put;
        }
        prepare::operation(self.link.as_ref().ok(), self.overridden, self.chosen)
    }

    /// The multipart set the field holds, when it holds one that reads.
    pub fn parts_set(&self) -> Option<&PartsSet> {
        self.parts.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// The links the field holds, when more than one.
    pub fn list(&self) -> Option<&crate::batch::LinkList> {
        self.list.as_ref()
    }

    /// The upload form the field holds, when it holds one that reads.
    pub fn post_form(&self) -> Option<&PostForm> {
        self.post.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// Whether the inputs make a request, and if not why; `now` on the server's clock.
    pub fn readiness(&self, now: Timestamp) -> Result<Plan, Blocker> {
        match &self.parts {
            Some(Ok(set)) => {
                return prepare::prepare_parts(set, &self.upload, self.send_anyway, now);
            }
            Some(Err(e)) => return Err(Blocker::FormUnreadable(e.to_string())),
            None => {}
        }
        match &self.post {
            Some(Ok(form)) => {
                return prepare::prepare_post(form, &self.upload, self.send_anyway, now);
            }
            Some(Err(e)) => return Err(Blocker::FormUnreadable(e.to_string())),
            None => {}
        }
        prepare::prepare(
            &self.link,
            self.operation(),
            &self.upload,
            &self.download,
            self.send_anyway,
            now,
        )
    }

    /// The link text changed: read it again. Everything that described the old link (the
    /// override, "send anyway", the done state) goes.
    pub fn link_edited(&mut self) {
        if self
            .pasted
            .as_ref()
            .is_some_and(|(text, _)| *text != self.link_text)
        {
            self.pasted = None;
        }
        self.parts = PartsSet::parse(&self.link_text);
        self.post = match self.parts {
            Some(_) => None,
            None => PostForm::parse(&self.link_text),
        };
        self.list = match (&self.post, &self.parts) {
            (None, None) => Some(crate::batch::LinkList::read(&self.link_text))
                .filter(|list| list.links.len() > 1),
            _ => None,
        };
        // A list is the queue's: no single link of it is sent from the single screen.
        self.link = match (&self.post, &self.parts, &self.list) {
            (None, None, None) => PresignedLink::parse(&self.link_text),
            _ => Err(LinkError::Empty),
        };
        if let (Ok(link), Some((_, repairs))) = (&mut self.link, &self.pasted) {
            link.repairs = repairs.clone();
        }
        self.overridden = None;
        self.send_anyway = false;
        self.done = false;
        if let Ok(link) = &self.link
            && self.name_follows_link
        {
            self.download.name = naming::file_name_for(link);
            self.download.state = None;
        }
        self.refresh_content_type();
    }

    /// A pasted text: the link inside it, repaired, shown in the field as it will be sent.
    pub fn paste(&mut self, text: &str) {
        // An upload form holds a link among its fields, a multipart set many: read whole.
        let form = PostForm::parse(text).is_some()
            || PartsSet::parse(text).is_some()
            || crate::batch::LinkList::read(text).links.len() > 1;
        match PresignedLink::parse(text) {
            Ok(link) if !link.repairs.is_empty() && !form => {
                self.link_text = link.as_sent().to_owned();
                self.pasted = Some((self.link_text.clone(), link.repairs.clone()));
            }
            _ => {
                self.link_text = text.trim().to_owned();
                self.pasted = None;
            }
        }
        self.link_edited();
    }

    /// The upload path changed.
    pub fn file_edited(&mut self) {
        self.done = false;
        self.upload.state = None;
        self.upload.digests = None;
        self.refresh_content_type();
    }

    /// The file type to send was changed by hand.
    /// The value typed for the signed header `name` (kept in the order first typed).
    pub fn header_typed(&mut self, name: String, value: String) {
        match self
            .upload
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some((_, old)) => *old = value,
            None => self.upload.headers.push((name, value)),
        }
    }

    pub fn content_type_edited(&mut self) {
        self.done = false;
    }

    /// The download folder or name changed; `typed` when the person typed the name.
    pub fn destination_edited(&mut self, typed: bool) {
        if typed {
            self.name_follows_link = false;
        }
        self.done = false;
        self.download.state = None;
        self.download.replace_existing = false;
    }

    /// The name `keep both` found free beside the existing file.
    pub fn free_name(&mut self, name: String) {
        self.download.name = name;
        self.name_follows_link = false;
        self.download.state = None;
    }

    /// Whether the download name still follows the link.
    pub fn name_follows_link(&self) -> bool {
        self.name_follows_link
    }

    /// Fills the download destination as for an earlier transfer.
    pub fn use_destination(&mut self, folder: String, name: String) {
        self.download.folder = folder;
        self.download.name = name;
        self.name_follows_link = false;
        self.download.state = None;
    }

    /// The chosen file, when the link is for downloading and cannot receive it: kept aside,
    /// with its name for the note.
    pub fn file_set_aside(&self) -> Option<String> {
        let stated = self.link.as_ref().ok().and_then(|l| l.operation);
        (stated == Some(Operation::Get)
            && self.operation() == Operation::Get
            && !self.upload.path.trim().is_empty())
        .then(|| crate::link::file_name(&self.upload.file()))
    }

    fn refresh_content_type(&mut self) {
        if self.upload.path.trim().is_empty() {
            return;
        }
        if let Some(form) = self.post_form() {
            self.upload.content_type = prepare::form_type(form, &self.upload.file());
            return;
        }
        self.upload.content_type =
            content_type::default_choice(self.link.as_ref().ok(), &self.upload.file());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &str = "http://127.0.0.1:9000/playground/hello.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T060000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-id=GetObject&X-Amz-Signature=x";

    #[test]
    fn a_link_that_says_download_decides_and_keeps_the_file_aside() {
        let mut form = Form::new("/tmp".into());
        form.upload.path = "/tmp/report.csv".into();
        form.file_edited();
        form.link_text = GET.into();
        form.link_edited();
        assert_eq!(form.operation(), Operation::Get);
        assert_eq!(form.file_set_aside().as_deref(), Some("report.csv"));
        assert_eq!(form.download.name, "hello.txt");
        form.overridden = Some(Operation::Put);
        assert_eq!(form.operation(), Operation::Put);
        assert_eq!(form.file_set_aside(), None);
        // A new link forgets the override.
        form.link_edited();
        assert_eq!(form.operation(), Operation::Get);
    }

    #[test]
    fn a_pasted_message_shows_the_repaired_link_and_remembers_the_repair() {
        let mut form = Form::new("/tmp".into());
        form.paste(&format!(
            "Please download here: {} Thanks",
            GET.replace('&', "&amp;")
        ));
        assert_eq!(form.link_text, GET);
        let link = form.link().as_ref().unwrap();
        assert!(link.repairs.contains(&Repair::TextAround));
        assert!(link.repairs.contains(&Repair::HtmlEscapedAmpersand));
        // Typing into the field forgets what the paste took off.
        form.link_text.push_str("&x=1");
        form.link_edited();
        assert!(form.link().as_ref().unwrap().repairs.is_empty());
    }

    #[test]
    fn any_change_ends_the_done_state() {
        let mut form = Form::new("/tmp".into());
        for change in [
            Form::file_edited as fn(&mut Form),
            Form::content_type_edited,
            Form::link_edited,
            |f: &mut Form| f.destination_edited(false),
        ] {
            form.done = true;
            change(&mut form);
            assert!(!form.done);
        }
    }
}
