//! A back end serves its own store's front end and nobody else. Both hold
//! the store's proxy key (`<store>.d/proxy.key`, 32 random bytes, 0600 in
//! a 0700 folder, so only the store's owner can read it), and every
//! connection to 127.0.0.1:ProxyTargetPort starts with a mutual proof of
//! it before a single protocol byte:
//!
//! ```text
//! back end  -> MAILSH-PROXY 1 <nonce_b>
//! front end -> <nonce_f> HMAC(key, "front-end" nonce_b nonce_f)
//! back end  -> HMAC(key, "back-end" nonce_b nonce_f)        then its greeting
//! ```
//!
//! Between servers (a back end with an address, `Setup -Address`) the
//! connection is TLS first, and both proofs also cover the TLS session's
//! exported keying material (RFC 5705), so a proof is good for that TLS
//! session only: whoever sits between the two ends (terminating TLS on
//! each side) cannot pass it on, and certificates need no checking. With
//! the directory on PostgreSQL the key is the organization's (every
//! server's front ends prove the same one to every server's back ends),
//! kept in the directory; a SQLite store keeps its own file.
//!
//! The prover says what it is by the label its proof covers: a front end
//! ("front-end") or another server's Transport service relaying mail
//! ("transport"), so a Transport knows a relayed message was categorized
//! already (its recipients resolved and forwarded where it was first
//! queued) without trusting anything the message says; a shell moving a
//! mailbox ("mailbox-replication") is the only one another server's
//! Mailbox Replication service serves.
//!
//! The key never crosses the wire, a recorded proof is useless on the next
//! connection (fresh nonces), and the front end checks the back end's proof
//! before it sends the client's credentials, so a process that took the
//! port while the back end was stopped learns nothing. A stranger (any
//! client that cannot prove the key) is answered with the protocol's
//! refusal and closed; nothing it sent reached the protocol, so LoginType,
//! the logon throttle and the connection limits, all enforced by the front
//! end, cannot be bypassed through the back end.

use std::io;
use std::path::Path;
use std::time::Duration;

use ring::hmac;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::store::private;

pub const KEY_FILE: &str = "proxy.key";
/// The organization's proxy key in the directory on PostgreSQL.
const KEY_SECRET: &str = "proxy-key";
/// RFC 5705's label for the keying material a TLS proof covers.
pub const EXPORTER_LABEL: &[u8] = b"EXPORTER-mailsh-proxy";
/// How many bytes of it.
pub const BINDING_LEN: usize = 32;
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 32;
const HELLO: &str = "MAILSH-PROXY 1 ";
/// The length of each handshake line with its CRLF: the challenge, the
/// front end's nonce and proof, the back end's proof (hex digits).
const HELLO_LINE: usize = HELLO.len() + 2 * NONCE_LEN + 2;
const FRONT_LINE: usize = 2 * NONCE_LEN + 1 + 2 * TAG_LEN + 2;
const BACK_LINE: usize = 2 * TAG_LEN + 2;
/// HMAC-SHA256.
const TAG_LEN: usize = 32;

/// What proved the key: the label its proof covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prover {
    /// A front end (IMAP4, POP3, the Frontend Transport).
    FrontEnd,
    /// A Transport service handing on mail it categorized.
    Transport,
    /// A shell moving a mailbox to or from another server's database
    /// (the Mailbox Replication service serves nobody else).
    Replication,
}

impl Prover {
    fn label(self) -> &'static [u8] {
        match self {
            Prover::FrontEnd => b"front-end",
            Prover::Transport => b"transport",
            Prover::Replication => b"mailbox-replication",
        }
    }
}

/// How long a back end waits for a connection's proof.
pub const PROOF_DEADLINE: Duration = Duration::from_secs(2);

pub struct ProxyKey {
    key: hmac::Key,
}

/// Why a handshake did not complete.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the other side did not prove it holds this store's proxy key")]
    NotProven,
}

