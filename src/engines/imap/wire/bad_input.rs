//! Exchange's answers to input the command reader could not take as a
//! command, for both ends (the front end before login, the back end
//! after): one place, so the two cannot drift apart.

use super::Incoming;
use super::out;
use crate::engines::imap::texts;

/// What to send, and whether the connection closes after it.
pub struct BadInputReply {
    pub bytes: Vec<u8>,
    pub closes: bool,
}

impl Incoming {
    /// The answer to input that is not a command; None for a command or
    /// the end of the stream.
    pub fn bad_input_reply(&self) -> Option<BadInputReply> {
        let tagged = |tag: &Option<String>, status: &str, text: &str| {
            let mut bytes = Vec::new();
            out::tagged(&mut bytes, tag.as_deref().unwrap_or("*"), status, text);
            bytes
        };
        match self {
            Incoming::Command(_) | Incoming::Extended { .. } | Incoming::Closed => None,
            Incoming::Invalid { tag, known_command } => {
                let text = if *known_command { texts::ARGUMENT_ERROR } else { texts::COMMAND_ERROR };
                Some(BadInputReply { bytes: tagged(tag, "BAD", text), closes: false })
            }
            Incoming::LiteralRefused { tag } => {
                Some(BadInputReply { bytes: tagged(tag, "NO", texts::LITERAL_TOO_BIG), closes: false })
            }
            Incoming::Abusive { tag } => {
                let mut bytes = tagged(tag, "BAD", texts::COMMAND_ERROR);
                out::line(&mut bytes, texts::ABUSIVE_BYE);
                Some(BadInputReply { bytes, closes: true })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(incoming: Incoming) -> Option<(String, bool)> {
        incoming.bad_input_reply().map(|r| (String::from_utf8_lossy(&r.bytes).into_owned(), r.closes))
    }

    #[test]
    fn exchange_texts_for_each_kind_of_bad_input() {
        assert_eq!(
            reply(Incoming::Invalid { tag: Some("a1".into()), known_command: true }),
            Some(("a1 BAD Command Argument Error. 11\r\n".into(), false))
        );
        assert_eq!(
            reply(Incoming::Invalid { tag: None, known_command: false }),
            Some(("* BAD Command Error. 12\r\n".into(), false))
        );
        assert_eq!(
            reply(Incoming::LiteralRefused { tag: Some("b".into()) }),
            Some(("b NO [TOOBIG] Command Argument Error. 11\r\n".into(), false))
        );
        assert_eq!(
            reply(Incoming::Abusive { tag: Some("c".into()) }),
            Some(("c BAD Command Error. 12\r\n* BYE Connection is closed. 12\r\n".into(), true))
        );
        assert!(reply(Incoming::Closed).is_none());
    }
}
