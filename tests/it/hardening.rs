//! Hardening, round two (issue 14): each fault class an audit found, as a test that failed
//! before its fix. The hostile inputs are made here, not committed.

use std::process::Stdio;

use crate::harness::{revue, temp_file};

/// revue's CSV with one row whose rating is bad: a warning on stderr, and a review.
fn csv_with_a_bad_row() -> Vec<u8> {
    b"title,rating,author,body\nGood,8,ann,fine\nBad,eleven,bob,text\n".to_vec()
}

#[test]
fn a_closed_stderr_loses_the_warning_not_the_run() {
    let (_dir, path) = temp_file("bad.csv", &csv_with_a_bad_row());
    // A pipe whose reader is gone: every write to it fails with EPIPE.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = revue()
        .arg(&path)
        .arg("--stats")
        .stdout(Stdio::piped())
        .stderr(writer)
        .output()
        .expect("run revue");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 loaded"));
    // An error, too, exits with its own status and not a panic's 101.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = revue()
        .args(["/no/such/file", "--stats"])
        .stderr(writer)
        .output()
        .expect("run revue");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

/// Characters that must not reach stderr raw: C1 controls (CSI, OSC without ESC) and bidi
/// overrides.
fn assert_clean(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text
            .chars()
            .any(|c| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{1b}' | '\u{7}')),
        "{text:?}"
    );
}

#[test]
fn hostile_arguments_and_file_names_reach_stderr_sanitized() {
    // Option-like names go through clap's message, the others through revue's own.
    for arg in [
        "--\u{9b}31mX",
        "--x\u{9d}0;evil\u{7}",
        "--\u{202e}gpj.exe",
        "/no/such/\u{202e}gpj.exe",
        "/no/such/\u{9b}2J\u{1b}[31m",
    ] {
        let out = revue().arg(arg).output().expect("run revue");
        assert_ne!(out.status.code(), Some(0), "{arg:?}");
        assert!(!out.stderr.is_empty(), "{arg:?}");
        assert_clean(&out.stderr);
        assert_eq!(
            out.stderr.iter().filter(|&&b| b == b'\n').count(),
            1,
            "{arg:?}"
        );
    }
}

/// A document that could not be opened next to one that could: listed in `w` and counted in
/// the status bar for as long as the app runs, not only in a passing message.
#[test]
fn a_document_that_failed_stays_listed_and_counted() {
    use revue::app::App;
    use revue::collect::{self, Collector};
    use revue::keymap::Action;
    use revue::model::Document;
    use revue::query::Query;
    use revue::read::Input;

    use crate::harness::{render, run, screen};

    // One failure before the app starts, one while it runs.
    let inputs = vec![
        Input::File("/no/such/early".into()),
        Input::Sample,
        Input::File("/no/such/late".into()),
    ];
    let names = inputs.iter().map(ToString::to_string).collect();
    let events = collect::spawn(
        inputs,
        None,
        revue::load::Options::default(),
        u64::MAX,
        None,
    );
    let mut collector = Collector::new(names);
    let mut doc = Document::default();
    let mut warnings = Vec::new();
    let mut later = Vec::new();
    for event in events {
        if doc.reviews.is_empty() {
            collector.apply(&mut doc, &mut warnings, event);
        } else {
            later.push(event);
        }
    }
    let mut app = App::new(doc, Query::default(), warnings).with_loading(collector);
    for event in later {
        app.absorb(event);
    }
    assert_eq!(app.failures().len(), 2);
    let shown = screen(render(&mut app, 120, 30).buffer());
    assert!(shown.contains("2 documents not opened (w)"), "{shown}");
    run(&mut app, &[Action::ToggleWarnings]);
    let shown = screen(render(&mut app, 120, 30).buffer());
    assert!(shown.contains("/no/such/early"), "{shown}");
    assert!(shown.contains("/no/such/late"), "{shown}");
    assert!(shown.contains("not opened: no such file"), "{shown}");
    assert!(!shown.contains("loaded cleanly"), "{shown}");
}

/// Each usage message names what is wrong: the missing option, the bad part of a rating,
/// and a directory on standard input is an error, not the built-in sample.
#[test]
fn usage_messages_name_what_is_wrong() {
    // A value an option does not take: the ones it takes are named.
    let out = revue()
        .args(["--sort", "nope", "--stats"])
        .output()
        .expect("run revue");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("it takes featured, helpful, votes, date, rating, length"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = revue()
        .args(["x.json", "-o", "out.csv"])
        .output()
        .expect("run revue");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("--format") && err.contains("--stats"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = revue()
        .args(["--rating", "8-x", "--stats"])
        .output()
        .expect("run revue");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("`x` is not a rating"), "{err}");
    // An open range is a range.
    let out = revue()
        .args(["--rating", "8-", "--format", "jsonl"])
        .output()
        .expect("run revue");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 13);

    let dir = tempfile::tempdir().expect("temp dir");
    let out = revue()
        .args(["--format", "csv"])
        .stdin(std::fs::File::open(dir.path()).expect("open the directory"))
        .output()
        .expect("run revue");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("<stdin>: is a directory"),
        "{out:?}"
    );
}

