//! What the shell's service cmdlets call: status, start, stop. Each call
//! reads the state folder afresh, so any shell sees services another
//! shell started. A process is this store's service only if its command
//! line carries this store's id (`procs`); nothing is signalled otherwise.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::state::{self, Phase, ServiceState};
use super::{ENGINE_FLAG, SERVICE_FLAG, STORE_FLAG, STORE_ID_FLAG, Service, ServiceError, ServiceStatus, procs};

const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);
const WAIT_NOTICE: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct ServiceControl {
    /// The mailsh binary to run services with (std::env::current_exe()).
    pub exe: PathBuf,
    pub store_path: PathBuf,
}

/// A service whose engine keeps crashing: the supervisor waits before the
/// next restart (and will keep restarting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restarting {
    /// Crashes in the last 10 minutes.
    pub crashes: u32,
    /// Until the next attempt.
    pub next_in: Duration,
    /// The service's log, where each crash and restart is written.
    pub log: PathBuf,
}

impl ServiceControl {
    /// This store's id (`store::instance_id`); None if the store cannot be
    /// read, and then no process is taken for its service.
    fn store_id(&self) -> Option<String> {
        crate::store::instance_id(&self.store_path).ok()
    }

    pub fn status(&self, s: Service) -> ServiceStatus {
        let Some(id) = self.store_id() else { return ServiceStatus::Stopped };
        self.status_of(s, &id)
    }

