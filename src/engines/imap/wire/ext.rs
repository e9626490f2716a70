//! Command syntax of extensions imap-codec 2.0.0-alpha.10 does not parse:
//! ESEARCH's `SEARCH RETURN (...)` (RFC 4731), SPECIAL-USE's `CREATE name
//! (USE (...))` (RFC 6154 5.2), LIST-EXTENDED's selection and return options
//! with LIST-STATUS (RFC 5258, RFC 5819) and MULTIAPPEND (RFC 3502). Only
//! the back end (after login) reads them: a command imap-codec refused is
//! tried here before it is answered BAD. Where the rest of a command is
//! plain IMAP4rev1 (SEARCH's criteria), it is handed back to imap-codec.

use imap_codec::imap_types::command::Command;
use imap_codec::imap_types::status::StatusDataItemName;
use imap_codec::{CommandCodec, decode::Decoder};

use imap_codec::imap_types::IntoStatic;

/// A command in extension syntax.
#[derive(Debug, Clone)]
pub enum ExtCommand {
    /// SEARCH / UID SEARCH with RETURN options (upper-cased names).
    Search { search: Command<'static>, returns: Vec<String> },
    /// CREATE with special-use attributes (`\Sent`...).
    Create { mailbox: Vec<u8>, special_use: Vec<String> },
    /// LIST with selection options, several patterns, return options.
    List { selection: Vec<String>, reference: Vec<u8>, patterns: Vec<Vec<u8>>, returns: ListReturns },
    /// APPEND of several messages.
    MultiAppend { mailbox: Vec<u8>, messages: Vec<AppendMessage> },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListReturns {
    pub subscribed: bool,
    pub children: bool,
    pub special_use: bool,
    /// LIST-STATUS items.
    pub status: Option<Vec<StatusDataItemName>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage {
    pub flags: Vec<String>,
    /// The date-time as sent (`17-Jul-1996 02:44:25 -0700`).
    pub date: Option<String>,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Atom(Vec<u8>),
    Str(Vec<u8>),
    Open,
    Close,
}

/// Splits a command (its literals inline, as the fragmentizer gives them)
/// into tokens; None on anything malformed.
fn tokens(message: &[u8]) -> Option<Vec<(usize, Token)>> {
    let mut out = Vec::new();
    let mut i = 0;
    let end = if message.ends_with(b"\r\n") { message.len() - 2 } else { message.len() };
    while i < end {
        let start = i;
        match message[i] {
            b' ' => i += 1,
            b'(' => {
                out.push((start, Token::Open));
                i += 1;
            }
            b')' => {
                out.push((start, Token::Close));
                i += 1;
            }
            b'"' => {
                let mut s = Vec::new();
                i += 1;
                loop {
                    match *message.get(i)? {
                        b'\\' => {
                            s.push(*message.get(i + 1)?);
                            i += 2;
                        }
                        b'"' => {
                            i += 1;
                            break;
                        }
                        c => {
                            s.push(c);
                            i += 1;
                        }
                    }
                }
                out.push((start, Token::Str(s)));
            }
            b'{' | b'~' => {
                let open = if message[i] == b'~' { i + 1 } else { i };
                if message.get(open) != Some(&b'{') {
                    return None;
                }
                let close = open + message[open..].iter().position(|b| *b == b'}')?;
                let n: usize =
                    std::str::from_utf8(&message[open + 1..close]).ok()?.trim_end_matches('+').parse().ok()?;
                let data_start = close + 3;
                if message.get(close + 1..close + 3) != Some(b"\r\n") || data_start + n > message.len() {
                    return None;
                }
                out.push((start, Token::Str(message[data_start..data_start + n].to_vec())));
                i = data_start + n;
            }
            _ => {
                let mut j = i;
                // `[` ... `]` may hold spaces in BODY[...]: not in the
                // commands parsed here.
                while j < end && !matches!(message[j], b' ' | b'(' | b')') {
                    j += 1;
                }
                out.push((start, Token::Atom(message[i..j].to_vec())));
                i = j;
            }
        }
    }
    Some(out)
}

fn word(t: &Token) -> Option<String> {
    match t {
        Token::Atom(a) => Some(String::from_utf8_lossy(a).to_ascii_uppercase()),
        _ => None,
    }
}

fn astring(t: &Token) -> Option<Vec<u8>> {
    match t {
        Token::Atom(a) | Token::Str(a) => Some(a.clone()),
        _ => None,
    }
}

/// A parenthesized list of atoms starting at `toks[*at]` (the `(`).
fn atom_list(toks: &[(usize, Token)], at: &mut usize) -> Option<Vec<String>> {
    if toks.get(*at)?.1 != Token::Open {
        return None;
    }
    *at += 1;
    let mut out = Vec::new();
    loop {
        match &toks.get(*at)?.1 {
            Token::Close => {
                *at += 1;
                return Some(out);
            }
            Token::Atom(a) => out.push(String::from_utf8_lossy(a).into_owned()),
            _ => return None,
        }
        *at += 1;
    }
}

/// The extension command in `message`, if it is one.
pub fn parse(message: &[u8]) -> Option<(String, ExtCommand)> {
    let toks = tokens(message)?;
    let tag = String::from_utf8(astring(&toks.first()?.1)?).ok()?;
    let mut at = 1;
    let mut name = word(&toks.get(at)?.1)?;
    if name == "UID" {
        at += 1;
        name = word(&toks.get(at)?.1)?;
    }
    at += 1;
    let command = match name.as_str() {
        "SEARCH" => search(message, &toks, at)?,
        "CREATE" => create(&toks, at)?,
        "LIST" => list(&toks, at)?,
        "APPEND" => append(&toks, at)?,
        _ => return None,
    };
    Some((tag, command))
}

/// `RETURN (opts)` right after SEARCH (RFC 4731 3); the rest to imap-codec.
fn search(message: &[u8], toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    if word(&toks.get(at)?.1)? != "RETURN" {
        return None;
    }
    let cut_from = toks[at].0;
    at += 1;
    let returns: Vec<String> = atom_list(toks, &mut at)?.iter().map(|s| s.to_ascii_uppercase()).collect();
    let cut_to = toks.get(at).map(|t| t.0).unwrap_or(message.len());
    let mut rebuilt = message[..cut_from].to_vec();
    rebuilt.extend_from_slice(&message[cut_to..]);
    let (_, command) = CommandCodec::default().decode(&rebuilt).ok()?;
    Some(ExtCommand::Search { search: command.into_static(), returns })
}

/// `CREATE name (USE (\Sent ...))`.
fn create(toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    let mailbox = astring(&toks.get(at)?.1)?;
    at += 1;
    if toks.get(at)?.1 != Token::Open {
        return None;
    }
    at += 1;
    if word(&toks.get(at)?.1)? != "USE" {
        return None;
    }
    at += 1;
    let special_use = atom_list(toks, &mut at)?;
    if toks.get(at)?.1 != Token::Close || at + 1 != toks.len() {
        return None;
    }
    Some(ExtCommand::Create { mailbox, special_use })
}

/// `LIST [(selection)] reference (pattern / (patterns)) [RETURN (options)]`.
fn list(toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    let mut selection = Vec::new();
    if toks.get(at)?.1 == Token::Open {
        selection = atom_list(toks, &mut at)?.iter().map(|s| s.to_ascii_uppercase()).collect();
    }
    let reference = astring(&toks.get(at)?.1)?;
    at += 1;
    let mut patterns = Vec::new();
    if toks.get(at)?.1 == Token::Open {
        at += 1;
        while toks.get(at)?.1 != Token::Close {
            patterns.push(astring(&toks.get(at)?.1)?);
            at += 1;
        }
        at += 1;
    } else {
        patterns.push(astring(&toks.get(at)?.1)?);
        at += 1;
    }
    let mut returns = ListReturns::default();
    if at < toks.len() {
        if word(&toks[at].1)? != "RETURN" {
            return None;
        }
        at += 1;
        if toks.get(at)?.1 != Token::Open {
            return None;
        }
        at += 1;
        while toks.get(at)?.1 != Token::Close {
            match word(&toks[at].1)?.as_str() {
                "SUBSCRIBED" => returns.subscribed = true,
                "CHILDREN" => returns.children = true,
                "SPECIAL-USE" => returns.special_use = true,
                "STATUS" => {
                    at += 1;
                    let items = atom_list(toks, &mut at)?;
                    let mut parsed = Vec::new();
                    for i in items {
                        parsed.push(match i.to_ascii_uppercase().as_str() {
                            "MESSAGES" => StatusDataItemName::Messages,
                            "RECENT" => StatusDataItemName::Recent,
                            "UIDNEXT" => StatusDataItemName::UidNext,
                            "UIDVALIDITY" => StatusDataItemName::UidValidity,
                            "UNSEEN" => StatusDataItemName::Unseen,
                            "DELETED" => StatusDataItemName::Deleted,
                            "SIZE" => StatusDataItemName::Size,
                            "HIGHESTMODSEQ" => StatusDataItemName::HighestModSeq,
                            _ => return None,
                        });
                    }
                    returns.status = Some(parsed);
                    continue;
                }
                _ => return None,
            }
            at += 1;
        }
        if at + 1 != toks.len() {
            return None;
        }
    }
    // Plain LIST (no option, one pattern) is imap-codec's.
    if selection.is_empty() && patterns.len() == 1 && returns == ListReturns::default() && at == toks.len() {
        return None;
    }
    Some(ExtCommand::List { selection, reference, patterns, returns })
}

/// `APPEND mailbox 1*([flags] [date] literal)`, more than one message.
fn append(toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    let mailbox = astring(&toks.get(at)?.1)?;
    at += 1;
    let mut messages = Vec::new();
    while at < toks.len() {
        let mut flags = Vec::new();
        if toks[at].1 == Token::Open {
            flags = atom_list(toks, &mut at)?;
        }
        let mut date = None;
        if let (Token::Str(d), Some((_, Token::Str(_)))) = (&toks.get(at)?.1, toks.get(at + 1)) {
            date = Some(String::from_utf8(d.clone()).ok()?);
            at += 1;
        }
        let Token::Str(data) = &toks.get(at)?.1 else { return None };
        messages.push(AppendMessage { flags, date, data: data.clone() });
        at += 1;
    }
    (messages.len() > 1).then_some(ExtCommand::MultiAppend { mailbox, messages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_commands_parse() {
        let (tag, c) = parse(b"a1 UID SEARCH RETURN (MIN count) UNSEEN FROM \"x y\"\r\n").unwrap();
        assert_eq!(tag, "a1");
        let ExtCommand::Search { search, returns } = c else { panic!() };
        assert_eq!(returns, ["MIN", "COUNT"]);
        assert!(matches!(search.body, imap_codec::imap_types::command::CommandBody::Search { uid: true, .. }));
        let (_, c) = parse(b"a2 CREATE \"My Sent\" (USE (\\Sent))\r\n").unwrap();
        assert!(
            matches!(c, ExtCommand::Create { ref mailbox, ref special_use } if mailbox == b"My Sent" && special_use == &["\\Sent"])
        );
        let (_, c) =
            parse(b"a3 LIST (SUBSCRIBED) \"\" (\"INBOX\" \"%\") RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))\r\n")
                .unwrap();
        let ExtCommand::List { selection, patterns, returns, .. } = c else { panic!() };
        assert_eq!(selection, ["SUBSCRIBED"]);
        assert_eq!(patterns, [b"INBOX".to_vec(), b"%".to_vec()]);
        assert!(returns.children);
        assert_eq!(returns.status, Some(vec![StatusDataItemName::Messages, StatusDataItemName::UidNext]));
        assert!(parse(b"a4 LIST \"\" \"*\"\r\n").is_none(), "plain LIST stays imap-codec's");
        let (_, c) =
            parse(b"a5 APPEND INBOX (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {3}\r\nabc {2+}\r\nde\r\n").unwrap();
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].flags, ["\\Seen"]);
        assert_eq!(messages[0].date.as_deref(), Some("17-Jul-1996 02:44:25 -0700"));
        assert_eq!((messages[0].data.as_slice(), messages[1].data.as_slice()), (&b"abc"[..], &b"de"[..]));
        assert!(parse(b"a6 APPEND INBOX {3}\r\nabc\r\n").is_none(), "one message is imap-codec's");
        assert!(parse(b"a7 SEARCH RETURN (MIN\r\n").is_none());
        assert!(parse(b"a8 CREATE x (USE (\\Sent)) extra\r\n").is_none());
    }
}
