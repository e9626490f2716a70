//! What the shell's service cmdlets call: status, start, stop. Each call
//! reads the state folder afresh, so any shell sees services another
//! shell started.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::state::{self, Phase};
use super::{SERVICE_FLAG, STORE_FLAG, Service, ServiceError, ServiceStatus, procs};

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

impl ServiceControl {
    pub fn status(&self, s: Service) -> ServiceStatus {
        let Some(st) = state::read(&self.store_path, s) else { return ServiceStatus::Stopped };
        if !procs::is_our_process(st.supervisor, SERVICE_FLAG, s.name()) {
            return ServiceStatus::Stopped;
        }
        match st.phase {
            // Between a crash and the restart the engine pid is dead.
            Phase::Running if !procs::is_our_process(st.engine, super::ENGINE_FLAG, s.name()) => {
                ServiceStatus::StartPending
            }
            Phase::Running => ServiceStatus::Running,
            Phase::StartPending => ServiceStatus::StartPending,
            Phase::StopPending => ServiceStatus::StopPending,
            Phase::Failed => ServiceStatus::Stopped,
        }
    }

    /// Returns once the service listens on all its bindings, or why it
    /// cannot. A running service is left alone.
    pub fn start(&self, s: Service, on_wait: &mut dyn FnMut()) -> Result<(), ServiceError> {
        let mut notice = Waiter::new(on_wait);
        // Two shells starting the same service at once: the second waits
        // for the first and then finds it running.
        let _lock = state::lock_start(&self.store_path, s).map_err(|e| ServiceError::Failed(e.to_string()))?;
        loop {
            match self.status(s) {
                ServiceStatus::Running => return Ok(()),
                ServiceStatus::StartPending => return self.wait_started(s, &mut notice),
                ServiceStatus::StopPending => {
                    self.wait_stopped(s, &mut notice)?;
                }
                ServiceStatus::Stopped => break,
            }
        }
        if self.startup_disabled(s) {
            return Err(ServiceError::Disabled);
        }
        state::remove(&self.store_path, s);
        let log = state::log_path(&self.store_path, s);
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ServiceError::Failed(e.to_string()))?;
        }
        let open_log = || OpenOptions::new().create(true).append(true).open(&log);
        let (out, err) = match (open_log(), open_log()) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => return Err(ServiceError::Failed(format!("{}: {e}", log.display()))),
        };
        // The child forks the supervisor off and exits at once; waiting for
        // it here reaps it, and the supervisor is nobody's zombie.
        let status = Command::new(&self.exe)
            .arg(SERVICE_FLAG)
            .arg(s.name())
            .arg(STORE_FLAG)
            .arg(&self.store_path)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .map_err(|e| ServiceError::Failed(format!("{}: {e}", self.exe.display())))?;
        if !status.success() {
            return Err(ServiceError::Failed(format!("The service process could not be started ({status}).")));
        }
        self.wait_started(s, &mut notice)
    }

    /// Asks the supervisor to stop (SIGTERM: a graceful stop of the engine)
    /// and waits until it is gone. A stopped service is left alone.
    pub fn stop(&self, s: Service, on_wait: &mut dyn FnMut()) -> Result<(), ServiceError> {
        let mut notice = Waiter::new(on_wait);
        let Some(st) = state::read(&self.store_path, s) else { return Ok(()) };
        if !procs::is_our_process(st.supervisor, SERVICE_FLAG, s.name()) {
            state::remove(&self.store_path, s);
            return Ok(());
        }
        procs::signal(st.supervisor, libc::SIGTERM);
        match self.wait_stopped(s, &mut notice) {
            Ok(()) => Ok(()),
            Err(_) => {
                // It would not stop gracefully: end it and its engine.
                if procs::is_our_process(st.engine, super::ENGINE_FLAG, s.name()) {
                    procs::signal(st.engine, libc::SIGKILL);
                }
                procs::signal(st.supervisor, libc::SIGKILL);
                std::thread::sleep(Duration::from_millis(200));
                if procs::is_our_process(st.supervisor, SERVICE_FLAG, s.name()) {
                    return Err(ServiceError::Timeout);
                }
                state::remove(&self.store_path, s);
                Ok(())
            }
        }
    }

    fn wait_started(&self, s: Service, notice: &mut Waiter) -> Result<(), ServiceError> {
        let began = Instant::now();
        loop {
            let st = state::read(&self.store_path, s);
            let alive = st.as_ref().is_some_and(|st| procs::is_our_process(st.supervisor, SERVICE_FLAG, s.name()));
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

    fn wait_stopped(&self, s: Service, notice: &mut Waiter) -> Result<(), ServiceError> {
        let began = Instant::now();
        while self.status(s) != ServiceStatus::Stopped {
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
