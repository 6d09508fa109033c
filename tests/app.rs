//! App tests: send actions to the state, render into ratatui's `TestBackend`, and compare
//! whole screens with insta snapshots; style-critical cells are asserted directly.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use revue::app::App;
use revue::keymap::Action;
use revue::load::load_bytes;
use revue::query::Query;
use revue::theme::Theme;
use revue::ui::detail::SPOILER_NOTICE;

const SAMPLE: &[u8] = include_bytes!("data/pusher-ii-reviews.txt");

fn app() -> App {
    let loaded = load_bytes(SAMPLE.to_vec(), "pusher-ii-reviews.txt", None).expect("sample loads");
    App::new(
        loaded.document,
        Query::default(),
        Vec::new(),
        Theme::colored(),
    )
}

/// Renders the app at `width`×`height` and returns the buffer.
fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| {
            app.prepare(frame.area());
            frame.render_widget(&*app, frame.area());
        })
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row.
fn screen(buf: &Buffer) -> String {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in area.left()..area.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(app: &mut App, actions: &[Action]) {
    for &action in actions {
        app.update(action);
    }
}

fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    let s = screen(buf);
    s.lines().enumerate().find_map(|(y, line)| {
        line.find(text).map(|byte| {
            let x = unicode_width::UnicodeWidthStr::width(&line[..byte]);
            (u16::try_from(x).unwrap_or(0), u16::try_from(y).unwrap_or(0))
        })
    })
}

#[test]
fn first_screen() {
    let mut app = app();
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    assert!(text.contains("25 reviews"));
    assert!(text.contains("page lists 44"));
    assert!(text.contains("Nicolas Winding Refn's Pusher 1-3"));
    insta::assert_snapshot!(text);
}

#[test]
fn selected_row_is_highlighted_across_the_row() {
    let mut app = app();
    let buf = render(&mut app, 120, 40);
    let rows = app.layout.rows;
    let y = rows.y;
    assert!(
        screen(&buf)
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
    let buf = render(&mut app, 60, 20);
    insta::assert_snapshot!(screen(&buf));
}

#[test]
fn rating_filter() {
    let mut app = app();
    run(&mut app, &[Action::ToggleRating(10)]);
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    assert!(text.contains("3 of 25 reviews"));
    assert!(text.contains("rating 10"));
    insta::assert_snapshot!(text);
}

#[test]
fn each_sort_order() {
    let mut app = app();
    for _ in 0..6 {
        run(&mut app, &[Action::NextSort, Action::SelectFirst]);
        let name = app.query.sort.name();
        let buf = render(&mut app, 120, 30);
        insta::assert_snapshot!(format!("sort_{name}"), screen(&buf));
    }
    run(&mut app, &[Action::ReverseSort]);
    let buf = render(&mut app, 120, 30);
    assert!(screen(&buf).contains("sort featured ↓"));
}

#[test]
fn spoiler_is_hidden_then_revealed() {
    let mut app = app();
    run(&mut app, &[Action::SelectNext; 4]);
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    assert!(text.contains("kristianbk"));
    assert!(text.contains("This review contains spoilers"));
    assert!(
        !text.contains("Movies that describe"),
        "the spoiler text leaked"
    );
    let (x, y) = find(&buf, "This review contains").expect("notice");
    assert_eq!(buf[(x, y)].bg, Color::Magenta);
    insta::assert_snapshot!("spoiler_hidden", text);

    run(&mut app, &[Action::ToggleReveal]);
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    assert!(text.contains("Movies that describe"));
    assert!(!text.contains(SPOILER_NOTICE));
    insta::assert_snapshot!("spoiler_revealed", text);
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
    for (i, &index) in app.view.clone().iter().enumerate() {
        if app.doc.reviews[index].spoiler {
            app.cursor = i;
            app.selected = Some(index);
            render(&mut app, 120, 40);
            let detail = app.detail.as_ref().expect("detail");
            let lines: Vec<String> = detail.lines().iter().map(ToString::to_string).collect();
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
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    assert!(text.contains("2 matches"));
    let (x, y) = find(&buf, "baseball").expect("match shown");
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
    run(&mut app, &[Action::SearchAccept, Action::NextMatch]);
    let buf = render(&mut app, 120, 40);
    let (x, y) = find(&buf, "baseball").expect("match shown");
    assert_eq!(buf[(x, y)].bg, Color::LightRed, "current match");
    insta::assert_snapshot!(screen(&buf));
}

#[test]
fn search_in_a_hidden_spoiler_keeps_the_review_but_shows_nothing() {
    let mut app = app();
    run(&mut app, &[Action::StartSearch]);
    // Only in kristianbk's hidden body.
    for c in "handhold".chars() {
        run(&mut app, &[Action::SearchInput(c)]);
    }
    assert_eq!(app.view.len(), 1);
    let buf = render(&mut app, 120, 40);
    let detail = app.layout.detail;
    let pane: String = (detail.top()..detail.bottom())
        .flat_map(|y| (detail.left()..detail.right()).map(move |x| (x, y)))
        .map(|xy| buf[xy].symbol().to_string())
        .collect();
    assert!(pane.contains("kristianbk"));
    assert!(!pane.contains("handhold"));
    assert!(
        app.detail
            .as_ref()
            .is_some_and(|d| d.match_lines().is_empty())
    );
    run(&mut app, &[Action::SearchAccept, Action::ToggleReveal]);
    let buf = render(&mut app, 120, 40);
    assert!(screen(&buf).contains("handhold"));
}

#[test]
fn help_overlay() {
    let mut app = app();
    run(&mut app, &[Action::ToggleHelp]);
    let buf = render(&mut app, 120, 40);
    let text = screen(&buf);
    for (keys, help) in revue::keymap::help_rows().take(20) {
        assert!(text.contains(help), "help lacks {keys} {help}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn tiny_terminals_show_a_notice_and_never_panic() {
    let mut app = app();
    insta::assert_snapshot!("tiny_1x1", screen(&render(&mut app, 1, 1)));
    insta::assert_snapshot!("tiny_10x3", screen(&render(&mut app, 10, 3)));
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
    let text = screen(&render(&mut app, 120, 40));
    assert!(text.contains("kristianbk") && text.contains("This review contains spoilers"));
    run(&mut app, &[Action::ToggleReveal]);
    assert!(screen(&render(&mut app, 120, 40)).contains("Movies that describe"));
    run(&mut app, &[Action::ToggleRating(10)]);
    assert!(screen(&render(&mut app, 120, 40)).contains("3 of 25 reviews"));
    run(
        &mut app,
        &[Action::ClearFilters, Action::ToggleHideSpoilers],
    );
    assert!(screen(&render(&mut app, 120, 40)).contains("23 of 25 reviews"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut app = app();
    render(&mut app, 120, 40);
    let rows: Rect = app.layout.rows;
    app.click_at(rows.x + 3, rows.y + 2);
    assert_eq!(app.cursor, 2);
    app.scroll_at(rows.x + 3, rows.y, true);
    assert_eq!(app.cursor, 3);
    let detail = app.layout.detail_text;
    app.scroll_at(detail.x + 1, detail.y + 1, true);
    render(&mut app, 120, 40);
    assert_eq!(app.cursor, 3);
}
