//! The detached supervisor process: runs the engine process, reports when
//! it listens, restarts it whenever it dies, and stops it gracefully on
//! SIGTERM.
//!
//! Restarts never stop. Windows' service control manager gives up after a
//! few crashes, which let an attack that crashed the engine a few times
//! turn into a lasting outage. Here the first 5 crashes in 10 minutes are
//! restarted after half a second; from the 6th the pause doubles (1 s,
//! 2 s, ... 60 s at most) and the supervisor keeps trying, saying so in the
//! service log (in the words of Windows' event 7031) and in the state file
//! Get-Service reads. Only a first start that fails is final: then the
//! reason is Start-Service's error.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::signal::unix::{SignalKind, signal};

use super::state::{self, Phase, ServiceState};
use super::{ENGINE_FLAG, STORE_FLAG, STORE_ID_FLAG, Service};

/// Crashes restarted at once (after `RESTART_PAUSE`) within `RESTART_WINDOW`.
pub(crate) const QUICK_RESTARTS: usize = 5;
const RESTART_WINDOW: Duration = Duration::from_secs(600);
const RESTART_PAUSE: Duration = Duration::from_millis(500);
/// The longest pause between restarts once they are no longer quick.
const LONGEST_PAUSE: Duration = Duration::from_secs(60);
const GRACEFUL_STOP: Duration = Duration::from_secs(10);
/// How long a supervisor waits for the directory to take its Running (or
/// its Stopped).
const PUBLISH_WAIT: Duration = Duration::from_secs(2);

/// Tells the engine its supervisor's pid, to notice it died before the
/// engine could ask for PR_SET_PDEATHSIG.
pub(crate) const SUPERVISOR_ENV: &str = "MAILSH_SUPERVISOR_PID";
pub(crate) const READY_LINE: &str = "LISTENING";
pub(crate) const FAILED_PREFIX: &str = "FAILED ";

pub fn run(service: Service, store: &Path, store_id: &str) -> i32 {
    // Detach: the shell that started us waits only for this first process.
    // SAFETY: main() calls run_hidden_entry before any other thread exists,
    // so fork() copies a single-threaded process.
    match unsafe { libc::fork() } {
        -1 => return 1,
        0 => {}
        _ => return 0,
    }
    // SAFETY: a new session, so the shell's terminal and its signals
    // (Ctrl+C, hang-up) never reach the service.
    unsafe { libc::setsid() };
    super::publish::start(service, store);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            fail(service, store, &format!("The service could not start: {e}"));
            super::publish::finish();
            return 1;
        }
    };
    let code = runtime.block_on(supervise(service, store, store_id));
    super::publish::finish();
    code
}

/// The state file, and the directory when it is on PostgreSQL (`publish`).
fn save(service: Service, store: &Path, st: &ServiceState) {
    let _ = state::write(store, service, st);
    super::publish::phase(st.phase);
}

/// `save` for Running and Stopped: the directory first (waiting a moment
/// for it), so that when Start-Service or Stop-Service sees the state file
/// say so, a shell of another server sees it too.
fn save_settled(service: Service, store: &Path, st: &ServiceState) {
    super::publish::phase_written(st.phase, PUBLISH_WAIT);
    let _ = state::write(store, service, st);
}

fn log(service: Service, text: &str) {
    eprintln!("{} {}: {text}", crate::engines::net::time::iso_now(), service.name());
}

fn fail(service: Service, store: &Path, reason: &str) {
    log(service, reason);
    let mut st = ServiceState::new(std::process::id() as i32, Phase::Failed);
    st.error = reason.to_string();
    save(service, store, &st);
}

