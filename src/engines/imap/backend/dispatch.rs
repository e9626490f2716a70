//! The single place that checks the session state before a command runs:
//! not authenticated, authenticated, selected (RFC 3501 section 3).

use imap_codec::imap_types::command::{Command, CommandBody};

use super::commands;
use super::session::{AfterCommand, ImapSession, Io};
use crate::engines::imap::texts;
use crate::engines::imap::wire::Incoming;
use crate::engines::imap::wire::ext::{DollarMark, ExtCommand, put_dollar};
use crate::engines::imap::wire::reader::decode_command;
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
        | GetQuota { .. }
        | GetQuotaRoot { .. }
        | SetQuota { .. }
        | Compress { .. }
        | Idle => Needs::Authenticated,
        Check
        | Close
        | Unselect
        | Expunge
        | ExpungeUid { .. }
        | Search { .. }
        | Sort { .. }
        | Thread { .. }
        | Fetch { .. }
        | Store { .. }
        | Copy { .. }
        | Move { .. } => Needs::Selected,
    })
}

/// CONDSTORE/QRESYNC parameters of SELECT, FETCH, STORE and ENABLE, as
/// sent (numbers only: nothing private).
fn modifiers(body: &CommandBody) -> String {
    use imap_codec::imap_types::command::{FetchModifier, SelectParameter, StoreModifier};
    let mut out = Vec::new();
    match body {
        CommandBody::Select { parameters, .. } | CommandBody::Examine { parameters, .. } => {
            for p in parameters {
                out.push(match p {
                    SelectParameter::CondStore => "CONDSTORE".to_string(),
                    SelectParameter::QResync { uid_validity, mod_sequence_value, .. } => {
                        format!("QRESYNC ({uid_validity} {mod_sequence_value})")
                    }
                });
            }
        }
        CommandBody::Fetch { modifiers, .. } => {
            for m in modifiers {
                out.push(match m {
                    FetchModifier::ChangedSince(n) => format!("CHANGEDSINCE {n}"),
                    FetchModifier::Vanished => "VANISHED".to_string(),
                });
            }
        }
        CommandBody::Store { modifiers, .. } => {
            for StoreModifier::UnchangedSince(n) in modifiers {
                out.push(format!("UNCHANGEDSINCE {n}"));
            }
        }
        CommandBody::Enable { capabilities } => out.extend(capabilities.as_ref().iter().map(|c| c.to_string())),
        _ => {}
    }
    if out.is_empty() { String::new() } else { format!(" ({})", out.join(" ")) }
}

pub async fn incoming(s: &mut ImapSession, io: &mut Io, incoming: Incoming) -> std::io::Result<AfterCommand> {
    let incoming = match incoming {
        Incoming::Extended { tag, command: ExtCommand::Dollar { message, marks } } => {
            match with_saved_result(s, &message, &marks) {
                Some(again) => again,
                None => {
                    s.tagged(&tag, "BAD", texts::INVALID_STATE);
                    return Ok(AfterCommand::Continue);
                }
            }
        }
        other => other,
    };
    if let Some(bad) = incoming.bad_input_reply() {
        s.out.extend_from_slice(&bad.bytes);
        return Ok(if bad.closes { AfterCommand::Close } else { AfterCommand::Continue });
    }
    match incoming {
        Incoming::Command(cmd) => command(s, io, cmd).await,
        Incoming::Extended { tag, command } => extended(s, io, tag, command).await,
        _ => Ok(AfterCommand::Close),
    }
}

/// The command with the saved search result put in for each `$` (RFC 9051
/// 6.4.4.1), read again; None when no folder is selected (`$` has no
/// meaning then).
fn with_saved_result(s: &ImapSession, message: &[u8], marks: &[DollarMark]) -> Option<Incoming> {
    let (seqs, uids) = s.selected.as_ref()?.saved_sets();
    match decode_command(&put_dollar(message, marks, &seqs, &uids)) {
        // Put in, the sets hold no `$`: a second round cannot happen.
        Incoming::Extended { tag, command: ExtCommand::Dollar { .. } } => {
            Some(Incoming::Invalid { tag: Some(tag), known_command: true })
        }
        again => Some(again),
    }
}

async fn command(s: &mut ImapSession, io: &mut Io, cmd: Command<'static>) -> std::io::Result<AfterCommand> {
    let tag = cmd.tag.inner().to_string();
    if s.log.enabled() {
        // The command name only (arguments may hold a password), and the
        // sync modifiers a client sent, which tell how it resynchronises.
        s.log.note(Event::Received, &format!("{tag} {}{}", cmd.name(), modifiers(&cmd.body)));
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
            | CommandBody::Sort { uid: false, .. }
            | CommandBody::Thread { uid: false, .. }
    );
    let done = commands::run(s, io, &tag, cmd.body).await?;
    finish(s, &tag, done, allow_expunge).await
}

/// After a command: the pending updates of the selected folder (EXPUNGE
/// responses only where allowed), then the tagged line.
async fn finish(
    s: &mut ImapSession,
    tag: &str,
    done: commands::Done,
    allow_expunge: bool,
) -> std::io::Result<AfterCommand> {
    if done.answered {
        return Ok(done.then);
    }
    if done.then == AfterCommand::Continue
        && s.selected.is_some()
        && let Err(e) = s.sync(allow_expunge).await
    {
        s.store_failed(tag, &e);
        return Ok(AfterCommand::Continue);
    }
    s.tagged(tag, done.status, &done.text);
    Ok(done.then)
}

/// A command in extension syntax (`wire::ext`): the same state rules.
async fn extended(s: &mut ImapSession, io: &mut Io, tag: String, ext: ExtCommand) -> std::io::Result<AfterCommand> {
    if s.log.enabled() {
        let name = match &ext {
            ExtCommand::Search { search, .. } if matches!(search.body, CommandBody::Sort { .. }) => "SORT RETURN",
            ExtCommand::Search { .. } => "SEARCH RETURN",
            ExtCommand::Create { .. } => "CREATE (USE)",
            ExtCommand::List { .. } => "LIST-EXTENDED",
            ExtCommand::MultiAppend { .. } => "MULTIAPPEND",
            ExtCommand::Status { .. } => "STATUS (APPENDLIMIT)",
            ExtCommand::Dollar { .. } => "$",
        };
        s.log.note(Event::Received, &format!("{tag} {name}"));
    }
    let (allowed, allow_expunge) = match &ext {
        ExtCommand::Search { search, .. } => {
            let by_number =
                matches!(search.body, CommandBody::Search { uid: false, .. } | CommandBody::Sort { uid: false, .. });
            (s.selected.is_some(), !by_number)
        }
        _ => (s.user.is_some(), true),
    };
    if !allowed {
        s.tagged(&tag, "BAD", texts::INVALID_STATE);
        return Ok(AfterCommand::Continue);
    }
    let _ = io;
    let done = commands::run_extended(s, &tag, ext).await;
    finish(s, &tag, done, allow_expunge).await
}
