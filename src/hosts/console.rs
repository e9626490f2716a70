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

    fn read_line(&mut self, prompt: &str) -> Option<String> {
        if !self.interactive {
            return None;
        }
        write_or_exit(std::io::stdout().lock(), prompt);
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
        }
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
}
