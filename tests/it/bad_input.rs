//! Bad input gets a clear answer: for every kind of input that is not a review document
//! (missing, a directory, unreadable, empty, binary, UTF-16, a FIFO, `/dev/zero`, too large,
//! holding no review) the real binary prints exactly one line, `revue: error: FILE: cause`,
//! and exits 1; and `--output` writes a whole file or nothing, never over an input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::cargo_bin;
use assert_cmd::prelude::*;
use serde_json::Value;

use crate::harness::{EXPECTED, data, revue as bare, temp_file};

fn sample() -> Vec<u8> {
    std::fs::read(data("pusher-ii-reviews.txt")).expect("tests/data holds the sample")
}

/// `revue ARGS --format jsonl` with nothing on standard input.
fn revue(args: &[&std::ffi::OsStr]) -> Command {
    let mut cmd = bare();
    cmd.args(args).args(["--format", "jsonl"]);
    cmd
}

/// Runs revue on `path` and checks it fails with exactly `revue: error: PATH: cause`.
fn assert_one_line_error(path: &Path, cause: &str) {
    revue(&[path.as_os_str()])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!("revue: error: {}: {cause}\n", path.display()));
}

/// The reviews revue prints for these arguments.
fn reviews(args: &[&std::ffi::OsStr]) -> Vec<Value> {
    let output = revue(args).output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a review per line"))
        .collect()
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_one_line_error(&dir.path().join("gone.txt"), "no such file");
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder is read (FORMATS.md §5); an empty one says so.
    assert_one_line_error(dir.path(), "is a folder with no files in it to read");
}

#[test]
fn permission_denied() {
    let (_dir, path) = temp_file("secret.txt", &sample());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    // Root reads any file whatever its mode; a write-only sysctl is unreadable even to root.
    let unreadable = if std::fs::File::open(&path).is_err() {
        path
    } else {
        let sysctl = PathBuf::from("/proc/sys/vm/compact_memory");
        match std::fs::File::open(&sysctl) {
            Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => sysctl,
            _ => {
                eprintln!("skipped: no file here is unreadable to this user");
                return;
            }
        }
    };
    assert_one_line_error(&unreadable, "permission denied");
}

#[test]
fn empty_and_blank_files() {
    for bytes in [&b""[..], b"\n\n  \t\r\n"] {
        let (_dir, path) = temp_file("empty.txt", bytes);
        assert_one_line_error(&path, &format!("the file is empty {EXPECTED}"));
    }
}

#[test]
fn binary_files_and_images() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0\xff\xff\xff\0\0\0!";
    for (name, bytes, offset) in [
        ("image.png", &png[..], 8),
        ("photo.jpg", &jpeg[..], 4),
        ("anim.gif", &gif[..], 7),
        ("data.bin", &b"text first\0then binary"[..], 10),
    ] {
        let (_dir, path) = temp_file(name, bytes);
        assert_one_line_error(
            &path,
            &format!(
                "binary data (a NUL byte at offset {offset}), not a review document {EXPECTED}"
            ),
        );
    }
}

#[test]
fn a_nul_byte_past_the_first_64_kib_is_a_placeholder_and_a_warning() {
    type Unit = Box<dyn Fn(usize) -> String>;
    // Within the first 64 KiB a NUL means binary data; further on, in every format, it is
    // text gone wrong: shown as the placeholder, with a warning on its line, and the rest
    // of the document loads. At 70 KB, 200 KB (the first piece read) and 5 MB (a later one).
    let json_line = |i: usize| {
        format!(
            "{{\"rating\":8,\"title\":\"t{i}\",\"author\":\"a\",\"date\":null,\"spoiler\":false,\"helpful\":1,\"not_helpful\":0,\"body\":\"{}\",\"permalink\":null}}\n",
            "x".repeat(200)
        )
    };
    let csv_row = |i: usize| format!("8,t{i},a,,false,1,0,{},\n", "x".repeat(200));
    let documents: Vec<(&str, Unit, String)> = vec![
        (
            "page.txt",
            Box::new(|_| String::from_utf8(sample()).expect("utf-8")),
            String::new(),
        ),
        ("reviews.jsonl", Box::new(json_line), String::new()),
        (
            "reviews.csv",
            Box::new(csv_row),
            "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink\n".into(),
        ),
    ];
    for (name, unit, head) in &documents {
        for offset in [70_000, 200_000, 5_000_000] {
            let mut text = head.clone();
            let mut i = 0;
            while text.len() < offset + 100_000 {
                text.push_str(&unit(i));
                i += 1;
            }
            // Inside a body or a title, never in a line's structure.
            let needle = if *name == "page.txt" { " the " } else { "xxx" };
            let at = offset + text[offset..].find(needle).expect("body text") + 1;
            let line = text[..at].matches('\n').count() + 1;
            let mut bytes = text.into_bytes();
            bytes.insert(at, 0);
            let (_dir, path) = temp_file(name, &bytes);
            let out = revue(&[path.as_os_str()]).output().expect("run revue");
            assert!(out.status.success(), "{name} {offset}: {out:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(&format!(":{line}: 1 NUL byte shown as \u{2400}")),
                "{name} {offset}: {err}"
            );
            assert!(
                String::from_utf8_lossy(&out.stdout).contains('\u{2400}'),
                "{name} {offset}"
            );
        }
    }
}

