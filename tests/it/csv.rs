//! The CSV loader: round trips through the binary on the real samples (byte for byte, film
//! title, year and review count included), and the shapes of damaged CSV it must read past
//! (ragged rows, bad values, missing or oddly named columns, exports older than the film
//! columns).

use assert_cmd::cargo::cargo_bin_cmd;
use revue::export::{CSV_FILM_COLUMNS, CSV_HEADER};
use revue::load::{Format, LoadError, Loaded, Warning, load_bytes};
use revue::model::{Date, Rating};

use crate::harness::{data_arg as data, json};

const SAMPLES: [&str; 3] = [
    "pusher-ii-reviews.txt",
    "imdb-2024-layout-worlds-end.html",
    "imdb-legacy-layout-review.html",
];

/// `revue ARGS`' standard output, which must be a success.
fn revue(args: &[&str], stdin: Option<Vec<u8>>) -> Vec<u8> {
    crate::harness::revue_output(args, stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("revue writes UTF-8")
}

/// `revue FILES --format csv | revue - --format json` must print exactly what
/// `revue FILES --format json` does.
fn assert_csv_round_trips(files: &[&str]) {
    let paths: Vec<String> = files.iter().map(|f| data(f)).collect();
    let args = |format| {
        let mut args: Vec<&str> = paths.iter().map(String::as_str).collect();
        args.extend(["--format", format]);
        args
    };
    let direct = revue(&args("json"), None);
    let csv = revue(&args("csv"), None);
    let back = revue(&["-", "--format", "json"], Some(csv));
    assert_eq!(text(&back), text(&direct), "{files:?}");
}

#[test]
fn copied_text_sample_round_trips_through_csv_with_its_film() {
    assert_csv_round_trips(&["pusher-ii-reviews.txt"]);
    // What the round trip has to keep: the envelope JSON has and CSV used to lose.
    let direct = json(&revue(
        &[&data("pusher-ii-reviews.txt"), "--format", "json"],
        None,
    ));
    assert_eq!(direct["title"], "Pusher II");
    assert_eq!(direct["year"], 2004);
    assert_eq!(direct["review_count"], 44);
}

#[test]
fn html_2024_sample_round_trips_through_csv() {
    assert_csv_round_trips(&["imdb-2024-layout-worlds-end.html"]);
}

#[test]
fn legacy_html_sample_round_trips_through_csv() {
    assert_csv_round_trips(&["imdb-legacy-layout-review.html"]);
}

#[test]
fn all_three_samples_round_trip_through_csv_together() {
    assert_csv_round_trips(&SAMPLES);
}

#[test]
fn csv_read_back_writes_the_same_csv() {
    for sample in SAMPLES {
        let csv = revue(&[&data(sample), "--format", "csv"], None);
        let once = revue(&["-", "--format", "csv"], Some(csv.clone()));
        assert_eq!(text(&once), text(&csv), "{sample}");
    }
}

/// The cells of a row after the nine review columns.
fn film_cells(row: &csv::StringRecord) -> Vec<&str> {
    row.iter().skip(CSV_HEADER.len()).collect()
}

#[test]
fn csv_has_the_review_columns_then_the_film_columns() {
    let csv = text(&revue(
        &[&data("pusher-ii-reviews.txt"), "--format", "csv"],
        None,
    ));
    let header = csv.lines().next().expect("a header");
    assert_eq!(
        header,
        "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink,\
         film,film_year,film_review_count"
    );
    let expected: Vec<&str> = CSV_HEADER
        .iter()
        .chain(&CSV_FILM_COLUMNS)
        .copied()
        .collect();
    assert_eq!(header, expected.join(","));
    // Every row names the film the page is about: title, year, the page's review count.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 25);
    for row in &rows {
        assert_eq!(film_cells(row), ["Pusher II", "2004", "44"]);
    }
    // A page that names no film leaves `film` empty and still says what it does know.
    let csv = revue(
        &[&data("imdb-2024-layout-worlds-end.html"), "--format", "csv"],
        None,
    );
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let first = reader.records().next().expect("a row").expect("row");
    assert_eq!(film_cells(&first), ["", "", "572"]);
}

#[test]
fn csv_without_the_film_columns_still_loads() {
    // An export from before the film columns: the nine review columns only.
    let path = data("pusher-ii-reviews.txt");
    let csv = revue(&[&path, "--format", "csv"], None);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(reader.headers().expect("header").iter().take(9))
        .expect("write");
    for row in reader.records() {
        writer
            .write_record(row.expect("row").iter().take(9))
            .expect("write");
    }
    let old = writer.into_inner().expect("flush");
    assert!(text(&old).starts_with(&format!("{}\n", CSV_HEADER.join(","))));

    let output = cargo_bin_cmd!("revue")
        .args(["-", "--format", "json"])
        .write_stdin(old)
        .output()
        .expect("revue runs");
    assert!(output.status.success());
    assert_eq!(
        text(&output.stderr),
        "",
        "no warning for the missing columns"
    );
    let back = json(&output.stdout);
    let direct = json(&revue(&[&path, "--format", "json"], None));
    assert_eq!(back["reviews"], direct["reviews"]);
    // Nothing in such a file says which film it is about.
    for key in ["title", "year", "review_count"] {
        assert_eq!(back[key], serde_json::Value::Null, "{key}");
    }
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
    let Loaded {
        document, warnings, ..
    } = load_ok(text);
    assert_eq!(warnings, []);
    assert_eq!(document.reviews.len(), 2);
    let [a, b] = [&document.reviews[0], &document.reviews[1]];
    assert_eq!(document.title(a), "First");
    assert_eq!(document.body(a), "one\ntwo");
    assert_eq!(a.rating.map(Rating::whole), Some(8));
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
    let Loaded {
        document, warnings, ..
    } = load_ok(text);
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
    let titles: Vec<String> = document
        .reviews
        .iter()
        .map(|r| document.title(r).into_owned())
        .collect();
    // A title is one line: its line break folds to a space.
    assert_eq!(titles, ["Good", "Cut short", "Multi line", "After"]);
    let cut = &document.reviews[1];
    assert_eq!(
        (cut.rating.map(Rating::whole), &*document.author(cut)),
        (Some(7), "cat")
    );
    assert_eq!(cut.date, None);
    let multi = &document.reviews[2];
    assert_eq!(multi.rating.map(Rating::whole), Some(10));
    assert!(multi.spoiler);
    assert_eq!((multi.helpful, multi.not_helpful), (1413, 184));
    assert_eq!(document.body(multi), "x\n\ny");
    assert_eq!(
        document.permalink(multi).as_deref(),
        Some("https://example.com/r")
    );
    assert_eq!(multi.date, Date::new(2021, 5, 6));
}

#[test]
fn bad_values_are_warnings_and_the_row_keeps_its_other_fields() {
    let text = "title,rating,date,spoiler,helpful,not_helpful\n\
                a,11,2020-02-30,maybe,many,-1\n\
                b,0,02/03/2020,false,1,2\n\
                c,7/10,2020-03-04,yes,1,2\n";
    let Loaded {
        document, warnings, ..
    } = load_ok(text);
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "2: rating \"11\" is not from 1 to 10; left empty",
            "2: date \"2020-02-30\" is not a date like 2020-02-03 or 3 February 2020; left empty",
            "2: spoiler \"maybe\" is not true or false; read as false",
            "2: helpful \"many\" is not a count; read as 0",
            "2: not_helpful \"-1\" is not a count; read as 0",
            "3: rating \"0\" is not from 1 to 10; left empty",
            "3: date \"02/03/2020\" is not a date like 2020-02-03 or 3 February 2020; left empty",
        ]
    );
    assert_eq!(document.reviews.len(), 3);
    let c = &document.reviews[2];
    assert_eq!((c.rating.map(Rating::whole), c.spoiler), (Some(7), true));
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
fn film_columns_give_each_film_its_title_year_and_review_count() {
    let text = "title,film,Film Year,FILM_REVIEW_COUNT\n\
                a,Pusher II,2004,44\n\
                b,Stree,,\n\
                c,Pusher II,2004,44\n\
                d,,2018,\"1,234\"\n";
    let Loaded {
        document, warnings, ..
    } = load_ok(text);
    assert_eq!(warnings, []);
    let sources: Vec<_> = document
        .sources
        .iter()
        .map(|s| (s.label.as_str(), s.title.as_deref(), s.year, s.review_count))
        .collect();
    assert_eq!(
        sources,
        [
            // The rows that name no film belong to the file itself, which names none.
            ("reviews.csv", None, Some(2018), Some(1234)),
            ("Pusher II", Some("Pusher II"), Some(2004), Some(44)),
            ("Stree", Some("Stree"), None, None),
        ]
    );
    // One film: one source, as the JSON of the same document has.
    let Loaded { document, .. } = load_ok("title,film,film_year,film_review_count\na,X,1999,3\n");
    assert_eq!(document.sources.len(), 1);
    let source = &document.sources[0];
    assert_eq!(
        (source.title.as_deref(), source.year, source.review_count),
        (Some("X"), Some(1999), Some(3))
    );
}