/// `n` counts through the new search's matches after the search changes, and Esc puts back
/// the search and the selection from before `/`.
#[test]
fn a_changed_search_restarts_n_and_esc_restores_the_selection() {
    use revue::keymap::Action;

    use crate::harness::{render, run, sample_app};

    let type_search = |app: &mut revue::app::App, text: &str| {
        run(app, &[Action::StartSearch, Action::SearchClear]);
        for c in text.chars() {
            run(app, &[Action::SearchInput(c)]);
        }
        run(app, &[Action::SearchAccept]);
    };
    let mut app = sample_app();
    render(&mut app, 120, 40);
    type_search(&mut app, "and");
    render(&mut app, 120, 40);
    for _ in 0..5 {
        run(&mut app, &[Action::NextMatch]);
    }
    assert_eq!(app.current_match(), Some(4));
    type_search(&mut app, "the");
    render(&mut app, 120, 40);
    run(&mut app, &[Action::NextMatch]);
    assert_eq!(app.current_match(), Some(0));
    assert!(app.message().is_some_and(|m| m.starts_with("match 1 of")));

    let mut app = sample_app();
    render(&mut app, 120, 40);
    for _ in 0..6 {
        run(&mut app, &[Action::SelectNext]);
    }
    let before = app.selected();
    run(&mut app, &[Action::StartSearch]);
    for c in "baseball".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    assert_ne!(app.selected(), before, "the search moved the selection");
    run(&mut app, &[Action::SearchCancel]);
    assert_eq!(app.selected(), before);
    assert!(app.query().search.is_empty());
}

/// The film data of each review (film, year, the page's count) comes out of every format,
/// with one document and with several.
#[test]
fn every_format_carries_the_same_film_data() {
    use crate::harness::{data_arg, json};

    let film_of = |review: &serde_json::Value| {
        (
            review["film"].as_str().map(str::to_string),
            review["film_year"].as_u64(),
            review["film_review_count"].as_u64(),
        )
    };
    let run = |files: &[String], format: &str| {
        let out = revue()
            .args(files)
            .args(["--format", format])
            .output()
            .expect("run revue");
        assert!(out.status.success(), "{out:?}");
        out.stdout
    };
    let one = vec![data_arg("pusher-ii-reviews.txt")];
    let two = vec![
        data_arg("pusher-ii-reviews.txt"),
        data_arg("imdb-2024-layout-worlds-end.html"),
    ];
    for files in [one, two] {
        let lines: Vec<_> = String::from_utf8(run(&files, "jsonl"))
            .expect("utf-8")
            .lines()
            .map(|l| film_of(&serde_json::from_str(l).expect("a JSON line")))
            .collect();
        let doc = json(&run(&files, "json"));
        let from_json: Vec<_> = doc["reviews"]
            .as_array()
            .expect("reviews")
            .iter()
            .map(|r| {
                if files.len() == 1 {
                    (
                        doc["title"].as_str().map(str::to_string),
                        doc["year"].as_u64(),
                        doc["review_count"].as_u64(),
                    )
                } else {
                    film_of(r)
                }
            })
            .collect();
        let csv = run(&files, "csv");
        let mut reader = ::csv::Reader::from_reader(csv.as_slice());
        let from_csv: Vec<_> = reader
            .records()
            .map(|row| {
                let row = row.expect("a CSV row");
                let n = row.len();
                (
                    Some(row[n - 3].to_string()),
                    row[n - 2].parse().ok(),
                    row[n - 1].parse().ok(),
                )
            })
            .collect();
        assert_eq!(lines, from_json, "{files:?}");
        assert_eq!(lines, from_csv, "{files:?}");
        let pusher = (Some(2004), Some(44));
        assert_eq!(
            lines.iter().filter(|(_, y, n)| (*y, *n) == pusher).count(),
            25
        );
    }
}

