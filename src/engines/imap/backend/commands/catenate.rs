//! CATENATE (RFC 4469): APPEND builds the message from parts, text sent
//! with the command and IMAP URLs (RFC 5092) naming messages or parts of
//! this user's folders. A URL part is the bytes FETCH `BODY[section]<partial>`
//! would give this session (RFC 4469 5), the user's rendering settings
//! applied. URLs may be absolute (`imap://user@host/INBOX;UIDVALIDITY=n/
//! ;UID=n/;SECTION=1.MIME/;PARTIAL=0.100`), an absolute path (`/INBOX...`),
//! or relative to the selected folder (`;UID=n...`); mailbox names in URLs
//! are UTF-8, percent-encoded (RFC 5092 3.2). URLAUTH (`;EXPIRE=`,
//! `;URLAUTH=`), another user, another server, a message list (`?search`),
//! a UIDVALIDITY that is not the folder's or a message that is not there:
//! `NO [BADURL url]` (RFC 4469 6), nothing stored.
//!
//! The server an absolute URL names must be this one (RFC 4469 5: a URL
//! naming another server is BADURL, this server fetches nothing from
//! elsewhere). Its names are the ones Exchange says clients use for it:
//! the hosts of InternalConnectionSettings and ExternalConnectionSettings
//! and X509CertificateName; and this machine's: its host name,
//! `localhost`, a loopback address, an address the front end is bound to
//! (or, for `0.0.0.0` / `[::]`, any address of this machine). A port, when
//! the URL gives one, must be one the front end listens on or that the
//! connection settings name.

use std::net::IpAddr;

use super::{Done, find_folder_named};
use crate::engines::imap::backend::session::{ImapSession, MAX_MESSAGE};
use crate::engines::imap::fetch_items::section::{Want, bytes as section_bytes};
use crate::engines::imap::wire::ext::CatPart;
use crate::store::ProtocolSettings;

/// What a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageUrl {
    /// The server of an absolute URL (`imap://host:port/...`): its host
    /// (brackets of an IPv6 address removed) and port.
    pub server: Option<(String, Option<u16>)>,
    /// The stored folder name; None: the selected folder.
    pub mailbox: Option<String>,
    pub uidvalidity: Option<u32>,
    pub uid: u32,
    pub path: Vec<u32>,
    pub want: Want,
    /// Offset and length (`;PARTIAL=o.l`).
    pub partial: Option<(usize, Option<usize>)>,
}

/// The message CATENATE's parts make, or the answer that refuses it.
pub async fn assemble(s: &ImapSession, parts: Vec<CatPart>) -> Result<Vec<u8>, Done> {
    let login = s.user.as_ref().map(|u| u.login.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for part in parts {
        match part {
            CatPart::Text(t) => out.extend_from_slice(&t),
            CatPart::Url(url) => {
                let bad = || Done::no(format!("[BADURL {}] The URL does not name a message here.", printable(&url)));
                let named = parse_url(&url, &login).ok_or_else(bad)?;
                if let Some((host, port)) = &named.server
                    && !names_this_server(&s.shared.ctx.settings, host, *port)
                {
                    return Err(bad());
                }
                out.extend_from_slice(&resolve(s, &named).await?.ok_or_else(bad)?);
            }
        }
        if out.len() > MAX_MESSAGE as usize {
            return Err(Done::no("[TOOBIG] The message is too large."));
        }
    }
    Ok(out)
}

/// The bytes a URL names; None when it names nothing.
async fn resolve(s: &ImapSession, url: &MessageUrl) -> Result<Option<Vec<u8>>, Done> {
    let folder = match &url.mailbox {
        Some(name) => match find_folder_named(s, name.clone()).await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(None),
            Err(e) => return Err(Done::failed(&e)),
        },
        None => match &s.selected {
            Some(sel) => sel.folder.clone(),
            None => return Ok(None),
        },
    };
    if url.uidvalidity.is_some_and(|v| v != folder.uidvalidity) {
        return Ok(None);
    }
    let (id, uid) = (folder.id, url.uid);
    let raw = match s.home.pool.run(move |db| db.message_raw(id, uid)).await {
        Ok(Some(raw)) => raw,
        Ok(None) => return Ok(None),
        Err(e) => return Err(Done::failed(&e)),
    };
    let Some(user) = &s.user else { return Ok(None) };
    let served = user.renderer.render(&raw);
    let root = crate::engines::mime::parse(&served);
    let Some(bytes) = section_bytes(&served, &root, &url.path, &url.want) else { return Ok(None) };
    Ok(Some(match url.partial {
        None => bytes,
        Some((from, len)) => {
            let from = from.min(bytes.len());
            let to = len.map_or(bytes.len(), |l| from.saturating_add(l).min(bytes.len()));
            bytes[from..to].to_vec()
        }
    }))
}

/// A URL as it may be echoed in a response code (no `]`, no controls).
fn printable(url: &str) -> String {
    url.chars().filter(|c| *c != ']' && !c.is_control()).collect()
}

