//! Data as it ships (FORMATS.md §5): compressed, archived, columnar, in folders, in old
//! encodings, damaged. Every fixture is built here with the writers of the formats
//! themselves (flate2, zstd, bzip2, liblzma, zip, tar, parquet), from the small real-shaped
//! files under `tests/data/foreign/`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use crate::harness::{path_str, read_data, revue, run_piped, temp_file};

/// revue's JSON Lines for these arguments, which must succeed; and what it said on stderr.
fn jsonl(args: &[&str]) -> (String, String) {
    let out = revue()
        .args(args)
        .args(["--format", "jsonl"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).expect("UTF-8"), stderr)
}

/// What `--explain` says for these arguments.
fn explain(args: &[&str]) -> String {
    let out = revue().args(args).arg("--explain").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn zstd_frame(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(bytes).expect("bzip2");
    e.finish().expect("bzip2")
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(bytes).expect("xz");
    e.finish().expect("xz")
}

/// A zip archive of `members` (name, bytes), deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(*name, options).expect("member");
        w.write_all(bytes).expect("member bytes");
    }
    w.finish().expect("zip").into_inner()
}

/// A tar archive of `members`.
fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        b.append_data(&mut header, name, *bytes)
            .expect("tar member");
    }
    b.into_inner().expect("tar")
}

#[test]
fn every_compression_gives_the_plain_files_reviews_and_says_so() {
    let plain = read_data("foreign/amazon-2018.jsonl");
    let (dir, path) = temp_file("amazon.jsonl", &plain);
    let (want, _) = jsonl(&[path_str(&path)]);
    assert_eq!(want.lines().count(), 5);
    let half = plain.len() / 2;
    let cut = plain[..half]
        .iter()
        .rposition(|&b| b == b'\n')
        .expect("a line")
        + 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("gzip", gzip(&plain)),
        // pigz and bgzip write several members: one stream.
        ("gzip", [gzip(&plain[..cut]), gzip(&plain[cut..])].concat()),
        (
            "zstd",
            [zstd_frame(&plain[..cut]), zstd_frame(&plain[cut..])].concat(),
        ),
        ("bzip2", bzip2(&plain)),
        ("xz", xz(&plain)),
    ];
    for (i, (name, bytes)) in cases.into_iter().enumerate() {
        // The file's name says nothing: the bytes do.
        let packed = dir.path().join(format!("download-{i}.bin"));
        std::fs::write(&packed, &bytes).expect("write");
        let (got, stderr) = jsonl(&[path_str(&packed)]);
        assert_eq!(
            got,
            want.replace("amazon.jsonl", &format!("download-{i}.bin")),
            "{name}"
        );
        assert!(stderr.is_empty(), "{name}: {stderr}");
        let said = explain(&[path_str(&packed)]);
        assert!(
            said.contains(&format!(
                "read as:  {name} \u{2192} JSON Lines \u{2192} Amazon"
            )),
            "{said}"
        );
        // And through a pipe, as `curl … | revue` gives it.
        let (ok, out, err) = run_piped(&["--format", "jsonl"], Some(bytes));
        assert!(ok, "{name} on stdin: {err}");
        assert_eq!(String::from_utf8(out).expect("UTF-8").lines().count(), 5);
    }
}

#[test]
fn zip_members_are_read_by_their_content_and_the_rest_named_in_a_note() {
    let csv = read_data("foreign/imdb-dataset.csv");
    let bytes = zip(&[
        ("IMDB Dataset.csv", &csv),
        ("LICENSE.pdf", b"%PDF-1.4\n\x00\x01\x02binary"),
        (
            "__MACOSX/._IMDB Dataset.csv",
            b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
        ),
    ]);
    let (_dir, path) = temp_file("imdb-dataset-of-50k-movie-reviews.zip", &bytes);
    let (out, stderr) = jsonl(&[path_str(&path)]);
    let (plain_dir, plain) = temp_file("IMDB Dataset.csv", &csv);
    let (want, _) = jsonl(&[path_str(&plain)]);
    drop(plain_dir);
    assert_eq!(out, want, "{stderr}");
    assert!(
        stderr.is_empty(),
        "a member without reviews is no warning: {stderr}"
    );
    let said = explain(&[path_str(&path)]);
    assert!(
        said.contains(
            "read as:  zip member IMDB Dataset.csv \u{2192} CSV file \u{2192} Stanford/Kaggle"
        ),
        "{said}"
    );
    assert!(
        said.contains("note:     zip members that hold no reviews: LICENSE.pdf (not text)"),
        "{said}"
    );
}

