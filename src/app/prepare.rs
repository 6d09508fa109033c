//! Fitting the state to the screen before each frame: the layout, the list's scroll, the
//! selected review laid out (a slice at a time for a huge one), the histogram's counts and
//! the overlays' scroll limits.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::{App, DetailLayout, LAYOUT_BUDGET, Mode, keymap, layout};
use crate::layout::ScreenLayout;
use crate::query::{Query, RatingSet};

impl App {
    /// Fits the state to a screen of `area`: remembers the layout, keeps the selection in
    /// view, and lays out the selected review's text if the width or review changed.
    pub fn prepare(&mut self, area: Rect) {
        self.tell_if_text_changed();
        self.layout = ScreenLayout::with_histogram(area, self.show_histogram && self.any_rated);
        // While reviews pour in, the bars are recounted a few times a second, not per piece.
        let due = self.loading.is_none()
            || self
                .ratings_at
                .is_none_or(|at| at.elapsed() >= Duration::from_millis(250));
        if !self.layout.histogram.is_empty()
            && due
            && self
                .ratings
                .as_ref()
                .is_none_or(|(g, _)| *g != self.view_generation)
        {
            self.ratings = Some((self.view_generation, self.ratings_of_other_filters()));
            self.ratings_at = Some(Instant::now());
        }
        let rows = usize::from(self.layout.rows.height).max(1);
        if self.cursor < self.list_offset {
            self.list_offset = self.cursor;
        } else if self.cursor >= self.list_offset + rows {
            self.list_offset = self.cursor + 1 - rows;
        }
        self.list_offset = self.list_offset.min(self.view.len().saturating_sub(rows));

        let width = self
            .layout
            .detail_text
            .width
            .min(self.wrap_width.unwrap_or(u16::MAX));
        self.detail = self.selected.map(|index| {
            let hidden = self.is_hidden(index);
            match self.detail.take() {
                Some(d) if d.is_for(index, width, hidden, &self.query.search) => d,
                _ => DetailLayout::new(&self.doc, index, width, hidden, &self.query.search),
            }
        });
        let height = usize::from(self.layout.detail_text.height);
        // A long body is laid out as far as it is scrolled to (to the end for `G`), for at
        // most a slice of time per frame: the frames after this one go on with it (see
        // `layout_pending`), and keys are read between them.
        self.layout_pending = false;
        let to_bottom = self.to_bottom;
        if let Some(detail) = &mut self.detail {
            let want = if self.to_bottom {
                usize::MAX
            } else {
                self.detail_scroll.saturating_add(height).saturating_add(1)
            };
            let deadline = Instant::now() + LAYOUT_BUDGET;
            self.layout_pending = !detail.extend(&self.doc, want, Some(deadline));
            if detail.is_complete() {
                self.to_bottom = false;
            }
        }
        // `n` went on to this review: its first match (or, for `N`, its last).
        if let Some(forward) = self.match_on_arrival.take() {
            self.current_match = None;
            self.jump_match_from(forward, false);
        }
        let lines = self.detail.as_ref().map_or(0, DetailLayout::len);
        if to_bottom {
            // The end laid out so far, which moves down as the rest is laid out.
            self.detail_scroll = usize::MAX;
        }
        self.detail_scroll = self.detail_scroll.min(lines.saturating_sub(height));
        let overlay_lines = match self.mode {
            Mode::Warnings => {
                let explained = self.loading.as_ref().map_or(0, |c| c.explained.len());
                // Inside the borders and the leading space.
                let width = usize::from(self.layout.overlay.width.saturating_sub(3));
                let key = (
                    self.warnings.len() + self.failures.len(),
                    self.explained.len() + explained,
                    width,
                );
                if self.info.0 != Some(key) {
                    self.info = (Some(key), self.make_info(width));
                }
                self.info.1.len()
            }
            // The help's rows are laid out only while it is open, not on every frame.
            Mode::Stats => self
                .stats_lines(usize::from(self.layout.overlay.width.saturating_sub(2)))
                .len(),
            Mode::Help => {
                let rows: Vec<_> = keymap::help_rows().collect();
                layout::help_layout(self.layout.overlay, &rows).lines
            }
            Mode::Keywords => {
                // The selected term stays in sight.
                let (lines, selected) = self.keywords_lines();
                let height = usize::from(self.layout.overlay.height.saturating_sub(2)).max(1);
                if let Some(at) = selected {
                    if at < self.overlay_scroll {
                        self.overlay_scroll = at;
                    } else if at >= self.overlay_scroll + height {
                        self.overlay_scroll = at + 1 - height;
                    }
                }
                lines.len()
            }
            Mode::Browse | Mode::Search | Mode::Export | Mode::Label => 0,
        };
        let overlay_height = usize::from(self.layout.overlay.height.saturating_sub(2));
        self.overlay_scroll = self
            .overlay_scroll
            .min(overlay_lines.saturating_sub(overlay_height));
    }

    /// The ratings of the reviews the filters other than the rating filter keep: the bars
    /// of the histogram, so that the ratings chosen stand out among the rest rather than
    /// stand alone. Without other filters, every review, counted without any order.
    fn ratings_of_other_filters(&mut self) -> crate::query::stats::Ratings {
        use crate::query::stats::Ratings;
        let all_ratings = Query {
            ratings: RatingSet::default(),
            ..self.query.clone()
        };
        if !all_ratings.is_filtered() {
            return Ratings::of_reviews(|| self.doc.reviews.iter());
        }
        let view = match self
            .cache
            .view(&self.doc, &all_ratings, &AtomicBool::new(false))
        {
            Ok(mut view) => {
                let unsearched = self.unsearched;
                self.keep_spoilers_hidden(&mut view, &AtomicBool::new(false));
                self.unsearched = unsearched;
                view
            }
            Err(_) => self.view.clone(),
        };
        Ratings::of(&self.doc, &view)
    }

    /// The ratings of the view, while the histogram is shown.
    #[must_use]
    pub fn ratings(&self) -> Option<&crate::query::stats::Ratings> {
        self.ratings
            .as_ref()
            .filter(|_| !self.layout.histogram.is_empty())
            .map(|(_, r)| r)
    }
}