/// A line break inside a one-line field (title, author) becomes a space: a Markdown heading
/// is never split, a CSV cell never spans lines.
#[test]
fn one_line_fields_fold_their_line_breaks() {
    let review = |title: &str, author: &str| {
        serde_json::json!({"rating": 8, "title": title, "author": author, "date": null,
            "spoiler": false, "helpful": 1, "not_helpful": 0, "body": "one\r\ntwo",
            "permalink": null})
    };
    let doc = serde_json::json!({"title": "Film\rX", "year": null, "review_count": null,
        "reviews": [review("Part one\rPart two", "au\r\nthor"), review("a\u{2028}b", "c\u{2029}d")]});
    let (_dir, path) = temp_file("cr.json", doc.to_string().as_bytes());
    let markdown = revue()
        .arg(&path)
        .args(["--format", "markdown"])
        .output()
        .expect("run revue");
    let markdown = String::from_utf8(markdown.stdout).expect("utf-8");
    assert!(markdown.starts_with("# Film X\n"), "{markdown}");
    assert!(
        markdown.contains("## 8/10 · Part one Part two\n"),
        "{markdown}"
    );
    assert!(markdown.contains("## 8/10 · a b\n"), "{markdown}");
    assert!(markdown.contains("*by au thor ·"), "{markdown}");
    assert!(markdown.contains("*by c d ·"), "{markdown}");
    // The body keeps its lines.
    assert!(markdown.contains("one  \ntwo"), "{markdown}");
}

/// CSV exports are safe to open in a spreadsheet: no text cell starts like a formula, and
/// revue reads its own CSV back exactly.
#[test]
fn csv_exports_never_hold_a_formula_and_read_back_exactly() {
    let review = |title: &str, author: &str, body: &str| {
        serde_json::json!({"rating": 8, "title": title, "author": author, "date": null,
            "spoiler": false, "helpful": 1, "not_helpful": 0, "body": body,
            "permalink": null})
    };
    let doc = serde_json::json!({"title": "=Film", "year": null, "review_count": null,
    "reviews": [
        review("=HYPERLINK(\"http://evil\",\"click\")", "@me", "- one\n\n+two"),
        review("'=quoted already", "-2", "''+twice"),
        review("+1", "plain", "=1+1"),
    ]});
    let (_dir, path) = temp_file("f.json", doc.to_string().as_bytes());
    let json_of = |path: &std::path::Path| {
        revue()
            .arg(path)
            .args(["--format", "json"])
            .output()
            .expect("run revue")
            .stdout
    };
    let csv = revue()
        .arg(&path)
        .args(["--format", "csv"])
        .output()
        .expect("run revue")
        .stdout;
    let mut reader = ::csv::Reader::from_reader(csv.as_slice());
    for row in reader.records() {
        for cell in &row.expect("a row") {
            assert!(
                !matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@')),
                "{cell:?}"
            );
        }
    }
    let (_dir2, csv_path) = temp_file("f.csv", &csv);
    assert_eq!(
        String::from_utf8(json_of(&csv_path)).expect("utf-8"),
        String::from_utf8(json_of(&path)).expect("utf-8")
    );
}

