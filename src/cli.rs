//! Command-line arguments (clap) and the view options they turn into.

use std::path::PathBuf;

use clap::Parser;

use crate::export::OutputFormat;
use crate::load::Format;
use crate::query::{Query, RatingSet, Search, SortKey};

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
    pub format: Option<OutputFormat>,

    /// Print a summary of the reviews (counts, ratings, dates) and exit.
    #[arg(long)]
    pub stats: bool,

    /// Order of the reviews.
    #[arg(long, short = 's', value_enum, default_value_t = SortKey::Featured, value_name = "ORDER")]
    pub sort: SortKey,

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
    /// never one cut short. Never overwrites an input document.
    #[arg(long, short = 'o', value_name = "FILE", requires = "printing")]
    pub output: Option<PathBuf>,

    /// Refuse a document larger than SIZE (`500M`, `8G`, `1.5T`).
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = crate::input::parse_size)]
    pub max_size: u64,
}

impl Args {
    /// The view the options describe.
    #[must_use]
    pub fn query(&self) -> Query {
        Query {
            sort: self.sort,
            reverse: self.reverse,
            ratings: self.rating.unwrap_or_default(),
            hide_spoilers: self.hide_spoilers,
            search: Search::new(self.search.as_deref().unwrap_or_default()),
            // An empty filter would keep everything while still counting as a filter.
            film: self.film.clone().filter(|f| !f.trim().is_empty()),
        }
    }
}
