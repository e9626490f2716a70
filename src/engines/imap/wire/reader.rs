//! Reads client commands off a stream. imap-codec's fragmentizer splits the
//! bytes into lines and literals *before* parsing, so the bytes of a literal
//! we refused are never read as commands; we decide about each announced
//! literal (size limits, `+` continuation for synchronizing ones) and cap
//! how much one command may buffer.

use imap_codec::decode::Decoder;
use imap_codec::fragmentizer::{FragmentInfo, Fragmentizer, LiteralAnnouncement};
use imap_codec::imap_types::IntoStatic;
use imap_codec::imap_types::auth::AuthenticateData;
use imap_codec::imap_types::command::Command;
use imap_codec::imap_types::core::LiteralMode;
use imap_codec::{AuthenticateDataCodec, CommandCodec};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::number64;
use crate::engines::net::scratch;

/// No command may buffer more than this, whatever the settings say.
const ABSOLUTE_MAX: u32 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest command line (MaxCommandSize).
    pub max_line: usize,
    /// Largest literal accepted (a whole message for APPEND after login;
    /// little before).
    pub max_literal: u32,
}

#[derive(Debug)]
pub enum Incoming {
    Command(Command<'static>),
    /// A command that could not be parsed; the tag when one was readable,
    /// and whether the command word itself was one we know (then it is the
    /// arguments that were wrong).
    Invalid {
        tag: Option<String>,
        known_command: bool,
    },
    /// A literal larger than allowed was announced and refused (the
    /// synchronizing kind: the client sends nothing more for it).
    LiteralRefused {
        tag: Option<String>,
    },
    /// A command in the syntax of an extension imap-codec does not parse
    /// (read only when [`CommandReader::extensions`] is on).
    Extended {
        tag: String,
        command: super::ext::ExtCommand,
    },
    /// The client went over the limits in a way we cannot skip safely
    /// (an endless line, a huge non-synchronizing literal): close.
    Abusive {
        tag: Option<String>,
    },
    Closed,
}

/// What a client answered an AUTHENTICATE continuation with.
#[derive(Debug, PartialEq, Eq)]
pub enum SaslResponse {
    /// The decoded bytes.
    Data(Vec<u8>),
    Cancelled,
    Malformed,
    Closed,
}

pub struct CommandReader {
    frag: Fragmentizer,
    /// Bytes the current command may still buffer.
    allowance: usize,
    pub limits: Limits,
    /// The front end's copy of bytes read but not yet consumed as complete
    /// messages: what a client pipelined after LOGIN must reach the back end.
    shadow: Option<Vec<u8>>,
    /// Read extension syntax (`wire::ext`): the back end, after login.
    pub extensions: bool,
    /// 8-bit text (UTF-8) allowed outside literals: once the client enabled
    /// UTF8=ACCEPT or IMAP4rev2 (RFC 6855 3). Before, such a command is
    /// refused as it always was.
    pub utf8: bool,
    /// The current command has 8-bit bytes outside its literals.
    eight_bit: bool,
}

impl CommandReader {
    pub fn new(limits: Limits) -> CommandReader {
        CommandReader {
            frag: Fragmentizer::new(ABSOLUTE_MAX),
            allowance: limits.max_line,
            limits,
            shadow: None,
            extensions: false,
            utf8: false,
            eight_bit: false,
        }
    }

    /// Keeps a copy of unconsumed bytes (pre-auth only: messages are small).
    pub fn tracking_leftover(mut self) -> CommandReader {
        self.shadow = Some(Vec::new());
        self
    }

    /// Bytes received after the last complete message.
    pub fn leftover(&self) -> Vec<u8> {
        self.shadow.clone().unwrap_or_default()
    }

    fn consumed(&mut self, n: usize) {
        if let Some(sh) = self.shadow.as_mut() {
            sh.drain(..n.min(sh.len()));
        }
    }

