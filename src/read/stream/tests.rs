//! Tests of reading in pieces: the pieces add up to the document read whole, in every
//! format read in pieces, on a file read in place and on a pipe.

use super::*;
use crate::load::load_bytes;
use crate::read::SAMPLE;

/// A reader that hands out a few bytes at a time, like a slow pipe.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn export(loaded: &Loaded) -> String {
    let indices: Vec<usize> = (0..loaded.document.reviews.len()).collect();
    let mut out = Vec::new();
    crate::export::write(
        &mut out,
        &loaded.document,
        &indices,
        crate::export::OutputFormat::Json,
    )
    .expect("export");
    String::from_utf8(out).expect("utf8")
}

#[test]
fn streamed_pieces_add_up_to_the_whole_document() {
    let whole = load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads");
    // Many copies, so the document spans several chunks.
    let big = SAMPLE.repeat(40);
    let mut pieces = 0;
    let mut all: Option<Loaded> = None;
    stream(
        &mut big.as_bytes(),
        None,
        "s",
        None,
        &Options::default(),
        u64::MAX,
        &mut |p| {
            pieces += 1;
            match &mut all {
                None => all = Some(p.loaded),
                Some(a) => a.absorb(p.loaded),
            }
            true
        },
    )
    .expect("streams");
    let all = all.expect("a piece");
    assert!(pieces > 1, "{pieces} pieces");
    assert_eq!(all.document.reviews.len(), 25 * 40);
    assert_eq!(all.document.sources.len(), 1);
    assert_eq!(all.document.sources[0].title.as_deref(), Some("Pusher II"));
    let first = export(&whole);
    let streamed = export(&all);
    // The first 25 reviews are the sample's, field for field.
    let head_len = first.rfind("\n  ]").expect("end of reviews");
    assert_eq!(&streamed[..head_len], &first[..head_len]);
}

/// Loads `text` the way a regular file loads: the first piece from the reader, the rest
/// read in place by every thread.
fn load_in_place(text: &str, max_size: u64) -> Result<(Loaded, usize), StreamError> {
    let bytes = text.as_bytes();
    let mut pieces = 0;
    let mut all: Option<Loaded> = None;
    stream(
        &mut &bytes[..],
        Some(&bytes),
        "s",
        None,
        &Options::default(),
        max_size,
        &mut |p| {
            pieces += 1;
            match &mut all {
                None => all = Some(p.loaded),
                Some(a) => a.absorb(p.loaded),
            }
            true
        },
    )?;
    Ok((all.expect("a piece"), pieces))
}

#[test]
fn pieces_read_in_place_add_up_to_the_document_read_whole() {
    // About 6.6 MB: several pieces of at least 1 MiB, on every thread.
    let mut big = SAMPLE.repeat(200);
    // A warning far into the document, and a review longer than a piece in the middle
    // of it, which takes several planned pieces' places.
    big.insert_str(
        big.len() / 2,
        &format!(
            "8/10\nLong one\nsomeone 1 March 2006\n{}\nPermalink\n",
            "All on one line and no Permalink for a while. ".repeat(60_000)
        ),
    );
    let bad_block = "8/10\nTitle\nbob11 March 2006\nbody\nPermalink\n";
    big.push_str(bad_block);
    let whole = load_bytes(big.clone().into_bytes(), "s", None).expect("loads");
    let (in_place, pieces) = load_in_place(&big, u64::MAX).expect("loads");
    assert!(pieces > 4, "{pieces} pieces");
    assert_eq!(in_place.document.reviews.len(), 25 * 200 + 2);
    assert_eq!(export(&in_place), export(&whole));
    // The same warnings, which the whole document, having more of one kind than it
    // keeps, already gives as one line with their count.
    assert_eq!(
        crate::load::summarize(in_place.warnings),
        crate::load::summarize(whole.warnings.clone())
    );
    assert!(!whole.warnings.is_empty());
}

#[test]
fn pieces_read_in_place_keep_to_the_size_limit() {
    let big = SAMPLE.repeat(100);
    let limit = big.len() as u64 - 1;
    let err = load_in_place(&big, limit).expect_err("too large");
    assert!(matches!(err, StreamError::TooLarge { .. }), "{err}");
    assert!(load_in_place(&big, big.len() as u64).is_ok());
}