impl ProxyKey {
    /// The store's key, created on first use. Two engines starting at once
    /// agree on one key: it is written to a temporary file and linked into
    /// place, which fails for the second.
    pub fn load_or_create(state_dir: &Path) -> io::Result<ProxyKey> {
        let path = state_dir.join(KEY_FILE);
        for _ in 0..3 {
            match std::fs::read(&path) {
                Ok(bytes) if bytes.len() == KEY_LEN => return Ok(ProxyKey::from_bytes(&bytes)),
                Ok(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is damaged; delete it and restart the services of both ends", path.display()),
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            let mut secret = [0u8; KEY_LEN];
            crate::store::fill_random(&mut secret);
            let tmp = state_dir.join(format!("{KEY_FILE}.{}.tmp", std::process::id()));
            private::create_dir_all(state_dir)?;
            {
                use std::io::Write;
                let mut f = private::options().create(true).write(true).truncate(true).open(&tmp)?;
                f.write_all(&secret)?;
                f.sync_all()?;
            }
            let linked = std::fs::hard_link(&tmp, &path);
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => return Ok(ProxyKey::from_bytes(&secret)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(format!("{} could not be created", path.display())))
    }

    pub fn from_bytes(bytes: &[u8]) -> ProxyKey {
        ProxyKey { key: hmac::Key::new(hmac::HMAC_SHA256, bytes) }
    }

    /// The key of the organization `store` belongs to: the directory's on
    /// PostgreSQL (made by the first server that needs it), else the file
    /// in `state_dir`.
    pub fn for_store(store: &mut crate::store::Store, state_dir: &Path) -> io::Result<ProxyKey> {
        let made = || {
            let mut secret = [0u8; KEY_LEN];
            crate::store::fill_random(&mut secret);
            hex(&secret)
        };
        match store.organization_secret(KEY_SECRET, made).map_err(io::Error::other)? {
            None => ProxyKey::load_or_create(state_dir),
            Some(text) => match unhex(&text).filter(|b| b.len() == KEY_LEN) {
                Some(bytes) => Ok(ProxyKey::from_bytes(&bytes)),
                None => Err(io::Error::new(io::ErrorKind::InvalidData, "the directory's proxy key is damaged")),
            },
        }
    }

    fn tag(&self, side: &[u8], nonce_b: &[u8], nonce_f: &[u8], binding: &[u8]) -> hmac::Tag {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(side);
        ctx.update(nonce_b);
        ctx.update(nonce_f);
        ctx.update(binding);
        ctx.sign()
    }

    fn verify(&self, side: &[u8], nonce_b: &[u8], nonce_f: &[u8], binding: &[u8], proof: &[u8]) -> bool {
        let mut message = Vec::with_capacity(side.len() + 2 * NONCE_LEN + binding.len());
        message.extend_from_slice(side);
        message.extend_from_slice(nonce_b);
        message.extend_from_slice(nonce_f);
        message.extend_from_slice(binding);
        // Constant-time comparison.
        hmac::verify(&self.key, &message, proof).is_ok()
    }
}

/// The back end's side: challenge, check the proof, prove itself; says
/// what proved it. The caller bounds it in time (`PROOF_DEADLINE`).
/// `binding`: the TLS session's exported keying material, or empty on
/// loopback.
pub async fn admit<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    key: &ProxyKey,
    binding: &[u8],
) -> Result<Prover, HandshakeError> {
    let mut nonce_b = [0u8; NONCE_LEN];
    crate::store::fill_random(&mut nonce_b);
    stream.write_all(format!("{HELLO}{}\r\n", hex(&nonce_b)).as_bytes()).await?;
    stream.flush().await?;
    let line = read_line(stream, FRONT_LINE).await?;
    let text = std::str::from_utf8(&line).map_err(|_| HandshakeError::NotProven)?;
    let mut words = text.split(' ');
    let (Some(nonce_f), Some(proof), None) = (words.next().and_then(unhex), words.next().and_then(unhex), words.next())
    else {
        return Err(HandshakeError::NotProven);
    };
    if nonce_f.len() != NONCE_LEN {
        return Err(HandshakeError::NotProven);
    }
    let prover = [Prover::FrontEnd, Prover::Transport, Prover::Replication]
        .into_iter()
        .find(|p| key.verify(p.label(), &nonce_b, &nonce_f, binding, &proof))
        .ok_or(HandshakeError::NotProven)?;
    let mine = key.tag(b"back-end", &nonce_b, &nonce_f, binding);
    stream.write_all(format!("{}\r\n", hex(mine.as_ref())).as_bytes()).await?;
    stream.flush().await?;
    Ok(prover)
}

/// The front end's side: answer the challenge and check the back end's
/// proof before anything else is sent. `binding` as for `admit`.
pub async fn prove<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    key: &ProxyKey,
    binding: &[u8],
) -> Result<(), HandshakeError> {
    prove_as(stream, key, binding, Prover::FrontEnd).await
}

/// `prove`, saying what proves it.
pub async fn prove_as<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    key: &ProxyKey,
    binding: &[u8],
    prover: Prover,
) -> Result<(), HandshakeError> {
    let line = read_line(stream, HELLO_LINE).await?;
    let nonce_b = std::str::from_utf8(&line)
        .ok()
        .and_then(|l| l.strip_prefix(HELLO))
        .and_then(unhex)
        .filter(|n| n.len() == NONCE_LEN)
        .ok_or(HandshakeError::NotProven)?;
    let mut nonce_f = [0u8; NONCE_LEN];
    crate::store::fill_random(&mut nonce_f);
    let proof = key.tag(prover.label(), &nonce_b, &nonce_f, binding);
    stream.write_all(format!("{} {}\r\n", hex(&nonce_f), hex(proof.as_ref())).as_bytes()).await?;
    stream.flush().await?;
    let answer = read_line(stream, BACK_LINE).await?;
    let theirs = std::str::from_utf8(&answer).ok().and_then(unhex).ok_or(HandshakeError::NotProven)?;
    if key.verify(b"back-end", &nonce_b, &nonce_f, binding, &theirs) { Ok(()) } else { Err(HandshakeError::NotProven) }
}