    fn status_of(&self, s: Service, id: &str) -> ServiceStatus {
        let Some(st) = self.state(s, id) else { return ServiceStatus::Stopped };
        if !procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), id) {
            return ServiceStatus::Stopped;
        }
        match st.phase {
            // Between a crash and the restart the engine pid is dead.
            Phase::Running if !procs::is_service_process(st.engine, ENGINE_FLAG, s.name(), id) => {
                ServiceStatus::StartPending
            }
            Phase::Running => ServiceStatus::Running,
            Phase::StartPending => ServiceStatus::StartPending,
            Phase::StopPending => ServiceStatus::StopPending,
            Phase::Failed | Phase::Stopped => ServiceStatus::Stopped,
        }
    }

    /// The service's state file. If it is gone (its folder was deleted
    /// while the service ran) or names processes that are not this store's
    /// service, the state is rebuilt from the processes that carry this
    /// store's id, and written back.
    fn state(&self, s: Service, id: &str) -> Option<ServiceState> {
        let read = state::read(&self.store_path, s);
        // A file naming its own supervisor (alive or not: a supervisor that
        // ended wrote Stopped or Failed last) is the truth.
        if let Some(st) = &read
            && (procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), id)
                || matches!(st.phase, Phase::Stopped | Phase::Failed))
        {
            return read;
        }
        let Some(supervisor) = procs::find(SERVICE_FLAG, s.name(), id).into_iter().next() else { return read };
        let engine = procs::find(ENGINE_FLAG, s.name(), id)
            .into_iter()
            .find(|&e| procs::parent(e) == Some(supervisor))
            .unwrap_or(0);
        let mut st = ServiceState::new(supervisor, if engine > 0 { Phase::Running } else { Phase::StartPending });
        st.engine = engine;
        if read.is_some() {
            state::remove(&self.store_path, s);
        }
        if state::write_if_missing(&self.store_path, s, &st) {
            // The supervisor's log goes on in the file it opened (perhaps
            // deleted); this line goes where the administrator will look.
            if let Ok(mut log) = crate::store::private::append(&state::log_path(&self.store_path, s)) {
                use std::io::Write;
                let _ = writeln!(
                    log,
                    "{} {}: the state file was missing or stale; rebuilt from the running processes of this store (supervisor {supervisor}, engine {engine})",
                    crate::engines::net::time::iso_now(),
                    s.name()
                );
            }
        }
        Some(st)
    }

    /// Whether the supervisor is waiting to restart an engine that keeps
    /// crashing (more than the quick restarts of its window).
    pub fn restarting(&self, s: Service) -> Option<Restarting> {
        let id = self.store_id()?;
        let st = self.state(s, &id)?;
        let waiting = st.phase == Phase::StartPending
            && st.crashes as usize > super::supervisor::QUICK_RESTARTS
            && procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), &id)
            && !procs::is_service_process(st.engine, ENGINE_FLAG, s.name(), &id);
        if !waiting {
            return None;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        Some(Restarting {
            crashes: st.crashes,
            next_in: Duration::from_millis(st.retry_at.saturating_sub(now)),
            log: state::log_path(&self.store_path, s),
        })
    }

    /// Returns once the service listens on all its bindings, or why it
    /// cannot. A running service is left alone.
    pub fn start(&self, s: Service, on_wait: &mut dyn FnMut()) -> Result<(), ServiceError> {
        let mut notice = Waiter::new(on_wait);
        let id = crate::store::instance_id(&self.store_path).map_err(|e| ServiceError::Failed(e.to_string()))?;
        // Two shells starting the same service at once: the second waits
        // for the first and then finds it running.
        let _lock = state::lock_start(&self.store_path, s).map_err(|e| ServiceError::Failed(e.to_string()))?;
        loop {
            match self.status_of(s, &id) {
                ServiceStatus::Running => return Ok(()),
                ServiceStatus::StartPending => return self.wait_started(s, &id, &mut notice),
                ServiceStatus::StopPending => {
                    self.wait_stopped(s, &id, &mut notice)?;
                }
                ServiceStatus::Stopped => break,
            }
        }
        if self.startup_disabled(s) {
            return Err(ServiceError::Disabled);
        }
        state::remove(&self.store_path, s);
        let log = state::log_path(&self.store_path, s);
        let open_log = || crate::store::private::append(&log);
        let (out, err) = match (open_log(), open_log()) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => return Err(ServiceError::Failed(format!("{}: {e}", log.display()))),
        };
        // The child forks the supervisor off and exits at once; waiting for
        // it here reaps it, and the supervisor is nobody's zombie.
        let (store_arg, store_env) = super::store_for_child(&self.store_path);
        let status = Command::new(&self.exe)
            .arg(SERVICE_FLAG)
            .arg(s.name())
            .arg(STORE_FLAG)
            .arg(&store_arg)
            .envs(store_env.iter().map(|(k, v)| (k, v)))
            .arg(STORE_ID_FLAG)
            .arg(&id)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .map_err(|e| ServiceError::Failed(format!("{}: {e}", self.exe.display())))?;
        if !status.success() {
            return Err(ServiceError::Failed(format!("The service process could not be started ({status}).")));
        }
        self.wait_started(s, &id, &mut notice)
    }

    /// Asks the supervisor to stop (SIGTERM: a graceful stop of the engine)
    /// and waits until it is gone. A stopped service is left alone, and so
    /// is any process that is not this store's service.
    pub fn stop(&self, s: Service, on_wait: &mut dyn FnMut()) -> Result<(), ServiceError> {
        let mut notice = Waiter::new(on_wait);
        let Some(id) = self.store_id() else { return Ok(()) };
        let Some(st) = self.state(s, &id) else { return Ok(()) };
        if !procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), &id) {
            state::remove(&self.store_path, s);
            return Ok(());
        }
        procs::signal(st.supervisor, libc::SIGTERM);
        match self.wait_stopped(s, &id, &mut notice) {
            Ok(()) => Ok(()),
            Err(_) => {
                // It would not stop gracefully: end it and its engine.
                if procs::is_service_process(st.engine, ENGINE_FLAG, s.name(), &id) {
                    procs::signal(st.engine, libc::SIGKILL);
                }
                if procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), &id) {
                    procs::signal(st.supervisor, libc::SIGKILL);
                }
                let began = Instant::now();
                while procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), &id) {
                    if began.elapsed() > Duration::from_secs(2) {
                        return Err(ServiceError::Timeout);
                    }
                    std::thread::sleep(POLL);
                }
                state::remove(&self.store_path, s);
                Ok(())
            }
        }
    }

    fn wait_started(&self, s: Service, id: &str, notice: &mut Waiter) -> Result<(), ServiceError> {
        let began = Instant::now();
        loop {
            let st = state::read(&self.store_path, s);
            let alive =
                st.as_ref().is_some_and(|st| procs::is_service_process(st.supervisor, SERVICE_FLAG, s.name(), id));
            match st {
                Some(st) if st.phase == Phase::Failed => {
                    return Err(ServiceError::Failed(non_empty(st.error, "The service terminated unexpectedly.")));
                }
                Some(st) if st.phase == Phase::Running && alive => return Ok(()),
                Some(st) if !alive && st.supervisor != 0 => {
                    return Err(ServiceError::Failed(non_empty(st.error, "The service terminated unexpectedly.")));
                }
                _ => {}
            }
            if began.elapsed() > START_TIMEOUT {
                return Err(ServiceError::Timeout);
            }
            notice.tick();
            std::thread::sleep(POLL);
        }
    }

    fn wait_stopped(&self, s: Service, id: &str, notice: &mut Waiter) -> Result<(), ServiceError> {
        let began = Instant::now();
        while self.status_of(s, id) != ServiceStatus::Stopped {
            if began.elapsed() > STOP_TIMEOUT {
                return Err(ServiceError::Timeout);
            }
            notice.tick();
            std::thread::sleep(POLL);
        }
        Ok(())
    }

    fn startup_disabled(&self, s: Service) -> bool {
        crate::store::Store::open_existing(&self.store_path)
            .ok()
            .and_then(|store| store.startup_type(s.name()).ok())
            .is_some_and(|t| t == crate::store::StartupType::Disabled)
    }
}

fn non_empty(text: String, fallback: &str) -> String {
    if text.trim().is_empty() { fallback.to_string() } else { text }
}

/// Calls the shell's callback every ~2 s of waiting (its "WARNING: Waiting
/// for service ..." line).
struct Waiter<'a> {
    on_wait: &'a mut dyn FnMut(),
    last: Instant,
}

impl<'a> Waiter<'a> {
    fn new(on_wait: &'a mut dyn FnMut()) -> Waiter<'a> {
        Waiter { on_wait, last: Instant::now() }
    }

    fn tick(&mut self) {
        if self.last.elapsed() >= WAIT_NOTICE {
            self.last = Instant::now();
            (self.on_wait)();
        }
    }
}