/// [`cut_after`] for the format `reader` reads.
fn cut_with<P: PieceReader>(reader: &P, input: &dyn ReadAt, at: u64) -> Result<u64, StreamError> {
    cut_after(reader, input, at)
}

#[test]
fn cuts_fall_after_the_first_permalink_line_past_the_offset() {
    // The `Permalink` line after `b` has no votes before it: it may be a line of a review's
    // text (a spoiler's), and no cut falls after it.
    let text = "a\n1 out of 1 found this helpful.\nPermalink\nb\nPermalink\nc\n2 out of 3 found this helpful.\nPermalink\nd\n";
    let input: &[u8] = text.as_bytes();
    let Ok(Some(Pieces::Text(reader))) =
        crate::load::piece_reader(Format::Text, "t", "", &Options::default())
    else {
        panic!("text reads in pieces");
    };
    let cut_after = |input: &dyn ReadAt, at| cut_with(&reader, input, at);
    // The line the offset falls in never counts, wherever in it the offset is.
    assert_eq!(cut_after(&input, 0).expect("reads"), 43);
    assert_eq!(cut_after(&input, 1).expect("reads"), 43);
    assert_eq!(cut_after(&input, 3).expect("reads"), 98);
    assert_eq!(cut_after(&input, 43).expect("reads"), 98);
    // None after it: the end of the input.
    assert_eq!(cut_after(&input, 93).expect("reads"), text.len() as u64);
    // Past the end it stays put: the piece there is empty.
    assert_eq!(cut_after(&input, 199).expect("reads"), 199);
}

#[test]
fn a_trickling_reader_gives_the_same_reviews() {
    let whole = load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads");
    let mut slow = Trickle {
        data: SAMPLE.as_bytes(),
        step: 7,
    };
    let streamed = load_all(&mut slow, "s", None, &Options::default(), u64::MAX).expect("streams");
    assert_eq!(export(&streamed), export(&whole));
    assert!(streamed.warnings.is_empty());
}

#[test]
fn warnings_keep_their_line_numbers_across_chunks() {
    let bad_block = "8/10\nTitle\nbob11 March 2006\nbody\nPermalink\n";
    let mut text = SAMPLE.repeat(20);
    text.push('\n');
    let line = text.matches('\n').count() + 1;
    text.push_str(bad_block);
    let loaded = load_all(
        &mut text.as_bytes(),
        "s",
        None,
        &Options::default(),
        u64::MAX,
    )
    .expect("loads");
    let w = loaded.warnings.last().expect("a warning");
    assert_eq!(w.line, Some(line + 2), "{w}");
}

#[test]
fn limits_and_failures() {
    let err = load_all(&mut SAMPLE.as_bytes(), "s", None, &Options::default(), 100)
        .expect_err("too large");
    assert!(matches!(err, StreamError::TooLarge { limit: 100 }));
    let err = load_all(
        &mut &b"no reviews here\n"[..],
        "s",
        None,
        &Options::default(),
        u64::MAX,
    )
    .expect_err("none");
    assert!(matches!(
        err,
        StreamError::Load(LoadError::NoReviews { .. })
    ));
    let err =
        load_all(&mut &b"a\0b"[..], "s", None, &Options::default(), u64::MAX).expect_err("binary");
    assert!(matches!(
        err,
        StreamError::Load(LoadError::Binary { offset: 1 })
    ));
    let err =
        load_all(&mut &b"  \n "[..], "s", None, &Options::default(), u64::MAX).expect_err("empty");
    assert!(matches!(err, StreamError::Load(LoadError::Empty)));
}

