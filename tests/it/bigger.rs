//! Text left in its file, as a person meets it in a terminal: a file followed as a scraper
//! appends to it, truncates it and replaces it; a file rewritten under the app; spill files
//! gone whichever way the app ends.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use nix::sys::signal::Signal;
use portable_pty::CommandBuilder;

use crate::e2e::Pty;
use crate::harness::{data_arg, path_str, revue_output};

/// The sample page's reviews as JSON Lines, one line each.
fn lines() -> Vec<String> {
    let out = revue_output(
        &[
            data_arg("pusher-ii-reviews.txt"),
            "--format".into(),
            "jsonl".into(),
        ],
        None,
    );
    String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| format!("{l}\n"))
        .collect()
}

fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open to append");
    file.write_all(text.as_bytes()).expect("append");
}

#[test]
fn a_followed_file_shows_appends_whole_lines_truncation_and_replacement() {
    let lines = lines();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("scrape.jsonl");
    std::fs::write(&path, lines[..5].concat()).expect("write");
    let mut pty = Pty::spawn(&["--follow", path_str(&path)], 120, 30);
    pty.wait_for("5 reviews");
    pty.wait_for("following");
    // Sorted by helpfulness: the order is kept as reviews arrive.
    pty.send("s");
    pty.wait_for("sort helpful");
    append(&path, &lines[5..8].concat());
    pty.wait_for("8 reviews");
    assert!(pty.screen().contains("sort helpful"), "{}", pty.screen());
    // Half a line is not read until it is finished.
    let (head, tail) = lines[8].split_at(40);
    append(&path, head);
    std::thread::sleep(Duration::from_millis(400));
    assert!(pty.screen().contains("8 reviews"), "{}", pty.screen());
    append(&path, tail);
    pty.wait_for("9 reviews");
    // Truncated and written again, as a scraper starting over does: read from the start.
    std::fs::write(&path, lines[..2].concat()).expect("truncate");
    pty.wait_for("2 reviews");
    pty.wait_for("got shorter");
    assert!(pty.screen().contains("sort helpful"), "the query is kept");
    // Replaced by another file under its name.
    let new = dir.path().join("scrape.jsonl.new");
    std::fs::write(&new, lines[..4].concat()).expect("write");
    std::fs::rename(&new, &path).expect("rename");
    pty.wait_for("4 reviews");
    pty.wait_for("was replaced");
    // Not following: appends wait until F is pressed again.
    pty.send("F");
    pty.wait_for("stopped following");
    append(&path, &lines[4..6].concat());
    std::thread::sleep(Duration::from_millis(400));
    assert!(pty.screen().contains("4 reviews"), "{}", pty.screen());
    pty.send("F");
    pty.wait_for("6 reviews");
    // Emptied: read again, nothing there, and the app stays open for `R`.
    std::fs::write(&path, "").expect("empty");
    pty.wait_for("no reviews there now");
    std::fs::write(&path, lines[..3].concat()).expect("write");
    pty.send("R");
    pty.wait_for("3 reviews");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_followed_csv_shows_rows_once_whole_even_across_a_quoted_line_break() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("scrape.csv");
    let row = |i: usize| {
        format!(
            "{i},\"Title {i}\",\"Body {i}, \"\"quoted\"\"\",{}\n",
            1 + i % 5
        )
    };
    let first: String = (0..3).map(row).collect();
    std::fs::write(&path, format!("id,title,body,rating\n{first}")).expect("write");
    let mut pty = Pty::spawn(&["--follow", path_str(&path)], 120, 30);
    pty.wait_for("3 reviews");
    pty.wait_for("following");
    append(&path, &(3..6).map(row).collect::<String>());
    pty.wait_for("6 reviews");
    // A row whose quoted body holds a line break, written in two halves: the first half
    // ends in a line break that is inside the quotes, so the row is not whole yet.
    append(&path, "6,\"Title 6\",\"first line\n");
    std::thread::sleep(Duration::from_millis(400));
    assert!(pty.screen().contains("6 reviews"), "{}", pty.screen());
    append(&path, "second line\",4\n");
    pty.wait_for("7 reviews");
    pty.send("G");
    pty.wait_for("second line");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_file_rewritten_under_the_app_says_so_and_r_reads_it_again() {
    let lines = lines();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("reviews.jsonl");
    let text = lines.concat();
    std::fs::write(&path, &text).expect("write");
    let mut pty = Pty::spawn(&[path_str(&path)], 120, 30);
    pty.wait_for("25 reviews");
    // Rewritten in place, same length, other bytes: the scraper's rewrite, or an editor.
    let changed = text.replace("Tonny", "TONNY");
    assert_eq!(changed.len(), text.len());
    std::fs::write(&path, &changed).expect("rewrite");
    // The next review drawn is read again, and found changed.
    pty.send("G");
    pty.wait_for("changed on disk");
    pty.send("R");
    pty.wait_for("read again from the start");
    pty.wait_for("25 reviews");
    pty.send("/TONNY\r");
    pty.wait_for("search \"TONNY\"");
    assert!(!pty.screen().contains("0 of 25"), "{}", pty.screen());
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// The files in `dir`, with the folders revue made there.
fn files_in(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        }
        all.push(path);
    }
    all
}

