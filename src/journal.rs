//! The journal of marks and labels (FORMATS.md §6): one JSON Lines file per document under
//! `$XDG_DATA_HOME/revue/labels/` (or `--labels FILE`), named by the document's identity
//! (a hash of its first 64 KiB and its size, so a moved or renamed copy finds it), never
//! beside or inside the input. Each change appends one line, written and synced before the
//! app goes on, so `kill -9` loses at most the change being written; the latest line for a
//! review wins; a line cut short is skipped with a warning and every other line stands.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Document, review_key};

/// How much of each input its identity is drawn from, with its size.
const IDENTITY_BYTES: usize = 64 << 10;

/// How much of each input's start a grown copy must share to take its journal.
const START_BYTES: usize = 4 << 10;

/// The most of a journal read: a change is a line of at most a few hundred bytes, and the
/// journal is compacted as it is opened (see [`Journal::read_compacted`]).
const MAX_JOURNAL: u64 = 1 << 30;

/// Old lines a journal may hold beyond twice its reviews before it is compacted.
const COMPACT_SLACK: usize = 1000;

/// The latest entry of each review, by its key.
pub type Entries = HashMap<String, Entry>;

/// A journal opened: where changes go, what it holds, and warnings about lines it could
/// not read.
pub type Opened = (Journal, Entries, Vec<String>);

/// What a journal holds: its entries, warnings about lines that could not be read, and how
/// many lines were read.
type Contents = (Entries, Vec<String>, usize);

/// One line: a review's notes after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub review: String,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub marked: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub at: String,
}

/// The identity of the inputs at `paths` (the built-in sample's when there are none), or
/// `None` when one cannot be read again (standard input, a pipe). A folder is known by
/// its files' names and sizes.
#[must_use]
pub fn identity(paths: &[PathBuf], sample: &[u8]) -> Option<String> {
    // Names files kept across versions of revue: a hash with a fixed specification. The
    // sizes stand apart in the name, so that a file that grew (a scrape appended to) finds
    // the journal of its smaller self (see [`find`]).
    let mut hasher = twox_hash::XxHash3_64::with_seed(0x6a6f_7572_6e61);
    // The first few KiB alone, which a file appended to keeps even when it is small.
    let mut start = twox_hash::XxHash3_64::with_seed(0x0073_7461_7274);
    let mut total: u64 = 0;
    if paths.is_empty() {
        hasher.write(&sample[..sample.len().min(IDENTITY_BYTES)]);
        start.write(&sample[..sample.len().min(START_BYTES)]);
        total = sample.len() as u64;
    }
    for path in paths {
        // Only a regular file can be found again: a pipe, a FIFO or a device would give
        // other bytes (and opening a FIFO waits for a writer, and reading it takes its
        // bytes from revue's loader).
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            // A folder of part files: known by its files' names and sizes.
            let mut parts: Vec<(std::ffi::OsString, u64)> = std::fs::read_dir(path)
                .ok()?
                .filter_map(Result::ok)
                .filter_map(|e| Some((e.file_name(), e.metadata().ok()?.len())))
                .collect();
            parts.sort();
            for (name, size) in parts {
                hasher.write(name.as_encoded_bytes());
                hasher.write_u64(size);
                start.write(name.as_encoded_bytes());
                total = total.saturating_add(size);
            }
            continue;
        }
        if path.as_os_str() == "-" || !meta.is_file() {
            return None;
        }
        let mut file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut head = Vec::with_capacity(IDENTITY_BYTES);
        Read::by_ref(&mut file)
            .take(IDENTITY_BYTES as u64)
            .read_to_end(&mut head)
            .ok()?;
        hasher.write(&head);
        start.write(&head[..head.len().min(START_BYTES)]);
        total = total.saturating_add(size);
    }
    Some(format!(
        "{:016x}-{:016x}-{total}",
        start.finish(),
        hasher.finish()
    ))
}

