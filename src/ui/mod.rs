//! Rendering: draws the app's state with a [`Theme`]. Reads state only, through the app's
//! accessors; [`crate::app::App::prepare`] has already fitted it to the screen. [`draw`]
//! is the one entry point.

pub mod detail;
pub mod histogram;
pub mod list;
pub mod overlay;
pub mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::{App, Mode};
use crate::layout;
pub use theme::Theme;

/// Draws one frame of `app` (prepared for this frame's size) in `theme`, with the
/// terminal's own cursor where the user is: on the selected row, at the top of the detail
/// pane when it has the focus, or at the end of a prompt's text. Screen readers and braille
/// displays follow the real cursor, not a drawn one.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: Theme) {
    let area = frame.area();
    if let Some(at) = render(app, theme, area, frame.buffer_mut()) {
        frame.set_cursor_position(at);
    }
}

/// Draws `app` into `buf`, which covers `area`; gives where the cursor goes.
pub fn render(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let screen = app.layout();
    if screen.too_small || screen.area != area {
        render_too_small(area, buf);
        return None;
    }
    list::render(app, theme, buf);
    histogram::render(app, theme, buf);
    detail::render(app, theme, buf);
    let prompt = status::render(app, theme, buf);
    match app.mode() {
        Mode::Help => overlay::render_help(app, theme, buf),
        Mode::Warnings => overlay::render_warnings(app, theme, buf),
        Mode::Stats => overlay::render_stats(app, theme, buf),
        Mode::Keywords => overlay::render_keywords(app, theme, buf),
        Mode::Browse | Mode::Search | Mode::Export | Mode::Label => {}
    }
    match app.mode() {
        Mode::Search | Mode::Export => prompt,
        Mode::Help | Mode::Warnings | Mode::Stats | Mode::Keywords => None,
        Mode::Browse | Mode::Label => match app.focus() {
            crate::app::Focus::Detail => Some(screen.detail_text.as_position()),
            crate::app::Focus::List => {
                let row = app.cursor().checked_sub(app.list_offset())?;
                let row = u16::try_from(row)
                    .ok()
                    .filter(|&r| r < screen.rows.height)?;
                (!app.view().is_empty()).then(|| Position::new(screen.rows.x, screen.rows.y + row))
            }
        },
    }
}

/// The notice shown instead of the app on a terminal too small to use.
fn render_too_small(area: Rect, buf: &mut Buffer) {
    let text = format!(
        "revue needs {}×{} or more; this terminal is {}×{}",
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT,
        area.width,
        area.height
    );
    Paragraph::new(Line::raw(text))
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