/// One line of at most `len` bytes (its CRLF included), returned without
/// its CRLF. The peer sends exactly `len`; reading no further than that
/// leaves what follows (the greeting, the client's first command) in the
/// stream, and reading up to it at once costs one system call, not one per
/// byte. A shorter line (a stranger's) ends at its newline.
async fn read_line<S: AsyncRead + Unpin>(stream: &mut S, len: usize) -> Result<Vec<u8>, HandshakeError> {
    let mut line = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        let n = stream.read(&mut line[filled..]).await?;
        if n == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
        }
        let newline = line[filled..filled + n].iter().position(|&b| b == b'\n');
        filled += n;
        if let Some(at) = newline {
            line.truncate(filled - n + at + 1);
            break;
        }
    }
    if !line.ends_with(b"\r\n") {
        return Err(HandshakeError::NotProven);
    }
    line.truncate(line.len() - 2);
    Ok(line)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn both_ends_with_the_key_agree_and_leave_the_stream_at_the_protocol() {
        let key = ProxyKey::from_bytes(&[7; 32]);
        let same = ProxyKey::from_bytes(&[7; 32]);
        let (mut fe, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move {
            let prover = admit(&mut be, &same, b"").await.expect("the front end proved the key");
            assert_eq!(prover, Prover::FrontEnd);
            be.write_all(b"* OK greeting\r\n").await.expect("greeting");
            be
        });
        prove(&mut fe, &key, b"").await.expect("the back end proved the key");
        let mut greeting = [0u8; 15];
        fe.read_exact(&mut greeting).await.expect("read");
        assert_eq!(&greeting, b"* OK greeting\r\n");
        back.await.expect("joined");
    }

    #[tokio::test]
    async fn a_stranger_or_a_wrong_key_is_refused_by_either_end() {
        let key = ProxyKey::from_bytes(&[7; 32]);
        let other = ProxyKey::from_bytes(&[8; 32]);
        // A client speaking IMAP at the back-end port.
        let (mut client, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move { admit(&mut be, &ProxyKey::from_bytes(&[7; 32]), b"").await });
        let mut hello = vec![0u8; HELLO.len()];
        client.read_exact(&mut hello).await.expect("challenge");
        client.write_all(b"a LOGIN bob@contoso.com P@ssw0rd!\r\n").await.expect("write");
        assert!(matches!(back.await.expect("joined"), Err(HandshakeError::NotProven)));
        // A front end with another store's key.
        let (mut fe, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move { admit(&mut be, &other, b"").await });
        assert!(prove(&mut fe, &key, b"").await.is_err());
        assert!(matches!(back.await.expect("joined"), Err(HandshakeError::NotProven)));
    }

    /// Whoever sits between two servers terminates TLS on each side, so
    /// each side exports other keying material: the proof of one session
    /// does not hold in the other, and neither end goes on.
    #[tokio::test]
    async fn a_proof_is_good_for_its_own_tls_session_only() {
        let key = ProxyKey::from_bytes(&[7; 32]);
        let (mut fe, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move { admit(&mut be, &ProxyKey::from_bytes(&[7; 32]), &[1; 32]).await });
        assert!(prove(&mut fe, &key, &[2; 32]).await.is_err());
        assert!(matches!(back.await.expect("joined"), Err(HandshakeError::NotProven)));
        // The same session on both ends: proven.
        let (mut fe, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move { admit(&mut be, &ProxyKey::from_bytes(&[7; 32]), &[3; 32]).await });
        prove(&mut fe, &key, &[3; 32]).await.expect("proven");
        back.await.expect("joined").expect("proven");
    }

    /// A Transport's proof says so; a prover cannot pass for the other by
    /// replaying the same proof under the other label.
    #[tokio::test]
    async fn the_back_end_learns_whether_a_front_end_or_a_transport_proved_the_key() {
        let key = ProxyKey::from_bytes(&[7; 32]);
        let (mut fe, mut be) = tokio::io::duplex(1024);
        let back = tokio::spawn(async move { admit(&mut be, &ProxyKey::from_bytes(&[7; 32]), b"").await });
        prove_as(&mut fe, &key, b"", Prover::Transport).await.expect("proven");
        assert_eq!(back.await.expect("joined").expect("proven"), Prover::Transport);
        let nonce = [1u8; NONCE_LEN];
        let tag = key.tag(Prover::Transport.label(), &nonce, &nonce, b"");
        assert!(!key.verify(Prover::FrontEnd.label(), &nonce, &nonce, b"", tag.as_ref()));
    }

    #[test]
    fn the_key_file_is_created_once_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let state = dir.path().join("config.db.d");
        let a = ProxyKey::load_or_create(&state).expect("created");
        let b = ProxyKey::load_or_create(&state).expect("read back");
        let nonce = [1u8; NONCE_LEN];
        assert_eq!(a.tag(b"x", &nonce, &nonce, b"").as_ref(), b.tag(b"x", &nonce, &nonce, b"").as_ref());
        let mode = std::fs::metadata(state.join(KEY_FILE)).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
