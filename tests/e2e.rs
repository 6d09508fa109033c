//! End-to-end: the real binary in a pseudo-terminal, driven by keystrokes, its screen read
//! back through a terminal emulator (vt100), the way a person sees it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long to wait for something to appear. Generous: this is a deadline for a hang, not
/// a speed check.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running revue in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts revue with `args` in a `cols`×`rows` terminal.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("spawn revue");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let feed = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser lock").process(&buf[..n]);
            }
        });
        Self {
            child,
            writer,
            parser,
            master: pair.master,
        }
    }

    /// The screen's text now.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {text:?}; the screen was:\n{}", self.screen());
    }

    /// Types keys (bytes as a terminal sends them).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    /// Resizes the terminal, as a user dragging the window does.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .expect("parser lock")
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Waits for the process to end and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader thread take in the last output.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("revue did not exit; the screen was:\n{}", self.screen());
    }

    /// Whether the terminal is back in its normal state: main screen, cursor shown, no mouse
    /// reporting.
    pub fn terminal_restored(&self) -> bool {
        let parser = self.parser.lock().expect("parser lock");
        let screen = parser.screen();
        !screen.alternate_screen()
            && !screen.hide_cursor()
            && screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has a size")
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn readme_tour_in_a_real_terminal() {
    let mut pty = Pty::spawn(&[], 120, 40);
    pty.wait_for("25 reviews");
    pty.wait_for("Nicolas Winding Refn's Pusher 1-3");
    pty.send("jjjj");
    pty.wait_for("This review contains spoilers");
    assert!(pty.screen().contains("kristianbk"));
    assert!(!pty.screen().contains("Movies that describe"));
    pty.send("x");
    pty.wait_for("Movies that describe");
    pty.send("0");
    pty.wait_for("3 of 25 reviews");
    pty.send("c");
    pty.wait_for("filters cleared");
    pty.send("H");
    pty.wait_for("23 of 25 reviews");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored(), "terminal left in app state");
}

#[test]
fn search_help_resize_and_ctrl_c() {
    let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
    pty.wait_for("25 reviews");
    pty.send("/baseball");
    pty.wait_for("2 matches");
    pty.send("\r");
    pty.wait_for("search \"baseball\"");
    pty.send("?");
    pty.wait_for("Keys (Esc or ? closes");
    pty.send("?");
    // Narrower than 100 columns: the list goes above the detail.
    pty.resize(70, 30);
    pty.wait_for("└────────────────────────────────────────────────────────────────────┘\n┌");
    pty.resize(12, 4);
    pty.wait_for("revue needs");
    pty.resize(100, 30);
    pty.wait_for("search \"baseball\"");
    pty.send("\x03"); // Ctrl-c
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn a_bad_file_gets_a_plain_error_and_no_app() {
    let mut pty = Pty::spawn(&["tests/data/no-such-file.txt"], 80, 24);
    assert_eq!(pty.wait_exit(), 1);
    let screen = pty.screen();
    assert!(
        screen.contains("revue: error: tests/data/no-such-file.txt: no such file"),
        "{screen}"
    );
    assert!(pty.terminal_restored());
}
