//! The Transport's logs deleted past their age, as Exchange's log managers
//! do: message tracking (MessageTrackingLogMaxAge), SMTP receive
//! (ReceiveProtocolLogMaxAge) and send (SendProtocolLogMaxAge) logs, 30
//! days each unless Set-TransportService says otherwise (00:00:00 keeps
//! them). At the service's start, then every hour. The Transport also ages
//! the Frontend Transport's receive logs, by ReceiveProtocolLogMaxAge
//! (Exchange sets theirs with Set-FrontendTransportService, which mailsh
//! has not).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::engines::net::listener::stopped;
use crate::store::tracking::delete_logs_older_than;

const EVERY: Duration = Duration::from_secs(3600);

/// Each log folder and the age past which its files go.
#[derive(Debug, Clone, Default)]
pub struct LogAges {
    pub folders: Vec<(PathBuf, Duration)>,
}

pub async fn run(ages: LogAges, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown;
    loop {
        let folders = ages.folders.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for (dir, age) in folders.iter().filter(|(_, age)| !age.is_zero()) {
                delete_logs_older_than(dir, *age, SystemTime::now());
            }
        })
        .await;
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            () = stopped(&mut stop) => return,
        }
    }
}
