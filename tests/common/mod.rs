//! Helpers shared by the integration tests: the sample page and small documents.
// Each test binary uses only some of these.
#![allow(dead_code)]

use std::path::PathBuf;

/// The end of every votes line, after `X out of Y`.
pub const VOTES: &str = "found this helpful. Was this review helpful? Sign in to vote.";

/// Path of a file in `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The sample page (Pusher II, 25 reviews), as copied from IMDb.
pub fn sample_text() -> String {
    std::fs::read_to_string(data("pusher-ii-reviews.txt")).expect("tests/data holds the sample")
}

/// A small copied page of two well-formed reviews (13 lines): one rated 8, one unrated.
pub fn two_reviews() -> String {
    format!(
        "8/10\nFirst title\nalice11 March 2006\nFirst body.\n\nSecond paragraph.\n\
         3 out of 4 {VOTES}\nPermalink\n\
         Second title\nbob5 May 2010\nSecond body.\n1 out of 2 {VOTES}\nPermalink\n"
    )
}
