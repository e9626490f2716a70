//! What Exchange leaves to IIS's "Default Web Site", where the Exchange
//! admin center lives (its virtual directory is in `owa.rs`): the HTTP
//! binding redirected to HTTPS and how long a signed-in browser may stay
//! idle.

use rusqlite::params;

use super::{Store, StoreResult, Tx};

/// What the refusal names on PostgreSQL (not ported yet).
const WHAT: &str = "The Exchange admin center's web site settings";

/// IIS's settings for the web site the EAC lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSite {
    /// `address:port` of the plain HTTP listener, which only redirects.
    pub http_binding: String,
    /// Seconds a signed-in browser may stay idle before it signs in again.
    pub session_timeout: i64,
}

impl Store {
    pub fn web_site(&self) -> StoreResult<WebSite> {
        Ok(self.conn(WHAT)?.query_row("SELECT http_binding, session_timeout FROM web_site WHERE id = 1", [], |r| {
            Ok(WebSite { http_binding: r.get(0)?, session_timeout: r.get(1)? })
        })?)
    }

    /// IIS's own settings have no Exchange cmdlet: an installer (or a test)
    /// writes them here.
    pub fn save_web_site(tx: &Tx<'_>, site: &WebSite) -> StoreResult<()> {
        tx.sql(WHAT)?.execute(
            "UPDATE web_site SET http_binding = ?1, session_timeout = ?2 WHERE id = 1",
            params![site.http_binding, site.session_timeout],
        )?;
        Ok(())
    }
}
