//! Mail for a mailbox whose database another server of the organization
//! holds goes on to that server's Transport service, as Exchange 2013's
//! Transport routes to the Mailbox server of the recipient's database (its
//! implicit intra-organization send connector): over the hand-off link
//! (TLS, the organization's key proven both ways), proven as a Transport,
//! so the other side knows the recipients were resolved and forwarded
//! here already and does neither again. Each recipient's answer decides
//! its fate: taken (tracked SEND), refused for good (a failure reported
//! to the sender as any other), or kept in this queue to be tried again
//! (the other Transport stopped or unreachable, or a temporary refusal).

use std::collections::HashSet;
use std::time::Duration;

use super::handoff::{self, Outgoing, Transfer};
use super::transports;
use crate::engines::net::auth::StoreHandle;
use crate::engines::net::back_end_link::{self, BackEndTarget};
use crate::engines::net::mail_databases::OtherServer;
use crate::engines::net::proxy_auth::{Prover, ProxyKey};
use crate::store::queue::PendingDelivery;

/// How long one message may take to be answered (the other side commits
/// it to its queue with an fsync).
const REPLY: Duration = Duration::from_secs(120);

/// What became of the relayed deliveries (indexes into the batch).
#[derive(Default)]
pub(super) struct Outcome {
    /// Taken by the other server's Transport, and which server.
    pub taken: Vec<(usize, String)>,
    /// Refused for good, with the reply.
    pub refused: Vec<(usize, String)>,
    /// To be tried again, and why.
    pub waiting: Vec<(usize, String)>,
}

/// Relays the deliveries `indexes` of `batch` to the Transport of each
/// server.
pub(super) async fn relay(
    directory: &StoreHandle,
    key: &ProxyKey,
    helo: &str,
    batch: &[(PendingDelivery, Vec<u8>)],
    servers: Vec<(OtherServer, Vec<usize>)>,
) -> Outcome {
    let mut out = Outcome::default();
    for (server, indexes) in servers {
        let (dir, guid) = (directory.clone(), server.guid.clone());
        let found = tokio::task::spawn_blocking(move || dir.with(|s| transports::of_server(s, &guid))).await;
        let target = match found {
            Ok(Ok(Some(target))) => target,
            Ok(Ok(None)) => {
                let why = format!(
                    "the Transport service of {} does not run, or {} has no address to be reached at (Setup -Address)",
                    server.name, server.name
                );
                out.waiting.extend(indexes.into_iter().map(|i| (i, why.clone())));
                continue;
            }
            Ok(Err(e)) => {
                let why = format!("the directory could not be read: {e}");
                out.waiting.extend(indexes.into_iter().map(|i| (i, why.clone())));
                continue;
            }
            Err(e) => {
                out.waiting.extend(indexes.into_iter().map(|i| (i, e.to_string())));
                continue;
            }
        };
        let mut answered = HashSet::new();
        if let Err(e) = to_server(&target, key, helo, batch, &indexes, &server.name, &mut out, &mut answered).await {
            let why = format!("the Transport service of {} at {}: {e}", server.name, target.shown());
            out.waiting.extend(indexes.into_iter().filter(|i| !answered.contains(i)).map(|i| (i, why.clone())));
        }
    }
    out
}

/// One connection to `target`, one transaction per message.
#[allow(clippy::too_many_arguments)]
async fn to_server(
    target: &BackEndTarget,
    key: &ProxyKey,
    helo: &str,
    batch: &[(PendingDelivery, Vec<u8>)],
    indexes: &[usize],
    server: &str,
    out: &mut Outcome,
    answered: &mut HashSet<usize>,
) -> std::io::Result<()> {
    let stream = back_end_link::connect_as(target, key, Prover::Transport).await.map_err(std::io::Error::other)?;
    let mut peer =
        tokio::time::timeout(REPLY, handoff::greeted(stream, helo)).await.map_err(std::io::Error::other)??;
    // The deliveries of one message, in the queue's order.
    let mut messages: Vec<(i64, Vec<usize>)> = Vec::new();
    for &i in indexes {
        let id = batch[i].0.message_id;
        match messages.iter_mut().find(|(m, _)| *m == id) {
            Some((_, v)) => v.push(i),
            None => messages.push((id, vec![i])),
        }
    }
    let mut clean = true;
    for (_, group) in messages {
        if !clean {
            tokio::io::AsyncWriteExt::write_all(peer.get_mut(), b"RSET\r\n").await?;
            handoff::read_reply(&mut peer).await?;
        }
        let (first, raw) = &batch[group[0]];
        let outgoing = Outgoing {
            sender: &first.sender,
            dsn: &first.dsn,
            smtputf8: first.smtputf8,
            submitter: None,
            transid: None,
            recipients: group
                .iter()
                .map(|&i| (batch[i].0.recipient.address.as_str(), &batch[i].0.recipient.dsn))
                .collect(),
        };
        let done = tokio::time::timeout(REPLY, handoff::transfer(&mut peer, &outgoing, raw, false))
            .await
            .map_err(std::io::Error::other)?
            .map_err(std::io::Error::from)?;
        clean = done.data.is_some();
        sort(done, &group, server, out);
        answered.extend(group);
    }
    let _ = tokio::io::AsyncWriteExt::write_all(peer.get_mut(), b"QUIT\r\n").await;
    Ok(())
}

/// Each recipient's fate by the answers to its message.
fn sort(done: Transfer, group: &[usize], server: &str, out: &mut Outcome) {
    let permanent = |code: u16| (500..600).contains(&code);
    let mut fate = |i: usize, (code, text): &(u16, String)| {
        if *code == 250 {
            out.taken.push((i, server.to_string()));
        } else if permanent(*code) {
            out.refused.push((i, text.clone()));
        } else {
            out.waiting.push((i, text.clone()));
        }
    };
    if done.sender.0 != 250 {
        group.iter().for_each(|&i| fate(i, &done.sender));
        return;
    }
    let last = done.data.or(done.data_refused).unwrap_or((451, "no answer to DATA".into()));
    for (&i, rcpt) in group.iter().zip(&done.recipients) {
        if rcpt.0 == 250 { fate(i, &last) } else { fate(i, rcpt) }
    }
}
