//! Load warnings: what they are, and how many copies of one kind are kept and shown.
//!
//! Three million bad rows make three million warnings of one kind ("rating "abc" is not a
//! rating"), which say nothing more than one of them with a count. [`WarningLog`] keeps at
//! most [`KEPT_PER_KIND`] of each kind while a document loads and counts the rest, so memory
//! stays bounded; [`summarize`] gives each kind seen more than [`REPEATS_SHOWN`] times as one
//! line with its count and its first places. A kind is the message with its quoted values
//! left out, so `rating "abc1"` and `rating "abc2"` are one kind.

use std::collections::HashMap;
use std::fmt;

/// A problem in part of a document that still loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line number, where one applies.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// How many copies of one warning are shown before they are summarized as one.
pub const REPEATS_SHOWN: usize = 3;

/// How many warnings of one kind a load keeps; the rest are only counted.
pub const KEPT_PER_KIND: usize = 100;

/// How many new warnings wait before [`WarningLog::bound`] sorts them by kind.
const BATCH: usize = 1000;

/// The kind of a message, and its place when the message starts with one (`review 7: `, as
/// a JSON document's warnings do, where a line number would be).
fn kind_and_place(w: &Warning) -> (String, Option<usize>, bool) {
    let (message, place, reviews) = match w.message.strip_prefix("review ").and_then(|rest| {
        let (n, message) = rest.split_once(": ")?;
        Some((message, n.parse::<usize>().ok()?))
    }) {
        Some((message, n)) => (message, Some(n), true),
        None => (w.message.as_str(), w.line, false),
    };
    let (message, reviews) = match parse_summary(message) {
        // A summary says in its list whether its places were reviews or lines.
        Some(summary) => (summary.0, reviews || summary.4),
        None => (message, reviews),
    };
    // Quoted values left out: each "…" as Rust's `{:?}` writes it, `\"` and `\\` inside.
    let mut kind = String::with_capacity(message.len());
    let mut quoted = false;
    let mut escaped = false;
    for c in message.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => quoted = false,
            (true, false, _) => {}
            (false, _, '"') => {
                quoted = true;
                kind.push('…');
            }
            // A number is a value too (`date 1561809600.0 is not a date`): a run of digits
            // counts as one, whatever it is.
            (false, _, c) if c.is_ascii_digit() => {
                if !kind.ends_with('#') {
                    kind.push('#');
                }
            }
            (false, _, '.') if kind.ends_with('#') => {}
            (false, _, c) => kind.push(c),
        }
    }
    (kind, place, reviews)
}

/// The message of a warning without the place it may start with.
fn bare_message(w: &Warning) -> &str {
    w.message
        .strip_prefix("review ")
        .and_then(|rest| {
            let (n, message) = rest.split_once(": ")?;
            n.parse::<usize>().ok().map(|_| message)
        })
        .unwrap_or(&w.message)
}

/// Moves a warning about a piece of a document, read on its own, `lines` lines on, to
/// where the piece is in the document: its line, and the lines a summary of its kind lists.
pub fn shift(w: &mut Warning, lines: usize) {
    if lines == 0 {
        return;
    }
    w.line = w.line.map(|l| l + lines);
    let Some((base, count, same, places, false)) = parse_summary(&w.message) else {
        return;
    };
    if places.is_empty() {
        return;
    }
    let list: Vec<String> = places.iter().map(|p| (p + lines).to_string()).collect();
    let times = if same { "times" } else { "like this" };
    w.message = format!("{base} [{count} {times} (lines {}, …)]", list.join(", "));
}

/// A summary line [`summarize`] made, taken apart: the message, how many it stands for,
/// whether they were all the same, the places it lists, and whether those are reviews (not
/// lines). `None` for any other message. Summaries of the pieces of one document are
/// summarized again as one.
fn parse_summary(message: &str) -> Option<(&str, usize, bool, Vec<usize>, bool)> {
    let (base, tail) = message.rsplit_once(" [")?;
    let tail = tail.strip_suffix(']')?;
    let (count, rest) = tail.split_once(' ')?;
    let count = count.parse().ok()?;
    let (same, rest) = if let Some(rest) = rest.strip_prefix("times") {
        (true, rest)
    } else {
        (false, rest.strip_prefix("like this")?)
    };
    let list = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(", …)"))
        .and_then(|r| r.split_once(' '));
    let reviews = list.is_some_and(|(what, _)| what == "reviews");
    let places = list
        .map(|(_, list)| list.split(", ").filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_default();
    Some((base, count, same, places, reviews))
}

