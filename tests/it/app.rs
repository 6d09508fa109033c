//! App tests: send actions to the state, render into ratatui's `TestBackend`, and compare
//! whole screens with insta snapshots of the backend; style-critical cells are asserted
//! directly.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use revue::app::detail::SPOILER_NOTICE;
use revue::keymap::Action;

use crate::harness::{find, render, run, sample_app as app, screen};

#[test]
fn first_screen() {
    let mut app = app();
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    assert!(text.contains("25 reviews"));
    assert!(text.contains("page lists 44"));
    assert!(text.contains("Nicolas Winding Refn's Pusher 1-3"));
    insta::assert_snapshot!(backend);
}

#[test]
fn selected_row_is_highlighted_across_the_row() {
    let mut app = app();
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let rows = app.layout().rows;
    let y = rows.y;
    assert!(
        screen(buf)
            .lines()
            .nth(usize::from(y))
            .is_some_and(|l| l.contains("UlrikSander"))
    );
    for x in [rows.left(), rows.left() + 10, rows.right() - 1] {
        let cell = &buf[(x, y)];
        assert_eq!(cell.bg, Color::Blue, "cell {x},{y}");
        assert!(cell.modifier.contains(Modifier::BOLD));
    }
    let next = &buf[(rows.left() + 10, y + 1)];
    assert_ne!(next.bg, Color::Blue);
}

#[test]
fn narrow_screen_stacks_list_over_detail() {
    let mut app = app();
    let backend = render(&mut app, 60, 20);
    insta::assert_snapshot!(backend);
}

#[test]
fn rating_filter() {
    let mut app = app();
    run(&mut app, &[Action::ToggleRating(10)]);
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    assert!(text.contains("3 of 25 reviews"));
    assert!(text.contains("rating 10"));
    insta::assert_snapshot!(backend);
}

#[test]
fn each_sort_order() {
    let mut app = app();
    for _ in 0..6 {
        run(&mut app, &[Action::NextSort, Action::SelectFirst]);
        let name = app.query().sort.name();
        let backend = render(&mut app, 120, 30);
        insta::assert_snapshot!(format!("sort_{name}"), backend);
    }
    run(&mut app, &[Action::ReverseSort]);
    let backend = render(&mut app, 120, 30);
    let buf = backend.buffer();
    assert!(screen(buf).contains("sort featured ↓"));
}

#[test]
fn spoiler_is_hidden_then_revealed() {
    let mut app = app();
    run(&mut app, &[Action::SelectNext; 4]);
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    assert!(text.contains("kristianbk"));
    assert!(text.contains("This review contains spoilers"));
    assert!(
        !text.contains("Movies that describe"),
        "the spoiler text leaked"
    );
    let (x, y) = find(buf, "This review contains").expect("notice");
    assert_eq!(buf[(x, y)].bg, Color::Magenta);
    insta::assert_snapshot!("spoiler_hidden", backend);

    run(&mut app, &[Action::ToggleReveal]);
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    assert!(text.contains("Movies that describe"));
    assert!(!text.contains(SPOILER_NOTICE));
    insta::assert_snapshot!("spoiler_revealed", backend);
}

#[test]
fn hidden_spoiler_notice_does_not_depend_on_the_text() {
    // The two spoiler reviews have bodies of very different lengths; their hidden panes
    // differ only in the header lines.
    let mut app = app();
    run(
        &mut app,
        &[Action::ToggleRating(10), Action::ToggleRating(6)],
    );
    let mut bodies = Vec::new();
    for (i, &index) in app.view().to_vec().iter().enumerate() {
        if app.document().reviews[index].spoiler {
            run(&mut app, &[Action::SelectFirst]);
            run(&mut app, &vec![Action::SelectNext; i]);
            assert_eq!(app.selected(), Some(index));
            render(&mut app, 120, 40);
            let lines: Vec<String> = app
                .detail_lines(0..usize::MAX)
                .iter()
                .map(|l| l.text.clone())
                .collect();
            let body_start = lines.iter().position(String::is_empty).expect("blank line");
            bodies.push(lines[body_start..].to_vec());
        }
    }
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
}

