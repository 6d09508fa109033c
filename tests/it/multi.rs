//! Several documents at once through the binary: each review keeps its film through every
//! export and back, `--film` narrows to one, and one bad file does not stop the others.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::{SAMPLES, data_arg as data, json, revue_output as revue, run_piped as run};

/// What `revue tests/data/*.html tests/data/*.txt` opens, in the shell's order.
fn samples() -> Vec<String> {
    SAMPLES.map(data).to_vec()
}

fn args(files: &[String], rest: &[&str]) -> Vec<String> {
    files
        .iter()
        .cloned()
        .chain(rest.iter().map(ToString::to_string))
        .collect()
}

/// How many reviews each film has.
fn per_film(doc: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for review in doc["reviews"].as_array().expect("reviews") {
        let film = review["film"]
            .as_str()
            .expect("every review names its film");
        *counts.entry(film.to_string()).or_default() += 1;
    }
    counts
}

#[test]
fn three_documents_give_38_reviews_each_with_its_film() {
    let doc = json(&revue(&args(&samples(), &["--format", "json"]), None));
    assert_eq!(doc["reviews"].as_array().map(Vec::len), Some(38));
    let expected = BTreeMap::from([
        ("Pusher II".to_string(), 25),
        ("imdb-2024-layout-worlds-end.html".to_string(), 12),
        ("imdb-legacy-layout-review.html".to_string(), 1),
    ]);
    assert_eq!(per_film(&doc), expected);
    // The envelope describes one film; with three it names none.
    assert_eq!(doc["title"], Value::Null);
    assert_eq!(doc["review_count"], Value::Null);
}

#[test]
fn jsonl_and_csv_carry_the_film_too() {
    let jsonl = revue(&args(&samples(), &["--format", "jsonl"]), None);
    let lines: Vec<Value> = jsonl
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(json)
        .collect();
    assert_eq!(lines.len(), 38);
    assert!(lines.iter().all(|r| r["film"].is_string()));

    let csv =
        String::from_utf8(revue(&args(&samples(), &["--format", "csv"]), None)).expect("utf-8");
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink,\
         film,film_year,film_review_count"
    );
    // With several documents `film` is each one's label, as in JSON; year and count follow.
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("row").iter().skip(9).map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 38);
    assert!(rows.contains(&vec!["Pusher II".into(), "2004".into(), "44".into()]));
    assert!(rows.contains(&vec![
        "imdb-2024-layout-worlds-end.html".into(),
        String::new(),
        "572".into()
    ]));

    let markdown = String::from_utf8(revue(
        &args(&samples(), &["--format", "markdown", "--film", "legacy"]),
        None,
    ))
    .expect("utf-8");
    assert!(markdown.contains("*imdb-legacy-layout-review.html · by magow-01 · 2018-08-31"));
}

#[test]
fn one_document_names_its_film_in_the_envelope_or_on_every_line() {
    let one = vec![data("pusher-ii-reviews.txt")];
    let doc = json(&revue(&args(&one, &["--format", "json"]), None));
    assert!(
        doc["reviews"]
            .as_array()
            .expect("reviews")
            .iter()
            .all(|r| r.get("film").is_none())
    );
    // JSON Lines has no envelope: every line says the film, its year and the page's count.
    let jsonl = String::from_utf8(revue(&args(&one, &["--format", "jsonl"]), None)).expect("utf-8");
    assert_eq!(jsonl.lines().count(), 25);
    assert!(jsonl.lines().all(|line| {
        line.ends_with(r#""film":"Pusher II","film_year":2004,"film_review_count":44}"#)
    }));
}

#[test]
fn every_export_reads_back_into_the_same_films() {
    let direct = revue(&args(&samples(), &["--format", "json"]), None);
    for format in ["json", "jsonl", "csv"] {
        let exported = revue(&args(&samples(), &["--format", format]), None);
        let back = revue(&args(&["-".into()], &["--format", "json"]), Some(exported));
        assert_eq!(
            String::from_utf8_lossy(&back),
            String::from_utf8_lossy(&direct),
            "{format}"
        );
    }
}

#[test]
fn csv_of_several_documents_reads_back_what_each_says_about_its_film() {
    let csv = revue(&args(&samples(), &["--format", "csv"]), None);
    let loaded = revue::load::load_bytes(csv, "-", None).expect("loads");
    assert_eq!(loaded.warnings, []);
    let sources: Vec<_> = loaded
        .document
        .sources
        .iter()
        .map(|s| (s.label.as_str(), s.year, s.review_count))
        .collect();
    assert_eq!(
        sources,
        [
            ("imdb-2024-layout-worlds-end.html", None, Some(572)),
            ("imdb-legacy-layout-review.html", None, None),
            ("Pusher II", Some(2004), Some(44)),
        ]
    );
}

#[test]
fn film_keeps_the_documents_whose_label_contains_the_text_in_any_case() {
    let count = |film: &str| {
        let doc = json(&revue(
            &args(&samples(), &["--format", "json", "--film", film]),
            None,
        ));
        per_film(&doc)
    };
    assert_eq!(
        count("PUSHER"),
        BTreeMap::from([("Pusher II".to_string(), 25)])
    );
    assert_eq!(count("layout").values().sum::<usize>(), 13);
    assert_eq!(count("no such film"), BTreeMap::new());
    // After a round trip the films are sources again, so the filter still works.
    let csv = revue(&args(&samples(), &["--format", "csv"]), None);
    let doc = json(&revue(
        &args(&["-".into()], &["--format", "json", "--film", "worlds-end"]),
        Some(csv),
    ));
    assert_eq!(
        per_film(&doc),
        BTreeMap::from([("imdb-2024-layout-worlds-end.html".to_string(), 12)])
    );
}

#[test]
fn a_document_that_fails_is_reported_and_the_others_still_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("empty-page.html");
    std::fs::write(
        &bad,
        "<html><body><p>Sign in to see reviews</p></body></html>",
    )
    .expect("write");
    let files = vec![
        bad.to_string_lossy().into_owned(),
        data("imdb-legacy-layout-review.html"),
    ];
    let (ok, stdout, stderr) = run(&args(&files, &["--format", "jsonl"]), None);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
        1
    );
    assert!(
        stderr.contains("empty-page.html: no reviews found in this HTML page"),
        "{stderr}"
    );

    let (ok, _, stderr) = run(&args(&files[..1], &["--format", "json"]), None);
    assert!(!ok, "nothing loaded is a failure");
    assert!(
        stderr.contains("expected an IMDb user-reviews page"),
        "{stderr}"
    );
}

#[test]
fn input_format_overrides_detection() {
    let page = vec![data("imdb-legacy-layout-review.html")];
    let (ok, _, stderr) = run(
        &args(&page, &["--input-format", "csv", "--format", "json"]),
        None,
    );
    assert!(!ok);
    assert!(
        stderr.contains("has no field revue reads as review text") && stderr.contains("--map"),
        "{stderr}"
    );
    let doc = json(&revue(
        &args(&page, &["--input-format", "html", "--format", "json"]),
        None,
    ));
    assert_eq!(doc["reviews"].as_array().map(Vec::len), Some(1));
}
