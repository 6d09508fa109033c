//! The real `revue` binary: every output format, every option, the built-in sample and
//! standard input, and the documented message and exit code for each kind of bad input.

use assert_cmd::prelude::*;
use predicates::prelude::*;
use serde_json::Value;

use crate::harness::{EXPECTED, VOTES, path_str, revue, revue_with_stdin, temp_file};

/// Runs revue with `args`, expects success, and returns standard output.
fn run_ok(args: &[&str]) -> String {
    let output = revue().args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "revue {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "revue {args:?} warned"
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The reviews of a `--format jsonl` run on the sample, with `extra` options.
fn sample_reviews(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--format", "jsonl"];
    args.extend_from_slice(extra);
    run_ok(&args)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

fn authors(reviews: &[Value]) -> Vec<String> {
    reviews
        .iter()
        .map(|r| r["author"].as_str().expect("author").to_string())
        .collect()
}

// ---- output formats ----

#[test]
fn json_of_the_built_in_sample() {
    let out = run_ok(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["title"], "Pusher II");
    assert_eq!(doc["year"], 2004);
    assert_eq!(doc["review_count"], 44);
    let reviews = doc["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 25);
    let first = &reviews[0];
    let keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected_keys = revue::export::CSV_HEADER.to_vec();
    expected_keys.sort_unstable(); // serde_json's map is sorted without preserve_order
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected_keys);
    assert_eq!(first["rating"], 8);
    assert_eq!(first["author"], "UlrikSander");
    assert_eq!(first["date"], "2006-03-11");
    assert_eq!(first["spoiler"], false);
    assert_eq!(first["helpful"], 54);
    assert_eq!(first["not_helpful"], 8);
    assert_eq!(first["permalink"], Value::Null);
    assert!(
        first["body"]
            .as_str()
            .expect("body")
            .starts_with("Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy")
    );
    assert_eq!(reviews[17]["title"], "Amazing film..");
    assert_eq!(reviews[17]["rating"], Value::Null);
    // Pretty-printed, in the field order of FORMATS.md §3.
    assert!(out.starts_with(
        "{\n  \"title\": \"Pusher II\",\n  \"year\": 2004,\n  \"review_count\": 44,\n  \"reviews\": [\n    {\n      \"rating\": 8,\n      \"title\": "
    ));
    let first_review = &out[out.find("\"reviews\": [").expect("reviews")..];
    let order: Vec<usize> = [
        "\"rating\"",
        "\"title\"",
        "\"author\"",
        "\"date\"",
        "\"spoiler\"",
        "\"helpful\"",
        "\"not_helpful\"",
        "\"body\"",
        "\"permalink\"",
    ]
    .iter()
    .map(|k| first_review.find(k).expect("field"))
    .collect();
    assert!(order.is_sorted(), "{order:?}");
}

#[test]
fn jsonl_is_one_review_per_line_without_envelope() {
    let out = run_ok(&["--format", "jsonl"]);
    assert_eq!(out.lines().count(), 25);
    assert!(out.ends_with("}\n"));
    for line in out.lines() {
        let review: Value = serde_json::from_str(line).expect("JSON object");
        assert!(review.get("reviews").is_none());
        assert!(review.get("author").is_some());
        assert!(line.starts_with("{\"rating\":"), "{line}");
    }
}

#[test]
fn csv_has_a_header_and_quoted_rows() {
    let out = run_ok(&["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "rating",
            "title",
            "author",
            "date",
            "spoiler",
            "helpful",
            "not_helpful",
            "body",
            "permalink",
            "film",
            "film_year",
            "film_review_count"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 25);
    assert_eq!(&rows[0][2], "UlrikSander");
    assert_eq!(&rows[0][0], "8");
    assert_eq!(&rows[17][0], "", "unrated review has an empty rating");
    assert_eq!(&rows[17][1], "Amazing film..");
    assert_eq!(&rows[6][1], "As powerful as \"once were warriors\"");
    assert!(rows[0][7].contains("\n\n"), "paragraphs survive quoting");
    assert_eq!(&rows[4][4], "true");
    // RFC 4180: the quote in the title is doubled inside a quoted field.
    assert!(out.contains("\"As powerful as \"\"once were warriors\"\"\""));
}

#[test]
fn markdown_has_a_heading_per_review() {
    let out = run_ok(&["--format", "markdown"]);
    assert!(out.starts_with("# Pusher II (2004)\n\n"), "{}", &out[..80]);
    assert_eq!(out.matches("\n## ").count(), 25);
    assert!(
        out.contains(
            "## 8/10 · Nicolas Winding Refn's Pusher 2 is even better than the first one\n"
        )
    );
    assert!(out.contains("## Amazing film..\n"));
    assert!(out.contains("*by Uriah43 · 2024-03-30 · 1 of 1 found this helpful*"));
    assert_eq!(out.matches("**Warning: Spoilers**").count(), 2);
}

// ---- view options ----

/// The key a sort orders by, as the test reads it from the review, most first.
fn sort_value(key: &str, review: &Value) -> Option<f64> {
    let count = |field: &str| review[field].as_u64().expect("count");
    #[allow(clippy::cast_precision_loss)]
    let value = match key {
        "helpful" => {
            let (h, n) = (
                count("helpful") as f64,
                (count("helpful") + count("not_helpful")) as f64,
            );
            if n == 0.0 {
                0.0
            } else {
                let z = 1.959_963_984_540_054_f64;
                let p = h / n;
                (p + z * z / (2.0 * n) - z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt())
                    / (1.0 + z * z / n)
            }
        }
        "votes" => (count("helpful") + count("not_helpful")) as f64,
        "date" => {
            let date = review["date"].as_str()?;
            date.replace('-', "").parse().expect("ISO date")
        }
        "rating" => review["rating"].as_f64()?,
        "length" => review["body"].as_str().expect("body").chars().count() as f64,
        _ => unreachable!("{key}"),
    };
    Some(value)
}

/// Checks one sorted view: ordered by the key (most first, or least first when reversed),
/// reviews without the value last, ties in page order.
fn assert_sorted(key: &str, reverse: bool, view: &[Value], page: &[String]) {
    assert_eq!(view.len(), 25, "{key}: nothing lost");
    let position = |r: &Value| {
        let author = r["author"].as_str().expect("author");
        page.iter().position(|a| a == author).expect("known author")
    };
    let values: Vec<Option<f64>> = view.iter().map(|r| sort_value(key, r)).collect();
    let first_missing = values
        .iter()
        .position(Option::is_none)
        .unwrap_or(values.len());
    assert!(
        values[first_missing..].iter().all(Option::is_none),
        "{key}: reviews without a value come last"
    );
    for i in 1..first_missing {
        let (a, b) = (values[i - 1].expect("value"), values[i].expect("value"));
        let in_order = if reverse { a <= b } else { a >= b };
        assert!(in_order, "{key} reverse={reverse}: {a} then {b} at {i}");
        if (a - b).abs() < 1e-12 {
            assert!(
                position(&view[i - 1]) < position(&view[i]),
                "{key}: tie out of page order at {i}"
            );
        }
    }
    for i in first_missing + 1..view.len() {
        assert!(
            position(&view[i - 1]) < position(&view[i]),
            "{key}: missing values in page order"
        );
    }
}

#[test]
fn every_sort_key_both_ways() {
    let page = authors(&sample_reviews(&[]));
    for key in ["helpful", "votes", "date", "rating", "length"] {
        let view = sample_reviews(&["--sort", key]);
        assert_sorted(key, false, &view, &page);
        let reversed = sample_reviews(&["--sort", key, "--reverse"]);
        assert_sorted(key, true, &reversed, &page);
    }
}

#[test]
fn sort_orders_of_the_sample() {
    let first = |args: &[&str], n: usize| authors(&sample_reviews(args))[..n].to_vec();
    let last = |args: &[&str]| authors(&sample_reviews(args)).pop().expect("a review");
    // Featured is the page order.
    assert_eq!(
        first(&["--sort", "featured"], 3),
        ["UlrikSander", "PAolo-10", "nesfilmreviews"]
    );
    assert_eq!(
        first(&["--sort", "featured", "--reverse"], 2),
        ["evileyereviews", "theshanecarr"]
    );
    // 54 of 62 beats 2 of 2 and 1 of 1.
    assert_eq!(
        first(&["--sort", "helpful"], 5),
        [
            "UlrikSander",
            "PAolo-10",
            "nesfilmreviews",
            "kristianbk",
            "gotchast"
        ]
    );
    assert_eq!(
        first(&["--sort", "votes"], 4),
        ["UlrikSander", "gotchast", "alke-2", "ivansv"]
    );
    assert_eq!(last(&["--sort", "votes"]), "masonfisk");
    assert_eq!(
        first(&["--sort", "date"], 3),
        ["Uriah43", "r96sk", "masonfisk"]
    );
    assert_eq!(
        first(&["--sort", "date", "--reverse"], 2),
        ["ivansv", "alke-2"]
    );
    assert_eq!(
        first(&["--sort", "rating"], 3),
        ["kristianbk", "gotchast", "ocosis"]
    );
    assert_eq!(last(&["--sort", "rating"]), "Jack_Coen");
    assert_eq!(
        first(&["--sort", "rating", "--reverse"], 3),
        ["Uriah43", "peterroeder34", "lastliberal"]
    );
    assert_eq!(last(&["--sort", "rating", "--reverse"]), "Jack_Coen");
    assert_eq!(
        first(&["--sort", "length"], 3),
        ["UlrikSander", "Pjtaylor-96-138044", "theshanecarr"]
    );
    assert_eq!(
        first(&["--sort", "length", "--reverse"], 2),
        ["methodman-70252", "ocosis"]
    );
    // Short options.
    assert_eq!(first(&["-s", "date", "-r"], 1), ["ivansv"]);
}

#[test]
fn rating_filters() {
    let ratings = |spec: &str| -> Vec<u64> {
        sample_reviews(&["--rating", spec])
            .iter()
            .map(|r| r["rating"].as_u64().expect("rated"))
            .collect()
    };
    assert_eq!(ratings("8"), [8; 6]);
    let high = ratings("7-10");
    assert_eq!(high.len(), 20);
    assert!(high.iter().all(|r| (7..=10).contains(r)));
    assert_eq!(ratings("1,2,10"), [10, 10, 10]);
    assert_eq!(ratings("4-5,9"), [9, 9, 5, 9, 9, 4]);
    assert_eq!(ratings("1-3"), Vec::<u64>::new());
}

#[test]
fn bad_rating_specs_are_usage_errors() {
    for (spec, message) in [
        ("0", "`0` is not a rating from 1 to 10"),
        ("11", "`11` is not a rating from 1 to 10"),
        ("x", "`x` is not a rating from 1 to 10"),
        ("9-7", "`9-7` is an empty range"),
        ("", "no rating given"),
        ("1,,2", "`1,,2` has an empty part"),
        ("8-x", "`x` is not a rating from 1 to 10"),
    ] {
        revue()
            .args(["--format", "json", "--rating", spec])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: invalid value '{spec}' for '--rating <RATINGS>': {message}"
            )));
    }
}