/// The journal for `identity` in `dir`: its own, or else a copy of that of the same
/// document when it was smaller (the same first 4 KiB, a smaller size: a file appended to
/// since), which then goes on growing with it. Copied, not moved: a smaller document with
/// the same start (an export of the first reviews) keeps its own.
#[must_use]
pub fn find(dir: &Path, identity: &str) -> PathBuf {
    let own = dir.join(format!("{identity}.jsonl"));
    if own.exists() {
        return own;
    }
    let Some((head, size)) = identity
        .split_once('-')
        .and_then(|(head, rest)| Some((head, rest.rsplit_once('-')?.1.parse::<u64>().ok()?)))
    else {
        return own;
    };
    let smaller = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (h, rest) = name.strip_suffix(".jsonl")?.split_once('-')?;
            let n = rest.rsplit_once('-')?.1.parse::<u64>().ok()?;
            (h == head && n < size).then_some((n, entry.path()))
        })
        .max();
    if let Some((_, path)) = smaller {
        // Written whole beside it and renamed into place, as the journal's compaction is.
        let copied = tempfile::NamedTempFile::new_in(dir).and_then(|mut temp| {
            io::copy(&mut File::open(&path)?, temp.as_file_mut())?;
            temp.as_file().sync_all()?;
            temp.persist(&own).map_err(|e| e.error)
        });
        if copied.is_err() {
            return path;
        }
    }
    own
}

/// Where the journal of the document with `identity` lives by default (see [`find`]).
#[must_use]
pub fn default_path(identity: &str) -> Option<PathBuf> {
    let base = crate::read::user_dir("XDG_DATA_HOME", ".local/share")?;
    Some(find(&base.join("revue").join("labels"), identity))
}

/// The journal of one document, appended to as the user works.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<File>,
}

impl Journal {
    #[must_use]
    pub fn new(path: PathBuf) -> Self {
        Self { path, file: None }
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest notes of each review in the journal, and warnings for lines that could
    /// not be read (a torn last line after a crash). A journal not made yet is empty.
    ///
    /// # Errors
    /// When the journal exists but cannot be read, or is not a regular file.
    pub fn read(&self) -> Result<(Entries, Vec<String>), String> {
        self.read_counted()
            .map(|(entries, warnings, _)| (entries, warnings))
    }

    /// [`Journal::read`], with how many lines the journal holds.
    fn read_counted(&self) -> Result<Contents, String> {
        let name = crate::sanitize::sanitize_line(&self.path.to_string_lossy()).into_owned();
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Ok((HashMap::new(), Vec::new(), 0));
            }
            Err(err) => return Err(format!("{name}: cannot read the labels journal: {err}")),
        };
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(format!("{name}: the labels journal is not a regular file"));
        }
        if file.metadata().is_ok_and(|m| m.len() > MAX_JOURNAL) {
            return Err(format!(
                "{name}: the labels journal is larger than {} (revue keeps it compact); \
                 move it away to start afresh",
                crate::read::describe_size(MAX_JOURNAL)
            ));
        }
        let mut bytes = Vec::new();
        file.take(MAX_JOURNAL)
            .read_to_end(&mut bytes)
            .map_err(|err| format!("{name}: cannot read the labels journal: {err}"))?;
        let (entries, warnings, lines) = parse(&bytes, &name);
        Ok((entries, warnings, lines))
    }

    /// [`Journal::read`], then the journal rewritten with one line per review when most
    /// of its lines are old changes (`M` on a large view writes a line for each review):
    /// written beside it and renamed over it, so a crash leaves the old or the new whole.
    ///
    /// # Errors
    /// As [`Journal::read`]; a failed rewrite only leaves the journal as it was.
    pub fn read_compacted(&mut self) -> Result<(Entries, Vec<String>), String> {
        let (entries, warnings, lines) = self.read_counted()?;
        if lines > 2 * entries.len() + COMPACT_SLACK {
            let _ = self.rewrite(&entries);
        }
        Ok((entries, warnings))
    }

    fn rewrite(&mut self, entries: &HashMap<String, Entry>) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        let mut sorted: Vec<&Entry> = entries.values().collect();
        sorted.sort_by(|a, b| a.review.cmp(&b.review));
        let mut out = io::BufWriter::new(temp.as_file_mut());
        // A review cleared keeps its line: it may clear notes an export read back holds.
        for entry in sorted {
            serde_json::to_writer(&mut out, entry).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        drop(out);
        temp.as_file().sync_all()?;
        self.file = None;
        temp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Appends `entry` and syncs it to the disk before returning, so that a change the
    /// user saw made survives a crash.
    ///
    /// # Errors
    /// When the journal (or its folder) cannot be made or written.
    pub fn append(&mut self, entry: &Entry) -> io::Result<()> {
        self.append_all(std::slice::from_ref(entry))
    }

    /// Appends `entries` (the reviews one key marked at once) and syncs once.
    ///
    /// # Errors
    /// When the journal (or its folder) cannot be made or written.
    pub fn append_all(&mut self, entries: &[Entry]) -> io::Result<()> {
        if self.file.is_none() {
            self.file = Some(self.open()?);
        }
        let Some(file) = self.file.as_mut() else {
            return Err(io::Error::other("the journal is not open"));
        };
        let mut lines = String::new();
        for entry in entries {
            lines.push_str(&serde_json::to_string(entry).map_err(io::Error::other)?);
            lines.push('\n');
        }
        let written = file
            .write_all(lines.as_bytes())
            .and_then(|()| file.sync_data());
        if written.is_err() {
            // A write cut short (a full disk) may leave part of a line: opened again, the
            // journal ends it before the next change, which would otherwise be lost with it.
            self.file = None;
        }
        written
    }

    /// Opens the journal to append, its folder made private if new; a last line cut short
    /// by a crash is ended first, so the next change starts a line of its own.
    fn open(&self) -> io::Result<File> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&self.path)?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("the labels journal is not a regular file"));
        }
        let len = file.metadata()?.len();
        if len > 0 {
            let mut last = [0u8];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(file)
    }
}