fn utf16(bytes: &[u8], little: bool, bom: bool) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut out = Vec::new();
    if bom {
        out.extend(if little { [0xff, 0xfe] } else { [0xfe, 0xff] });
    }
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded_and_loads_the_same() {
    let (_dir, plain) = temp_file("page.txt", &sample());
    let expected = reviews(&[plain.as_os_str()]);
    assert_eq!(expected.len(), 25);
    for little in [true, false] {
        let (_dir, path) = temp_file("page16.txt", &utf16(&sample(), little, true));
        assert_eq!(
            reviews(&[path.as_os_str()]),
            expected,
            "little endian: {little}"
        );
    }
    // And a UTF-8 byte-order mark is skipped.
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend(sample());
    let (_dir, path) = temp_file("bom.txt", &with_bom);
    assert_eq!(reviews(&[path.as_os_str()]), expected);
}

#[test]
fn utf16_without_a_byte_order_mark_is_named() {
    for (little, endian) in [(true, "LE"), (false, "BE")] {
        let (_dir, path) = temp_file("page16.txt", &utf16(&sample(), little, false));
        assert_one_line_error(
            &path,
            &format!(
                "UTF-16 text without a byte-order mark; read it with --encoding utf-16{endian}"
            ),
        );
    }
}

#[test]
fn text_with_no_reviews() {
    let (_dir, path) = temp_file("notes.txt", b"Just some notes\nabout films.\n");
    assert_one_line_error(
        &path,
        &format!("no reviews found in this copied IMDb page text {EXPECTED}"),
    );
    let (_dir, path) = temp_file("empty.json", br#"{"title": "x", "reviews": []}"#);
    assert_one_line_error(&path, &format!("no reviews found in this JSON {EXPECTED}"));
}

#[test]
fn dev_zero_is_refused_at_once() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    assert_one_line_error(
        zero,
        &format!("binary data (a NUL byte at offset 0), not a review document {EXPECTED}"),
    );
    // And as standard input.
    let stdin = std::fs::File::open(zero).expect("open /dev/zero");
    revue(&["-".as_ref()])
        .stdin(stdin)
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: <stdin>: binary data (a NUL byte at offset 0), not a review document {EXPECTED}\n"
        ));
}

#[test]
fn a_file_larger_than_max_size() {
    let (_dir, path) = temp_file("page.txt", &sample());
    let size = sample().len();
    assert!(size > 32 << 10);
    revue(&[path.as_os_str(), "--max-size".as_ref(), "32K".as_ref()])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "revue: error: {}: is 32.5 KiB, larger than the 32 KiB limit (raise it with --max-size)\n",
            path.display()
        ));
    // At the limit exactly, it loads.
    let exact = size.to_string();
    assert_eq!(
        reviews(&[path.as_os_str(), "--max-size".as_ref(), exact.as_ref()]).len(),
        25
    );
}

#[test]
fn a_pipe_larger_than_max_size() {
    let output = Command::new(cargo_bin!("revue"))
        .args(["--format", "jsonl", "--max-size", "1k"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            // revue stops reading at the cap, so the rest of this write may find the pipe
            // closed: that is the point.
            if let Some(mut stdin) = child.stdin.take() {
                let _ = std::io::Write::write_all(&mut stdin, &sample());
            }
            child.wait_with_output()
        })
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "revue: error: <stdin>: is larger than the 1 KiB limit (raise it with --max-size)\n"
    );
}

#[test]
fn bad_max_sizes_are_usage_errors() {
    for size in ["0", "banana", "8X", "-5", "1.5"] {
        revue(&[format!("--max-size={size}").as_ref()])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::starts_with(format!(
                "revue: error: invalid value '{size}' for '--max-size <SIZE>'"
            )));
    }
}

#[cfg(unix)]
fn mkfifo(dir: &Path) -> PathBuf {
    let path = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    path
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_like_a_pipe() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = mkfifo(dir.path());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, sample()).expect("write the FIFO"))
    };
    assert_eq!(reviews(&[fifo.as_os_str()]).len(), 25);
    writer.join().expect("writer");
}

