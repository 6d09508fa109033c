//! Command-line arguments (clap) and the view options they turn into.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Parser, ValueEnum};

use crate::export::OutputFormat;
use crate::load::{Format, MapSpec, Options};
use crate::query::{Query, RatingSet, Search, SortKey, VerdictFilter};

// The command line's names and help for the model's choices. The model's enums stay free of
// clap; these impls are the only place their values are spelled for the user.

impl ValueEnum for SortKey {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Self::Featured => "Document order, as the page lists them",
            Self::Helpful => {
                "Most reliably helpful first: lower bound of the 95% Wilson score interval"
            }
            Self::Votes => "Most votes first",
            Self::Date => "Newest first",
            Self::Rating => "Highest rating first",
            Self::Length => "Longest body first",
        };
        Some(PossibleValue::new(self.name()).help(help))
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Text, Self::Json, Self::Jsonl, Self::Html, Self::Csv]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Self::Text => ("text", "An IMDb user-reviews page copied as text"),
            Self::Json => (
                "json",
                "revue's JSON document, or any JSON holding review records",
            ),
            Self::Jsonl => (
                "jsonl",
                "revue's JSON Lines, or any JSON Lines of review records",
            ),
            Self::Html => (
                "html",
                "An IMDb user-reviews page saved as HTML (either layout), or a fragment of one",
            ),
            Self::Csv => (
                "csv",
                "A header row naming the fields (revue's, or any a review file uses), then one row per review",
            ),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

impl ValueEnum for VerdictFilter {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Positive, Self::Negative, Self::Unset]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Self::Positive => ("positive", "A thumbs up, a positive label"),
            Self::Negative => ("negative", "A thumbs down, a negative label"),
            Self::Unset => ("none", "No verdict"),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Json, Self::Jsonl, Self::Csv, Self::Markdown]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Self::Json => (
                "json",
                "revue's JSON document (one object with the film and its reviews), readable by revue",
            ),
            Self::Jsonl => ("jsonl", "One review object per line, readable by revue"),
            Self::Csv => ("csv", "A header row and one row per review (RFC 4180)"),
            Self::Markdown => (
                "markdown",
                "A readable page: a heading per review, then its paragraphs",
            ),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

/// revue: browse, sort and filter user reviews in the terminal.
///
/// Opens IMDb user-review pages (copied as text or saved as HTML), revue's own JSON, JSON
/// Lines and CSV, and review data from elsewhere (Amazon, Yelp, Steam, Google Play and App
/// Store scrapes, Letterboxd exports, Kaggle's IMDb datasets, or any CSV or JSON with a
/// review-text column; see --explain and --map), telling them apart by their content; several FILEs open as one list, each
/// review labelled with its film. With no FILE it reads standard input when that is a pipe,
/// and otherwise opens the built-in sample page. With --format or --stats it prints the view
/// and exits instead of starting the app.
#[derive(Debug, Parser)]
#[allow(clippy::struct_excessive_bools, reason = "each is a command-line flag")]
#[command(name = "revue", version, about, long_about)]
#[command(group(clap::ArgGroup::new("printing").args(["format", "stats", "keywords"]).multiple(true)))]
pub struct Args {
    /// Review documents to open; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Print the reviews in this format and exit.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Print a summary of the reviews (counts, ratings, verdicts, spoilers, helpful shares,
    /// reviews per year, dates, the longest and the most helpful review) and exit; as JSON
    /// with --format json.
    #[arg(long)]
    pub stats: bool,

    /// Order of the reviews [default: featured, or the configuration's].
    #[arg(long, short = 's', value_enum, value_name = "ORDER")]
    pub sort: Option<SortKey>,

    /// Reverse the order (reviews without a rating or date stay last).
    #[arg(long, short = 'r')]
    pub reverse: bool,

    /// Keep only these ratings: `8`, `7-10`, `1,2,10`.
    #[arg(long, value_parser = RatingSet::parse, value_name = "RATINGS")]
    pub rating: Option<RatingSet>,

    /// Leave out reviews marked as spoilers.
    #[arg(long)]
    pub hide_spoilers: bool,

    /// Keep reviews whose title, author or body holds every word of TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Keep reviews of the films whose name (or file name) contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub film: Option<String>,

    /// Read the input as this format instead of detecting it from the content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// Write what --format or --stats prints to FILE instead: a whole new file or none,
    /// never one cut short; a terminal, a device or a FIFO is written in place, and `-` is
    /// standard output. Never overwrites an input document, nor a read-only file without
    /// --force.
    #[arg(long, short = 'o', value_name = "FILE", requires = "printing")]
    pub output: Option<PathBuf>,