/// Old Mac line endings (CR only) read like LF and CR LF, in every format.
#[test]
fn cr_only_line_endings_read_like_lf() {
    use crate::harness::read_data;

    let jsonl_of = |path: &std::path::Path| {
        let out = revue()
            .arg(path)
            .args(["--format", "jsonl"])
            .output()
            .expect("run revue");
        assert!(out.status.success(), "{path:?}: {out:?}");
        out.stdout
    };
    let sample = read_data("pusher-ii-reviews.txt");
    let exported = |format: &str| {
        revue()
            .args(["--format", format])
            .output()
            .expect("run revue")
            .stdout
    };
    for (name, lf) in [
        ("page.txt", sample),
        ("page.html", read_data("imdb-2024-layout-worlds-end.html")),
        ("reviews.jsonl", exported("jsonl")),
        ("reviews.csv", exported("csv")),
    ] {
        let (_dir, lf_path) = temp_file(name, &lf);
        let cr: Vec<u8> = lf
            .iter()
            .map(|&b| if b == b'\n' { b'\r' } else { b })
            .collect();
        let (_dir2, cr_path) = temp_file(name, &cr);
        let crlf: Vec<u8> = lf
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect();
        let (_dir3, crlf_path) = temp_file(name, &crlf);
        let want = jsonl_of(&lf_path);
        assert!(!want.is_empty());
        assert_eq!(jsonl_of(&cr_path), want, "{name} with CR");
        assert_eq!(jsonl_of(&crlf_path), want, "{name} with CR LF");
    }
}

/// A JSON Lines record with none of revue's fields is not a blank review: it is skipped
/// with a warning naming its line.
#[test]
fn records_with_no_review_field_are_skipped_with_a_warning() {
    let lines = revue()
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue")
        .stdout;
    let lines = String::from_utf8(lines).expect("utf-8");
    let mut mixed: Vec<&str> = lines.lines().take(3).collect();
    mixed.extend(["{}", "{\"x\":1}"]);
    mixed.extend(lines.lines().skip(3).take(2));
    let (_dir, path) = temp_file("mixed.jsonl", mixed.join("\n").as_bytes());
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4: no text, title, rating or verdict: not a review; skipped")
            && err.contains("5: no text, title, rating or verdict: not a review; skipped"),
        "{err}"
    );
}

/// A CSV header longer than the bytes sniffed (a 70 KB column name, first or last) is still
/// a CSV header, from a file or a pipe; messages name the column in a few words, and
/// `--explain` lists it without failing.
#[test]
fn a_csv_header_longer_than_64_kib_is_still_a_csv() {
    use crate::harness::revue_with_stdin;

    let header = "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink";
    let huge = "x".repeat(70_000);
    for (name, csv) in [
        (
            "first.csv",
            format!("{huge},{header}\nq,8,T,a,,false,1,0,b,\n"),
        ),
        (
            "last.csv",
            format!("{header},{huge}\n8,T,a,,false,1,0,b,,q\n"),
        ),
    ] {
        let (_dir, path) = temp_file(name, csv.as_bytes());
        for out in [
            revue()
                .arg(&path)
                .arg("--stats")
                .output()
                .expect("run revue"),
            revue_with_stdin(csv.clone())
                .arg("--stats")
                .output()
                .expect("run revue"),
        ] {
            assert!(out.status.success(), "{name}: {out:?}");
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("1 loaded"),
                "{name}"
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.lines().all(|l| l.len() < 300), "{name}: {err}");
        }
        let out = revue()
            .arg(&path)
            .arg("--explain")
            .output()
            .expect("run revue");
        assert!(out.status.success(), "{name}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("CSV"), "{text}");
        assert!(text.lines().all(|l| l.len() < 300), "{name}");
    }
}

