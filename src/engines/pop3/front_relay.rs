//! The POP3 front end's half of a logged-on session: each command of the
//! client goes to the back end and its answer back, and the next messages
//! are read ahead. A POP3 client downloads in order, waiting for each
//! message before it asks for the next; so after answering `RETR n`, the
//! front end asks its back end for the next messages (`XAHEAD`, which the
//! back end answers as RETR for a message small enough to hold, see
//! `commands::ahead`) and answers the client's `RETR n+1` from what it
//! holds, without the hop to the back end and back while the client waits.
//!
//! What is held is exactly what the back end answered, for the message the
//! client asks for: a message deleted (DELE) since is dropped and its RETR
//! goes through; nothing read ahead is ever given for another number; and
//! reading ahead changes nothing in the maildrop. Commands are taken one at
//! a time, in order, as the back end serves them; pipelined ones wait in
//! the buffer. At most [`DEPTH`] messages of at most
//! `commands::ahead::LARGEST` octets each are held, and none once the
//! client stops downloading in order.
//!
//! A client line that grows past [`LONGEST_LINE`] without ending is not
//! read as a command: from there on the session is relayed as it is (the
//! back end judges the line, as it judged every line before).

use std::collections::VecDeque;
use std::io::{self, Write as _};

use memchr::memchr;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::command::{Command, parse, parse_ahead};
use super::framing::{ResponseEnd, multi_line};
use super::response::err;
use super::texts;
use crate::engines::net::lines::give_back_room;
use crate::engines::net::protolog::{Event, SessionLog, mask_after};
use crate::engines::net::{relay, scratch};

/// Messages asked ahead at most. The window opens as the client keeps
/// downloading in order (one message after its first RETR, then 2, 4, 8),
/// as a kernel's file read-ahead does, so a client that takes one message
/// and leaves costs the back end one read more, not eight.
pub const DEPTH: u32 = 8;

/// A client line that has not ended within this many octets.
const LONGEST_LINE: usize = 4096;

/// One message asked ahead.
struct Ahead {
    number: u32,
    end: ResponseEnd,
    response: Vec<u8>,
    /// The back end's answer is complete.
    done: bool,
    /// Still of use: false once the client deleted the message or went
    /// another way (its answer is then read and dropped).
    wanted: bool,
}

/// Relays the logged-on session of `client` to `backend`. `from_client`
/// is what the client sent after its logon (pipelined commands),
/// `from_backend` what the back end sent after accepting it (nothing,
/// normally). Ends when either side closes.
pub async fn relay<C, B>(
    client: C,
    from_client: Vec<u8>,
    backend: B,
    from_backend: Vec<u8>,
    log: &SessionLog,
) -> io::Result<()>
where
    C: AsyncRead + AsyncWrite + Unpin,
    B: AsyncRead + AsyncWrite + Unpin,
{
    let mut relay = FrontRelay {
        client,
        from_client,
        backend,
        from_backend,
        ahead: VecDeque::new(),
        stop_at: None,
        unsupported: false,
        last: 0,
        streak: 0,
        log,
    };
    relay.unasked().await?;
    relay.run().await
}

struct FrontRelay<'a, C, B> {
    client: C,
    /// Received from the client, not yet taken as commands.
    from_client: Vec<u8>,
    backend: B,
    /// Received from the back end, not yet passed on or held.
    from_backend: Vec<u8>,
    /// Asked ahead, in the order asked (the order the back end answers).
    ahead: VecDeque<Ahead>,
    /// The back end did not read this message ahead: nothing from it on is
    /// asked until the client has had it.
    stop_at: Option<u32>,
    /// The back end does not know XAHEAD (another version, in a directory
    /// being upgraded): nothing is asked ahead.
    unsupported: bool,
    /// The last message the client had, and how many it had in order
    /// before it (the read-ahead window).
    last: u32,
    streak: u32,
    log: &'a SessionLog,
}

enum Side {
    Client(usize),
    Backend(usize),
}

