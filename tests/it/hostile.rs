//! Render safety: documents full of hostile bytes and awkward Unicode, loaded through every
//! loader and drawn in every state at many sizes, never put a control or bidi-override
//! character on screen, always show their placeholders, and never spill a row into the next;
//! the `--format` outputs and the messages on standard error stay free of control bytes too.
//!
//! The assertions are on what would reach a terminal: the cells of ratatui's `TestBackend`
//! (the same cells the crossterm backend writes out), the bytes revue prints, and, so that
//! nothing relies on ratatui silently dropping control characters in spans, the text of the
//! loaded model and of the laid-out detail lines as well.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;

use revue::app::{App, DocumentWarning, Mode};
use revue::export::{CSV_FILM, CSV_HEADER};
use revue::keymap::Action;
use revue::load::{Format, Loaded, load_bytes};
use revue::model::Document;
use revue::query::Query;
use revue::read::Input;
use revue::sanitize::{is_clean, sanitize};

/// The end of every votes line in copied page text.
use crate::harness::VOTES;

/// Escape sequences and control characters, raw. None holds a NUL byte or a line break: a
/// NUL makes a whole file binary (tested in `bad_input.rs`), and line breaks are placed
/// deliberately below.
const ESCAPES: &[&str] = &[
    "\u{1b}[31mred\u{1b}[0m plain",
    "\u{1b}[2J\u{1b}[H\u{1b}[3J cleared",
    "\u{1b}]52;c;cm0gLXJmIH4K\u{7} clipboard",
    "\u{1b}]0;owned title\u{1b}\\ title",
    "\u{1b}]2;window\u{7} title two",
    "\u{1b}]8;;https://evil.example/\u{1b}\\click me\u{1b}]8;;\u{1b}\\ link",
    "\u{1b}P+q544e\u{1b}\\ dcs",
    "\u{1b}_apc\u{1b}\\ \u{1b}^pm\u{1b}\\ \u{1b}Xsos\u{1b}\\ strings",
    "\u{9b}31m \u{9d}0;c1 title\u{9c} \u{90}dcs\u{9c} \u{85}nel \u{9e}pm \u{9f}apc c1",
    "bell\u{7}\u{7} back\u{8}\u{8}\u{8}xyz del\u{7f} tab\there",
    "hidden\rshown over it",
    "\u{1b}[?1049l\u{1b}[?25l\u{1b}[?1000h\u{1b}[6n\u{1b}[21t\u{1b}c modes",
    "unterminated osc \u{1b}]52;c;aGVsbG8=",
    "unterminated csi \u{1b}[",
    "lone esc \u{1b}",
    "vt \u{b} ff \u{c} so \u{e} si \u{f} sub \u{1a} fs \u{1c}",
];

/// Characters that can reorder the text around them, and the Unicode line separators.
const BIDI: &[&str] = &[
    "\u{202e}gnp.exe reversed",
    "\u{2066}isolated\u{2069} \u{2067}rtl\u{2069} \u{2068}fsi\u{2069}",
    "\u{202a}lre\u{202c} \u{202b}rle\u{202c} \u{202d}lro\u{202c}",
    "line\u{2028}separator\u{2029}paragraph",
];

/// Text that is harmless but hard to lay out.
const UNICODE: &[&str] = &[
    "漢字かなカナ中文한국어 ＦＵＬＬＷＩＤＴＨ 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦 👩🏽\u{200d}💻 🏳\u{fe0f}\u{200d}🌈 ❤\u{fe0f} family",
    "🇩🇰🇺🇸🇯🇵🇩🇰🇺🇸🇯🇵🇩🇰🇺🇸🇯🇵 flags 🇩",
    "e\u{301}\u{302}\u{303}\u{304} Z\u{338}\u{322}\u{31b}\u{349}a\u{335}l\u{337}g\u{334}o\u{336}",
    "zero\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}width",
    "שלום עולם مرحبا بالعالم mixed",
    "\u{301}leading combining mark",
    "\u{200d}\u{fe0f} leading joiners",
    "x\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30a}\u{30b}\u{30c}\u{30d}\u{30e}\u{30f}\u{310}\u{311}\u{312}\u{313}\u{314}\u{315}\u{316}\u{317}\u{318}\u{319}\u{31a} stacked",
];

