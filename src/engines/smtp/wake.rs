//! The Transport's cue to the Mailbox Transport Delivery service, which
//! runs in a process of its own: after each message it queues, the
//! Transport sends one datagram to the socket the Delivery service
//! listens on (`<state>/Queue/delivery.wake`, in the server's private
//! folder), and the delivery task wakes at once. Nothing rides on the
//! datagram: a Delivery service that is stopped (no socket) or busy (its
//! socket full) misses it and finds the message in the queue anyway, at
//! start or at its next look (twice a second).

use std::io::ErrorKind;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{Notify, watch};

use crate::engines::net::listener::stopped;

/// Where the Delivery service of the server whose local folder is
/// `state_dir` listens for cues.
pub fn cue_path(state_dir: &Path) -> PathBuf {
    state_dir.join("Queue").join("delivery.wake")
}

/// The Transport's end: an unbound datagram socket that never blocks.
pub struct DeliveryCue {
    socket: Option<UnixDatagram>,
    to: PathBuf,
}

impl DeliveryCue {
    pub fn new(state_dir: &Path) -> DeliveryCue {
        let socket = UnixDatagram::unbound().and_then(|s| s.set_nonblocking(true).map(|()| s));
        if let Err(e) = &socket {
            eprintln!("mailsh: transport: no cue to the Delivery service ({e}); it finds mail on its own");
        }
        DeliveryCue { socket: socket.ok(), to: cue_path(state_dir) }
    }

    /// Tells the Delivery service there is mail; what cannot be sent is
    /// dropped (see the module's comment).
    pub fn ring(&self) {
        if let Some(socket) = &self.socket
            && let Err(e) = socket.send_to(&[1], &self.to)
            && !matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused | ErrorKind::WouldBlock)
        {
            eprintln!("mailsh: transport: the cue to the Delivery service was not sent: {e}");
        }
    }
}

/// The Delivery service's end: bound where `DeliveryCue` sends, in place
/// of what an earlier run left there, the owner's only (as everything in
/// the server's folder).
pub fn listen(state_dir: &Path) -> std::io::Result<UnixDatagram> {
    let path = cue_path(state_dir);
    crate::store::private::create_dir_all(path.parent().unwrap_or(state_dir))?;
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let socket = UnixDatagram::bind(&path)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    socket.set_nonblocking(true)?;
    Ok(socket)
}

/// Rings `wake` for each cue until the service stops (inside the runtime).
pub async fn relay_cues(socket: UnixDatagram, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    let socket = match tokio::net::UnixDatagram::from_std(socket) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mailsh: delivery: the Transport's cues cannot be read ({e}); the queue is read twice a second");
            return;
        }
    };
    let mut buf = [0u8; 16];
    loop {
        tokio::select! {
            got = socket.recv(&mut buf) => match got {
                Ok(_) => wake.notify_one(),
                Err(e) => {
                    eprintln!("mailsh: delivery: the Transport's cues: {e}");
                    return;
                }
            },
            () = stopped(&mut stop) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cue_wakes_the_delivery_task_and_without_a_listener_it_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let cue = DeliveryCue::new(dir.path());
        cue.ring(); // no Delivery service yet: nothing happens
        let socket = listen(dir.path()).unwrap();
        let wake = Arc::new(Notify::new());
        let (stop_tx, stop) = watch::channel(false);
        let relaying = tokio::spawn(relay_cues(socket, wake.clone(), stop));
        cue.ring();
        tokio::time::timeout(std::time::Duration::from_secs(5), wake.notified()).await.unwrap();
        // A second service start takes the place of the first's socket.
        drop(listen(dir.path()).unwrap());
        let _ = stop_tx.send(true);
        relaying.await.unwrap();
    }
}