#[cfg(unix)]
#[test]
fn a_fifo_nothing_writes_to_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = mkfifo(dir.path());
    assert_one_line_error(
        &fifo,
        "is a named pipe (FIFO) that nothing opened for writing within 5 seconds",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_whose_writer_sends_nothing_is_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = mkfifo(dir.path());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, b"").expect("open the FIFO"))
    };
    assert_one_line_error(&fifo, &format!("the file is empty {EXPECTED}"));
    writer.join().expect("writer");
}

#[test]
fn a_terminal_device_is_refused() {
    // Reading a terminal would wait for typing; only where one can be opened.
    let tty = Path::new("/dev/tty");
    if std::fs::File::open(tty).is_err() {
        return;
    }
    assert_one_line_error(tty, "is a terminal, not a review document");
}

#[test]
fn every_bad_input_among_good_ones_is_reported_and_the_good_ones_still_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.txt");
    std::fs::write(&good, sample()).expect("write");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let missing = dir.path().join("missing.txt");
    let folder = dir.path().join("nothing here");
    std::fs::create_dir(&folder).expect("mkdir");
    let output = revue(&[
        missing.as_os_str(),
        good.as_os_str(),
        empty.as_os_str(),
        folder.as_os_str(),
    ])
    .output()
    .expect("runs");
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(
        stderr,
        format!(
            "revue: error: {}: no such file\n\
             revue: error: {}: the file is empty {EXPECTED}\n\
             revue: error: {}: is a folder with no files in it to read\n",
            missing.display(),
            empty.display(),
            folder.display()
        )
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 25);
}

// ---- --output: a whole file or none, never over an input ----

fn stdout_of(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let output = revue(args).output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

#[test]
fn output_writes_what_would_be_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.txt");
    std::fs::write(&page, sample()).expect("write");
    for format in ["json", "jsonl", "csv", "markdown"] {
        let out = dir.path().join(format!("out.{format}"));
        let mut cmd = bare();
        cmd.arg(&page)
            .args(["--format", format, "--output"])
            .arg(&out)
            .assert()
            .success()
            .stdout("")
            .stderr("");
        let mut printed = bare();
        let printed = printed
            .arg(&page)
            .args(["--format", format])
            .output()
            .expect("runs")
            .stdout;
        assert_eq!(std::fs::read(&out).expect("written"), printed, "{format}");
    }
    // --stats too, and -o, replacing the file already there.
    let out = dir.path().join("out.json");
    let mut cmd = bare();
    cmd.arg(&page)
        .args(["--stats", "-o"])
        .arg(&out)
        .assert()
        .success();
    let stats = std::fs::read_to_string(&out).expect("written");
    assert!(stats.contains("25"), "{stats}");
    // Nothing else was left in the folder.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "out.csv",
            "out.json",
            "out.jsonl",
            "out.markdown",
            "page.txt"
        ]
    );
    let _ = stdout_of;
}

#[test]
fn output_never_overwrites_an_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.json");
    let json = stdout_of(&[]);
    std::fs::write(&page, &json).expect("write");
    let other = dir.path().join("other.txt");
    std::fs::write(&other, sample()).expect("write");
    let same_file = [
        page.clone(),
        dir.path().join(".").join("page.json"),
        dir.path().join("sub/../page.json"),
    ];
    std::fs::create_dir(dir.path().join("sub")).expect("sub");
    for out in &same_file {
        let mut cmd = bare();
        cmd.arg(&other)
            .arg(&page)
            .args(["--format", "csv", "--output"])
            .arg(out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "revue: error: {}: is one of the input documents; revue never writes to its input\n",
                out.display()
            ));
    }
    // Nor when the input comes in on standard input.
    let mut cmd = bare();
    cmd.args(["--format", "csv", "-o"])
        .arg(&page)
        .stdin(std::fs::File::open(&page).expect("open"))
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&page).expect("unchanged"), json);
}

#[test]
fn output_needs_format_or_stats_and_a_writable_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = bare();
    cmd.arg("--output")
        .arg(dir.path().join("x.json"))
        .stdin(Stdio::null())
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("revue: error: "));
    let mut cmd = bare();
    cmd.args(["--format", "json", "--output"])
        .arg(dir.path())
        .stdin(Stdio::null())
        .assert()
        .code(2)
        .stderr(format!(
            "revue: error: {}: is a directory; give a file name to write to\n",
            dir.path().display()
        ));
    let nowhere = dir.path().join("no/such/folder/x.json");
    let mut cmd = bare();
    let output: Output = cmd
        .args(["--format", "json", "--output"])
        .arg(&nowhere)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "revue: error: {}: cannot create a temporary file in its folder: ",
            nowhere.display()
        )) && stderr.lines().count() == 1,
        "{stderr}"
    );
}
