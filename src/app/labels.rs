//! Marks and labels in the app: `m` marks the selected review, `M` every review shown, `'`
//! keeps the marked ones, `L` then a label's key sets or clears that label, `"` keeps the
//! reviews of one label after another. Each change is written to the journal
//! (`crate::journal`) before the app goes on; one that cannot be written is said.

use std::collections::HashMap;

use super::{App, Mode};
use crate::collect::DocumentWarning;
use crate::journal::{self, Entry, Journal};
use crate::model::Tags;

/// The labels `L` sets, the journal changes are written to, and what it held when opened
/// (given to the reviews once they are loaded).
#[derive(Debug, Default)]
pub(super) struct LabelState {
    pub(super) keys: Vec<(char, String)>,
    journal: Option<Journal>,
    waiting: Option<HashMap<String, Entry>>,
    /// Why changes are not kept (standard input has no identity to find them by).
    not_kept: Option<String>,
    /// A change was made that no journal keeps.
    lost: bool,
}

impl App {
    /// The labels `L` sets, each by its key.
    #[must_use]
    pub fn with_labels(mut self, keys: Vec<(char, String)>) -> Self {
        self.labels.keys = keys;
        self
    }

    /// Writes changes to `journal`, and gives the reviews the notes it holds (`entries`)
    /// as soon as they are loaded. `Err` says why changes are not kept.
    #[must_use]
    pub fn with_journal(mut self, journal: Result<crate::journal::Opened, String>) -> Self {
        match journal {
            Ok((journal, entries, warnings)) => {
                // Said in `w` with the load's warnings, where the app shows them; each
                // names the journal and its line.
                let document = "labels journal".to_string();
                self.warnings
                    .extend(warnings.into_iter().map(|message| DocumentWarning {
                        document: document.clone(),
                        warning: crate::load::Warning {
                            line: None,
                            message,
                        },
                    }));
                self.labels.journal = Some(journal);
                self.labels.waiting = Some(entries);
                if self.loading.is_none() {
                    self.apply_journal();
                }
            }
            Err(why) => self.labels.not_kept = Some(why),
        }
        self
    }

    /// Gives the loaded reviews the notes the journal holds.
    pub(super) fn apply_journal(&mut self) {
        let Some(entries) = self.labels.waiting.take() else {
            return;
        };
        let given = journal::apply(&mut self.doc, &entries);
        if given > 0 {
            let s = if given == 1 { "" } else { "s" };
            self.message = Some(format!(
                "marks and labels brought back for {given} review{s}"
            ));
            self.detail = None;
        }
    }

    /// Whether marks and labels can change now: not while the journal waits for the
    /// reviews to load (a change then would be written over what the journal holds).
    fn notes_ready(&mut self) -> bool {
        if self.labels.waiting.is_some() {
            self.message = Some("marks and labels wait until the files are loaded".into());
            return false;
        }
        true
    }

    /// The labels state for the same inputs read again (`R`, a followed file replaced):
    /// the same keys and journal, whose notes go to the reviews once they are loaded.
    pub(super) fn labels_for_reload(&mut self) -> LabelState {
        let mut state = std::mem::take(&mut self.labels);
        if let Some(journal) = &state.journal {
            match journal.read() {
                Ok((entries, _)) => state.waiting = Some(entries),
                Err(why) => {
                    state.journal = None;
                    state.not_kept = Some(why);
                }
            }
        }
        state
    }

    /// Marks the selected review, or takes its mark away.
    pub(super) fn toggle_mark(&mut self) {
        if !self.notes_ready() {
            return;
        }
        let Some(i) = self.selected else { return };
        let mut tags = self.doc.labels().get(i);
        tags.marked = !tags.marked;
        self.doc.labels_mut().set(i, tags);
        let said = if tags.marked {
            "marked"
        } else {
            "mark taken away"
        };
        self.record(&[i], said);
    }

    /// Marks every review shown; when all are marked already, takes their marks away.
    pub(super) fn mark_shown(&mut self) {
        if !self.notes_ready() {
            return;
        }
        let all = self.view.iter().all(|&i| self.doc.labels().get(i).marked);
        let view = self.view.clone();
        for &i in &view {
            let mut tags = self.doc.labels().get(i);
            tags.marked = !all;
            self.doc.labels_mut().set(i, tags);
        }
        let n = view.len();
        let said = if all {
            format!("marks taken from the {n} reviews shown")
        } else {
            format!("the {n} reviews shown marked")
        };
        self.record(&view, &said);
    }