    /// Fill review fields from the data's own fields, overriding or completing what revue
    /// recognises: `body=comment_text,rating=stars,film=hotel`. FIELD is a review field
    /// (rating, title, author, date, spoiler, helpful, not_helpful, body, permalink, film,
    /// film_year, verdict, rating_scale) or `reply`.
    #[arg(long, value_name = "FIELD=SOURCE,...", value_parser = MapSpec::parse)]
    pub map: Vec<MapSpec>,

    /// The top of the rating scale (5 for five stars, 10, 100) where the data cannot tell.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=100))]
    pub rating_scale: Option<u8>,

    /// The encoding of a document that is not UTF-8 (`windows-1252`, `latin1`, `shift_jis`,
    /// `utf-16le`...), instead of the one revue detects.
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// Keep only reviews with this verdict (a thumbs up or down, a sentiment label):
    /// `positive`, `negative`, or `none` for reviews without one.
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub verdict: Option<VerdictFilter>,

    /// Keep only the reviews marked in the app (`m`), or marked in a revue export read back.
    #[arg(long)]
    pub marked: bool,

    /// Keep only the reviews with this label (set in the app with `L`, or in a revue
    /// export read back).
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,

    /// Keep marks and labels in FILE instead of $XDG_DATA_HOME/revue/labels/ (a journal of
    /// JSON lines, one per change).
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Print the words and two-word phrases that most set the view's high reviews apart
    /// from its low ones (the top and bottom thirds of the rating scale, or positive and
    /// negative verdicts), with z-scores and counts, and exit; `rest`: the view against
    /// every other review (`--keywords=rest`). As JSON or CSV with --format.
    #[arg(
        long,
        value_enum,
        value_name = "AGAINST",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "low"
    )]
    pub keywords: Option<KeywordsAgainst>,

    /// Keep only the first of each set of reviews whose bodies are the same once case,
    /// white space and punctuation are folded away.
    #[arg(long)]
    pub dedupe: bool,

    /// Say how each FILE was read (its format or source, which of its fields fill which
    /// review field, the fields left unused, the rating scale, the counts of reviews and
    /// warnings), then exit.
    #[arg(long, conflicts_with = "printing")]
    pub explain: bool,

    /// Let --output replace a read-only file.
    #[arg(long, requires = "output")]
    pub force: bool,

    /// Colour in the app: `auto` follows NO_COLOR, `always` and `never` decide [default:
    /// auto, or the configuration's].
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Read the configuration from PATH instead of $XDG_CONFIG_HOME/revue/config.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print the default configuration, every setting commented, and exit.
    #[arg(long, exclusive = true)]
    pub print_config: bool,

    /// Print a completion script for SHELL and exit: `revue --completions bash >
    /// ~/.local/share/bash-completion/completions/revue`.
    #[arg(long, value_name = "SHELL", exclusive = true)]
    pub completions: Option<clap_complete::Shell>,

    /// Print the manual page (roff) and exit: `revue --man | man -l -`.
    #[arg(long, exclusive = true)]
    pub man: bool,

    /// Refuse a document larger than SIZE (`500M`, `8G`, `1.5T`). Without it, text left in
    /// its file (or a spill file) has no limit, and a document held in memory stops at 8G.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,

    /// Follow the files as they grow (JSON Lines, CSV or copied page text being written by
    /// a scraper): new reviews appear as they are written, and a file truncated or replaced is
    /// read again. `F` turns it on and off in the app.
    #[arg(long)]
    pub follow: bool,
}

/// An encoding by any of its WHATWG labels (`latin1`, `cp1252`, `windows-1252`, `sjis`).
fn parse_encoding(name: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(name.trim().as_bytes()).ok_or_else(|| {
        format!(
            "`{name}` is not an encoding revue knows (for example windows-1252, latin1, \
             iso-8859-15, shift_jis, gbk, utf-16le)"
        )
    })
}

/// When the app uses colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour unless `NO_COLOR` is set.
    Auto,
    /// Colour, whatever `NO_COLOR` says.
    Always,
    /// No colour: reverse video, bold and underline carry what colour would.
    Never,
}

impl ColorChoice {
    /// Colour or not, where this choice decides (`None`: the environment does).
    #[must_use]
    pub fn decided(self) -> Option<bool> {
        match self {
            Self::Auto => None,
            Self::Always => Some(true),
            Self::Never => Some(false),
        }
    }
}