/// The latest entry of each review in a journal's bytes, and a warning per line that
/// cannot be read.
fn parse(bytes: &[u8], name: &str) -> Contents {
    let mut entries = HashMap::new();
    let mut warnings = Vec::new();
    let mut read = 0;
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => {
                read += 1;
                entries.insert(entry.review.clone(), entry);
            }
            // The last line has no line end: the write it was part of was cut short.
            Err(_) if n == last => warnings.push(format!(
                "{name}:{}: a change cut short (revue stopped while writing it); skipped",
                n + 1
            )),
            Err(err) => warnings.push(format!(
                "{name}:{}: not a labels journal line ({err}); skipped",
                n + 1
            )),
        }
    }
    (entries, crate::config::bounded_warnings(warnings), read)
}

/// Gives the reviews of `doc` the notes `entries` hold for them. Returns how many reviews
/// were given notes.
pub fn apply<S: std::hash::BuildHasher>(
    doc: &mut Document,
    entries: &HashMap<String, Entry, S>,
) -> usize {
    if entries.is_empty() {
        return 0;
    }
    let mut given = 0;
    for i in 0..doc.reviews.len() {
        let key = review_key(doc, i);
        if let Some(entry) = entries.get(&key) {
            doc.labels_mut().set_named(i, &entry.labels, entry.marked);
            given += usize::from(entry.marked || !entry.labels.is_empty());
        }
    }
    given
}

