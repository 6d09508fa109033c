//! The actions that narrow or walk the view: the minimum rating, the film filter, and the
//! jumps between a search's matches in the selected review (found as a huge one is laid out).

use std::time::Instant;

use super::{App, LAYOUT_BUDGET};
use crate::query::RatingSet;

impl App {
    pub(super) fn shift_min_rating(&mut self, by: i8) {
        let current = self.query.ratings.iter().next().unwrap_or(1);
        let target = current.saturating_add_signed(by);
        if by < 0 && self.query.ratings.is_empty() {
            self.message = Some("no rating filter to lower".into());
            return;
        }
        self.query.ratings = if target < 1 {
            RatingSet::default()
        } else {
            RatingSet::range(target.min(10), 10)
        };
        self.refresh_view();
    }

    /// The film labels in the order `f` cycles through them.
    pub(super) fn film_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for source in &self.doc.sources {
            if !labels.contains(&source.label) {
                labels.push(source.label.clone());
            }
        }
        labels
    }

    pub(super) fn cycle_film(&mut self) {
        let labels = self.film_labels();
        if labels.len() < 2 {
            self.message = Some("only one film is open".into());
            return;
        }
        let next = match &self.query.film {
            None => Some(0),
            Some(film) => labels
                .iter()
                .position(|l| l == film)
                .map(|i| i + 1)
                .filter(|&i| i < labels.len()),
        };
        self.query.film = next.map(|i| labels[i].clone());
        self.refresh_view();
        self.message = Some(match &self.query.film {
            Some(film) => format!("film: {film}"),
            None => "all films".into(),
        });
    }

    pub(super) fn jump_match(&mut self, forward: bool) {
        let Some(detail) = &mut self.detail else {
            return;
        };
        // A huge body's matches are found as it is laid out: lay out further for the one
        // wanted (all of them to go back round to the last), within what a key may take.
        let wanted = match (self.current_match, forward) {
            (None, true) => 0,
            (Some(i), true) => i + 1,
            (_, false) => usize::MAX,
        };
        let deadline = Instant::now() + LAYOUT_BUDGET;
        while !detail.is_complete()
            && detail.match_lines().len() <= wanted
            && Instant::now() < deadline
        {
            let more = detail.len() + 1000;
            detail.extend(&self.doc, more, Some(deadline));
        }
        let complete = detail.is_complete();
        let matches = detail.match_lines();
        let at_end = match (self.current_match, forward) {
            (Some(i), true) => i + 1 >= matches.len(),
            (None | Some(0), false) => true,
            _ => false,
        };
        if !complete && (matches.is_empty() || at_end) {
            self.message = Some("looking further into this long review… press n again".into());
            return;
        }
        if matches.is_empty() {
            self.message = Some(if self.query.search.is_empty() {
                "no search: press / to search".into()
            } else {
                "no visible match in this review".into()
            });
            return;
        }
        let n = matches.len();
        let next = match (self.current_match, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.current_match = Some(next);
        let line = matches[next];
        let height = usize::from(self.layout.detail_text.height).max(1);
        if line < self.detail_scroll || line >= self.detail_scroll + height {
            self.detail_scroll = line.saturating_sub(height / 3);
        }
        let more = if complete { "" } else { "+" };
        self.message = Some(format!("match {} of {n}{more}", next + 1));
    }
}
