//! The requests and answers of the Mailbox Replication service: one line
//! each, ASCII, CRLF-terminated; a file follows `IMPORT` and `OK` to
//! `EXPORT`, its length said first.

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The longest line either side sends.
pub const MAX_LINE: usize = 512;

/// The pieces a file crosses in.
const PIECE: usize = 64 * 1024;

/// Sends `head` (the line that says the length), then the file at `path`,
/// a piece at a time (read on this thread: a page of a local file, never
/// the whole of it in memory). Fails if the file is not `length` long.
pub async fn send_file<W: AsyncWrite + Unpin>(
    out: &mut W,
    head: &str,
    path: &Path,
    length: u64,
) -> std::io::Result<()> {
    let mut file = std::fs::File::open(path)?;
    out.write_all(head.as_bytes()).await?;
    let mut buffer = vec![0u8; PIECE];
    let mut sent = 0u64;
    while sent < length {
        let n = std::io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            break;
        }
        let n = n.min(usize::try_from(length - sent).unwrap_or(usize::MAX));
        out.write_all(&buffer[..n]).await?;
        sent += n as u64;
    }
    out.flush().await?;
    if sent == length {
        Ok(())
    } else {
        Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the file shrank while it was sent"))
    }
}

/// Reads exactly `length` bytes into a new private file at `path`, each
/// piece within `idle`, and syncs it.
pub async fn receive_file<R: AsyncRead + Unpin>(
    from: &mut R,
    length: u64,
    path: &Path,
    idle: Duration,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        crate::store::private::create_dir_all(parent)?;
    }
    let mut into = crate::store::private::options().create(true).write(true).truncate(true).open(path)?;
    let mut buffer = vec![0u8; PIECE];
    let mut left = length;
    while left > 0 {
        let want = buffer.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = tokio::time::timeout(idle, from.read(&mut buffer[..want]))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        }
        std::io::Write::write_all(&mut into, &buffer[..n])?;
        left -= n as u64;
    }
    into.sync_all()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The mailbox `mailbox` of this server's database `database`, as a
    /// database file holding it alone.
    Export { database: String, mailbox: String },
    /// That file (`length` bytes follow) copied into `database`.
    Import { database: String, mailbox: String, length: u64 },
    /// The mailbox deleted from `database` (the source, after the switch).
    Remove { database: String, mailbox: String },
}

/// A GUID as the directory writes them: hex digits and hyphens. Anything
/// else is no database or mailbox, and never reaches a lookup.
fn guid(word: &str) -> Option<String> {
    let fits = !word.is_empty() && word.len() <= 64 && word.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    fits.then(|| word.to_ascii_lowercase())
}

impl Request {
    pub fn parse(line: &str) -> Option<Request> {
        let words: Vec<&str> = line.trim_end_matches(['\r', '\n']).split(' ').collect();
        match words.as_slice() {
            ["EXPORT", d, m] => Some(Request::Export { database: guid(d)?, mailbox: guid(m)? }),
            ["IMPORT", d, m, n] => {
                Some(Request::Import { database: guid(d)?, mailbox: guid(m)?, length: n.parse().ok()? })
            }
            ["REMOVE", d, m] => Some(Request::Remove { database: guid(d)?, mailbox: guid(m)? }),
            _ => None,
        }
    }

    pub fn line(&self) -> String {
        match self {
            Request::Export { database, mailbox } => format!("EXPORT {database} {mailbox}\r\n"),
            Request::Import { database, mailbox, length } => format!("IMPORT {database} {mailbox} {length}\r\n"),
            Request::Remove { database, mailbox } => format!("REMOVE {database} {mailbox}\r\n"),
        }
    }
}

/// The answer to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// What the copy carried; after `EXPORT`, the file's length (its bytes
    /// follow).
    Ok {
        items: i64,
        bytes: i64,
        length: Option<u64>,
    },
    Err(String),
}

impl Reply {
    pub fn parse(line: &str) -> Option<Reply> {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(why) = line.strip_prefix("ERR ") {
            return Some(Reply::Err(why.to_string()));
        }
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["OK", items, bytes] => {
                Some(Reply::Ok { items: items.parse().ok()?, bytes: bytes.parse().ok()?, length: None })
            }
            ["OK", items, bytes, length] => Some(Reply::Ok {
                items: items.parse().ok()?,
                bytes: bytes.parse().ok()?,
                length: Some(length.parse().ok()?),
            }),
            _ => None,
        }
    }

    pub fn line(&self) -> String {
        match self {
            Reply::Ok { items, bytes, length: None } => format!("OK {items} {bytes}\r\n"),
            Reply::Ok { items, bytes, length: Some(n) } => format!("OK {items} {bytes} {n}\r\n"),
            // One line, whatever the reason held.
            Reply::Err(why) => format!("ERR {}\r\n", why.replace(['\r', '\n'], " ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_read_back_as_written_and_nothing_else_is_taken() {
        let all = [
            Request::Export { database: "ab-12".into(), mailbox: "cd".into() },
            Request::Import { database: "ab".into(), mailbox: "cd".into(), length: 4096 },
            Request::Remove { database: "ab".into(), mailbox: "cd".into() },
        ];
        for r in all {
            assert_eq!(Request::parse(&r.line()), Some(r));
        }
        for bad in ["EXPORT ab", "EXPORT ../x cd", "IMPORT ab cd -1", "export ab cd", "REMOVE ab cd ef", ""] {
            assert_eq!(Request::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Request::parse("EXPORT AB CD\r\n"),
            Some(Request::Export { database: "ab".into(), mailbox: "cd".into() })
        );
        let replies = [
            Reply::Ok { items: 3, bytes: 900, length: Some(12288) },
            Reply::Ok { items: 0, bytes: 0, length: None },
            Reply::Err("The database 'DB02' is not mounted.".into()),
        ];
        for r in replies {
            assert_eq!(Reply::parse(&r.line()), Some(r));
        }
        assert_eq!(Reply::Err("two\r\nlines".into()).line(), "ERR two  lines\r\n");
        assert_eq!(Reply::parse("OK x 1"), None);
    }
}
