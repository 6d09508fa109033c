//! Command-line arguments (clap) and the view options they turn into.

use std::path::PathBuf;

use clap::Parser;

use crate::export::OutputFormat;
use crate::load::Format;
use crate::query::{Query, RatingSet, Search, SortKey};

/// A model enum as the command line names its values: a clap value enum with the same
/// variants, each with its help text, and the conversion into the model's (an exhaustive
/// match, so the two cannot drift apart).
macro_rules! value_enum {
    ($(#[$meta:meta])* $name:ident => $model:ident { $($(#[doc = $doc:literal])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name { $($(#[doc = $doc])* $variant,)* }

        impl From<$name> for $model {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => Self::$variant,)* }
            }
        }
    };
}

value_enum! {
    /// `--sort`: the orders of [`SortKey`].
    SortArg => SortKey {
        /// Document order, as the page lists them.
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
}

value_enum! {
    /// `--input-format`: the formats of [`Format`].
    InputFormatArg => Format {
        /// An IMDb user-reviews page copied as text.
        Text,
        /// revue's JSON document.
        Json,
        /// revue's JSON Lines, one review per line.
        Jsonl,
        /// An IMDb user-reviews page saved as HTML (either layout), or a fragment of one.
        Html,
        /// revue's CSV: a header row naming the review fields, then one row per review.
        Csv,
    }
}

value_enum! {
    /// `--format`: the writers of [`OutputFormat`].
    OutputFormatArg => OutputFormat {
        /// revue's JSON document (FORMATS.md §3), readable by revue.
        Json,
        /// One review object per line, readable by revue.
        Jsonl,
        /// A header row and one row per review (RFC 4180).
        Csv,
        /// A readable page: a heading per review, then its paragraphs.
        Markdown,
    }
}

/// revue: browse, sort and filter user reviews in the terminal.
///
/// Opens IMDb user-review pages (copied as text or saved as HTML) and revue's own JSON, JSON
/// Lines and CSV, telling them apart by their content; several FILEs open as one list, each
/// review labelled with its film. With no FILE it reads standard input when that is a pipe,
/// and otherwise opens the built-in sample page. With --format or --stats it prints the view
/// and exits instead of starting the app.
#[derive(Debug, Parser)]
#[command(name = "revue", version, about, long_about)]
#[command(group(clap::ArgGroup::new("printing").args(["format", "stats"]).multiple(true)))]
pub struct Args {
    /// Review documents to open; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Print the reviews in this format and exit.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormatArg>,

    /// Print a summary of the reviews (counts, ratings, dates) and exit.
    #[arg(long)]
    pub stats: bool,

    /// Order of the reviews.
    #[arg(long, short = 's', value_enum, default_value_t = SortArg::Featured, value_name = "ORDER")]
    pub sort: SortArg,

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
    pub input_format: Option<InputFormatArg>,

    /// Write what --format or --stats prints to FILE instead: a whole new file or none,
    /// never one cut short. Never overwrites an input document.
    #[arg(long, short = 'o', value_name = "FILE", requires = "printing")]
    pub output: Option<PathBuf>,

    /// Refuse a document larger than SIZE (`500M`, `8G`, `1.5T`).
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    pub max_size: u64,
}

impl Args {
    /// The output format asked for, if any.
    #[must_use]
    pub fn output_format(&self) -> Option<OutputFormat> {
        self.format.map(Into::into)
    }

    /// The input format asked for, if detection is overridden.
    #[must_use]
    pub fn input_format(&self) -> Option<Format> {
        self.input_format.map(Into::into)
    }

    /// The view the options describe.
    #[must_use]
    pub fn query(&self) -> Query {
        Query {
            sort: self.sort.into(),
            reverse: self.reverse,
            ratings: self.rating.unwrap_or_default(),
            hide_spoilers: self.hide_spoilers,
            search: Search::new(self.search.as_deref().unwrap_or_default()),
            // An empty filter would keep everything while still counting as a filter.
            film: self.film.clone().filter(|f| !f.trim().is_empty()),
        }
    }
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
