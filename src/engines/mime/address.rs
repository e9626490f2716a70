//! Address lists (RFC 5322 3.4, with the obsolete forms of 4.4 that real
//! mail carries): mailboxes with or without a display name, routes, groups,
//! and comments wherever white space may go, inside an address too
//! (`<user (comment)@ (comment) domain.org>`).
//!
//! Display names are kept as written, quoting removed: encoded words are not
//! decoded, because ENVELOPE sends them as they are and the client decodes
//! (RFC 3501 7.4.2; quoted strings there are 7-bit). mail-parser decodes
//! them, reads a comment inside a group as a mailbox and a comment inside an
//! address as a display name, hence this small parser.

/// One mailbox of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name (or, for `user@host (Name)`, the comment).
    pub name: Option<String>,
    /// An obsolete source route: `@a,@b`.
    pub route: Option<String>,
    pub local: String,
    pub domain: Option<String>,
}

/// What an address list holds, in order: mailboxes, and groups as a start
/// marker (the group's name), their members, and an end marker, as
/// ENVELOPE represents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Mailbox(Mailbox),
    GroupStart(String),
    GroupEnd,
}

impl Item {
    pub fn mailbox(&self) -> Option<&Mailbox> {
        match self {
            Item::Mailbox(m) => Some(m),
            _ => None,
        }
    }
}

impl Mailbox {
    /// `local@domain`.
    pub fn addr_spec(&self) -> String {
        match &self.domain {
            Some(d) => format!("{}@{d}", self.local),
            None => self.local.clone(),
        }
    }

    /// The address written plainly: `Name <local@domain>` or `local@domain`.
    pub fn plain(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} <{}>", self.addr_spec()),
            None => self.addr_spec(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An atom, a dot-atom or a domain literal, as written.
    Word(String),
    /// A quoted string, quoting removed.
    Quoted(String),
    Comment(String),
    Special(u8),
}

/// Splits a field value into tokens; white space separates them and is
/// dropped. Unterminated quotes and comments end at the end of the value.
fn tokens(input: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    while i < input.len() {
        let c = input[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'"' => {
                let mut value = Vec::new();
                i += 1;
                while i < input.len() && input[i] != b'"' {
                    if input[i] == b'\\' && i + 1 < input.len() {
                        i += 1;
                    }
                    if !matches!(input[i], b'\r' | b'\n') {
                        value.push(input[i]);
                    }
                    i += 1;
                }
                i += 1;
                out.push(Token::Quoted(text(&value)));
            }
            b'(' => {
                let mut depth = 0usize;
                let mut value = Vec::new();
                while i < input.len() {
                    let b = input[i];
                    if b == b'\\' && i + 1 < input.len() {
                        value.push(input[i + 1]);
                        i += 2;
                        continue;
                    }
                    if b == b'(' {
                        depth += 1;
                        if depth > 1 {
                            value.push(b);
                        }
                    } else if b == b')' {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                        value.push(b);
                    } else if !matches!(b, b'\r' | b'\n') {
                        value.push(b);
                    }
                    i += 1;
                }
                out.push(Token::Comment(text(&value)));
            }
            b'[' => {
                let end = input[i..].iter().position(|b| *b == b']').map(|p| i + p + 1).unwrap_or(input.len());
                out.push(Token::Word(text(&input[i..end])));
                i = end;
            }
            b'<' | b'>' | b':' | b';' | b'@' | b',' => {
                out.push(Token::Special(c));
                i += 1;
            }
            // A stray `)` or `]`: nothing to read in it.
            b')' | b']' | b'\\' => i += 1,
            _ => {
                let start = i;
                while i < input.len() && !b" \t\r\n\"()[]<>:;@,\\".contains(&input[i]) {
                    i += 1;
                }
                out.push(Token::Word(text(&input[start..i])));
            }
        }
    }
    out
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn at(&self, special: u8) -> bool {
        self.peek() == Some(&Token::Special(special))
    }

    fn skip_comments(&mut self) -> Option<String> {
        let mut last = None;
        while let Some(Token::Comment(c)) = self.peek() {
            last = Some(c.clone());
            self.pos += 1;
        }
        last
    }

    /// Words and quoted strings up to the next special: a phrase (joined by
    /// single spaces) or a local part / domain (joined as written, since
    /// white space and comments around its dots are not part of it).
    fn words(&mut self) -> Vec<Token> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Token::Word(_) | Token::Quoted(_) => out.push(t.clone()),
                Token::Comment(_) => {}
                Token::Special(_) => break,
            }
            self.pos += 1;
        }
        out
    }

    /// One address (a mailbox, or a group when `groups`), or nothing when
    /// the list has an empty element.
    fn address(&mut self, groups: bool, out: &mut Vec<Item>) {
        let phrase = self.words();
        match self.peek() {
            Some(Token::Special(b':')) if groups => {
                self.pos += 1;
                out.push(Item::GroupStart(join_phrase(&phrase).unwrap_or_default()));
                loop {
                    self.skip_comments();
                    match self.peek() {
                        None => break,
                        Some(Token::Special(b';')) => {
                            self.pos += 1;
                            break;
                        }
                        Some(Token::Special(b',')) => self.pos += 1,
                        _ => {
                            let before = self.pos;
                            self.address(false, out);
                            if self.pos == before {
                                // A special a mailbox cannot start with.
                                self.pos += 1;
                            }
                        }
                    }
                }
                out.push(Item::GroupEnd);
            }
            Some(Token::Special(b'<')) => {
                self.pos += 1;
                let mut mailbox = self.angle_addr();
                mailbox.name = join_phrase(&phrase);
                out.push(Item::Mailbox(mailbox));
            }
            Some(Token::Special(b'@')) => {
                self.pos += 1;
                let domain = join_plain(&self.words());
                // `user@host (Real Name)`: the old way of naming, a comment
                // after the address.
                let name = match self.tokens.get(self.pos.wrapping_sub(1)) {
                    Some(Token::Comment(c)) if !c.trim().is_empty() => Some(c.trim().to_string()),
                    _ => None,
                };
                out.push(Item::Mailbox(Mailbox {
                    name,
                    route: None,
                    local: join_plain(&phrase),
                    domain: Some(domain),
                }));
            }
            _ if !phrase.is_empty() => {
                out.push(Item::Mailbox(Mailbox { name: None, route: None, local: join_plain(&phrase), domain: None }));
            }
            _ => {}
        }
    }

    /// After `<`: `[@route,@route:] local@domain >`.
    fn angle_addr(&mut self) -> Mailbox {
        let mut route = Vec::new();
        self.skip_comments();
        while self.at(b'@') {
            self.pos += 1;
            route.push(format!("@{}", join_plain(&self.words())));
            while self.at(b',') {
                self.pos += 1;
                self.skip_comments();
            }
            if self.at(b':') {
                self.pos += 1;
                break;
            }
        }
        let local = join_plain(&self.words());
        let domain = if self.at(b'@') {
            self.pos += 1;
            Some(join_plain(&self.words()))
        } else {
            None
        };
        // Up to and including `>`; anything else before it is noise.
        while let Some(t) = self.peek() {
            let closing = *t == Token::Special(b'>');
            self.pos += 1;
            if closing {
                break;
            }
        }
        let route = if route.is_empty() { None } else { Some(route.join(",")) };
        Mailbox { name: None, route, local, domain }
    }
}

