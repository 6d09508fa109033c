//! The one harness every integration test shares: the test data, the `revue` binary with a
//! chosen standard input, temporary files, and an app rendered into ratatui's `TestBackend`.
// Not every helper is used by every module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use revue::app::App;
use revue::keymap::Action;
use revue::load::load_bytes;
use revue::query::Query;

/// The end of every votes line, after `X out of Y`.
pub const VOTES: &str = "found this helpful. Was this review helpful? Sign in to vote.";

/// The end of every "not a review document" message.
pub const EXPECTED: &str = "(expected an IMDb user-reviews page (copied as text or saved as HTML), \
                            or revue's JSON, JSON Lines or CSV)";

/// The three real pages in `tests/data`, in the order the shell lists them.
pub const SAMPLES: [&str; 3] = [
    "imdb-2024-layout-worlds-end.html",
    "imdb-legacy-layout-review.html",
    "pusher-ii-reviews.txt",
];

/// The sample page's bytes, as the binary has them built in.
pub const SAMPLE: &[u8] = include_bytes!("../data/pusher-ii-reviews.txt");

/// Path of a file in `tests/data`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Path of a file in `tests/data`, as a string for an argument list.
pub fn data_arg(name: &str) -> String {
    data(name).to_string_lossy().into_owned()
}

/// The bytes of a file in `tests/data`.
pub fn read_data(name: &str) -> Vec<u8> {
    let path = data(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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

/// A temporary directory holding one file with these bytes.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}

/// A path as an argument string (temporary paths are UTF-8).
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// `revue` with standard input on `/dev/null`, so it opens the built-in sample unless given
/// a file (assert_cmd's own `Command` always gives the child a pipe, which revue would read).
pub fn revue() -> Command {
    let mut cmd = Command::new(cargo_bin!("revue"));
    cmd.stdin(Stdio::null());
    cmd.env("XDG_DATA_HOME", test_data_home());
    cmd
}

/// Where the tests' revue keeps marks and labels: never the user's own journals.
pub fn test_data_home() -> PathBuf {
    std::env::temp_dir().join("revue-tests-data-home")
}

/// `revue` reading `input` from a pipe on standard input.
pub fn revue_with_stdin(input: impl Into<Vec<u8>>) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("revue");
    cmd.env("XDG_DATA_HOME", test_data_home());
    cmd.write_stdin(input);
    cmd
}

/// Runs `revue ARGS` with `stdin` piped in (or the pipe left empty); returns its success,
/// standard output and standard error.
pub fn run_piped<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    stdin: Option<Vec<u8>>,
) -> (bool, Vec<u8>, String) {
    let mut cmd = cargo_bin_cmd!("revue");
    cmd.env("XDG_DATA_HOME", test_data_home());
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let output = cmd.output().expect("revue runs");
    (
        output.status.success(),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Standard output of `revue ARGS` (with `stdin` piped in), which must succeed.
pub fn revue_output<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<Vec<u8>>) -> Vec<u8> {
    let (ok, stdout, stderr) = run_piped(args, stdin);
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    assert!(ok, "revue {shown:?}: {stderr}");
    stdout
}

/// Parses what revue wrote as JSON.
pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("revue writes JSON")
}

/// The app on the sample page, as `revue` opens it.
pub fn sample_app() -> App {
    let loaded = load_bytes(SAMPLE.to_vec(), "pusher-ii-reviews.txt", None).expect("sample loads");
    App::new(loaded.document, Query::default(), Vec::new())
}

/// Sends each action to the app.
pub fn run(app: &mut App, actions: &[Action]) {
    for &action in actions {
        app.update(action);
    }
}

/// Draws one frame of the app, in colour, on a `width`×`height` test terminal.
pub fn render(app: &mut App, width: u16, height: u16) -> TestBackend {
    render_with(app, width, height, revue::ui::theme::Theme::colored())
}

/// Fits the app to a `width`×`height` test terminal and draws one frame with `theme`, as
/// the terminal loop does.
pub fn render_with(
    app: &mut App,
    width: u16,
    height: u16,
    theme: revue::ui::theme::Theme,
) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| {
            app.prepare(frame.area());
            revue::ui::draw(frame, app, theme);
        })
        .expect("draw");
    terminal.backend().clone()
}

/// The screen as plain text, one line per row, trailing blanks cut: for `contains` checks
/// and finding where text is (snapshots take the `TestBackend` itself).
pub fn screen(buf: &Buffer) -> String {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in area.left()..area.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The column and row where `text` first appears on the screen.
pub fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    let s = screen(buf);
    s.lines().enumerate().find_map(|(y, line)| {
        line.find(text).map(|byte| {
            let x = unicode_width::UnicodeWidthStr::width(&line[..byte]);
            (u16::try_from(x).unwrap_or(0), u16::try_from(y).unwrap_or(0))
        })
    })
}