/// Every payload, in one list.
fn payloads() -> Vec<&'static str> {
    ESCAPES.iter().chain(BIDI).chain(UNICODE).copied().collect()
}

/// The film title every hostile document claims.
const FILM: &str = "Evil\u{1b}]0;pwned\u{7}\u{202e} Film";

/// A file name as hostile as the documents, as the binary would label it.
fn hostile_label(kind: &str) -> String {
    Input::File(PathBuf::from(format!(
        "dir/ev\u{1b}[2Jil\u{202e}\u{9b}.{kind}"
    )))
    .label()
}

/// A copied IMDb page with one review per payload in every field, plus reviews whose escape
/// sequences are split across lines, a 20-digit vote count, `0 out of 0` and a very long line.
fn copied_page() -> String {
    let mut page =
        format!("{FILM} (2004) Poster\n(2004)\nUser Reviews\n18446744073709551615 Reviews\n");
    for (i, p) in payloads().into_iter().enumerate() {
        let rating = i % 10 + 1;
        let votes = match i % 3 {
            0 => "0 out of 0",
            1 => "18446744073709551615 out of 18446744073709551615",
            _ => "1,413 out of 1,597",
        };
        let _ = write!(
            page,
            "{rating}/10\nTitle {i} {p}\nuser{i}{p}11 March 2006\n{}Body {i}: {p}\n\n\
             Second paragraph {p} end.\n{votes} {VOTES}\nPermalink\n",
            if i % 4 == 0 {
                "Warning: Spoilers\n"
            } else {
                ""
            }
        );
    }
    // A sequence split across lines, and across the title/author/body fields.
    let _ = write!(
        page,
        "Split title \u{1b}\n\u{1b}]0;t\u{7}11 March 2006\n]52;c;aGk=\u{7} body start\n\
         \u{1b}[\n31m next line\n2 out of 3 {VOTES}\nPermalink\n"
    );
    // A very long line of wide characters and escapes.
    let long = "漢\u{1b}[31mx👩\u{200d}💻\u{202e} ".repeat(5_000);
    let _ = write!(
        page,
        "Long one\nlongwriter1 May 2005\n{long}\n1 out of 1 {VOTES}\nPermalink\n"
    );
    page.push_str("See also\nRecently Viewed\n");
    page
}

/// revue's JSON with every payload, written by serde_json (which escapes C0 controls as
/// `\u001b` and leaves C1 and bidi characters raw).
fn json_document() -> serde_json::Value {
    let reviews: Vec<serde_json::Value> = payloads()
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "rating": i % 10 + 1,
                "title": format!("Title {i} {p}"),
                "author": format!("user{i}{p}"),
                "date": "2006-03-11",
                "spoiler": i % 4 == 0,
                "helpful": u64::MAX,
                "not_helpful": if i % 2 == 0 { u64::MAX } else { 0 },
                "body": format!("Body {i}: {p}\n\nSecond paragraph {p} end."),
                "permalink": format!("https://evil.example/{p}"),
            })
        })
        .collect();
    serde_json::json!({
        "title": FILM,
        "year": 2004,
        "review_count": u64::MAX,
        "reviews": reviews,
    })
}

/// Hand-written JSON: the same attacks hidden as `\u` escapes, including NUL, surrogate
/// pairs and an escape sequence split across two fields.
const JSON_ESCAPED: &str = r#"{"title": "t\u001b]0;x\u0007", "reviews": [
  {"title": "esc \u001b[31m c1 \u009b bidi \u202e pair \ud83d\udc69\u200d\ud83d\udcbb", "rating": 8,
   "author": "\u001b]52;c;aGk=\u0007", "body": "nul \u0000 del \u007f cr\r\nlf \u2028 ls \u001b",
   "permalink": "\u001b]8;;x\u001b\\"},
  {"title": "split \u001b", "author": "[2J", "body": "]0;title\u0007", "rating": 1}
]}"#;

/// JSON Lines of the same reviews.
fn jsonl_document() -> String {
    let doc = json_document();
    let mut out = String::new();
    for review in doc["reviews"].as_array().expect("reviews") {
        out.push_str(&serde_json::to_string(review).expect("serializes"));
        out.push('\n');
    }
    out
}

