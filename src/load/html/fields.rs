//! Reading the fields of one review element and the page's own facts (film title, year,
//! review count) from a saved IMDb page, in either layout.

use scraper::{ElementRef, Html};

use super::{Flow, HOOKS, Layout, SITE, collapse_spaces, first, text_of};
use crate::load::{Warning, parse_count};
use crate::model::{Date, Source};
use crate::sanitize::sanitize;

/// The reviewer's rating. No rating element is normal (an unrated review); one that holds
/// no rating from 1 to 10 is a problem.
pub(super) fn read_rating(
    item: ElementRef<'_>,
    layout: Layout,
    problems: &mut Vec<String>,
) -> Option<u8> {
    let hooks = &*HOOKS;
    let value = match layout {
        Layout::Current => {
            let star = first(item, &hooks.current_rating)?;
            first(star, &hooks.current_rating_value).unwrap_or(star)
        }
        // The first span is the number, the second (`.point-scale`) the `/10`.
        Layout::Legacy => {
            let bar = first(item, &hooks.legacy_rating)?;
            bar.child_elements()
                .find(|el| el.value().name() == "span")
                .unwrap_or(bar)
        }
    };
    let text = text_of(value, Flow::Line);
    let rating = text
        .strip_suffix("/10")
        .unwrap_or(&text)
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|r| (1..=10).contains(r));
    if rating.is_none() {
        problems.push(format!("rating {text:?} is not from 1 to 10"));
    }
    rating
}

/// Votes of the current layout: two counts, helpful and not helpful. The voting widget
/// without a count means nobody voted that way.
pub(super) fn read_current_votes(
    item: ElementRef<'_>,
    problems: &mut Vec<String>,
) -> Option<(u64, u64)> {
    let hooks = &*HOOKS;
    let up = first(item, &hooks.votes_up);
    let down = first(item, &hooks.votes_down);
    if up.is_none() && down.is_none() && first(item, &hooks.voting).is_none() {
        return None;
    }
    let mut count = |element: Option<ElementRef<'_>>, name: &str| {
        let Some(element) = element else { return 0 };
        let text = text_of(element, Flow::Line);
        if text.is_empty() {
            return 0;
        }
        parse_abbreviated_count(&text).unwrap_or_else(|| {
            problems.push(format!("{name} count {text:?} is not a number"));
            0
        })
    };
    Some((count(up, "helpful"), count(down, "not helpful")))
}

/// Votes of the legacy layout: `X out of Y found this helpful.` at the start of the actions
/// bar. A bar without that sentence means nobody voted.
pub(super) fn read_legacy_votes(
    item: ElementRef<'_>,
    problems: &mut Vec<String>,
) -> Option<(u64, u64)> {
    let actions = first(item, &HOOKS.legacy_votes)?;
    let text = text_of(actions, Flow::Line);
    let Some((helpful, rest)) = text.split_once(" out of ") else {
        return Some((0, 0));
    };
    let total = rest.split_whitespace().next().unwrap_or_default();
    let helpful = helpful.split_whitespace().last().unwrap_or_default();
    match (
        parse_abbreviated_count(helpful),
        parse_abbreviated_count(total),
    ) {
        (Some(helpful), Some(total)) if helpful <= total => Some((helpful, total - helpful)),
        _ => {
            problems.push(format!("votes {helpful:?} out of {total:?} not understood"));
            Some((0, 0))
        }
    }
}

/// The review's permalink, made absolute and stripped of its `?ref_=` tracking query.
pub(super) fn read_permalink(item: ElementRef<'_>, layout: Layout) -> Option<String> {
    let hooks = &*HOOKS;
    let link = match layout {
        Layout::Current => first(item, &hooks.review_link),
        Layout::Legacy => first(item, &hooks.legacy_title)
            .filter(|a| a.attr("href").is_some_and(|h| h.contains("/review/rw")))
            .or_else(|| first(item, &hooks.review_link)),
    };
    if let Some(id) = link.and_then(|a| a.attr("href")).and_then(review_id) {
        return Some(format!("{SITE}/review/{id}/"));
    }
    // Legacy pages carry the id on the list item around the review.
    let holder = std::iter::once(*item)
        .chain(item.ancestors().take(3))
        .filter_map(ElementRef::wrap)
        .find_map(|el| el.attr("data-review-id"))?;
    let holder = format!("/review/{}", holder.trim());
    let id = review_id(&holder)?;
    Some(format!("{SITE}/review/{id}/"))
}

/// `rw1234567` from a link such as `/review/rw1234567/?ref_=tt_urv`.
pub(super) fn review_id(href: &str) -> Option<&str> {
    let at = href.find("/review/rw")? + "/review/".len();
    let rest = &href[at..];
    let digits = rest[2..].bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then(|| &rest[..2 + digits])
}

