//! The console every host writes to: stdout for output, stderr for errors
//! and warnings; colours only on a terminal and without NO_COLOR; a closed
//! pipe (`mailsh ... | head`) ends the program quietly, as success.

use std::io::{BufRead, IsTerminal, Write};

use crate::runtime::session::Host;

pub struct Console {
    interactive: bool,
    color: bool,
    width: usize,
}

impl Console {
    pub fn new(interactive: bool) -> Console {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Console { interactive, color, width: terminal_width().unwrap_or(120) }
    }
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
        write_or_exit(std::io::stdout().lock(), text);
    }

    fn write_err(&mut self, text: &str) {
        // Keep stdout and stderr in order when both go to one terminal.
        let _ = std::io::stdout().flush();
        write_or_exit(std::io::stderr().lock(), text);
    }

    /// Asks at the terminal; without one (input piped in), the answer is
    /// the next line of standard input, as powershell.exe reads it; `None`
    /// at its end, or on a terminal that may not be asked (-NonInteractive).
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        if !self.interactive && std::io::stdin().is_terminal() {
            return None;
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
        let secret = masked_line(prompt);
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

    /// Progress is drawn on standard error, so that is what must be a
    /// terminal.
    fn is_terminal(&self) -> bool {
        std::io::stderr().is_terminal()
    }
}

/// Shows `prompt`, then reads a line from the terminal in raw mode without
/// echo, printing `*` for each character. The prompt comes after the switch,
/// so nothing typed once it shows is echoed.
fn masked_line(prompt: &str) -> Option<String> {
    use std::io::Read;
    // SAFETY: tcgetattr/tcsetattr read and write a termios we own, on stdin.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
        return None;
    }
    let mut raw = saved;
    raw.c_lflag &= !(libc::ECHO | libc::ICANON | libc::ISIG);
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) };
    write_or_exit(std::io::stdout().lock(), prompt);
    let mut text = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    let mut stdin = std::io::stdin().lock();
    let answer = loop {
        match stdin.read(&mut byte) {
            Ok(1) => {}
            _ => break None,
        }
        match byte[0] {
            b'\r' | b'\n' => break Some(text),
            3 => break None,
            0x7f | 0x08 => {
                if text.pop().is_some() {
                    write_or_exit(std::io::stdout().lock(), "\u{8} \u{8}");
                }
            }
            b => {
                pending.push(b);
                if let Ok(s) = std::str::from_utf8(&pending) {
                    text.push_str(s);
                    pending.clear();
                    write_or_exit(std::io::stdout().lock(), "*");
                }
            }
        }
    };
    unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &saved) };
    answer
}
