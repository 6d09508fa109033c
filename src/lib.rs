//! revue: a terminal browser for user reviews.
//!
//! The crate is split so that everything but the terminal front end is pure and testable:
//!
//! - [`sanitize`]: the one function all document text passes through.
//! - [`model`]: `Review`, `Document` and the compact text store they share.
//! - [`load`]: format detection and the loaders, one per format in `load/`.
//! - [`query`]: filter and sort, producing lists of review indices.
//! - [`export`] and [`stats`]: the scripting output.
//! - [`cli`] and [`input`]: command-line options and reading documents; [`save`]: writing
//!   exports to files all or nothing.
//! - [`app`] (state and actions), [`keymap`] (the key table), [`ui`] (rendering only),
//!   [`theme`], [`wrap`] (display-width layout) and [`tui`] (the terminal event loop): the
//!   interactive browser.

pub mod app;
pub mod cli;
pub mod export;
pub mod input;
pub mod keymap;
pub mod load;
pub mod loader;
pub mod model;
pub mod query;
pub mod sanitize;
pub mod save;
pub mod stats;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod wrap;
