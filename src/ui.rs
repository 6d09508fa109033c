//! Rendering: draws an [`App`] into a buffer. Reads state only; [`App::prepare`] has already
//! fitted it to the screen.

pub mod detail;
pub mod layout;
pub mod list;
pub mod overlay;
pub mod status;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::{App, Mode};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if self.layout.too_small || self.layout.area != area {
            render_too_small(area, buf);
            return;
        }
        list::render(self, buf);
        detail::render(self, buf);
        status::render(self, buf);
        match self.mode {
            Mode::Help => overlay::render_help(self, buf),
            Mode::Warnings => overlay::render_warnings(self, buf),
            Mode::Browse | Mode::Search => {}
        }
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