    /// Reads more bytes into the fragmentizer; false at end of stream.
    /// Cancel-safe: the only await is the read itself.
    /// The bytes land in the thread's read buffer (`net::scratch`): a
    /// session waiting for its next command holds none of its own.
    async fn fill<R: AsyncRead + Unpin>(&mut self, r: &mut R) -> std::io::Result<bool> {
        let (frag, shadow) = (&mut self.frag, &mut self.shadow);
        scratch::read_with(r, |bytes| {
            if bytes.is_empty() {
                return false;
            }
            frag.enqueue_bytes(bytes);
            if let Some(sh) = shadow.as_mut() {
                sh.extend_from_slice(bytes);
            }
            true
        })
        .await
    }

    fn tag(&self) -> Option<String> {
        self.frag.decode_tag().map(|t| t.inner().to_string())
    }

    /// The next complete message (a command line with its literals).
    /// `continuation` is the text of the `+` line sent for synchronizing
    /// literals.
    pub async fn next<R, W>(&mut self, r: &mut R, w: &mut W) -> std::io::Result<Incoming>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        loop {
            match self.frag.progress() {
                None => {
                    if self.frag.message_bytes().len() > self.allowance {
                        let tag = self.tag();
                        self.reset();
                        return Ok(Incoming::Abusive { tag });
                    }
                    if !self.fill(r).await? {
                        return Ok(Incoming::Closed);
                    }
                }
                Some(FragmentInfo::Line {
                    announcement: Some(LiteralAnnouncement { mode, length }),
                    end,
                    start,
                    ..
                }) => {
                    self.note_eight_bit(start, end);
                    if end - start > self.limits.max_line || self.frag.message_bytes().len() > self.allowance {
                        let tag = self.tag();
                        return Ok(self.refuse(mode, tag));
                    }
                    if length > self.limits.max_literal {
                        let tag = self.tag();
                        return Ok(self.refuse(mode, tag));
                    }
                    self.allowance = self.allowance.saturating_add(length as usize + self.limits.max_line);
                    if mode == LiteralMode::Sync {
                        w.write_all(b"+ Ready for additional command text.\r\n").await?;
                        w.flush().await?;
                    }
                }
                Some(FragmentInfo::Line { start, end, .. }) => {
                    self.note_eight_bit(start, end);
                    // A literal too large for imap-codec's 32 bits is not
                    // announced by the fragmentizer: refuse it as any
                    // literal over the limit, or its bytes would be read
                    // as commands.
                    let line = self.frag.message_bytes().get(start..end).unwrap_or_default();
                    if let Some(mode) = number64::dropped_announcement(line) {
                        let tag = self.tag();
                        return Ok(self.refuse(mode, tag));
                    }
                    if end - start > self.limits.max_line || self.frag.message_bytes().len() > self.allowance {
                        let tag = self.tag();
                        let n = self.frag.message_bytes().len();
                        self.consumed(n);
                        self.reset();
                        return Ok(Incoming::Invalid { tag, known_command: false });
                    }
                    return Ok(self.decode());
                }
                Some(FragmentInfo::Literal { .. }) => {}
            }
        }
    }

    fn note_eight_bit(&mut self, start: usize, end: usize) {
        if !self.utf8 && self.frag.message_bytes().get(start..end).is_some_and(|line| !line.is_ascii()) {
            self.eight_bit = true;
        }
    }

    fn refuse(&mut self, mode: LiteralMode, tag: Option<String>) -> Incoming {
        match mode {
            LiteralMode::Sync => {
                // The client waits for `+` and sends nothing: safe to drop.
                let n = self.frag.message_bytes().len();
                self.consumed(n);
                self.frag.skip_message();
                self.allowance = self.limits.max_line;
                self.eight_bit = false;
                Incoming::LiteralRefused { tag }
            }
            LiteralMode::NonSync => {
                self.reset();
                Incoming::Abusive { tag }
            }
        }
    }

    fn reset(&mut self) {
        self.frag.skip_message();
        self.allowance = self.limits.max_line;
        self.eight_bit = false;
    }