/// Now, as the journal writes it (UTC, to the second).
#[must_use]
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let date = i64::try_from(secs)
        .ok()
        .and_then(crate::load::convert::unix_date)
        .map_or_else(String::new, |d| d.to_string());
    let rest = secs % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_line_wins_and_a_torn_last_line_is_skipped() {
        let text = b"{\"review\":\"rw1\",\"labels\":[\"a\"],\"marked\":false}\n\
                     {\"review\":\"rw2\",\"labels\":[],\"marked\":true}\n\
                     {\"review\":\"rw1\",\"labels\":[\"b\"],\"marked\":true}\n\
                     {\"review\":\"rw3\",\"lab";
        let (entries, warnings, _) = parse(text, "j");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries["rw1"].labels, ["b"]);
        assert!(entries["rw1"].marked && entries["rw2"].marked);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("j:4: a change cut short"),
            "{warnings:?}"
        );
    }

    #[test]
    fn appends_survive_a_torn_line_and_are_synced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("labels").join("x.jsonl");
        let mut journal = Journal::new(path.clone());
        let entry = |review: &str, marked| Entry {
            review: review.into(),
            labels: vec!["keep".into()],
            marked,
            at: now(),
        };
        journal.append(&entry("rw1", true)).expect("written");
        drop(journal);
        // A crash in the middle of the next write.
        let mut file = OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(b"{\"review\":\"rw2\",\"ma").expect("torn");
        drop(file);
        let mut journal = Journal::new(path);
        journal.append(&entry("rw3", false)).expect("written");
        let (entries, warnings) = journal.read().expect("reads");
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert!(entries["rw1"].marked && !entries["rw3"].marked);
        assert_eq!(
            warnings.len(),
            1,
            "the torn line, now in the middle: {warnings:?}"
        );
    }

    #[test]
    fn a_journal_of_old_changes_is_compacted_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.jsonl");
        let mut journal = Journal::new(path.clone());
        for round in 0..3000 {
            let entry = Entry {
                review: format!("rw{}", round % 10),
                labels: vec![],
                marked: round % 2 == 0,
                at: String::new(),
            };
            journal.append(&entry).expect("written");
        }
        let (before, _) = journal.read().expect("reads");
        let (entries, _) = journal.read_compacted().expect("reads");
        assert_eq!(entries, before);
        let text = std::fs::read_to_string(&path).expect("compacted");
        assert_eq!(text.lines().count(), 10, "one line a review: {text}");
        journal
            .append(&Entry {
                review: "rw1".into(),
                labels: vec!["keep".into()],
                marked: false,
                at: String::new(),
            })
            .expect("appends after the rewrite");
        assert_eq!(journal.read().expect("reads").0.len(), 10);
    }

    #[test]
    fn a_grown_file_finds_the_journal_of_its_smaller_self() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("reviews.jsonl");
        // A scrape past its first few KiB: appending keeps its start.
        let first_reviews = "{\"body\":\"a\"}\n".repeat(400);
        std::fs::write(&file, &first_reviews).expect("written");
        let small = identity(std::slice::from_ref(&file), b"").expect("a file");
        let journals = dir.path().join("labels");
        std::fs::create_dir(&journals).expect("made");
        let first = find(&journals, &small);
        std::fs::write(&first, "{\"review\":\"x\",\"marked\":true}\n").expect("journal");
        let mut grown = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .expect("open");
        grown.write_all(b"{\"body\":\"b\"}\n").expect("appended");
        let large = identity(std::slice::from_ref(&file), b"").expect("a file");
        assert_ne!(small, large);
        let found = find(&journals, &large);
        assert_eq!(
            found,
            journals.join(format!("{large}.jsonl")),
            "copied to the new size"
        );
        assert!(first.exists(), "the smaller one keeps its own");
        let (entries, _) = Journal::new(found).read().expect("reads");
        assert!(entries["x"].marked);
        // Another document whose head differs finds nothing.
        let other = dir.path().join("other.jsonl");
        std::fs::write(&other, format!("{{\"body\":\"z\"}}\n{first_reviews}")).expect("written");
        let other = identity(&[other], b"").expect("a file");
        assert!(!find(&journals, &other).exists());
    }

    #[test]
    fn changes_are_dated_in_utc() {
        let at = now();
        assert_eq!(at.len(), "2026-12-08T01:35:54Z".len(), "{at}");
        assert!(at.starts_with("20") && at.ends_with('Z'), "{at}");
    }
}
