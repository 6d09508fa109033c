//! The sort orders: a key per review mapped to an integer, sorted on every core, with
//! reviews that lack the value last in both directions; and the Wilson score that ranks
//! helpfulness by confidence.

use crate::model::{Document, Rating};

/// The orders a list can be sorted in. Each has a natural direction (best or newest first);
/// `reverse` flips it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortKey {
    /// Document order, as the page lists them.
    #[default]
    Featured,
    /// Most reliably helpful first: lower bound of the 95% Wilson score interval.
    Helpful,
    /// Most votes first.
    Votes,
    /// Newest first.
    Date,
    /// Highest rating first.
    Rating,
    /// Longest body first.
    Length,
}

impl SortKey {
    /// Every order, in the order the `s` key cycles through them.
    pub const ALL: [Self; 6] = [
        Self::Featured,
        Self::Helpful,
        Self::Votes,
        Self::Date,
        Self::Rating,
        Self::Length,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::Helpful => "helpful",
            Self::Votes => "votes",
            Self::Date => "date",
            Self::Rating => "rating",
            Self::Length => "length",
        }
    }

    /// The order after this one.
    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&k| k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// Sorts review indices (given in document order) by `key`.
///
/// Reviews without the sorted value (no rating, no date) go after all others in both
/// directions, and ties keep document order in both directions, so `reverse` is not a plain
/// reversal of the list.
pub fn sort(doc: &Document, indices: &mut Vec<usize>, key: SortKey, reverse: bool) {
    let reviews = &doc.reviews;
    // Every value is mapped to a u64 whose ascending order is the wanted order, so the sort
    // compares plain integers: a million reviews sort in a fraction of the time an
    // enum-comparing sort takes.
    let value = |i: usize| -> Option<u64> {
        let r = reviews.get(i)?;
        match key {
            SortKey::Featured => Some(i as u64),
            // Non-negative floats order like their bit patterns.
            // Where only up-votes are counted, the bound of that many votes all up: it grows
            // with the count, so such reviews order by how many found them helpful.
            SortKey::Helpful => Some(
                match r.not_helpful() {
                    Some(_) => wilson_lower_bound(r.helpful, r.total_votes()),
                    None => wilson_lower_bound(r.helpful, r.helpful),
                }
                .to_bits(),
            ),
            SortKey::Votes => Some(r.total_votes()),
            SortKey::Date => r.date.map(|d| {
                u64::from(d.year()) << 16 | u64::from(d.month()) << 8 | u64::from(d.day())
            }),
            // Ratings on different scales compare by the share of their scale.
            SortKey::Rating => r.rating.map(Rating::share_key),
            SortKey::Length => Some(doc.body_chars(i)),
        }
    };
    // Featured is ascending by nature (document order); every other order is "most first".
    let descending = (key != SortKey::Featured) != reverse;
    // Each core keys and sorts its share of the reviews (computing the keys, counting
    // characters or Wilson bounds, is a large part of the work at ten million), and the
    // sorted shares are merged: no list of keys is made and then copied, which at ten
    // million was a third of a second of the kernel handing out fresh memory.
    let part = indices.len().div_ceil(crate::tuning::threads()).max(50_000);
    let shares: Vec<(Keyed, Vec<usize>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = indices
            .chunks(part)
            .map(|slice| {
                scope.spawn(move || {
                    let mut keyed = Vec::with_capacity(slice.len());
                    let mut missing = Vec::new();
                    for &i in slice {
                        match value(i) {
                            Some(v) => keyed.push((if descending { !v } else { v }, i)),
                            None => missing.push(i),
                        }
                    }
                    // Ties fall back on the index, which keeps document order in both
                    // directions; with that, an unstable sort gives the same result as a
                    // stable one. An order already sorted (the page's own) is left as it is.
                    if !keyed.is_sorted() {
                        keyed.sort_unstable();
                    }
                    (keyed, missing)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let (keyed, missing): (Vec<_>, Vec<_>) = shares.into_iter().unzip();
    indices.clear();
    merge_sorted(&keyed, indices);
    let mut missing = missing.concat();
    missing.sort_unstable();
    indices.extend(missing);
}

/// Reviews' indices with their sort keys.
type Keyed = Vec<(u64, usize)>;

/// Puts the indices of the sorted `shares`, merged into one order, into `out`.
fn merge_sorted(shares: &[Keyed], out: &mut Vec<usize>) {
    out.reserve(shares.iter().map(Vec::len).sum());
    match shares {
        [] => {}
        [one] => out.extend(one.iter().map(|&(_, i)| i)),
        [left, right] => {
            let (mut a, mut b) = (left.iter().peekable(), right.iter().peekable());
            loop {
                let next = match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) if x <= y => a.next(),
                    (Some(_) | None, Some(_)) => b.next(),
                    (Some(_), None) => a.next(),
                    (None, None) => break,
                };
                if let Some(&(_, i)) = next {
                    out.push(i);
                }
            }
        }
        _ => {
            // More cores than two: the smallest of the shares' heads each time (a handful).
            let mut at = vec![0; shares.len()];
            while let Some(k) = (0..shares.len())
                .filter(|&k| at[k] < shares[k].len())
                .min_by_key(|&k| shares[k][at[k]])
            {
                out.push(shares[k][at[k]].1);
                at[k] += 1;
            }
        }
    }
}

/// Lower bound of the 95% Wilson score interval for `helpful` successes out of `total`:
/// how helpful a review is, discounted for how few people voted. 54 of 62 ranks above 2 of 2.
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn wilson_lower_bound(helpful: u64, total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let z = 1.959_963_984_540_054_f64;
    let n = total as f64;
    let p = (helpful.min(total) as f64) / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sorted_apart_and_merged_give_one_sort() {
        let mut next = crate::load::xorshift(7);
        // Few distinct keys, so that ties (ordered by index) are many.
        let keyed: Vec<(u64, usize)> = (0..250_000).map(|i| (next() % 1000, i)).collect();
        let mut want = keyed.clone();
        want.sort_unstable();
        let want: Vec<usize> = want.into_iter().map(|(_, i)| i).collect();
        for shares in [1, 2, 3, 8] {
            let sorted: Vec<Vec<(u64, usize)>> = keyed
                .chunks(keyed.len().div_ceil(shares))
                .map(|share| {
                    let mut share = share.to_vec();
                    share.sort_unstable();
                    share
                })
                .collect();
            let mut got = Vec::new();
            merge_sorted(&sorted, &mut got);
            assert_eq!(got, want, "{shares} shares");
        }
    }
}