    fn decode(&mut self) -> Incoming {
        self.allowance = self.limits.max_line;
        let n = self.frag.message_bytes().len();
        self.consumed(n);
        if std::mem::take(&mut self.eight_bit) {
            return Incoming::Invalid { tag: self.tag(), known_command: known_command(self.frag.message_bytes()) };
        }
        match self.frag.decode_message(&CommandCodec::default()) {
            Ok(command) => Incoming::Command(command.into_static()),
            Err(_) => {
                if self.extensions {
                    // RFC 9051's 63-bit numbers, clamped to what imap-codec
                    // reads (`number64`).
                    let clamped = number64::clamp(self.frag.message_bytes());
                    let message = clamped.as_deref().unwrap_or(self.frag.message_bytes());
                    if clamped.is_some()
                        && let Ok((rest, command)) = CommandCodec::default().decode(message)
                        && rest.is_empty()
                    {
                        return Incoming::Command(command.into_static());
                    }
                    if let Some((tag, command)) = super::ext::parse(message) {
                        return Incoming::Extended { tag, command };
                    }
                }
                Incoming::Invalid { tag: self.tag(), known_command: known_command(self.frag.message_bytes()) }
            }
        }
    }

    /// The next line as raw bytes (IDLE's DONE, an AUTHENTICATE response).
    /// None at end of stream; lines longer than the limit come back empty.
    pub async fn next_line<R: AsyncRead + Unpin>(&mut self, r: &mut R) -> std::io::Result<Option<Vec<u8>>> {
        loop {
            match self.frag.progress() {
                None => {
                    if self.frag.message_bytes().len() > self.allowance {
                        self.reset();
                        return Ok(Some(Vec::new()));
                    }
                    if !self.fill(r).await? {
                        return Ok(None);
                    }
                }
                Some(FragmentInfo::Line { announcement: None, .. }) => {
                    let bytes = self.frag.message_bytes().to_vec();
                    self.consumed(bytes.len());
                    self.allowance = self.limits.max_line;
                    return Ok(Some(bytes));
                }
                // A literal inside a continuation line is not something we
                // asked for: drop the whole message.
                Some(_) => {
                    if self.frag.is_message_complete() {
                        return Ok(Some(Vec::new()));
                    }
                    self.frag.poison_message();
                }
            }
        }
    }

    /// The client's answer to the `+ ` of an AUTHENTICATE without an
    /// initial response (RFC 3501 6.2.2): base64 data, or `*` to cancel.
    /// The caller has sent the `+ `.
    pub async fn sasl_response<R: AsyncRead + Unpin>(&mut self, r: &mut R) -> std::io::Result<SaslResponse> {
        let Some(line) = self.next_line(r).await? else { return Ok(SaslResponse::Closed) };
        // DONE is valid base64 but never a SASL response: a client that
        // took the continuation for IDLE's.
        if is_done(&line) {
            return Ok(SaslResponse::Malformed);
        }
        use imap_codec::decode::Decoder;
        Ok(match AuthenticateDataCodec::default().decode(&line).ok().map(|(_, d)| d) {
            Some(AuthenticateData::Continue(data)) => SaslResponse::Data(data.declassify().to_vec()),
            Some(AuthenticateData::Cancel) => SaslResponse::Cancelled,
            None => SaslResponse::Malformed,
        })
    }

    /// Whether bytes are still buffered (pipelined commands).
    pub fn has_buffered(&self) -> bool {
        !self.frag.message_bytes().is_empty()
    }
}

const COMMANDS: &[&str] = &[
    "CAPABILITY",
    "NOOP",
    "LOGOUT",
    "STARTTLS",
    "AUTHENTICATE",
    "LOGIN",
    "SELECT",
    "EXAMINE",
    "CREATE",
    "DELETE",
    "RENAME",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "LIST",
    "LSUB",
    "STATUS",
    "APPEND",
    "CHECK",
    "CLOSE",
    "EXPUNGE",
    "SEARCH",
    "FETCH",
    "STORE",
    "COPY",
    "MOVE",
    "UID",
    "IDLE",
    "ENABLE",
    "UNSELECT",
    "NAMESPACE",
    "ID",
];

