//! Summary figures of a view: counts, mean and median rating, histogram, date range.

use std::fmt::{self, Write as _};

use crate::model::{Date, Document};

/// Figures for the reviews of one view.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Reviews in the view.
    pub shown: usize,
    /// Reviews loaded, before filtering.
    pub loaded: usize,
    /// Sum of the review counts the documents claim, where they all claim one.
    pub claimed: Option<u64>,
    /// Reviews per rating; index 0 counts unrated reviews.
    pub histogram: [usize; 11],
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub spoilers: usize,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
}

impl Stats {
    /// Computes the figures for the reviews at `indices`.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn new(doc: &Document, indices: &[usize]) -> Self {
        let mut histogram = [0; 11];
        let mut spoilers = 0;
        let (mut first_date, mut last_date) = (None::<Date>, None::<Date>);
        for r in indices.iter().filter_map(|&i| doc.reviews.get(i)) {
            histogram[usize::from(r.rating.unwrap_or(0).min(10))] += 1;
            spoilers += usize::from(r.spoiler);
            if let Some(d) = r.date {
                first_date = Some(first_date.map_or(d, |f| f.min(d)));
                last_date = Some(last_date.map_or(d, |l| l.max(d)));
            }
        }
        let rated: usize = histogram[1..].iter().sum();
        let sum: usize = (1..=10).map(|r| r * histogram[r]).sum();
        let mean = (rated > 0).then(|| sum as f64 / rated as f64);
        let nth = |n: usize| -> usize {
            // The rating of the n-th (0-based) rated review in ascending order.
            let mut seen = 0;
            (1..=10)
                .find(|&r| {
                    seen += histogram[r];
                    seen > n
                })
                .unwrap_or(10)
        };
        let median = (rated > 0).then(|| {
            if rated % 2 == 1 {
                nth(rated / 2) as f64
            } else {
                (nth(rated / 2 - 1) + nth(rated / 2)) as f64 / 2.0
            }
        });
        let claimed = doc
            .sources
            .iter()
            .map(|s| s.review_count)
            .sum::<Option<u64>>();
        Self {
            shown: indices.len(),
            loaded: doc.reviews.len(),
            claimed,
            histogram,
            mean,
            median,
            spoilers,
            first_date,
            last_date,
        }
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
        match (self.mean, self.median) {
            (Some(mean), Some(median)) => {
                writeln!(f, "rating:   mean {mean:.2}, median {median}")?;
            }
            _ => writeln!(f, "rating:   no rated reviews")?,
        }
        let widest = self.histogram.iter().copied().max().unwrap_or(0).max(1);
        for rating in (1..=10).rev() {
            let n = self.histogram[rating];
            let bar = "#".repeat((n * 40).div_ceil(widest));
            writeln!(f, "  {rating:>2}/10 {n:>6} {bar}")?;
        }
        writeln!(f, "  unrated {:>5}", self.histogram[0])?;
        writeln!(f, "spoilers: {}", self.spoilers)?;
        match (self.first_date, self.last_date) {
            (Some(a), Some(b)) => writeln!(f, "dates:    {a} to {b}"),
            _ => writeln!(f, "dates:    none"),
        }
    }
}