/// A copied page's votes line that cannot be read and a rating out of range are each a
/// warning on their own line: the votes line is not glued onto the body, the rating not lost
/// without a word; a bad value is quoted in at most about 80 characters.
#[test]
fn broken_votes_and_ratings_are_warned_where_they_are() {
    use crate::harness::read_data;

    let page = String::from_utf8(read_data("pusher-ii-reviews.txt")).expect("utf-8");
    let votes_at = page
        .match_indices(" out of ")
        .nth(1)
        .expect("a votes line")
        .0;
    let line_start = page[..votes_at].rfind('\n').expect("a line") + 1;
    let votes_line = page[..line_start].matches('\n').count() + 1;
    let broken = format!("{}fifteen{}", &page[..line_start], &page[votes_at..]);
    let rating_at = broken.find("\n8/10\n").expect("a rating line") + 1;
    let rating_line = broken[..rating_at].matches('\n').count() + 1;
    let broken = format!("{}77/10{}", &broken[..rating_at], &broken[rating_at + 4..]);
    let (_dir, path) = temp_file("broken.txt", broken.as_bytes());
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(":{votes_line}: votes \"fifteen out of ")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            ":{rating_line}: rating \"77/10\" is not from 1/10 to 10/10"
        )),
        "{err}"
    );
    let out = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.lines().count(), 25);
    assert!(!out.contains("fifteen"), "the votes line went into a body");

    // A bad value in a cell is quoted short, and trailing junk is no rating.
    let csv = format!(
        "rating,title,author,body\n9abc,A,ann,x\n9{},B,bob,y\n7 stars,C,cy,z\n",
        "x".repeat(5_000_000)
    );
    let (_dir, path) = temp_file("junk.csv", csv.as_bytes());
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rating \"9abc\" is not a rating"), "{err}");
    assert!(err.lines().all(|l| l.len() < 300), "a long warning line");
    let ratings: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["rating"].clone())
        .collect();
    assert_eq!(
        ratings,
        [serde_json::Value::Null, serde_json::Value::Null, 7.into()]
    );
}

/// Millions of bad rows make one warning line per kind, even when each quotes its own
/// value, and memory does not grow with them.
#[test]
fn many_bad_rows_are_one_warning_line_per_kind() {
    use std::fmt::Write as _;

    let mut csv =
        String::from("rating,title,author,date,spoiler,helpful,not_helpful,body,permalink\n");
    for i in 0..200_000 {
        let _ = writeln!(csv, "abc{i},T{i},a,,maybe,1,0,body,");
    }
    let (_dir, path) = temp_file("bad.csv", csv.as_bytes());
    let out = revue()
        .arg(&path)
        .arg("--stats")
        .output()
        .expect("run revue");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains(
            ":2: rating \"abc0\" is not a rating; left empty [200000 like this (lines 2, 3, 4, …)]"
        ),
        "{err}"
    );
    assert!(err.contains("[200000 times (lines 2, 3, 4, …)]"), "{err}");
}

/// A review of tens of megabytes: `G` lays it out a slice per frame (the frames in between
/// read keys) and ends at its last line; the matches of a search in it are found as it is
/// laid out, and `n` goes through them.
#[test]
fn g_on_a_huge_review_lays_it_out_in_slices_and_ends_at_the_bottom() {
    use revue::app::{App, Focus};
    use revue::keymap::Action;
    use revue::load::load_bytes;
    use revue::query::Query;

    use crate::harness::{read_data, render, run};

    let page = String::from_utf8(read_data("pusher-ii-reviews.txt")).expect("utf-8");
    let block_end = page.find("Permalink").expect("a first review") + "Permalink\n".len();
    let votes = page[..block_end].rfind(" out of ").expect("votes");
    let votes_line = page[..votes].rfind('\n').expect("a line") + 1;
    let paragraph = "A paragraph about the city, the film and the night it was shot in. ".repeat(8);
    let body = vec![paragraph.trim(); 15_000].join("\n\n");
    let huge = format!(
        "{}{body}\n{}",
        &page[..votes_line],
        &page[votes_line..block_end]
    );
    let loaded = load_bytes(huge.into_bytes(), "huge.txt", None).expect("loads");
    let mut app = App::new(loaded.document, Query::default(), Vec::new());
    render(&mut app, 100, 30);
    run(&mut app, &[Action::ToggleFocus, Action::DetailBottom]);
    assert_eq!(app.focus(), Focus::Detail);
    let mut frames = 0;
    loop {
        render(&mut app, 100, 30);
        frames += 1;
        if !app.layout_pending() {
            break;
        }
        assert!(frames < 10_000);
    }
    let detail = app.detail().expect("a review");
    assert!(detail.is_complete());
    let height = usize::from(app.layout().detail_text.height);
    assert_eq!(app.detail_scroll(), detail.len() - height);
    let last = app.detail_lines(detail.len() - 1..detail.len());
    assert!(
        !last[0].text.is_empty() && paragraph.trim().ends_with(&last[0].text),
        "{last:?}"
    );

    // A search: its matches in the body are numbered as the body is laid out.
    run(&mut app, &[Action::StartSearch]);
    for c in "night".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept, Action::DetailTop]);
    render(&mut app, 100, 30);
    run(&mut app, &[Action::NextMatch, Action::NextMatch]);
    assert_eq!(app.current_match(), Some(1));
    let message = app.message().expect("a message");
    assert!(message.starts_with("match 2 of "), "{message}");
}

