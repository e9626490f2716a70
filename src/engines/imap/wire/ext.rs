//! Command syntax of extensions imap-codec 2.0.0-alpha.10 does not parse:
//! ESEARCH's `SEARCH RETURN (...)` (RFC 4731), SPECIAL-USE's `CREATE name
//! (USE (...))` (RFC 6154 5.2), LIST-EXTENDED's selection and return options
//! with LIST-STATUS (RFC 5258, RFC 5819), MULTIAPPEND (RFC 3502), APPEND
//! data as `UTF8 (literal8)` (RFC 6855 4) or `CATENATE (...)` (RFC 4469),
//! and any command naming the saved search result `$` (RFC 5182). Only
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
    /// SEARCH / UID SEARCH, or SORT / UID SORT (ESORT, RFC 5267 3), with
    /// RETURN options (upper-cased names).
    Search { search: Command<'static>, returns: Vec<String> },
    /// CREATE with special-use attributes (`\Sent`...).
    Create { mailbox: Vec<u8>, special_use: Vec<String> },
    /// LIST with selection options, several patterns, return options.
    List { selection: Vec<String>, reference: Vec<u8>, patterns: Vec<Vec<u8>>, returns: ListReturns },
    /// APPEND of several messages.
    MultiAppend { mailbox: Vec<u8>, messages: Vec<AppendMessage> },
    /// STATUS with RFC 7889's APPENDLIMIT among its items.
    Status { mailbox: Vec<u8>, items: Vec<StatusItem> },
    /// A command naming the saved search result `$` (SEARCHRES, RFC 5182,
    /// RFC 9051 6.4.4.1): the session puts the set in and reads it again.
    Dollar { message: Vec<u8>, marks: Vec<DollarMark> },
}

/// Where a `$` stands in a command, and whether it means UIDs there (the
/// set of a UID command, or a `UID $` search key) or message numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DollarMark {
    pub at: usize,
    pub uid: bool,
}

/// `message` with each `$` replaced by the set the session holds for it
/// (`seqs` where it means message numbers, `uids` where UIDs).
pub fn put_dollar(message: &[u8], marks: &[DollarMark], seqs: &str, uids: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + seqs.len().max(uids.len()) * marks.len());
    let mut from = 0;
    for m in marks {
        out.extend_from_slice(&message[from..m.at]);
        out.extend_from_slice(if m.uid { uids.as_bytes() } else { seqs.as_bytes() });
        from = m.at + 1;
    }
    out.extend_from_slice(&message[from..]);
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListReturns {
    pub subscribed: bool,
    pub children: bool,
    pub special_use: bool,
    /// LIST-STATUS items.
    pub status: Option<Vec<StatusItem>>,
}

/// A STATUS data item: one imap-codec reads, or RFC 7889's APPENDLIMIT,
/// which it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusItem {
    Codec(StatusDataItemName),
    AppendLimit,
}

/// STATUS item names as sent; None when one is unknown.
fn status_items(names: Vec<String>) -> Option<Vec<StatusItem>> {
    let mut parsed = Vec::new();
    for i in names {
        parsed.push(StatusItem::Codec(match i.to_ascii_uppercase().as_str() {
            "MESSAGES" => StatusDataItemName::Messages,
            "RECENT" => StatusDataItemName::Recent,
            "UIDNEXT" => StatusDataItemName::UidNext,
            "UIDVALIDITY" => StatusDataItemName::UidValidity,
            "UNSEEN" => StatusDataItemName::Unseen,
            "DELETED" => StatusDataItemName::Deleted,
            "SIZE" => StatusDataItemName::Size,
            "HIGHESTMODSEQ" => StatusDataItemName::HighestModSeq,
            "APPENDLIMIT" => {
                parsed.push(StatusItem::AppendLimit);
                continue;
            }
            _ => return None,
        }));
    }
    Some(parsed)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage {
    pub flags: Vec<String>,
    /// The date-time as sent (`17-Jul-1996 02:44:25 -0700`).
    pub date: Option<String>,
    /// The message (a literal, or RFC 6855's `UTF8 (literal8)`); empty for
    /// CATENATE.
    pub data: Vec<u8>,
    /// CATENATE's parts (RFC 4469 5), in order.
    pub catenate: Option<Vec<CatPart>>,
}

/// One part of a CATENATE (RFC 4469 5): text as sent, or an IMAP URL naming
/// a message or part on this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatPart {
    Text(Vec<u8>),
    Url(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Atom(Vec<u8>),
    /// A quoted string.
    Str(Vec<u8>),
    /// A literal (`{n}`, `~{n}`): message data must be one.
    Lit(Vec<u8>),
    Open,
    Close,
}

/// Splits a command (its literals inline, as the fragmentizer gives them)
/// into tokens; None on anything malformed.
pub(super) fn tokens(message: &[u8]) -> Option<Vec<(usize, Token)>> {
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
                out.push((start, Token::Lit(message[data_start..data_start + n].to_vec())));
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
        Token::Atom(a) | Token::Str(a) | Token::Lit(a) => Some(a.clone()),
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
    let uid_command = name == "UID";
    if uid_command {
        at += 1;
        name = word(&toks.get(at)?.1)?;
    }
    at += 1;
    if let Some(marks) = dollar_marks(&toks, at, &name, uid_command) {
        return Some((tag, ExtCommand::Dollar { message: message.to_vec(), marks }));
    }
    let command = match name.as_str() {
        "SEARCH" | "SORT" => search(message, &toks, at)?,
        "CREATE" => create(&toks, at)?,
        "LIST" => list(&toks, at)?,
        "APPEND" => append(&toks, at)?,
        "STATUS" => status(&toks, at)?,
        _ => return None,
    };
    Some((tag, command))
}

/// The `$` atoms of a command, if any. The set argument of FETCH, STORE,
/// COPY, MOVE and EXPUNGE means UIDs under UID; in SEARCH criteria `$` is a
/// set of message numbers and `UID $` one of UIDs (RFC 5182 2.1).
fn dollar_marks(toks: &[(usize, Token)], first_arg: usize, name: &str, uid_command: bool) -> Option<Vec<DollarMark>> {
    let set_first = matches!(name, "FETCH" | "STORE" | "COPY" | "MOVE" | "EXPUNGE");
    let marks: Vec<DollarMark> = toks
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| *t == Token::Atom(b"$".to_vec()))
        .map(|(i, (at, _))| {
            let after_uid = i > 0 && word(&toks[i - 1].1).as_deref() == Some("UID");
            let uid = after_uid || (set_first && i == first_arg && uid_command);
            DollarMark { at: *at, uid }
        })
        .collect();
    (!marks.is_empty()).then_some(marks)
}