/// Reads an IMAP URL naming one message or part (RFC 5092 11); `login` is
/// the session's user, the only one a URL may name.
pub fn parse_url(url: &str, login: &str) -> Option<MessageUrl> {
    let lower = url.to_ascii_lowercase();
    let mut server = None;
    let path = if lower.starts_with("imap://") {
        let rest = &url[7..];
        let slash = rest.find('/')?;
        let authority = &rest[..slash];
        let hostport = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => {
                let user = percent_decode(userinfo.split(';').next()?)?;
                if !user.is_empty() && !user.eq_ignore_ascii_case(login) {
                    return None;
                }
                hostport
            }
            None => authority,
        };
        server = Some(parse_server(hostport)?);
        &rest[slash..]
    } else {
        url
    };
    if path.contains('?') {
        return None;
    }
    let (mailbox, uidvalidity, message) = if let Some(abs) = path.strip_prefix('/') {
        let cut = abs.to_ascii_lowercase().find("/;uid=")?;
        let (mbox, validity) = match split_key(&abs[..cut], ";uidvalidity=") {
            Some((m, v)) => (m, Some(v.parse().ok()?)),
            None => (&abs[..cut], None),
        };
        // `;` in a name is written %3B: a bare one is a parameter
        // (`;EXPIRE=`...) this server does not take.
        if mbox.contains(';') {
            return None;
        }
        (Some(percent_decode(mbox)?), validity, &abs[cut + 1..])
    } else {
        (None, None, path)
    };
    let mut named = MessageUrl { server, mailbox, uidvalidity, uid: 0, path: vec![], want: Want::All, partial: None };
    for (i, segment) in message.split('/').enumerate() {
        let (key, value) = segment.strip_prefix(';')?.split_once('=')?;
        let value = percent_decode(value)?;
        match (i, key.to_ascii_uppercase().as_str()) {
            (0, "UID") => named.uid = value.parse().ok().filter(|u| *u > 0)?,
            (1, "SECTION") => (named.path, named.want) = parse_section(&value)?,
            (1 | 2, "PARTIAL") => {
                named.partial = Some(match value.split_once('.') {
                    Some((o, l)) => (o.parse().ok()?, Some(l.parse().ok()?)),
                    None => (value.parse().ok()?, None),
                })
            }
            // URLAUTH (;EXPIRE=, ;URLAUTH=) and anything else: refused.
            _ => return None,
        }
    }
    (named.uid > 0).then_some(named)
}

/// `host[:port]` of an IMAP URL (RFC 5092 3, RFC 3986 3.2.2): a name, an
/// IPv4 address or a bracketed IPv6 one.
fn parse_server(hostport: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        (inside.to_string(), after)
    } else {
        match hostport.split_once(':') {
            Some((h, _)) => (percent_decode(h)?, &hostport[h.len()..]),
            None => (percent_decode(hostport)?, ""),
        }
    };
    let port = match after_colon(port)? {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    (!host.is_empty()).then_some((host, port))
}

/// What follows the host: nothing, or `:port` (an empty port is none).
fn after_colon(rest: &str) -> Option<Option<&str>> {
    match rest.strip_prefix(':') {
        Some("") => Some(None),
        Some(p) => Some(Some(p)),
        None if rest.is_empty() => Some(None),
        None => None,
    }
}

