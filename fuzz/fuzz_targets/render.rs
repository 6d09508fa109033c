//! Fuzz target: load any bytes (format picked by the input) and draw the app at a random
//! terminal size after a random handful of actions, checking every cell of every frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [w, h, format, bits, rest @ ..] = data else {
        return;
    };
    // Up to 511 columns and 127 rows, including the degenerate 0×0.
    let width = u16::from(*w) | (u16::from(*h & 1) << 8);
    let height = u16::from(*h >> 1);
    revue_fuzz::check_render(rest, revue_fuzz::format_for(*format), width, height, *bits);
});
