//! The Stanford Large Movie Review Dataset in its own layout (`aclImdb/`, FORMATS.md §5):
//! one review per file, `{split}/{pos,neg,unsup}/ID_RATING.txt`, whether in a folder or in
//! its `aclImdb_v1.tar.gz`.
//!
//! The body is the file's text (`<br />` as line breaks), the rating the number after `_`
//! (`unsup` reviews are unrated), the verdict the folder, and `urls_{label}.txt` beside the
//! folders gives, line N for ID N, the film's IMDb address: the review's link, and its film
//! (`tt0453418`). The reviews are written as revue's own JSON Lines and read by the JSON
//! reader, so that they are read by the same rules as any other.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Explained, LoadError, Loaded, StoreBuilder, Warning};

/// The layout's name, as `--explain` shows it.
pub const NAME: &str = "Stanford Large Movie Review Dataset (aclImdb)";

/// Which folder a review is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Pos,
    Neg,
    Unsup,
}

impl Label {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "pos" => Some(Self::Pos),
            "neg" => Some(Self::Neg),
            "unsup" => Some(Self::Unsup),
            _ => None,
        }
    }
}

/// What a path is in the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// `{split}/{label}/ID_RATING.txt`.
    Review {
        split: String,
        label: Label,
        id: usize,
        rating: u8,
    },
    /// `{split}/urls_{label}.txt`.
    Urls { split: String, label: Label },
    /// A file of the dataset that holds no review (`imdb.vocab`, `*.feat`, `README`).
    NotReview,
}

/// What `path` (with `/` between folders) is in the layout, if it is part of it.
#[must_use]
pub fn classify(path: &str) -> Option<Part> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (&file, folders) = parts.split_last()?;
    if let Some(label) = folders.last().and_then(|f| Label::from_name(f)) {
        let (id, rating) = file.strip_suffix(".txt")?.split_once('_')?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(id) || !all_digits(rating) {
            return None;
        }
        return Some(Part::Review {
            split: folders[..folders.len() - 1].join("/"),
            label,
            id: id.parse().ok()?,
            rating: rating.parse().ok()?,
        });
    }
    if let Some(label) = file
        .strip_prefix("urls_")
        .and_then(|f| f.strip_suffix(".txt"))
        .and_then(Label::from_name)
    {
        return Some(Part::Urls {
            split: folders.join("/"),
            label,
        });
    }
    let known = matches!(file, "imdb.vocab" | "imdbEr.txt" | "README")
        || std::path::Path::new(file)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("feat"));
    known.then_some(Part::NotReview)
}

/// One review file read.
struct Review {
    path: String,
    split: String,
    label: Label,
    id: usize,
    rating: u8,
    text: String,
}

/// The files of the layout, gathered in any order and put together at the end.
#[derive(Default)]
pub struct Stanford {
    reviews: Vec<Review>,
    urls: HashMap<(String, Label), Vec<String>>,
    not_reviews: Vec<String>,
    warnings: Vec<Warning>,
}

impl Stanford {
    /// Adds the file at `path`, which is `part` of the layout.
    pub fn add(&mut self, path: &str, part: Part, bytes: Vec<u8>) {
        match part {
            Part::Review {
                split,
                label,
                id,
                rating,
            } => {
                let (text, warnings) = super::decode_utf8(bytes);
                self.warnings.extend(warnings.into_iter().map(|w| Warning {
                    line: None,
                    message: format!("{}: {}", crate::sanitize::sanitize_line(path), w.message),
                }));
                self.reviews.push(Review {
                    path: path.to_string(),
                    split,
                    label,
                    id,
                    rating,
                    text,
                });
            }
            Part::Urls { split, label } => {
                let text = String::from_utf8_lossy(&bytes);
                let lines = text.lines().map(|l| l.trim().to_string()).collect();
                self.urls.insert((split, label), lines);
            }
            Part::NotReview => self.not_reviews.push(path.to_string()),
        }
    }