/// Is `host` (and `port`, if given) this IMAP4 server, by a name its
/// clients use or an address of this machine it listens on?
pub fn names_this_server(settings: &ProtocolSettings, host: &str, port: Option<u16>) -> bool {
    let bindings = || settings.unencrypted_or_tls_bindings.iter().chain(&settings.ssl_bindings);
    let connection = || settings.internal_connection_settings.iter().chain(&settings.external_connection_settings);
    // "host:port:SSL"; an IPv6 host is bracketed.
    let connection_host = |c: &String| -> Option<(String, Option<u16>)> {
        let mut fields = c.rsplitn(3, ':').collect::<Vec<_>>();
        fields.reverse();
        let host = fields.first()?.trim().trim_start_matches('[').trim_end_matches(']').to_string();
        Some((host, fields.get(1).and_then(|p| p.trim().parse().ok())))
    };
    if let Some(port) = port {
        let bound = bindings().any(|b| crate::engines::net::bind::parse_binding(b).is_ok_and(|a| a.port() == port));
        let named = connection().filter_map(connection_host).any(|(_, p)| p == Some(port));
        if !bound && !named {
            return false;
        }
    }
    let name = host.to_ascii_lowercase();
    if name == "localhost"
        || name == crate::store::host_name().to_ascii_lowercase()
        || name == settings.x509_certificate_name.to_ascii_lowercase()
        || connection().filter_map(connection_host).any(|(h, _)| h.eq_ignore_ascii_case(&name))
    {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else { return false };
    if ip.to_canonical().is_loopback() {
        return true;
    }
    bindings().filter_map(|b| crate::engines::net::bind::parse_binding(b).ok()).any(|a| {
        let bound = a.ip().to_canonical();
        bound == ip.to_canonical() || (bound.is_unspecified() && bound.is_ipv4() == ip.is_ipv4() && is_local(ip))
    })
}

/// Is `ip` an address of this machine? Only a local address can be bound.
fn is_local(ip: IpAddr) -> bool {
    std::net::UdpSocket::bind((ip, 0)).is_ok()
}

/// `text` split around `key` (ASCII, any case).
fn split_key<'a>(text: &'a str, key: &str) -> Option<(&'a str, &'a str)> {
    let at = text.to_ascii_lowercase().find(key)?;
    Some((&text[..at], &text[at + key.len()..]))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A section as RFC 3501 6.4.5 writes it (`1.2.MIME`, `HEADER.FIELDS (A
/// B)`): the part numbers and what of the part.
fn parse_section(text: &str) -> Option<(Vec<u32>, Want)> {
    let mut path = Vec::new();
    let mut rest = text.trim();
    while let Some(end) = rest.find(|c: char| !c.is_ascii_digit()).or(Some(rest.len())).filter(|e| *e > 0) {
        path.push(rest[..end].parse().ok().filter(|n| *n > 0)?);
        rest = &rest[end..];
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None if rest.is_empty() => break,
            None => return None,
        }
    }
    let upper = rest.to_ascii_uppercase();
    let want = match upper.as_str() {
        "" => Want::All,
        "HEADER" => Want::Header,
        "TEXT" => Want::Text,
        "MIME" if !path.is_empty() => Want::Mime,
        _ => {
            let (not, list) = if let Some(l) = upper.strip_prefix("HEADER.FIELDS.NOT") {
                (true, l)
            } else {
                (false, upper.strip_prefix("HEADER.FIELDS")?)
            };
            let inner = list.trim().strip_prefix('(')?.strip_suffix(')')?;
            let names: Vec<Vec<u8>> = inner.split_whitespace().map(|n| n.as_bytes().to_vec()).collect();
            if names.is_empty() {
                return None;
            }
            Want::HeaderFields { names, not }
        }
    };
    Some((path, want))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_message_or_a_part() {
        let u = parse_url("/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME", "bob@contoso.com").unwrap();
        assert_eq!(
            u,
            MessageUrl {
                server: None,
                mailbox: Some("Drafts".into()),
                uidvalidity: Some(385759045),
                uid: 20,
                path: vec![1],
                want: Want::Mime,
                partial: None
            }
        );
        let u = parse_url(
            "imap://bob%40contoso.com;AUTH=*@mail.contoso.com/Sent%20Items/;UID=3/;PARTIAL=2.5",
            "bob@contoso.com",
        )
        .unwrap();
        assert_eq!((u.mailbox.as_deref(), u.uid, u.partial), (Some("Sent Items"), 3, Some((2, Some(5)))));
        assert_eq!(u.server, Some(("mail.contoso.com".into(), None)));
        let u = parse_url("imap://[::1]:1143/INBOX/;UID=1", "b").unwrap();
        assert_eq!(u.server, Some(("::1".into(), Some(1143))));
        let u = parse_url(";UID=7/;SECTION=HEADER.FIELDS%20(SUBJECT%20FROM)", "bob@contoso.com").unwrap();
        assert_eq!(u.mailbox, None);
        assert_eq!(u.want, Want::HeaderFields { names: vec![b"SUBJECT".to_vec(), b"FROM".to_vec()], not: false });
        assert_eq!(parse_url("/%C3%89l%C3%A9ments/;UID=1", "b").unwrap().mailbox.as_deref(), Some("Éléments"));
        for refused in [
            "imap://alice@host/INBOX/;UID=1",
            "/INBOX/;UID=1/;URLAUTH=anonymous:internal:0123",
            "/INBOX;EXPIRE=2030-01-01T00:00:00Z/;UID=1",
            "/INBOX?SUBJECT%20x",
            "/INBOX/;UID=0",
            "/INBOX/;UID=1/;SECTION=1.X",
            "INBOX/;UID=1",
            "imap://host:port/INBOX/;UID=1",
            "imap:///INBOX/;UID=1",
        ] {
            assert_eq!(parse_url(refused, "bob@contoso.com"), None, "{refused}");
        }
    }

    #[test]
    fn the_server_of_a_url_must_be_this_one() {
        let mut settings = ProtocolSettings::defaults(crate::store::Protocol::Imap4, "cas01.contoso.com", "/x");
        settings.unencrypted_or_tls_bindings = vec!["127.0.0.1:1143".into()];
        settings.ssl_bindings = vec!["0.0.0.0:1993".into()];
        settings.external_connection_settings = vec!["mail.contoso.com:993:SSL".into()];
        let this = |host: &str, port: Option<u16>| names_this_server(&settings, host, port);
        for (host, port) in [
            ("cas01.contoso.com", None),
            ("CAS01.Contoso.com", Some(993)),
            ("mail.contoso.com", Some(993)),
            ("localhost", Some(1143)),
            ("127.0.0.1", Some(1993)),
            ("::1", None),
        ] {
            assert!(this(host, port), "{host} {port:?} is this server");
        }
        for (host, port) in [
            ("mail.fabrikam.com", None),
            ("cas01.contoso.com", Some(144)),
            ("192.0.2.1", None),
            ("cas02.contoso.com", Some(993)),
        ] {
            assert!(!this(host, port), "{host} {port:?} is another server");
        }
    }
}