#[test]
fn json_lines_read_in_pieces_add_up_to_the_file_read_whole() {
    use std::fmt::Write as _;
    // Several pieces' worth of Yelp-shaped lines naming a few businesses, with a bad
    // line far in: the same reviews, films and warnings as the file read whole.
    let mut text = String::new();
    for i in 0..40_000 {
        let _ = writeln!(
            text,
            "{{\"review_id\":\"r{i}\",\"business_id\":\"b{}\",\"stars\":{}.0,\"useful\":{},\"text\":\"Line {i} of the reviews, \\\"quoted\\\" and long enough to fill the pieces quickly.\",\"date\":\"2018-07-07 22:09:11\"}}",
            i % 7,
            1 + i % 5,
            i % 3
        );
        if i == 30_000 {
            text.push_str("{\"stars\": oops}\n");
        }
    }
    let whole =
        load_with(text.clone().into_bytes(), "s", None, &Options::default()).expect("loads whole");
    let (pieces, count) = load_in_place(&text, u64::MAX).expect("loads in pieces");
    assert!(count > 2, "{count} pieces");
    let mut merged = crate::model::Document::default();
    let mut all = crate::model::SourceSet::default();
    let mut warnings = Vec::new();
    // As the collector puts them together.
    stream(
        &mut text.as_bytes(),
        Some(&text.as_bytes()),
        "s",
        None,
        &Options::default(),
        u64::MAX,
        &mut |p| {
            assert!(!p.continues);
            warnings.extend(p.loaded.warnings);
            merged.merge_among(p.loaded.document, &mut all);
            true
        },
    )
    .expect("streams");
    assert_eq!(merged.reviews.len(), 40_000);
    assert_eq!(merged.sources.len(), 7);
    let labels = |d: &crate::model::Document| -> Vec<String> {
        d.reviews
            .iter()
            .map(|r| d.sources[usize::from(r.source)].label.clone())
            .collect()
    };
    assert_eq!(labels(&merged), labels(&whole.document));
    assert_eq!(
        crate::load::summarize(warnings),
        crate::load::summarize(whole.warnings)
    );
    drop(pieces);
}

#[test]
fn other_formats_read_in_place_load_whole() {
    // Larger than the first piece, so most of it is read in place.
    let text = SAMPLE.repeat(20);
    let doc = load_bytes(text.into_bytes(), "s", None).expect("loads");
    let json = export(&doc);
    assert!(json.len() > FIRST_PIECE);
    let (loaded, pieces) = load_in_place(&json, u64::MAX).expect("loads");
    assert_eq!(pieces, 1);
    assert_eq!(export(&loaded), json);
}

#[test]
fn other_formats_load_whole() {
    let json = export(&load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads"));
    let loaded = load_all(
        &mut json.as_bytes(),
        "s",
        None,
        &Options::default(),
        u64::MAX,
    )
    .expect("loads");
    assert_eq!(loaded.document.reviews.len(), 25);
}

/// A CSV of review data from elsewhere with the dirt real ones have: a byte-order mark,
/// CR LF, quoted cells over several lines (some with CR LF inside), `""`, quotes inside
/// unquoted cells, rows with nothing of a review, and long rows.
fn dirty_csv(rows: usize) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("\u{feff}id,Title,Review Text,Rating,Date\r\n");
    for i in 0..rows {
        let body = match i % 6 {
            0 => format!("\"multi\nline, with \"\"quotes\"\" {i}\""),
            1 => format!("plain {i} with a \"quote\" inside"),
            2 => format!("\"ends with a quote {i} \"\"\""),
            3 => format!("\"crlf\r\ninside {i}\""),
            4 => String::new(),
            _ => format!("\"{}\"", "long, ".repeat(i % 400)),
        };
        if i % 6 == 4 {
            let _ = write!(text, "{i},,,,\r\n");
        } else {
            let _ = write!(
                text,
                "{i},\"Title \"\"{i}\"\"\",{body},{},2020-01-0{}\r\n",
                1 + i % 5,
                1 + i % 9
            );
        }
        if i % 7001 == 7000 {
            text.push_str("1,2,3,4,5,6,7\r\n");
        }
    }
    text
}

#[test]
fn csv_read_in_pieces_adds_up_to_the_file_read_whole() {
    let text = dirty_csv(30_000);
    let whole =
        load_with(text.clone().into_bytes(), "s", None, &Options::default()).expect("loads whole");
    let (pieces, count) = load_in_place(&text, u64::MAX).expect("loads in pieces");
    assert!(count > 2, "{count} pieces");
    assert_eq!(whole.document.reviews.len(), 25_000);
    assert_eq!(export(&pieces), export(&whole));
    assert_eq!(
        crate::load::summarize(pieces.warnings.clone()),
        crate::load::summarize(whole.warnings.clone())
    );
    // The empty rows and the long rows, each counted once with their lines in the file.
    let said: Vec<String> = crate::load::summarize(whole.warnings)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        said.iter()
            .any(|w| w.contains(": no text") && w.contains("[5000 times")),
        "{said:?}"
    );
    // From a pipe, a few bytes at a time: the same again.
    let trickled = load_all(
        &mut Trickle {
            data: text.as_bytes(),
            step: 70_001,
        },
        "s",
        None,
        &Options::default(),
        u64::MAX,
    )
    .expect("loads from a pipe");
    assert_eq!(export(&trickled), export(&pieces));
}

