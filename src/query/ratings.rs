//! Rating sets: which ratings the rating filter keeps, as typed (`7-10`, `1,2,10`) and shown.

use std::fmt;

/// A set of ratings 1–10 (bit n set for rating n). Empty means "no rating filter".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RatingSet(u16);

impl RatingSet {
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn contains(self, rating: u8) -> bool {
        rating <= 10 && self.0 & (1 << rating) != 0
    }

    /// Adds or removes one rating.
    pub fn toggle(&mut self, rating: u8) {
        if (1..=10).contains(&rating) {
            self.0 ^= 1 << rating;
        }
    }

    /// All ratings from `low` to `high`.
    #[must_use]
    pub fn range(low: u8, high: u8) -> Self {
        let mut set = Self::default();
        for r in low.max(1)..=high.min(10) {
            set.0 |= 1 << r;
        }
        set
    }

    /// The ratings in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1..=10).filter(move |&r| self.contains(r))
    }

    /// Parses `8`, `7-10`, `1,2,10` or a mix (`1-3,9`); a range open at one end runs to the
    /// end of the scale (`8-` is 8 to 10, `-3` is 1 to 3).
    ///
    /// # Errors
    /// A message naming the part that is not a rating or range of ratings from 1 to 10.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut set = Self::default();
        if spec.trim().is_empty() {
            return Err("no rating given (expected `8`, `7-10` or `1,2,10`)".into());
        }
        for part in spec.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!(
                    "`{spec}` has an empty part (expected `8`, `7-10` or `1,2,10`)"
                ));
            }
            let rating = |text: &str| -> Result<u8, String> {
                text.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (1..=10).contains(n))
                    .ok_or_else(|| format!("`{text}` is not a rating from 1 to 10"))
            };
            match part.split_once('-') {
                Some((low, high)) => {
                    let end = |text: &str, open: u8| match text.trim() {
                        "" => Ok(open),
                        text => rating(text),
                    };
                    if low.trim().is_empty() && high.trim().is_empty() {
                        return Err(format!("`{part}` names no rating"));
                    }
                    let (low, high) = (end(low, 1)?, end(high, 10)?);
                    if low > high {
                        return Err(format!("`{part}` is an empty range"));
                    }
                    set.0 |= Self::range(low, high).0;
                }
                None => set.toggle_on(rating(part)?),
            }
        }
        Ok(set)
    }

    fn toggle_on(&mut self, rating: u8) {
        self.0 |= 1 << rating;
    }
}

impl fmt::Display for RatingSet {
    /// Compact form: `7-10`, `1,2,10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ratings: Vec<u8> = self.iter().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < ratings.len() {
            let mut j = i;
            while j + 1 < ratings.len() && ratings[j + 1] == ratings[j] + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => ratings[i].to_string(),
                1 => format!("{},{}", ratings[i], ratings[j]),
                _ => format!("{}-{}", ratings[i], ratings[j]),
            });
            i = j + 1;
        }
        f.write_str(&parts.join(","))
    }
}