/// A whole command given as bytes (a command with the saved result `$`
/// put in): imap-codec's syntax, else extension syntax.
pub fn decode_command(message: &[u8]) -> Incoming {
    use imap_codec::decode::Decoder;
    match CommandCodec::default().decode(message) {
        Ok(([], command)) => Incoming::Command(command.into_static()),
        _ => match super::ext::parse(message) {
            Some((tag, command)) => Incoming::Extended { tag, command },
            None => {
                let tag = message.split(|b| *b == b' ').next().map(|t| String::from_utf8_lossy(t).into_owned());
                Incoming::Invalid { tag, known_command: known_command(message) }
            }
        },
    }
}

/// Whether the word after the tag names a command we implement.
fn known_command(message: &[u8]) -> bool {
    let mut words = message.split(|b| *b == b' ' || *b == b'\r' || *b == b'\n').filter(|w| !w.is_empty());
    let _tag = words.next();
    words.next().is_some_and(|w| COMMANDS.iter().any(|c| c.as_bytes().eq_ignore_ascii_case(w)))
}

/// `DONE` (any case) ends IDLE.
pub fn is_done(line: &[u8]) -> bool {
    let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
    let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
    trimmed.eq_ignore_ascii_case(b"DONE")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8], limits: Limits) -> (Vec<Incoming>, Vec<u8>) {
        let mut reader = CommandReader::new(limits);
        let mut r = input;
        let mut w: Vec<u8> = Vec::new();
        let mut got = Vec::new();
        loop {
            let next = reader.next(&mut r, &mut w).await.expect("reading from memory works");
            let closed = matches!(next, Incoming::Closed);
            got.push(next);
            if closed {
                return (got, w);
            }
        }
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().build().expect("a test runtime")
    }

    const LIMITS: Limits = Limits { max_line: 100, max_literal: 10 };

    /// A size past imap-codec's 32 bits overflows its fragmentizer, which
    /// then sees no literal: refused all the same, before login too.
    #[test]
    fn a_literal_size_past_32_bits_is_refused() {
        let input = b"a1 LOGIN {4294967296}\r\nb1 NOOP\r\nc1 LOGIN {99999999999999999999+}\r\nd1 NOOP\r\n";
        let (got, w) = rt().block_on(read_all(input, LIMITS));
        assert!(matches!(&got[0], Incoming::LiteralRefused { tag: Some(t) } if t == "a1"), "{got:?}");
        assert!(matches!(&got[1], Incoming::Command(c) if c.tag.inner() == "b1"), "{got:?}");
        assert!(matches!(&got[2], Incoming::Abusive { tag: Some(t) } if t == "c1"), "{got:?}");
        assert!(w.is_empty(), "no continuation for a refused literal");
    }

    #[test]
    fn a_refused_literal_is_never_read_as_a_command() {
        let (got, w) = rt().block_on(read_all(b"a1 APPEND INBOX {20}\r\nb1 NOOP\r\n", LIMITS));
        assert!(matches!(&got[0], Incoming::LiteralRefused { tag: Some(t) } if t == "a1"));
        assert!(matches!(&got[1], Incoming::Command(c) if c.tag.inner() == "b1"));
        assert!(w.is_empty(), "no continuation for a refused literal");
    }

    #[test]
    fn an_accepted_literal_gets_a_continuation() {
        let (got, w) = rt().block_on(read_all(b"a1 LOGIN {3}\r\nbob pw\r\n", LIMITS));
        assert!(matches!(&got[0], Incoming::Command(c) if c.name() == "LOGIN"));
        assert_eq!(w, b"+ Ready for additional command text.\r\n");
    }

    #[test]
    fn literal_plus_is_read_without_continuation() {
        let (got, w) = rt().block_on(read_all(b"a1 LOGIN {3+}\r\nbob pw\r\n", LIMITS));
        assert!(matches!(&got[0], Incoming::Command(_)));
        assert!(w.is_empty());
    }

    #[test]
    fn garbage_and_long_lines_are_invalid() {
        let long = format!("a1 NOOP {}\r\nb2 NOOP\r\n", "x".repeat(200));
        let (got, _) = rt().block_on(read_all(long.as_bytes(), LIMITS));
        assert!(matches!(&got[0], Incoming::Abusive { .. } | Incoming::Invalid { .. }));
        let (got, _) = rt().block_on(read_all(b"\x00\xff garbage\r\nc3 NOOP\r\nc4 fetch x\r\n", LIMITS));
        assert!(matches!(&got[0], Incoming::Invalid { known_command: false, .. }));
        assert!(matches!(&got[2], Incoming::Invalid { known_command: true, .. }), "bad arguments of a known command");
        assert!(matches!(&got[1], Incoming::Command(c) if c.tag.inner() == "c3"));
    }

    #[test]
    fn pipelined_bytes_after_a_command_are_kept() {
        let rt = rt();
        let mut reader = CommandReader::new(LIMITS).tracking_leftover();
        let mut r: &[u8] = b"a1 LOGIN bob pw\r\na2 SELECT INBOX\r\na3 NO";
        let mut w: Vec<u8> = Vec::new();
        let first = rt.block_on(reader.next(&mut r, &mut w)).unwrap();
        assert!(matches!(first, Incoming::Command(c) if c.tag.inner() == "a1"));
        assert_eq!(reader.leftover(), b"a2 SELECT INBOX\r\na3 NO");
    }

    #[test]
    fn sasl_responses_are_data_cancel_or_malformed() {
        let rt = rt();
        let mut reader = CommandReader::new(LIMITS);
        let mut r: &[u8] = b"AGJvYgBwdw==\r\n*\r\nDONE\r\n!!\r\n";
        let mut next = || rt.block_on(reader.sasl_response(&mut r)).expect("reading from memory works");
        assert_eq!(next(), SaslResponse::Data(b"\0bob\0pw".to_vec()));
        assert_eq!(next(), SaslResponse::Cancelled);
        assert_eq!(next(), SaslResponse::Malformed, "DONE is not a SASL response");
        assert_eq!(next(), SaslResponse::Malformed);
        assert_eq!(next(), SaslResponse::Closed);
    }

    #[test]
    fn eight_bit_text_outside_literals_waits_for_utf8() {
        let input = "a1 SELECT \"Éléments\"\r\na2 APPEND x {4+}\r\né!\r\n".as_bytes();
        let (got, _) = rt().block_on(read_all(input, Limits { max_line: 100, max_literal: 100 }));
        assert!(matches!(&got[0], Incoming::Invalid { tag: Some(t), known_command: true } if t == "a1"));
        assert!(matches!(&got[1], Incoming::Command(c) if c.name() == "APPEND"), "8-bit literals always were fine");
        let rt = rt();
        let mut reader = CommandReader::new(Limits { max_line: 100, max_literal: 100 });
        reader.utf8 = true;
        let mut r: &[u8] = "a1 SELECT \"Éléments\"\r\n".as_bytes();
        let mut w: Vec<u8> = Vec::new();
        assert!(
            matches!(rt.block_on(reader.next(&mut r, &mut w)).unwrap(), Incoming::Command(c) if c.name() == "SELECT")
        );
    }

    #[test]
    fn a_huge_non_synchronizing_literal_closes() {
        let (got, _) = rt().block_on(read_all(b"a1 APPEND INBOX {999999+}\r\nxx", LIMITS));
        assert!(matches!(&got[0], Incoming::Abusive { tag: Some(t) } if t == "a1"));
    }
}
