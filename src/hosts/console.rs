//! The console every host writes to: stdout for output, stderr for errors
//! and warnings; colours only on a terminal and without NO_COLOR; a closed
//! pipe (`mailsh ... | head`) ends the program quietly, as success.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::progress_pane::{PendingProgress, draw};
use crate::runtime::progress::ProgressRecord;
use crate::runtime::session::Host;

/// A progress update that changes nothing but text waits this long after
/// the last drawing (or for the next output): a loop reporting every record
/// is not slowed by the terminal.
const PROGRESS_REDRAW: std::time::Duration = std::time::Duration::from_millis(100);

pub struct Console {
    interactive: bool,
    color: bool,
    width: usize,
    /// The session's Ctrl-C flag: Ctrl-C at a prompt sets it.
    interrupt: Arc<AtomicBool>,
    /// The activities Write-Progress reported, and the rows of the pane drawn
    /// for them at the top of the window (0: none shown).
    progress: PendingProgress,
    pane_rows: usize,
    pane_drawn: Option<std::time::Instant>,
}

impl Console {
    pub fn new(interactive: bool, interrupt: Arc<AtomicBool>) -> Console {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Console {
            interactive,
            color,
            width: terminal_width().unwrap_or(120),
            interrupt,
            progress: PendingProgress::default(),
            pane_rows: 0,
            pane_drawn: None,
        }
    }

    /// The pane's rows for what is pending (none when nothing is).
    fn progress_rows(&mut self) -> Vec<String> {
        // As 5.1: at most a third of the window, never fewer than five rows.
        let max_height = (terminal_rows().unwrap_or(24) / 3).max(5);
        self.progress.render(self.width, max_height).unwrap_or_default()
    }

    /// Draws the pane for what is pending (or takes it down when nothing is).
    fn show_progress(&mut self) {
        let rows = self.progress_rows();
        self.paint_progress(rows);
    }

    fn paint_progress(&mut self, rows: Vec<String>) {
        let text = draw(&rows, self.pane_rows, self.color);
        self.pane_rows = rows.len();
        self.pane_drawn = Some(std::time::Instant::now());
        write_or_exit(std::io::stderr().lock(), &text);
    }

    /// Blanks the pane's rows, so what scrolls up under it carries no copy of it.
    fn hide_progress(&mut self) {
        if self.pane_rows > 0 {
            write_or_exit(std::io::stderr().lock(), &draw(&[], self.pane_rows, self.color));
        }
    }

    /// Output goes under a progress pane as in 5.1's console host: the pane
    /// is taken down before, and drawn again after.
    fn around_progress(&mut self, write: impl FnOnce()) {
        if self.pane_rows == 0 {
            return write();
        }
        let _ = std::io::stdout().flush();
        self.hide_progress();
        write();
        let _ = std::io::stdout().flush();
        self.show_progress();
    }
}

/// The terminal's rows (standard error's, where progress is drawn).
fn terminal_rows() -> Option<usize> {
    // SAFETY: TIOCGWINSZ writes a winsize into the struct we own.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_row > 0 { Some(ws.ws_row as usize) } else { None }
}

/// The terminal's columns, or COLUMNS; None when output is redirected.
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<usize>().ok()) {
        return Some(n.max(20));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ writes a winsize into the struct we own.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_col > 0 { Some(ws.ws_col as usize) } else { None }
}