/// revue's CSV with every payload, a film column, and a sequence split across fields.
fn csv_document() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER.iter().chain([&CSV_FILM]))
        .expect("header");
    for (i, p) in payloads().into_iter().enumerate() {
        let rating = (i % 10 + 1).to_string();
        let title = format!("Title {i} {p}");
        let author = format!("user{i}{p}");
        let body = format!("Body {i}: {p}\n\nSecond paragraph {p} end.");
        let film = format!("film {}{p}", i % 3);
        w.write_record([
            rating.as_str(),
            &title,
            &author,
            "2006-03-11",
            if i % 4 == 0 { "true" } else { "false" },
            "18446744073709551615",
            "0",
            &body,
            p,
            &film,
        ])
        .expect("row");
    }
    w.write_record([
        "3",
        "split \u{1b}",
        "[2J",
        "2006-03-11",
        "false",
        "1",
        "1",
        "]52;c;aGk=\u{7}",
        "",
        "\u{1b}",
    ])
    .expect("row");
    // Bad values whose warnings quote them.
    w.write_record([
        "\u{1b}[31m",
        "t",
        "a",
        "\u{9b}2J",
        "\u{202e}yes",
        "\u{1b}]0;x\u{7}",
        "-1",
        "b",
        "",
        "",
    ])
    .expect("row");
    w.into_inner().expect("CSV in memory")
}

/// Escapes the characters HTML would read as markup, leaving everything else raw.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Hides every control, bidi and markup character as a numeric character reference,
/// alternating decimal and hexadecimal.
fn html_entities(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_control() || matches!(c, '&' | '<' | '>' | '\u{2000}'..='\u{206f}') {
            if i % 2 == 0 {
                let _ = write!(out, "&#{};", u32::from(c));
            } else {
                let _ = write!(out, "&#x{:x};", u32::from(c));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A current-layout review.
fn html_review(title: &str, author: &str, body: &str, spoiler: bool) -> String {
    let spoiler = if spoiler {
        "<div data-testid=\"review-spoiler-content\"></div>"
    } else {
        ""
    };
    format!(
        "<article class=\"sc-1 user-review-item\">\
         <span class=\"review-rating\"><span class=\"ipc-rating-star--rating\">7</span></span>\
         <div data-testid=\"review-summary\"><a href=\"/review/rw123/?ref_=x\"><h3>{title}</h3></a></div>\
         {spoiler}<div class=\"ipc-html-content-inner-div\">{body}</div>\
         <span class=\"ipc-voting__label__count ipc-voting__label__count--up\">18446744073709551615</span>\
         <span class=\"ipc-voting__label__count ipc-voting__label__count--down\">1.2K</span>\
         <ul><li><a data-testid=\"author-link\" href=\"/user/ur1/\">{author}</a></li>\
         <li class=\"review-date\">Jan 2, 2020</li></ul></article>"
    )
}

/// A saved page with every payload twice: raw, and hidden as character references.
fn html_page() -> String {
    let mut page = format!(
        "<!DOCTYPE html><html><head><title>{} (2004) - User reviews - IMDb</title></head><body>",
        html_entities(FILM)
    );
    for (i, p) in payloads().into_iter().enumerate() {
        for (n, encode) in [html_text as fn(&str) -> String, html_entities]
            .into_iter()
            .enumerate()
        {
            let p = encode(p);
            page.push_str(&html_review(
                &format!("Title {i}.{n} {p}"),
                &format!("user{i}{p}"),
                &format!("Body {i}: {p}<br><br>Second paragraph {p} end &#0; &#x9b;."),
                i % 4 == 0,
            ));
        }
    }
    page.push_str("</body></html>");
    page
}

/// Every hostile document: its name, bytes and the format to force (`None` detects).
fn documents() -> Vec<(&'static str, Vec<u8>, Option<Format>)> {
    let json = serde_json::to_vec_pretty(&json_document()).expect("JSON");
    vec![
        ("text", copied_page().into_bytes(), None),
        (
            "text-forced",
            copied_page().into_bytes(),
            Some(Format::Text),
        ),
        ("json", json, None),
        (
            "json-escaped",
            JSON_ESCAPED.as_bytes().to_vec(),
            Some(Format::Json),
        ),
        ("jsonl", jsonl_document().into_bytes(), None),
        (
            "jsonl-forced",
            jsonl_document().into_bytes(),
            Some(Format::Jsonl),
        ),
        ("csv", csv_document(), None),
        ("csv-forced", csv_document(), Some(Format::Csv)),
        ("html", html_page().into_bytes(), None),
        ("html-forced", html_page().into_bytes(), Some(Format::Html)),
    ]
}

/// Characters that must never reach a terminal from a document: C0 and C1 controls, DEL,
/// the bidi embeddings, overrides and isolates, and the Unicode line separators.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

fn assert_safe_text(text: &str, what: &str) {
    assert!(
        !text.chars().any(|c| c != '\n' && is_forbidden(c)) && is_clean(text),
        "{what}: unsafe text {text:?}"
    );
}

/// Loads a document, checking that nothing unsafe made it into the model or the warnings.
fn load(name: &str, bytes: Vec<u8>, format: Option<Format>) -> Loaded {
    let loaded = load_bytes(bytes, &hostile_label(name), format)
        .unwrap_or_else(|err| panic!("{name} does not load: {err}"));
    let doc = &loaded.document;
    assert!(!doc.reviews.is_empty(), "{name}: no reviews");
    for (i, r) in doc.reviews.iter().enumerate() {
        let what = format!("{name} review {i}");
        assert_safe_text(&doc.title(r), &what);
        assert_safe_text(&doc.author(r), &what);
        assert_safe_text(&doc.body(r), &what);
        assert_safe_text(&doc.permalink(r).unwrap_or_default(), &what);
    }
    for source in &doc.sources {
        assert_safe_text(&source.label, name);
        assert_safe_text(source.title.as_deref().unwrap_or_default(), name);
    }
    for w in &loaded.warnings {
        assert_safe_text(&w.to_string(), &format!("{name} warning"));
    }
    loaded
}

/// The placeholders `sanitize` makes of `text`: control pictures and `<U+XXXX>` forms.
fn placeholders(text: &str) -> Vec<String> {
    let clean = sanitize(text);
    let mut found: Vec<String> = clean
        .chars()
        .filter(|c| ('\u{2400}'..='\u{2421}').contains(c))
        .map(String::from)
        .collect();
    let mut rest = clean.as_ref();
    while let Some(at) = rest.find("<U+") {
        let end = rest[at..].find('>').map_or(rest.len(), |end| at + end + 1);
        found.push(rest[at..end].to_string());
        rest = &rest[end..];
    }
    found
}

fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    crate::harness::render(app, width, height).buffer().clone()
}

/// How many columns a cell's symbol takes. A control character is counted as one column
/// here (ratatui's own measure refuses it), so that a failure can still print the screen.
fn columns_of(symbol: &str) -> u16 {
    if symbol.contains(char::is_control) {
        1
    } else {
        symbol.cell_width()
    }
}

/// The text of `area` in `buf`, one line per row, each wide character once.
fn text_of(buf: &Buffer, area: Rect) -> String {
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            x += columns_of(symbol).max(1);
        }
        out.push('\n');
    }
    out
}