async fn supervise(service: Service, store: &Path, store_id: &str) -> i32 {
    let mut st = ServiceState::new(std::process::id() as i32, Phase::StartPending);
    save(service, store, &st);
    let mut term = match signal(SignalKind::terminate()) {
        Ok(t) => t,
        Err(e) => {
            fail(service, store, &e.to_string());
            return 1;
        }
    };
    // The path we were started by, so that a rebuilt or upgraded binary is
    // what a restart runs (/proc/self/exe would name the deleted old one).
    let started_as = std::env::args_os().next().map(std::path::PathBuf::from).filter(|p| p.is_absolute() && p.exists());
    let exe = match started_as.map(Ok).unwrap_or_else(std::env::current_exe) {
        Ok(p) => p,
        Err(e) => {
            fail(service, store, &e.to_string());
            return 1;
        }
    };
    let mut crashes: VecDeque<Instant> = VecDeque::new();
    let mut ever_ran = false;
    let (store_arg, store_env) = super::store_for_child(store);
    loop {
        let spawned = Command::new(&exe)
            .arg(ENGINE_FLAG)
            .arg(service.name())
            .arg(STORE_FLAG)
            .arg(&store_arg)
            .envs(store_env.iter().map(|(k, v)| (k, v)))
            .arg(STORE_ID_FLAG)
            .arg(store_id)
            .env(SUPERVISOR_ENV, std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                fail(service, store, &e.to_string());
                return 1;
            }
        };
        st.engine = child.id().map(|p| p as i32).unwrap_or(0);
        save(service, store, &st);
        let Some(stdout) = child.stdout.take() else {
            fail(service, store, "The engine's output could not be read.");
            return 1;
        };
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::select! {
            line = lines.next_line() => line.ok().flatten(),
            _ = term.recv() => return stop(service, store, &mut st, &mut child).await,
        };
        let failure = match first.as_deref() {
            Some(READY_LINE) => None,
            Some(line) => Some(line.strip_prefix(FAILED_PREFIX).unwrap_or(line).to_string()),
            None => Some(String::new()),
        };
        let ended = if let Some(reason) = failure {
            let _ = child.wait().await;
            let reason = if reason.is_empty() { unexpected(service, 0) } else { reason };
            if !ever_ran {
                fail(service, store, &reason);
                return 1;
            }
            st.error = reason.clone();
            format!("restart failed: {reason}")
        } else {
            ever_ran = true;
            st.phase = Phase::Running;
            st.error.clear();
            st.retry_at = 0;
            save_settled(service, store, &st);
            // Nothing more is expected on stdout; drain it so the engine
            // never blocks writing.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            let status = tokio::select! {
                s = child.wait() => s,
                _ = term.recv() => return stop(service, store, &mut st, &mut child).await,
            };
            format!(
                "the engine ended unexpectedly ({})",
                status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string())
            )
        };
        let count = record_crash(&mut crashes);
        let pause = pause_after(count);
        log(service, &format!("{ended}; restarting in {} ms", pause.as_millis()));
        if count > QUICK_RESTARTS {
            // Windows' event 7031, with the pause this supervisor takes.
            st.error = format!(
                "{}  The following corrective action will be taken in {} milliseconds: Restart the service.",
                unexpected(service, count),
                pause.as_millis()
            );
            log(service, &st.error);
        }
        st.restarts += 1;
        st.crashes = count as u32;
        st.phase = Phase::StartPending;
        st.engine = 0;
        st.retry_at = unix_millis() + pause.as_millis() as u64;
        save(service, store, &st);
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = term.recv() => {
                st.phase = Phase::Stopped;
                st.retry_at = 0;
                save(service, store, &st);
                return 0;
            }
        }
    }
}

fn unix_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn unexpected(service: Service, times: usize) -> String {
    if times == 0 {
        format!("The {} service terminated unexpectedly.", service.display_name())
    } else {
        format!("The {} service terminated unexpectedly.  It has done this {times} time(s).", service.display_name())
    }
}

/// Records a crash; returns how many there were in the last 10 minutes.
fn record_crash(crashes: &mut VecDeque<Instant>) -> usize {
    crashes.push_back(Instant::now());
    while crashes.front().is_some_and(|t| t.elapsed() > RESTART_WINDOW) {
        crashes.pop_front();
    }
    crashes.len()
}

/// The pause before restarting after the `count`th crash of the window.
fn pause_after(count: usize) -> Duration {
    if count <= QUICK_RESTARTS {
        return RESTART_PAUSE;
    }
    let doublings = (count - QUICK_RESTARTS - 1).min(16) as u32;
    Duration::from_secs(1).saturating_mul(1 << doublings).min(LONGEST_PAUSE)
}

/// SIGTERM to the engine (it says goodbye to its clients), SIGKILL if it
/// does not finish in time; then the service is Stopped.
async fn stop(service: Service, store: &Path, st: &mut ServiceState, child: &mut Child) -> i32 {
    st.phase = Phase::StopPending;
    save(service, store, st);
    if let Some(pid) = child.id() {
        super::procs::signal(pid as i32, libc::SIGTERM);
    }
    if tokio::time::timeout(GRACEFUL_STOP, child.wait()).await.is_err() {
        let _ = child.kill().await;
    }
    st.phase = Phase::Stopped;
    st.engine = 0;
    save_settled(service, store, st);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_slow_down_but_never_stop() {
        let pauses: Vec<u64> = (1..=14).map(|n| pause_after(n).as_millis() as u64).collect();
        assert_eq!(pauses, [500, 500, 500, 500, 500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
        assert_eq!(pause_after(10_000), LONGEST_PAUSE);
    }
}
