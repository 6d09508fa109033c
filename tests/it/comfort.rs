//! Insight and comfort (issue 15): colour choices, the film in view, stats, copying,
//! completions. Each test drives the app or the binary the way a person would.

use ratatui::style::Modifier;
use revue::keymap::Action;
use revue::ui::theme::Theme;

use crate::harness::{find, read_data, render_with, run, sample_app};

/// The app over two documents: the sample page and the 2024-layout saved page.
fn two_films() -> revue::app::App {
    use revue::load::load_bytes;
    let mut doc = load_bytes(
        read_data("pusher-ii-reviews.txt"),
        "pusher-ii-reviews.txt",
        None,
    )
    .expect("loads")
    .document;
    doc.append(
        load_bytes(
            read_data("imdb-2024-layout-worlds-end.html"),
            "worlds-end.html",
            None,
        )
        .expect("loads")
        .document,
    );
    revue::app::App::new(doc, revue::query::Query::default(), Vec::new())
}

/// Without colour, what colour tells stays visible: the selected row in reverse video, the
/// focused pane's border in bold, a search match underlined, the current one reversed too,
/// and the spoiler notice reversed.
#[test]
fn without_colour_every_state_is_still_distinguishable() {
    let mono = Theme::monochrome();
    let mut app = sample_app();
    let backend = render_with(&mut app, 120, 40, mono);
    let buf = backend.buffer();
    let layout = *app.layout();
    // The selected row (the first review).
    let row = layout.rows.y;
    let cell = &buf[(layout.list.x + 3, row)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    // The focused list's border is bold, the detail's not.
    assert!(
        buf[(layout.list.x, layout.list.y)]
            .modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        !buf[(layout.detail.x, layout.detail.y)]
            .modifier
            .contains(Modifier::BOLD)
    );
    run(&mut app, &[Action::ToggleFocus]);
    let backend = render_with(&mut app, 120, 40, mono);
    let buf = backend.buffer();
    assert!(
        !buf[(layout.list.x, layout.list.y)]
            .modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        buf[(layout.detail.x, layout.detail.y)]
            .modifier
            .contains(Modifier::BOLD)
    );

    // Matches: underlined; the current one reversed as well.
    run(&mut app, &[Action::FocusList, Action::StartSearch]);
    for c in "pusher".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept]);
    render_with(&mut app, 120, 40, mono);
    run(&mut app, &[Action::NextMatch]);
    let backend = render_with(&mut app, 120, 40, mono);
    let buf = backend.buffer();
    let area = app.layout().detail_text;
    let styled: Vec<Modifier> = (area.y..area.bottom())
        .flat_map(|y| (area.x..area.right()).map(move |x| (x, y)))
        .map(|(x, y)| buf[(x, y)].modifier)
        .filter(|m| m.contains(Modifier::UNDERLINED))
        .collect();
    assert!(
        styled.iter().any(|m| m.contains(Modifier::REVERSED)),
        "no current match"
    );
    assert!(
        styled.iter().any(|m| !m.contains(Modifier::REVERSED)),
        "no other match"
    );

    // The spoiler notice.
    let mut app = sample_app();
    run(&mut app, &[Action::SelectNext; 4]);
    let backend = render_with(&mut app, 120, 40, mono);
    let buf = backend.buffer();
    let (x, y) = find(buf, "This review contains spoilers").expect("the notice");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    // No cell has a colour at all.
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
}

/// `--color never` and `NO_COLOR` turn colour off in the real terminal, `--color always`
/// turns it on against `NO_COLOR`.
#[test]
fn the_colour_choice_reaches_the_terminal() {
    use crate::e2e::Pty;
    use portable_pty::CommandBuilder;

    let run_with = |args: &[&str], no_color: bool| {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
        cmd.args(args);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let mut pty = Pty::spawn_command(cmd, 100, 30);
        pty.wait_for("25 reviews");
        let coloured = pty.ever_wrote(b"38;5;") || pty.ever_wrote(b"48;5;");
        pty.send("q");
        pty.wait_exit();
        coloured
    };
    assert!(run_with(&["tests/data/pusher-ii-reviews.txt"], false));
    assert!(!run_with(&["tests/data/pusher-ii-reviews.txt"], true));
    assert!(!run_with(
        &["tests/data/pusher-ii-reviews.txt", "--color", "never"],
        false
    ));
    assert!(run_with(
        &["tests/data/pusher-ii-reviews.txt", "--color", "always"],
        true
    ));
}

