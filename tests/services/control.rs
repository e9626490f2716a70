//! The service supervisor end to end: start, stop and status of real
//! detached processes, failures with their reasons, crash recovery.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::{Env, Script, python, wait_until};
use mailsh::services::{Service, ServiceControl, ServiceStatus};

fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

#[test]
fn start_stop_and_status_are_seen_by_any_controller() {
    let mut env = Env::pop(false);
    assert_eq!(env.control.status(Service::Pop3Backend), ServiceStatus::Stopped);
    env.start(Service::Pop3Backend);
    // A second controller (as another shell would build) sees the same.
    let other = ServiceControl { exe: env.control.exe.clone(), store_path: env.store.clone() };
    assert_eq!(other.status(Service::Pop3Backend), ServiceStatus::Running);
    assert_eq!(other.status(Service::Pop3), ServiceStatus::Stopped);
    assert!(listening(env.proxy_port));
    // Starting a running service is a silent no-op.
    other.start(Service::Pop3Backend, &mut || {}).expect("no-op start");
    other.stop(Service::Pop3Backend, &mut || {}).expect("stop");
    assert_eq!(env.control.status(Service::Pop3Backend), ServiceStatus::Stopped);
    assert!(!listening(env.proxy_port), "nothing listens after Stop-Service");
    other.stop(Service::Pop3Backend, &mut || {}).expect("stopping a stopped service is a no-op");
}

#[test]
fn a_taken_port_is_the_reason_start_fails() {
    let env = Env::pop(false);
    let squatter = std::net::TcpListener::bind(("127.0.0.1", env.plain_port)).expect("take the port first");
    let err = env.control.start(Service::Pop3, &mut || {}).expect_err("the port is taken");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "Only one usage of each socket address (protocol/network address/port) is normally permitted."
        ),
        "{text}"
    );
    assert!(text.contains(&format!("127.0.0.1:{}", env.plain_port)), "{text}");
    assert_eq!(env.control.status(Service::Pop3), ServiceStatus::Stopped);
    drop(squatter);
}

#[test]
fn a_killed_engine_is_restarted_and_serves_again() {
    let mut env = Env::pop(false);
    env.start_pop();
    let first = env.engine_pid(Service::Pop3Backend);
    assert!(first > 0);
    // SAFETY: kill(2) on the engine process this test started.
    assert_eq!(unsafe { libc::kill(first, libc::SIGKILL) }, 0);
    wait_until("the back end to be restarted", || {
        let now = env.engine_pid(Service::Pop3Backend);
        now != first && now != 0 && env.control.status(Service::Pop3Backend) == ServiceStatus::Running
    });
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); print(p.pass_(os.environ['PASSWORD']).decode()); p.quit()
"#,
    );
    assert!(ok && out.contains("+OK User successfully logged on."), "{out}\n{err}");
    assert!(env.service_log(Service::Pop3Backend).contains("restarting"));
}

#[test]
fn a_killed_supervisor_means_stopped_and_its_engine_goes_too() {
    let mut env = Env::pop(false);
    env.start(Service::Pop3Backend);
    let supervisor = env.supervisor_pid(Service::Pop3Backend);
    // SAFETY: kill(2) on the supervisor this test started.
    assert_eq!(unsafe { libc::kill(supervisor, libc::SIGKILL) }, 0);
    wait_until("Stopped", || env.control.status(Service::Pop3Backend) == ServiceStatus::Stopped);
    wait_until("the engine to exit", || !listening(env.proxy_port));
    // And it can be started again.
    env.start(Service::Pop3Backend);
    assert!(listening(env.proxy_port));
}

#[test]
fn a_disabled_service_does_not_start() {
    let env = Env::pop(false);
    let mut store = mailsh::store::Store::open_existing(&env.store).expect("store");
    let server = store.server().guid.clone();
    store
        .write(|tx| {
            mailsh::store::Store::set_startup_type(tx, &server, "MSExchangePOP3", mailsh::store::StartupType::Disabled)
        })
        .expect("disabled");
    let err = env.control.start(Service::Pop3, &mut || {}).expect_err("disabled");
    assert!(err.to_string().starts_with("The service cannot be started, either because it is disabled"), "{err}");
}

#[test]
fn stop_is_graceful_and_prompt_with_a_client_connected() {
    let mut env = Env::pop(false);
    env.deliver(&crate::support::message("kept", "x\r\n"));
    env.start_pop();
    let mut client = Script::spawn(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=30)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
p.dele(1)
print('in', flush=True)
# Whatever the server says until it closes the connection.
while p.file.readline(): pass
print('closed')
"#,
    );
    client.wait_for("in");
    let began = Instant::now();
    env.control.stop(Service::Pop3Backend, &mut || {}).expect("stops");
    env.control.stop(Service::Pop3, &mut || {}).expect("stops");
    assert!(began.elapsed() < Duration::from_secs(5), "stop took {:?}", began.elapsed());
    assert!(client.output().contains("closed"));
    assert_eq!(env.inbox_uids().len(), 1, "a stopped session deletes nothing (no UPDATE)");
}

#[test]
fn two_controllers_starting_at_once_leave_one_running_service() {
    let env = Env::pop(false);
    let guard = Guard(env.control.clone());
    let a = env.control.clone();
    let b = env.control.clone();
    let ta = std::thread::spawn(move || a.start(Service::Pop3Backend, &mut || {}).map_err(|e| e.to_string()));
    let tb = std::thread::spawn(move || b.start(Service::Pop3Backend, &mut || {}).map_err(|e| e.to_string()));
    let ra = ta.join().expect("thread a");
    let rb = tb.join().expect("thread b");
    assert!(ra.is_ok() && rb.is_ok(), "{ra:?} {rb:?}");
    assert_eq!(env.control.status(Service::Pop3Backend), ServiceStatus::Running);
    drop(guard);
    assert_eq!(env.control.status(Service::Pop3Backend), ServiceStatus::Stopped);
}

struct Guard(ServiceControl);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.stop(Service::Pop3Backend, &mut || {});
    }
}