#[test]
fn an_encrypted_member_is_one_clear_line_and_the_others_load() {
    let mut bytes = zip(&[
        ("secret.csv", b"review,sentiment\nhidden,positive\n"),
        ("reviews.jsonl", &read_data("foreign/yelp.jsonl")),
    ]);
    // Mark the first member encrypted (general purpose bit 0) in its local header and its
    // central directory entry, as an encrypting zip tool would.
    bytes[6] |= 1;
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[central + 8] |= 1;
    let (_dir, path) = temp_file("mixed.zip", &bytes);
    let (out, stderr) = jsonl(&[path_str(&path)]);
    assert_eq!(out.lines().count(), 5);
    assert_eq!(
        stderr.trim(),
        format!(
            "revue: warning: {}: zip member secret.csv is not read: it is encrypted",
            path.display()
        )
    );
}

#[test]
fn a_yelp_tar_reads_its_reviews_and_notes_the_tables_that_are_not() {
    let business = br#"{"business_id":"XQfwVwDr-v0ZS3_CbbE5Xw","name":"Roxie","city":"SF","stars":4.5,"review_count":3}"#;
    let bytes = tar(&[
        ("Dataset_User_Agreement.pdf", b"%PDF-1.3\n\x00\x00"),
        ("yelp_academic_dataset_business.json", business),
        (
            "yelp_academic_dataset_review.json",
            &read_data("foreign/yelp.jsonl"),
        ),
    ]);
    for (name, bytes) in [
        ("yelp_dataset.tar", bytes.clone()),
        ("yelp.tgz", gzip(&bytes)),
    ] {
        let (_dir, path) = temp_file(name, &bytes);
        let (out, stderr) = jsonl(&[path_str(&path)]);
        assert_eq!(out.lines().count(), 5, "{name}: {stderr}");
        let said = explain(&[path_str(&path)]);
        assert!(
            said.contains("tar member yelp_academic_dataset_review.json \u{2192} JSON Lines"),
            "{said}"
        );
        assert!(
            said.contains("yelp_academic_dataset_business.json (")
                && said.contains("tar members that hold no reviews"),
            "{said}"
        );
    }
}

