//! COMPRESS DEFLATE (RFC 4978): the tagged OK goes out uncompressed, then
//! both directions are deflated (`wire::deflate`) for the rest of the
//! session. A second COMPRESS is refused with COMPRESSIONACTIVE.

use super::Done;
use crate::engines::imap::backend::session::{ImapSession, Io};

pub async fn run(s: &mut ImapSession, io: &mut Io, tag: &str) -> std::io::Result<Done> {
    if io.compressed() {
        return Ok(Done::no("[COMPRESSIONACTIVE] DEFLATE is already active."));
    }
    s.tagged(tag, "OK", "DEFLATE active.");
    s.flush(io).await?;
    io.start_deflate();
    let mut done = Done::completed("COMPRESS");
    done.answered = true;
    Ok(done)
}
