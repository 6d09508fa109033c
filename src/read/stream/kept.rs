//! Tests of text left in its file: every format read in pieces gives the same reviews,
//! field by field, whether its text is held in memory or read back from the file (or a
//! spill file, for a pipe); and a file changed under revue reads as a notice, never as
//! garbage.

use std::io::Write as _;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::load::Keep;
use crate::model::backing::CHANGED;
use crate::model::{Document, schema::Field};
use crate::read::SAMPLE;

/// Every field of every review, as the writers see them.
fn fields(doc: &Document) -> Vec<String> {
    let mut date = String::new();
    doc.reviews
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let values: Vec<String> = Field::ALL
                .iter()
                .map(|&f| format!("{:?}", doc.value(r, f, &mut date)))
                .collect();
            format!("{i}: {} chars {}", values.join("|"), doc.body_chars(i))
        })
        .collect()
}

fn load(reader: &mut (dyn Read + Send), positional: Option<&dyn ReadAt>, keep: Keep) -> Document {
    let options = Options {
        keep,
        ..Options::default()
    };
    let mut all: Option<Loaded> = None;
    stream(
        reader,
        positional,
        "t",
        None,
        &options,
        u64::MAX,
        &mut |p| {
            match &mut all {
                None => all = Some(p.loaded),
                // As the collector puts them together: a piece of a document of many films
                // joins its films to those of the same name.
                Some(a) if p.continues => a.absorb(p.loaded),
                Some(a) => a.document.merge(p.loaded.document),
            }
            true
        },
    )
    .expect("loads");
    all.expect("a piece").document
}

fn in_files(dir: &std::path::Path) -> Keep {
    Keep {
        spill_dir: Some(dir.to_path_buf()),
        ..Keep::default()
    }
}

/// JSON Lines in the shape of Amazon's dumps, with the escapes they hold.
fn amazon(n: usize) -> String {
    use std::fmt::Write as _;
    (0..n).fold(String::new(), |mut out, i| {
        let _ = writeln!(
            out,
            "{{\"reviewerID\":\"A{i}\",\"asin\":\"B{}\",\"reviewerName\":\"r\\u00e9ader {i}\",\
             \"helpful\":[{},{}],\"reviewText\":\"Line \\\"{i}\\\" one\\nline two \\u2019 caf\\u00e9 {}\",\
             \"overall\":{}.0,\"summary\":\"S{i} \\/ ok\",\"unixReviewTime\":{}}}",
            i % 7,
            i % 5,
            i % 9,
            "x".repeat(i % 300),
            i % 5 + 1,
            1_300_000_000 + i * 1000
        );
        out
    })
}

/// The documents to compare: the sample page many times (copied text), revue's own JSON
/// Lines and CSV of it, and Amazon-shaped JSON Lines.
fn documents() -> Vec<(&'static str, String)> {
    let text = SAMPLE.repeat(300);
    let whole = crate::load::load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("sample");
    let indices: Vec<usize> = (0..whole.document.reviews.len()).collect();
    let mut own = Vec::new();
    crate::export::write(
        &mut own,
        &whole.document,
        &indices,
        crate::export::OutputFormat::Jsonl,
    )
    .expect("export");
    let own = String::from_utf8(own).expect("utf8").repeat(300);
    let many = crate::load::load_bytes(text.as_bytes().to_vec(), "s", None).expect("sample");
    let indices: Vec<usize> = (0..many.document.reviews.len()).collect();
    let mut csv = Vec::new();
    crate::export::write(
        &mut csv,
        &many.document,
        &indices,
        crate::export::OutputFormat::Csv,
    )
    .expect("export");
    let csv = String::from_utf8(csv).expect("utf8");
    vec![
        ("text", text),
        ("jsonl", own),
        ("amazon", amazon(20_000)),
        ("csv", csv),
    ]
}

