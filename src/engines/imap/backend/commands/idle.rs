//! IDLE (RFC 2177): `+ idling`, then changes from other sessions (and
//! other processes: the POP3 back end) are pushed until DONE. A keep-alive
//! every two minutes; no autologout under 30 minutes.

use std::time::Duration;

use tokio::time::{Instant, sleep_until};

use super::Done;
use crate::engines::imap::backend::session::{ImapSession, Io};
use crate::engines::imap::texts;
use crate::engines::imap::wire::{out, reader::is_done};

/// Changes are announced through `BackEnd::changed` (the back end's change
/// watch covers other processes); this is only a safety net.
const POLL: Duration = Duration::from_secs(30);
const KEEPALIVE: Duration = Duration::from_secs(120);

enum Wake {
    Line(std::io::Result<Option<Vec<u8>>>),
    Changed,
    Poll,
    Keepalive,
    Access,
    Shutdown,
    Timeout,
}

pub async fn run(s: &mut ImapSession, io: &mut Io, _tag: &str) -> std::io::Result<Done> {
    out::line(&mut s.out, "+ idling");
    s.flush(io).await?;
    let mut changed = s.home.changed.subscribe();
    let mut access = s.shared.ctx.access.subscribe();
    let mut shutdown = s.shared.ctx.shutdown.clone();
    let limit = Duration::from_secs(s.shared.ctx.settings.authenticated_connection_timeout.max(31 * 60) as u64);
    let deadline = Instant::now() + limit;
    let mut keepalive = Instant::now() + KEEPALIVE;
    loop {
        let wake = tokio::select! {
            l = io.reader.next_line(&mut io.rd) => Wake::Line(l),
            Ok(()) = changed.changed() => Wake::Changed,
            _ = tokio::time::sleep(POLL) => Wake::Poll,
            _ = sleep_until(keepalive) => Wake::Keepalive,
            Ok(()) = access.changed() => Wake::Access,
            Ok(()) = shutdown.changed() => Wake::Shutdown,
            _ = sleep_until(deadline) => Wake::Timeout,
        };
        match wake {
            Wake::Line(Ok(Some(line))) if is_done(&line) => return Ok(Done::completed("IDLE")),
            Wake::Line(Ok(Some(_))) => return Ok(Done::bad(texts::ARGUMENT_ERROR)),
            Wake::Line(Ok(None)) => return Ok(Done::completed("IDLE").closing()),
            Wake::Line(Err(e)) => return Err(e),
            Wake::Changed | Wake::Poll => {
                if let Err(e) = s.sync(true).await {
                    eprintln!("mailsh: IMAP4 back end: mailbox database error during IDLE: {e}");
                }
            }
            Wake::Keepalive => {
                s.untagged("OK Still here");
                keepalive = Instant::now() + KEEPALIVE;
            }
            Wake::Access => {
                s.refresh_quotas().await;
                if !s.still_allowed().await {
                    out::line(&mut s.out, texts::ACCESS_REVOKED_BYE);
                    s.flush(io).await?;
                    return Ok(Done::completed("IDLE").closing());
                }
            }
            Wake::Shutdown => {
                out::line(&mut s.out, texts::SHUTDOWN_BYE);
                s.flush(io).await?;
                return Ok(Done::completed("IDLE").closing());
            }
            Wake::Timeout => {
                out::line(&mut s.out, texts::IDLE_TIMEOUT_BYE);
                s.flush(io).await?;
                return Ok(Done::completed("IDLE").closing());
            }
        }
        s.flush(io).await?;
    }
}