/// The warnings with every kind that comes more than [`REPEATS_SHOWN`] times given once, with
/// its count and the first places it came on: ten thousand copies of one warning say nothing
/// more than one.
#[must_use]
pub fn summarize(warnings: Vec<Warning>) -> Vec<Warning> {
    summarize_counted(warnings, &HashMap::new())
}

/// [`summarize`], with more warnings of some kinds that were counted but not kept: how many,
/// and whether each had the same message as the first of its kind.
fn summarize_counted(
    warnings: Vec<Warning>,
    dropped: &HashMap<String, (usize, bool)>,
) -> Vec<Warning> {
    struct Group {
        count: usize,
        places: Vec<usize>,
        /// Whether every copy has the same message (values and all).
        same: bool,
        first: String,
    }
    let mut groups: HashMap<String, Group> = HashMap::new();
    for w in &warnings {
        let (kind, place, _) = kind_and_place(w);
        let message = bare_message(w);
        let (message, count, same, places) = match parse_summary(message) {
            Some((message, count, same, places, _)) => (message, count, same, places),
            None => (message, 1, true, place.into_iter().collect()),
        };
        let group = groups.entry(kind).or_insert_with(|| Group {
            count: 0,
            places: Vec::new(),
            same: true,
            first: message.to_string(),
        });
        group.count += count;
        group.same &= same && group.first == message;
        for place in places {
            if group.places.len() < REPEATS_SHOWN {
                group.places.push(place);
            }
        }
    }
    for (kind, (n, same)) in dropped {
        if let Some(group) = groups.get_mut(kind) {
            group.count += n;
            group.same &= same;
        }
    }
    if groups.values().all(|g| g.count <= REPEATS_SHOWN) && dropped.is_empty() {
        return warnings;
    }
    let mut out = Vec::new();
    for w in warnings {
        let (kind, _, reviews) = kind_and_place(&w);
        let Some(group) = groups.get(&kind) else {
            // Summarized already.
            continue;
        };
        if group.count <= REPEATS_SHOWN {
            out.push(w);
            continue;
        }
        let at = if group.places.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = group.places.iter().map(ToString::to_string).collect();
            let what = if reviews { "reviews" } else { "lines" };
            format!(" ({what} {}, …)", list.join(", "))
        };
        let times = if group.same { "times" } else { "like this" };
        out.push(Warning {
            line: if reviews {
                None
            } else {
                group.places.first().copied()
            },
            message: format!("{} [{} {times}{at}]", group.first, group.count),
        });
        groups.remove(&kind);
    }
    out
}

/// Warnings as a loader gathers them, with memory bounded: past [`KEPT_PER_KIND`] copies of
/// one kind, the rest are counted and dropped.
#[derive(Debug, Default)]
pub struct WarningLog {
    /// Warnings before this index are sorted into `kept`/`dropped` already.
    checked: usize,
    /// Per kind: how many are kept, and the first one's message.
    kept: HashMap<String, (usize, String)>,
    /// Per kind: how many were dropped, and whether all had the first one's message.
    dropped: HashMap<String, (usize, bool)>,
}

impl WarningLog {
    /// Sorts the warnings added since the last call by kind, dropping those of a kind kept
    /// often enough already. Cheap until a batch has gathered. The loader calls it where no
    /// index into `warnings` is held (between records).
    pub fn bound(&mut self, warnings: &mut Vec<Warning>) {
        if warnings.len() < self.checked + BATCH {
            return;
        }
        self.sort_in(warnings);
    }

    fn sort_in(&mut self, warnings: &mut Vec<Warning>) {
        let new: Vec<Warning> = warnings.drain(self.checked.min(warnings.len())..).collect();
        for w in new {
            let (kind, _, _) = kind_and_place(&w);
            let (kept, first) = self
                .kept
                .entry(kind.clone())
                .or_insert_with(|| (0, bare_message(&w).to_string()));
            if *kept < KEPT_PER_KIND {
                *kept += 1;
                warnings.push(w);
            } else {
                let same = *first == bare_message(&w);
                let dropped = self.dropped.entry(kind).or_insert((0, true));
                dropped.0 += 1;
                dropped.1 &= same;
            }
        }
        self.checked = warnings.len();
    }

