//! The app's state and the one place where actions change it.
//!
//! Tests drive the app by sending [`Action`]s to [`App::update`]; the terminal loop in
//! [`crate::tui`] does the same with decoded keys and mouse events. Before each frame,
//! [`App::prepare`] fits the state to the screen size (scroll offsets, the detail pane's
//! layout); rendering in [`crate::ui`] then only reads it, through the accessors here.
//! Nothing in this folder knows how the screen is drawn.

pub mod detail;
pub mod export;
mod filters;
mod jobs;
mod keywords;
mod labels;
mod loading;
mod mouse;
mod outgoing;
mod prepare;
mod spoilers;
mod stats;

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use ratatui::layout::Position;

use crate::collect::{Collector, Progress};
use crate::keymap::{self, Action, Context};
use crate::layout::{self, ScreenLayout};
use crate::load::Explained;
use crate::model::Document;
use crate::query::view::ViewCache;
use crate::query::{Query, Search, SortKey};
use detail::DetailLayout;
pub use outgoing::Outgoing;

pub use crate::collect::DocumentWarning;

/// Which pane the keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What is on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    /// Typing a search; the list narrows with each key.
    Search,
    Help,
    Warnings,
    /// The figures of the reviews shown (`i`).
    Stats,
    /// Typing the name of the file to export the view to (`e`).
    Export,
    /// The words that set high reviews apart from low ones (`W`).
    Keywords,
    /// Waiting for a label's key (`L`).
    Label,
}

/// The longest search the prompt takes, in bytes: each key rebuilds the search from it.
const MAX_SEARCH_BYTES: usize = 1000;

/// How long laying out a long review may take in one frame or for one key: well under the
/// 100 ms after which a key feels ignored.
const LAYOUT_BUDGET: Duration = Duration::from_millis(40);

/// Lines of the info overlay: (place, text).
type InfoLines = Vec<(String, String)>;

