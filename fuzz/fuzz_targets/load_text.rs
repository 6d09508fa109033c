//! Fuzz target: the copied-page text loader, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revue::load::Format;

fuzz_target!(|data: &[u8]| {
    revue_fuzz::check_load(data, Some(Format::Text));
});