/// Checks what a terminal would be sent for this buffer: no cell holds a forbidden
/// character; every cell takes at least one column (a zero-width cell would shift the rest
/// of the row left); a wide character fits in its row and the cells it covers are blank
/// (ratatui's diff assumes so, and the terminal would otherwise draw them over it).
fn assert_cells_safe(buf: &Buffer, what: &str) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(is_forbidden),
                "{what}: cell {x},{y} holds {symbol:?}\n{}",
                text_of(buf, area)
            );
            let width = symbol.cell_width();
            assert!(
                width >= 1,
                "{what}: zero-width cell {x},{y} {symbol:?}\n{}",
                text_of(buf, area)
            );
            assert!(
                x + width <= area.right(),
                "{what}: {symbol:?} at {x},{y} runs off the row\n{}",
                text_of(buf, area)
            );
            for covered in x + 1..x + width {
                assert_eq!(
                    buf[(covered, y)].symbol(),
                    " ",
                    "{what}: cell {covered},{y} under the wide {symbol:?} is not blank\n{}",
                    text_of(buf, area)
                );
            }
            x += width;
        }
    }
}

/// Checks that a bordered pane's left and right edges are intact on every row, which they
/// would not be if anything inside had overflowed into them.
fn assert_frame_intact(buf: &Buffer, pane: Rect, what: &str) {
    if pane.width < 2 || pane.height < 2 {
        return;
    }
    for y in pane.top()..pane.bottom() {
        let (left, right) = (
            buf[(pane.left(), y)].symbol(),
            buf[(pane.right() - 1, y)].symbol(),
        );
        let (l_ok, r_ok) = if y == pane.top() {
            (left == "┌", right == "┐")
        } else if y == pane.bottom() - 1 {
            (left == "└", right == "┘")
        } else {
            (left == "│", right == "│")
        };
        assert!(
            l_ok && r_ok,
            "{what}: pane {pane:?} border broken on row {y}: {left:?} {right:?}\n{}",
            text_of(buf, buf.area)
        );
    }
}

