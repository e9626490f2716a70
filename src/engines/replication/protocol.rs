//! The requests and answers of the Mailbox Replication service: one line
//! each, ASCII, CRLF-terminated; a file follows `IMPORT` and `OK` to
//! `EXPORT`, its length said first.

/// The longest line either side sends.
pub const MAX_LINE: usize = 512;

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
