//! What no viewer does: the duplicates (`D`, `--dedupe`, the stats) and the keywords that
//! split opinion (`W`, `--keywords`), on generated reviews with known duplicates and
//! planted words, and that a hidden spoiler's text shows in neither.

use revue::app::App;
use revue::keymap::Action;
use revue::load::load_bytes;

use crate::harness::{json, render, revue_output, run, screen, temp_file};

/// JSON Lines reviews: `n` of them, rated 9 or 2 by turns, whose bodies repeat `copies`
/// times each (with case and punctuation changed), high ones holding "luminous" and low
/// ones "dreary"; every fifth is a spoiler whose body holds "rosebud".
fn generated(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let high = i % 2 == 0;
        let word = if high { "luminous" } else { "dreary" };
        let spoiler = i % 5 == 4;
        let group = i / 3;
        let body = if spoiler {
            format!("rosebud was the sled, {word} ending number {i}")
        } else if i % 3 == 0 {
            format!("A {word} film, take {group}!")
        } else {
            format!("a {}  FILM - take {group}", word.to_uppercase())
        };
        let line = serde_json::json!({
            "author": format!("user{i}"),
            "rating": if high { 9 } else { 2 },
            "body": body,
            "date": "2021-05-01",
            "spoiler": spoiler,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Runs background work (the duplicates' hashing, the keywords) to its end.
fn settle(app: &mut App) {
    for _ in 0..2000 {
        app.poll_jobs();
        if !app.busy() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("background work did not end");
}

/// Duplicates by hand: review i repeats the body of the first of its group of three when
/// its rating side is the same and neither is a spoiler.
fn expected_copies(n: usize) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut copies = 0;
    for i in 0..n {
        let high = i % 2 == 0;
        if i % 5 == 4 {
            continue;
        }
        if !seen.insert((high, i / 3)) {
            copies += 1;
        }
    }
    copies
}

#[test]
fn duplicates_are_counted_hidden_by_d_and_left_out_by_dedupe() {
    let n = 300;
    let text = generated(n);
    let copies = expected_copies(n);
    assert!(copies > 20, "the data has duplicates to find");
    let (_dir, path) = temp_file("reviews.jsonl", text.as_bytes());
    let path = path.to_str().expect("UTF-8 path");

    let deduped = revue_output(&[path, "--dedupe", "--format", "jsonl"], None);
    assert_eq!(
        String::from_utf8_lossy(&deduped).lines().count(),
        n - copies
    );
    let stats = json(&revue_output(&[path, "--stats", "--format", "json"], None));
    assert_eq!(stats["duplicates"]["count"], copies);
    let most = &stats["duplicates"]["most_repeated"][0];
    assert_eq!(most["times"], 2, "{most}");

    let loaded = load_bytes(text.into_bytes(), "reviews.jsonl", None).expect("loads");
    let mut app = App::new(loaded.document, revue::query::Query::default(), Vec::new());
    settle(&mut app);
    let shown = screen(render(&mut app, 120, 40).buffer());
    assert!(
        shown.contains(&format!("{copies} duplicates (D hides)")),
        "{shown}"
    );
    run(&mut app, &[Action::ToggleDedupe]);
    assert_eq!(app.view().len(), n - copies);
    let shown = screen(render(&mut app, 80, 24).buffer());
    assert!(shown.contains("duplicates hidden"), "{shown}");
    run(&mut app, &[Action::ToggleStats]);
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&screen(render(&mut app, 80, 24).buffer()));
        run(&mut app, &[Action::OverlayDown]);
    }
    assert!(seen.contains("repeated"), "{seen}");
    assert!(
        seen.contains("× “a luminous film take 0”")
            || seen.contains("× “A luminous film, take 0!”"),
        "the repeated text: {seen}"
    );
    assert!(
        !seen.contains("rosebud"),
        "no hidden spoiler's text in the stats"
    );
}

#[test]
fn keywords_find_the_planted_words_in_scripts_and_in_the_app() {
    let text = generated(600);
    let (_dir, path) = temp_file("reviews.jsonl", text.as_bytes());
    let path = path.to_str().expect("UTF-8 path");

    let csv = String::from_utf8(revue_output(&[path, "--keywords", "--format", "csv"], None))
        .expect("UTF-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "side,term,z,high,low");
    assert!(rows[1].starts_with("high,luminous,"), "{csv}");
    assert!(csv.contains("\nlow,dreary,"), "{csv}");
    assert!(
        !csv.contains("rosebud"),
        "spoiler bodies are left out of scripts too"
    );
    let k = json(&revue_output(
        &[path, "--keywords", "--format", "json"],
        None,
    ));
    assert_eq!(k["sides"][0]["terms"][0]["term"], "luminous");
    assert!(k["sides"][0]["terms"][0]["z"].as_f64().expect("z") > 3.0);
    assert_eq!(k["hidden_spoilers_left_out"], 120);
    // This view against the rest: the high reviews' words against the low ones'.
    let rest = json(&revue_output(
        &[path, "--rating", "9", "--keywords=rest", "--format", "json"],
        None,
    ));
    assert_eq!(rest["sides"][0]["terms"][0]["term"], "luminous");

    let loaded = load_bytes(text.into_bytes(), "reviews.jsonl", None).expect("loads");
    let mut app = App::new(loaded.document, revue::query::Query::default(), Vec::new());
    settle(&mut app);
    run(&mut app, &[Action::ToggleKeywords]);
    settle(&mut app);
    for (width, height) in [(80, 24), (120, 40)] {
        let shown = screen(render(&mut app, width, height).buffer());
        assert!(shown.contains("luminous"), "{width}x{height}: {shown}");
        assert!(
            !shown.contains("rosebud"),
            "{width}x{height}: a hidden spoiler's word"
        );
        assert!(shown.contains("hidden bodies left out"), "{shown}");
    }
    // Enter on the first term searches it.
    run(&mut app, &[Action::OverlayEnter]);
    let shown = screen(render(&mut app, 120, 40).buffer());
    assert!(shown.contains("search \"luminous\""), "{shown}");
}

/// Marks and labels made in the app outlive `kill -9`, a torn journal line and a rename of
/// the document; scripts see them (`--marked`, `--label`, every export format), and revue
/// never writes beside the input.
#[test]
fn labels_last_through_kill_a_torn_line_and_a_renamed_copy() {
    use crate::e2e::Pty;
    use portable_pty::CommandBuilder;

    let dir = tempfile::tempdir().expect("temp dir");
    let data_home = dir.path().join("data");
    let input = dir.path().join("reviews.jsonl");
    std::fs::write(&input, generated(30)).expect("written");
    let spawn = |file: &std::path::Path| {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
        cmd.arg(file);
        cmd.env("XDG_DATA_HOME", &data_home);
        Pty::spawn_command(cmd, 120, 30)
    };
    let mut pty = spawn(&input);
    pty.wait_for("30 reviews");
    pty.send("m");
    pty.wait_for("marked");
    pty.send("j");
    pty.send("L");
    pty.wait_for("2 spoiler");
    pty.send("2");
    pty.wait_for("labelled spoiler");
    pty.signal(nix::sys::signal::Signal::SIGKILL);
    drop(pty);

    let journals: Vec<_> = std::fs::read_dir(data_home.join("revue/labels"))
        .expect("the journal's folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(journals.len(), 1, "one journal for the document");
    // A crash in the middle of a further write leaves a torn last line.
    let mut journal = std::fs::OpenOptions::new()
        .append(true)
        .open(&journals[0])
        .expect("journal");
    std::io::Write::write_all(&mut journal, b"{\"review\":\"h0\",\"lab").expect("torn");
    drop(journal);
    let beside: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(beside.len(), 2, "nothing written beside the input");

    let copy = dir.path().join("renamed.jsonl");
    std::fs::rename(&input, &copy).expect("renamed");
    let mut pty = spawn(&copy);
    pty.wait_for("brought back for 2 reviews");
    assert!(
        pty.screen().contains("● "),
        "the mark on its row: {}",
        pty.screen()
    );
    assert!(pty.screen().contains("#spoiler "), "the label on its row");
    assert!(
        pty.screen().contains("1 warning (w)"),
        "the torn line, said in w"
    );
    pty.send("'");
    pty.wait_for("1 of 30 reviews");
    pty.send("q");
    drop(pty);

    let script = |args: &[&str]| {
        let out = crate::harness::revue()
            .arg(&copy)
            .args(args)
            .env("XDG_DATA_HOME", &data_home)
            .output()
            .expect("runs");
        (
            String::from_utf8(out.stdout).expect("UTF-8"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (marked, stderr) = script(&["--marked", "--format", "jsonl"]);
    assert_eq!(marked.lines().count(), 1, "{marked}");
    assert!(marked.contains("\"marked\":true"), "{marked}");
    assert!(stderr.contains("a change cut short"), "{stderr}");
    let (labelled, _) = script(&["--label", "spoiler", "--format", "json"]);
    let labelled = json(labelled.as_bytes());
    assert_eq!(labelled["reviews"][0]["labels"][0], "spoiler");
    let (csv, _) = script(&["--format", "csv"]);
    let header = csv.lines().next().expect("header");
    assert!(header.contains(",labels,marked,"), "{header}");
    assert!(csv.contains(",spoiler,false,"), "{csv}");
    let (markdown, _) = script(&["--format", "markdown"]);
    assert!(markdown.contains("*Labels: marked*"), "{markdown}");
    assert!(markdown.contains("*Labels: spoiler*"), "{markdown}");

    // Each export read back, with no journal to help: the marks and labels are its own.
    let elsewhere = dir.path().join("elsewhere");
    for format in ["json", "jsonl", "csv"] {
        let (written, _) = script(&["--format", format]);
        let export = dir.path().join(format!("export.{format}"));
        std::fs::write(&export, written).expect("written");
        let read = |args: &[&str]| {
            let out = crate::harness::revue()
                .arg(&export)
                .args(args)
                .env("XDG_DATA_HOME", &elsewhere)
                .output()
                .expect("runs");
            String::from_utf8(out.stdout).expect("UTF-8")
        };
        assert_eq!(
            read(&["--marked", "--format", "jsonl"]).lines().count(),
            1,
            "{format}"
        );
        let spoiler = read(&["--label", "spoiler", "--format", "jsonl"]);
        assert_eq!(spoiler.lines().count(), 1, "{format}: {spoiler}");
        assert!(
            spoiler.contains("\"labels\":[\"spoiler\"]"),
            "{format}: {spoiler}"
        );
    }
}

/// The mark and a label on their rows and in the detail at 80×24 and 120×40; with no
/// journal, the change is made and said to be not kept.
#[test]
fn marks_and_labels_show_on_small_and_large_screens() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = crate::harness::sample_app()
            .with_labels(vec![('2', "spoiler".into())])
            .with_journal(Err("no journal in this test".into()));
        run(&mut app, &[Action::ToggleMark]);
        let shown = screen(render(&mut app, width, height).buffer());
        assert!(shown.contains("(not kept"), "{shown}");
        run(
            &mut app,
            &[
                Action::SelectNext,
                Action::StartLabel,
                Action::LabelKey('2'),
            ],
        );
        let shown = screen(render(&mut app, width, height).buffer());
        assert!(shown.contains("● "), "{width}x{height}: {shown}");
        assert!(shown.contains("#spoiler "), "{width}x{height}: {shown}");
        assert!(
            shown.contains("labels: spoiler"),
            "{width}x{height}: the detail"
        );
        run(&mut app, &[Action::ToggleMarkedOnly]);
        assert_eq!(app.view().len(), 1);
    }
}