/// The screen says what is open: the film and its year with how much of the page's count
/// was loaded; with several documents how many films, and the one the film filter keeps.
#[test]
fn the_heading_names_the_film_and_its_completeness() {
    use crate::harness::{render, screen};

    let mut app = sample_app();
    let shown = screen(render(&mut app, 80, 24).buffer());
    assert!(
        shown
            .lines()
            .next()
            .is_some_and(|l| l.contains("Pusher II (2004) · 25 of the page's 44 reviews")),
        "{shown}"
    );
    let mut app = two_films();
    let shown = screen(render(&mut app, 120, 30).buffer());
    let top = shown.lines().next().expect("a line");
    assert!(
        top.contains(" 2 films · 37 of the pages' 616 reviews "),
        "{top}"
    );
    run(&mut app, &[Action::CycleFilm]);
    let shown = screen(render(&mut app, 120, 30).buffer());
    let top = shown.lines().next().expect("a line");
    assert!(
        top.contains(" Pusher II (2004) · 25 of the page's 44 reviews "),
        "{top}"
    );
    run(&mut app, &[Action::CycleFilm]);
    let shown = screen(render(&mut app, 120, 30).buffer());
    let top = shown.lines().next().expect("a line");
    // This saved page names no film: its file does.
    assert!(
        top.contains(" worlds-end.html · 12 of the page's 572 reviews "),
        "{top}"
    );
}

/// `y` puts the selected review on the clipboard through OSC 52: the exact sequence, base64
/// of the review's text, reaches the terminal; a hidden spoiler goes without its body.
#[test]
fn y_copies_the_review_through_osc_52_byte_for_byte() {
    use base64::Engine as _;

    use crate::e2e::Pty;
    use revue::export::clipboard::review_text;
    use revue::load::load_bytes;

    use crate::harness::read_data;

    let doc = load_bytes(read_data("pusher-ii-reviews.txt"), "p", None)
        .expect("loads")
        .document;
    let sequence = |text: &str| {
        let mut bytes = b"\x1b]52;c;".to_vec();
        bytes.extend(
            base64::engine::general_purpose::STANDARD
                .encode(text)
                .bytes(),
        );
        bytes.push(0x07);
        bytes
    };
    let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 120, 40);
    pty.wait_for("25 reviews");
    pty.send("y");
    pty.wait_for("copied the review");
    let first = review_text(&doc, &doc.reviews[0], false);
    assert!(first.starts_with("Nicolas Winding Refn's Pusher 2 is even better than the first one\n8/10 · by UlrikSander · 2006-03-11\n\n"));
    assert!(
        pty.ever_wrote(&sequence(&first)),
        "the OSC 52 sequence of the first review"
    );
    // The fifth review is a spoiler, hidden: its body is not copied.
    pty.send("jjjj");
    pty.wait_for("This review contains spoilers");
    pty.send("y");
    pty.wait_for("without its hidden spoiler text");
    let spoiler = &doc.reviews[4];
    assert!(spoiler.spoiler);
    let hidden = review_text(&doc, spoiler, true);
    assert!(!hidden.contains(&*doc.body(spoiler)));
    assert!(pty.ever_wrote(&sequence(&hidden)));
    assert!(!pty.ever_wrote(&sequence(&review_text(&doc, spoiler, false))));
    // Revealed, it is.
    pty.send("x");
    pty.send("y");
    pty.wait_for("copied the review (");
    assert!(pty.ever_wrote(&sequence(&review_text(&doc, spoiler, false))));
    // A copied page has no links to copy or open.
    pty.send("Y");
    pty.wait_for("this document carries no links");
    pty.send("q");
    pty.wait_exit();
}

