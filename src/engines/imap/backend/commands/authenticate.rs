//! AUTHENTICATE PLAIN (the front end's way in, with SASL-IR) and LOGIN.
//! Only the store's front end gets this far (`engines::net::proxy_auth`);
//! the credentials are verified against the config store again (the access
//! may have changed since the front end checked; the verified-credential
//! cache makes it cheap), without the throttle, which the front end applied
//! to the client.

use std::borrow::Cow;

use imap_codec::imap_types::auth::AuthMechanism;
use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::secret::Secret;

use super::Done;
use crate::engines::imap::backend::session::{ImapSession, Io, User};
use crate::engines::imap::wire::reader::SaslResponse;
use crate::engines::imap::{capability, texts};
use crate::engines::net::{FrontEndRefusal, LoginOutcome, sasl};
use crate::engines::render::{RenderOptions, Renderer};

pub async fn authenticate(
    s: &mut ImapSession,
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
            match io.reader.sasl_response(&mut io.rd).await? {
                SaslResponse::Data(data) => data,
                SaslResponse::Closed => return Ok(Done::no(texts::AUTHENTICATE_FAILED).closing()),
                SaslResponse::Cancelled => return Ok(Done::bad(texts::AUTHENTICATE_CANCELLED)),
                SaslResponse::Malformed => return Ok(Done::bad(texts::ARGUMENT_ERROR)),
            }
        }
    };
    let Some((user, password)) = sasl::decode_plain(&response) else {
        return Ok(Done::no(texts::AUTHENTICATE_FAILED));
    };
    Ok(log_in(s, &user, &password, "AUTHENTICATE", texts::AUTHENTICATE_FAILED).await)
}

pub async fn login(s: &mut ImapSession, username: AString<'static>, password: Secret<AString<'static>>) -> Done {
    let user = String::from_utf8_lossy(username.as_ref()).into_owned();
    let password = String::from_utf8_lossy(password.declassify().as_ref()).into_owned();
    log_in(s, &user, &password, "LOGIN", texts::LOGIN_FAILED).await
}

async fn log_in(s: &mut ImapSession, user: &str, password: &str, name: &str, failed: &str) -> Done {
    let ctx = &s.shared.ctx;
    let logged_on =
        ctx.auth.front_end_login(&ctx.mail, user, password, |db, mailbox| db.ensure_mailbox(&mailbox.guid)).await;
    match logged_on {
        Ok((mailbox, home, id)) => {
            s.home = home;
            let options = RenderOptions::resolve(&ctx.settings, &ctx.owa, &mailbox.cas.imap);
            s.user = Some(User {
                guid: mailbox.guid.clone(),
                login: user.to_string(),
                mailbox: id,
                renderer: Renderer::new(options),
                quotas: mailbox.quotas,
            });
            // The capabilities change with login (RFC 3501 7.1).
            Done::ok(format!(
                "[CAPABILITY {}] {name} completed.",
                capability::post_auth(s.shared.ctx.settings.advertised_capabilities)
            ))
        }
        Err(FrontEndRefusal::Mail(e)) => Done::failed(&e),
        // Its front end tells the client it is authenticated but not
        // connected (`[UNAVAILABLE]`, RFC 5530).
        Err(FrontEndRefusal::NotConnected(why)) => {
            eprintln!("mailsh: IMAP4 back end: {user}: {why}");
            Done::no(format!("[UNAVAILABLE] {}", texts::NOT_CONNECTED))
        }
        Err(FrontEndRefusal::Logon(LoginOutcome::Accepted(_) | LoginOutcome::Refused)) => Done::no(failed),
        Err(FrontEndRefusal::Logon(LoginOutcome::Busy)) => Done::no(texts::LOGIN_BUSY),
        Err(FrontEndRefusal::Logon(LoginOutcome::Unavailable(e))) => {
            eprintln!("mailsh: IMAP4 back end: the config store could not be read: {e}");
            Done::no(failed)
        }
    }
}
