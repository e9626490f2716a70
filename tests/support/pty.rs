//! A small pseudo-terminal driver for the REPL test: it runs the real
//! binary on a pty, answers the terminal's cursor-position query (reedline
//! asks at every prompt), and waits for text on the screen.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use super::wait::DEADLINE;

pub struct Pty {
    master: std::fs::File,
    child: Child,
    /// Everything read so far that no `expect` has consumed.
    pending: Vec<u8>,
    /// Cursor-position queries answered: reedline sends one each time it
    /// starts reading a line, so a new one means the last command is done.
    queries: usize,
}

impl Pty {
    pub fn spawn(mut cmd: Command) -> Pty {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills two descriptors we then own.
        let rc =
            unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
        assert_eq!(rc, 0, "openpty failed");
        let slave_fd = unsafe { OwnedFd::from_raw_fd(slave) };
        let master = unsafe { std::fs::File::from_raw_fd(master) };
        let stdin = Stdio::from(slave_fd.try_clone().expect("dup"));
        let stdout = Stdio::from(slave_fd.try_clone().expect("dup"));
        let stderr = Stdio::from(slave_fd);
        unsafe {
            cmd.pre_exec(|| {
                // A session of its own with the pty as controlling terminal.
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = cmd.stdin(stdin).stdout(stdout).stderr(stderr).spawn().expect("mailsh starts on a pty");
        // SAFETY: setting O_NONBLOCK on our own descriptor.
        unsafe {
            let fd = master.as_raw_fd();
            libc::fcntl(fd, libc::F_SETFL, libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK);
        }
        Pty { master, child, pending: Vec::new(), queries: 0 }
    }

    pub fn send(&mut self, text: &str) {
        self.master.write_all(text.as_bytes()).expect("write to the pty");
    }

    /// Types a line and Enter.
    pub fn send_line(&mut self, text: &str) {
        self.send(text);
        self.send("\r");
    }

    /// Reads what is there, answering cursor-position queries; false at EOF.
    fn pump(&mut self) -> bool {
        let mut buf = [0u8; 4096];
        let mut pfd = libc::pollfd { fd: self.master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one pollfd we own.
        unsafe { libc::poll(&mut pfd, 1, 50) };
        match self.master.read(&mut buf) {
            Ok(0) => false,
            Ok(n) => {
                self.pending.extend_from_slice(&buf[..n]);
                let query = b"\x1b[6n";
                while let Some(at) = self.pending.windows(query.len()).position(|w| w == query) {
                    self.pending.drain(at..at + query.len());
                    self.send("\x1b[1;1R");
                    self.queries += 1;
                }
                true
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted) => true,
            Err(_) => false,
        }
    }

    /// Waits until `text` appears; consumes the output up to its end.
    pub fn expect(&mut self, text: &str) {
        self.read_until(text);
    }

    /// Waits until `text` appears; consumes the output up to its end and
    /// returns what came before it, for a test to compare whole.
    pub fn read_until(&mut self, text: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(at) = self.pending.windows(text.len()).position(|w| w == text.as_bytes()) {
                let before = String::from_utf8_lossy(&self.pending[..at]).into_owned();
                self.pending.drain(..at + text.len());
                return before;
            }
            let open = self.pump();
            if !open || Instant::now() > deadline {
                panic!("{text:?} never appeared; the screen had:\n{}", String::from_utf8_lossy(&self.pending));
            }
        }
    }

    /// Runs a command and waits until the shell reads the next line.
    pub fn run(&mut self, command: &str) {
        self.send(command);
        self.enter();
    }

    /// Presses Enter and waits until the shell reads the next line.
    pub fn enter(&mut self) {
        self.press("\r");
    }

    /// Sends keys that end the line (Enter, Ctrl-C) and waits until the
    /// shell reads the next one.
    pub fn press(&mut self, keys: &str) {
        let before = self.queries;
        self.send(keys);
        let deadline = Instant::now() + DEADLINE;
        while self.queries == before {
            assert!(
                self.pump() && Instant::now() < deadline,
                "the command did not finish; the screen had:\n{}",
                String::from_utf8_lossy(&self.pending)
            );
        }
    }

    /// Waits for the program to end; returns its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            self.pump();
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
