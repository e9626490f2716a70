//! The supervisor's state file: `key=value` lines, replaced atomically.

use std::fs;
use std::path::{Path, PathBuf};

use super::Service;
use crate::store::private;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    StartPending,
    Running,
    StopPending,
    /// The supervisor could not start or keep the engine; it is exiting.
    Failed,
    /// The supervisor was stopped; it is exiting. (The file stays, so that
    /// a missing file always means a lost one.)
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    pub supervisor: i32,
    pub engine: i32,
    pub phase: Phase,
    pub error: String,
    pub restarts: u32,
    /// Crashes in the last 10 minutes (the supervisor's count).
    pub crashes: u32,
    /// When the next restart is due (Unix milliseconds), while the
    /// supervisor waits to restart a crashed engine; else 0.
    pub retry_at: u64,
}

impl ServiceState {
    pub fn new(supervisor: i32, phase: Phase) -> ServiceState {
        ServiceState { supervisor, engine: 0, phase, error: String::new(), restarts: 0, crashes: 0, retry_at: 0 }
    }
}

pub fn services_dir(store_path: &Path) -> PathBuf {
    crate::store::state_dir_for(store_path).join("services")
}

pub fn state_path(store_path: &Path, s: Service) -> PathBuf {
    services_dir(store_path).join(format!("{}.state", s.name()))
}

pub fn log_path(store_path: &Path, s: Service) -> PathBuf {
    services_dir(store_path).join(format!("{}.log", s.name()))
}

pub fn read(store_path: &Path, s: Service) -> Option<ServiceState> {
    let text = fs::read_to_string(state_path(store_path, s)).ok()?;
    let mut st = ServiceState::new(0, Phase::StartPending);
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else { continue };
        match k {
            "supervisor" => st.supervisor = v.parse().unwrap_or(0),
            "engine" => st.engine = v.parse().unwrap_or(0),
            "restarts" => st.restarts = v.parse().unwrap_or(0),
            "crashes" => st.crashes = v.parse().unwrap_or(0),
            "retry_at" => st.retry_at = v.parse().unwrap_or(0),
            "error" => st.error = v.to_string(),
            "status" => {
                st.phase = match v {
                    "Running" => Phase::Running,
                    "StopPending" => Phase::StopPending,
                    "Failed" => Phase::Failed,
                    "Stopped" => Phase::Stopped,
                    _ => Phase::StartPending,
                }
            }
            _ => {}
        }
    }
    Some(st)
}

pub fn write(store_path: &Path, s: Service, st: &ServiceState) -> std::io::Result<()> {
    write_to(&state_path(store_path, s), st)
}

fn write_to(path: &Path, st: &ServiceState) -> std::io::Result<()> {
    let phase = match st.phase {
        Phase::StartPending => "StartPending",
        Phase::Running => "Running",
        Phase::StopPending => "StopPending",
        Phase::Failed => "Failed",
        Phase::Stopped => "Stopped",
    };
    let error = st.error.replace(['\r', '\n'], " ");
    let text = format!(
        "supervisor={}\nengine={}\nstatus={phase}\nrestarts={}\ncrashes={}\nretry_at={}\nerror={error}\n",
        st.supervisor, st.engine, st.restarts, st.crashes, st.retry_at
    );
    private::write_atomic(path, text.as_bytes())
}

pub fn remove(store_path: &Path, s: Service) {
    let _ = fs::remove_file(state_path(store_path, s));
}

/// Writes the state only if there is no state file (a rebuilt state must
/// never overwrite what the supervisor wrote meanwhile). True if written.
pub fn write_if_missing(store_path: &Path, s: Service, st: &ServiceState) -> bool {
    let path = state_path(store_path, s);
    let mut tmp = path.clone().into_os_string();
    tmp.push(format!(".rebuilt.{}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    if write_to(&tmp, st).is_err() {
        return false;
    }
    let linked = fs::hard_link(&tmp, &path).is_ok();
    let _ = fs::remove_file(&tmp);
    linked
}

/// An exclusive lock on `services/<Name>.start.lock`, released on drop
/// (and by the kernel if the holder dies). Not inherited by children.
pub fn lock_start(store_path: &Path, s: Service) -> std::io::Result<fs::File> {
    use std::os::unix::io::AsRawFd;
    let dir = services_dir(store_path);
    private::create_dir_all(&dir)?;
    let file = private::options()
        .create(true)
        .write(true)
        .truncate(false)
        .open(dir.join(format!("{}.start.lock", s.name())))?;
    // SAFETY: flock on a descriptor we own; blocking until the other start ends.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}
