//! Fuzz target: the sanitizer. Its output is always clean, it is idempotent, it borrows
//! exactly when nothing needed changing, and it agrees with `is_clean`.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use revue::sanitize::{is_clean, sanitize};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = sanitize(&text);
    revue_fuzz::assert_clean(&clean, "sanitized");
    assert_eq!(sanitize(&clean), clean, "sanitizing twice changes the text");
    assert_eq!(
        matches!(clean, Cow::Borrowed(_)),
        is_clean(&text),
        "borrowed exactly when clean"
    );
    if is_clean(&text) {
        assert_eq!(clean, text);
    }
});
