//! Files matched to links: by the key's file name first (two files of one name told apart by
//! their folders against the key's), then the rest by order when as many files as links are
//! left. What cannot be matched is kept apart, never guessed: a person sees every pair before
//! anything is sent.

use std::collections::HashMap;

use serde::Serialize;

/// How a file was matched to its link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    /// The key ends in the file's name.
    Name,
    /// The key ends in the file's name and in the folders it was found in.
    NameAndFolder,
    /// The files and links left over, in the order given.
    Order,
    /// A manifest pairs them, or the person did.
    Given,
}

/// One file and its link, by their positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// The file's position.
    pub file: usize,
    /// The link's position.
    pub link: usize,
    /// How.
    pub by: MatchedBy,
}

/// The matching of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// The pairs, in the links' order.
    pub pairs: Vec<Pair>,
    /// Files with no link.
    pub files_left: Vec<usize>,
    /// Links with no file.
    pub links_left: Vec<usize>,
    /// Files that share a name no link's folders tell apart: each group's positions. They are
    /// left out of matching by order too.
    pub same_name: Vec<Vec<usize>>,
}

/// A file to match: its name and the folders it was found in.
pub struct FileName<'a> {
    /// The file's name.
    pub name: &'a str,
    /// Its folders, outermost first.
    pub folders: &'a [String],
}

/// Matches `files` to links whose keys are `keys` (`None`: a link that names no key).
pub fn match_files(files: &[FileName<'_>], keys: &[Option<&str>]) -> Matching {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, file) in files.iter().enumerate() {
        by_name.entry(file.name).or_default().push(at);
    }
    let mut file_used = vec![false; files.len()];
    let mut link_used = vec![false; keys.len()];
    let mut pairs = Vec::new();
    for (link, key) in keys.iter().enumerate() {
        let Some(segments) = key.map(key_segments).filter(|s| !s.is_empty()) else {
            continue;
        };
        let name = segments[segments.len() - 1];
        let Some(candidates) = by_name.get(name) else {
            continue;
        };
        let free: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&f| !file_used[f])
            .collect();
        let chosen = match free.as_slice() {
            [] => None,
            [one] if candidates.len() == 1 => Some((*one, MatchedBy::Name)),
            _ => by_folders(files, &free, &segments).map(|f| (f, MatchedBy::NameAndFolder)),
        };
        if let Some((file, by)) = chosen {
            file_used[file] = true;
            link_used[link] = true;
            pairs.push(Pair { file, link, by });
        }
    }
    // Files of one name that no key told apart are not guessed by order either.
    let mut same_name: Vec<Vec<usize>> = by_name
        .values()
        .filter(|group| group.len() > 1)
        .map(|group| {
            group
                .iter()
                .copied()
                .filter(|&f| !file_used[f])
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect();
    same_name.sort();
    let ambiguous: Vec<usize> = same_name.iter().flatten().copied().collect();
    let files_left: Vec<usize> = (0..files.len())
        .filter(|&f| !file_used[f] && !ambiguous.contains(&f))
        .collect();
    let links_left: Vec<usize> = (0..keys.len()).filter(|&l| !link_used[l]).collect();
    let (files_left, links_left) = if files_left.len() == links_left.len() && ambiguous.is_empty() {
        for (&file, &link) in files_left.iter().zip(&links_left) {
            pairs.push(Pair {
                file,
                link,
                by: MatchedBy::Order,
            });
        }
        (Vec::new(), Vec::new())
    } else {
        (files_left, links_left)
    };
    pairs.sort_by_key(|p| p.link);
    Matching {
        pairs,
        files_left,
        links_left,
        same_name,
    }
}

/// A key's path segments, empty ones (a trailing `/`) left out.
fn key_segments(key: &str) -> Vec<&str> {
    key.split('/').filter(|s| !s.is_empty()).collect()
}

/// The one file among `free` whose folders match the most of the key's folders (from the
/// name outwards), when exactly one matches more than the others and at least one.
fn by_folders(files: &[FileName<'_>], free: &[usize], segments: &[&str]) -> Option<usize> {
    let key_folders = &segments[..segments.len() - 1];
    let depth = |f: usize| {
        files[f]
            .folders
            .iter()
            .rev()
            .zip(key_folders.iter().rev())
            .take_while(|(a, b)| a.as_str() == **b)
            .count()
    };
    let mut scored: Vec<(usize, usize)> = free.iter().map(|&f| (depth(f), f)).collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(best, file), rest @ ..] if *best > 0 && rest.first().is_none_or(|r| r.0 < *best) => {
            Some(*file)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        names
            .iter()
            .map(|(n, f)| (n.to_string(), f.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    fn run(files: &[(String, Vec<String>)], keys: &[Option<&str>]) -> Matching {
        let names: Vec<FileName<'_>> = files
            .iter()
            .map(|(name, folders)| FileName { name, folders })
            .collect();
        match_files(&names, keys)
    }

    fn pairs(m: &Matching) -> Vec<(usize, usize, MatchedBy)> {
        m.pairs.iter().map(|p| (p.file, p.link, p.by)).collect()
    }

    #[test]
    fn by_name_in_any_order_then_the_rest_by_order() {
        let f = files(&[("a.csv", &[]), ("b.csv", &[]), ("c.csv", &[])]);
        let m = run(&f, &[Some("in/c.csv"), Some("uploads/7f3e"), Some("a.csv")]);
        use MatchedBy::*;
        assert_eq!(pairs(&m), [(2, 0, Name), (1, 1, Order), (0, 2, Name)]);
        assert!(m.files_left.is_empty() && m.links_left.is_empty());
    }

    #[test]
    fn what_cannot_be_matched_is_left_and_never_guessed() {
        use MatchedBy::*;
        // More links than files: the extra link is left, not paired by order.
        let f = files(&[("a.csv", &[]), ("b.csv", &[])]);
        let m = run(&f, &[Some("x/1"), Some("a.csv"), Some("x/2")]);
        assert_eq!(pairs(&m), [(0, 1, Name)]);
        assert_eq!(
            (m.files_left.clone(), m.links_left.clone()),
            (vec![1], vec![0, 2])
        );
        // Two files of one name: told apart by their folders, else left out.
        let f = files(&[("r.csv", &["north"]), ("r.csv", &["south"]), ("s.csv", &[])]);
        let m = run(&f, &[Some("2026/south/r.csv"), Some("2026/north/r.csv")]);
        assert_eq!(pairs(&m), [(1, 0, NameAndFolder), (0, 1, NameAndFolder)]);
        let m = run(&f, &[Some("r.csv"), Some("k/s.csv")]);
        assert_eq!(pairs(&m), [(2, 1, Name)]);
        assert_eq!(m.same_name, [vec![0, 1]]);
        assert_eq!(m.links_left, [0]);
        assert!(m.files_left.is_empty());
    }
}