#[test]
fn other_usage_errors_exit_2() {
    for args in [
        &["--format", "xml"][..],
        &["--sort", "stars", "--format", "json"],
        &["--input-format", "pdf", "--format", "json"],
        &["--no-such-option"],
        &["--search"],
    ] {
        revue().args(args).assert().code(2).stdout("").stderr(
            predicate::str::starts_with("revue: error: ")
                .and(predicate::str::ends_with("(see revue --help)\n")),
        );
    }
}

#[test]
fn hide_spoilers() {
    let all = sample_reviews(&[]);
    let shown = sample_reviews(&["--hide-spoilers"]);
    assert_eq!(shown.len(), 23);
    assert!(shown.iter().all(|r| r["spoiler"] == false));
    let hidden: Vec<String> = authors(&all)
        .into_iter()
        .filter(|a| !authors(&shown).contains(a))
        .collect();
    assert_eq!(hidden, ["kristianbk", "lastliberal"]);
}

#[test]
fn search_needs_every_word_in_title_author_or_body() {
    let all = sample_reviews(&[]);
    let holds = |r: &Value, word: &str| {
        ["title", "author", "body"]
            .iter()
            .any(|f| r[f].as_str().expect("text").to_lowercase().contains(word))
    };
    for search in [
        "mikkelsen father",
        "BALD",
        "Uriah43",
        "once WERE warriors",
        "fear x refn",
    ] {
        let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
        let expected: Vec<String> = authors(
            &all.iter()
                .filter(|r| words.iter().all(|w| holds(r, w)))
                .cloned()
                .collect::<Vec<_>>(),
        );
        let found = authors(&sample_reviews(&["--search", search]));
        assert!(!found.is_empty(), "{search}");
        assert_eq!(found, expected, "{search}");
    }
    assert_eq!(
        authors(&sample_reviews(&["--search", "uriah43"])),
        ["Uriah43"]
    );
    assert_eq!(sample_reviews(&["--search", "Amazing film.."]).len(), 1);
    assert!(sample_reviews(&["--search", "zzzzqqq"]).is_empty());
}