impl<C, B> FrontRelay<'_, C, B>
where
    C: AsyncRead + AsyncWrite + Unpin,
    B: AsyncRead + AsyncWrite + Unpin,
{
    async fn run(mut self) -> io::Result<()> {
        loop {
            if let Some(end) = memchr(b'\n', &self.from_client) {
                let line: Vec<u8> = self.from_client.drain(..=end).collect();
                self.command(line).await?;
                continue;
            }
            if self.from_client.len() > LONGEST_LINE {
                return self.relay_the_rest().await;
            }
            give_back_room(&mut self.from_client);
            give_back_room(&mut self.from_backend);
            // The client's next bytes; meanwhile the back end's answers to
            // what was asked ahead, or what it says unasked before it
            // closes (PopEnabled turned off, the session timed out).
            let FrontRelay { client, from_client, backend, from_backend, .. } = &mut self;
            let side = tokio::select! {
                got = scratch::read_with(backend, |b| {
                    from_backend.extend_from_slice(b);
                    b.len()
                }) => Side::Backend(got?),
                got = scratch::read_with(client, |b| {
                    from_client.extend_from_slice(b);
                    b.len()
                }) => Side::Client(got?),
            };
            match side {
                Side::Backend(0) => {
                    self.absorb();
                    self.unasked().await?;
                    let _ = self.client.shutdown().await;
                    return Ok(());
                }
                Side::Backend(_) => {
                    self.absorb();
                    self.prune();
                    self.unasked().await?;
                }
                // A client gone without QUIT: the back end ends the session
                // without UPDATE, as for any dropped connection.
                Side::Client(0) => {
                    let _ = self.backend.shutdown().await;
                    return Ok(());
                }
                Side::Client(_) => {}
            }
        }
    }

    /// One command line of the client (with its line end).
    async fn command(&mut self, line: Vec<u8>) -> io::Result<()> {
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if self.log.enabled() {
            let shown = String::from_utf8_lossy(text);
            self.log.note(Event::Received, &mask_after(&shown, Command::loggable_words(text)));
        }
        if parse_ahead(text).is_some() {
            // The front end's request, not the client's to make.
            return self.answer_here(&err(texts::PROTOCOL_ERROR)).await;
        }
        let command = parse(text);
        match command {
            Ok(Command::Retr(n)) => return self.retr(n, &line).await,
            Ok(Command::Dele(n)) => self.forget(|number| number == n),
            Ok(Command::Quit) => self.forget(|_| true),
            _ => {}
        }
        let multi = command.as_ref().is_ok_and(multi_line);
        self.forward(&line, multi).await.map(|_| ())
    }

    /// RETR n: from what was read ahead when it holds the message, through
    /// the back end otherwise; then the messages after it asked ahead.
    async fn retr(&mut self, n: u32, line: &[u8]) -> io::Result<()> {
        if let Some(i) = self.ahead.iter().position(|a| a.wanted && a.number == n) {
            while !self.ahead[i].done {
                self.more_from_backend().await?;
                self.absorb();
            }
            let held = &mut self.ahead[i];
            held.wanted = false;
            if held.end.positive() {
                let response = std::mem::take(&mut held.response);
                note_sent(self.log, held.end.status_line());
                self.client.write_all(&response).await?;
                self.client.flush().await?;
                return self.ask_ahead(n).await;
            }
        }
        if self.forward(line, true).await? {
            self.ask_ahead(n).await?;
        }
        Ok(())
    }

    /// Sends the client's `line` to the back end and its answer to the
    /// client as it comes; true if it was `+OK`.
    async fn forward(&mut self, line: &[u8], multi: bool) -> io::Result<bool> {
        self.backend.write_all(line).await?;
        self.backend.flush().await?;
        // What was asked ahead is answered first.
        while !self.absorb() {
            self.more_from_backend().await?;
        }
        let mut end = ResponseEnd::new(multi);
        loop {
            if !self.from_backend.is_empty() {
                let ended = end.feed(&self.from_backend);
                let upto = ended.unwrap_or(self.from_backend.len());
                self.client.write_all(&self.from_backend[..upto]).await?;
                self.from_backend.drain(..upto);
                if ended.is_some() {
                    break;
                }
            }
            self.more_from_backend().await?;
        }
        self.client.flush().await?;
        note_sent(self.log, end.status_line());
        Ok(end.positive())
    }

    /// Asks the back end for the messages after `served` that are not
    /// asked yet, up to [`DEPTH`] held or coming.
    async fn ask_ahead(&mut self, served: u32) -> io::Result<()> {
        if self.unsupported {
            return Ok(());
        }
        if self.stop_at.is_some_and(|stop| served >= stop) {
            self.stop_at = None;
        }
        self.streak =
            if self.last != 0 && served == self.last.wrapping_add(1) { (self.streak + 1).min(DEPTH) } else { 0 };
        self.last = served;
        let window = DEPTH.min(1 << self.streak.min(DEPTH.ilog2()));
        // Only the messages right after this one are of use, in order.
        let mut next = served.saturating_add(1);
        for a in self.ahead.iter_mut().filter(|a| a.wanted) {
            if a.number == next {
                next = next.saturating_add(1);
            } else {
                a.wanted = false;
            }
        }
        self.prune();
        let mut asked = Vec::new();
        while next - served <= window && self.stop_at.is_none_or(|stop| next < stop) && next < u32::MAX {
            write!(asked, "{} {next}\r\n", super::command::AHEAD)?;
            self.ahead.push_back(Ahead {
                number: next,
                end: ResponseEnd::new(true),
                response: Vec::new(),
                done: false,
                wanted: true,
            });
            next += 1;
        }
        if !asked.is_empty() {
            self.backend.write_all(&asked).await?;
            self.backend.flush().await?;
        }
        Ok(())
    }

    /// Hands what the back end sent to the messages asked ahead, in order;
    /// true when every one asked is answered (anything left is the answer
    /// to the client's command, or unasked). Drops nothing from the queue,
    /// so a position in it stays good across calls.
    fn absorb(&mut self) -> bool {
        for a in self.ahead.iter_mut().filter(|a| !a.done) {
            if self.from_backend.is_empty() {
                return false;
            }
            let ended = a.end.feed(&self.from_backend);
            let upto = ended.unwrap_or(self.from_backend.len());
            if a.wanted {
                a.response.extend_from_slice(&self.from_backend[..upto]);
            }
            self.from_backend.drain(..upto);
            if ended.is_none() {
                return false;
            }
            a.done = true;
            if !a.end.positive() && a.wanted {
                a.wanted = false;
                a.response = Vec::new();
                self.stop_at = Some(self.stop_at.map_or(a.number, |s| s.min(a.number)));
                let unknown = err(texts::PROTOCOL_ERROR);
                if unknown.strip_suffix(b"\r\n").is_some_and(|l| l == a.end.status_line()) {
                    self.unsupported = true;
                }
            }
        }
        true
    }

    /// Drops what is answered and of no use.
    fn prune(&mut self) {
        self.ahead.retain(|a| a.wanted || !a.done);
    }

    /// Messages read ahead that `gone` names are of no use any more.
    fn forget(&mut self, gone: impl Fn(u32) -> bool) {
        for a in self.ahead.iter_mut().filter(|a| gone(a.number)) {
            a.wanted = false;
            a.response = Vec::new();
        }
        self.prune();
    }

    /// What the back end sent that answers nothing asked: passed on as it
    /// is (the only such thing is a last line before it closes).
    async fn unasked(&mut self) -> io::Result<()> {
        if self.from_backend.is_empty() || self.ahead.iter().any(|a| !a.done) {
            return Ok(());
        }
        self.client.write_all(&self.from_backend).await?;
        self.client.flush().await?;
        self.from_backend.clear();
        Ok(())
    }

    /// An answer the front end gives itself, in its turn.
    async fn answer_here(&mut self, response: &[u8]) -> io::Result<()> {
        note_sent(self.log, response.strip_suffix(b"\r\n").unwrap_or(response));
        self.client.write_all(response).await?;
        self.client.flush().await
    }

    /// More of the back end's answers; its end here is an error, which
    /// ends the relay and closes the client's connection (the back end
    /// closed within an answer, or before one).
    async fn more_from_backend(&mut self) -> io::Result<()> {
        match self.read_backend().await? {
            0 => Err(io::ErrorKind::UnexpectedEof.into()),
            _ => Ok(()),
        }
    }

    async fn read_backend(&mut self) -> io::Result<usize> {
        let from_backend = &mut self.from_backend;
        scratch::read_with(&mut self.backend, |b| {
            from_backend.extend_from_slice(b);
            b.len()
        })
        .await
    }

    /// A line too long to be a command: what was asked ahead is answered
    /// and dropped, then the rest of the session relayed as it is.
    async fn relay_the_rest(mut self) -> io::Result<()> {
        self.forget(|_| true);
        while !self.absorb() {
            if self.read_backend().await? == 0 {
                return Ok(());
            }
        }
        self.log.note(Event::Info, "a command line too long to read; the rest of the session is relayed as it is");
        relay::relay(self.client, &self.from_client, self.backend, &self.from_backend, None).await.map(|_| ())
    }
}

/// A status line sent to the client, in the protocol log when it is kept.
fn note_sent(log: &SessionLog, status: &[u8]) {
    if log.enabled() {
        log.note(Event::Sent, &String::from_utf8_lossy(status));
    }
}
