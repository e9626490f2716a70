//! LOGIN (RFC 3501 6.2.3), and the log-on both LOGIN and AUTHENTICATE end
//! in: the credentials against the config store (after the logon
//! throttle's wait, `engines::net::throttle`), MaxConnectionsPerUser, then
//! the back end.

use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::secret::Secret;

use super::super::backend_link::BackendLink;
use super::super::session::{PreAuthSession, Step};
use crate::engines::imap::{capability, texts};
use crate::engines::net::protolog::Event;
use crate::engines::net::relay::BackEndError;
use crate::engines::net::routes::Route;
use crate::engines::net::{Caller, LoginOutcome, ServerStream, USER_SLOT_GRACE};

/// Failed logins on one connection before it is closed.
const MAX_FAILURES: u32 = 4;

pub async fn run(
    s: &mut PreAuthSession,
    stream: &mut ServerStream,
    tag: &str,
    username: AString<'static>,
    password: Secret<AString<'static>>,
) -> std::io::Result<Step> {
    if s.login_disabled(stream) {
        s.reply(stream, tag, "BAD", texts::LOGIN_DISABLED).await?;
        return Ok(Step::Continue);
    }
    let user = String::from_utf8_lossy(username.as_ref()).into_owned();
    let pass = String::from_utf8_lossy(password.declassify().as_ref()).into_owned();
    log_in(s, stream, tag, &user, &pass, "LOGIN", texts::LOGIN_FAILED).await
}

/// `name` is the command (for `<name> completed.`), `failed` its failure
/// text.
pub async fn log_in(
    s: &mut PreAuthSession,
    stream: &mut ServerStream,
    tag: &str,
    user: &str,
    pass: &str,
    name: &str,
    failed: &str,
) -> std::io::Result<Step> {
    let ctx = &s.front.ctx;
    let mailbox = match ctx.auth.login(Caller::Client(s.peer.ip()), user, pass).await {
        LoginOutcome::Accepted(m) => m,
        LoginOutcome::Refused => return refused(s, stream, tag, failed).await,
        LoginOutcome::Busy => {
            s.reply(stream, tag, "NO", texts::LOGIN_BUSY).await?;
            return Ok(Step::Continue);
        }
        LoginOutcome::Unavailable(e) => {
            eprintln!("mailsh: IMAP4: the logon could not be checked: {e}");
            s.reply(stream, tag, "NO", failed).await?;
            return Ok(Step::Continue);
        }
    };
    let slot = match ctx.limits.admit_user_within(&mailbox.guid, USER_SLOT_GRACE).await {
        Ok(slot) => slot,
        Err(_) => {
            s.reply(stream, tag, "NO", failed).await?;
            return Ok(Step::Continue);
        }
    };
    // The back end of the server holding the mailbox's database.
    let link = match ctx.routes.route(&ctx.auth, &mailbox).await {
        Route::Own => BackendLink::open(&ctx.back_end, user, pass).await,
        Route::To(target, _) => BackendLink::open_at(&target, ctx.back_end.key(), user, pass).await,
        Route::Nowhere(why) => Err(BackEndError::Unreachable(why)),
    };
    match link {
        Ok(link) => {
            // The capabilities change with login (RFC 3501 7.1).
            let text = format!(
                "[CAPABILITY {}] {name} completed.",
                capability::post_auth(ctx.settings.advertised_capabilities)
            );
            s.reply(stream, tag, "OK", &text).await?;
            Ok(Step::Relay { link, slot })
        }
        // The access changed between the two checks: a failed login.
        Err(BackEndError::Refused) => {
            s.reply(stream, tag, "NO", failed).await?;
            Ok(Step::Continue)
        }
        // The credentials were good but there is no back end: Exchange
        // answers LOGIN failed, then "User is authenticated but not
        // connected." to every command but LOGOUT.
        Err(BackEndError::Unreachable(why)) => {
            eprintln!("mailsh: IMAP4 back end for {user}: {why}");
            s.log.note(Event::Info, &format!("back end unavailable: {why}"));
            s.orphaned = true;
            s.reply(stream, tag, "NO", texts::LOGIN_FAILED).await?;
            Ok(Step::Continue)
        }
    }
}

/// A refused login: NO at once (the wait was charged before the check);
/// the connection closes after `MAX_FAILURES`.
pub async fn refused(
    s: &mut PreAuthSession,
    stream: &mut ServerStream,
    tag: &str,
    text: &str,
) -> std::io::Result<Step> {
    s.failures += 1;
    s.reply(stream, tag, "NO", text).await?;
    if s.failures >= MAX_FAILURES {
        s.send(stream, format!("{}\r\n", texts::TOO_MANY_FAILURES_BYE).as_bytes()).await?;
        return Ok(Step::Close);
    }
    Ok(Step::Continue)
}
