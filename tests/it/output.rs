//! `--output` never loses a user's file: what is not a regular file is written in place and
//! never renamed over, revue's own standard output keeps its append mode, links stay links,
//! read-only files need `--force`, and any name that fits gets written (issue 14).

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::harness::revue;

/// `revue --format json -o PATH` (the built-in sample), with `extra` arguments.
fn export_to(path: &Path, extra: &[&str]) -> Output {
    revue()
        .args(["--format", "json", "-o"])
        .arg(path)
        .args(extra)
        .output()
        .expect("revue runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn dash_is_standard_output() {
    let out = revue()
        .args(["--format", "jsonl", "-o", "-"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 25);
    assert!(!Path::new("-").exists(), "no file named -");
}

#[test]
fn a_fifo_is_written_in_place_and_stays_a_fifo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .expect("open the FIFO")
                .read_to_string(&mut text)
                .expect("read");
            text
        })
    };
    let out = export_to(&fifo, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = reader.join().expect("reader");
    assert!(
        text.contains("\"reviews\""),
        "the reader got the export: {text:.80}"
    );
    let kind = fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left");
}

#[test]
fn standard_output_appended_to_a_log_keeps_the_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.txt");
    fs::write(&log, "earlier line\n").expect("write");
    let appending = fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .expect("open for append");
    let status = revue()
        .args(["--format", "jsonl", "-o", "/dev/stdout"])
        .stdout(appending)
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());
    let text = fs::read_to_string(&log).expect("read");
    assert!(text.starts_with("earlier line\n"), "{text:.80}");
    assert_eq!(text.lines().count(), 26);
}

/// `-o /dev/fd/3 3>>log.txt`: a descriptor the shell holds open is appended to, never
/// renamed over (which would cut the log off from its name and lose its lines).
#[test]
fn a_descriptor_the_shell_holds_is_appended_to() {
    if !Path::new("/bin/sh").exists() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.txt");
    fs::write(&log, "earlier line\n").expect("write");
    let status = std::process::Command::new("/bin/sh")
        .args([
            "-c",
            "exec \"$0\" --format jsonl -o /dev/fd/3 3>>\"$1\"",
            env!("CARGO_BIN_EXE_revue"),
        ])
        .arg(&log)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert!(status.success());
    let text = fs::read_to_string(&log).expect("read");
    assert!(text.starts_with("earlier line\n"), "{text:.80}");
    assert_eq!(text.lines().count(), 26);
}

#[test]
fn a_dangling_link_stays_a_link_and_its_target_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("not-yet.json");
    let link = dir.path().join("out.json");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let out = export_to(&link, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&target)
            .expect("target written")
            .contains("\"reviews\"")
    );
}

#[test]
fn a_link_loop_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::os::unix::fs::symlink(&b, &a).expect("symlink");
    std::os::unix::fs::symlink(&a, &b).expect("symlink");
    let out = export_to(&a, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("leads back to itself"),
        "{}",
        stderr(&out)
    );
    for link in [&a, &b] {
        assert!(
            fs::symlink_metadata(link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
    }
}

#[test]
fn a_read_only_file_needs_force_and_keeps_its_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("keep.json");
    fs::write(&path, "old").expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = export_to(&path, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is read-only; revue replaces it only with --force"));
    assert_eq!(fs::read_to_string(&path).expect("read"), "old");
    let out = export_to(&path, &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains("\"reviews\"")
    );
    let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[test]
fn any_name_that_fits_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 250 bytes: the final name fits, and so must the temporary one beside it.
    let path = dir.path().join(format!("{}.json", "r".repeat(245)));
    let out = export_to(&path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(path.exists());
    // Multi-byte characters near the limit are cut on a character's boundary.
    let path = dir.path().join(format!("{}.json", "é".repeat(122)));
    let out = export_to(&path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}
