//! Parsing one POP3 command line (RFC 1939, 2449, 2595, 5034). Keywords are
//! case-insensitive; message numbers are decimal, 1 or more.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Capa,
    Quit,
    Stls,
    User(String),
    /// The rest of the line: a password may hold spaces.
    Pass(String),
    Auth {
        mechanism: Option<String>,
        initial: Option<String>,
    },
    Apop,
    Stat,
    List(Option<u32>),
    Retr(u32),
    Dele(u32),
    Noop,
    Rset,
    Top(u32, u32),
    Uidl(Option<u32>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Unknown,
    BadArguments,
}

impl Command {
    /// The words a protocol log may show; the rest is masked.
    pub fn loggable_words(line: &[u8]) -> usize {
        let text = String::from_utf8_lossy(line);
        let verb = text.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "PASS" | "APOP" => 1,
            "AUTH" => 2,
            _ => usize::MAX,
        }
    }
}

pub fn parse(line: &[u8]) -> Result<Command, ParseError> {
    let text = std::str::from_utf8(line).map_err(|_| ParseError::BadArguments)?;
    let (verb, rest) = match text.split_once(' ') {
        Some((v, r)) => (v, r),
        None => (text, ""),
    };
    let args: Vec<&str> = rest.split_whitespace().collect();
    let verb = verb.to_ascii_uppercase();
    let none = |c: Command| if args.is_empty() { Ok(c) } else { Err(ParseError::BadArguments) };
    match verb.as_str() {
        "CAPA" => none(Command::Capa),
        "QUIT" => none(Command::Quit),
        "STLS" => none(Command::Stls),
        "STAT" => none(Command::Stat),
        "NOOP" => none(Command::Noop),
        "RSET" => none(Command::Rset),
        "USER" => match args.as_slice() {
            [name] => Ok(Command::User((*name).to_string())),
            _ => Err(ParseError::BadArguments),
        },
        "PASS" if !rest.is_empty() => Ok(Command::Pass(rest.to_string())),
        "PASS" => Err(ParseError::BadArguments),
        "APOP" => Ok(Command::Apop),
        "AUTH" => match args.as_slice() {
            [] => Ok(Command::Auth { mechanism: None, initial: None }),
            [m] => Ok(Command::Auth { mechanism: Some(m.to_ascii_uppercase()), initial: None }),
            [m, i] => Ok(Command::Auth { mechanism: Some(m.to_ascii_uppercase()), initial: Some((*i).to_string()) }),
            _ => Err(ParseError::BadArguments),
        },
        "LIST" => optional_number(&args).map(Command::List),
        "UIDL" => optional_number(&args).map(Command::Uidl),
        "RETR" => one_number(&args).map(Command::Retr),
        "DELE" => one_number(&args).map(Command::Dele),
        "TOP" => match args.as_slice() {
            [n, lines] => Ok(Command::Top(message_number(n)?, lines.parse().map_err(|_| ParseError::BadArguments)?)),
            _ => Err(ParseError::BadArguments),
        },
        _ => Err(ParseError::Unknown),
    }
}

/// The front end's request to read message `n` ahead (`XAHEAD n`): the
/// back end answers it as RETR when the message is small enough for the
/// front end to hold (`commands::ahead`). It is not a client's command:
/// [`parse`] does not know it, and the front end answers a client that
/// sends it as for any unknown command.
pub const AHEAD: &str = "XAHEAD";

/// `n` of a read-ahead request, None for any other line.
pub fn parse_ahead(line: &[u8]) -> Option<u32> {
    let rest = line.get(AHEAD.len()..)?;
    if !line[..AHEAD.len()].eq_ignore_ascii_case(AHEAD.as_bytes()) {
        return None;
    }
    let number = std::str::from_utf8(rest.strip_prefix(b" ")?).ok()?;
    message_number(number).ok()
}

fn message_number(text: &str) -> Result<u32, ParseError> {
    match text.parse::<u32>() {
        Ok(n) if n >= 1 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(ParseError::BadArguments),
    }
}

fn one_number(args: &[&str]) -> Result<u32, ParseError> {
    match args {
        [n] => message_number(n),
        _ => Err(ParseError::BadArguments),
    }
}

fn optional_number(args: &[&str]) -> Result<Option<u32>, ParseError> {
    match args {
        [] => Ok(None),
        [n] => message_number(n).map(Some),
        _ => Err(ParseError::BadArguments),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(parse(b"user bob@contoso.com"), Ok(Command::User("bob@contoso.com".into())));
        assert_eq!(parse(b"PASS two words"), Ok(Command::Pass("two words".into())));
        assert_eq!(parse(b"LIST"), Ok(Command::List(None)));
        assert_eq!(parse(b"list 3"), Ok(Command::List(Some(3))));
        assert_eq!(parse(b"TOP 2 0"), Ok(Command::Top(2, 0)));
        assert_eq!(parse(b"UIDL 1"), Ok(Command::Uidl(Some(1))));
        assert_eq!(
            parse(b"AUTH plain AGJvYgBwdw=="),
            Ok(Command::Auth { mechanism: Some("PLAIN".into()), initial: Some("AGJvYgBwdw==".into()) })
        );
        assert_eq!(parse(b"QUIT"), Ok(Command::Quit));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(parse(b"XYZZY"), Err(ParseError::Unknown));
        assert_eq!(parse(b"RETR"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"RETR 0"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"RETR -1"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"RETR +1"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"DELE 99999999999"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"STAT now"), Err(ParseError::BadArguments));
        assert_eq!(parse(b"PASS"), Err(ParseError::BadArguments));
        assert_eq!(parse(&[0xff, 0xfe]), Err(ParseError::BadArguments));
    }

    #[test]
    fn a_read_ahead_request_is_not_a_clients_command() {
        assert_eq!(parse_ahead(b"XAHEAD 12"), Some(12));
        assert_eq!(parse_ahead(b"xahead 3"), Some(3));
        assert_eq!(parse_ahead(b"XAHEAD 0"), None);
        assert_eq!(parse_ahead(b"XAHEAD"), None);
        assert_eq!(parse_ahead(b"XAHEADS 1"), None);
        assert_eq!(parse_ahead(b"RETR 1"), None);
        assert_eq!(parse(b"XAHEAD 1"), Err(ParseError::Unknown));
    }

    #[test]
    fn secrets_are_not_loggable() {
        assert_eq!(Command::loggable_words(b"PASS x"), 1);
        assert_eq!(Command::loggable_words(b"auth PLAIN abc"), 2);
        assert_eq!(Command::loggable_words(b"RETR 1"), usize::MAX);
    }
}