/// `Y` copies the permalink and `o` opens it, where the document has one.
#[test]
fn y_and_o_take_the_permalink() {
    use revue::app::{App, Outgoing};
    use revue::load::load_bytes;
    use revue::query::Query;

    use crate::harness::read_data;

    let doc = load_bytes(
        read_data("imdb-2024-layout-worlds-end.html"),
        "w.html",
        None,
    )
    .expect("loads")
    .document;
    let link = doc
        .permalink(&doc.reviews[0])
        .expect("a permalink")
        .to_string();
    let mut app = App::new(doc, Query::default(), Vec::new());
    crate::harness::render(&mut app, 120, 40);
    run(&mut app, &[Action::CopyLink]);
    assert_eq!(app.take_outgoing(), Some(Outgoing::Clipboard(link.clone())));
    assert_eq!(app.message(), Some(format!("copied {link}").as_str()));
    run(&mut app, &[Action::OpenLink]);
    assert_eq!(app.take_outgoing(), Some(Outgoing::Open(link)));
    assert_eq!(app.take_outgoing(), None);

    // A link that is not a web link is not handed to a browser.
    let review = serde_json::json!({"rating": 8, "title": "t", "author": "a", "date": null,
        "spoiler": false, "helpful": 1, "not_helpful": 0, "body": "b",
        "permalink": "--remote-debugging-port=9222"});
    let doc = serde_json::json!({"title": null, "year": null, "review_count": null,
        "reviews": [review]});
    let doc = load_bytes(doc.to_string().into_bytes(), "j.json", None)
        .expect("loads")
        .document;
    let mut app = App::new(doc, Query::default(), Vec::new());
    crate::harness::render(&mut app, 120, 40);
    run(&mut app, &[Action::OpenLink]);
    assert_eq!(app.take_outgoing(), None);
}

/// `i` shows the figures of the reviews shown; `l` and `h` read the longest and the most
/// helpful one. A hidden spoiler's body makes no review the longest.
#[test]
fn the_stats_view_shows_the_view_and_jumps_to_its_reviews() {
    use revue::app::{Focus, Mode};

    use crate::harness::{render, screen};

    let mut app = sample_app();
    run(&mut app, &[Action::ToggleStats]);
    assert_eq!(app.mode(), Mode::Stats);
    insta::assert_snapshot!("stats_view", screen(render(&mut app, 100, 32).buffer()));
    run(&mut app, &[Action::JumpMostHelpful]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.focus(), Focus::Detail);
    assert_eq!(app.selected(), Some(0));

    // A hidden spoiler with the longest body is not the longest until it is revealed, and
    // nothing of its body is in the view.
    let review = |title: &str, spoiler: bool, body: &str| {
        serde_json::json!({"rating": 8, "title": title, "author": "a", "date": null,
            "spoiler": spoiler, "helpful": 1, "not_helpful": 0, "body": body,
            "permalink": null})
    };
    let secret = "The killer is the gardener, and this sentence is much longer than the other.";
    let doc = serde_json::json!({"title": "F", "year": null, "review_count": null,
        "reviews": [review("Plain", false, "Short."), review("Secret", true, secret)]});
    let doc = revue::load::load_bytes(doc.to_string().into_bytes(), "f.json", None)
        .expect("loads")
        .document;
    let mut app = revue::app::App::new(doc, revue::query::Query::default(), Vec::new());
    run(&mut app, &[Action::ToggleStats]);
    assert_eq!(app.stats().and_then(|s| s.longest), Some(0));
    let text: String = app.stats_lines(100).into_iter().map(|(_, t)| t).collect();
    assert!(
        !text.contains("gardener") && !text.contains("Secret"),
        "{text}"
    );
    run(
        &mut app,
        &[
            Action::CloseOverlay,
            Action::ToggleRevealAll,
            Action::ToggleStats,
        ],
    );
    assert_eq!(app.stats().and_then(|s| s.longest), Some(1));
}

