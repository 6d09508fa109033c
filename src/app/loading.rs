//! The app's side of loading: reviews arriving from the background load (and, following the
//! files, as they are written), reading everything again, and what the info overlay says
//! about how each document was read.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::App;
use crate::collect::{self, Change, Collector, LoadEvent};
use crate::model::Document;
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

    /// Follows the files as they grow while `on` is set (shared with the loading thread,
    /// which looks at them; `F` sets and clears it).
    #[must_use]
    pub fn with_following(mut self, on: Arc<AtomicBool>) -> Self {
        self.follow = Some(on);
        self
    }

    /// Whether the files are being followed.
    #[must_use]
    pub fn following(&self) -> bool {
        self.followable > 0
            && self
                .follow
                .as_ref()
                .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Says why nothing is followed, when following was asked for and nothing can be.
    fn nothing_to_follow(&mut self) {
        self.message = Some(
            "nothing to follow: only a JSON Lines or copied-text file can be followed \
             (not a pipe, a compressed file, a CSV or a folder)"
                .into(),
        );
    }

    /// `F`: starts or stops following the files.
    pub(super) fn toggle_follow(&mut self) {
        let Some(on) = &self.follow else {
            self.message = Some("nothing here can be followed".into());
            return;
        };
        if self.loading.is_none() && self.followable == 0 && !on.load(Ordering::Relaxed) {
            self.nothing_to_follow();
            return;
        }
        let following = !on.load(Ordering::Relaxed);
        on.store(following, Ordering::Relaxed);
        self.message = Some(if following {
            "following the file: new reviews appear as they are written".into()
        } else {
            "stopped following the file".into()
        });
    }

    /// Says once that a file the text is read from changed after it was read (its reviews
    /// read as a notice until it is read again).
    pub(super) fn tell_if_text_changed(&mut self) {
        if self.told_changed {
            return;
        }
        if let Some(name) = self.doc.text_changed() {
            self.told_changed = true;
            let key = crate::keymap::key_for(crate::keymap::Action::Reload)
                .map_or_else(String::new, |k| format!(": {k} reads it again"));
            self.message = Some(format!("{name} changed on disk after it was read{key}"));
        }
    }

    /// Whether everything is to be read again, and why; asking clears it.
    pub fn take_reload_request(&mut self) -> Option<String> {
        self.reload.take()
    }

    /// Starts over with the reviews a new load of the same inputs delivers through
    /// `collector`, keeping the query, the selection (once its review is back) and the
    /// settings; `reason` is said in the status bar.
    pub fn restart(&mut self, collector: Collector, reason: String) {
        let mut fresh =
            App::new(Document::default(), self.query.clone(), Vec::new()).with_loading(collector);
        fresh.inputs = std::mem::take(&mut self.inputs);
        fresh.follow = self.follow.take();
        fresh.show_histogram = self.show_histogram;
        fresh.wrap_width = self.wrap_width;
        fresh.reveal_all = self.reveal_all;
        fresh.search_input = std::mem::take(&mut self.search_input);
        fresh.reselect = self.selected;
        fresh.defer_search = self.defer_search;
        fresh.restarted = true;
        fresh.labels = self.labels_for_reload();
        fresh.layout = self.layout;
        fresh.message = Some(reason);
        *self = fresh;
    }

    /// Takes in one event of the background load.
    pub fn absorb(&mut self, event: LoadEvent) {
        let Some(collector) = self.loading.as_mut().or(self.after_load.as_mut()) else {
            return;
        };
        let before = self.doc.reviews.len();
        match collector.apply(&mut self.doc, &mut self.warnings, event) {
            Change::Nothing => {}
            Change::Reviews => {
                self.count_sources(before);
                // Orders and search results were for fewer reviews. A followed file's new
                // reviews are searched alone: the document's were searched already.
                if self.loading.is_none() {
                    self.cache.grew(&self.doc, before);
                } else {
                    self.cache.clear();
                }
                let plain = !self.query.is_filtered()
                    && self.query.sort == SortKey::Featured
                    && !self.query.reverse;
                if plain {
                    // Document order, no filter: the new reviews simply go at the end.
                    self.view.extend(before..self.doc.reviews.len());
                    self.view_generation += 1;
                    if let Some(want) = self.reselect.filter(|&w| w < self.view.len()) {
                        // Read again: back on the review that was selected.
                        self.reselect = None;
                        self.select_position(want);
                    } else if self.selected.is_none() {
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
            Change::Restart(reason) => self.reload = Some(reason),
            Change::Finished => {
                self.explained.append(&mut collector.explained);
                self.followable = collector.followable;
                if self.followable == 0
                    && self
                        .follow
                        .as_ref()
                        .is_some_and(|f| f.load(Ordering::Relaxed))
                {
                    self.nothing_to_follow();
                }
                // What following the files brings still comes through the collector.
                self.after_load = self.loading.take();
                self.apply_journal();
                self.refresh_view();
                // The app started before anything had loaded (a slow pipe), and nothing did:
                // there is nothing to browse, and the errors are said on stderr instead.
                // Read again (a followed file emptied or replaced), it stays open.
                if self.doc.reviews.is_empty() && !self.restarted {
                    self.should_quit = true;
                } else if self.doc.reviews.is_empty() {
                    let key = crate::keymap::key_for(crate::keymap::Action::Reload)
                        .map_or_else(String::new, |k| format!(": {k} reads it again"));
                    self.message = Some(format!("no reviews there now{key}"));
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
