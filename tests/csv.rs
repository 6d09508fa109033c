//! The CSV loader: round trips through the binary on the real samples, and the shapes of
//! damaged CSV it must read past (ragged rows, bad values, missing or oddly named columns).

use assert_cmd::cargo::cargo_bin_cmd;
use revue::export::CSV_HEADER;
use revue::load::{Format, LoadError, Loaded, Warning, load_bytes};
use revue::model::Date;

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

const SAMPLES: [&str; 3] = [
    "pusher-ii-reviews.txt",
    "imdb-2024-layout-worlds-end.html",
    "imdb-legacy-layout-review.html",
];

/// `revue ARGS`' standard output, which must be a success.
fn revue(args: &[&str], stdin: Option<Vec<u8>>) -> Vec<u8> {
    let mut cmd = cargo_bin_cmd!("revue");
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let output = cmd.output().expect("revue runs");
    assert!(
        output.status.success(),
        "revue {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("revue writes JSON")
}

#[test]
fn csv_round_trips_every_review_of_every_sample() {
    for sample in SAMPLES {
        let path = data(sample);
        let direct = json(&revue(&[&path, "--format", "json"], None));
        let csv = revue(&[&path, "--format", "csv"], None);
        let back = json(&revue(&["-", "--format", "json"], Some(csv)));
        assert_eq!(back["reviews"], direct["reviews"], "{sample}");
        // CSV has no place for what the page says about its film (FORMATS.md §3 fixes its
        // columns), so that part of the envelope does not survive.
        assert_eq!(back["title"], serde_json::Value::Null, "{sample}");
    }
}

#[test]
fn csv_read_back_writes_the_same_csv() {
    let path = data("pusher-ii-reviews.txt");
    let csv = revue(&[&path, "--format", "csv"], None);
    let once = revue(&["-", "--format", "csv"], Some(csv.clone()));
    assert_eq!(
        String::from_utf8_lossy(&once),
        String::from_utf8_lossy(&csv)
    );
}

#[test]
fn single_document_csv_has_exactly_the_documented_columns() {
    let csv = revue(&[&data("pusher-ii-reviews.txt"), "--format", "csv"], None);
    let text = String::from_utf8(csv).expect("utf-8");
    let header = text.lines().next().expect("a header");
    assert_eq!(header, CSV_HEADER.join(","));
}

fn load_csv(text: &str) -> Result<Loaded, LoadError> {
    load_bytes(text.as_bytes().to_vec(), "reviews.csv", None)
}

fn load_ok(text: &str) -> Loaded {
    load_csv(text).expect("the CSV loads")
}

fn warning(line: usize, message: &str) -> Warning {
    Warning {
        line: Some(line),
        message: message.into(),
    }
}

#[test]
fn header_names_match_in_any_case_and_order_and_optional_columns_may_be_missing() {
    let text = "Body,TITLE,Rating\n\"one\ntwo\",First,8\nthree,Second,\n";
    assert_eq!(
        revue::load::detect(text),
        Format::Csv,
        "detected by its header"
    );
    let Loaded { document, warnings } = load_ok(text);
    assert_eq!(warnings, []);
    assert_eq!(document.reviews.len(), 2);
    let [a, b] = [&document.reviews[0], &document.reviews[1]];
    assert_eq!(document.title(a), "First");
    assert_eq!(document.body(a), "one\ntwo");
    assert_eq!(a.rating, Some(8));
    assert_eq!(document.title(b), "Second");
    assert_eq!(b.rating, None);
    // Columns that are not there leave their fields empty.
    assert_eq!(document.author(a), "");
    assert_eq!(a.date, None);
    assert!(!a.spoiler);
    assert_eq!((a.helpful, a.not_helpful), (0, 0));
    assert_eq!(document.permalink(a), None);
}

#[test]
fn ragged_rows_are_warnings_with_line_numbers_not_the_end_of_the_load() {
    let text = "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink\n\
                8,Good,ann,2020-01-02,false,3,1,Fine,\n\
                9,Too long,bob,2020-01-03,false,1,0,a,b,c\n\
                7,Cut short,cat\n\
                \"10\",\"Multi\nline\",dan,2021-05-06,TRUE,\"1,413\",184,\"x\n\ny\",https://example.com/r\n\
                6,After,eve,2022-02-03,false,0,0,z,\n";
    let Loaded { document, warnings } = load_ok(text);
    assert_eq!(
        warnings,
        [
            warning(3, "row has 10 fields but the header has 9; skipped"),
            warning(
                4,
                "row has 3 fields but the header has 9; the missing ones are left empty"
            ),
        ]
    );
    let titles: Vec<&str> = document.reviews.iter().map(|r| document.title(r)).collect();
    assert_eq!(titles, ["Good", "Cut short", "Multi\nline", "After"]);
    let cut = &document.reviews[1];
    assert_eq!((cut.rating, document.author(cut)), (Some(7), "cat"));
    assert_eq!(cut.date, None);
    let multi = &document.reviews[2];
    assert_eq!(multi.rating, Some(10));
    assert!(multi.spoiler);
    assert_eq!((multi.helpful, multi.not_helpful), (1413, 184));
    assert_eq!(document.body(multi), "x\n\ny");
    assert_eq!(document.permalink(multi), Some("https://example.com/r"));
    assert_eq!(multi.date, Date::new(2021, 5, 6));
}

#[test]
fn bad_values_are_warnings_and_the_row_keeps_its_other_fields() {
    let text = "title,rating,date,spoiler,helpful,not_helpful\n\
                a,11,2020-02-30,maybe,many,-1\n\
                b,0,02/03/2020,false,1,2\n\
                c,7/10,2020-03-04,yes,1,2\n";
    let Loaded { document, warnings } = load_ok(text);
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "2: rating \"11\" is not from 1 to 10; left empty",
            "2: date \"2020-02-30\" is not YYYY-MM-DD; left empty",
            "2: spoiler \"maybe\" is not true or false; read as false",
            "2: helpful \"many\" is not a count; read as 0",
            "2: not_helpful \"-1\" is not a count; read as 0",
            "3: rating \"0\" is not from 1 to 10; left empty",
            "3: date \"02/03/2020\" is not YYYY-MM-DD; left empty",
        ]
    );
    assert_eq!(document.reviews.len(), 3);
    let c = &document.reviews[2];
    assert_eq!((c.rating, c.spoiler), (Some(7), true));
}

