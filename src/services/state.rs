//! The supervisor's state file: `key=value` lines, replaced atomically.

use std::fs;
use std::path::{Path, PathBuf};

use super::Service;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    StartPending,
    Running,
    StopPending,
    /// The supervisor could not start or keep the engine; it is exiting.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    pub supervisor: i32,
    pub engine: i32,
    pub phase: Phase,
    pub error: String,
    pub restarts: u32,
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
    let mut st =
        ServiceState { supervisor: 0, engine: 0, phase: Phase::StartPending, error: String::new(), restarts: 0 };
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else { continue };
        match k {
            "supervisor" => st.supervisor = v.parse().unwrap_or(0),
            "engine" => st.engine = v.parse().unwrap_or(0),
            "restarts" => st.restarts = v.parse().unwrap_or(0),
            "error" => st.error = v.to_string(),
            "status" => {
                st.phase = match v {
                    "Running" => Phase::Running,
                    "StopPending" => Phase::StopPending,
                    "Failed" => Phase::Failed,
                    _ => Phase::StartPending,
                }
            }
            _ => {}
        }
    }
    Some(st)
}

pub fn write(store_path: &Path, s: Service, st: &ServiceState) -> std::io::Result<()> {
    let dir = services_dir(store_path);
    fs::create_dir_all(&dir)?;
    let phase = match st.phase {
        Phase::StartPending => "StartPending",
        Phase::Running => "Running",
        Phase::StopPending => "StopPending",
        Phase::Failed => "Failed",
    };
    let error = st.error.replace(['\r', '\n'], " ");
    let text = format!(
        "supervisor={}\nengine={}\nstatus={phase}\nrestarts={}\nerror={error}\n",
        st.supervisor, st.engine, st.restarts
    );
    let path = state_path(store_path, s);
    let tmp = path.with_extension(format!("state.{}", std::process::id()));
    fs::write(&tmp, text)?;
    fs::rename(&tmp, &path)
}

pub fn remove(store_path: &Path, s: Service) {
    let _ = fs::remove_file(state_path(store_path, s));
}

/// An exclusive lock on `services/<Name>.start.lock`, released on drop
/// (and by the kernel if the holder dies). Not inherited by children.
pub fn lock_start(store_path: &Path, s: Service) -> std::io::Result<fs::File> {
    use std::os::unix::io::AsRawFd;
    let dir = services_dir(store_path);
    fs::create_dir_all(&dir)?;
    let file = fs::File::create(dir.join(format!("{}.start.lock", s.name())))?;
    // SAFETY: flock on a descriptor we own; blocking until the other start ends.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}