/// `e` writes the view to the file named, in the format of its extension, with the same
/// writers as `--format`: the file reads back identical to `--format csv` for the same view.
/// It never overwrites a document being read, and Tab completes the path.
#[test]
fn an_export_from_the_app_is_what_format_prints() {
    use crate::e2e::Pty;
    use portable_pty::CommandBuilder;

    let dir = tempfile::tempdir().expect("temp dir");
    // A copied page under a name an export could take: revue goes by content, not names.
    let page = dir.path().join("pusher.md");
    std::fs::write(&page, crate::harness::SAMPLE).expect("write");
    std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg(&page);
    let mut pty = Pty::spawn_command(cmd, 120, 30);
    pty.wait_for("25 reviews");
    // The 9s and 10s, by rating, to a CSV typed with Tab completing the folder.
    pty.send("90s");
    pty.wait_for("rating 9,10");
    pty.send("e");
    pty.wait_for("export to pusher-ii-reviews.csv");
    pty.send("\x15"); // Ctrl-u
    let folder = dir.path().to_str().expect("utf-8");
    pty.send(&format!("{folder}/exp\t"));
    pty.wait_for("exports/ ");
    pty.send("tens.csv\r");
    pty.wait_for("wrote 7 reviews to");
    let written = std::fs::read(dir.path().join("exports/tens.csv")).expect("written");
    let printed = crate::harness::revue()
        .arg(&page)
        .args(["--rating", "9,10", "--sort", "helpful", "--format", "csv"])
        .output()
        .expect("run revue")
        .stdout;
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&printed)
    );
    // An input is never written over; a name without a known extension is refused.
    pty.send("e\x15");
    pty.send(&format!("{}\r", page.display()));
    pty.wait_for("pusher.md: is one of the input");
    assert_eq!(std::fs::read(&page).expect("read"), crate::harness::SAMPLE);
    pty.send("e\x15notes.txt\r");
    pty.wait_for("end the name in .csv");
    // An existing file takes a second Enter; a FIFO is refused.
    pty.send(&format!("\x15{folder}/exports/tens.csv\r"));
    pty.wait_for("that file exists: Enter again replaces it");
    pty.send("\r");
    pty.wait_for("wrote 7 reviews to");
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    pty.send(&format!("e\x15{}\r", fifo.display()));
    pty.wait_for("that is not a regular file");
    pty.send("\x1b");
    pty.wait_for("export cancelled");
    pty.send("q");
    pty.wait_exit();
}

/// Sorting keeps the histogram's counts (the same reviews, in another order, are not
/// counted again), and a search after it counts the reviews found.
#[test]
fn the_histogram_counts_stay_right_through_sorts_and_a_search() {
    use crate::harness::render;

    let mut app = sample_app();
    render(&mut app, 120, 40);
    let all = app.ratings().expect("shown").histogram.clone();
    for _ in 0..6 {
        run(&mut app, &[Action::NextSort]);
        render(&mut app, 120, 40);
        assert_eq!(app.ratings().expect("shown").histogram, all);
    }
    run(&mut app, &[Action::StartSearch]);
    for c in "family".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept]);
    render(&mut app, 120, 40);
    let found = app.ratings().expect("shown").histogram.clone();
    assert_eq!(found.iter().sum::<usize>(), app.view().len());
    assert!(app.view().len() < 25);
    run(&mut app, &[Action::NextSort]);
    render(&mut app, 120, 40);
    assert_eq!(app.ratings().expect("shown").histogram, found);
}

/// The rating histogram above the list: a bar per rating with its count, the mean and
/// median; clicking a bar toggles that rating in the filter, and `r` hides it.
#[test]
fn the_histogram_shows_the_ratings_and_a_click_filters() {
    use revue::layout::histogram_rating;

    use crate::harness::{render, screen};

    let mut app = sample_app();
    let shown = screen(render(&mut app, 120, 40).buffer());
    assert!(
        shown.contains("Their ratings, not IMDb's score: mean 7.7, median 8"),
        "{shown}"
    );
    let ratings = app.ratings().expect("the histogram is shown");
    assert_eq!(ratings.histogram, [1, 0, 0, 0, 1, 1, 2, 7, 6, 4, 3]);
    let area = app.layout().histogram;
    // A click on the 9s' bar, and then on the 10s'.
    let x_of = |rating: u8| {
        (area.x..area.right())
            .find(|&x| histogram_rating(area, 10, x) == Some(rating))
            .expect("a column")
    };
    run(
        &mut app,
        &[Action::Click {
            column: x_of(9),
            row: area.y + 3,
        }],
    );
    run(
        &mut app,
        &[Action::Click {
            column: x_of(10),
            row: area.y + 2,
        }],
    );
    assert_eq!(app.query().ratings.to_string(), "9,10");
    assert_eq!(app.view().len(), 7);
    let backend = render(&mut app, 120, 40);
    let shown = screen(backend.buffer());
    assert!(shown.contains("7 of 25 reviews"), "{shown}");
    // The bars stay those of every rating, the chosen ones marked.
    assert_eq!(app.ratings().expect("shown").histogram[7], 7);
    let label_row = area.y + 4;
    let nine = (area.x..area.right())
        .find(|&x| {
            histogram_rating(area, 10, x) == Some(9)
                && backend.buffer()[(x, label_row)].symbol() == "9"
        })
        .expect("the 9 label");
    let eight = (area.x..area.right())
        .find(|&x| {
            histogram_rating(area, 10, x) == Some(8)
                && backend.buffer()[(x, label_row)].symbol() == "8"
        })
        .expect("the 8 label");
    assert_ne!(
        backend.buffer()[(nine, label_row)].style(),
        backend.buffer()[(eight, label_row)].style()
    );
    // Clicked again, the 9s go.
    run(
        &mut app,
        &[Action::Click {
            column: x_of(9),
            row: area.y + 3,
        }],
    );
    assert_eq!(app.query().ratings.to_string(), "10");
    // Hidden with r: the list has the rows back.
    run(&mut app, &[Action::ToggleHistogram]);
    render(&mut app, 120, 40);
    assert!(app.layout().histogram.is_empty());
    assert!(app.ratings().is_none());
}

