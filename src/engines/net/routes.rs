//! Where a Client Access front end sends a logged-on user: to the back end
//! of the server that holds the user's mailbox database, as Exchange 2013's
//! front ends proxy to the mailbox's server. This server's own back end is
//! reached through the connection made ahead (`spare_link`); another
//! server's at its address over TLS (`back_end_link`). What the directory
//! says (databases, servers, their addresses and ProxyTargetPort) is kept
//! and read again once it changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::auth::Authenticator;
use super::back_end_link::BackEndTarget;
use super::data_version::Changes;
use crate::store::{Mailbox, Protocol, Store, StoreError};

/// Where a user goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// This server's back end.
    Own,
    /// Another server's back end: where, and the server's name.
    To(BackEndTarget, String),
    /// Nowhere now: the words for the service log (the user is told they
    /// are authenticated but not connected).
    Nowhere(String),
}

/// Cloning shares it.
#[derive(Clone)]
pub struct Routes {
    inner: Arc<Inner>,
}

struct Inner {
    server_guid: String,
    protocol: Protocol,
    /// This server's own back end, as its front end reaches it.
    own: BackEndTarget,
    access: Changes,
    known: Mutex<Option<Known>>,
}

/// The directory as last read.
struct Known {
    generation: u64,
    /// Database GUID to its server's GUID.
    databases: HashMap<String, String>,
    /// Server GUID to its name and where its back end is (None: the
    /// server has no address, so no other server reaches it).
    servers: HashMap<String, (String, Option<BackEndTarget>)>,
}

impl Routes {
    pub fn new(store: &Store, protocol: Protocol, own: BackEndTarget, access: Changes) -> Routes {
        Routes {
            inner: Arc::new(Inner {
                server_guid: store.server().guid.clone(),
                protocol,
                own,
                access,
                known: Mutex::new(None),
            }),
        }
    }

    /// Where `m` goes; reads the directory (through `auth`'s connection)
    /// only when it changed since the last look.
    pub async fn route(&self, auth: &Authenticator, m: &Mailbox) -> Route {
        let generation = self.inner.access.generation();
        if let Some(route) = self.known_route(generation, m) {
            return route;
        }
        let (server, protocol, own) = (self.inner.server_guid.clone(), self.inner.protocol, self.inner.own.clone());
        match auth.with_store(move |s| read(s, &server, protocol, &own)).await {
            Ok((databases, servers)) => {
                *self.inner.known.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(Known { generation, databases, servers });
                self.known_route(generation, m).unwrap_or_else(|| Route::Nowhere("the directory changed".into()))
            }
            Err(e) => Route::Nowhere(format!("the directory could not be read: {e}")),
        }
    }

    /// The route from what is known, if it is current.
    fn known_route(&self, generation: u64, m: &Mailbox) -> Option<Route> {
        let known = self.inner.known.lock().unwrap_or_else(|p| p.into_inner());
        let known = known.as_ref().filter(|k| k.generation == generation)?;
        let Some(database) = m.database.as_ref() else {
            return Some(Route::Nowhere("the mailbox is in no mailbox database".into()));
        };
        let Some(server) = known.databases.get(database) else {
            // A database made since the last look: read again.
            return None;
        };
        if *server == self.inner.server_guid {
            return Some(Route::Own);
        }
        Some(match known.servers.get(server) {
            Some((name, Some(target))) => Route::To(target.clone(), name.clone()),
            Some((name, None)) => Route::Nowhere(format!(
                "its mailbox database is on {name}, which has no address for the other servers (Setup -Address)"
            )),
            None => Route::Nowhere("its mailbox database's server is not in the directory".into()),
        })
    }
}

type Read = (HashMap<String, String>, HashMap<String, (String, Option<BackEndTarget>)>);

/// The databases and the servers with where their back ends of `protocol`
/// listen.
fn read(s: &Store, this: &str, protocol: Protocol, own: &BackEndTarget) -> Result<Read, StoreError> {
    let databases = s.mailbox_databases()?.into_iter().map(|d| (d.guid, d.server_guid)).collect();
    let mut servers = HashMap::new();
    for server in s.exchange_servers()? {
        let target = if server.guid == this {
            Some(own.clone())
        } else {
            match &server.address {
                Some(a) => {
                    let port = s.protocol_settings_of(&server.guid, protocol)?.proxy_target_port;
                    u16::try_from(port).ok().map(|p| BackEndTarget::at(a, p))
                }
                None => None,
            }
        };
        servers.insert(server.guid, (server.name, target));
    }
    Ok((databases, servers))
}