/// What the page says about its film: title and year (from `og:title`, `<title>` or the
/// page header) and the site's review count. The label is the film title where found.
pub(super) fn read_source(page: &Html, label: &str, warnings: &mut Vec<Warning>) -> Source {
    let hooks = &*HOOKS;
    let root = page.root_element();
    let mut source = Source {
        label: label.to_string(),
        ..Source::default()
    };

    let mut candidates: Vec<String> = Vec::new();
    if let Some(content) = first(root, &hooks.og_title).and_then(|m| m.attr("content")) {
        candidates.push(collapse_spaces(&sanitize(content)).trim().to_string());
    }
    if let Some(title) = first(root, &hooks.head_title) {
        candidates.push(text_of(title, Flow::Line));
    }
    if let Some(block) = first(root, &hooks.legacy_heading) {
        let name = first(block, &hooks.item_name).map(|el| text_of(el, Flow::Line));
        let year = first(block, &hooks.nobr).map(|el| text_of(el, Flow::Line));
        if let Some(name) = name {
            candidates.push(format!("{name} {}", year.unwrap_or_default()));
        }
    }
    if let Some(subtitle) = first(root, &hooks.subtitle) {
        candidates.push(text_of(subtitle, Flow::Line));
    }
    for candidate in &candidates {
        let Some((title, year)) = parse_film_title(candidate) else {
            continue;
        };
        if source.title.is_none() {
            source.title = Some(title.to_string());
        }
        source.year = source.year.or(year);
        if source.year.is_some() {
            break;
        }
    }
    if let Some(title) = &source.title {
        source.label.clone_from(title);
    }

    let count_text = first(root, &hooks.total_reviews)
        .map(|el| text_of(el, Flow::Line))
        .or_else(|| {
            let header = first(root, &hooks.legacy_header)?;
            header
                .select(&hooks.span)
                .map(|el| text_of(el, Flow::Line))
                .find(|t| t.to_ascii_lowercase().ends_with("reviews"))
        });
    if let Some(text) = count_text {
        let number = text.split_whitespace().next().unwrap_or_default();
        source.review_count = parse_abbreviated_count(number);
        if source.review_count.is_none() {
            warnings.push(Warning {
                line: None,
                message: format!("review count {text:?} not understood"),
            });
        }
    }
    source
}

/// The film title and year in `The World's End (2013) - User reviews - IMDb`, an
/// `og:title` such as `The World's End (2013) ⭐ 7.0 | Comedy`, or a bare title. `None` for
/// text that names no film (`IMDb`, `User reviews`).
pub(super) fn parse_film_title(text: &str) -> Option<(&str, Option<u16>)> {
    let text = ["User reviews:", "Reviews:"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    let text = [" - ", " | ", " ⭐"]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .map_or(text, |end| &text[..end])
        .trim();
    let (title, year) = match text.rfind('(') {
        Some(open) => {
            let inner = text[open + 1..].trim_end_matches(')');
            let year = inner
                .split(|c: char| !c.is_ascii_digit())
                .find(|run| run.len() == 4)
                .and_then(|run| run.parse().ok());
            match year {
                Some(year) => (text[..open].trim(), Some(year)),
                None => (text, None),
            }
        }
        None => (text, None),
    };
    let generic = ["", "imdb", "user reviews", "reviews"];
    (!generic.contains(&title.to_lowercase().as_str())).then_some((title, year))
}

/// A count as the pages write them: `41`, `2,647`, `1.2K`, `3M`. `None` when it is not one
/// or does not fit.
pub(super) fn parse_abbreviated_count(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, scale) = match text.as_bytes().last()? {
        b'K' | b'k' => (&text[..text.len() - 1], 1_000),
        b'M' | b'm' => (&text[..text.len() - 1], 1_000_000),
        b'B' | b'b' => (&text[..text.len() - 1], 1_000_000_000),
        _ => (text, 1),
    };
    let (whole, fraction) = number.trim_end().split_once('.').unwrap_or((number, ""));
    let (whole, false) = parse_count(whole)? else {
        return None;
    };
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let fraction_scale = 10_u64.pow(u32::try_from(fraction.len()).ok()?);
    if fraction_scale > scale {
        // `2.5` on its own, or more decimals than the scale has: not a count.
        return None;
    }
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    whole
        .checked_mul(scale)?
        .checked_add(fraction * (scale / fraction_scale))
}

/// Month number (1–12) of an English month name or its abbreviation (`Aug`, `Sept`), any
/// case.
pub(super) fn parse_month(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let position = crate::model::MONTHS.iter().position(|m| {
        let m = m.to_ascii_lowercase();
        m == word || (word.len() <= 4 && m.starts_with(&word))
    })?;
    u8::try_from(position + 1).ok()
}

/// A date as either layout writes it: `Aug 24, 2013` (current) or `31 August 2018`
/// (legacy).
pub(super) fn parse_page_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, year] = words.as_slice() else {
        return None;
    };
    let (month, day) = match parse_month(a) {
        Some(month) => (month, b),
        None => (parse_month(b)?, a),
    };
    if day.is_empty() || day.len() > 2 || year.len() != 4 {
        return None;
    }
    Date::new(year.parse().ok()?, month, day.parse().ok()?)
}