/// The nesting cut's ways around that a review of the fix found: a void element, `<font>`
/// or `</p>` breaking out of SVG, and MathML's `annotation-xml`, each before 100,000
/// `<section/>`: the page is cut before html5ever sees the nesting, and what came before loads.
#[test]
fn html_that_breaks_out_of_svg_is_still_cut() {
    let review = "<article class=\"user-review-item\"><div data-testid=\"review-summary\">\
                  <h3>kept</h3></div></article>";
    for (what, start) in [
        ("void", "<svg><br>"),
        ("font", "<svg><font color=red>"),
        ("end p", "<svg></p>"),
        (
            "annotation-xml",
            "<math><annotation-xml encoding=\"text/html\">",
        ),
    ] {
        let page = format!("{review}{start}{}", "<section/>".repeat(100_000));
        let (_dir, path) = temp_file("page.html", page.as_bytes());
        let out = revue()
            .arg(&path)
            .args(["--format", "jsonl"])
            .output()
            .expect("run revue");
        assert!(out.status.success(), "{what}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("\"kept\""),
            "{what}"
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("was not read"),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A hostile configuration is one error line, at once, whatever the path names: a FIFO (at
/// `--config` or the XDG place), a device, a huge file, bytes that are not UTF-8; a file of
/// many bad settings gives a bounded, summarized list of warnings; a long bad name is quoted
/// cut short.
#[test]
fn a_hostile_configuration_is_one_line_at_once() {
    use std::time::Duration;

    let dir = tempfile::tempdir().expect("dir");
    let run = |config: &std::path::Path| {
        let mut cmd = revue();
        cmd.args([
            "--format",
            "jsonl",
            "tests/data/pusher-ii-reviews.txt",
            "--config",
        ]);
        cmd.arg(config);
        assert_cmd::Command::from_std(cmd)
            .timeout(Duration::from_secs(20))
            .output()
            .expect("run revue")
    };
    let fails_with = |out: &std::process::Output, what: &str| {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(what), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    };
    let fifo = dir.path().join("fifo.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    fails_with(
        &run(&fifo),
        "fifo.toml: the configuration is not a regular file (a named pipe)",
    );
    // The app reads the XDG place (a script's output does not depend on it).
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("revue")).expect("mkdir");
    nix::unistd::mkfifo(
        &xdg.join("revue/config.toml"),
        nix::sys::stat::Mode::S_IRWXU,
    )
    .expect("mkfifo");
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg("tests/data/pusher-ii-reviews.txt");
    cmd.env("XDG_CONFIG_HOME", &xdg);
    let mut pty = crate::e2e::Pty::spawn_command(cmd, 100, 20);
    assert_eq!(pty.wait_exit(), 2);
    assert!(
        pty.screen()
            .contains("config.toml: the configuration is not a regular file (a named pipe)"),
        "{}",
        pty.screen()
    );
    fails_with(
        &run(std::path::Path::new("/dev/zero")),
        "/dev/zero: the configuration is not a regular file (a device)",
    );
    let big = dir.path().join("big.toml");
    std::fs::write(&big, format!("# {}\n", "x".repeat(2 << 20))).expect("write");
    fails_with(
        &run(&big),
        "big.toml: the configuration is larger than 1 MiB",
    );
    let latin = dir.path().join("latin.toml");
    std::fs::write(&latin, b"sort = \"date\"\n\n# caf\xe9\n").expect("write");
    fails_with(
        &run(&latin),
        "latin.toml:3: the configuration is not UTF-8 text",
    );
    let keys = dir.path().join("keys.toml");
    std::fs::write(
        &keys,
        format!("[keys]\nquit = [{}]\n", vec!["\"q\""; 40].join(", ")),
    )
    .expect("write");
    fails_with(&run(&keys), "keys.toml:2: `quit` is given 40 keys");

    // 35,000 unknown settings and 15,000 unknown actions: a few lines, quickly.
    let many = dir.path().join("many.toml");
    let mut text = format!("{} = 1\n", "n".repeat(500));
    text.extend((0..35_000).map(|i| format!("setting{i} = 1\n")));
    text.push_str("[keys]\n");
    text.extend((0..15_000).map(|i| format!("action{i} = \"x\"\n")));
    std::fs::write(&many, text).expect("write");
    let started = std::time::Instant::now();
    let out = run(&many);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().count() <= 21, "{err}");
    assert!(err.contains("more warnings like these"), "{err}");
    assert!(
        err.lines().all(|l| l.chars().count() < 300),
        "a long name is quoted cut short: {err}"
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// The export prompt never proposes a name that is a link (a dangling one "does not
/// exist"), and a link typed in says where it points and takes a second Enter; the export
/// then goes where the kernel follows the link, which stays a link.
#[test]
fn the_export_prompt_never_writes_through_a_link_unsaid() {
    use crate::e2e::Pty;
    use portable_pty::CommandBuilder;

    let dir = tempfile::tempdir().expect("dir");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let planted = dir.path().join("pusher-ii-reviews.csv");
    let stolen = elsewhere.join("stolen.csv");
    std::os::unix::fs::symlink(&stolen, &planted).expect("symlink");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pusher-ii-reviews.txt"),
    );
    cmd.cwd(dir.path());
    let mut pty = Pty::spawn_command(cmd, 140, 30);
    pty.wait_for("25 reviews");
    pty.send("e");
    pty.wait_for("export to pusher-ii-reviews-2.csv");
    pty.send("\x15pusher-ii-reviews.csv\r");
    pty.wait_for("a link: Enter again writes to ");
    pty.wait_for("stolen.csv (not there yet)");
    assert!(!stolen.exists());
    pty.send("\r");
    pty.wait_for("wrote 25 reviews to");
    assert!(
        std::fs::read_to_string(&stolen)
            .expect("written")
            .lines()
            .count()
            > 25
    );
    assert!(
        std::fs::symlink_metadata(&planted)
            .expect("link")
            .is_symlink()
    );
    // A link to a file that exists says so too.
    pty.send("e\x15pusher-ii-reviews.csv\r");
    pty.wait_for("stolen.csv (replacing it)");
    pty.send("\x1b");
    pty.wait_for("export cancelled");
    let left: Vec<_> = std::fs::read_dir(&elsewhere)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["stolen.csv"], "no temporary file is left");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// Waits up to ten seconds for a file whose name ends in `.revue-tmp` in `dir`.
fn wait_for_temporary(dir: &std::path::Path) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let found = std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".revue-tmp"));
        if found {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    false
}

