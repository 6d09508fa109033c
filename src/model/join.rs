//! Documents put together: the next piece of a streamed page, a further part of the same
//! document (a folder's next file, a JSON Lines piece) whose films join those of the same
//! name, another document; and the replies, which lie beside the reviews they answer.

use super::{Date, Document, Reply, Review, Source, TextRef};

/// The sources of one document by what makes a film the same film (name, title, year),
/// to find the one a further part's film is in one look-up: a dataset has a hundred
/// thousand products.
#[derive(Debug, Clone, Default)]
pub struct SourceSet(std::collections::HashMap<String, Vec<SameName>>);

/// A source among those of one name: its title and year, and its index.
type SameName = (Option<String>, Option<u16>, u16);

impl SourceSet {
    /// Looked up by the name without a copy of it: a million reviews' worth of pieces
    /// look up their films a few hundred thousand times.
    fn find(&self, source: &Source) -> Option<u16> {
        self.0
            .get(source.label.as_str())?
            .iter()
            .find(|(title, year, _)| *title == source.title && *year == source.year)
            .map(|&(_, _, at)| at)
    }

    fn insert(&mut self, source: &Source, at: u16) {
        let same = self.0.entry(source.label.clone()).or_default();
        if !same
            .iter()
            .any(|(title, year, _)| *title == source.title && *year == source.year)
        {
            same.push((source.title.clone(), source.year, at));
        }
    }
}

/// Where a body lies, which tells its review apart from every other in a document: no two
/// reviews share a body's place (an empty body that has a reply is given one of its own).
fn body_key(body: TextRef) -> (u32, u64) {
    (body.chunk(), body.start())
}

impl Document {
    /// The reply to `review`, and its date, if it has one.
    #[must_use]
    pub fn reply(&self, review: &Review) -> Option<(std::borrow::Cow<'_, str>, Option<Date>)> {
        if self.replies.is_empty() {
            return None;
        }
        let reply = self.replies.get(&body_key(review.body))?;
        Some((self.store.get(reply.text), reply.date))
    }

    /// Whether any review has a reply.
    #[must_use]
    pub fn has_replies(&self) -> bool {
        !self.replies.is_empty()
    }

    /// Gives the reviews whose bodies lie at each `body` their replies.
    pub fn set_replies(&mut self, replies: impl IntoIterator<Item = (TextRef, Reply)>) {
        self.replies.extend(
            replies
                .into_iter()
                .map(|(body, reply)| (body_key(body), reply)),
        );
    }

    /// Moves `other`'s replies in, their text now in chunks `chunk_offset` on.
    fn absorb_replies(
        &mut self,
        other: std::collections::HashMap<(u32, u64), Reply>,
        chunk_offset: u32,
    ) {
        self.replies
            .extend(other.into_iter().map(|((chunk, start), mut reply)| {
                reply.text = reply.text.shifted(chunk_offset);
                ((chunk + chunk_offset, start), reply)
            }));
    }

    /// Adds the next piece of an already open document (its reviews go to `source`, and its
    /// description of the film, which is the latest and fullest, replaces the old one).
    pub fn extend_source(&mut self, source: u16, mut part: Document) {
        self.absorb_lengths(&mut part);
        self.notes
            .labels
            .absorb(&part.notes.labels, self.reviews.len());
        let chunk_offset = self.store.absorb(part.store);
        self.absorb_replies(part.replies, chunk_offset);
        if let Some(info) = part.sources.into_iter().next() {
            match self.sources.get_mut(usize::from(source)) {
                Some(existing) => *existing = info,
                None => self.sources.push(info),
            }
        }
        self.reviews.extend(part.reviews.into_iter().map(|mut r| {
            r.source = source;
            for t in [&mut r.title, &mut r.author, &mut r.body, &mut r.permalink] {
                *t = t.shifted(chunk_offset);
            }
            r
        }));
    }

    /// Adds every review of `other`, a further part of the same document: a film it shares
    /// with this one (by name, title and year) is the same source.
    pub fn merge(&mut self, other: Document) {
        let mut all = SourceSet::default();
        for (i, source) in self.sources.iter().enumerate() {
            all.insert(source, u16::try_from(i).unwrap_or(u16::MAX));
        }
        self.merge_among(other, &mut all);
    }

    /// [`Document::merge`], where only the sources in `among` are the same document's;
    /// the sources added are added to `among`. Gives where each of `other`'s sources went.
    pub fn merge_among(&mut self, mut other: Document, among: &mut SourceSet) -> Vec<u16> {
        self.absorb_lengths(&mut other);
        self.notes
            .labels
            .absorb(&other.notes.labels, self.reviews.len());
        let chunk_offset = self.store.absorb(other.store);
        self.absorb_replies(other.replies, chunk_offset);
        let places: Vec<u16> = other
            .sources
            .into_iter()
            .map(|source| {
                if let Some(at) = among.find(&source) {
                    return at;
                }
                let at = u16::try_from(self.sources.len()).unwrap_or(u16::MAX);
                among.insert(&source, at);
                self.sources.push(source);
                at
            })
            .collect();
        self.reviews.extend(other.reviews.into_iter().map(|mut r| {
            r.source = places
                .get(usize::from(r.source))
                .copied()
                .unwrap_or(r.source);
            for t in [&mut r.title, &mut r.author, &mut r.body, &mut r.permalink] {
                *t = t.shifted(chunk_offset);
            }
            r
        }));
        places
    }

    /// Adds every review of `other`, which keep pointing at their own text and remember
    /// which document they came from.
    pub fn append(&mut self, mut other: Document) {
        self.absorb_lengths(&mut other);
        self.notes
            .labels
            .absorb(&other.notes.labels, self.reviews.len());
        let source_offset = u16::try_from(self.sources.len()).unwrap_or(u16::MAX);
        let chunk_offset = self.store.absorb(other.store);
        self.absorb_replies(other.replies, chunk_offset);
        self.sources.extend(other.sources);
        self.reviews.extend(other.reviews.into_iter().map(|mut r| {
            r.source = r.source.saturating_add(source_offset);
            for t in [&mut r.title, &mut r.author, &mut r.body, &mut r.permalink] {
                *t = t.shifted(chunk_offset);
            }
            r
        }));
    }
}