#[test]
fn damage_keeps_what_came_before_it_with_a_warning_that_says_where() {
    let plain = read_data("foreign/yelp.jsonl");
    let packed = gzip(&plain);
    // Cut short: the last bytes (the trailer and some data) are missing.
    let (_dir, path) = temp_file("cut.json.gz", &packed[..packed.len() - 40]);
    let (out, stderr) = jsonl(&[path_str(&path)]);
    assert!(out.lines().count() >= 3, "{out}");
    assert!(
        stderr.contains("the gzip stream is cut short after")
            && stderr.contains("the reviews before it are kept"),
        "{stderr}"
    );
    // Corrupt in the middle of a zstd frame, written with its checksum as the zstd tool
    // writes it: an error past the good part.
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).expect("zstd");
    encoder.include_checksum(true).expect("checksum");
    encoder.write_all(&plain).expect("zstd");
    let mut zst = encoder.finish().expect("zstd");
    let mid = zst.len() * 3 / 4;
    for b in &mut zst[mid..mid + 8] {
        *b ^= 0x5a;
    }
    let (_dir, path) = temp_file("bad.json.zst", &zst);
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Either some reviews came before the damage (exit 0, with a warning), or none did
    // (one error line): never a panic, never a silent load.
    if out.status.success() {
        assert!(stderr.contains("the zstd stream is damaged"), "{stderr}");
    } else {
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr.contains("zstd stream"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // A zip without its central directory (a download cut short): its members, one by one.
    let bytes = zip(&[("reviews.jsonl", &plain)]);
    let (_dir, path) = temp_file("cut.zip", &bytes[..bytes.len() - 30]);
    let (out, stderr) = jsonl(&[path_str(&path)]);
    assert_eq!(out.lines().count(), 5);
    assert!(stderr.contains("no central directory"), "{stderr}");
}

#[test]
fn a_bomb_stops_at_the_size_limit_with_an_error_naming_it() {
    // 64 MB of review-like text, compressed to a few hundred kilobytes.
    let line = r#"{"text":"same again and again","stars":5}"#.to_string() + "\n";
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..(64 << 20) / line.len() {
        e.write_all(line.as_bytes()).expect("gzip");
    }
    let bomb = e.finish().expect("gzip");
    assert!(bomb.len() < 1 << 20);
    let (_dir, path) = temp_file("small.json.gz", &bomb);
    let out = revue()
        .arg(&path)
        .args(["--max-size", "8M", "--format", "jsonl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("decompresses to more than the 8 MiB limit (raise it with --max-size)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn folders_of_part_files_read_as_one_document_without_their_bookkeeping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let lines: Vec<&str> = std::str::from_utf8(&read_data("foreign/yelp.jsonl"))
        .expect("UTF-8")
        .lines()
        .map(|l| Box::leak(l.to_string().into_boxed_str()) as &str)
        .collect();
    let write = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("_SUCCESS", "");
    write(".part-00000.json.crc", "\u{0}crc");
    write("part-00010.json", &format!("{}\n", lines[4]));
    write("part-00002.json", &format!("{}\n{}\n", lines[2], lines[3]));
    write("part-00000.json", &format!("{}\n{}\n", lines[0], lines[1]));
    let (out, stderr) = jsonl(&[path_str(root)]);
    assert!(stderr.is_empty(), "{stderr}");
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), 5);
    // Path order, numbers in natural order: 0, 2, 10.
    for (i, line) in got.iter().enumerate() {
        let stars = serde_json::from_str::<serde_json::Value>(lines[i]).expect("json")["stars"]
            .as_f64()
            .expect("stars");
        let rating = serde_json::from_str::<serde_json::Value>(line).expect("json")["rating"]
            .as_f64()
            .expect("rating");
        assert!((stars - rating).abs() < f64::EPSILON, "{i}: {line}");
    }
    let said = explain(&[path_str(root)]);
    assert!(
        said.contains("skipped: .part-00000.json.crc, _SUCCESS"),
        "{said}"
    );
}

#[test]
fn the_stanford_layout_reads_ratings_verdicts_links_and_films() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("aclImdb");
    let write = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("README", "Large Movie Review Dataset v1.0");
    write("imdb.vocab", "the\nand\n");
    write("train/labeledBow.feat", "0:9 1:1\n");
    write(
        "train/pos/0_9.txt",
        "Bromwell High is a cartoon comedy.<br /><br />It ran \u{96} briefly.",
    );
    write("train/pos/10_7.txt", "Tenth.");
    write("train/pos/2_8.txt", "Second.");
    write("train/neg/1_3.txt", "Story of a man.");
    write("train/unsup/0_0.txt", "Unrated words.");
    let mut urls = String::new();
    for i in 0..11 {
        let _ = writeln!(
            urls,
            "http://www.imdb.com/title/tt{:07}/usercomments",
            100 + i
        );
    }
    write("train/urls_pos.txt", &urls);
    let (out, stderr) = jsonl(&[path_str(&root)]);
    assert!(stderr.is_empty(), "{stderr}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), 5);
    // neg before pos before unsup; in pos, 0, 2, 10.
    assert_eq!(rows[0]["verdict"], "negative");
    assert_eq!(rows[0]["rating"], 3);
    assert_eq!(
        rows[1]["body"],
        "Bromwell High is a cartoon comedy.\n\nIt ran \u{2013} briefly."
    );
    assert_eq!(rows[1]["rating"], 9);
    assert_eq!(
        rows[1]["permalink"],
        "http://www.imdb.com/title/tt0000100/usercomments"
    );
    assert_eq!(rows[1]["film"], "tt0000100");
    assert_eq!(rows[2]["body"], "Second.");
    assert_eq!(rows[3]["body"], "Tenth.");
    assert_eq!(rows[3]["film"], "tt0000110");
    assert!(rows[4]["rating"].is_null() && rows[4]["verdict"].is_null());
    // The same tree in a .tar.gz, as Stanford ships it.
    let mut members = Vec::new();
    for entry in walk(&root) {
        let rel = entry
            .strip_prefix(dir.path())
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        members.push((rel, std::fs::read(&entry).expect("read")));
    }
    let listed: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (_d, path) = temp_file("aclImdb_v1.tar.gz", &gzip(&tar(&listed)));
    let (from_tar, _) = jsonl(&[path_str(&path)]);
    assert_eq!(from_tar.lines().count(), 5);
    assert_eq!(
        from_tar
            .lines()
            .map(|l| l.split("\"film\"").next().unwrap_or_default())
            .collect::<Vec<_>>(),
        out.lines()
            .map(|l| l.split("\"film\"").next().unwrap_or_default())
            .collect::<Vec<_>>()
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn parquet_columns_read_by_the_mapping_nested_lists_timestamps_dictionaries_nulls() {
    use arrow_array::builder::{Int64Builder, ListBuilder, StringDictionaryBuilder};
    use arrow_array::types::Int32Type;
    use arrow_array::{
        ArrayRef, Float64Array, RecordBatch, StringArray, StructArray, TimestampMillisecondArray,
    };
    use arrow_schema::{DataType, Field};

    let text: ArrayRef = Arc::new(StringArray::from(vec![
        Some("Loved it, \u{96} truly."),
        Some("Broke in a week."),
        None,
        Some("Fine."),
    ]));
    let mut helpful = ListBuilder::new(Int64Builder::new());
    for pair in [[2, 3], [0, 5], [1, 1], [7, 7]] {
        helpful.values().append_slice(&pair);
        helpful.append(true);
    }
    let helpful: ArrayRef = Arc::new(helpful.finish());
    let mut product = StringDictionaryBuilder::<Int32Type>::new();
    for p in ["B001", "B002", "B001", "B001"] {
        product.append_value(p);
    }
    let product: ArrayRef = Arc::new(product.finish());
    let overall: ArrayRef = Arc::new(Float64Array::from(vec![5.0, 1.0, 3.0, 4.0]));
    // 2014-02-28 and on, in milliseconds, with a zone.
    let time: ArrayRef = Arc::new(
        TimestampMillisecondArray::from(vec![
            1_393_545_600_000,
            1_393_632_000_000,
            0,
            1_500_000_000_000,
        ])
        .with_timezone("UTC"),
    );
    let name: ArrayRef = Arc::new(StringArray::from(vec![
        Some("Ann"),
        None,
        Some("Cy"),
        Some("Di"),
    ]));
    let reviewer: ArrayRef = Arc::new(StructArray::from(vec![(
        Arc::new(Field::new("name", DataType::Utf8, true)),
        name,
    )]));
    let batch = RecordBatch::try_from_iter(vec![
        ("reviewText", text),
        ("helpful", helpful),
        ("asin", product),
        ("overall", overall),
        ("reviewTime", time),
        ("reviewer", reviewer),
    ])
    .expect("batch");
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(2))
        .build();
    let mut bytes = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props))
        .expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
    let (_dir, path) = temp_file("train-00000-of-00001.parquet", &bytes);
    let (out, stderr) = jsonl(&[
        path_str(&path),
        "--map",
        "body=reviewText,rating=overall,helpful=helpful,film=asin,date=reviewTime,author=reviewer.name",
        "--rating-scale",
        "5",
    ]);
    assert!(stderr.is_empty(), "{stderr}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // The row without text has a rating: it is a review with an empty body.
    assert_eq!(rows.len(), 4, "{out}");
    assert_eq!(rows[0]["body"], "Loved it, \u{2013} truly.");
    assert_eq!(rows[0]["helpful"], 2);
    assert_eq!(rows[0]["not_helpful"], 1);
    assert_eq!(rows[0]["date"], "2014-02-28");
    assert_eq!(rows[0]["film"], "B001");
    assert_eq!(rows[0]["author"], "Ann");
    assert_eq!(rows[1]["author"], "");
    assert_eq!(rows[1]["rating"], 1);
    assert_eq!(rows[3]["date"], "2017-07-14");
    let said = explain(&[
        path_str(&path),
        "--map",
        "body=reviewText",
        "--rating-scale",
        "5",
    ]);
    assert!(said.contains("format:   Parquet"), "{said}");
    // Hugging Face's stanfordnlp/imdb: `text` and `label`, found by the preset.
    let batch = RecordBatch::try_from_iter(vec![
        (
            "text",
            Arc::new(StringArray::from(vec!["Great.", "Awful."])) as ArrayRef,
        ),
        (
            "label",
            Arc::new(arrow_array::Int64Array::from(vec![1, 0])) as ArrayRef,
        ),
    ])
    .expect("batch");
    let mut bytes = Vec::new();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), None).expect("writer");
    w.write(&batch).expect("write");
    w.close().expect("close");
    let (_dir, path) = temp_file("imdb.parquet", &bytes);
    let (out, _) = jsonl(&[path_str(&path)]);
    assert!(
        out.contains("\"verdict\":\"positive\"") && out.contains("\"verdict\":\"negative\""),
        "{out}"
    );
    // The same file inside a zip, and piped.
    let zipped = zip(&[("train-00000-of-00001.parquet", &bytes)]);
    let (_dir, path) = temp_file("imdb.zip", &zipped);
    assert_eq!(
        jsonl(&[path_str(&path)]).0,
        out.replace("imdb.parquet", "train-00000-of-00001.parquet")
    );
    let (ok, piped, err) = run_piped(&["--format", "jsonl"], Some(bytes));
    assert!(ok, "{err}");
    assert_eq!(String::from_utf8(piped).expect("UTF-8").lines().count(), 2);
    // A corrupt one is one error line.
    let mut broken = zipped.clone();
    let at = broken.len() / 2;
    for b in &mut broken[at..at + 16] {
        *b = 0xff;
    }
    let out = revue()
        .arg(temp_file("x.zip", &broken).1)
        .arg("--stats")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn encodings_are_detected_or_named_and_c1_punctuation_is_repaired() {
    // Saved by Excel: Windows-1252.
    let excel = b"review,sentiment\n\"Caf\xe9 \x96 great, \x93the best\x94\",positive\n".to_vec();
    let (_dir, path) = temp_file("excel.csv", &excel);
    let (out, stderr) = jsonl(&[path_str(&path)]);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(out.contains("Café – great, “the best”"), "{out}");
    assert!(explain(&[path_str(&path)]).contains("encoding: windows-1252, detected"));
    // Named: the same bytes as Latin-1 keep their C1 bytes, which are then shown as the
    // Windows-1252 punctuation they stand for.
    let (named, _) = jsonl(&[path_str(&path), "--encoding", "latin1"]);
    assert!(named.contains("Café – great"), "{named}");
    // UTF-8 holding C1 controls (the Stanford data): repaired in the output, and counted.
    let stanford =
        "review,sentiment\n\"It ran \u{96} and ran\u{85} the end \u{97} \u{81}\",negative\n";
    let (_dir, path) = temp_file("tfds.csv", stanford.as_bytes());
    let (out, _) = jsonl(&[path_str(&path)]);
    assert!(
        out.contains("It ran – and ran… the end — <U+0081>"),
        "{out}"
    );
    assert!(explain(&[path_str(&path)]).contains("note:     4 C1 control characters"));
    // UTF-16 without a byte-order mark is named, and then read (its format told once
    // decoded).
    let utf16: Vec<u8> = "review,sentiment\n\"Great film\",positive\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (_dir, path) = temp_file("utf16.csv", &utf16);
    let (out, _) = jsonl(&[path_str(&path), "--encoding", "utf-16le"]);
    assert!(out.contains("\"body\":\"Great film\""), "{out}");
    // An unknown name is a usage error.
    let out = revue()
        .args(["--encoding", "klingon", "--stats"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn replies_and_one_column_scrapes_keep_what_the_source_holds() {
    let (_dir, path) = temp_file("play.csv", &read_data("foreign/google-play.csv"));
    let (out, _) = jsonl(&[path_str(&path)]);
    assert!(
        out.contains("\"reply\":\"Hi Tom, sorry about this!"),
        "{out}"
    );
    assert!(out.contains("\"reply_date\":\""), "{out}");
    // A review without a reply carries no reply key.
    assert!(out.lines().any(|l| !l.contains("\"reply\"")), "{out}");
    // Back through JSON Lines and CSV, unchanged.
    let (dir, again) = temp_file("again.jsonl", out.as_bytes());
    let (round, _) = jsonl(&[path_str(&again)]);
    assert_eq!(round, out.replace("play.csv", "again.jsonl"));
    let csv = revue()
        .arg(&again)
        .args(["--format", "csv"])
        .output()
        .expect("runs")
        .stdout;
    let as_csv = dir.path().join("again.csv");
    std::fs::write(&as_csv, csv).expect("write");
    let (from_csv, _) = jsonl(&[path_str(&as_csv)]);
    assert_eq!(from_csv.replace("again.csv", "again.jsonl"), round);
    // A quick scrape: one column, headed `Review`.
    let (_dir, path) = temp_file(
        "scrape.csv",
        b"Review\n\"Great film, loved it\"\n\"Boring\"\n",
    );
    let (out, _) = jsonl(&[path_str(&path)]);
    assert_eq!(out.lines().count(), 2);
    assert!(out.contains("\"body\":\"Great film, loved it\""));
}

/// Inputs the `containers` fuzzer found (TESTING.md): a bzip2 stream whose decoder panicked
/// (an abort, through its `extern "C"` frame) when read again after it failed; a tar header
/// whose raw bytes reached a warning; members that together went past `--max-size`.
#[test]
fn what_the_container_fuzzer_found() {
    let out = revue()
        .arg(crate::harness::data(
            "shipped/damaged-bzip2-that-panicked.bz2",
        ))
        .arg("--stats")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("the bzip2 stream is damaged"), "{stderr}");

    let out = revue()
        .arg(crate::harness::data(
            "shipped/tar-with-raw-bytes-in-a-header.tar",
        ))
        .arg("--stats")
        .output()
        .expect("runs");
    let stderr = String::from_utf8(out.stderr).expect("revue writes UTF-8");
    assert!(stderr.contains("the tar archive is damaged"), "{stderr}");
    assert!(
        !stderr
            .chars()
            .any(|c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))),
        "{stderr:?}"
    );

    // Three members of 4 MB each, 12 MB together, under an 8 MB cap.
    let line = r#"{"text":"the same words again","stars":4}"#.to_string() + "\n";
    let member = line.repeat((4 << 20) / line.len());
    let bytes = gzip(&tar(&[
        ("a.json", member.as_bytes()),
        ("b.json", member.as_bytes()),
        ("c.json", member.as_bytes()),
    ]));
    let (_dir, path) = temp_file("parts.tar.gz", &bytes);
    let out = revue()
        .arg(&path)
        .args(["--max-size", "8M", "--stats"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("decompresses to more than the 8 MiB limit"),
        "{out:?}"
    );
}