/// Whatever signal ends revue while it writes an export, with `--output` or from the app,
/// the temporary file goes with it and the destination is not made.
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    let dir = tempfile::tempdir().expect("dir");
    let page = dir.path().join("big.txt");
    std::fs::write(&page, crate::harness::SAMPLE.repeat(2000)).expect("write");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    for signal in [Signal::SIGTERM, Signal::SIGHUP, Signal::SIGINT] {
        let dest = out_dir.join("all.json");
        let mut child = revue()
            .arg(&page)
            .args(["--format", "json", "--output"])
            .arg(&dest)
            .stderr(Stdio::null())
            .spawn()
            .expect("run revue");
        let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid"));
        assert!(wait_for_temporary(&out_dir), "{signal}: the write began");
        kill(pid, Signal::SIGSTOP).expect("stop");
        kill(pid, signal).expect("signal");
        kill(pid, Signal::SIGCONT).expect("continue");
        let status = child.wait().expect("wait");
        assert!(!status.success(), "{signal}");
        let left: Vec<_> = std::fs::read_dir(&out_dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "{signal}: {left:?}");
    }

    // From the app: SIGHUP (a closed terminal) during the export.
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg(&page);
    let mut pty = crate::e2e::Pty::spawn_command(cmd, 120, 30);
    pty.wait_for("50000 reviews");
    pty.send("e\x15");
    pty.send(&format!("{}\r", out_dir.join("app.json").display()));
    assert!(wait_for_temporary(&out_dir), "the export began");
    pty.signal(Signal::SIGHUP);
    pty.wait_exit();
    let left: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // The export either was cut off (nothing left) or ended before the signal was acted on
    // (the whole file): never a temporary file, never a part.
    match left.as_slice() {
        [] => {}
        [name] if name == "app.json" => {
            let text = std::fs::read_to_string(out_dir.join("app.json")).expect("read");
            serde_json::from_str::<serde_json::Value>(&text).expect("whole");
        }
        _ => panic!("{left:?}"),
    }
}