#[test]
fn text_is_sanitized() {
    let text = "title,author,body\n\"\u{1b}[31mred\",\u{202e}evil,\"bell\u{7}\r\nnext\"\n";
    let Loaded { document, .. } = load_ok(text);
    let r = &document.reviews[0];
    assert_eq!(document.title(r), "\u{241b}[31mred");
    assert_eq!(document.author(r), "<U+202E>evil");
    assert_eq!(document.body(r), "bell\u{2407}\nnext");
}

#[test]
fn a_film_column_gives_each_film_its_own_source() {
    let text = "title,author,film\na,,Pusher II\nb,,Stree\nc,,Pusher II\nd,,\n";
    let Loaded { document, .. } = load_ok(text);
    let labels: Vec<&str> = document.sources.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["reviews.csv", "Pusher II", "Stree"]);
    let films: Vec<&str> = document
        .reviews
        .iter()
        .map(|r| document.source_of(r).map_or("", |s| s.label.as_str()))
        .collect();
    assert_eq!(films, ["Pusher II", "Stree", "Pusher II", "reviews.csv"]);
}

#[test]
fn csv_that_names_no_review_column_or_holds_no_row_is_an_error() {
    let err = load_bytes(b"id,score\n1,2\n".to_vec(), "x.csv", Some(Format::Csv))
        .expect_err("no review columns");
    assert!(
        matches!(&err, LoadError::Syntax { line: 1, message } if message.contains("rating, title")),
        "{err}"
    );
    let err = load_csv("rating,title,author,body\n").expect_err("no rows");
    assert_eq!(
        err,
        LoadError::NoReviews {
            format: Format::Csv
        }
    );
    assert!(err.to_string().contains("CSV"));
}