/// At 80 columns with filters, a search and two documents open, the status bar keeps the
/// count, the filters and the search whole and cuts the rest with an ellipsis; the hint line
/// follows the focus.
#[test]
fn the_status_bar_at_80_columns_keeps_what_matters() {
    use crate::harness::{render, screen};

    let mut app = two_films();
    run(
        &mut app,
        &[
            Action::ToggleRating(8),
            Action::ToggleRating(9),
            Action::StartSearch,
        ],
    );
    for c in "film great".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept, Action::NextSort]);
    let shown = screen(render(&mut app, 80, 30).buffer());
    let status = shown.lines().nth(28).expect("the status line").to_string();
    for whole in ["of 37 reviews", "rating 8,9", "search \"film great\""] {
        assert!(status.contains(whole), "{status}");
    }
    insta::assert_snapshot!("status_bar_80", status);
    let hints = shown.lines().nth(29).expect("the hint line");
    assert!(
        hints.contains("? help") && hints.contains("q quit"),
        "{hints}"
    );
    run(&mut app, &[Action::ToggleFocus]);
    let shown = screen(render(&mut app, 80, 30).buffer());
    let hints = shown.lines().nth(29).expect("the hint line");
    assert!(
        hints.contains("j scroll") && hints.contains("Esc list"),
        "{hints}"
    );
}

/// The help is in sections, no entry is cut at 80 or 120 columns, and a help taller than the
/// window says there is more below.
#[test]
fn the_help_has_sections_and_cuts_nothing() {
    use revue::keymap::{SECTIONS, help_rows};

    use crate::harness::{render, screen};

    for (width, height) in [(80, 30), (120, 40), (120, 24)] {
        let mut app = sample_app();
        run(&mut app, &[Action::ToggleHelp]);
        let mut seen = String::new();
        let mut more_seen = false;
        for _ in 0..100 {
            let shown = screen(render(&mut app, width, height).buffer());
            more_seen |= shown.contains("more below");
            seen.push_str(&shown);
            run(&mut app, &[Action::OverlayDown]);
        }
        for section in SECTIONS {
            assert!(seen.contains(section), "{width}x{height}: no {section}");
        }
        for (keys, text) in help_rows().filter(|(k, _)| !k.is_empty()) {
            assert!(
                seen.contains(text),
                "{width}x{height}: {keys} {text} cut or missing"
            );
        }
        if height < 40 {
            assert!(more_seen, "{width}x{height}: scrolls without saying so");
        }
    }
}