/// A CSV revue did not write keeps a `'` its cells start with, though its columns bear
/// revue's names: only revue's own export carries the spreadsheet guard to take off.
#[test]
fn only_revues_own_csv_loses_the_formula_guard() {
    let foreign = "title,body,rating\n'=not a formula,'+1 from me,8\n";
    let (_dir, path) = temp_file("theirs.csv", foreign.as_bytes());
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue");
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.contains("\"title\":\"'=not a formula\""), "{line}");
    assert!(line.contains("\"body\":\"'+1 from me\""), "{line}");
    // revue's own export of the same takes its guard off again: the round trip is exact.
    let (_dir2, exported) = temp_file("ours.csv", b"");
    let written = revue()
        .arg(&path)
        .args(["--format", "csv", "--force", "--output"])
        .arg(&exported)
        .output()
        .expect("run revue");
    assert!(written.status.success());
    let again = revue()
        .arg(&exported)
        .args(["--format", "jsonl"])
        .output()
        .expect("run revue");
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(again.contains("\"title\":\"'=not a formula\""), "{again}");
    assert!(again.contains("\"body\":\"'+1 from me\""), "{again}");
}

/// The view redone after a reveal, with a search on, gives way to the next key like the
/// search itself: telling which hidden spoilers the search finds in their titles reads
/// every one of them, and a key pressed meanwhile cancels it (the view stays as it was).
#[test]
fn the_view_after_a_reveal_can_be_cancelled() {
    use std::fmt::Write as _;
    use std::sync::atomic::AtomicBool;

    use revue::keymap::Action;

    let lines = (0..5000).fold(String::new(), |mut out, i| {
        let _ = writeln!(
            out,
            "{{\"title\":\"word {i}\",\"body\":\"secret {i}\",\"spoiler\":true,\"rating\":5}}"
        );
        out
    });
    let loaded = revue::load::load_bytes(lines.into_bytes(), "s", None).expect("loads");
    let mut app = revue::app::App::new(loaded.document, revue::query::Query::default(), Vec::new());
    let mut keys = vec![Action::StartSearch];
    keys.extend("word".chars().map(Action::SearchInput));
    keys.push(Action::SearchAccept);
    crate::harness::run(&mut app, &keys);
    assert_eq!(app.view().len(), 5000);
    app.defer_searches();
    crate::harness::run(&mut app, &[Action::ToggleReveal]);
    assert!(app.search_pending());
    assert!(
        !app.run_pending_search(&AtomicBool::new(true)),
        "a key cancels it"
    );
    assert!(app.search_pending(), "still to do");
    assert!(app.run_pending_search(&AtomicBool::new(false)));
    assert_eq!(app.view().len(), 5000);
}