#[test]
fn text_read_back_from_its_file_is_the_text_held_in_memory() {
    let dir = tempfile::tempdir().expect("dir");
    for (name, text) in documents() {
        let memory = load(&mut text.as_bytes(), None, Keep::default());
        assert_eq!(memory.store().bytes_in_files(), 0);
        let path = dir.path().join(name);
        std::fs::write(&path, &text).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let positional: &dyn ReadAt = &file;
        let mut reader = std::fs::File::open(&path).expect("open");
        let kept = load(&mut reader, Some(positional), in_files(dir.path()));
        let piped = load(&mut text.as_bytes(), None, in_files(dir.path()));
        assert!(memory.reviews.len() > 1000, "{name}");
        for (how, doc) in [("file", &kept), ("spill", &piped)] {
            assert!(
                doc.store().bytes_in_files() > text.len() as u64 * 9 / 10,
                "{name} {how}: the text is left in the file"
            );
            assert!(
                doc.text_bytes() < text.len() / 10,
                "{name} {how}: {} bytes held",
                doc.text_bytes()
            );
            let (got, want) = (fields(doc), fields(&memory));
            assert_eq!(got.len(), want.len(), "{name} {how}");
            if let Some((g, w)) = got.iter().zip(&want).find(|(g, w)| g != w) {
                panic!("{name} {how}: read back\n{g}\nheld\n{w}");
            }
            for word in ["Tonny", "café", "line two", "zzz-none"] {
                let search = crate::query::Search::new(word);
                let never = AtomicBool::new(false);
                assert_eq!(
                    crate::query::search_reviews(doc, &search, None, &never),
                    crate::query::search_reviews(&memory, &search, None, &never),
                    "{name} {how}: {word}"
                );
            }
        }
    }
    // Nothing is left in the spill folder: spill files are made unlinked.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| !["text", "jsonl", "amazon", "csv"].iter().any(|d| n == *d))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_file_changed_under_revue_reads_as_a_notice_and_appends_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("grows.jsonl");
    let text = amazon(5_000);
    std::fs::write(&path, &text).expect("write");
    let file = std::fs::File::open(&path).expect("open");
    let positional: &dyn ReadAt = &file;
    let mut reader = std::fs::File::open(&path).expect("open");
    let doc = load(&mut reader, Some(positional), in_files(dir.path()));
    let last = doc.reviews.len() - 1;
    let before = doc.body(&doc.reviews[last]).into_owned();
    // Appending (a scraper at work) leaves every review as it was.
    let mut appending = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("append");
    appending.write_all(amazon(10).as_bytes()).expect("append");
    drop(appending);
    assert_eq!(doc.body(&doc.reviews[last]), before);
    assert_eq!(doc.text_changed(), None);
    // Rewritten in place with other bytes of the same length: a notice, and the app told.
    let mut changed = std::fs::read(&path).expect("read");
    for b in &mut changed[text.len() - 200..text.len() - 100] {
        if b.is_ascii_lowercase() {
            *b = b'#';
        }
    }
    std::fs::write(&path, &changed).expect("rewrite");
    assert_eq!(doc.body(&doc.reviews[last]), CHANGED);
    assert!(doc.text_changed().is_some());
    // A review whose stretch of the file is unchanged still reads.
    assert_ne!(doc.body(&doc.reviews[0]), CHANGED);
    // Written out, the notices would pass for the text: an export is an error instead.
    let all: Vec<usize> = (0..doc.reviews.len()).collect();
    let written = crate::export::write(
        &mut Vec::new(),
        &doc,
        &all,
        crate::export::OutputFormat::Jsonl,
    );
    assert!(
        written.is_err_and(|e| e.to_string().contains("changed on disk")),
        "an export of changed text fails"
    );
    // Truncated to nothing: every read is a notice, never a crash.
    std::fs::File::create(&path).expect("truncate");
    for r in doc.reviews.iter().step_by(97) {
        let body = doc.body(r);
        assert!(body == CHANGED, "{body:?}");
    }
    let search = crate::query::Search::new("line");
    let never = AtomicBool::new(false);
    let found = crate::query::search_reviews(&doc, &search, None, &never);
    assert_eq!(
        found,
        Some(Vec::new()),
        "a changed file is not searched as garbage"
    );
}

#[test]
fn text_that_cannot_stay_in_its_file_is_held_only_up_to_the_memory_cap() {
    // Old Mac line ends (lone CRs) are rewritten as the file is decoded: such pieces stay
    // in memory, and past the cap of what is held the load stops with the limit named.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("mac.jsonl");
    let text = amazon(6_000).replace('\n', "\r");
    std::fs::write(&path, &text).expect("write");
    let file = std::fs::File::open(&path).expect("open");
    let positional: &dyn ReadAt = &file;
    let mut reader = std::fs::File::open(&path).expect("open");
    let options = Options {
        keep: Keep {
            spill_dir: Some(dir.path().to_path_buf()),
            memory_cap: 1 << 20,
        },
        ..Options::default()
    };
    let result = stream(
        &mut reader,
        Some(positional),
        "t",
        None,
        &options,
        u64::MAX,
        &mut |_| true,
    );
    assert!(
        matches!(result, Err(StreamError::TooLarge { limit }) if limit == 1 << 20),
        "{result:?}"
    );
}
