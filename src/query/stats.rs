//! Summary figures of a view: counts, mean and median rating, histogram, verdicts, spoilers,
//! the helpful shares, reviews per year, the date range, and the longest and most helpful
//! review; as text for `--stats`, as JSON for `--stats --format json`, and for the app's
//! stats view.

use std::fmt::{self, Write as _};

use crate::model::{DEFAULT_SCALE, Date, Document, Review, Verdict};

/// The ratings of a view: their scale, a count per whole rating, mean and median. What the
/// histogram above the list shows, and the rating part of [`Stats`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    /// The scale of most rated reviews in the view (10 for IMDb, 5 for five-star data);
    /// ratings on another scale count by their share of it.
    pub scale: u8,
    /// Whether the view holds ratings on more than one scale.
    pub mixed_scales: bool,
    /// Reviews per whole rating on `scale`; index 0 counts unrated reviews.
    pub histogram: Vec<usize>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

impl Ratings {
    /// The ratings of the reviews at `indices`.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn of(doc: &Document, indices: &[usize]) -> Self {
        Self::of_reviews(|| indices.iter().filter_map(|&i| doc.reviews.get(i)))
    }

    /// The ratings of the reviews `reviews` gives (called twice: scales, then counts).
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn of_reviews<'a, I: Iterator<Item = &'a Review>>(reviews: impl Fn() -> I) -> Self {
        let mut scales = [0usize; 256];
        for rating in reviews().filter_map(|r| r.rating) {
            scales[usize::from(rating.scale())] += 1;
        }
        let scale = (1..=255u8)
            .max_by_key(|&s| (scales[usize::from(s)], s == DEFAULT_SCALE))
            .filter(|&s| scales[usize::from(s)] > 0)
            .unwrap_or(DEFAULT_SCALE);
        let mixed_scales = scales.iter().filter(|&&n| n > 0).count() > 1;
        let mut histogram = vec![0; usize::from(scale) + 1];
        // The same ratings in tenths of the scale, for a median that keeps half stars:
        // 3.5 and 3.5 have the median 3.5, not the 4 they count under in the histogram.
        let mut tenths = vec![0usize; usize::from(scale) * 10 + 1];
        let mut sum = 0.0;
        for r in reviews() {
            let value = r
                .rating
                .map(|rating| rating.value() * f64::from(scale) / f64::from(rating.scale()));
            // The nearest whole rating, halves up, as the rating keys count it.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let whole = value.map_or(0, |v| {
                ((v + 0.5).floor() as usize).clamp(1, usize::from(scale))
            });
            histogram[whole] += 1;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            if let Some(v) = value {
                let at = ((v * 10.0).round() as usize).min(tenths.len() - 1);
                tenths[at] += 1;
            }
            sum += value.unwrap_or(0.0);
        }
        let rated: usize = histogram[1..].iter().sum();
        let mean = (rated > 0).then(|| sum / rated as f64);
        let nth = |n: usize| -> usize {
            // The rating, in tenths, of the n-th (0-based) rated review in ascending order.
            let mut seen = 0;
            (0..tenths.len())
                .find(|&t| {
                    seen += tenths[t];
                    seen > n
                })
                .unwrap_or(tenths.len() - 1)
        };
        let median = (rated > 0).then(|| {
            let in_tenths = if rated % 2 == 1 {
                nth(rated / 2) as f64
            } else {
                (nth(rated / 2 - 1) + nth(rated / 2)) as f64 / 2.0
            };
            in_tenths / 10.0
        });
        Self {
            scale,
            mixed_scales,
            histogram,
            mean,
            median,
        }
    }
}

