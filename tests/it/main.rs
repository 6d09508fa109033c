//! The one integration-test binary: a module per area, all sharing [`harness`]. One binary
//! links the crate once, where one per file linked it ten times.

mod harness;

mod app;
mod bad_input;
mod bigger;
mod cli;
mod comfort;
mod csv;
mod e2e;
mod foreign;
mod hardening;
mod hostile;
mod html;
mod multi;
mod opinion;
mod output;
mod properties;
mod sample;
mod shipped;
