//! What the fuzz targets check once the code under test has returned without panicking:
//! loaded text is sanitized, exports load back unchanged, and rendered cells are safe to send
//! to a terminal. A failed check panics, which libFuzzer reports as a crash like any other.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use revue::app::{App, DocumentWarning, Mode};
use revue::export::{self, OutputFormat};
use revue::keymap::Action;
use revue::load::{Format, Loaded, load_bytes};
use revue::model::Document;
use revue::query::Query;
use revue::sanitize::is_clean;
use revue::ui::Theme;

/// Characters that must never reach a terminal from a document: controls (other than the
/// line breaks text keeps), bidi embeddings, overrides and isolates, and line separators.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Panics when `text` holds anything but safe characters and `\n`.
pub fn assert_clean(text: &str, what: &str) {
    assert!(
        is_clean(text) && !text.chars().any(|c| c != '\n' && is_forbidden(c)),
        "{what}: unsafe text {text:?}"
    );
}

/// The input format a fuzz byte selects; `None` lets revue detect it.
pub fn format_for(byte: u8) -> Option<Format> {
    match byte % 7 {
        0 => None,
        1 => Some(Format::Text),
        2 => Some(Format::Json),
        3 => Some(Format::Jsonl),
        4 => Some(Format::Csv),
        5 => Some(Format::Html),
        _ => None,
    }
}

/// Loads `data`, and when it loads, checks the text and the export round trips.
pub fn check_load(data: &[u8], format: Option<Format>) {
    if let Ok(loaded) = load_bytes(data.to_vec(), "fuzz", format) {
        check_loaded(&loaded);
        round_trip(&loaded.document);
    }
}

/// Checks that nothing unsafe is in the document or its warnings.
pub fn check_loaded(loaded: &Loaded) {
    let doc = &loaded.document;
    assert!(!doc.reviews.is_empty(), "a loaded document has reviews");
    for r in &doc.reviews {
        assert_clean(doc.title(r), "title");
        assert_clean(doc.author(r), "author");
        assert_clean(doc.body(r), "body");
        assert_clean(doc.permalink(r).unwrap_or_default(), "permalink");
        assert!(
            r.rating.is_none_or(|n| {
                n.value() > 0.0
                    && n.value() <= f64::from(n.scale())
                    && (1..=100).contains(&n.scale())
            }),
            "rating {:?}",
            r.rating
        );
        assert!(
            usize::from(r.source) < doc.sources.len(),
            "source out of range"
        );
    }
    for source in &doc.sources {
        assert_clean(&source.label, "label");
        assert_clean(source.title.as_deref().unwrap_or_default(), "film title");
    }
    for warning in &loaded.warnings {
        assert_clean(&warning.to_string(), "warning");
    }
}

/// Everything an export carries about a review, for comparing round trips.
type Fields = (
    Option<(String, u8)>,
    Option<revue::model::Verdict>,
    String,
    String,
    Option<String>,
    bool,
    u64,
    Option<u64>,
    String,
    Option<String>,
    Option<String>,
);

fn fields(doc: &Document) -> Vec<Fields> {
    let films = doc.sources.len() > 1;
    doc.reviews
        .iter()
        .map(|r| {
            (
                r.rating.map(|n| (n.to_string(), n.scale())),
                r.verdict,
                doc.title(r).to_string(),
                doc.author(r).to_string(),
                r.date.map(|d| d.to_string()),
                r.spoiler,
                r.helpful,
                r.not_helpful(),
                doc.body(r).to_string(),
                doc.permalink(r).map(str::to_string),
                films
                    .then(|| doc.source_of(r).map(|s| s.label.clone()))
                    .flatten(),
            )
        })
        .collect()
}