/// Figures for the reviews of one view.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Reviews in the view.
    pub shown: usize,
    /// Reviews loaded, before filtering.
    pub loaded: usize,
    /// Sum of the review counts the documents claim, where they all claim one.
    pub claimed: Option<u64>,
    /// The rating scale the figures are on: that of most rated reviews in the view (10 for
    /// IMDb, 5 for five-star data). Ratings on another scale count by their share of it.
    pub scale: u8,
    /// Whether the view holds ratings on more than one scale.
    pub mixed_scales: bool,
    /// Reviews per whole rating on [`Stats::scale`]; index 0 counts unrated reviews.
    pub histogram: Vec<usize>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub positive: usize,
    pub negative: usize,
    pub spoilers: usize,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    /// Reviews whose helpful share (helpful votes of all votes) falls in each tenth, 0–10%
    /// to 90–100%, among those with votes where down-votes are known.
    pub helpful_share: [usize; 10],
    /// Reviews with no votes yet, where down-votes are known.
    pub unvoted: usize,
    /// Reviews per year, oldest first (years without reviews in between included).
    pub per_year: Vec<(u16, usize)>,
    /// The longest review shown (by the size of its body), if any has a body one may read.
    pub longest: Option<usize>,
    /// How many characters that review's body has.
    pub longest_chars: usize,
    /// The most helpful review: the highest lower bound of its helpful share where down-votes
    /// are known, else the most helpful votes.
    pub most_helpful: Option<usize>,
    /// Reviews loaded that repeat an earlier review's body (see
    /// [`crate::model::Duplicates`]), whether `D` hides them or not.
    pub duplicates: usize,
    /// The most repeated bodies of the document: the first review of each and how many
    /// times it is there, most first.
    pub most_repeated: Vec<(usize, usize)>,
    /// Reviews in the view the user marked.
    pub marked: usize,
    /// How many reviews in the view hold each label, for the labels any of them holds.
    pub labels: Vec<(String, usize)>,
}

/// How many of the most repeated bodies the stats name.
pub const MOST_REPEATED: usize = 5;

impl Stats {
    /// Computes the figures for the reviews at `indices`.
    #[must_use]
    pub fn new(doc: &Document, indices: &[usize]) -> Self {
        Self::without_bodies(doc, indices, |_| false)
    }

