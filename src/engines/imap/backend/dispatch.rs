//! The single place that checks the session state before a command runs:
//! not authenticated, authenticated, selected (RFC 3501 section 3).

use imap_codec::imap_types::command::{Command, CommandBody};

use super::commands;
use super::session::{AfterCommand, ImapSession, Io};
use crate::engines::imap::texts;
use crate::engines::imap::wire::Incoming;
use crate::engines::net::protolog::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Any,
    NotAuthenticated,
    Authenticated,
    Selected,
}

fn needs(body: &CommandBody) -> Option<Needs> {
    use CommandBody::*;
    Some(match body {
        Capability | Noop | Logout | Id { .. } => Needs::Any,
        Authenticate { .. } | Login { .. } | StartTLS => Needs::NotAuthenticated,
        Enable { .. }
        | Select { .. }
        | Examine { .. }
        | Create { .. }
        | Delete { .. }
        | Rename { .. }
        | Subscribe { .. }
        | Unsubscribe { .. }
        | List { .. }
        | Lsub { .. }
        | Status { .. }
        | Append { .. }
        | Namespace
        | Idle => Needs::Authenticated,
        Check
        | Close
        | Unselect
        | Expunge
        | ExpungeUid { .. }
        | Search { .. }
        | Fetch { .. }
        | Store { .. }
        | Copy { .. }
        | Move { .. } => Needs::Selected,
        _ => return None,
    })
}

pub async fn incoming(s: &mut ImapSession, io: &mut Io, incoming: Incoming) -> std::io::Result<AfterCommand> {
    if let Some(bad) = incoming.bad_input_reply() {
        s.out.extend_from_slice(&bad.bytes);
        return Ok(if bad.closes { AfterCommand::Close } else { AfterCommand::Continue });
    }
    match incoming {
        Incoming::Command(cmd) => command(s, io, cmd).await,
        _ => Ok(AfterCommand::Close),
    }
}

async fn command(s: &mut ImapSession, io: &mut Io, cmd: Command<'static>) -> std::io::Result<AfterCommand> {
    let tag = cmd.tag.inner().to_string();
    if s.log.enabled() {
        // The command name only: arguments may hold a password.
        s.log.note(Event::Received, &format!("{tag} {}", cmd.name()));
    }
    let Some(need) = needs(&cmd.body) else {
        s.tagged(&tag, "BAD", texts::COMMAND_ERROR);
        return Ok(AfterCommand::Continue);
    };
    let allowed = match need {
        Needs::Any => true,
        Needs::NotAuthenticated => s.user.is_none(),
        Needs::Authenticated => s.user.is_some(),
        Needs::Selected => s.selected.is_some(),
    };
    if !allowed {
        s.tagged(&tag, "BAD", texts::INVALID_STATE);
        return Ok(AfterCommand::Continue);
    }
    // EXPUNGE responses are not allowed while the client may be relying on
    // sequence numbers: during FETCH, STORE and SEARCH (RFC 3501 7.4.1).
    let allow_expunge = !matches!(
        &cmd.body,
        CommandBody::Fetch { uid: false, .. }
            | CommandBody::Store { uid: false, .. }
            | CommandBody::Search { uid: false, .. }
    );
    let done = commands::run(s, io, &tag, cmd.body).await?;
    if done.then == AfterCommand::Continue
        && s.selected.is_some()
        && let Err(e) = s.sync(allow_expunge).await
    {
        s.store_failed(&tag, &e);
        return Ok(AfterCommand::Continue);
    }
    s.tagged(&tag, done.status, &done.text);
    Ok(done.then)
}