    /// How many reviews were gathered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.reviews.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.reviews.is_empty()
    }

    /// The reviews gathered, in path order (numbers in natural order), as a document named
    /// `label`.
    ///
    /// # Errors
    /// When no review was gathered.
    pub fn finish(mut self, label: &str) -> Result<Loaded, LoadError> {
        self.reviews
            .sort_by(|a, b| crate::read::folder::natural_cmp(&a.path, &b.path));
        let mut lines = String::with_capacity(
            self.reviews
                .iter()
                .map(|r| r.text.len() + 120)
                .sum::<usize>(),
        );
        let mut linked = 0;
        for review in &self.reviews {
            let url = self
                .urls
                .get(&(review.split.clone(), review.label))
                .and_then(|urls| urls.get(review.id));
            linked += usize::from(url.is_some());
            write_review(review, url.map(String::as_str), &mut lines);
        }
        let reviews = self.reviews.len();
        let mut loaded =
            super::json::load(StoreBuilder::new(lines), label, &super::Options::default())?;
        loaded.warnings.splice(0..0, self.warnings);
        // The dataset has no votes: none are shown, where 0 would say nobody found a review
        // helpful.
        for source in &mut loaded.document.sources {
            source.no_votes = true;
            source.elsewhere = true;
        }
        let mut explained = Explained::plain(NAME);
        explained.notes.push(format!(
            "{reviews} review files; {linked} linked to their film by the urls_*.txt files"
        ));
        if !self.not_reviews.is_empty() {
            explained.notes.push(format!(
                "files of the dataset that hold no reviews: {}",
                crate::read::folder::some_of(&self.not_reviews, 5)
            ));
        }
        loaded.explained = Some(explained);
        Ok(loaded)
    }
}

/// One review as a line of revue's own JSON Lines.
fn write_review(review: &Review, url: Option<&str>, out: &mut String) {
    let json = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "null".into());
    let rating = match (review.label, review.rating) {
        (Label::Unsup, _) | (_, 0) => "null".to_string(),
        (_, n) => n.to_string(),
    };
    let verdict = match review.label {
        Label::Pos => "\"positive\"",
        Label::Neg => "\"negative\"",
        Label::Unsup => "null",
    };
    let body = review
        .text
        .replace("<br /><br />", "\n\n")
        .replace("<br />", "\n")
        .replace("<br/>", "\n");
    let (permalink, film) = match url {
        Some(url) => (json(url), film_of(url).map_or_else(|| "null".into(), json)),
        None => ("null".into(), "null".into()),
    };
    let _ = writeln!(
        out,
        "{{\"rating\":{rating},\"verdict\":{verdict},\"body\":{},\"permalink\":{permalink},\"film\":{film}}}",
        json(body.trim())
    );
}

/// The IMDb title id in an address, `tt0453418` in
/// `http://www.imdb.com/title/tt0453418/usercomments`.
fn film_of(url: &str) -> Option<&str> {
    let rest = &url[url.find("/title/")? + "/title/".len()..];
    let id = rest.split('/').next()?;
    (id.starts_with("tt") && id.len() > 2).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_layout() {
        assert_eq!(
            classify("aclImdb/train/pos/10006_7.txt"),
            Some(Part::Review {
                split: "aclImdb/train".into(),
                label: Label::Pos,
                id: 10006,
                rating: 7
            })
        );
        assert_eq!(
            classify("aclImdb/test/urls_neg.txt"),
            Some(Part::Urls {
                split: "aclImdb/test".into(),
                label: Label::Neg
            })
        );
        assert_eq!(classify("aclImdb/imdb.vocab"), Some(Part::NotReview));
        assert_eq!(
            classify("aclImdb/train/labeledBow.feat"),
            Some(Part::NotReview)
        );
        assert_eq!(classify("notes/pos/readme.txt"), None);
        assert_eq!(classify("reviews.csv"), None);
        assert_eq!(
            film_of("http://www.imdb.com/title/tt0453418/usercomments"),
            Some("tt0453418")
        );
    }

    #[test]
    fn a_small_tree_reads_with_links_ratings_and_verdicts() {
        let mut s = Stanford::default();
        for (path, text) in [
            ("a/train/pos/1_9.txt", "Second.<br /><br />Para \u{96} two."),
            ("a/train/pos/0_7.txt", "First."),
            ("a/train/neg/0_2.txt", "Bad."),
            ("a/train/unsup/0_0.txt", "Unrated."),
            (
                "a/train/urls_pos.txt",
                "http://www.imdb.com/title/tt1/usercomments\nhttp://www.imdb.com/title/tt2/usercomments\n",
            ),
        ] {
            let part = classify(path).expect("in the layout");
            s.add(path, part, text.as_bytes().to_vec());
        }
        let loaded = s.finish("a").expect("loads");
        let doc = &loaded.document;
        assert_eq!(doc.reviews.len(), 4);
        // Path order: neg, pos (0 before 1), unsup.
        assert_eq!(doc.body(&doc.reviews[0]), "Bad.");
        assert_eq!(doc.body(&doc.reviews[1]), "First.");
        assert_eq!(
            doc.permalink(&doc.reviews[1]).as_deref(),
            Some("http://www.imdb.com/title/tt1/usercomments")
        );
        assert_eq!(doc.body(&doc.reviews[2]), "Second.\n\nPara \u{2013} two.");
        assert_eq!(
            doc.reviews[2].rating.map(crate::model::Rating::whole),
            Some(9)
        );
        assert!(doc.reviews[3].rating.is_none());
        assert!(doc.reviews[3].verdict.is_none());
    }
}
