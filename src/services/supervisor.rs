//! The detached supervisor process: runs the engine process, reports when
//! it listens, restarts it after a crash (a few times), and stops it
//! gracefully on SIGTERM.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::signal::unix::{SignalKind, signal};

use super::state::{self, Phase, ServiceState};
use super::{ENGINE_FLAG, STORE_FLAG, Service};

/// Windows' service control manager gives up after this many crashes.
const MAX_RESTARTS: usize = 5;
const RESTART_WINDOW: Duration = Duration::from_secs(600);
const RESTART_PAUSE: Duration = Duration::from_millis(500);
const GRACEFUL_STOP: Duration = Duration::from_secs(10);

/// Tells the engine its supervisor's pid, to notice it died before the
/// engine could ask for PR_SET_PDEATHSIG.
pub(crate) const SUPERVISOR_ENV: &str = "MAILSH_SUPERVISOR_PID";
pub(crate) const READY_LINE: &str = "LISTENING";
pub(crate) const FAILED_PREFIX: &str = "FAILED ";

pub fn run(service: Service, store: &Path) -> i32 {
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
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            fail(service, store, &format!("The service could not start: {e}"));
            return 1;
        }
    };
    runtime.block_on(supervise(service, store))
}

fn fail(service: Service, store: &Path, reason: &str) {
    eprintln!("{} {}: {reason}", crate::engines::net::time::iso_now(), service.name());
    let st = ServiceState {
        supervisor: std::process::id() as i32,
        engine: 0,
        phase: Phase::Failed,
        error: reason.to_string(),
        restarts: 0,
    };
    let _ = state::write(store, service, &st);
}

async fn supervise(service: Service, store: &Path) -> i32 {
    let mut st = ServiceState {
        supervisor: std::process::id() as i32,
        engine: 0,
        phase: Phase::StartPending,
        error: String::new(),
        restarts: 0,
    };
    let _ = state::write(store, service, &st);
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
    loop {
        let spawned = Command::new(&exe)
            .arg(ENGINE_FLAG)
            .arg(service.name())
            .arg(STORE_FLAG)
            .arg(store)
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
        let _ = state::write(store, service, &st);
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
        if let Some(reason) = failure {
            let _ = child.wait().await;
            let reason = if reason.is_empty() { unexpected(service, 0) } else { reason };
            if !ever_ran || too_many(&mut crashes) {
                fail(service, store, &reason);
                return 1;
            }
            eprintln!("{} {}: restart failed: {reason}", crate::engines::net::time::iso_now(), service.name());
        } else {
            ever_ran = true;
            st.phase = Phase::Running;
            st.error.clear();
            let _ = state::write(store, service, &st);
            // Nothing more is expected on stdout; drain it so the engine
            // never blocks writing.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            let status = tokio::select! {
                s = child.wait() => s,
                _ = term.recv() => return stop(service, store, &mut st, &mut child).await,
            };
            eprintln!(
                "{} {}: the engine ended unexpectedly ({}); restarting",
                crate::engines::net::time::iso_now(),
                service.name(),
                status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string())
            );
            if too_many(&mut crashes) {
                fail(service, store, &unexpected(service, crashes.len()));
                return 1;
            }
        }
        st.restarts += 1;
        st.phase = Phase::StartPending;
        st.engine = 0;
        let _ = state::write(store, service, &st);
        tokio::select! {
            _ = tokio::time::sleep(RESTART_PAUSE) => {}
            _ = term.recv() => {
                state::remove(store, service);
                return 0;
            }
        }
    }
}

fn unexpected(service: Service, times: usize) -> String {
    if times == 0 {
        format!("The {} service terminated unexpectedly.", service.display_name())
    } else {
        format!("The {} service terminated unexpectedly.  It has done this {times} time(s).", service.display_name())
    }
}

/// Records a crash; true when there were too many lately.
fn too_many(crashes: &mut VecDeque<Instant>) -> bool {
    crashes.push_back(Instant::now());
    while crashes.front().is_some_and(|t| t.elapsed() > RESTART_WINDOW) {
        crashes.pop_front();
    }
    crashes.len() > MAX_RESTARTS
}

/// SIGTERM to the engine (it says goodbye to its clients), SIGKILL if it
/// does not finish in time; then the service is Stopped.
async fn stop(service: Service, store: &Path, st: &mut ServiceState, child: &mut Child) -> i32 {
    st.phase = Phase::StopPending;
    let _ = state::write(store, service, st);
    if let Some(pid) = child.id() {
        super::procs::signal(pid as i32, libc::SIGTERM);
    }
    if tokio::time::timeout(GRACEFUL_STOP, child.wait()).await.is_err() {
        let _ = child.kill().await;
    }
    state::remove(store, service);
    0
}
