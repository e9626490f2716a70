//! One module per SMTP command; `dispatch` checks nothing itself but
//! which module a command goes to.

pub mod auth;
pub mod bdat;
pub mod data;
mod hello;
pub(super) mod mail;
mod rcpt;
mod starttls;

use smtp_proto::Request;

use super::session::{Next, Session};
use super::texts;

/// A command as the protocol log shows it: the verb and its argument,
/// never an AUTH response.
pub fn logged(request: &Request<String>) -> String {
    match request {
        Request::Ehlo { host } | Request::Helo { host } => format!("{} {host}", request.name()),
        Request::Mail { from } => format!("MAIL FROM:<{}>", from.address),
        Request::Rcpt { to } => format!("RCPT TO:<{}>", to.address),
        Request::Auth { initial_response, .. } if !initial_response.is_empty() => "AUTH ****".to_string(),
        other => other.name().to_string(),
    }
}

pub async fn dispatch(s: &mut Session, request: Request<String>) -> Next {
    match request {
        Request::Ehlo { host } => hello::ehlo(s, host),
        Request::Helo { host } => hello::helo(s, host),
        Request::StartTls => starttls::run(s),
        Request::Auth { mechanism, initial_response } => auth::run(s, mechanism, initial_response).await,
        Request::Mail { from } => mail::run(s, from).await,
        Request::Rcpt { to } => rcpt::run(s, to).await,
        Request::Data => data::start(s),
        Request::Bdat { chunk_size, is_last } => bdat::start(s, chunk_size, is_last),
        Request::Rset => {
            s.envelope = None;
            s.reply(texts::RESETTING);
            Next::Continue
        }
        Request::Noop { .. } => {
            s.reply(texts::OK);
            Next::Continue
        }
        Request::Quit => {
            s.reply(texts::CLOSING);
            Next::Quit
        }
        Request::Vrfy { .. } => {
            s.reply(texts::VRFY);
            Next::Continue
        }
        // LHLO (LMTP), EXPN, HELP, ETRN,
        // ATRN, BURL: not implemented, and said so.
        _ => {
            s.reply(texts::NOT_IMPLEMENTED);
            Next::Continue
        }
    }
}