/// A configuration file: a rebinding works and shows in the help and the hints, the default
/// order and the histogram setting apply; a bad file is one error line naming the file and
/// the line; `--print-config` prints the defaults.
#[test]
fn a_configuration_rebinds_keys_and_sets_defaults() {
    use crate::e2e::Pty;
    use portable_pty::CommandBuilder;

    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "sort = \"helpful\"\nhistogram = false\n[keys]\nhelp = \"F1\"\nquit = [\"x\", \"q\"]\n",
    )
    .expect("write");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.args(["tests/data/pusher-ii-reviews.txt", "--config"]);
    cmd.arg(&config);
    let mut pty = Pty::spawn_command(cmd, 120, 40);
    pty.wait_for("sort helpful");
    assert!(
        !pty.screen().contains("Their ratings"),
        "the histogram is off"
    );
    pty.wait_for("F1 help");
    pty.send("\x1bOP"); // F1
    pty.wait_for("this help");
    assert!(pty.screen().contains("F1 "), "{}", pty.screen());
    // The header names the key that closes it, and that key does.
    pty.wait_for("Esc or F1 closes");
    pty.send("\x1bOP");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while pty.screen().contains("this help") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!pty.screen().contains("this help"), "{}", pty.screen());
    // x is reveal's key and quit's too now: reveal's row comes first and keeps it, which a
    // warning said before the app started; q still quits.
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(
        pty.screen()
            .contains("key x is bound to both `reveal` and `quit`"),
        "{}",
        pty.screen()
    );

    // A bad file: one line, the file and the line, exit 2, no screen.
    std::fs::write(&config, "sort = \"helpful\"\nspoilers = \"sometimes\"\n").expect("write");
    let out = crate::harness::revue()
        .args(["--stats", "--config"])
        .arg(&config)
        .output()
        .expect("run revue");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml:2: spoilers `sometimes`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // An unknown setting is a warning; the settings are the app's, and what a script prints
    // keeps revue's own defaults (the featured order here).
    std::fs::write(&config, "sortt = \"helpful\"\nsort = \"rating\"\n").expect("write");
    let out = crate::harness::revue()
        .args(["--format", "jsonl", "--config"])
        .arg(&config)
        .output()
        .expect("run revue");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown setting `sortt`"));
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .expect("a line"),
    )
    .expect("JSON");
    assert_eq!(first["author"], "UlrikSander");
    // The defaults, printed, are a valid file.
    let defaults = crate::harness::revue()
        .arg("--print-config")
        .output()
        .expect("run revue")
        .stdout;
    std::fs::write(&config, &defaults).expect("write");
    let out = crate::harness::revue()
        .args(["--stats", "--config"])
        .arg(&config)
        .output()
        .expect("run revue");
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The terminal's own cursor is where the user is, for screen readers: on the selected row,
/// at the end of the search or export prompt's text, at the top of the detail pane.
#[test]
fn the_real_cursor_follows_the_user() {
    use ratatui::backend::Backend as _;
    use ratatui::layout::Position;

    use crate::harness::render;

    let mut app = sample_app();
    run(&mut app, &[Action::SelectNext, Action::SelectNext]);
    let mut backend = render(&mut app, 120, 40);
    let rows = app.layout().rows;
    assert_eq!(
        backend.get_cursor_position().ok(),
        Some(Position::new(rows.x, rows.y + 2))
    );
    run(&mut app, &[Action::StartSearch]);
    for c in "mads".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    let mut backend = render(&mut app, 120, 40);
    let status = app.layout().status;
    // " / mads": the cursor after the s.
    assert_eq!(
        backend.get_cursor_position().ok(),
        Some(Position::new(status.x + 7, status.y))
    );
    run(&mut app, &[Action::SearchAccept, Action::ToggleFocus]);
    let mut backend = render(&mut app, 120, 40);
    let text = app.layout().detail_text;
    assert_eq!(
        backend.get_cursor_position().ok(),
        Some(Position::new(text.x, text.y))
    );
}