    /// [`Stats::new`], where the bodies of the reviews `hidden` says are spoilers not to be
    /// read yet: they are no candidate for the longest review, whose size would tell
    /// something of them.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn without_bodies(
        doc: &Document,
        indices: &[usize],
        hidden: impl Fn(usize) -> bool,
    ) -> Self {
        let reviews = || indices.iter().filter_map(|&i| doc.reviews.get(i));
        let Ratings {
            scale,
            mixed_scales,
            histogram,
            mean,
            median,
        } = Ratings::of(doc, indices);
        let (mut spoilers, mut positive, mut negative) = (0, 0, 0);
        let (mut first_date, mut last_date) = (None::<Date>, None::<Date>);
        let mut helpful_share = [0; 10];
        let mut unvoted = 0;
        let mut years: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
        let mut longest: Option<(usize, usize)> = None;
        let mut most_helpful: Option<(usize, (f64, u64))> = None;
        for &i in indices {
            let Some(r) = doc.reviews.get(i) else {
                continue;
            };
            if !hidden(i) {
                let size = r.body.len();
                if size > 0 && longest.is_none_or(|(_, best)| size > best) {
                    longest = Some((i, size));
                }
            }
            let total = r.total_votes();
            if r.not_helpful().is_some() {
                if total == 0 {
                    unvoted += 1;
                } else {
                    // The tenth the share falls in; 100% is in the last one.
                    #[allow(clippy::cast_possible_truncation)]
                    let tenth = ((u128::from(r.helpful) * 10 / u128::from(total)) as usize).min(9);
                    helpful_share[tenth] += 1;
                }
            }
            let key = match r.not_helpful() {
                Some(_) => (super::sort::wilson_lower_bound(r.helpful, total), r.helpful),
                None => (0.0, r.helpful),
            };
            if r.helpful > 0 && most_helpful.is_none_or(|(_, best)| key > best) {
                most_helpful = Some((i, key));
            }
            if let Some(d) = r.date {
                *years.entry(d.year()).or_default() += 1;
            }
        }
        let per_year = match (years.keys().next(), years.keys().next_back()) {
            (Some(&first), Some(&last)) => (first..=last)
                .map(|y| (y, years.get(&y).copied().unwrap_or(0)))
                .collect(),
            _ => Vec::new(),
        };
        for r in reviews() {
            spoilers += usize::from(r.spoiler);
            positive += usize::from(r.verdict == Some(Verdict::Positive));
            negative += usize::from(r.verdict == Some(Verdict::Negative));
            if let Some(d) = r.date {
                first_date = Some(first_date.map_or(d, |f| f.min(d)));
                last_date = Some(last_date.map_or(d, |l| l.max(d)));
            }
        }
        let claimed = doc.claimed_reviews();
        Self {
            shown: indices.len(),
            loaded: doc.reviews.len(),
            claimed,
            scale,
            mixed_scales,
            histogram,
            mean,
            median,
            positive,
            negative,
            spoilers,
            first_date,
            last_date,
            helpful_share,
            unvoted,
            per_year,
            longest: longest.map(|(i, _)| i),
            longest_chars: longest.map_or(0, |(i, _)| doc.body(&doc.reviews[i]).chars().count()),
            most_helpful: most_helpful.map(|(i, _)| i),
            duplicates: doc.duplicates().count(),
            most_repeated: doc.duplicates().most_repeated(MOST_REPEATED),
            marked: doc.labels().counts(indices).0,
            labels: doc.labels().counts(indices).1,
        }
    }

    /// The figures as JSON, for scripts: the same as the text, and the longest and most
    /// helpful reviews named by title, author, date and permalink.
    #[must_use]
    pub fn to_json(&self, doc: &Document) -> serde_json::Value {
        use serde_json::{Value, json};
        let review = |i: Option<usize>| {
            i.and_then(|i| doc.reviews.get(i)).map_or(Value::Null, |r| {
                json!({
                    "title": doc.title(r),
                    "author": doc.author(r),
                    "date": r.date.map(|d| d.to_string()),
                    "rating": r.rating.map(|r| {
                        let value = r.value();
                        // Whole ratings as whole numbers, as the exports write them.
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        if value.fract() == 0.0 { json!(value as u64) } else { json!(value) }
                    }),
                    "helpful": r.helpful,
                    "not_helpful": r.not_helpful(),
                    "characters": doc.body(r).chars().count(),
                    "permalink": doc.permalink(r),
                })
            })
        };
        let histogram: serde_json::Map<String, Value> = (1..self.histogram.len())
            .map(|n| (n.to_string(), json!(self.histogram[n])))
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let share = |n: usize| (self.shown > 0).then(|| n as f64 / self.shown as f64);
        json!({
            "reviews": {
                "shown": self.shown,
                "loaded": self.loaded,
                "page_lists": self.claimed,
            },
            "rating": {
                "scale": self.scale,
                "mixed_scales": self.mixed_scales,
                "mean": self.mean,
                "median": self.median,
                "histogram": histogram,
                "unrated": self.histogram[0],
            },
            "verdicts": {
                "positive": self.positive,
                "negative": self.negative,
                "none": self.shown - self.positive - self.negative,
            },
            "spoilers": { "count": self.spoilers, "share": share(self.spoilers) },
            "helpful_share": {
                "tenths": self.helpful_share,
                "no_votes": self.unvoted,
            },
            "per_year": self
                .per_year
                .iter()
                .map(|&(y, n)| (y.to_string(), json!(n)))
                .collect::<serde_json::Map<String, Value>>(),
            "dates": {
                "first": self.first_date.map(|d| d.to_string()),
                "last": self.last_date.map(|d| d.to_string()),
            },
            "longest": review(self.longest),
            "most_helpful": review(self.most_helpful),
            "marked": self.marked,
            "labels": self.labels.iter().map(|(name, n)| (name.clone(), json!(n))).collect::<serde_json::Map<String, Value>>(),
            "duplicates": {
                "count": self.duplicates,
                "most_repeated": self.most_repeated.iter().map(|&(i, times)| json!({
                    "times": times,
                    "first": review(Some(i)),
                })).collect::<Vec<Value>>(),
            },
        })
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = format!("reviews:  {}", self.shown);
        if self.shown == self.loaded {
            line.push_str(" loaded");
        } else {
            let _ = write!(line, " of {} loaded", self.loaded);
        }
        if let Some(claimed) = self.claimed {
            let _ = write!(line, "; the page lists {claimed}");
        }
        writeln!(f, "{line}")?;
        let scale = self.scale;
        let mixed = if self.mixed_scales {
            format!(" (ratings on other scales counted as shares of {scale})")
        } else {
            String::new()
        };
        match (self.mean, self.median) {
            (Some(mean), Some(median)) => {
                writeln!(
                    f,
                    "rating:   mean {mean:.2}, median {median} of {scale}{mixed}"
                )?;
            }
            _ => writeln!(f, "rating:   no rated reviews")?,
        }
        let widest = self.histogram.iter().copied().max().unwrap_or(0).max(1);
        // No bars of zeros where nothing is rated.
        let rated = self.histogram[1..].iter().any(|&n| n > 0);
        for rating in (1..self.histogram.len()).rev().filter(|_| rated) {
            let n = self.histogram[rating];
            let bar = "#".repeat((n * 40).div_ceil(widest));
            writeln!(f, "  {rating:>2}/{scale:<2} {n:>6} {bar}")?;
        }
        // Its count under the rating bars' counts (`  10/10 {n:>6}`).
        writeln!(f, "  unrated {:>4}", self.histogram[0])?;
        if self.positive + self.negative > 0 {
            writeln!(
                f,
                "verdicts: {} positive, {} negative",
                self.positive, self.negative
            )?;
        }
        writeln!(f, "spoilers: {}", self.spoilers)?;
        match (self.first_date, self.last_date) {
            (Some(a), Some(b)) => writeln!(f, "dates:    {a} to {b}")?,
            _ => writeln!(f, "dates:    none")?,
        }
        if !self.per_year.is_empty() {
            let years: Vec<String> = self
                .per_year
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(y, n)| format!("{y} {n}"))
                .collect();
            writeln!(f, "per year: {}", years.join(", "))?;
        }
        if self.marked > 0 || !self.labels.is_empty() {
            let labels: Vec<String> = self
                .labels
                .iter()
                .map(|(name, n)| format!("{name} {n}"))
                .collect();
            writeln!(
                f,
                "marked:   {}; labels: {}",
                self.marked,
                if labels.is_empty() {
                    "none".to_string()
                } else {
                    labels.join(", ")
                }
            )?;
        }
        if self.duplicates > 0 || !self.most_repeated.is_empty() {
            let times: Vec<String> = self
                .most_repeated
                .iter()
                .map(|&(_, n)| n.to_string())
                .collect();
            writeln!(
                f,
                "duplicates: {} of the loaded (the most repeated bodies: {} times)",
                self.duplicates,
                times.join(", ")
            )?;
        }
        if self.helpful_share.iter().any(|&n| n > 0) {
            let tenths: Vec<String> = self.helpful_share.iter().map(ToString::to_string).collect();
            writeln!(
                f,
                "helpful:  shares by tenth (0-10% … 90-100%): {}; {} without votes",
                tenths.join(" "),
                self.unvoted
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_bytes};

    fn load(text: &str) -> Document {
        load_bytes(text.as_bytes().to_vec(), "test", Some(Format::Text))
            .expect("loads")
            .document
    }

    fn all(doc: &Document) -> Vec<usize> {
        (0..doc.reviews.len()).collect()
    }

    /// A page of reviews with these ratings ("-" for none) and days of May 2010.
    fn page(rows: &[(&str, u8, bool)]) -> String {
        let mut page = String::new();
        for &(rating, day, spoiler) in rows {
            if rating != "-" {
                let _ = writeln!(page, "{rating}/10");
            }
            let spoiler = if spoiler { "Warning: Spoilers\n" } else { "" };
            let _ = write!(
                page,
                "Title\nuser{day} May 2010\n{spoiler}Body\n1 out of 1 found this helpful.\nPermalink\n"
            );
        }
        page
    }

    #[test]
    fn sample_figures() {
        let doc = load(crate::read::SAMPLE);
        let stats = Stats::new(&doc, &all(&doc));
        assert_eq!(stats.shown, 25);
        assert_eq!(stats.loaded, 25);
        assert_eq!(stats.claimed, Some(44));
        assert_eq!(stats.histogram, [1, 0, 0, 0, 1, 1, 2, 7, 6, 4, 3]);
        // (3×10 + 4×9 + 6×8 + 7×7 + 2×6 + 5 + 4) / 24 rated reviews
        assert!((stats.mean.expect("rated") - 184.0 / 24.0).abs() < 1e-9);
        assert_eq!(stats.median, Some(8.0));
        assert_eq!(stats.spoilers, 2);
        assert_eq!(
            stats.first_date.map(|d| d.to_string()).as_deref(),
            Some("2004-12-16")
        );
        assert_eq!(
            stats.last_date.map(|d| d.to_string()).as_deref(),
            Some("2024-03-30")
        );
        let text = stats.to_string();
        assert!(
            text.starts_with("reviews:  25 loaded; the page lists 44\n"),
            "{text}"
        );
        assert!(
            text.contains("rating:   mean 7.67, median 8 of 10\n"),
            "{text}"
        );
        assert!(
            text.contains("\n   7/10      7 ########################################\n"),
            "{text}"
        );
        assert!(text.contains("\n   3/10      0 \n"), "{text}");
        assert!(text.contains("\n  unrated    1\n"), "{text}");
        assert!(text.contains("\nspoilers: 2\n"), "{text}");
        assert!(
            text.contains("dates:    2004-12-16 to 2024-03-30\n"),
            "{text}"
        );
        assert!(
            text.contains("\nper year: 2004 1, 2005 5, 2006 3, 2008 1,"),
            "{text}"
        );
        assert_eq!(stats.helpful_share, [1, 0, 2, 1, 1, 1, 3, 6, 3, 6]);
        assert_eq!(stats.unvoted, 1);
        assert_eq!(stats.per_year.first(), Some(&(2004, 1)));
        assert_eq!(
            stats.per_year.iter().find(|(y, _)| *y == 2007),
            Some(&(2007, 0))
        );
        assert_eq!(stats.per_year.last(), Some(&(2024, 1)));
        // The longest body and the surest helpful share: UlrikSander's review, 54 of 62.
        assert_eq!(stats.longest, Some(0));
        assert_eq!(stats.most_helpful, Some(0));
        // A hidden spoiler's body is no candidate for the longest.
        let spoilers: Vec<usize> = all(&doc)
            .into_iter()
            .filter(|&i| doc.reviews[i].spoiler)
            .collect();
        let hidden = Stats::without_bodies(&doc, &spoilers, |i| doc.reviews[i].spoiler);
        assert_eq!(hidden.longest, None);
        let json = stats.to_json(&doc);
        assert_eq!(json["reviews"]["page_lists"], 44);
        assert_eq!(json["rating"]["histogram"]["7"], 7);
        assert_eq!(json["rating"]["unrated"], 1);
        assert_eq!(json["spoilers"]["count"], 2);
        assert_eq!(json["per_year"]["2007"], 0);
        assert_eq!(json["longest"]["author"], "UlrikSander");
        assert_eq!(json["longest"]["rating"], 8);
        assert_eq!(json["most_helpful"]["helpful"], 54);
    }

    #[test]
    fn figures_of_a_filtered_view() {
        let doc = load(&page(&[
            ("2", 3, false),
            ("-", 9, true),
            ("9", 4, false),
            ("4", 20, true),
        ]));
        let stats = Stats::new(&doc, &[0, 2, 3]);
        assert_eq!(stats.shown, 3);
        assert_eq!(stats.loaded, 4);
        assert_eq!(stats.claimed, None);
        assert_eq!(stats.median, Some(4.0));
        assert!((stats.mean.expect("rated") - 5.0).abs() < 1e-9);
        assert_eq!(stats.spoilers, 1);
        assert_eq!(stats.first_date.map(Date::day), Some(3));
        assert_eq!(stats.last_date.map(Date::day), Some(20));
        assert!(stats.to_string().starts_with("reviews:  3 of 4 loaded\n"));
    }

    #[test]
    fn the_median_keeps_half_stars() {
        let stars = |values: &[f64]| {
            let reviews: Vec<Review> = values
                .iter()
                .map(|&v| Review {
                    rating: crate::model::Rating::new(v, 5),
                    ..Review::default()
                })
                .collect();
            Ratings::of_reviews(|| reviews.iter()).median
        };
        assert_eq!(stars(&[3.5, 3.5]), Some(3.5));
        assert_eq!(stars(&[3.5, 4.5]), Some(4.0));
        assert_eq!(stars(&[3.5, 4.5, 5.0]), Some(4.5));
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let doc = load(&page(&[
            ("1", 1, false),
            ("2", 1, false),
            ("9", 1, false),
            ("10", 1, false),
        ]));
        let stats = Stats::new(&doc, &all(&doc));
        assert_eq!(stats.median, Some(5.5));
        assert!(stats.to_string().contains("median 5.5 of 10\n"));
    }

    #[test]
    fn no_rated_reviews_and_an_empty_view() {
        let doc = load(&page(&[("-", 1, false)]));
        let stats = Stats::new(&doc, &all(&doc));
        assert_eq!((stats.mean, stats.median), (None, None));
        assert_eq!(stats.histogram[0], 1);
        assert!(stats.to_string().contains("rating:   no rated reviews\n"));
        let empty = Stats::new(&doc, &[]);
        assert_eq!(empty.shown, 0);
        assert_eq!(empty.first_date, None);
        assert!(empty.to_string().contains("dates:    none\n"));
        assert!(empty.to_string().starts_with("reviews:  0 of 1 loaded\n"));
    }

    #[test]
    fn claimed_count_adds_up_only_when_every_document_gives_one() {
        let with_count = |n: u32| {
            format!(
                "Film ({}) Poster\n{n} Reviews\n{}",
                2000 + n,
                page(&[("5", 1, false)])
            )
        };
        let mut doc = load(&with_count(10));
        doc.append(load(&with_count(32)));
        assert_eq!(Stats::new(&doc, &all(&doc)).claimed, Some(42));
        doc.append(load(&page(&[("5", 1, false)])));
        assert_eq!(Stats::new(&doc, &all(&doc)).claimed, None);
    }
}
