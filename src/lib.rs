//! revue: a terminal browser for user reviews.
//!
//! The modules follow the data, and everything but the terminal front end is pure and
//! testable:
//!
//! 1. [`read`]: where bytes come from (files, standard input, the built-in sample), with
//!    size caps, and the chunked parallel reads of a large document ([`read::stream`]).
//! 2. [`load`]: bytes to reviews: format detection, one reader per format, and the one
//!    review builder they all call. Every string passes through [`sanitize`] on the way in.
//!    [`model`] holds what they build: `Review`, `Document`, the text store, and the one
//!    schema of review fields ([`model::schema`]).
//! 3. [`collect`]: the background load and the collector that feeds its pieces to the app.
//! 4. [`query`]: filter, search and sort to a list of review indices; the view cache; stats.
//! 5. Then either [`export`] (the writers for `--format`, and the all-or-nothing file
//!    write), or the interactive browser: [`app`] (state and `update(action)`), [`keymap`]
//!    (actions and the one key table), [`layout`] (screen geometry both sides read), [`ui`]
//!    (rendering only, with its theme) and [`tui`] (the terminal and its event loop).
//!
//! [`cli`] turns the command line into these, [`stderr`] is how revue speaks on stderr; [`wrap`] is display-width text layout and
//! [`tuning`] the sizes and thread counts, each named once.

pub mod app;
pub mod cli;
pub mod collect;
pub mod config;
pub mod export;
pub mod journal;
pub mod keymap;
pub mod layout;
pub mod load;
pub mod manual;
pub mod model;
pub mod query;
pub mod read;
pub mod sanitize;
pub mod stderr;
pub mod tui;
pub mod tuning;
pub mod ui;
pub mod wrap;