/// The whole state of the app.
// Its flags are independent switches (quit, suspend, reveal all, stale view), not a state
// machine in disguise.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug)]
pub struct App {
    doc: Document,
    warnings: Vec<DocumentWarning>,
    /// Documents that could not be opened, with why: listed in the info overlay for as long
    /// as the app runs, not only in a passing message.
    failures: Vec<DocumentWarning>,
    query: Query,
    /// The reviews shown, in order, as indices into `doc.reviews`.
    view: Vec<usize>,
    /// Position of the selected review in `view`.
    cursor: usize,
    /// The selected review, which the selection follows through sorting and filtering.
    selected: Option<usize>,
    /// First list row shown.
    list_offset: usize,
    focus: Focus,
    mode: Mode,
    /// The search prompt's text.
    search_input: String,
    /// Hidden spoilers whose bodies the search in force did not look at.
    unsearched: usize,
    /// Spoiler reviews whose reveal state differs from `reveal_all`.
    toggled: HashSet<usize>,
    reveal_all: bool,
    /// First line of the detail pane shown.
    detail_scroll: usize,
    /// The search match `n`/`N` last moved to, as an index into the detail's matches.
    current_match: Option<usize>,
    /// The search, selected review and detail scroll when `/` was pressed: what Esc goes
    /// back to.
    before_search: Option<(String, Option<usize>, usize)>,
    overlay_scroll: usize,
    /// A one-off message for the status bar, cleared by the next key.
    message: Option<String>,
    should_quit: bool,
    suspend_requested: bool,
    /// Where each part of the screen went in the last frame.
    layout: ScreenLayout,
    /// The selected review laid out for the detail pane's width.
    detail: Option<DetailLayout>,
    /// `G` asked for the end of a review still being laid out.
    to_bottom: bool,
    /// What the terminal loop is to send out: text for the clipboard, a link to open.
    outgoing: Option<Outgoing>,
    /// The figures the stats view shows, made when it opens.
    stats: Option<crate::query::stats::Stats>,
    /// What is typed in the export prompt.
    export_input: String,
    /// The existing file a first Enter in the export prompt was told about.
    export_confirm: Option<std::path::PathBuf>,
    /// Whether the rating histogram is shown above the list.
    show_histogram: bool,
    /// The widest the detail pane wraps text (the configuration's `wrap_width`).
    wrap_width: Option<u16>,
    /// The ratings of the view, for the histogram, and the view generation they are of.
    ratings: Option<(u64, crate::query::stats::Ratings)>,
    /// When they were counted.
    ratings_at: Option<Instant>,
    /// Counts changes of the view, so that what is made from it knows when to remake.
    view_generation: u64,
    /// A match to go to in the review just selected by `n` or `N` (`true`: its first),
    /// once its layout is made (see [`App::prepare`]).
    match_on_arrival: Option<bool>,
    /// What the view was last made for, apart from its order: a view only sorted anew holds
    /// the same reviews, whose ratings need no counting again.
    viewed: Option<(Query, usize)>,
    /// The documents being read, which an export never overwrites.
    inputs: Vec<std::path::PathBuf>,
    /// The last `prepare` left layout work for what the pane should show.
    layout_pending: bool,
    /// Sort orders and search matches already computed.
    cache: ViewCache,
    /// The background load still adding reviews, if any.
    loading: Option<Collector>,
    /// How each document was read, by name (kept once loading is over).
    explained: Vec<(String, Explained)>,
    /// The info overlay's lines, and the counts of warnings and readings they were made for.
    info: (Option<(usize, usize, usize)>, InfoLines),
    /// Reviews per source, kept as reviews arrive so the status bar need not count them.
    source_counts: Vec<usize>,
    /// Whether any review loaded has a rating: a histogram of none is not shown.
    any_rated: bool,
    /// Reviews arrived that the view does not show yet (see [`App::refresh_if_stale`]).
    stale: bool,
    /// Following the files as they grow, shared with the loading thread (`F`); `None`
    /// where nothing can be followed (see [`App::with_following`]).
    follow: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// How many inputs can be followed, once the load is over.
    followable: usize,
    /// The load after it finished, for what following the files brings.
    after_load: Option<Collector>,
    /// Reading everything again was asked for, with the message that says why.
    reload: Option<String>,
    /// The bodies of new reviews being hashed for their duplicates: the first's index.
    keys_job: Option<(usize, jobs::Running<Vec<u64>>)>,
    /// The keywords window: its figures, or the job computing them.
    keywords: keywords::KeywordsState,
    /// The labels `L` sets and the journal marks and labels are kept in.
    labels: labels::LabelState,
    /// The review to select once it arrives again, after a reload.
    reselect: Option<usize>,
    /// A file the text is read from was found changed, and the user was told.
    told_changed: bool,
    /// Everything was read again (`R`, or a followed file truncated): a load that finds
    /// nothing leaves the app open.
    restarted: bool,
    /// The search changed and its matches are not computed yet.
    search_pending: bool,
    /// Searches wait for [`App::run_pending_search`] instead of running at once.
    defer_search: bool,
}