    /// Waits for a label's key (`L`).
    pub(super) fn start_label(&mut self) {
        if self.selected.is_none() || !self.notes_ready() {
            return;
        }
        if self.labels.keys.is_empty() {
            self.message = Some("no labels: name some in the configuration's [labels]".into());
            return;
        }
        self.mode = Mode::Label;
        let keys: Vec<String> = self
            .labels
            .keys
            .iter()
            .map(|(c, name)| format!("{c} {name}"))
            .collect();
        self.message = Some(format!("label: {}", keys.join(", ")));
    }

    /// Sets or clears the label whose key is `key` on the selected review.
    pub(super) fn label_key(&mut self, key: char) {
        self.mode = Mode::Browse;
        let Some(i) = self.selected else { return };
        let Some(name) = self
            .labels
            .keys
            .iter()
            .find(|(c, _)| *c == key)
            .map(|(_, name)| name.clone())
        else {
            self.message = Some(format!("no label on {key}"));
            return;
        };
        let Some(n) = self.doc.labels_mut().number(&name) else {
            self.message = Some(format!(
                "no room for label {name}: {} at most",
                crate::model::MAX_LABELS
            ));
            return;
        };
        let mut tags = self.doc.labels().get(i);
        tags.labels ^= 1 << n;
        self.doc.labels_mut().set(i, tags);
        let said = if tags.labels & (1 << n) != 0 {
            format!("labelled {name}")
        } else {
            format!("label {name} taken away")
        };
        self.record(&[i], &said);
    }

    /// Keeps only the marked reviews, or all again.
    pub(super) fn toggle_marked_only(&mut self) {
        self.query.marked = !self.query.marked;
        self.refresh_view();
        let none = self.query.marked && self.view.is_empty();
        self.message = Some(if none {
            "marked reviews only: none is marked yet (m marks one, ' again shows all)".into()
        } else if self.query.marked {
            "marked reviews only".into()
        } else {
            "marked and unmarked".into()
        });
    }

    /// Keeps the reviews of the next label in use, then all again.
    pub(super) fn cycle_label_filter(&mut self) {
        let (_, used) = self
            .doc
            .labels()
            .counts(&(0..self.doc.reviews.len()).collect::<Vec<_>>());
        let names: Vec<String> = used.into_iter().map(|(name, _)| name).collect();
        let next = match &self.query.label {
            None => names.first().cloned(),
            Some(current) => names
                .iter()
                .position(|n| n == current)
                .and_then(|at| names.get(at + 1).cloned()),
        };
        self.query.label = next;
        self.refresh_view();
        self.message = Some(match (&self.query.label, names.is_empty()) {
            (Some(name), _) => format!("label {name} only"),
            (None, true) => "no review has a label yet (L sets one)".into(),
            (None, false) => "all reviews, labelled or not".into(),
        });
    }

    /// Writes the notes of reviews `indices` to the journal, then says `said` (or why they
    /// could not be kept).
    fn record(&mut self, indices: &[usize], said: &str) {
        self.detail = None;
        if self.query.marked || self.query.label.is_some() {
            self.stale = true;
        }
        let Some(journal) = self.labels.journal.as_mut() else {
            self.labels.lost = true;
            let why = self.labels.not_kept.as_deref().unwrap_or("no journal");
            self.message = Some(format!("{said} (not kept: {why})"));
            return;
        };
        let at = journal::now();
        let entries: Vec<Entry> = indices
            .iter()
            .map(|&i| {
                let Tags { marked, .. } = self.doc.labels().get(i);
                let labels = self.doc.labels().names_in(self.doc.labels().get(i));
                Entry {
                    review: crate::model::review_key(&self.doc, i),
                    labels: labels.into_iter().map(str::to_owned).collect(),
                    marked,
                    at: at.clone(),
                }
            })
            .collect();
        self.message = Some(match journal.append_all(&entries) {
            Ok(()) => said.to_string(),
            Err(err) => format!(
                "{said}, but NOT saved: {}: {err}",
                crate::sanitize::sanitize_line(&journal.path().to_string_lossy())
            ),
        });
    }

    /// Whether marks or labels were made that no journal keeps.
    #[must_use]
    pub fn unkept_notes(&self) -> bool {
        self.labels.lost
    }

    /// Review `i`'s notes as the list shows them: `●` when marked, then `#label`s.
    #[must_use]
    pub fn notes_text(&self, i: usize) -> Option<String> {
        let labels = self.doc.labels();
        let tags = labels.get(i);
        if tags.is_empty() {
            return None;
        }
        // Labels as `#name`, apart from the `[spoiler]` mark of the review's own flag.
        let mut parts: Vec<String> = labels
            .names_in(tags)
            .iter()
            .map(|name| format!("#{name}"))
            .collect();
        if tags.marked {
            parts.insert(0, "●".into());
        }
        Some(parts.join(" "))
    }
}