/// Checks that the list's columns stay where the header puts them on every row: each row
/// reaches the right border when the helpful column (right-aligned against it) is shown, and
/// every date starts under the `date` heading. A title whose width was miscounted would push
/// them along or cut them off.
fn assert_list_rows_aligned(app: &App, buf: &Buffer, what: &str) {
    let (header, _) = row_text(buf, app.layout().header);
    let header = header.trim_end();
    let date_column = header.find("date").map(|at| header[..at].chars().count());
    let helpful_shown = header.ends_with("helpful");
    let date = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").expect("valid regex");
    let rows = app.layout().rows;
    let shown =
        u16::try_from(app.view().len().saturating_sub(app.list_offset())).unwrap_or(u16::MAX);
    for y in rows.top()..rows.top() + rows.height.min(shown) {
        let (line, columns) = row_text(buf, Rect::new(rows.x, y, rows.width, 1));
        // A document without votes has an empty helpful cell.
        let at = app.list_offset() + usize::from(y - rows.top());
        let no_votes = app.view().get(at).is_some_and(|&i| {
            let doc = app.document();
            doc.source_of(&doc.reviews[i]).is_some_and(|s| s.no_votes)
        });
        if helpful_shown && !no_votes {
            assert!(
                line.ends_with("votes")
                    || line.ends_with("helpful")
                    || line.ends_with(|c: char| c.is_ascii_digit() || c == '…'),
                "{what}: list row {y} does not reach the border: {line:?}"
            );
        }
        if let (Some(found), Some(expected)) = (date.find(&line), date_column) {
            assert_eq!(
                usize::from(columns[found.start()] - rows.x),
                expected,
                "{what}: a date moved out of its column: {line:?} under {header:?}"
            );
        }
    }
}

/// The text of a one-row area and, for each byte of it, the column its character starts in.
fn row_text(buf: &Buffer, area: Rect) -> (String, Vec<u16>) {
    let mut line = String::new();
    let mut columns = Vec::new();
    let mut x = area.left();
    while x < area.right() {
        let symbol = buf[(x, area.y)].symbol();
        columns.extend(std::iter::repeat_n(x, symbol.len()));
        line.push_str(symbol);
        x += columns_of(symbol).max(1);
    }
    (line, columns)
}

/// Renders `app` at `width`×`height`, checks every cell, and returns the screen's text.
fn check(app: &mut App, width: u16, height: u16, what: &str) -> String {
    let buf = render(app, width, height);
    let what = format!("{what} at {width}x{height} ({:?})", app.mode());
    assert_cells_safe(&buf, &what);
    if !app.layout().too_small {
        if matches!(app.mode(), Mode::Browse | Mode::Search) {
            assert_frame_intact(&buf, app.layout().list, &what);
            assert_frame_intact(&buf, app.layout().detail, &what);
            assert_list_rows_aligned(app, &buf, &what);
        }
        for line in app.detail_lines(0..usize::MAX) {
            assert_safe_text(&line.text, &format!("{what} detail line"));
        }
        for part in revue::ui::status::status_parts(app) {
            assert_safe_text(&part, &format!("{what} status"));
        }
    }
    text_of(&buf, buf.area)
}

/// Sizes from the smallest the app draws at to very wide, both sides of the side-by-side
/// threshold, odd and even.
const SIZES: &[(u16, u16)] = &[
    (32, 8),
    (33, 9),
    (41, 12),
    (64, 20),
    (80, 24),
    (99, 30),
    (100, 30),
    (137, 41),
    (250, 60),
];

/// The sizes every review is selected at: one cramped and stacked, one side by side.
const WALK_SIZES: &[(u16, u16)] = &[(33, 9), (137, 41)];

