//! Fuzz target: the JSON and JSON Lines loaders, on any bytes; the first byte picks which.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revue::load::Format;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = if pick & 1 == 0 {
        Format::Json
    } else {
        Format::Jsonl
    };
    revue_fuzz::check_load(rest, Some(format));
});