#[test]
fn search_highlights_matches() {
    let mut app = app();
    run(&mut app, &[Action::StartSearch]);
    for c in "baseball".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    assert!(text.contains("2 matches"));
    let (x, y) = find(buf, "baseball").expect("match shown");
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
    run(&mut app, &[Action::SearchAccept, Action::NextMatch]);
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let (x, y) = find(buf, "baseball").expect("match shown");
    assert_eq!(buf[(x, y)].bg, Color::LightRed, "current match");
    insta::assert_snapshot!(backend);
}

#[test]
fn search_leaves_hidden_spoiler_bodies_out_until_revealed() {
    let mut app = app();
    run(&mut app, &[Action::StartSearch]);
    // Only in kristianbk's hidden body: the search finds nothing, and says why.
    for c in "handhold".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    assert_eq!(app.view().len(), 0);
    let text = screen(render(&mut app, 120, 40).buffer());
    assert!(text.contains("2 spoilers not searched"), "{text}");
    run(&mut app, &[Action::SearchAccept, Action::ToggleRevealAll]);
    assert_eq!(app.view().len(), 1);
    let text = screen(render(&mut app, 120, 40).buffer());
    assert!(
        text.contains("kristianbk") && text.contains("handhold"),
        "{text}"
    );
    assert!(!text.contains("not searched"), "{text}");
}

#[test]
fn help_overlay() {
    let mut app = app();
    run(&mut app, &[Action::ToggleHelp]);
    let backend = render(&mut app, 120, 40);
    let buf = backend.buffer();
    let text = screen(buf);
    for (keys, help) in revue::keymap::help_rows().take(20) {
        assert!(text.contains(help), "help lacks {keys} {help}");
    }
    insta::assert_snapshot!(backend);
}

#[test]
fn tiny_terminals_show_a_notice_and_never_panic() {
    let mut app = app();
    insta::assert_snapshot!("tiny_1x1", render(&mut app, 1, 1));
    insta::assert_snapshot!("tiny_10x3", render(&mut app, 10, 3));
    for w in 0..=40 {
        for h in 0..=12 {
            render(&mut app, w, h);
        }
    }
    run(&mut app, &[Action::ToggleHelp]);
    for w in 30..=40 {
        for h in 6..=12 {
            render(&mut app, w, h);
        }
    }
}

