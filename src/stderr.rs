//! The one way revue speaks on standard error: a sanitized line per message, never a panic.
//!
//! Messages carry text from outside (file names, arguments, values quoted from documents), so
//! each passes [`sanitize`] like document text does: a C1 control or a bidi override in a
//! file name must not reach the terminal through an error message either. A closed or full
//! stderr (`revue … 2>&-`, `2>&1 >/dev/null | true`) loses the message but not the run,
//! as a closed stdout already does not.

use std::fmt::Display;
use std::io::{self, Write as _};

use crate::sanitize::sanitize;

/// Prints `revue: error: {message}`.
pub fn error(message: impl Display) {
    line("error", &message.to_string());
}

/// Prints `revue: warning: {message}`.
pub fn warning(message: impl Display) {
    line("warning", &message.to_string());
}

thread_local! {
    /// Whether a panic on this thread is caught by [`catching`], which says what went wrong
    /// in its own words.
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the panic under way is caught by [`catching`]: the panic hooks then print
/// nothing and leave the terminal as it is.
#[must_use]
pub fn panic_is_caught() -> bool {
    CATCHING.with(std::cell::Cell::get)
}

/// Runs `work`, turning a panic in it into the panic's message: for a library that can
/// panic on hostile input (a corrupt Parquet file) where revue owes the user one line.
///
/// # Errors
/// The panic's message, when `work` panicked.
pub fn catching<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !panic_is_caught() {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "an internal error".into())
    })
}

/// Writes one line, its line breaks folded to spaces so that it stays one line.
fn line(kind: &str, message: &str) {
    let clean = sanitize(message).replace('\n', " ");
    let _ = writeln!(io::stderr().lock(), "revue: {kind}: {clean}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_its_message() {
        assert_eq!(catching(|| 7), Ok(7));
        let caught = catching(|| -> u8 { panic!("corrupt page header") });
        assert_eq!(caught, Err("corrupt page header".to_string()));
        assert!(!panic_is_caught());
    }

    #[test]
    fn a_message_is_one_safe_line() {
        let clean = sanitize("--\u{9b}31mX\u{202e}gpj.exe\nnext").replace('\n', " ");
        assert_eq!(clean, "--›31mX<U+202E>gpj.exe next");
    }
}