impl Args {
    /// How field-shaped data is read: `--map` and `--rating-scale`.
    #[must_use]
    pub fn load_options(&self) -> Options {
        let mut map = MapSpec::default();
        for spec in &self.map {
            map.extend(spec.clone());
        }
        Options {
            map,
            rating_scale: self.rating_scale,
            encoding: self.encoding,
            keep: crate::load::Keep {
                spill_dir: Some(crate::read::spill_dir()),
                memory_cap: self.max_size.unwrap_or(crate::read::DEFAULT_MAX_SIZE),
            },
            follow: self.follow,
        }
    }

    /// The most bytes a document may have: `--max-size`, or no limit (what is held in
    /// memory is limited by [`crate::load::Keep::memory_cap`]).
    #[must_use]
    pub fn size_limit(&self) -> u64 {
        self.max_size.unwrap_or(u64::MAX)
    }

    /// The view the options describe, over the configuration's defaults.
    #[must_use]
    pub fn query(&self, config: &crate::config::Config) -> Query {
        Query {
            sort: self.sort.or(config.sort).unwrap_or(SortKey::Featured),
            // `-r` flips the order the configuration asks for.
            reverse: self.reverse != config.reverse,
            ratings: self.rating.unwrap_or_default(),
            hide_spoilers: self.hide_spoilers
                || config.spoilers == crate::config::Spoilers::Filtered,
            search: Search::new(self.search.as_deref().unwrap_or_default()),
            // An empty filter would keep everything while still counting as a filter. Film
            // labels are sanitized document text, and the filter is shown: it is sanitized too.
            film: self
                .film
                .as_deref()
                .filter(|f| !f.trim().is_empty())
                .map(|f| crate::sanitize::sanitize(f).into_owned()),
            verdict: self.verdict,
            dedupe: self.dedupe,
            marked: self.marked,
            label: self.label.clone(),
        }
    }
}

/// What `--keywords` sets the view's high reviews against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeywordsAgainst {
    /// The low ones.
    Low,
    /// Every review outside the view.
    Rest,
}

/// Parses a size for `--max-size`: a whole number of bytes, or a number with a unit `K`, `M`,
/// `G` or `T` (powers of 1024, optionally written `KB`, `KiB`, any case): `500M`, `8G`,
/// `1.5GiB`.
///
/// # Errors
/// A message for the usage error when `text` is not a size or is zero.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not a size like 500M or 8G");
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("unknown unit in {text:?}; use K, M, G or T")),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| -> Result<u128, String> {
        if s.is_empty() {
            Ok(0)
        } else {
            s.parse::<u64>().map(u128::from).map_err(|_| bad())
        }
    };
    // A fraction of a unit is fine (1.5G); a fraction of a byte is not.
    if (whole.is_empty() && fraction.is_empty())
        || number.ends_with('.')
        || (!fraction.is_empty() && shift == 0)
        || fraction.len() > 9
    {
        return Err(bad());
    }
    let unit = 1u128 << shift;
    let scale = 10u128.pow(u32::try_from(fraction.len()).map_err(|_| bad())?);
    let bytes = digits(whole)? * unit + digits(fraction)? * unit / scale;
    match u64::try_from(bytes) {
        Ok(0) => Err("the size must be at least 1 byte".into()),
        Ok(bytes) => Ok(bytes),
        Err(_) => Err(format!("{text:?} is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("1", 1)]
    #[case("4096", 4096)]
    #[case("1k", 1024)]
    #[case("500M", 500 << 20)]
    #[case("500 MB", 500 << 20)]
    #[case("8G", 8 << 30)]
    #[case("8GiB", 8 << 30)]
    #[case("1.5g", 3 << 29)]
    #[case(".5K", 512)]
    #[case("2T", 2 << 40)]
    #[case(" 7b ", 7)]
    fn sizes_parse(#[case] text: &str, #[case] bytes: u64) {
        assert_eq!(parse_size(text), Ok(bytes));
    }

    #[rstest]
    #[case("")]
    #[case("0")]
    #[case("0G")]
    #[case("G")]
    #[case("-1")]
    #[case("1.5")]
    #[case("1.G")]
    #[case("1..5G")]
    #[case("8X")]
    #[case("8 gigs")]
    #[case("99999999999T")]
    #[case("18446744073709551616")]
    fn bad_sizes_are_refused(#[case] text: &str) {
        assert!(parse_size(text).is_err(), "{text:?} parsed");
    }
}
