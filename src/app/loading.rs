//! The app's side of loading: reviews arriving from the background load, and what the info
//! overlay says about how each document was read.

use super::App;
use crate::collect::{self, Change, Collector, LoadEvent};
use crate::query::SortKey;

impl App {
    /// Shows reviews as a background load delivers them through `collector`.
    #[must_use]
    pub fn with_loading(mut self, mut collector: Collector) -> Self {
        self.explained = std::mem::take(&mut collector.explained);
        self.failures.append(&mut collector.failures);
        self.loading = (!collector.progress.finished).then_some(collector);
        self
    }

    /// What the info overlay shows, as (place, text) lines: how each document was read
    /// (its format, the mapping of its fields, the rating scale), then the load warnings
    /// with many copies of one given once. A line with an empty place is a plain one. Made
    /// by [`App::prepare`] while the overlay is open, once per change of the warnings.
    #[must_use]
    pub fn info(&self) -> &[(String, String)] {
        &self.info.1
    }

    /// The lines of [`App::info`], each wrapped at `width` columns at a word, its
    /// continuations indented (a long note or warning is read whole, not cut at the edge).
    pub(super) fn make_info(&self, width: usize) -> Vec<(String, String)> {
        let mut wrapped = Vec::new();
        for (place, text) in self.info_lines() {
            let lead = if place.is_empty() {
                0
            } else {
                crate::wrap::width(&place) + 2
            };
            let indent = text.len() - text.trim_start().len();
            // Room for the continuations' indent too, so that no line passes the edge.
            let room = width.saturating_sub(lead + indent + 2).max(20);
            let ranges = crate::wrap::wrap(&text, room);
            if ranges.len() < 2 {
                wrapped.push((place, text));
                continue;
            }
            for (i, range) in ranges.into_iter().enumerate() {
                if i == 0 {
                    wrapped.push((place.clone(), text[range].to_string()));
                } else {
                    let pad = " ".repeat(lead + indent + 2);
                    wrapped.push((String::new(), format!("{pad}{}", &text[range])));
                }
            }
        }
        wrapped
    }

    fn info_lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let loading = self.loading.iter().flat_map(|c| &c.explained);
        // A document that could not be opened heads the list: it is the biggest news.
        for failed in &self.failures {
            let message = format!("not opened: {}", failed.warning.message);
            lines.push((failed.document.clone(), message));
        }
        let loading: Vec<_> = loading.collect();
        if !lines.is_empty() && (!self.explained.is_empty() || !loading.is_empty()) {
            lines.push((String::new(), String::new()));
        }
        for (name, explained) in self.explained.iter().chain(loading) {
            lines.push((String::new(), name.clone()));
            for line in explained.to_string().lines() {
                lines.push((String::new(), format!("  {line}")));
            }
        }
        if !lines.is_empty() && !self.warnings.is_empty() {
            lines.push((String::new(), String::new()));
        }
        for w in collect::summarize(&self.warnings) {
            let place = match w.warning.line {
                Some(line) => format!("{}:{line}", w.document),
                None => w.document.clone(),
            };
            lines.push((place, w.warning.message));
        }
        lines
    }

    /// Takes in one event of the background load.
    pub fn absorb(&mut self, event: LoadEvent) {
        let Some(collector) = &mut self.loading else {
            return;
        };
        let before = self.doc.reviews.len();
        match collector.apply(&mut self.doc, &mut self.warnings, event) {
            Change::Nothing => {}
            Change::Reviews => {
                self.count_sources(before);
                // Orders and search results were for fewer reviews.
                self.cache.clear();
                let plain = !self.query.is_filtered()
                    && self.query.sort == SortKey::Featured
                    && !self.query.reverse;
                if plain {
                    // Document order, no filter: the new reviews simply go at the end.
                    self.view.extend(before..self.doc.reviews.len());
                    self.view_generation += 1;
                    if self.selected.is_none() {
                        self.select_position(0);
                    }
                } else {
                    self.stale = true;
                }
            }
            Change::Failed(message) => {
                self.message = Some(message);
                self.failures.append(&mut collector.failures);
            }
            Change::Finished => {
                self.explained.append(&mut collector.explained);
                self.loading = None;
                self.refresh_view();
                // The app started before anything had loaded (a slow pipe), and nothing did:
                // there is nothing to browse, and the errors are said on stderr instead.
                if self.doc.reviews.is_empty() {
                    self.should_quit = true;
                }
            }
        }
    }

    /// Whether reviews arrived that the view does not include yet.
    #[must_use]
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Brings the view up to date with reviews that arrived while a sort or filter was on.
    /// The terminal loop calls this a few times a second at most: re-sorting a growing
    /// million on every piece would waste the time the load needs.
    pub fn refresh_if_stale(&mut self) {
        if self.stale {
            self.refresh_view();
        }
    }

    /// Counts the reviews from `from` on into `source_counts`.
    pub(super) fn count_sources(&mut self, from: usize) {
        self.source_counts.resize(self.doc.sources.len(), 0);
        for r in self.doc.reviews.get(from..).unwrap_or_default() {
            if let Some(n) = self.source_counts.get_mut(usize::from(r.source)) {
                *n += 1;
            }
            self.any_rated |= r.rating.is_some();
        }
    }
}
