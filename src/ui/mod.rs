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
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::{App, Mode};
use crate::layout;
pub use theme::Theme;

/// Draws one frame of `app` (prepared for this frame's size) in `theme`.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: Theme) {
    let area = frame.area();
    render(app, theme, area, frame.buffer_mut());
}

/// Draws `app` into `buf`, which covers `area`.
pub fn render(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let screen = app.layout();
    if screen.too_small || screen.area != area {
        render_too_small(area, buf);
        return;
    }
    list::render(app, theme, buf);
    histogram::render(app, theme, buf);
    detail::render(app, theme, buf);
    status::render(app, theme, buf);
    match app.mode() {
        Mode::Help => overlay::render_help(app, theme, buf),
        Mode::Warnings => overlay::render_warnings(app, theme, buf),
        Mode::Stats => overlay::render_stats(app, theme, buf),
        Mode::Browse | Mode::Search | Mode::Export => {}
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