#[test]
fn bad_film_years_and_counts_are_warnings_and_leave_them_empty() {
    let text = "title,film,film_year,film_review_count\n\
                a,X,MMIV,lots\n\
                b,X,70000,-3\n";
    let Loaded {
        document, warnings, ..
    } = load_ok(text);
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "2: film_year \"MMIV\" is not a year; left empty",
            "2: film_review_count \"lots\" is not a count; left empty",
            "3: film_year \"70000\" is not a year; left empty",
            "3: film_review_count \"-3\" is not a count; left empty",
        ]
    );
    assert_eq!(document.reviews.len(), 2);
    let source = &document.sources[0];
    assert_eq!((source.year, source.review_count), (None, None));
}

#[test]
fn csv_that_names_no_review_column_or_holds_no_row_is_an_error() {
    let err = load_bytes(b"id,score_x\n1,2\n".to_vec(), "x.csv", Some(Format::Csv))
        .expect_err("no review columns");
    assert!(
        matches!(&err, LoadError::Map(message) if message.contains("its fields: id, score_x") && message.contains("--map")),
        "{err}"
    );
    let err = load_csv("rating,title,author,body\n").expect_err("no rows");
    assert_eq!(
        err,
        LoadError::NoReviews {
            format: Format::Csv,
            reason: None
        }
    );
    assert!(err.to_string().contains("CSV"));
}