#[test]
fn options_combine() {
    let view = sample_reviews(&[
        "--rating",
        "7-10",
        "--hide-spoilers",
        "--search",
        "tonny",
        "--sort",
        "date",
    ]);
    assert!(!view.is_empty());
    for r in &view {
        assert!(r["rating"].as_u64().expect("rated") >= 7);
        assert_eq!(r["spoiler"], false);
    }
    let dates: Vec<&str> = view
        .iter()
        .map(|r| r["date"].as_str().expect("date"))
        .collect();
    assert!(dates.is_sorted_by(|a, b| a >= b), "{dates:?}");
}

#[test]
fn stats_of_the_sample() {
    let out = run_ok(&["--stats"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "reviews:  25 loaded; the page lists 44");
    assert_eq!(lines[1], "rating:   mean 7.67, median 8 of 10");
    assert!(out.contains("\n  10/10      3 "));
    assert!(out.contains("\n   8/10      6 "));
    assert!(out.contains("\n   1/10      0 \n"));
    assert!(out.contains("\n  unrated    1\n"));
    assert!(out.contains("\nspoilers: 2\n"));
    assert!(out.contains("\ndates:    2004-12-16 to 2024-03-30\n"));
    assert!(out.contains("\nper year: 2004 1, 2005 5, "));
    let filtered = run_ok(&["--stats", "--rating", "8", "--sort", "date"]);
    assert!(filtered.starts_with("reviews:  6 of 25 loaded; the page lists 44\n"));
    assert!(filtered.contains("rating:   mean 8.00, median 8 of 10\n"));
}

/// `--stats --format json` prints the same figures for scripts; another format next to
/// `--stats` is a usage error, not silently ignored.
#[test]
fn stats_as_json() {
    let out = run_ok(&["--stats", "--format", "json", "--rating", "8-"]);
    let stats: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(stats["reviews"]["shown"], 13);
    assert_eq!(stats["reviews"]["loaded"], 25);
    assert_eq!(stats["reviews"]["page_lists"], 44);
    assert_eq!(stats["rating"]["histogram"]["10"], 3);
    assert_eq!(stats["rating"]["histogram"]["7"], 0);
    assert_eq!(stats["rating"]["median"], 9.0);
    assert_eq!(stats["longest"]["author"], "UlrikSander");
    revue()
        .args(["--stats", "--format", "csv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--stats prints text, or JSON with --format json",
        ));
}

#[test]
fn input_format_overrides_detection() {
    let sample = crate::harness::sample_text();
    let (_dir, path) = temp_file("page.json", sample.as_bytes());
    // The name says JSON, the content says text: detection goes by content.
    assert_eq!(
        run_ok(&[path_str(&path), "--format", "jsonl"])
            .lines()
            .count(),
        25
    );
    assert_eq!(
        run_ok(&[
            path_str(&path),
            "--input-format",
            "text",
            "--format",
            "jsonl"
        ])
        .lines()
        .count(),
        25
    );
    revue()
        .args([
            path_str(&path),
            "--input-format",
            "json",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: {}: line 1: invalid JSON: expected value\n",
            path.display()
        ));
    let jsonl = run_ok(&["--format", "jsonl"]);
    let (_dir2, lines_path) = temp_file("reviews.txt", jsonl.as_bytes());
    assert_eq!(
        run_ok(&[
            path_str(&lines_path),
            "--input-format",
            "jsonl",
            "--format",
            "jsonl"
        ]),
        jsonl
    );
    revue()
        .args([
            path_str(&lines_path),
            "--input-format",
            "text",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stderr(format!(
            "revue: error: {}: no reviews found in this copied IMDb page text {EXPECTED}\n",
            lines_path.display()
        ));
}

// ---- where the document comes from ----

#[test]
fn no_file_and_no_stdin_opens_the_built_in_sample() {
    let out = run_ok(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["title"], "Pusher II");
    assert_eq!(doc["reviews"].as_array().expect("reviews").len(), 25);
}

#[test]
fn pipe_on_stdin_with_no_file_is_read() {
    let out = revue_with_stdin(crate::harness::two_reviews())
        .args(["--format", "jsonl"])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8");
    let reviews: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(authors(&reviews), ["alice", "bob"]);
    assert_eq!(reviews[0]["body"], "First body.\n\nSecond paragraph.");
    assert_eq!(reviews[1]["rating"], Value::Null);
}

#[test]
fn dash_reads_stdin() {
    revue_with_stdin(crate::harness::sample_text())
        .args(["-", "--format", "jsonl"])
        .assert()
        .success()
        .stdout(predicate::function(|out: &str| out.lines().count() == 25));
    // `-` with nothing on standard input is an empty document, not the sample.
    revue()
        .args(["-", "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: <stdin>: the file is empty {EXPECTED}\n"
        ));
}

/// A file several megabytes long is read in place by every thread; the same text through a
/// pipe by one reading thread. Both give the same reviews and the same warnings, numbered
/// by their lines in the whole document.
#[test]
fn a_large_file_reads_the_same_in_place_as_through_a_pipe() {
    let mut text = crate::harness::sample_text().repeat(150);
    text.push_str("8/10\nTitle\nbob11 March 2006\nbody\nPermalink\n");
    text.push_str(&crate::harness::sample_text().repeat(50));
    let (_dir, path) = temp_file("large.txt", text.as_bytes());
    let from_file = revue()
        .args([path_str(&path), "--format", "jsonl"])
        .output()
        .expect("runs");
    let from_pipe = revue_with_stdin(text.clone())
        .args(["-", "--format", "jsonl"])
        .output()
        .expect("runs");
    assert!(from_file.status.success() && from_pipe.status.success());
    assert_eq!(
        from_file.stdout.iter().filter(|&&b| b == b'\n').count(),
        25 * 200 + 1
    );
    assert_eq!(from_file.stdout, from_pipe.stdout);
    let warnings = |stderr: &[u8], name: &str| String::from_utf8_lossy(stderr).replace(name, "DOC");
    let from_file = warnings(&from_file.stderr, path_str(&path));
    assert_eq!(from_file, warnings(&from_pipe.stderr, "<stdin>"));
    // Each copy of the page repeats its header and footer, which warn by line number; the
    // damaged review lies far into the file.
    let line = text[..text.find("bob11").expect("bad block")]
        .matches('\n')
        .count()
        + 1;
    let warning = format!("DOC:{line}: review has no votes line");
    assert!(from_file.contains(&warning), "{from_file}");
}

#[test]
fn several_files_open_as_one_list() {
    let (_dir, path) = temp_file("two.txt", crate::harness::two_reviews().as_bytes());
    let sample = crate::harness::data("pusher-ii-reviews.txt");
    let out = run_ok(&[path_str(&path), path_str(&sample), "--format", "jsonl"]);
    assert_eq!(out.lines().count(), 27);
}

// ---- documents that cannot be read ----

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-page.txt");
    revue()
        .args([path_str(&path), "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!("revue: error: {}: no such file\n", path.display()));
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    revue()
        .args([path_str(dir.path()), "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: {}: is a folder with no files in it to read\n",
            dir.path().display()
        ));
}

#[test]
fn empty_and_blank_files() {
    for content in [&b""[..], b"\n\n  \t\r\n"] {
        let (_dir, path) = temp_file("empty.txt", content);
        revue()
            .args([path_str(&path), "--format", "json"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(format!(
                "revue: error: {}: the file is empty {EXPECTED}\n",
                path.display()
            ));
    }
}

#[test]
fn binary_files() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let (_dir, path) = temp_file("picture.png", png);
    revue()
        .args([path_str(&path), "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: {}: binary data (a NUL byte at offset 8), not a review document {EXPECTED}\n",
            path.display()
        ));
    let (_dir, path) = temp_file("nul.txt", b"text\0more");
    revue()
        .args([path_str(&path), "--stats"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "binary data (a NUL byte at offset 4)",
        ));
}

#[test]
fn text_with_no_reviews() {
    let (_dir, path) = temp_file("notes.txt", b"Shopping list\n\neggs\nmilk\n");
    revue()
        .args([path_str(&path), "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: {}: no reviews found in this copied IMDb page text {EXPECTED}\n",
            path.display()
        ));
}

#[test]
fn invalid_json() {
    let (_dir, path) = temp_file("broken.json", b"{\"reviews\": [\n{\"title\": }\n]}");
    revue()
        .args([path_str(&path), "--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "revue: error: {}: line 2: invalid JSON",
            path.display()
        )));
}

#[test]
fn one_unreadable_file_among_several_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.txt");
    let sample = crate::harness::data("pusher-ii-reviews.txt");
    let assert = revue()
        .args([path_str(&sample), path_str(&missing), "--format", "jsonl"])
        .assert()
        .stderr(format!(
            "revue: error: {}: no such file\n",
            missing.display()
        ));
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(out.lines().count(), 25);
}

// ---- warnings ----

#[test]
fn invalid_utf8_warns_with_file_and_line_and_still_loads() {
    let mut bytes = crate::harness::two_reviews().into_bytes();
    let at = bytes
        .windows(6)
        .position(|w| w == b"Second")
        .expect("second title");
    // Two bad bytes in UTF-8 text (it has its own accents): UTF-8 with damage, not another
    // encoding.
    let mut bad = vec![0xff, 0xfe, b' '];
    bad.extend_from_slice("Déjà vu, café crème: ".as_bytes());
    bytes.splice(at..at, bad);
    let (_dir, path) = temp_file("latin1.txt", &bytes);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    assert_eq!(line, 6, "the bad bytes start the body's second paragraph");
    let output = revue()
        .args([path_str(&path), "--format", "jsonl"])
        .assert()
        .success()
        .stderr(format!(
            "revue: warning: {}:{line}: invalid UTF-8; bad bytes shown as \u{fffd}\n",
            path.display()
        ))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(output).expect("output is UTF-8");
    assert_eq!(out.lines().count(), 2);
    assert!(
        out.contains("\\n\\n\u{fffd}\u{fffd} Déjà vu, café crème: Second paragraph."),
        "{out}"
    );
}

#[test]
fn malformed_review_warns_and_the_rest_loads() {
    let page = format!(
        "8/10\nNo votes here\ncarol2 June 2003\nBody.\nPermalink\n{}",
        crate::harness::two_reviews()
    );
    let (_dir, path) = temp_file("damaged.txt", page.as_bytes());
    let output = revue()
        .args([path_str(&path), "--format", "jsonl"])
        .assert()
        .success()
        .stderr(format!(
            "revue: warning: {}:3: review has no votes line (\"X out of Y found this helpful\")\n",
            path.display()
        ))
        .get_output()
        .stdout
        .clone();
    let reviews: Vec<Value> = String::from_utf8(output)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(authors(&reviews), ["carol", "alice", "bob"]);
    assert_eq!(reviews[0]["helpful"], 0);
}

#[test]
fn warnings_name_stdin() {
    let page = format!("{}stray\nPermalink\n", crate::harness::two_reviews());
    revue_with_stdin(page)
        .args(["--format", "csv"])
        .assert()
        .success()
        .stderr("revue: warning: <stdin>:14: 1 unexpected line between reviews; skipped\n");
}

#[test]
fn escape_sequences_never_reach_the_output() {
    let page = format!(
        "9/10\nRed \u{1b}[31malert\u{1b}[0m\neve\u{1b}]0;title\u{7}1 May 2001\nBody \u{9b}2J \u{202e}gnp.exe\n1 out of 1 {VOTES}\nPermalink\n"
    );
    let (_dir, path) = temp_file("hostile.txt", page.as_bytes());
    for format in ["json", "jsonl", "csv", "markdown"] {
        let out = run_ok(&[path_str(&path), "--format", format]);
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{format}: {out:?}"
        );
        assert!(out.contains('\u{241b}'), "{format}: ESC shown as ␛");
        // Markdown escapes the angle brackets of the placeholders.
        assert!(out.contains("›") && out.contains("U+202E"), "{format}");
    }
}

// ---- round trips ----

#[test]
fn json_round_trip_through_the_binary_is_identical() {
    let first = run_ok(&["--format", "json"]);
    let (_dir, path) = temp_file("pusher.json", first.as_bytes());
    assert_eq!(run_ok(&[path_str(&path), "--format", "json"]), first);
    // Through a pipe as well.
    revue_with_stdin(first.clone())
        .args(["--format", "json"])
        .assert()
        .success()
        .stdout(first);
}

#[test]
fn jsonl_round_trip_through_the_binary_is_identical() {
    let first = run_ok(&["--format", "jsonl"]);
    let (_dir, path) = temp_file("pusher.jsonl", first.as_bytes());
    assert_eq!(run_ok(&[path_str(&path), "--format", "jsonl"]), first);
    revue_with_stdin(first.clone())
        .args(["-", "--format", "jsonl"])
        .assert()
        .success()
        .stdout(first);
}

#[test]
fn sorted_filtered_json_round_trips_too() {
    let first = run_ok(&["--format", "json", "--sort", "helpful", "--rating", "7-10"]);
    let (_dir, path) = temp_file("view.json", first.as_bytes());
    assert_eq!(run_ok(&[path_str(&path), "--format", "json"]), first);
}

// ---- help and version ----

#[test]
fn help_lists_every_option() {
    let out = revue()
        .arg("--help")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8");
    assert!(out.contains("Usage: revue"), "{out}");
    for option in [
        "--format",
        "--stats",
        "--sort",
        "--reverse",
        "--rating",
        "--hide-spoilers",
        "--search",
        "--input-format",
        "--help",
        "--version",
    ] {
        assert!(out.contains(option), "{option} missing from --help");
    }
    for value in [
        "json", "jsonl", "csv", "markdown", "featured", "helpful", "votes", "length",
    ] {
        assert!(out.contains(value), "{value} missing from --help");
    }
    revue()
        .arg("-h")
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: revue"));
}

#[test]
fn version() {
    revue()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("revue {}\n", env!("CARGO_PKG_VERSION")))
        .stderr("");
}

#[test]
fn without_format_and_without_a_terminal_it_says_what_to_do() {
    revue()
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("use --format or --stats"));
}

/// Completion scripts and the manual page come from the same clap definitions as the
/// parsing: each names the options.
#[test]
fn completions_and_the_manual_page_name_the_options() {
    for (shell, opening) in [
        ("bash", "_revue()"),
        ("zsh", "#compdef revue"),
        ("fish", "complete -c revue"),
    ] {
        let script = run_ok(&["--completions", shell]);
        assert!(script.contains(opening), "{shell}: {script:.200}");
        for option in ["hide-spoilers", "format", "rating-scale", "completions"] {
            assert!(script.contains(option), "{shell} lacks {option}");
        }
    }
    let page = run_ok(&["--man"]);
    assert!(page.contains(".TH revue 1"), "{page:.200}");
    for option in ["\\-\\-stats", "\\-\\-hide\\-spoilers", "\\-\\-output"] {
        assert!(page.contains(option), "the manual lacks {option}");
    }
    revue().args(["--completions", "tcsh"]).assert().code(2);
    revue().args(["--man", "--stats"]).assert().code(2);
}