/// Writes the document as JSON, JSON Lines and CSV and checks each loads back the same.
pub fn round_trip(doc: &Document) {
    let indices: Vec<usize> = (0..doc.reviews.len()).collect();
    let before = fields(doc);
    for (out_format, in_format) in [
        (OutputFormat::Json, Format::Json),
        (OutputFormat::Jsonl, Format::Jsonl),
        (OutputFormat::Csv, Format::Csv),
    ] {
        let mut out = Vec::new();
        export::write(&mut out, doc, &indices, out_format).expect("export to memory");
        let back = load_bytes(out.clone(), "fuzz", Some(in_format)).unwrap_or_else(|err| {
            panic!(
                "{out_format:?} export does not load back: {err}\n{}",
                String::from_utf8_lossy(&out)
            )
        });
        assert_eq!(
            fields(&back.document),
            before,
            "{out_format:?} round trip changed the reviews"
        );
        assert!(
            back.warnings.is_empty(),
            "{out_format:?} export loads back with warnings: {:?}",
            back.warnings
        );
    }
}

/// Renders the app at a size and checks every cell.
pub fn render_and_check(app: &mut App, width: u16, height: u16) {
    let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
    terminal
        .draw(|frame| {
            app.prepare(frame.area());
            revue::ui::draw(frame, app, Theme::colored());
        })
        .expect("drawing into a test backend cannot fail");
    let buf = terminal.backend().buffer();
    check_cells(buf);
    if !app.layout().too_small && matches!(app.mode(), Mode::Browse | Mode::Search) {
        check_frame(buf, app.layout().list);
        check_frame(buf, app.layout().detail);
    }
}

/// No forbidden character in any cell; every cell at least one column wide; a wide cell
/// fits in its row and the cells it covers are blank.
pub fn check_cells(buf: &Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(is_forbidden),
                "cell {x},{y} holds {symbol:?}"
            );
            let width = symbol.cell_width();
            assert!(width >= 1, "zero-width cell {x},{y} {symbol:?}");
            assert!(
                x + width <= area.right(),
                "{symbol:?} at {x},{y} runs off the row"
            );
            for covered in x + 1..x + width {
                assert_eq!(
                    buf[(covered, y)].symbol(),
                    " ",
                    "cell under a wide {symbol:?}"
                );
            }
            x += width;
        }
    }
}

/// A bordered pane's left and right edges are whole on every row.
pub fn check_frame(buf: &Buffer, pane: Rect) {
    if pane.width < 2 || pane.height < 2 {
        return;
    }
    for y in pane.top()..pane.bottom() {
        let left = buf[(pane.left(), y)].symbol();
        let right = buf[(pane.right() - 1, y)].symbol();
        let expected = if y == pane.top() {
            ("┌", "┐")
        } else if y == pane.bottom() - 1 {
            ("└", "┘")
        } else {
            ("│", "│")
        };
        assert_eq!((left, right), expected, "pane {pane:?} border on row {y}");
    }
}

/// The actions a fuzz byte's bits switch on, applied in order.
const ACTIONS: [&[Action]; 8] = [
    &[Action::SelectLast],
    &[Action::ToggleRevealAll],
    &[Action::ToggleFocus, Action::DetailBottom],
    &[Action::NextSort, Action::ReverseSort],
    &[Action::CycleFilm],
    &[
        Action::StartSearch,
        Action::SearchInput('e'),
        Action::SearchInput(' '),
    ],
    &[Action::ToggleHelp],
    &[Action::ToggleWarnings, Action::OverlayDown],
];

/// Loads `data` and renders it at `width`×`height` after the actions `bits` selects,
/// checking the text and every frame.
pub fn check_render(data: &[u8], format: Option<Format>, width: u16, height: u16, bits: u8) {
    let Ok(loaded) = load_bytes(data.to_vec(), "fuzz", format) else {
        return;
    };
    check_loaded(&loaded);
    let warnings = loaded
        .warnings
        .into_iter()
        .map(|warning| DocumentWarning {
            document: "fuzz".into(),
            warning,
        })
        .collect();
    let mut app = App::new(loaded.document, Query::default(), warnings);
    render_and_check(&mut app, width, height);
    for (i, actions) in ACTIONS.iter().enumerate() {
        if bits & (1 << i) != 0 {
            for &action in *actions {
                app.update(action);
            }
            render_and_check(&mut app, width, height);
        }
    }
}