/// Nothing of a hidden spoiler's body comes out through any channel: every screen (list,
/// detail, histogram, stats, help, warnings, the search and export prompts, each sort), the
/// clipboard, the search and the order by length. Revealed, it does.
#[test]
fn a_hidden_body_leaks_through_no_channel() {
    use revue::app::{App, Outgoing};
    use revue::query::Query;

    use crate::harness::{render, screen};

    let secret = "Zanzibarian";
    let review = |title: &str, spoiler: bool, body: &str| {
        serde_json::json!({"rating": 8, "title": title, "author": "a", "date": "2020-01-01",
            "spoiler": spoiler, "helpful": 3, "not_helpful": 1, "body": body,
            "permalink": null})
    };
    let long_secret = format!("The {secret} twist: {}", "the butler again. ".repeat(50));
    let doc = serde_json::json!({"title": "F", "year": 2020, "review_count": 3,
        "reviews": [review("Plain", false, "A short plain review."),
                    review("Secret", true, &long_secret)]});
    let doc = revue::load::load_bytes(doc.to_string().into_bytes(), "f.json", None)
        .expect("loads")
        .document;
    let mut app = App::new(doc, Query::default(), Vec::new());
    let mut seen = String::new();
    let look = |app: &mut App, seen: &mut String| {
        for (w, h) in [(120, 40), (80, 24)] {
            seen.push_str(&screen(render(app, w, h).buffer()));
        }
        if let Some(Outgoing::Clipboard(text)) = app.take_outgoing() {
            seen.push_str(&text);
        }
        seen.push_str(app.message().unwrap_or_default());
    };
    look(&mut app, &mut seen);
    run(&mut app, &[Action::SelectNext]);
    look(&mut app, &mut seen);
    for action in [
        Action::ToggleFocus,
        Action::DetailBottom,
        Action::FocusList,
        Action::CopyReview,
        Action::ToggleStats,
        Action::JumpLongest,
        Action::FocusList,
        Action::ToggleHelp,
        Action::CloseOverlay,
        Action::StartExport,
        Action::SearchCancel,
    ] {
        run(&mut app, &[action]);
        look(&mut app, &mut seen);
    }
    for _ in 0..6 {
        run(&mut app, &[Action::NextSort]);
        look(&mut app, &mut seen);
    }
    // Sorted by length, the hidden body counts as unknown: last.
    while app.query().sort != revue::query::SortKey::Length {
        run(&mut app, &[Action::NextSort]);
    }
    render(&mut app, 120, 40);
    assert_eq!(app.view().last(), Some(&1));
    // A search for a word of it finds nothing.
    run(&mut app, &[Action::StartSearch]);
    for c in secret.chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    assert!(app.view().is_empty());
    look(&mut app, &mut seen);
    let body_word = "butler";
    assert!(!seen.contains(body_word), "a hidden body came out");

    // Revealed, it is there: the checks above could see it.
    run(&mut app, &[Action::SearchCancel, Action::ToggleRevealAll]);
    run(&mut app, &[Action::StartSearch]);
    for c in secret.chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept]);
    assert_eq!(app.view(), [1]);
    let mut after = String::new();
    run(&mut app, &[Action::CopyReview]);
    look(&mut app, &mut after);
    assert!(after.contains(body_word));
}

/// `n` past a review's last match goes on to the next review the search found, at its first
/// match, and `N` before the first back to the previous one's last, as `less` goes through
/// a file; at the last review's last match it says so and stays.
#[test]
fn n_goes_on_to_the_next_review_that_matches() {
    use crate::harness::render;

    let mut app = sample_app();
    let mut keys = vec![Action::StartSearch];
    keys.extend("pusher".chars().map(Action::SearchInput));
    keys.push(Action::SearchAccept);
    run(&mut app, &keys);
    render(&mut app, 120, 40);
    assert!(app.view().len() > 2);
    let first = app.selected();
    // Through the first review's matches and on.
    let mut steps = 0;
    while app.selected() == first {
        run(&mut app, &[Action::NextMatch]);
        render(&mut app, 120, 40);
        steps += 1;
        assert!(steps < 200, "never left the first review");
    }
    assert_eq!(app.cursor(), 1);
    assert_eq!(app.current_match(), Some(0), "{:?}", app.message());
    // Back: the previous review, at its last match.
    run(&mut app, &[Action::PreviousMatch]);
    render(&mut app, 120, 40);
    assert_eq!(app.selected(), first);
    assert_eq!(app.current_match(), Some(steps - 2), "{:?}", app.message());
    // At the end of the last review, it stays and says so.
    let last = app.view().len() - 1;
    for _ in 0..2000 {
        if app.cursor() == last
            && app
                .message()
                .is_some_and(|m| m.contains("the last match of the last review"))
        {
            break;
        }
        run(&mut app, &[Action::NextMatch]);
        render(&mut app, 120, 40);
    }
    assert_eq!(app.cursor(), last);
    assert!(
        app.message()
            .is_some_and(|m| m.contains("the last match of the last review"))
    );
}

/// `r` at 80×24, where the stacked list has no room for the histogram, says so rather than
/// "shown" over a screen without it; on a larger screen it is shown.
#[test]
fn the_histogram_says_why_it_is_not_shown_on_a_small_screen() {
    use crate::harness::render;

    for (width, height, said) in [
        (80, 24, "it shows when the window is larger"),
        (120, 40, "rating histogram shown"),
    ] {
        let mut app = sample_app().with_histogram(false);
        render(&mut app, width, height);
        run(&mut app, &[Action::ToggleHistogram]);
        assert!(
            app.message().is_some_and(|m| m.contains(said)),
            "{width}x{height}: {:?}",
            app.message()
        );
        render(&mut app, width, height);
        assert_eq!(app.ratings().is_some(), height == 40, "{width}x{height}");
    }
}
