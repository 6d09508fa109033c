//! Folders of review files (FORMATS.md §5): what `revue DIR` reads, in which order, and what
//! it leaves out.
//!
//! Spark, Hive and DuckDB write a folder of `part-*` files with `_SUCCESS`, `.crc` and other
//! hidden files beside them, and partition folders (`category=Books/`) whose value belongs
//! to every review inside; Hugging Face keeps `data/train-00000-of-00002.parquet` beside a
//! `README.md`; the Stanford dataset is a tree of one review per file. The files are listed
//! in path order with numbers in natural order (`part-2` before `part-10`), and symbolic
//! links to folders are not followed (a loop would never end).

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of a folder to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    /// Its path inside the folder, with `/` between folders.
    pub rel: String,
    /// The values of the partition folders it is in (`category=Books/` gives `Books`).
    pub partition: Option<String>,
}

/// What a folder holds.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Entry>,
    /// Files left out as bookkeeping (`_SUCCESS`, `.crc`, hidden files, `README.md`).
    pub skipped: Vec<String>,
}

/// The most files a folder is listed to: past this it is not a folder of reviews but a
/// disk, and listing it would take minutes before a word is said.
const MAX_FILES: usize = 2_000_000;

/// Lists the files under `dir`, in path order.
///
/// # Errors
/// When `dir` cannot be read, or holds more than two million files.
pub fn list(dir: &Path) -> io::Result<Listing> {
    let mut listing = Listing::default();
    let mut folders = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, rel)) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if is_hidden(&name) {
                    listing.skipped.push(format!("{child}/"));
                } else {
                    folders.push((entry.path(), child));
                }
                continue;
            }
            // A link is followed to a file, never to a folder.
            let is_file = kind.is_file() || (kind.is_symlink() && entry.path().is_file());
            if !is_file {
                continue;
            }
            if is_bookkeeping(&name) {
                listing.skipped.push(child);
                continue;
            }
            let partition = partition_of(&child);
            listing.files.push(Entry {
                path: entry.path(),
                rel: child,
                partition,
            });
            if listing.files.len() > MAX_FILES {
                return Err(io::Error::other(format!(
                    "holds more than {MAX_FILES} files; name the ones to read"
                )));
            }
        }
    }
    listing.files.sort_by(|a, b| natural_cmp(&a.rel, &b.rel));
    listing.skipped.sort_by(|a, b| natural_cmp(a, b));
    Ok(listing)
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// Files that data tools write beside the data: markers, checksums, hidden files, a
/// dataset card.
fn is_bookkeeping(name: &str) -> bool {
    is_hidden(name)
        || Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("crc"))
        || matches!(name, "README.md" | "README" | "LICENSE" | ".gitattributes")
}

/// The values of `key=value` folders in `rel`, joined by ` / `.
fn partition_of(rel: &str) -> Option<String> {
    let values: Vec<&str> = rel
        .split('/')
        .rev()
        .skip(1)
        .filter_map(|folder| folder.split_once('=').map(|(_, v)| v))
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return None;
    }
    let values: Vec<String> = values.into_iter().rev().map(unescape_partition).collect();
    Some(values.join(" / "))
}

/// A partition value as Hive writes it, with `%XX` escapes (`%20` for a space) undone.
fn unescape_partition(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = value.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Path order, with runs of digits compared as numbers: `part-2` before `part-10`, and
/// `1_9.txt` before `10_1.txt`.
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (digits(a), digits(b));
                let trim = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
                let (na, nb) = (
                    &a[trim(&a[..da]).min(da)..da],
                    &b[trim(&b[..db]).min(db)..db],
                );
                let order = na
                    .len()
                    .cmp(&nb.len())
                    .then_with(|| na.cmp(nb))
                    .then(da.cmp(&db));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            // A folder ends before any other character: `a/b` before `a-b/c`.
            (Some(x), Some(y)) => {
                let rank = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
                let order = rank(*x).cmp(&rank(*y));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// The first `shown` of `items` and how many more: `a, b, c and 12 more`.
#[must_use]
pub fn some_of(items: &[String], shown: usize) -> String {
    let listed: Vec<&str> = items.iter().take(shown).map(String::as_str).collect();
    let mut text = listed.join(", ");
    if items.len() > shown {
        let _ = write!(text, " and {} more", items.len() - shown);
    }
    text
}

/// Reads `files` whole, on every core; each with what came of it, in their order.
#[must_use]
pub fn read_all(files: &[&Entry]) -> Vec<io::Result<Vec<u8>>> {
    crate::tuning::each_on_every_core(files.len(), |i| fs::read(&files[i].path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec![
            "part-10.json",
            "part-2.json",
            "a/10_1.txt",
            "a/1_9.txt",
            "a/2_3.txt",
            "a-b/x",
            "part-02.json",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "a/1_9.txt",
                "a/2_3.txt",
                "a/10_1.txt",
                "a-b/x",
                "part-2.json",
                "part-02.json",
                "part-10.json"
            ]
        );
    }

    #[test]
    fn spark_output_is_listed_without_its_bookkeeping() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for name in [
            "_SUCCESS",
            ".part-00000.json.crc",
            "part-00010.json",
            "part-00002.json",
            "README.md",
            "category=Home%20%26%20Kitchen/part-00000.json",
            ".hidden/part-1.json",
        ] {
            let path = root.join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, b"{}").expect("write");
        }
        let listing = list(root).expect("lists");
        let rels: Vec<&str> = listing.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "category=Home%20%26%20Kitchen/part-00000.json",
                "part-00002.json",
                "part-00010.json"
            ]
        );
        assert_eq!(
            listing.files[0].partition.as_deref(),
            Some("Home & Kitchen")
        );
        assert_eq!(
            listing.skipped,
            [".hidden/", ".part-00000.json.crc", "README.md", "_SUCCESS"]
        );
        assert_eq!(
            some_of(&listing.skipped, 2),
            ".hidden/, .part-00000.json.crc and 2 more"
        );
    }
}
