//! The mouse: the wheel scrolls the pane under it, a click selects a row, focuses a pane or
//! toggles a rating of the histogram.

use ratatui::layout::Position;

use super::{App, Focus, layout};

impl App {
    /// The mouse wheel over a pane scrolls that pane.
    pub(super) fn scroll_at(&mut self, at: Position, down: bool) {
        let step: isize = if down { 1 } else { -1 };
        if self.layout.detail.contains(at) {
            self.scroll_detail(3 * step);
        } else if self.layout.list.contains(at) {
            self.move_cursor(step);
        }
    }

    /// A click on a list row selects it; a click in a pane focuses it.
    pub(super) fn click_at(&mut self, at: Position) {
        if self.layout.histogram.contains(at) {
            // A click on a bar (not on the title above them) toggles that rating in the
            // filter, as its key does; the filter counts each review on its own scale, so on
            // mixed scales, or beyond ten, the bars and the filter would not agree.
            let Some(ratings) = self.ratings.as_ref().map(|(_, r)| r) else {
                return;
            };
            if at.y == self.layout.histogram.y {
                return;
            }
            if ratings.mixed_scales || ratings.scale > 10 {
                self.message =
                    Some("the rating keys filter these ratings on their own scales".into());
                return;
            }
            if let Some(rating) =
                layout::histogram_rating(self.layout.histogram, ratings.scale, at.x)
            {
                self.query.ratings.toggle(rating);
                self.refresh_view();
            }
        } else if self.layout.detail.contains(at) {
            self.focus = Focus::Detail;
        } else if self.layout.rows.contains(at) {
            self.focus = Focus::List;
            let position = self.list_offset + usize::from(at.y - self.layout.rows.y);
            if position < self.view.len() {
                self.select_position(position);
            }
        }
    }
}