    /// The warnings, each kind that lost copies summarized with its whole count.
    #[must_use]
    pub fn finish(mut self, mut warnings: Vec<Warning>) -> Vec<Warning> {
        self.sort_in(&mut warnings);
        if self.dropped.is_empty() {
            return warnings;
        }
        summarize_counted(warnings, &self.dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, message: &str) -> Warning {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }

    #[test]
    fn numbers_are_values_too() {
        // A Steam dump's 5,000 float times each gave a line of their own.
        let warnings: Vec<Warning> = (0..10)
            .map(|i| {
                at(
                    i + 1,
                    &format!("date {}.0 is not a date; left empty", 1_561_809_600 + i),
                )
            })
            .collect();
        let summary = summarize(warnings);
        assert_eq!(summary.len(), 1, "{summary:?}");
        assert!(summary[0].message.contains("[10 like this"), "{summary:?}");
    }

    #[test]
    fn one_kind_with_different_values_is_one_line() {
        let warnings: Vec<Warning> = (0..10)
            .map(|i| {
                at(
                    i + 2,
                    &format!("rating \"abc{i}\" is not a rating; left empty"),
                )
            })
            .chain([at(50, "something else")])
            .collect();
        let shown = summarize(warnings);
        assert_eq!(
            shown,
            [
                at(
                    2,
                    "rating \"abc0\" is not a rating; left empty [10 like this (lines 2, 3, 4, …)]"
                ),
                at(50, "something else")
            ]
        );
        let same: Vec<Warning> = (0..5).map(|i| at(i + 1, "x \"v\" y")).collect();
        assert_eq!(
            summarize(same),
            [at(1, "x \"v\" y [5 times (lines 1, 2, 3, …)]")]
        );
    }

    #[test]
    fn quotes_inside_a_value_do_not_make_a_new_kind() {
        // Values are quoted as Rust's `{:?}` does: a quote inside is `\"`.
        let warnings: Vec<Warning> = (0..10)
            .map(|i| {
                at(
                    i + 1,
                    &format!("rating {:?} is not a rating", format!("a\"{i}\\")),
                )
            })
            .collect();
        assert_eq!(summarize(warnings).len(), 1);
    }

    #[test]
    fn a_summary_of_reviews_stays_one_of_reviews() {
        let mut log = WarningLog::default();
        let mut warnings: Vec<Warning> = (1..=150)
            .map(|i| Warning {
                line: None,
                message: format!("review {i}: rating \"x\" is not a rating"),
            })
            .collect();
        log.bound(&mut warnings);
        let once = log.finish(warnings);
        let twice = summarize(once.clone());
        assert_eq!(once, twice);
        assert_eq!(twice[0].line, None);
        assert!(
            twice[0]
                .message
                .ends_with("[150 times (reviews 1, 2, 3, …)]"),
            "{twice:?}"
        );
    }

    #[test]
    fn summaries_of_pieces_add_up() {
        let piece = |from: usize| -> Vec<Warning> {
            (from..from + 150).map(|i| at(i, "x \"v\" y")).collect()
        };
        let mut first = WarningLog::default();
        let mut a = piece(1);
        first.bound(&mut a);
        let second = WarningLog::default();
        let b = piece(1000);
        let mut all = first.finish(a);
        all.extend(second.finish(b));
        assert_eq!(
            summarize(all),
            [at(1, "x \"v\" y [300 times (lines 1, 2, 3, …)]")]
        );
        let whole: Vec<Warning> = piece(1).into_iter().chain(piece(1000)).collect();
        assert_eq!(
            summarize(whole),
            [at(1, "x \"v\" y [300 times (lines 1, 2, 3, …)]")]
        );
    }

    #[test]
    fn a_log_keeps_a_bounded_number_and_counts_the_rest() {
        let mut log = WarningLog::default();
        let mut warnings = Vec::new();
        for i in 0..100_000 {
            warnings.push(at(i + 1, &format!("rating \"{i}\" is not a rating")));
            log.bound(&mut warnings);
            assert!(warnings.len() <= KEPT_PER_KIND + BATCH);
        }
        warnings.push(at(200_000, "the end"));
        let shown = log.finish(warnings);
        assert_eq!(
            shown,
            [
                at(
                    1,
                    "rating \"0\" is not a rating [100000 like this (lines 1, 2, 3, …)]"
                ),
                at(200_000, "the end")
            ]
        );
    }
}
