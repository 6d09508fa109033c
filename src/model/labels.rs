//! Marks and labels: the user's own notes on reviews (FORMATS.md §6). A review is marked
//! or not and holds any of the document's labels; only reviews with a note take room. The
//! notes come from revue's own exports read back, and from the journal the app keeps
//! (`crate::journal`); each review is known there by [`review_key`], which survives a
//! moved, renamed or re-sorted copy of the document.

use std::collections::HashMap;
use std::hash::Hasher;

use super::Document;

/// The most labels a document may use: one bit each.
pub const MAX_LABELS: usize = 64;

/// One review's notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tags {
    pub marked: bool,
    /// The labels held, a bit per label number.
    pub labels: u64,
}

impl Tags {
    #[must_use]
    pub fn is_empty(self) -> bool {
        !self.marked && self.labels == 0
    }
}

/// The notes of a document's reviews.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// The label names, by number.
    names: Vec<String>,
    of: HashMap<u32, Tags>,
}

impl Labels {
    /// The number of label `name`, given one if new; `None` past [`MAX_LABELS`].
    pub fn number(&mut self, name: &str) -> Option<u32> {
        if let Some(at) = self.names.iter().position(|n| n == name) {
            return u32::try_from(at).ok();
        }
        if self.names.len() >= MAX_LABELS {
            return None;
        }
        self.names.push(name.to_owned());
        u32::try_from(self.names.len() - 1).ok()
    }

    /// The number of label `name`, if any review was ever given it.
    #[must_use]
    pub fn find(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|at| u32::try_from(at).ok())
    }

    /// Review `i`'s notes.
    #[must_use]
    pub fn get(&self, i: usize) -> Tags {
        u32::try_from(i)
            .ok()
            .and_then(|i| self.of.get(&i))
            .copied()
            .unwrap_or_default()
    }

    pub fn set(&mut self, i: usize, tags: Tags) {
        let Ok(i) = u32::try_from(i) else { return };
        if tags.is_empty() {
            self.of.remove(&i);
        } else {
            self.of.insert(i, tags);
        }
    }

    /// Gives review `i` the labels `names` (their numbers made as needed) and `marked`.
    pub fn set_named(&mut self, i: usize, names: &[String], marked: bool) {
        let mut labels = 0;
        for name in names {
            if let Some(n) = self.number(name) {
                labels |= 1 << n;
            }
        }
        self.set(i, Tags { marked, labels });
    }

    /// The names of the labels in `tags`, in the order they were first used.
    #[must_use]
    pub fn names_in(&self, tags: Tags) -> Vec<&str> {
        self.names
            .iter()
            .enumerate()
            .filter(|&(n, _)| tags.labels & (1 << n) != 0)
            .map(|(_, name)| name.as_str())
            .collect()
    }

    /// Whether any review has a note.
    #[must_use]
    pub fn any(&self) -> bool {
        !self.of.is_empty()
    }

    /// How many of `indices` are marked, and how many hold each label that any of them
    /// holds, in the labels' order.
    #[must_use]
    pub fn counts(&self, indices: &[usize]) -> (usize, Vec<(String, usize)>) {
        let mut marked = 0;
        let mut per = vec![0usize; self.names.len()];
        if !self.of.is_empty() {
            for &i in indices {
                let tags = self.get(i);
                marked += usize::from(tags.marked);
                for (n, count) in per.iter_mut().enumerate() {
                    *count += usize::from(tags.labels & (1 << n) != 0);
                }
            }
        }
        let labels = self
            .names
            .iter()
            .zip(per)
            .filter(|&(_, n)| n > 0)
            .map(|(name, n)| (name.clone(), n))
            .collect();
        (marked, labels)
    }

    /// Takes in `other`'s notes, its reviews now numbered from `offset`.
    pub fn absorb(&mut self, other: &Labels, offset: usize) {
        // The names first, in their order: the reviews come in no order.
        for name in &other.names {
            self.number(name);
        }
        for (&i, &tags) in &other.of {
            let names: Vec<String> = other
                .names_in(tags)
                .into_iter()
                .map(str::to_owned)
                .collect();
            self.set_named(offset + i as usize, &names, tags.marked);
        }
    }
}

/// How review `i` is known in the journal: its IMDb permalink's review id (`rw1234567`) or
/// its whole permalink where it has one, else a hash of its author, date and body.
#[must_use]
pub fn review_key(doc: &Document, i: usize) -> String {
    let Some(review) = doc.reviews.get(i) else {
        return String::new();
    };
    if let Some(link) = doc.permalink(review) {
        // IMDb's review ids, the same whatever the link's form; other sites' whole links.
        let imdb = link.contains("imdb.com/");
        let id = link
            .split('/')
            .filter(|_| imdb)
            .find(|part| part.len() > 2 && part.starts_with("rw"))
            .filter(|id| id[2..].bytes().all(|b| b.is_ascii_digit()));
        return id.map_or_else(|| link.to_string(), str::to_owned);
    }
    // Kept in files across versions of revue: a hash with a fixed specification (XXH3),
    // twice with two seeds for 128 bits, as a key two reviews shared would carry one's
    // notes to the other.
    let date = review.date.map(|d| d.to_string()).unwrap_or_default();
    let hash = |seed: u64| {
        let mut hasher = twox_hash::XxHash3_64::with_seed(seed);
        for part in [
            doc.author(review).as_bytes(),
            date.as_bytes(),
            doc.body(review).as_bytes(),
        ] {
            hasher.write(&(part.len() as u64).to_le_bytes());
            hasher.write(part);
        }
        hasher.finish()
    };
    format!(
        "h{:016x}{:016x}",
        hash(0x6c61_6265_6c73),
        hash(0x7265_7675_6531)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_set_named_counted_and_absorbed() {
        let mut labels = Labels::default();
        labels.set_named(3, &["spoiler".into(), "sarcasm".into()], false);
        labels.set_named(5, &["sarcasm".into()], true);
        assert_eq!(labels.names_in(labels.get(3)), ["spoiler", "sarcasm"]);
        assert!(labels.get(5).marked && !labels.get(4).marked);
        let (marked, per) = labels.counts(&[3, 4, 5]);
        assert_eq!(marked, 1);
        assert_eq!(per, [("spoiler".into(), 1), ("sarcasm".into(), 2)]);
        let mut joined = Labels::default();
        joined.set_named(0, &["keep".into()], false);
        joined.absorb(&labels, 10);
        assert_eq!(joined.names_in(joined.get(13)), ["spoiler", "sarcasm"]);
        assert_eq!(joined.names_in(joined.get(0)), ["keep"]);
        labels.set(5, Tags::default());
        assert!(labels.get(5).is_empty());
    }
}