#[test]
fn walk_through_of_the_readme_tour() {
    let mut app = app();
    run(&mut app, &[Action::SelectNext; 4]);
    let text = screen(render(&mut app, 120, 40).buffer());
    assert!(text.contains("kristianbk") && text.contains("This review contains spoilers"));
    run(&mut app, &[Action::ToggleReveal]);
    assert!(screen(render(&mut app, 120, 40).buffer()).contains("Movies that describe"));
    run(&mut app, &[Action::ToggleRating(10)]);
    assert!(screen(render(&mut app, 120, 40).buffer()).contains("3 of 25 reviews"));
    run(
        &mut app,
        &[Action::ClearFilters, Action::ToggleHideSpoilers],
    );
    assert!(screen(render(&mut app, 120, 40).buffer()).contains("23 of 25 reviews"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut app = app();
    // Short enough that the first review's text scrolls.
    render(&mut app, 120, 20);
    let rows: Rect = app.layout().rows;
    run(
        &mut app,
        &[Action::Click {
            column: rows.x + 3,
            row: rows.y + 2,
        }],
    );
    assert_eq!(app.cursor(), 2);
    run(
        &mut app,
        &[Action::Scroll {
            column: rows.x + 3,
            row: rows.y,
            down: true,
        }],
    );
    assert_eq!(app.cursor(), 3);
    // The wheel over the detail scrolls the detail (three lines a notch), not the list.
    let detail = app.layout().detail_text;
    let top_line = screen(render(&mut app, 120, 20).buffer())
        .lines()
        .nth(usize::from(detail.y))
        .map(str::to_string)
        .expect("a first detail line");
    run(
        &mut app,
        &[Action::Scroll {
            column: detail.x + 1,
            row: detail.y + 1,
            down: true,
        }],
    );
    let backend = render(&mut app, 120, 20);
    assert_eq!(app.cursor(), 3);
    assert_eq!(app.detail_scroll(), 3);
    let third_line = app.detail_lines(3..4)[0].text.clone();
    let shown = screen(backend.buffer());
    let now_top = shown.lines().nth(usize::from(detail.y)).expect("a line");
    assert_ne!(now_top, top_line);
    assert!(
        now_top.contains(third_line.trim()),
        "{now_top:?} vs {third_line:?}"
    );
    // Back up, and a click in the detail focuses it.
    run(
        &mut app,
        &[
            Action::Scroll {
                column: detail.x + 1,
                row: detail.y + 1,
                down: false,
            },
            Action::Click {
                column: detail.x + 1,
                row: detail.y + 1,
            },
        ],
    );
    assert_eq!(app.detail_scroll(), 0);
    assert_eq!(app.focus(), revue::app::Focus::Detail);
}

#[test]
fn help_scrolls_to_its_last_row_and_no_further() {
    // Short enough that the help needs scrolling, wide enough for two columns, and narrow
    // enough for one: the scroll limit must follow what is drawn in both.
    for (width, height) in [(120, 20), (60, 20), (200, 14)] {
        let mut app = app();
        run(&mut app, &[Action::ToggleHelp]);
        run(&mut app, &[Action::OverlayDown; 200]);
        let buf = render(&mut app, width, height);
        let text = screen(buf.buffer());
        let overlay = app.layout().overlay;
        // The window's last text row holds a key row, not blank space.
        let last_row = text
            .lines()
            .nth(usize::from(overlay.y + overlay.height - 2))
            .expect("a row");
        let inside: String = last_row
            .chars()
            .skip(usize::from(overlay.x) + 1)
            .take(usize::from(overlay.width) - 2)
            .collect();
        assert!(
            !inside.trim().is_empty(),
            "{width}x{height}: blank last row\n{text}"
        );
        assert!(
            text.contains("suspend"),
            "{width}x{height}: the last row is not shown\n{text}"
        );
    }
}

#[test]
fn warnings_overlay() {
    use revue::app::{App, DocumentWarning};
    use revue::load::{Warning, load_bytes};
    let loaded = load_bytes(crate::harness::SAMPLE.to_vec(), "pusher.txt", None).expect("loads");
    let warnings = (1..=3)
        .map(|n| DocumentWarning {
            document: "pusher.txt".into(),
            warning: Warning {
                line: Some(n * 10),
                message: format!("warning number {n}"),
            },
        })
        .collect();
    let mut app = App::new(loaded.document, revue::query::Query::default(), warnings);
    run(&mut app, &[Action::ToggleWarnings]);
    let backend = render(&mut app, 100, 24);
    let text = screen(backend.buffer());
    assert!(text.contains("3 warnings (w)") && text.contains("pusher.txt:20: warning number 2"));
    insta::assert_snapshot!(backend);
}

#[test]
fn typing_a_search() {
    let mut app = app();
    run(&mut app, &[Action::StartSearch]);
    for c in "mads".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    let backend = render(&mut app, 100, 24);
    assert!(screen(backend.buffer()).contains(" / mads "));
    insta::assert_snapshot!(backend);
}

#[test]
fn detail_focus() {
    let mut app = app();
    run(&mut app, &[Action::ToggleFocus, Action::DetailPageDown]);
    let backend = render(&mut app, 100, 24);
    let buf = backend.buffer();
    let detail = app.layout().detail;
    // The focused pane's border is the bright one.
    assert_ne!(
        buf[(detail.x, detail.y)].fg,
        buf[(app.layout().list.x, detail.y + 1)].fg
    );
    assert!(app.detail_scroll() > 0);
    insta::assert_snapshot!(backend);
}

#[test]
fn several_documents() {
    use revue::app::App;
    use revue::load::load_bytes;
    let mut doc = load_bytes(crate::harness::SAMPLE.to_vec(), "pusher.txt", None)
        .expect("loads")
        .document;
    let other = crate::harness::read_data("imdb-legacy-layout-review.html");
    doc.append(
        load_bytes(other, "legacy.html", None)
            .expect("loads")
            .document,
    );
    let mut app = App::new(doc, revue::query::Query::default(), Vec::new());
    run(&mut app, &[Action::SelectLast]);
    let backend = render(&mut app, 120, 30);
    let text = screen(backend.buffer());
    assert!(text.contains("2 films: Pusher II 25"), "{text}");
    assert!(text.contains("film: "));
    insta::assert_snapshot!(backend);
}

#[test]
fn empty_view() {
    let mut app = app();
    run(&mut app, &[Action::ToggleRating(1)]);
    let backend = render(&mut app, 100, 24);
    let text = screen(backend.buffer());
    assert!(text.contains("0 of 25 reviews") && text.contains("No review matches the filters"));
    insta::assert_snapshot!(backend);
}

#[test]
fn loading_progress() {
    use revue::app::App;
    use revue::collect::{Collector, LoadEvent};
    use revue::load::load_bytes;
    use revue::model::Document;
    use revue::read::stream::Piece;
    let collector = Collector::new(vec!["big.txt".into()]);
    let mut app = App::new(
        Document::default(),
        revue::query::Query::default(),
        Vec::new(),
    )
    .with_loading(collector);
    app.absorb(LoadEvent::Started {
        input: 0,
        size: Some(4 << 20),
    });
    let loaded = load_bytes(crate::harness::SAMPLE.to_vec(), "big.txt", None).expect("loads");
    app.absorb(LoadEvent::Piece {
        input: 0,
        piece: Piece {
            loaded,
            bytes_read: 1 << 20,
            continues: true,
        },
    });
    let backend = render(&mut app, 120, 24);
    let text = screen(backend.buffer());
    assert!(text.contains("loading 25% (1 MiB of 4 MiB)"), "{text}");
    insta::assert_snapshot!(backend);
    app.absorb(LoadEvent::Finished { followable: 0 });
    assert!(!screen(render(&mut app, 120, 24).buffer()).contains("loading"));
}

#[test]
fn no_colour_theme() {
    let mut app = app();
    run(&mut app, &[Action::StartSearch]);
    for c in "pusher".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept, Action::NextMatch]);
    let backend = crate::harness::render_with(&mut app, 120, 30, revue::ui::Theme::monochrome());
    let buf = backend.buffer();
    // No cell has a colour; the selection, the matches and the current match still differ.
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let rows = app.layout().rows;
    assert!(
        buf[(rows.x + 1, rows.y)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let detail = app.layout().detail_text;
    let styles: std::collections::HashSet<Modifier> = (detail.top()..detail.bottom())
        .flat_map(|y| (detail.left()..detail.right()).map(move |x| (x, y)))
        .map(|xy| buf[xy].modifier)
        .collect();
    assert!(
        styles.len() >= 3,
        "matches, the current match and plain text look alike: {styles:?}"
    );
    insta::assert_snapshot!(backend);
}

/// Data from elsewhere on screen: ratings on their own scale, thumbs where there is no
/// rating (signs without colour), the column named for what the reviews are about, and the
/// verdict and rating keys working on it.
#[test]
fn review_data_from_elsewhere() {
    use revue::app::App;
    use revue::load::{Options, load_with};
    use revue::ui::theme::Theme;
    let load = |name: &str| {
        let path = format!("foreign/{name}");
        load_with(
            crate::harness::read_data(&path),
            name,
            None,
            &Options::default(),
        )
        .expect("loads")
        .document
    };
    let mut doc = load("steam.csv");
    doc.append(load("letterboxd-reviews.csv"));
    let mut app = App::new(doc, revue::query::Query::default(), Vec::new());
    let backend = render(&mut app, 100, 20);
    let text = screen(backend.buffer());
    assert!(text.contains("subject"), "a mix of games and films: {text}");
    assert!(text.contains("3.5/5") && text.contains("0.5/5"), "{text}");
    assert!(text.contains("👍") && text.contains("👎"), "{text}");
    assert!(text.contains("game: The Witcher 3: Wild Hunt"), "{text}");
    assert!(text.contains("7 subjects"), "{text}");
    insta::assert_snapshot!(backend);

    let mono = screen(crate::harness::render_with(&mut app, 100, 20, Theme::monochrome()).buffer());
    assert!(!mono.contains("👍"), "{mono}");
    assert!(mono.contains("  +   ") && mono.contains("  −   "), "{mono}");

    // `v` keeps the thumbs up; `4` the ratings that count as 4 on their own scale (3.5/5).
    run(&mut app, &[Action::CycleVerdict]);
    assert_eq!(app.view().len(), 3);
    run(&mut app, &[Action::ClearFilters, Action::ToggleRating(4)]);
    let ratings: Vec<String> = app
        .view()
        .iter()
        .map(|&i| {
            let r = app.document().reviews[i].rating.expect("rated");
            format!("{r}/{}", r.scale())
        })
        .collect();
    assert_eq!(ratings, ["3.5/5"]);
}

/// A hidden spoiler's body says nothing through any channel of the app: not through a
/// search (the list, the match count), not through sorting by length, not on any screen;
/// revealing it lets it back in.
#[test]
fn hidden_spoiler_bodies_leak_through_no_channel() {
    use revue::app::App;
    use revue::load::load_bytes;
    use revue::query::SortKey;
    let votes = "1 out of 1 found this helpful. Was this review helpful? Sign in to vote.";
    let secret = "zanzibar is where the twin hides the ledger. ".repeat(40);
    let page = format!(
        "8/10\nPlain one\nalice1 March 2006\nShort body.\n{votes}\nPermalink\n\
         9/10\nThe twist\nbob2 March 2006\nWarning: Spoilers\n{secret}\n{votes}\nPermalink\n\
         7/10\nMiddle\ncarol3 March 2006\nA medium body, longer than the first one.\n{votes}\nPermalink\n"
    );
    let doc = load_bytes(page.into_bytes(), "page.txt", None)
        .expect("loads")
        .document;
    assert_eq!(doc.reviews.len(), 3);
    let mut app = App::new(doc, revue::query::Query::default(), Vec::new());
    let authors = |app: &App| -> Vec<String> {
        app.view()
            .iter()
            .map(|&i| {
                app.document()
                    .author(&app.document().reviews[i])
                    .to_string()
            })
            .collect()
    };
    let shown = |app: &mut App| {
        let mut text = String::new();
        for (w, h) in [(120, 30), (80, 24)] {
            text.push_str(&screen(render(app, w, h).buffer()));
        }
        text
    };

    // Search: the hidden body is not searched, and the status bar says one was left out.
    run(&mut app, &[Action::StartSearch]);
    for c in "zanzibar".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept]);
    assert!(app.view().is_empty(), "{:?}", authors(&app));
    let text = shown(&mut app);
    assert!(text.contains("1 spoiler not searched"), "{text}");
    assert!(!text.contains("ledger"), "{text}");

    // Sorting by length: the hidden body counts as unknown, last, either way round.
    run(&mut app, &[Action::ClearFilters]);
    while app.query().sort != SortKey::Length {
        run(&mut app, &[Action::NextSort]);
    }
    assert_eq!(authors(&app), ["carol", "alice", "bob"]);
    run(&mut app, &[Action::ReverseSort]);
    assert_eq!(authors(&app), ["alice", "carol", "bob"]);
    let text = shown(&mut app);
    assert!(
        !text.contains("ledger") && !text.contains("zanzibar"),
        "{text}"
    );

    // Revealed, the body is searched and sorted like any other.
    run(&mut app, &[Action::ToggleRevealAll]);
    assert_eq!(authors(&app), ["alice", "carol", "bob"]);
    run(&mut app, &[Action::ReverseSort]);
    assert_eq!(authors(&app), ["bob", "carol", "alice"]);
    run(&mut app, &[Action::StartSearch]);
    for c in "zanzibar".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    run(&mut app, &[Action::SearchAccept]);
    assert_eq!(authors(&app), ["bob"]);
    // Hidden again: out of the search at once.
    run(&mut app, &[Action::ToggleRevealAll]);
    assert!(app.view().is_empty());
}
