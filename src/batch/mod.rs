//! Many at once: the links of a list, the files given for them (folders walked, hidden files
//! left out and counted), each file matched to its link by the key's file name and then by
//! order, manifests of file and link pairs, and the table of many links checked at a glance.
//! Pure: nothing here reads the network; [`files`] alone reads folders.

pub mod files;
pub mod manifest;
pub mod matching;
pub mod table;

pub use files::{FileEntry, Files, gather};
pub use manifest::{Manifest, ManifestPair};
pub use matching::{MatchedBy, Matching, Pair, match_files};
pub use table::{LinkRow, link_table};

/// The links of a list as given, duplicates apart: the first of each link in order, and the
/// positions (counted from 1) of the ones given again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkList {
    /// Each link once, in the order given.
    pub links: Vec<String>,
    /// Each link given again: its position in the list and the position of its first.
    pub duplicates: Vec<(usize, usize)>,
}

impl LinkList {
    /// The links in `text` (one a line, or inside a message).
    pub fn read(text: &str) -> Self {
        let mut list = LinkList::default();
        for (at, link) in crate::link::paste::links(text).into_iter().enumerate() {
            match list.links.iter().position(|l| *l == link) {
                Some(first) => list.duplicates.push((at + 1, first + 1)),
                None => list.links.push(link),
            }
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_keeps_each_link_once_and_says_which_came_again() {
        let a = "https://b.s3.amazonaws.com/a.csv?X-Amz-Signature=1";
        let b = "https://b.s3.amazonaws.com/b.csv?X-Amz-Signature=2";
        let list = LinkList::read(&format!("{a}\n{b}\n\n{a}\nThanks"));
        assert_eq!(list.links, [a, b]);
        assert_eq!(list.duplicates, [(3, 1)]);
        // Inside a message, with words and HTML escapes around them.
        let list = LinkList::read(&format!(
            "Here are the links: {a} and <{}>.",
            b.replace('&', "&amp;")
        ));
        assert_eq!(list.links, [a, b]);
        assert!(LinkList::read("no links at all").links.is_empty());
    }
}