/// Whether process `pid` holds a file in `dir` that has no name (an unlinked spill file).
fn holds_unlinked_file_in(pid: u32, dir: &Path) -> bool {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten();
    fds.filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .any(|target| {
            let target = target.display().to_string();
            target.starts_with(&dir.display().to_string()) && target.ends_with("(deleted)")
        })
}

/// A thousand reviews as gzipped JSON Lines in `dir`: past the first read, as a document
/// that comes whole in it stays in memory.
fn gzipped_reviews(dir: &Path) -> std::path::PathBuf {
    let gz = dir.join("reviews.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let text = lines().concat().repeat(40);
    encoder.write_all(text.as_bytes()).expect("gzip");
    std::fs::write(&gz, encoder.finish().expect("gzip")).expect("write");
    gz
}

#[test]
fn spill_files_are_gone_however_the_app_ends() {
    let dir = tempfile::tempdir().expect("dir");
    let gz = gzipped_reviews(dir.path());
    let cache = tempfile::tempdir().expect("cache");
    for (how, end) in [
        ("q", None),
        ("Ctrl-c", None),
        ("SIGTERM", Some(Signal::SIGTERM)),
        ("SIGHUP", Some(Signal::SIGHUP)),
    ] {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
        cmd.arg(path_str(&gz));
        cmd.env("XDG_CACHE_HOME", cache.path());
        let mut pty = Pty::spawn_command(cmd, 100, 30);
        pty.wait_for(" 1000 reviews");
        if cfg!(target_os = "linux") {
            let pid = pty.process_id();
            assert!(
                holds_unlinked_file_in(pid, &cache.path().join("revue")),
                "{how}: the decompressed text is in a spill file in the cache folder"
            );
        }
        assert_eq!(
            files_in(cache.path()),
            Vec::<String>::new(),
            "{how}: while open"
        );
        match (how, end) {
            (_, Some(signal)) => pty.signal(signal),
            ("q", _) => pty.send("q"),
            _ => pty.send("\x03"),
        }
        pty.wait_exit();
        assert_eq!(files_in(cache.path()), Vec::<String>::new(), "{how}: after");
    }
}

#[test]
fn a_spill_file_that_cannot_grow_is_one_clear_error() {
    // A file size limit (`ulimit -f`, its signal ignored) makes the spill file's writes
    // fail as a full disk does: the same path, without a full disk.
    let dir = tempfile::tempdir().expect("dir");
    let gz = gzipped_reviews(dir.path());
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec '{}' '{}' --format jsonl",
        env!("CARGO_BIN_EXE_revue"),
        path_str(&gz)
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("XDG_CACHE_HOME", dir.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing half printed");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("reviews.jsonl.gz: no room to keep its text in"),
        "{stderr}"
    );
}
