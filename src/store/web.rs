//! What Exchange leaves to IIS's "Default Web Site", where the Exchange
//! admin center lives (its virtual directory is in `owa.rs`): the HTTP
//! binding redirected to HTTPS and how long a signed-in browser may stay
//! idle.

use rusqlite::types::Value as SqlValue;

use super::cells::Cells;
use super::{Sql, Store, StoreResult, Tx};

/// IIS's settings for the web site the EAC lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSite {
    /// `address:port` of the plain HTTP listener, which only redirects.
    pub http_binding: String,
    /// Seconds a signed-in browser may stay idle before it signs in again.
    pub session_timeout: i64,
}

impl Default for WebSite {
    /// As a new store (and a server of a directory that never set them)
    /// has them: HTTP on port 80 of every address, 15 minutes.
    fn default() -> WebSite {
        WebSite { http_binding: "0.0.0.0:80".into(), session_timeout: 900 }
    }
}

impl Store {
    /// This server's web site: SQLite's one row, or the directory's row of
    /// this server.
    pub fn web_site(&self) -> StoreResult<WebSite> {
        let (sql, params) = match self.any() {
            Sql::Lite(_) => ("SELECT http_binding, session_timeout FROM web_site WHERE id = 1", Vec::new()),
            Sql::Pg(_) => (
                "SELECT http_binding, session_timeout FROM web_site WHERE server_guid = $1",
                vec![SqlValue::Text(self.server().guid.clone())],
            ),
        };
        match self.any().rows(sql, params)?.into_iter().next() {
            Some(row) => {
                let mut c = Cells::new(row, "web site");
                Ok(WebSite { http_binding: c.text()?, session_timeout: c.int()? })
            }
            None => Ok(WebSite::default()),
        }
    }

    /// IIS's own settings have no Exchange cmdlet: an installer (or a test)
    /// writes them here, for the server `server_guid` (SQLite's store is
    /// its one server).
    pub fn save_web_site(tx: &Tx<'_>, server_guid: &str, site: &WebSite) -> StoreResult<()> {
        let (sql, mut params) = match tx.any() {
            Sql::Lite(_) => ("UPDATE web_site SET http_binding = $1, session_timeout = $2 WHERE id = 1", Vec::new()),
            Sql::Pg(_) => (
                "INSERT INTO web_site (http_binding, session_timeout, server_guid) VALUES ($1, $2, $3) \
                 ON CONFLICT (server_guid) DO UPDATE SET http_binding = $1, session_timeout = $2",
                vec![SqlValue::Text(server_guid.to_string())],
            ),
        };
        let mut values = vec![site.http_binding.clone().into(), site.session_timeout.into()];
        values.append(&mut params);
        tx.any().run(sql, values)?;
        Ok(())
    }
}