impl App {
    /// An app showing `doc` through `query`.
    #[must_use]
    pub fn new(doc: Document, query: Query, warnings: Vec<DocumentWarning>) -> Self {
        let search_input = query.search.text().to_string();
        let mut app = Self {
            doc,
            warnings,
            failures: Vec::new(),
            query,
            view: Vec::new(),
            cursor: 0,
            selected: None,
            list_offset: 0,
            focus: Focus::List,
            mode: Mode::Browse,
            search_input,
            toggled: HashSet::new(),
            reveal_all: false,
            unsearched: 0,
            detail_scroll: 0,
            current_match: None,
            before_search: None,
            overlay_scroll: 0,
            message: None,
            should_quit: false,
            suspend_requested: false,
            layout: ScreenLayout::default(),
            detail: None,
            to_bottom: false,
            outgoing: None,
            stats: None,
            export_input: String::new(),
            export_confirm: None,
            show_histogram: true,
            wrap_width: None,
            ratings: None,
            ratings_at: None,
            view_generation: 0,
            viewed: None,
            match_on_arrival: None,
            inputs: Vec::new(),
            layout_pending: false,
            cache: ViewCache::default(),
            loading: None,
            explained: Vec::new(),
            info: (None, Vec::new()),
            source_counts: Vec::new(),
            any_rated: false,
            stale: false,
            follow: None,
            followable: 0,
            after_load: None,
            reload: None,
            keys_job: None,
            keywords: keywords::KeywordsState::default(),
            labels: labels::LabelState::default(),
            reselect: None,
            told_changed: false,
            restarted: false,
            search_pending: false,
            defer_search: false,
        };
        app.count_sources(0);
        app.refresh_view();
        app
    }

    // ---- what the screen shows ----

    /// The reviews loaded so far.
    #[must_use]
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// What went wrong in parts of the documents that still loaded.
    #[must_use]
    pub fn warnings(&self) -> &[DocumentWarning] {
        &self.warnings
    }

    /// Documents that could not be opened, each with its error.
    #[must_use]
    pub fn failures(&self) -> &[DocumentWarning] {
        &self.failures
    }

    /// How many hidden spoilers' bodies the search in force left out.
    #[must_use]
    pub fn unsearched(&self) -> usize {
        self.unsearched
    }

    /// The filters and order in force.
    #[must_use]
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The reviews shown, in order, as indices into the document's reviews.
    #[must_use]
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    /// Position of the selected review in the view.
    #[must_use]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The selected review, as an index into the document's reviews.
    #[must_use]
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The first list row shown.
    #[must_use]
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    #[must_use]
    pub fn focus(&self) -> Focus {
        self.focus
    }

    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The search prompt's text as typed.
    #[must_use]
    pub fn search_input(&self) -> &str {
        &self.search_input
    }

    /// The first line of the detail pane shown.
    #[must_use]
    pub fn detail_scroll(&self) -> usize {
        self.detail_scroll
    }

    /// The search match `n`/`N` last moved to.
    #[must_use]
    pub fn current_match(&self) -> Option<usize> {
        self.current_match
    }

    /// The first line of the overlay shown.
    #[must_use]
    pub fn overlay_scroll(&self) -> usize {
        self.overlay_scroll
    }

    /// The status bar's one-off message.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Where each part of the screen goes, as of the last [`App::prepare`].
    #[must_use]
    pub fn layout(&self) -> &ScreenLayout {
        &self.layout
    }

    /// Wraps review text at most `width` columns wide (the configuration's `wrap_width`).
    #[must_use]
    pub fn with_wrap_width(mut self, width: Option<u16>) -> Self {
        self.wrap_width = width;
        self
    }

    /// Starts with every spoiler revealed (the configuration's `spoilers = "revealed"`).
    #[must_use]
    pub fn with_spoilers_revealed(mut self, revealed: bool) -> Self {
        if revealed {
            self.reveal_all = true;
            self.after_reveal();
        }
        self
    }

    /// Shows or hides the rating histogram (the config's choice at start).
    #[must_use]
    pub fn with_histogram(mut self, shown: bool) -> Self {
        self.show_histogram = shown;
        self
    }

    /// huge review): the terminal loop draws again soon, without waiting for a key.
    #[must_use]
    pub fn layout_pending(&self) -> bool {
        self.layout_pending
    }

    /// Whether `G` is laying out a long review to its end.
    #[must_use]
    pub fn going_to_bottom(&self) -> bool {
        self.to_bottom
    }

    /// The detail pane's lines at `range`, as far as they are laid out.
    #[must_use]
    pub fn detail_lines(&self, range: std::ops::Range<usize>) -> Vec<detail::DetailLine> {
        self.detail
            .as_ref()
            .map_or_else(Vec::new, |d| d.lines(&self.doc, range))
    }