fn app_for(loaded: Loaded, name: &str) -> App {
    let document = Input::File(PathBuf::from(format!("ev\u{1b}]0;x\u{7}il\u{202e}.{name}")));
    let warnings = loaded
        .warnings
        .into_iter()
        .map(|warning| DocumentWarning {
            document: document.to_string(),
            warning,
        })
        .collect();
    App::new(loaded.document, Query::default(), warnings)
}

/// Walks the app through its states at every size, checking every frame.
fn walk(app: &mut App, name: &str) {
    for &(w, h) in WALK_SIZES {
        // Every review, spoilers hidden and then revealed, and the end of the last one.
        for _ in ["hidden", "revealed"] {
            app.update(Action::SelectFirst);
            for _ in 0..app.view().len() {
                check(app, w, h, &format!("{name} review {:?}", app.selected()));
                app.update(Action::SelectNext);
            }
            app.update(Action::ToggleFocus);
            app.update(Action::DetailBottom);
            check(app, w, h, &format!("{name} detail end"));
            app.update(Action::FocusList);
            app.update(Action::ToggleRevealAll);
        }
    }
    for &(w, h) in SIZES {
        app.update(Action::SelectFirst);
        check(app, w, h, name);
        for overlay in [Action::ToggleHelp, Action::ToggleWarnings] {
            app.update(overlay);
            check(app, w, h, name);
            for _ in 0..5 {
                app.update(Action::OverlayDown);
            }
            check(app, w, h, name);
            app.update(Action::CloseOverlay);
        }
        // A search that matches inside hostile text, typed, kept and stepped through.
        app.update(Action::StartSearch);
        for c in "red".chars() {
            app.update(Action::SearchInput(c));
            check(app, w, h, &format!("{name} searching"));
        }
        app.update(Action::SearchAccept);
        app.update(Action::NextMatch);
        check(app, w, h, &format!("{name} search kept"));
        app.update(Action::ClearFilters);
    }
}

#[test]
fn every_loader_gives_safe_text_and_safe_screens() {
    for (name, bytes, format) in documents() {
        let loaded = load(name, bytes, format);
        // A forced format goes through the same loader as the detected one: its text is
        // checked, and drawing it again would only repeat the same frames.
        if format.is_none() || name == "json-escaped" {
            let mut app = app_for(loaded, name);
            walk(&mut app, name);
        }
    }
}

#[test]
fn several_hostile_documents_open_together() {
    let mut all: Option<Document> = None;
    let mut warnings = Vec::new();
    for (name, bytes, format) in documents() {
        let loaded = load(name, bytes, format);
        warnings.extend(loaded.warnings.into_iter().map(|warning| DocumentWarning {
            document: name.to_string(),
            warning,
        }));
        match &mut all {
            Some(doc) => doc.append(loaded.document),
            None => all = Some(loaded.document),
        }
    }
    let doc = all.expect("documents");
    assert!(doc.sources.len() > 1);
    let mut app = App::new(doc, Query::default(), warnings);
    // Every film, through the film filter, at a few sizes.
    for _ in 0..=app.document().sources.len() {
        app.update(Action::CycleFilm);
        for (w, h) in [(40, 12), (120, 40), (250, 60)] {
            check(&mut app, w, h, "several documents");
        }
    }
}

#[test]
fn placeholders_are_visible_where_the_characters_were() {
    for (name, bytes, format) in documents() {
        let loaded = load(name, bytes, format);
        let mut app = app_for(loaded, name);
        app.update(Action::ToggleRevealAll);
        let mut seen = 0;
        for _ in 0..app.view().len() {
            let index = app.selected().expect("a review is selected");
            let buf = render(&mut app, 250, 200);
            let pane = text_of(&buf, app.layout().detail_text);
            let review = &app.document().reviews[index];
            // The body's own text as the model holds it, placeholders included.
            let body = app.document().body(review);
            for token in placeholders(&body) {
                assert!(
                    pane.contains(&token),
                    "{name}: {token} of review {index} not on screen:\n{pane}"
                );
                seen += 1;
            }
            app.update(Action::SelectNext);
        }
        assert!(seen > 0, "{name}: no placeholder was checked");
    }
}

