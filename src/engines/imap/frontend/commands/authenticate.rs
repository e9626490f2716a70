//! AUTHENTICATE PLAIN (RFC 3501 6.2.2, SASL-IR RFC 4959) before login;
//! other mechanisms fail. The credentials then go the way LOGIN's do.

use std::borrow::Cow;

use imap_codec::imap_types::auth::AuthMechanism;
use imap_codec::imap_types::secret::Secret;

use super::super::session::{PreAuthSession, Step};
use super::login::{log_in, refused};
use crate::engines::imap::texts;
use crate::engines::imap::wire::CommandReader;
use crate::engines::imap::wire::reader::SaslResponse;
use crate::engines::net::{ServerStream, sasl};

pub async fn run(
    s: &mut PreAuthSession,
    stream: &mut ServerStream,
    reader: &mut CommandReader,
    tag: &str,
    mechanism: AuthMechanism<'static>,
    initial_response: Option<Secret<Cow<'static, [u8]>>>,
) -> std::io::Result<Step> {
    if s.login_disabled(stream) {
        s.reply(stream, tag, "BAD", texts::LOGIN_DISABLED).await?;
        return Ok(Step::Continue);
    }
    if mechanism != AuthMechanism::Plain {
        s.reply(stream, tag, "NO", texts::AUTHENTICATE_FAILED).await?;
        return Ok(Step::Continue);
    }
    let data = match initial_response {
        Some(d) => d.declassify().to_vec(),
        None => {
            s.send(stream, b"+ \r\n").await?;
            let response = {
                let (mut rd, _) = tokio::io::split(&mut *stream);
                reader.sasl_response(&mut rd).await?
            };
            match response {
                SaslResponse::Data(d) => d,
                SaslResponse::Closed => return Ok(Step::Close),
                SaslResponse::Cancelled => {
                    s.reply(stream, tag, "BAD", texts::AUTHENTICATE_CANCELLED).await?;
                    return Ok(Step::Continue);
                }
                SaslResponse::Malformed => {
                    s.reply(stream, tag, "BAD", texts::ARGUMENT_ERROR).await?;
                    return Ok(Step::Continue);
                }
            }
        }
    };
    let Some((user, pass)) = sasl::decode_plain(&data) else {
        return refused(s, stream, tag, texts::AUTHENTICATE_FAILED).await;
    };
    log_in(s, stream, tag, &user, &pass, "AUTHENTICATE", texts::AUTHENTICATE_FAILED).await
}
