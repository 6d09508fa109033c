//! IMDb's votes lines: `X out of Y found this helpful.` as a copied page has it (with the
//! `Was this review helpful? Sign in to vote.` prompt after it, on its line or the next),
//! and the counts' checks that the pre-2017 saved page shares.

use super::parse_count;

/// The votes line: `X out of Y found this helpful. Was this review helpful? Sign in to vote.`
///
/// `None` when the line is not a votes line; `Some(Err)` when it is one with impossible
/// numbers (the review keeps its other fields).
pub(super) fn parse_votes(line: &str) -> Option<Result<(u64, u64), String>> {
    votes_and_rest(line).map(|(votes, _)| votes)
}

/// IMDb's prompt under the votes, on a line of its own.
pub(super) fn is_vote_prompt(line: &str) -> bool {
    line.trim().starts_with("Was this review helpful?")
}

/// Helpful and not-helpful votes, or why the line's numbers cannot be votes.
type Votes = Result<(u64, u64), String>;

/// The votes of a votes line and the text after "found this helpful". Read by hand rather
/// than with substring searches: it runs once per review, and setting up a searcher for
/// each call cost more than the rest of the line's parsing.
fn votes_and_rest(line: &str) -> Option<(Votes, &str)> {
    let count_len = |s: &str| {
        s.bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b',')
            .count()
    };
    let rest = line.trim_start();
    let n = count_len(rest);
    let (helpful, rest) = rest.split_at(n);
    let strict = rest.strip_prefix(" out of ").and_then(|rest| {
        let n = count_len(rest);
        let (total, rest) = rest.split_at(n);
        let rest = rest.strip_prefix(" found this helpful")?;
        Some((votes_from_counts(helpful, total)?, rest))
    });
    strict.or_else(|| broken_votes(line))
}

/// A votes line whose counts cannot be read (`fifteen out of 19 found this helpful.`): still
/// the votes line that closes its review, not a line of the body, with an error that says
/// what it holds.
#[cold]
fn broken_votes(line: &str) -> Option<(Votes, &str)> {
    const SHOWN: usize = 80;
    let line = line.trim();
    // Every line of a body comes here: IMDb's line ends in one of two ways, checked first,
    // so that a body line costs a comparison of its end, not a search through it.
    if !(line.ends_with("found this helpful.")
        || line.ends_with("found this helpful")
        || line.ends_with("Sign in to vote."))
    {
        return None;
    }
    let at = line.find(" found this helpful")?;
    let counts = &line[..at];
    let rest = &line[at + " found this helpful".len()..];
    // IMDb's line ends there, or goes on with its prompt; a body's sentence goes on.
    let rest_is_imdb = rest
        .trim_start_matches('.')
        .trim()
        .strip_prefix("Was this review helpful?")
        .map_or(rest.trim_start_matches('.').trim().is_empty(), |_| true);
    if !counts.contains(" out of ") || counts.chars().count() > 200 || !rest_is_imdb {
        return None;
    }
    let cut = counts
        .char_indices()
        .nth(SHOWN)
        .map_or(counts.len(), |(i, _)| i);
    let more = if cut < counts.len() { "…" } else { "" };
    let shown = crate::sanitize::sanitize(&counts[..cut]);
    let message = format!(
        "votes {:?} are not counts; votes ignored",
        format!("{shown}{more}")
    );
    Some((Err(message), rest))
}

/// Helpful and not-helpful votes from the two counts of "X out of Y".
pub(super) fn votes_from_counts(helpful: &str, total: &str) -> Option<Result<(u64, u64), String>> {
    let (helpful, o1) = parse_count(helpful)?;
    let (total, o2) = parse_count(total)?;
    if o1 || o2 {
        return Some(Err("vote count too large; votes ignored".into()));
    }
    if helpful > total {
        return Some(Err(format!(
            "{helpful} out of {total} found this helpful: more helpful votes than votes; votes ignored"
        )));
    }
    Some(Ok((helpful, total - helpful)))
}

/// The full votes line, as IMDb prints it, used to split blocks that lost their `Permalink`.
pub(super) fn is_full_votes_line(line: &str) -> bool {
    line.trim_start().starts_with(|c: char| c.is_ascii_digit())
        && votes_and_rest(line).is_some_and(|(_, rest)| {
            rest.trim_start_matches('.')
                .trim_start()
                .starts_with("Was this review helpful?")
        })
}