#[test]
fn the_placeholders_name_the_characters() {
    let loaded = load("text", copied_page().into_bytes(), None);
    let doc = &loaded.document;
    let mut all = String::new();
    for r in &doc.reviews {
        for text in [doc.title(r), doc.author(r), doc.body(r)] {
            all.push_str(&text);
        }
    }
    for token in [
        "\u{241b}[31m", // ␛
        "\u{2407}",     // ␇ bell
        "\u{2408}",     // ␈ backspace
        "\u{2421}",     // ␡ delete
        "›31m",
        "<U+009D>",
        "…",
        "<U+202E>",
        "<U+2066>",
    ] {
        assert!(all.contains(token), "no {token:?} in the loaded text");
    }
}

/// The user's own typing (search prompt, `--search`, `--film`) is drawn too; pasted bidi
/// characters must not reorder the status bar.
#[test]
fn typed_search_text_is_drawn_safely() {
    let loaded = load("text", copied_page().into_bytes(), None);
    let mut app = app_for(loaded, "text");
    app.update(Action::StartSearch);
    for c in "\u{202e}\u{2066}\u{1b}[2J\u{9b}x".chars() {
        app.update(Action::SearchInput(c));
        check(&mut app, 120, 40, "typed search");
    }
    app.update(Action::SearchAccept);
    check(&mut app, 120, 40, "kept search");
}

// ---------------------------------------------------------------------------------------
// What the binary prints.

/// Writes the hostile documents into `dir` under hostile names and returns their paths.
fn write_documents(dir: &Path) -> Vec<PathBuf> {
    documents()
        .into_iter()
        .filter(|(_, _, format)| format.is_none())
        .map(|(name, bytes, _)| {
            let path = dir.join(format!("ev\u{1b}]0;x\u{7}il\u{202e}\u{9b}.{name}"));
            std::fs::write(&path, bytes).expect("write document");
            path
        })
        .collect()
}

/// Bytes revue printed that a terminal would act on: anything below 0x20 but `\n`, DEL,
/// UTF-8 C1 controls, bidi overrides and isolates, and line separators.
fn assert_printable(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| c != '\n' && is_forbidden(c))
        .take(5)
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: unsafe characters {bad:?} in:\n{}",
        text.chars().take(2000).collect::<String>()
    );
}

fn revue(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(cargo_bin!("revue"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("revue runs")
}

#[test]
fn format_outputs_hold_no_control_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_documents(dir.path());
    for format in ["json", "jsonl", "csv", "markdown"] {
        // Each document alone, then all of them at once (which adds the film column).
        let mut runs: Vec<Vec<&PathBuf>> = files.iter().map(|f| vec![f]).collect();
        runs.push(files.iter().collect());
        for run in runs {
            let mut args: Vec<&std::ffi::OsStr> = vec!["--format".as_ref(), format.as_ref()];
            args.extend(run.iter().map(|p| p.as_os_str()));
            let output = revue(&args);
            let what = format!("--format {format} of {} file(s)", run.len());
            assert!(output.status.success(), "{what}: {output:?}");
            assert!(!output.stdout.is_empty(), "{what}: no output");
            assert_printable(&output.stdout, &what);
            assert_printable(&output.stderr, &format!("{what} (stderr)"));
        }
    }
}

#[test]
fn messages_about_hostile_file_names_are_sanitized() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "ev\u{1b}]0;pwned\u{7}il\u{202e}\u{9b}2J";
    let missing = dir.path().join(format!("{name}.missing"));
    let folder = dir.path().join(format!("{name}.dir"));
    std::fs::create_dir(&folder).expect("folder");
    let empty = dir.path().join(format!("{name}.empty"));
    std::fs::write(&empty, b"").expect("empty");
    let no_reviews = dir.path().join(format!("{name}.txt"));
    std::fs::write(&no_reviews, "just \u{1b}[31m words\n").expect("words");
    let warns = dir.path().join(format!("{name}.csv"));
    std::fs::write(&warns, csv_document()).expect("csv");
    for path in [&missing, &folder, &empty, &no_reviews, &warns] {
        let output = revue(&["--format".as_ref(), "json".as_ref(), path.as_os_str()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.is_empty(), "{path:?}: nothing on stderr");
        assert!(stderr.contains('\u{241b}'), "{path:?}: {stderr}");
        assert_printable(&output.stderr, &format!("stderr for {path:?}"));
        assert_printable(&output.stdout, &format!("stdout for {path:?}"));
    }
}

// ---------------------------------------------------------------------------------------
// The checks themselves catch what they look for (ratatui's `Cell::set_symbol` takes any
// text, so a widget could put a raw escape in a cell).

#[test]
#[should_panic(expected = "holds")]
fn the_cell_check_catches_a_raw_escape() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(1, 0)].set_symbol("\u{1b}");
    assert_cells_safe(&buf, "planted");
}

