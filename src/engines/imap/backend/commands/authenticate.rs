//! AUTHENTICATE PLAIN (the front end's way in, with SASL-IR) and LOGIN.
//! Credentials are verified against the config store again: the back end
//! trusts nobody, and the verified-credential cache makes it cheap.

use std::borrow::Cow;

use base64::Engine;
use imap_codec::imap_types::auth::{AuthMechanism, AuthenticateData};
use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::secret::Secret;

use super::Done;
use crate::engines::imap::backend::session::{Io, Session, User};
use crate::engines::imap::wire::CommandReader;
use crate::engines::imap::{capability, texts};
use crate::engines::net::LoginOutcome;
use crate::engines::render::{RenderOptions, Renderer};

pub async fn authenticate(
    s: &mut Session,
    io: &mut Io,
    mechanism: AuthMechanism<'static>,
    initial: Option<Secret<Cow<'static, [u8]>>>,
) -> std::io::Result<Done> {
    if mechanism != AuthMechanism::Plain {
        return Ok(Done::no(texts::AUTHENTICATE_FAILED));
    }
    let response: Vec<u8> = match initial {
        Some(data) => data.declassify().to_vec(),
        None => {
            s.out.extend_from_slice(b"+ \r\n");
            s.flush(io).await?;
            let Some(line) = io.reader.next_line(&mut io.rd).await? else {
                return Ok(Done::no(texts::AUTHENTICATE_FAILED).closing());
            };
            match CommandReader::decode_auth_line(&line) {
                Some(AuthenticateData::Continue(data)) => data.declassify().to_vec(),
                Some(AuthenticateData::Cancel) => return Ok(Done::bad("AUTHENTICATE cancelled.")),
                None => return Ok(Done::bad(texts::ARGUMENT_ERROR)),
            }
        }
    };
    let Some((user, password)) = parse_plain(&response) else {
        return Ok(Done::no(texts::AUTHENTICATE_FAILED));
    };
    Ok(log_in(s, &user, &password, "AUTHENTICATE", texts::AUTHENTICATE_FAILED).await)
}

pub async fn login(s: &mut Session, username: AString<'static>, password: Secret<AString<'static>>) -> Done {
    let user = String::from_utf8_lossy(username.as_ref()).into_owned();
    let password = String::from_utf8_lossy(password.declassify().as_ref()).into_owned();
    log_in(s, &user, &password, "LOGIN", texts::LOGIN_FAILED).await
}

/// `[authzid] NUL authcid NUL password`; an authzid other than the user is
/// not supported.
pub fn parse_plain(data: &[u8]) -> Option<(String, String)> {
    let decoded;
    let raw: &[u8] = if data.contains(&0) {
        data
    } else {
        decoded = base64::engine::general_purpose::STANDARD.decode(data).ok()?;
        &decoded
    };
    let mut parts = raw.split(|b| *b == 0);
    let authz = parts.next()?;
    let user = std::str::from_utf8(parts.next()?).ok()?.to_string();
    let password = std::str::from_utf8(parts.next()?).ok()?.to_string();
    if parts.next().is_some() || user.is_empty() {
        return None;
    }
    if !authz.is_empty() && !authz.eq_ignore_ascii_case(user.as_bytes()) {
        return None;
    }
    Some((user, password))
}

async fn log_in(s: &mut Session, user: &str, password: &str, name: &str, failed: &str) -> Done {
    match s.shared.ctx.auth.login(user, password).await {
        LoginOutcome::Accepted(mailbox) => {
            let guid = mailbox.guid.clone();
            let opened = s.shared.db.run(move |db| db.ensure_mailbox(&guid)).await;
            let id = match opened {
                Ok(id) => id,
                Err(e) => return Done::failed(&e),
            };
            let ctx = &s.shared.ctx;
            let options = RenderOptions::resolve(&ctx.settings, &ctx.owa, &mailbox.cas.imap);
            s.user = Some(User {
                guid: mailbox.guid.clone(),
                login: user.to_string(),
                mailbox: id,
                renderer: Renderer::new(options),
            });
            // The capabilities change with login (RFC 3501 7.1).
            Done::ok(format!("[CAPABILITY {}] {name} completed.", capability::POST_AUTH))
        }
        LoginOutcome::Refused => {
            let delay = s.shared.ctx.delay.on_failure(s.peer.ip());
            tokio::time::sleep(delay.min(std::time::Duration::from_millis(500))).await;
            Done::no(failed)
        }
        LoginOutcome::Unavailable(e) => {
            eprintln!("mailsh: IMAP4 back end: the config store could not be read: {e}");
            Done::no(failed)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sasl_plain() {
        assert_eq!(super::parse_plain(b"AGJvYgBwdw=="), Some(("bob".into(), "pw".into())));
        assert_eq!(super::parse_plain(b"bob\0bob\0pw"), Some(("bob".into(), "pw".into())));
        assert_eq!(super::parse_plain(b"eve\0bob\0pw"), None);
        assert_eq!(super::parse_plain(b"!!"), None);
    }
}