/// `RETURN (opts)` right after SEARCH (RFC 4731 3) or SORT (RFC 5267 3);
/// the rest to imap-codec.
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

/// `STATUS mailbox (items)` with APPENDLIMIT (RFC 7889 3.1), which
/// imap-codec refuses; without it, imap-codec's refusal stands.
fn status(toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    let mailbox = astring(&toks.get(at)?.1)?;
    at += 1;
    let items = status_items(atom_list(toks, &mut at)?)?;
    if at != toks.len() || !items.contains(&StatusItem::AppendLimit) {
        return None;
    }
    Some(ExtCommand::Status { mailbox, items })
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
                    returns.status = Some(status_items(atom_list(toks, &mut at)?)?);
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

/// `APPEND mailbox 1*([flags] [date] append-data)`: more than one message
/// (MULTIAPPEND), or data in `UTF8 (literal8)` (RFC 6855 4) or `CATENATE
/// (...)` (RFC 4469 5) form, which imap-codec does not read.
fn append(toks: &[(usize, Token)], mut at: usize) -> Option<ExtCommand> {
    let mailbox = astring(&toks.get(at)?.1)?;
    at += 1;
    let mut messages = Vec::new();
    let mut extended = false;
    while at < toks.len() {
        let mut flags = Vec::new();
        if toks[at].1 == Token::Open {
            flags = atom_list(toks, &mut at)?;
        }
        let mut date = None;
        if let Token::Str(d) = &toks.get(at)?.1 {
            date = Some(String::from_utf8(d.clone()).ok()?);
            at += 1;
        }
        let (data, catenate) = match &toks.get(at)?.1 {
            Token::Lit(data) => (data.clone(), None),
            Token::Atom(a) if a.eq_ignore_ascii_case(b"UTF8") => {
                extended = true;
                at += 1;
                (utf8_literal(toks, &mut at)?, None)
            }
            Token::Atom(a) if a.eq_ignore_ascii_case(b"CATENATE") => {
                extended = true;
                at += 1;
                (Vec::new(), Some(cat_parts(toks, &mut at)?))
            }
            _ => return None,
        };
        messages.push(AppendMessage { flags, date, data, catenate });
        at += 1;
    }
    (messages.len() > 1 || extended).then_some(ExtCommand::MultiAppend { mailbox, messages })
}

/// `(literal8)` after UTF8, `toks[*at]` being the `(`; leaves `*at` on the
/// `)`.
fn utf8_literal(toks: &[(usize, Token)], at: &mut usize) -> Option<Vec<u8>> {
    if toks.get(*at)?.1 != Token::Open {
        return None;
    }
    let Token::Lit(data) = &toks.get(*at + 1)?.1 else { return None };
    if toks.get(*at + 2)?.1 != Token::Close {
        return None;
    }
    *at += 2;
    Some(data.clone())
}

/// `(cat-part *(SP cat-part))`: `TEXT literal`, `URL astring`, and RFC
/// 6855's `UTF8 (literal8)`; leaves `*at` on the closing `)`.
fn cat_parts(toks: &[(usize, Token)], at: &mut usize) -> Option<Vec<CatPart>> {
    if toks.get(*at)?.1 != Token::Open {
        return None;
    }
    *at += 1;
    let mut parts = Vec::new();
    while toks.get(*at)?.1 != Token::Close {
        let kind = word(&toks[*at].1)?;
        *at += 1;
        parts.push(match (kind.as_str(), &toks.get(*at)?.1) {
            ("TEXT", Token::Lit(data)) => CatPart::Text(data.clone()),
            ("URL", t) => CatPart::Url(String::from_utf8(astring(t)?).ok()?),
            ("UTF8", _) => CatPart::Text(utf8_literal(toks, at)?),
            _ => return None,
        });
        *at += 1;
    }
    (!parts.is_empty()).then_some(parts)
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
        assert_eq!(
            returns.status,
            Some(vec![StatusItem::Codec(StatusDataItemName::Messages), StatusItem::Codec(StatusDataItemName::UidNext)])
        );
        assert!(parse(b"a4 LIST \"\" \"*\"\r\n").is_none(), "plain LIST stays imap-codec's");
        let (_, c) =
            parse(b"a5 APPEND INBOX (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {3}\r\nabc {2+}\r\nde\r\n").unwrap();
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].flags, ["\\Seen"]);
        assert_eq!(messages[0].date.as_deref(), Some("17-Jul-1996 02:44:25 -0700"));
        assert_eq!((messages[0].data.as_slice(), messages[1].data.as_slice()), (&b"abc"[..], &b"de"[..]));
        assert!(parse(b"a6 APPEND INBOX {3}\r\nabc\r\n").is_none(), "one message is imap-codec's");
        let (_, c) = parse("a7 APPEND INBOX UTF8 (~{3+}\r\né!)\r\n".as_bytes()).unwrap();
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(messages[0].data, "é!".as_bytes());
        let (_, c) = parse(
            b"a8 APPEND Drafts (\\Draft) CATENATE (URL \"/INBOX;UIDVALIDITY=9/;UID=2/;SECTION=HEADER\" TEXT {2+}\r\nhi URL ;UID=3)\r\n",
        )
        .unwrap();
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(
            messages[0].catenate.as_deref(),
            Some(
                &[
                    CatPart::Url("/INBOX;UIDVALIDITY=9/;UID=2/;SECTION=HEADER".into()),
                    CatPart::Text(b"hi".to_vec()),
                    CatPart::Url(";UID=3".into())
                ][..]
            )
        );
        assert!(parse(b"a9 APPEND INBOX CATENATE ()\r\n").is_none());
        let (_, c) =
            parse(b"t1 APPEND Drafts CATENATE (TEXT {9+}\r\nSubject:  URL \"/INBOX/;UID=2\") {7+}\r\nSecond!\r\n")
                .expect("CATENATE then a literal");
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(messages.len(), 2);
        let (_, c) = parse("t2 APPEND Drafts CATENATE (TEXT {2+}\r\nhi UTF8 (~{2+}\r\né)) {1+}\r\nx\r\n".as_bytes())
            .expect("a UTF8 part");
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!(
            messages[0].catenate.as_deref(),
            Some(&[CatPart::Text(b"hi".to_vec()), CatPart::Text("é".into())][..])
        );
        let (_, c) = parse(b"b1 APPEND INBOX {3+}\r\nabc {2+}\r\nde\r\n").unwrap();
        let ExtCommand::MultiAppend { messages, .. } = c else { panic!() };
        assert_eq!((messages[0].date.as_deref(), messages[0].data.as_slice()), (None, &b"abc"[..]), "no date");
        assert!(parse(b"a7 SEARCH RETURN (MIN\r\n").is_none());
        assert!(parse(b"a8 CREATE x (USE (\\Sent)) extra\r\n").is_none());
    }

    #[test]
    fn dollar_is_found_with_its_meaning() {
        let marks = |m: &[u8]| match parse(m) {
            Some((_, ExtCommand::Dollar { marks, .. })) => marks,
            other => panic!("{other:?}"),
        };
        assert_eq!(marks(b"a UID FETCH $ FLAGS\r\n"), [DollarMark { at: 12, uid: true }]);
        assert_eq!(marks(b"a FETCH $ FLAGS\r\n"), [DollarMark { at: 8, uid: false }]);
        assert_eq!(
            marks(b"a UID SEARCH $ UID $ \"$\" $Junk\r\n"),
            [DollarMark { at: 13, uid: false }, DollarMark { at: 19, uid: true }],
            "a search key $ is message numbers; quoted $ and $Junk are not marks"
        );
        let m = b"a UID COPY $ Junk\r\n";
        assert_eq!(put_dollar(m, &marks(m), "1:2", "7,9"), b"a UID COPY 7,9 Junk\r\n");
        assert!(parse(b"a FETCH 1 (BODY[HEADER.FIELDS ($x)])\r\n").is_none());
    }
}