#[test]
#[should_panic(expected = "holds")]
fn the_cell_check_catches_a_bidi_override() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(0, 0)].set_symbol("\u{202e}");
    assert_cells_safe(&buf, "planted");
}

#[test]
#[should_panic(expected = "is not blank")]
fn the_cell_check_catches_a_cell_hidden_under_a_wide_one() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(0, 0)].set_symbol("漢");
    buf[(1, 0)].set_symbol("x");
    assert_cells_safe(&buf, "planted");
}

#[test]
#[should_panic(expected = "runs off the row")]
fn the_cell_check_catches_a_wide_character_in_the_last_column() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(3, 0)].set_symbol("漢");
    assert_cells_safe(&buf, "planted");
}

#[test]
#[should_panic(expected = "zero-width")]
fn the_cell_check_catches_a_zero_width_cell() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
    buf[(2, 0)].set_symbol("\u{301}");
    assert_cells_safe(&buf, "planted");
}

/// A single line of a megabyte (no spaces: one unbreakable word of wide characters, emoji
/// and escapes) loads, wraps and draws in a narrow and a wide pane.
#[test]
fn a_megabyte_line_draws() {
    let word = "漢👩\u{200d}💻x\u{1b}[31m\u{202e}".repeat(1 << 20 >> 5);
    let page = format!("8/10\nLong\nlongwriter1 May 2005\n{word}\n1 out of 1 {VOTES}\nPermalink\n");
    let loaded = load("long", page.into_bytes(), None);
    let mut app = app_for(loaded, "long");
    app.update(Action::ToggleFocus);
    for (w, h) in [(33, 9), (137, 41)] {
        check(&mut app, w, h, "megabyte line");
        app.update(Action::DetailBottom);
        check(&mut app, w, h, "megabyte line, end");
    }
}

/// A CSV of one film with hostile bad values, each of which gets a warning quoting it.
fn csv_with_bad_values() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("header");
    w.write_record([
        "8",
        "fine",
        "a",
        "2006-03-11",
        "false",
        "1",
        "1",
        "body",
        "",
    ])
    .expect("row");
    for (i, bad) in ESCAPES.iter().chain(BIDI).enumerate() {
        let title = format!("bad {i}");
        w.write_record([*bad, &title, "a", bad, bad, bad, "1", "b", ""])
            .expect("row");
    }
    w.into_inner().expect("CSV in memory")
}

/// Warnings from a partly readable document are counted in the status bar, and the
/// warnings window lists each with its document and line number, all of it sanitized.
#[test]
fn warnings_are_counted_and_listed_with_line_numbers() {
    let loaded = load("csv", csv_with_bad_values(), None);
    let count = loaded.warnings.len();
    assert!(count >= ESCAPES.len(), "{:?}", loaded.warnings);
    assert!(loaded.warnings.iter().all(|w| w.line.is_some()));
    let first_line = loaded.warnings[0].line.expect("a line");
    let mut app = app_for(loaded, "csv");
    let screen = check(&mut app, 160, 50, "csv warnings");
    assert!(
        screen.contains(&format!("{count} warnings (w)")),
        "{screen}"
    );
    app.update(Action::ToggleWarnings);
    let screen = check(&mut app, 160, 50, "csv warnings window");
    assert!(
        screen.contains(&format!(
            "ev\u{241b}]0;x\u{2407}il<U+202E>.csv:{first_line}: "
        )),
        "{screen}"
    );
    assert!(screen.contains("\u{241b}[31m"), "{screen}");
}

/// With many documents open their names fill the status bar; the warning count must still
/// show.
#[test]
fn the_warning_count_survives_a_long_status_bar() {
    let loaded = load("csv", csv_document(), None);
    let count = loaded.warnings.len();
    assert!(loaded.document.sources.len() > 10);
    let mut app = app_for(loaded, "csv");
    let screen = check(&mut app, 160, 50, "many documents");
    assert!(
        screen.contains(&format!("{count} warnings (w)")),
        "{screen}"
    );
}