fn write_or_exit(mut w: impl Write, text: &str) {
    let result = w.write_all(text.as_bytes()).and_then(|_| w.flush());
    if let Err(e) = result
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

impl Host for Console {
    fn write_out(&mut self, text: &str) {
        self.around_progress(|| write_or_exit(std::io::stdout().lock(), text));
    }

    fn write_err(&mut self, text: &str) {
        // Keep stdout and stderr in order when both go to one terminal.
        let _ = std::io::stdout().flush();
        self.around_progress(|| write_or_exit(std::io::stderr().lock(), text));
    }

    /// Asks at the terminal; without one (input piped in), the answer is
    /// the next line of standard input, as powershell.exe reads it; `None`
    /// at its end, or on a terminal that may not be asked (-NonInteractive).
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        if std::io::stdin().is_terminal() {
            if !self.interactive {
                return None;
            }
            let line = terminal_line(prompt, Echo::Plain, &self.interrupt);
            write_or_exit(std::io::stdout().lock(), "\n");
            return line;
        }
        write_or_exit(std::io::stdout().lock(), prompt);
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
        }
    }

    /// A secret typed at the terminal: echo off, one `*` per character
    /// (Backspace erases, Ctrl-C gives up); without a terminal, the next
    /// line of standard input.
    fn read_secret(&mut self, prompt: &str) -> Option<String> {
        if !std::io::stdin().is_terminal() {
            return self.read_line(prompt);
        }
        if !self.interactive {
            return None;
        }
        let secret = terminal_line(prompt, Echo::Masked, &self.interrupt);
        write_or_exit(std::io::stdout().lock(), "\n");
        secret
    }

    fn interactive(&self) -> bool {
        self.interactive
    }

    fn color(&self) -> bool {
        self.color
    }

    fn width(&self) -> usize {
        self.width
    }

    /// The screen and its scrollback, then the cursor home, as `clear` does.
    fn clear_screen(&mut self) {
        if std::io::stdout().is_terminal() {
            write_or_exit(std::io::stdout().lock(), "\u{1b}[H\u{1b}[2J\u{1b}[3J");
        }
    }

    /// Progress is drawn on standard error, so that is what must be a
    /// terminal.
    fn is_terminal(&self) -> bool {
        std::io::stderr().is_terminal()
    }

    /// The pane at the top of the window, on a terminal only: never into
    /// redirected output (nor transcripts, which the runtime writes).
    fn write_progress(&mut self, source_id: i64, record: &ProgressRecord) {
        if !self.is_terminal() {
            return;
        }
        self.progress.update(source_id, record);
        let rows = self.progress_rows();
        let recent = self.pane_drawn.is_some_and(|t| t.elapsed() < PROGRESS_REDRAW);
        if recent && rows.len() == self.pane_rows {
            // Same shape, newer text: drawn at the next output or at an
            // update after the pause.
            return;
        }
        self.paint_progress(rows);
    }

    fn reset_progress(&mut self) {
        self.hide_progress();
        self.progress = PendingProgress::default();
        self.pane_rows = 0;
        self.pane_drawn = None;
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Echo {
    Plain,
    /// One `*` per character typed.
    Masked,
}

/// Shows `prompt`, then reads a line from the terminal in raw mode: typed
/// characters echoed (or masked), Backspace erases, Ctrl-U clears; Ctrl-C
/// gives up (setting `interrupt`, so what asked stops), as does Ctrl-D on
/// an empty line. The prompt comes after the switch, so nothing typed once
/// it shows is echoed by the terminal itself.
fn terminal_line(prompt: &str, echo: Echo, interrupt: &AtomicBool) -> Option<String> {
    use std::io::Read;
    // SAFETY: tcgetattr/tcsetattr read and write a termios we own, on stdin.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
        return None;
    }
    let mut raw = saved;
    raw.c_lflag &= !(libc::ECHO | libc::ICANON | libc::ISIG);
    raw.c_iflag &= !(libc::ICRNL | libc::IXON);
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) };
    write_or_exit(std::io::stdout().lock(), prompt);
    let mut text = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    let mut stdin = std::io::stdin().lock();
    let erase = |n: usize| write_or_exit(std::io::stdout().lock(), &"\u{8} \u{8}".repeat(n));
    // 0: text; 1: after ESC; 2: inside a CSI sequence (arrows and the like).
    let mut escape = 0u8;
    let answer = loop {
        match stdin.read(&mut byte) {
            Ok(1) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            _ => break None,
        }
        match (escape, byte[0]) {
            (1, b'[' | b'O') => {
                escape = 2;
                continue;
            }
            (1, _) => {
                escape = 0;
                continue;
            }
            (2, 0x40..=0x7e) => {
                escape = 0;
                continue;
            }
            (2, _) => continue,
            _ => {}
        }
        match byte[0] {
            b'\r' | b'\n' => break Some(text),
            3 => {
                interrupt.store(true, Ordering::Relaxed);
                break None;
            }
            4 if text.is_empty() => break None,
            0x7f | 0x08 => {
                if text.pop().is_some() {
                    erase(1);
                }
            }
            0x15 => {
                erase(text.chars().count());
                text.clear();
            }
            // Other control keys and escape sequences (arrows) are ignored.
            0x1b => escape = 1,
            b if b < 0x20 => {}
            b => {
                pending.push(b);
                if let Ok(s) = std::str::from_utf8(&pending) {
                    text.push_str(s);
                    let shown = if echo == Echo::Masked { "*" } else { s };
                    write_or_exit(std::io::stdout().lock(), shown);
                    pending.clear();
                }
            }
        }
    };
    unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &saved) };
    answer
}