    /// The selected review laid out for the detail pane.
    #[must_use]
    pub fn detail(&self) -> Option<&DetailLayout> {
        self.detail.as_ref()
    }

    /// How far the background load has got, while one is under way.
    #[must_use]
    pub fn progress(&self) -> Option<&Progress> {
        self.loading.as_ref().map(|c| &c.progress)
    }

    /// Whether the loaded reviews read like IMDb's (films, with helpful votes), whose
    /// ratings are to be told apart from IMDb's own score; other data (products, Letterboxd
    /// diaries) has no such score.
    #[must_use]
    pub fn is_imdb(&self) -> bool {
        self.doc
            .sources
            .iter()
            .all(|s| s.subject.is_none() && !s.no_votes && !s.elsewhere)
    }

    /// Reviews loaded per source (document or film), in source order.
    #[must_use]
    pub fn source_counts(&self) -> &[usize] {
        &self.source_counts
    }

    /// Whether the user asked to quit.
    #[must_use]
    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// Whether the user asked to suspend; asking again returns false until the next request.
    pub fn take_suspend_request(&mut self) -> bool {
        std::mem::take(&mut self.suspend_requested)
    }

    // ---- actions ----

    /// What the keys mean right now.
    #[must_use]
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse => Context::Browse {
                list_focused: self.focus == Focus::List,
            },
            // The export prompt takes keys as the search prompt does.
            Mode::Search => Context::Search,
            Mode::Export => Context::Export,
            Mode::Help | Mode::Warnings | Mode::Stats | Mode::Keywords => Context::Overlay,
            Mode::Label => Context::Label,
        }
    }

    /// Whether a spoiler review's body is shown.
    #[must_use]
    pub fn is_revealed(&self, review: usize) -> bool {
        self.reveal_all != self.toggled.contains(&review)
    }

    /// Whether the body of review `index` is hidden behind the spoiler notice.
    #[must_use]
    pub fn is_hidden(&self, index: usize) -> bool {
        self.doc.reviews.get(index).is_some_and(|r| r.spoiler) && !self.is_revealed(index)
    }

    /// Carries out one action: every key and mouse event comes through here.
    pub fn update(&mut self, action: Action) {
        self.message = None;
        if self.mode == Mode::Export && self.export_key(action) {
            return;
        }
        match action {
            Action::SelectNext => self.move_cursor(1),
            Action::SelectPrevious => self.move_cursor(-1),
            Action::SelectFirst => self.select_position(0),
            Action::SelectLast => self.select_position(self.view.len().saturating_sub(1)),
            Action::PageDown => self.move_cursor(self.page_rows()),
            Action::PageUp => self.move_cursor(-self.page_rows()),
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::List => Focus::Detail,
                    Focus::Detail => Focus::List,
                };
            }
            Action::FocusList => self.focus = Focus::List,
            Action::ScrollDetailDown => self.scroll_detail(1),
            Action::ScrollDetailUp => self.scroll_detail(-1),
            Action::DetailPageDown => self.scroll_detail(self.detail_page()),
            Action::DetailPageUp => self.scroll_detail(-self.detail_page()),
            Action::DetailTop => {
                self.detail_scroll = 0;
                self.to_bottom = false;
            }
            Action::DetailBottom => {
                self.detail_scroll = usize::MAX;
                self.to_bottom = true;
            }
            Action::NextSort => {
                self.query.sort = self.query.sort.next();
                self.refresh_view();
                self.message = Some(format!("sorted by {}", self.sort_label()));
            }
            Action::ReverseSort => {
                self.query.reverse = !self.query.reverse;
                self.refresh_view();
                self.message = Some(format!("sorted by {}", self.sort_label()));
            }
            Action::ToggleRating(n) => {
                self.query.ratings.toggle(n);
                self.refresh_view();
            }
            Action::RaiseMinRating => self.shift_min_rating(1),
            Action::LowerMinRating => self.shift_min_rating(-1),
            Action::StartSearch
            | Action::SearchInput(_)
            | Action::SearchBackspace
            | Action::SearchClear
            | Action::SearchAccept
            | Action::SearchCancel => self.search_action(action),
            Action::NextMatch => self.jump_match(true),
            Action::PreviousMatch => self.jump_match(false),
            Action::ToggleReveal => self.toggle_reveal(),
            Action::ToggleRevealAll => self.toggle_reveal_all(),
            Action::ToggleHideSpoilers => {
                self.query.hide_spoilers = !self.query.hide_spoilers;
                self.refresh_view();
            }
            Action::CycleFilm => self.cycle_film(),
            Action::CycleVerdict => self.cycle_verdict(),
            Action::ToggleDedupe => self.toggle_dedupe(),
            Action::ClearFilters => self.clear_filters(),
            Action::CopyReview => self.copy_review(),
            Action::CopyLink | Action::OpenLink => self.take_link(action == Action::OpenLink),
            Action::ToggleHelp => self.toggle_overlay(Mode::Help),
            Action::ToggleStats => self.toggle_stats(),
            Action::ToggleKeywords => self.toggle_keywords(),
            Action::ToggleMark => self.toggle_mark(),
            Action::MarkShown => self.mark_shown(),
            Action::ToggleMarkedOnly => self.toggle_marked_only(),
            Action::StartLabel => self.start_label(),
            Action::LabelKey(key) => self.label_key(key),
            Action::CycleLabelFilter => self.cycle_label_filter(),
            Action::KeywordsAgainstRest => self.keywords_against_rest(),
            Action::OverlayEnter if self.mode == Mode::Keywords => self.search_keyword(),
            Action::ToggleHistogram => self.toggle_histogram(),
            Action::StartExport => self.start_export(),
            Action::PromptComplete => {}
            Action::JumpLongest => self.jump_from_stats(true),
            Action::JumpMostHelpful => self.jump_from_stats(false),
            Action::ToggleWarnings => self.toggle_warnings(),
            Action::CloseOverlay | Action::OverlayEnter => self.mode = Mode::Browse,
            Action::OverlayDown | Action::OverlayUp if self.mode == Mode::Keywords => {
                self.keywords_move(action == Action::OverlayDown);
            }
            Action::OverlayDown => self.overlay_scroll = self.overlay_scroll.saturating_add(1),
            Action::OverlayUp => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::Click { column, row } => self.click_at(Position::new(column, row)),
            Action::Scroll { column, row, down } => {
                self.scroll_at(Position::new(column, row), down);
            }
            Action::Suspend => self.suspend_requested = true,
            Action::ToggleFollow => self.toggle_follow(),
            Action::Reload => self.reload = Some("read again from the start".into()),
            Action::Quit => self.should_quit = true,
        }
    }

    fn toggle_reveal_all(&mut self) {
        self.reveal_all = !self.reveal_all;
        self.toggled.clear();
        self.after_reveal();
        self.message = Some(
            if self.reveal_all {
                "all spoilers revealed"
            } else {
                "all spoilers hidden"
            }
            .into(),
        );
    }

    fn toggle_histogram(&mut self) {
        self.show_histogram = !self.show_histogram;
        self.message = Some(
            if !self.any_rated {
                "no review has a rating: there is no histogram to show"
            } else if self.show_histogram
                && ScreenLayout::with_histogram(self.layout.area, true)
                    .histogram
                    .is_empty()
            {
                // Said rather than shown nothing: at 80x24 the stacked list has no room.
                "rating histogram on: it shows when the window is larger (the list needs 10 rows)"
            } else if self.show_histogram {
                "rating histogram shown"
            } else {
                "rating histogram hidden (r shows it)"
            }
            .into(),
        );
    }

    /// The load's information and warnings (`w`), when there is something to show.
    fn toggle_warnings(&mut self) {
        if self.warnings.is_empty()
            && self.failures.is_empty()
            && self.explained.is_empty()
            && self.loading.is_none()
        {
            self.message = Some("no warnings: every document loaded cleanly".into());
        } else {
            self.toggle_overlay(Mode::Warnings);
        }
    }

    /// "helpful ↓": the sort order and its direction.
    #[must_use]
    pub fn sort_label(&self) -> String {
        let descending = (self.query.sort != SortKey::Featured) != self.query.reverse;
        format!(
            "{} {}",
            self.query.sort.name(),
            if descending { "↓" } else { "↑" }
        )
    }

    fn page_rows(&self) -> isize {
        isize::try_from(self.layout.rows.height.max(2) - 1).unwrap_or(1)
    }

    fn detail_page(&self) -> isize {
        isize::try_from(self.layout.detail_text.height.max(2) - 1).unwrap_or(1)
    }

    fn move_cursor(&mut self, by: isize) {
        let target = self.cursor.saturating_add_signed(by);
        self.select_position(target.min(self.view.len().saturating_sub(1)));
    }

    fn select_position(&mut self, position: usize) {
        if let Some(&index) = self.view.get(position) {
            if self.selected != Some(index) {
                self.detail_scroll = 0;
                self.current_match = None;
                self.to_bottom = false;
            }
            self.cursor = position;
            self.selected = Some(index);
        }
    }

    fn scroll_detail(&mut self, by: isize) {
        self.to_bottom = false;
        // `prepare` clamps the far end, where the text length is known.
        self.detail_scroll = self.detail_scroll.saturating_add_signed(by);
    }

    fn toggle_overlay(&mut self, mode: Mode) {
        self.overlay_scroll = 0;
        self.mode = if self.mode == mode {
            Mode::Browse
        } else {
            mode
        };
    }

    fn set_search(&mut self) {
        self.query.search = Search::new(&self.search_input);
        // The matches `n` counts through are the new search's.
        self.current_match = None;
        if self.defer_search {
            self.search_pending = true;
        } else {
            self.refresh_view();
        }
    }

    /// Whether a search is typed but its matches not yet computed (see
    /// [`App::defer_searches`]).
    #[must_use]
    pub fn search_pending(&self) -> bool {
        self.search_pending
    }

    /// From now on a changed search only marks itself pending: the terminal loop draws the
    /// typed key first, then calls [`App::run_pending_search`], which a further key can
    /// cancel. Without this (in tests, say) a search runs at once.
    pub fn defer_searches(&mut self) {
        self.defer_search = true;
    }

    /// Computes a pending search unless `cancel` is set meanwhile. Returns whether it
    /// finished.
    pub fn run_pending_search(&mut self, cancel: &AtomicBool) -> bool {
        if !self.search_pending {
            return true;
        }
        let done = self.try_refresh_view(cancel);
        if done {
            self.search_pending = false;
        }
        done
    }

    /// Recomputes the view after the query changed, keeping the selection on the same review
    /// or, when that one is filtered out, on its nearest neighbour that is still shown.
    pub fn refresh_view(&mut self) {
        self.search_pending = !self.try_refresh_view(&AtomicBool::new(false));
    }

    /// [`App::refresh_view`] that gives up, changing nothing, when `cancel` is set during
    /// the search. Returns whether it finished.
    fn try_refresh_view(&mut self, cancel: &AtomicBool) -> bool {
        let Ok(mut view) = self.cache.view(&self.doc, &self.query, cancel) else {
            return false;
        };
        if !self.keep_spoilers_hidden(&mut view, cancel) {
            return false;
        }
        self.stale = false;
        let old_view = std::mem::replace(&mut self.view, view);
        let viewed = (self.query.unordered(), self.doc.reviews.len());
        let reordered = self.viewed.as_ref() == Some(&viewed)
            && crate::query::same_reviews(&old_view, &self.view, self.doc.reviews.len());
        self.viewed = Some(viewed);
        if reordered
            && let Some((counted, _)) = &mut self.ratings
            && *counted == self.view_generation
        {
            *counted += 1;
        }
        self.view_generation += 1;
        self.restore_selection(&old_view);
        true
    }

    fn restore_selection(&mut self, old_view: &[usize]) {
        if let Some(want) = self.reselect
            && let Some(pos) = self.view.iter().position(|&i| i == want)
        {
            self.reselect = None;
            self.select_position(pos);
            return;
        }
        if self.view.is_empty() {
            self.cursor = 0;
            self.selected = None;
            return;
        }
        let Some(selected) = self.selected else {
            self.select_position(0);
            return;
        };
        if let Some(pos) = self.view.iter().position(|&i| i == selected) {
            self.cursor = pos;
            return;
        }
        // Nearest survivor in the old order: look below and above, closest first.
        let mut position_in_new = vec![usize::MAX; self.doc.reviews.len()];
        for (pos, &i) in self.view.iter().enumerate() {
            position_in_new[i] = pos;
        }
        let old = old_view.iter().position(|&i| i == selected).unwrap_or(0);
        let nearest = (1..=old_view.len()).find_map(|d| {
            [old.checked_add(d), old.checked_sub(d)]
                .into_iter()
                .flatten()
                .filter_map(|p| old_view.get(p))
                .map(|&i| position_in_new[i])
                .find(|&p| p != usize::MAX)
        });
        self.select_position(nearest.unwrap_or(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn sample_app() -> App {
        let mut app = App::new(crate::load::sample_document(), Query::default(), Vec::new());
        app.prepare(Rect::new(0, 0, 120, 40));
        app
    }

    fn author(app: &App) -> String {
        let r = &app.doc.reviews[app.selected.expect("a selection")];
        app.doc.author(r).into_owned()
    }

    #[test]
    fn moves_through_the_list() {
        let mut app = sample_app();
        assert_eq!(author(&app), "UlrikSander");
        for _ in 0..4 {
            app.update(Action::SelectNext);
        }
        assert_eq!(author(&app), "kristianbk");
        app.update(Action::SelectLast);
        assert_eq!(author(&app), "evileyereviews");
        app.update(Action::SelectNext);
        assert_eq!(author(&app), "evileyereviews");
        app.update(Action::SelectFirst);
        app.update(Action::SelectPrevious);
        assert_eq!(author(&app), "UlrikSander");
    }

    #[test]
    fn selection_follows_the_review_through_sorting() {
        let mut app = sample_app();
        for _ in 0..4 {
            app.update(Action::SelectNext);
        }
        app.update(Action::NextSort); // helpful
        assert_eq!(author(&app), "kristianbk");
        assert_eq!(app.view[app.cursor], app.selected.expect("selected"));
    }

    #[test]
    fn filtered_out_selection_moves_to_the_nearest_review() {
        let mut app = sample_app();
        app.update(Action::SelectNext); // PAolo-10, rated 8
        app.update(Action::SelectNext); // nesfilmreviews, rated 8
        app.update(Action::SelectNext); // johanevander, rated 7
        app.update(Action::ToggleRating(8));
        assert_eq!(app.view.len(), 6);
        // johanevander is gone: the nearest 8 below it comes first (none), then above it.
        assert_eq!(author(&app), "nesfilmreviews");
    }

    #[test]
    fn rating_keys_combine() {
        let mut app = sample_app();
        app.update(Action::ToggleRating(10));
        assert_eq!(app.view.len(), 3);
        app.update(Action::ToggleRating(9));
        assert_eq!(app.view.len(), 7);
        app.update(Action::ToggleRating(10));
        assert_eq!(app.view.len(), 4);
        app.update(Action::ClearFilters);
        assert_eq!(app.view.len(), 25);
        app.update(Action::ToggleHideSpoilers);
        assert_eq!(app.view.len(), 23);
    }

    #[test]
    fn min_rating_goes_up_and_down() {
        let mut app = sample_app();
        app.update(Action::RaiseMinRating);
        assert_eq!(app.query.ratings.to_string(), "2-10");
        assert_eq!(app.view.len(), 24);
        for _ in 0..7 {
            app.update(Action::RaiseMinRating);
        }
        assert_eq!(app.query.ratings.to_string(), "9,10");
        app.update(Action::LowerMinRating);
        assert_eq!(app.query.ratings.to_string(), "8-10");
        app.update(Action::ClearFilters);
        app.update(Action::LowerMinRating);
        assert!(app.query.ratings.is_empty());
    }

    #[test]
    fn search_narrows_as_you_type_and_escape_goes_back() {
        let mut app = sample_app();
        app.update(Action::StartSearch);
        for c in "baseball".chars() {
            app.update(Action::SearchInput(c));
        }
        assert_eq!(app.view.len(), 2);
        app.update(Action::SearchBackspace);
        assert_eq!(app.query.search.text(), "basebal");
        app.update(Action::SearchAccept);
        assert_eq!(app.mode, Mode::Browse);
        assert_eq!(app.view.len(), 2);
        // Esc goes back to the search kept before `/`, not to none.
        app.update(Action::StartSearch);
        app.update(Action::SearchClear);
        assert_eq!(app.view.len(), 25);
        app.update(Action::SearchCancel);
        assert_eq!(app.query.search.text(), "basebal");
        assert_eq!(app.view.len(), 2);
        app.update(Action::StartSearch);
        app.update(Action::SearchClear);
        app.update(Action::SearchAccept);
        assert_eq!(app.view.len(), 25);
    }

    #[test]
    fn narrowing_search_gives_the_same_result_as_a_fresh_one() {
        let mut app = sample_app();
        app.update(Action::StartSearch);
        for c in "pusher tonny".chars() {
            app.update(Action::SearchInput(c));
        }
        let narrowed = app.view.clone();
        let search = Search::new("pusher tonny");
        let mut fresh = crate::query::apply(
            &app.doc,
            &Query {
                search: search.clone(),
                ..Query::default()
            },
        );
        // The app does not search hidden spoiler bodies.
        fresh.retain(|&i| {
            !app.is_hidden(i) || search.matches_without_body(&app.doc, &app.doc.reviews[i])
        });
        assert_eq!(narrowed, fresh);
    }

    #[test]
    fn reveal_toggles_one_or_all() {
        let mut app = sample_app();
        for _ in 0..4 {
            app.update(Action::SelectNext);
        }
        let index = app.selected.expect("selected");
        assert!(app.is_hidden(index));
        app.update(Action::ToggleReveal);
        assert!(!app.is_hidden(index));
        app.update(Action::ToggleReveal);
        assert!(app.is_hidden(index));
        app.update(Action::ToggleRevealAll);
        assert!(!app.is_hidden(index));
        app.update(Action::ToggleReveal);
        assert!(app.is_hidden(index));
        app.update(Action::ToggleRevealAll);
        assert!(app.is_hidden(index));
    }

    #[test]
    fn empty_view_has_no_selection_and_keys_do_not_panic() {
        let mut app = sample_app();
        app.update(Action::ToggleRating(1));
        assert!(app.view.is_empty());
        assert_eq!(app.selected, None);
        for action in [
            Action::SelectNext,
            Action::SelectLast,
            Action::PageDown,
            Action::ToggleReveal,
            Action::NextMatch,
            Action::ScrollDetailDown,
        ] {
            app.update(action);
            app.prepare(Rect::new(0, 0, 120, 40));
        }
        app.update(Action::ToggleRating(1));
        assert_eq!(app.view.len(), 25);
        assert!(app.selected.is_some());
    }
}