fn join_phrase(words: &[Token]) -> Option<String> {
    let parts: Vec<&str> = words
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) | Token::Quoted(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    let joined = parts.join(" ");
    if joined.trim().is_empty() { None } else { Some(joined) }
}

fn join_plain(words: &[Token]) -> String {
    words
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) | Token::Quoted(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

/// The mailboxes and groups of an address field's value.
pub fn parse_list(value: &[u8]) -> Vec<Item> {
    let mut p = Parser { tokens: tokens(value), pos: 0 };
    let mut out = Vec::new();
    while p.pos < p.tokens.len() {
        let before = p.pos;
        p.address(true, &mut out);
        p.skip_comments();
        match p.peek() {
            Some(Token::Special(b',')) => p.pos += 1,
            None => {}
            // Garbage between addresses (a stray `>` or `;`): skip it.
            Some(_) if p.pos == before => p.pos += 1,
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mbox(name: Option<&str>, local: &str, domain: Option<&str>) -> Item {
        Item::Mailbox(Mailbox {
            name: name.map(str::to_string),
            route: None,
            local: local.to_string(),
            domain: domain.map(str::to_string),
        })
    }

    #[test]
    fn comments_inside_an_address_are_not_part_of_it() {
        let got = parse_list(b"<user-from (comment)@ (comment) domain.org>");
        assert_eq!(got, vec![mbox(None, "user-from", Some("domain.org"))]);
        assert_eq!(got[0].mailbox().unwrap().plain(), "user-from@domain.org");
    }

    #[test]
    fn groups_give_markers_and_a_comment_is_not_a_member() {
        assert_eq!(
            parse_list(b"group:;, group2: (foo) ;"),
            vec![Item::GroupStart("group".into()), Item::GroupEnd, Item::GroupStart("group2".into()), Item::GroupEnd]
        );
        assert_eq!(
            parse_list(b"Team: a@x.org, \"B, b\" <b@y.org>; c@z.org"),
            vec![
                Item::GroupStart("Team".into()),
                mbox(None, "a", Some("x.org")),
                mbox(Some("B, b"), "b", Some("y.org")),
                Item::GroupEnd,
                mbox(None, "c", Some("z.org")),
            ]
        );
    }

    #[test]
    fn names_quoted_strings_routes_and_old_style_comments() {
        assert_eq!(
            parse_list(b"Fred Foobar <foobar@Blurdybloop.COM>, =?utf-8?q?Andr=C3=A9?= <a@b.c>"),
            vec![
                mbox(Some("Fred Foobar"), "foobar", Some("Blurdybloop.COM")),
                mbox(Some("=?utf-8?q?Andr=C3=A9?="), "a", Some("b.c"))
            ]
        );
        assert_eq!(
            parse_list(b"john@example.com (John Doe)"),
            vec![mbox(Some("John Doe"), "john", Some("example.com"))]
        );
        assert_eq!(
            parse_list(b"\"john \\\"q\\\" doe\"@example.com"),
            vec![mbox(None, "john \"q\" doe", Some("example.com"))]
        );
        let routed = parse_list(b"<@relay1.org,@relay2.org:joe@example.org>");
        assert_eq!(routed[0].mailbox().unwrap().route.as_deref(), Some("@relay1.org,@relay2.org"));
        assert_eq!(
            parse_list(b"John Q. Public <jqp @ example . org>")[0],
            mbox(Some("John Q. Public"), "jqp", Some("example.org"))
        );
        assert_eq!(parse_list(b"undisclosed"), vec![mbox(None, "undisclosed", None)]);
    }

    #[test]
    fn garbage_never_panics() {
        for input in [&b""[..], b",,,", b"<", b">", b"(((", b"\"", b"a@", b"@", b":;:;", b"<@", b"g:(x", b"\\", b"[a@b"]
        {
            let _ = parse_list(input);
        }
        assert!(parse_list(b" , ,").is_empty());
    }
}