#[test]
fn a_csv_whose_other_encoding_shows_late_reads_as_it_does_whole() {
    let mut bytes = b"title,body,rating\n".to_vec();
    for i in 0..20_000 {
        bytes.extend_from_slice(format!("T{i},plain text {i},{}\n", 1 + i % 5).as_bytes());
        if i == 15_000 {
            bytes.extend_from_slice(b"Caf\xe9,\x93quoted\x94 na\xefve,5\n");
        }
    }
    let whole = load_with(bytes.clone(), "s", None, &Options::default()).expect("loads whole");
    let mut all: Option<Loaded> = None;
    stream(
        &mut &bytes[..],
        Some(&&bytes[..]),
        "s",
        None,
        &Options::default(),
        u64::MAX,
        &mut |p| {
            match &mut all {
                None => all = Some(p.loaded),
                Some(a) => a.absorb(p.loaded),
            }
            true
        },
    )
    .expect("streams");
    let pieces = all.expect("pieces");
    assert_eq!(export(&pieces), export(&whole));
    assert!(export(&pieces).contains("Café"));
    let said: Vec<String> = pieces.warnings.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|w| w.starts_with("15003: not UTF-8 from here on: read as windows-1252")),
        "{said:?}"
    );
}

#[test]
fn spoiler_text_read_in_pieces_stays_hidden() {
    // Spoilers holding what ends a block, many times over, so that pieces are cut all
    // around them, in place and through a pipe.
    let mut text = String::new();
    for _ in 0..400 {
        text.push_str(SAMPLE);
        for spoiler in crate::load::text_tests::spoilers_with_block_ends() {
            text.push_str(&spoiler);
        }
    }
    let (in_place, pieces) = load_in_place(&text, u64::MAX).expect("loads");
    assert!(pieces > 4, "{pieces} pieces");
    crate::load::text_tests::assert_secrets_hidden(&in_place.document);
    let piped = load_all(
        &mut Trickle {
            data: text.as_bytes(),
            step: 65_537,
        },
        "s",
        None,
        &Options::default(),
        u64::MAX,
    )
    .expect("loads");
    crate::load::text_tests::assert_secrets_hidden(&piped.document);
    assert_eq!(export(&piped), export(&in_place));
}

#[test]
fn a_scale_guessed_from_the_ratings_holds_across_pieces() {
    use std::fmt::Write as _;
    // Ratings out of 10 at first, then a long stretch of ones of 5 or below: read whole,
    // every rating is out of 10, and so in pieces.
    let mut text = String::new();
    for i in 0..60_000 {
        let score = if i < 10_000 { 1 + i % 10 } else { 1 + i % 5 };
        let _ = writeln!(
            text,
            "{{\"id\":{i},\"comment\":\"Line {i} of the comments, long enough to fill pieces.\",\"score\":{score}}}"
        );
    }
    for (name, text) in [("jsonl", text.clone()), ("csv", jsonl_to_csv(&text))] {
        let whole =
            load_with(text.clone().into_bytes(), "s", None, &Options::default()).expect("whole");
        let (pieces, count) = load_in_place(&text, u64::MAX).expect("pieces");
        assert!(count > 2, "{name}: {count} pieces");
        let scales = |l: &Loaded| -> std::collections::BTreeSet<u8> {
            l.document
                .reviews
                .iter()
                .filter_map(|r| r.rating.map(crate::model::Rating::scale))
                .collect()
        };
        assert_eq!(scales(&whole), [10].into(), "{name}");
        assert_eq!(scales(&pieces), [10].into(), "{name}");
    }
}

/// The same records as a CSV.
fn jsonl_to_csv(jsonl: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("id,comment,score\n");
    for line in jsonl.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("json");
        let _ = writeln!(
            out,
            "{},\"{}\",{}",
            value["id"],
            value["comment"].as_str().unwrap_or_default(),
            value["score"]
        );
    }
    out
}
