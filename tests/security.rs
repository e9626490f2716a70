//! What an attacker on the same machine meets (docs/security.md): work
//! before authentication is bounded, guessing is slow, back ends serve only
//! their front end, the store's files are private, protocol logs keep no
//! secret, services belong to their store, and bad input gets clean errors.

use crate::support::pty::Pty;
use crate::support::{Env, PASSWORD, Run, Shell, exe, python, shell_on, wait_until};
use mailsh::services::{Service, ServiceStatus};
use mailsh::store::LoginType;

/// A front end's documented memory ceiling (docs/security.md) for this
/// machine: 64 MiB, and 24 MiB per password-check worker (one per core, 8
/// at most). Its peak resident size stays below, whatever unauthenticated
/// clients do.
fn front_end_ceiling_mib() -> u64 {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8) as u64;
    64 + 24 * workers
}

/// Runs a client script to its end (`python`: USER, PASSWORD and the
/// ports of the protocol under test in its environment); returns its
/// standard output, failing the test if it failed.
fn client(env: &Env, script: &str) -> String {
    let (ok, out, err) = python(env, script);
    assert!(ok, "{out}\n{err}");
    out
}

/// A process's peak resident size, in MiB.
fn peak_rss_mib(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the engine runs");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib / 1024
}

#[test]
fn two_hundred_fifty_six_concurrent_wrong_logins_keep_the_front_end_under_its_ceiling() {
    let mut env = Env::imap(false);
    env.start_imap();
    let out = client(
        &env,
        r#"
import imaplib, os, socket, threading, time
port = int(os.environ['PORT'])
# Bob's usual address: he logged on from it before the attack.
c = imaplib.IMAP4('127.0.0.1', port, timeout=20)
c.login(os.environ['USER'], os.environ['PASSWORD'])
c.logout()
answers = {}
lock = threading.Lock()
def attack(i):
    # 256 addresses of the loopback network, one connection each.
    src = '127.0.%d.%d' % (1 + i // 250, 1 + i % 250)
    try:
        s = socket.create_connection(('127.0.0.1', port), timeout=20, source_address=(src, 0))
        f = s.makefile('rb')
        f.readline()
        # A quarter on bob, the rest on names that do not exist.
        user = b'bob@contoso.com' if i % 4 == 0 else b'user%d@contoso.com' % i
        s.sendall(b'a LOGIN %s wrong%d\r\n' % (user, i))
        s.settimeout(4)
        try:
            line = f.readline().decode().strip()
        except socket.timeout:
            line = 'waiting'
        s.close()
    except OSError as e:
        line = 'error ' + str(e)
    key = line.split(' LOGIN')[0] if line.startswith('a NO [UNAVAILABLE]') else line
    with lock:
        answers[key] = answers.get(key, 0) + 1
threads = [threading.Thread(target=attack, args=(i,)) for i in range(256)]
for t in threads: t.start()
for t in threads: t.join()
for k in sorted(answers): print(answers[k], k)
# Bob logs on from his usual address right after.
c = imaplib.IMAP4('127.0.0.1', port, timeout=20)
began = time.monotonic()
print('legit', c.login(os.environ['USER'], os.environ['PASSWORD'])[0], round(time.monotonic() - began, 1) < 10)
c.logout()
"#,
    );
    let pid = env.engine_pid(Service::Imap4);
    let peak = peak_rss_mib(pid);
    eprintln!("{out}peak resident size of the IMAP4 front end: {peak} MiB");
    assert!(out.contains("legit OK True"), "{out}");
    assert!(!out.contains("error"), "every connection was answered: {out}");
    assert!(peak < front_end_ceiling_mib(), "{peak} MiB, ceiling {} MiB", front_end_ceiling_mib());
    assert_eq!(env.control.status(Service::Imap4), ServiceStatus::Running);
}

/// From one address, a wrong password and then the right one: the right
/// one is answered no sooner than the wrong one's pause. Then 32
/// connections from another address for 4 s, each sending a wrong password
/// and hanging up if no answer came within 0.4 s (what got 21 guesses a
/// second out of the old delay). `proto`, `port` and `barrier` (a folder
/// both protocols' scripts share) are set before it.
const GUESSING: &str = r#"
import os, socket, threading, time
user = os.environ['USER']
def logon(src, password, wait):
    s = socket.create_connection(('127.0.0.1', port), timeout=20, source_address=(src, 0))
    f = s.makefile('rb')
    greeting = f.readline().decode().strip()
    if 'UNAVAILABLE' in greeting or 'SYS/TEMP' in greeting:
        s.close()
        return greeting
    if proto == 'imap':
        s.sendall(b'a LOGIN %s %s\r\n' % (user.encode(), password.encode()))
    else:
        s.sendall(b'USER %s\r\n' % user.encode()); f.readline()
        s.sendall(b'PASS %s\r\n' % password.encode())
    s.settimeout(wait)
    try:
        return f.readline().decode().strip() or 'closed after ' + greeting
    except socket.timeout:
        return None
    finally:
        s.close()
print('wrong', logon('127.0.0.3', 'nope', 20))
t = time.monotonic()
print('right', logon('127.0.0.3', os.environ['PASSWORD'], 20), 'after the pause', time.monotonic() - t >= 1.9)
# The two protocols share one logon record: neither attacks the user until
# the other's rightful logon is done.
open(os.path.join(barrier, proto), 'w').close()
other = os.path.join(barrier, 'imap' if proto == 'pop' else 'pop')
waited = time.monotonic()
while not os.path.exists(other) and time.monotonic() - waited < 60:
    time.sleep(0.01)
verdicts, busy, abandoned = [], 0, 0
lock = threading.Lock()
began = time.monotonic()
def attacker(n):
    global busy, abandoned
    i = 0
    while time.monotonic() - began < 4:
        i += 1
        answer = logon('127.0.0.2', 'guess%d-%d' % (n, i), 0.4)
        with lock:
            if answer is None: abandoned += 1
            elif 'UNAVAILABLE' in answer or 'SYS/TEMP' in answer: busy += 1
            else: verdicts.append(answer)
threads = [threading.Thread(target=attacker, args=(n,)) for n in range(32)]
[t.start() for t in threads]; [t.join() for t in threads]
elapsed = time.monotonic() - began
print('verdicts', len(verdicts), 'busy', busy, 'abandoned', abandoned, 'per second', '%.2f' % (len(verdicts) / elapsed))
print('elapsed', '%.3f' % elapsed)
print('accepted', sum(1 for v in verdicts if 'OK' in v))
print('kinds', sorted(set(verdicts)))
"#;

#[test]
fn a_client_that_abandons_failed_attempts_early_gets_no_more_than_three_guesses_a_second() {
    let mut env = Env::imap(false);
    env.start_pop();
    env.start_imap();
    // Both protocols at once: the same rules on every listener.
    let env = &env;
    let outs: Vec<(&str, String)> = std::thread::scope(|scope| {
        let runs: Vec<_> = [("pop", env.pop.plain), ("imap", env.plain_port)]
            .into_iter()
            .map(|(proto, port)| {
                let barrier = env.dir.path().display();
                let script = format!("proto, port, barrier = '{proto}', {port}, '{barrier}'\n{GUESSING}");
                scope.spawn(move || (proto, client(env, &script)))
            })
            .collect();
        runs.into_iter().map(|run| run.join().expect("the client ran")).collect()
    });
    for (proto, out) in outs {
        eprintln!("{proto}: {out}");
        let counts: Vec<usize> = out
            .lines()
            .find_map(|l| l.strip_prefix("verdicts "))
            .map(|l| l.split(' ').filter_map(|w| w.parse().ok()).collect())
            .unwrap_or_default();
        let [verdicts, busy, abandoned] = counts[..] else { panic!("counts: {out}") };
        // The attackers' last tries end after the 4 s they start in, later on
        // a loaded machine: the rate is over the time they really took, with
        // one verdict for the try in flight at the edge.
        let elapsed: f64 =
            out.lines().find_map(|l| l.strip_prefix("elapsed ")).and_then(|e| e.parse().ok()).expect("elapsed");
        assert!(verdicts as f64 <= 3.0 * elapsed + 1.0, "{proto}: at most 3 guesses a second: {out}");
        assert!(verdicts + busy + abandoned >= 32, "{proto}: each of the 32 attackers tried: {out}");
        assert!(out.contains("accepted 0\n"), "{out}");
        let (wrong, right) = match proto {
            "imap" => ("wrong a NO LOGIN failed.", "right a OK "),
            _ => (
                "wrong -ERR Logon failure: unknown user name or bad password.",
                "right +OK User successfully logged on.",
            ),
        };
        let right_line = out.lines().find(|l| l.starts_with("right ")).unwrap_or_default();
        assert!(out.contains(wrong), "{proto}: {out}");
        assert!(right_line.starts_with(right) && right_line.ends_with(" after the pause True"), "{proto}: {out}");
    }
}

/// One address (127.0.0.3) fails over POP3; SMTP AUTH from it then waits
/// for that failure's pause, and so does IMAP4 after more failures, even
/// when its front end was restarted in between: the record is the
/// store's. Alice, logging on from another address meanwhile, waits for
/// nothing. Every step prints when it was sent and when it was answered.
/// `imap`, `pop` and `submission` (ports) are set before it.
const ACROSS_SERVICES: &str = r#"
import imaplib, os, poplib, smtplib, socket, ssl, sys, time
user, password = os.environ['USER'], os.environ['PASSWORD']
class FromAddress:
    """A client whose connection comes from the address `src`."""
    def __init__(self, src, port):
        self.src = src
        super().__init__('127.0.0.1', port, timeout=60)
    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.src, 0))
class Imap(FromAddress, imaplib.IMAP4):
    def __init__(self, src): super().__init__(src, imap)
class Pop(FromAddress, poplib.POP3):
    def __init__(self, src): super().__init__(src, pop)
def imap_login(src, name, secret):
    c = Imap(src)
    sent = time.time()
    try:
        c.login(name, secret); verdict = 'accepted'
    except imaplib.IMAP4.error:
        verdict = 'refused'
    return verdict, sent, time.time()
def pop_login(src, name, secret):
    c = Pop(src)
    c.user(name)
    sent = time.time()
    try:
        c.pass_(secret); verdict = 'accepted'
    except poplib.error_proto:
        verdict = 'refused'
    return verdict, sent, time.time()
def smtp_auth(src, name, secret):
    c = smtplib.SMTP('127.0.0.1', submission, timeout=60, source_address=(src, 0))
    c.ehlo('client.contoso.com')
    c.starttls(context=ssl._create_unverified_context())
    c.ehlo('client.contoso.com')
    sent = time.time()
    try:
        c.login(name, secret); verdict = 'accepted'
    except smtplib.SMTPAuthenticationError:
        verdict = 'refused'
    return verdict, sent, time.time()
def step(name, outcome):
    verdict, sent, answered = outcome
    print(name, verdict, '%.3f' % sent, '%.3f' % answered, flush=True)
step('pop3-wrong', pop_login('127.0.0.3', user, 'wrong-1'))
step('smtp-right', smtp_auth('127.0.0.3', user, password))
step('imap-wrong', imap_login('127.0.0.3', user, 'wrong-2'))
step('pop3-wrong-again', pop_login('127.0.0.3', user, 'wrong-3'))
step('alice-imap', imap_login('127.0.0.2', 'alice@contoso.com', 'Alice-Pa55'))
print('restart now', flush=True)
sys.stdin.readline()
step('imap-right-after-restart', imap_login('127.0.0.3', user, password))
"#;

/// (verdict, sent, answered) of a step `ACROSS_SERVICES` printed.
fn step(out: &str, name: &str) -> (String, f64, f64) {
    let line = out.lines().find(|l| l.split(' ').next() == Some(name)).unwrap_or_else(|| panic!("{name}: {out}"));
    let words: Vec<&str> = line.split(' ').collect();
    let time = |i: usize| words[i].parse::<f64>().unwrap_or_else(|_| panic!("{line}"));
    (words[1].to_string(), time(2), time(3))
}

#[test]
fn failed_logons_over_pop3_slow_smtp_auth_and_imap4_even_after_a_restart_and_no_one_else() {
    let mut env = Env::imap(false);
    env.add_mailbox("alice", "alice@contoso.com", "Alice-Pa55");
    let transport = env.transport_on_free_ports();
    env.start_pop();
    env.start_imap();
    env.start(Service::FrontEndTransport);
    let ports = format!("imap, pop, submission = {}, {}, {}\n", env.plain_port, env.pop.plain, transport.submission);
    let mut script = crate::support::Script::spawn(&env, &format!("{ports}{ACROSS_SERVICES}"));
    script.wait_for("restart now");
    // A new IMAP4 front end: nothing of the old one's memory is left.
    let before = env.engine_pid(Service::Imap4);
    env.stop(Service::Imap4);
    env.start(Service::Imap4);
    let after = env.engine_pid(Service::Imap4);
    assert!(before > 0 && after > 0 && after != before, "a new engine process: {before} then {after}");
    script.send("go");
    let (ok, out) = script.finish();
    assert!(ok, "{out}");
    eprintln!("{out}");
    let (pop3_wrong, _, pop3_failed) = step(&out, "pop3-wrong");
    assert_eq!(pop3_wrong, "refused", "{out}");
    // The failure over POP3 (recorded before its answer) makes SMTP AUTH
    // from that address wait its 2 s pause, though the password is right.
    let (smtp, _, smtp_answered) = step(&out, "smtp-right");
    assert_eq!(smtp, "accepted", "{out}");
    let (_, pop3_sent, _) = step(&out, "pop3-wrong");
    assert!(smtp_answered - pop3_sent >= 1.95, "SMTP AUTH waited for POP3's failure: {out}");
    assert!(pop3_failed < smtp_answered);
    // Then IMAP4 and POP3 fail again: the address's third failure pauses
    // it 8 s ...
    assert_eq!(step(&out, "imap-wrong").0, "refused", "{out}");
    let (third, third_sent, _) = step(&out, "pop3-wrong-again");
    assert_eq!(third, "refused", "{out}");
    // ... which Alice, from another address, does not wait for.
    let (alice, alice_sent, alice_answered) = step(&out, "alice-imap");
    assert_eq!(alice, "accepted", "{out}");
    assert!(alice_answered - alice_sent < 2.0, "another user from another address is not delayed: {out}");
    // The restarted IMAP4 front end still makes the address wait for the
    // end of that pause: the record outlived the process.
    let (right, sent, answered) = step(&out, "imap-right-after-restart");
    assert_eq!(right, "accepted", "{out}");
    assert!(answered - third_sent >= 7.95, "the pause after the third failure was kept: {out}");
    assert!(
        answered - sent >= 1.0,
        "the new process waited (the restart took less than the 8 s pause; had the record been lost, the \
         answer would have come at once): {out}"
    );
}

/// What a local client reads at a back end's port, even with the right
/// credentials, and that the front end still logs on there.
/// `proto` and `proxy` are set before it.
const STRANGER: &str = r#"
import os, socket
s = socket.create_connection(('127.0.0.1', proxy), timeout=20)
f = s.makefile('rb')
print('challenge', f.readline().decode().startswith('MAILSH-PROXY 1 '))
if proto == 'imap':
    s.sendall(b'a LOGIN %s %s\r\n' % (os.environ['USER'].encode(), os.environ['PASSWORD'].encode()))
else:
    s.sendall(b'USER %s\r\n' % os.environ['USER'].encode())
print(f.readline().decode().strip())
print(repr(f.readline()))
"#;

#[test]
fn a_direct_connection_to_a_back_end_is_refused_even_with_valid_credentials() {
    let mut env = Env::imap(false);
    env.start_pop();
    env.start_imap();
    let out = client(&env, &format!("proto, proxy = 'pop', {}\n{STRANGER}", env.pop.proxy));
    assert_eq!(out, "challenge True\n-ERR Connection refused: this port serves the POP3 front end only.\nb''\n");
    let out = client(&env, &format!("proto, proxy = 'imap', {}\n{STRANGER}", env.proxy_port));
    assert_eq!(out, "challenge True\n* BYE Connection refused: this port serves the IMAP4 front end only.\nb''\n");
    // The front ends still reach their back ends.
    let out = client(
        &env,
        &format!(
            "import os, poplib\np = poplib.POP3('127.0.0.1', {}, timeout=20)\n\
             p.user(os.environ['USER']); print(p.pass_(os.environ['PASSWORD']).decode()); p.quit()",
            env.pop.plain
        ),
    );
    assert_eq!(out, "+OK User successfully logged on.\n");
    let out = client(
        &env,
        "import os, imaplib\nc = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']), timeout=20)\n\
         print(c.login(os.environ['USER'], os.environ['PASSWORD'])[0]); c.logout()",
    );
    assert_eq!(out, "OK\n");
    let log = env.service_log(Service::Pop3Backend);
    assert!(log.contains("refused 1 connection(s) that did not prove they are this store's front end"), "{log}");
}

/// A process that took ProxyTargetPort while the back end was stopped
/// never sees a client's credentials: the front end wants the back end's
/// proof first, and says it has no back end.
#[test]
fn a_process_posing_as_the_back_end_gets_no_credentials() {
    let mut env = Env::imap(false);
    env.start(Service::Imap4);
    let impostor = std::net::TcpListener::bind(("127.0.0.1", env.proxy_port)).expect("the back end's port");
    let heard = std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        let (mut s, _) = impostor.accept().expect("the front end connects");
        s.write_all(format!("MAILSH-PROXY 1 {}\r\n", "ab".repeat(32)).as_bytes()).expect("challenge");
        let mut r = BufReader::new(s.try_clone().expect("clone"));
        let mut proof = String::new();
        r.read_line(&mut proof).expect("the front end's proof");
        // Pretend to accept it.
        s.write_all(format!("{}\r\n", "cd".repeat(32)).as_bytes()).expect("a made-up proof");
        let mut rest = Vec::new();
        let _ = std::io::Read::read_to_end(&mut r, &mut rest);
        (proof, rest)
    });
    let out = client(
        &env,
        "import os, imaplib\nc = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']), timeout=20)\n\
         try:\n    c.login(os.environ['USER'], os.environ['PASSWORD'])\nexcept imaplib.IMAP4.error as e:\n    print(e)\n\
         try:\n    c.noop()\nexcept imaplib.IMAP4.error as e:\n    print(e)",
    );
    assert_eq!(out, "b'LOGIN failed.'\nNOOP command error: BAD [b'User is authenticated but not connected.']\n");
    let (proof, rest) = heard.join().expect("the impostor ran");
    assert_eq!(proof.trim_end().len(), 64 + 1 + 64, "a nonce and an HMAC, not the key: {proof}");
    assert!(rest.is_empty(), "nothing after the refused proof: {:?}", String::from_utf8_lossy(&rest));
}

// ---- services belong to their store ----------------------------------------

/// Whether `pid` runs (a zombie has ended).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next()))
        .is_some_and(|state| state != 'Z' && state != 'X')
}

#[test]
fn a_copied_store_cannot_stop_the_original_s_service() {
    let mut env = Env::pop(false);
    env.start(Service::Pop3Backend);
    let supervisor = env.supervisor_pid(Service::Pop3Backend);
    // The copy the issue made: an online backup of the database and the
    // state folder copied as it is, state files and all.
    let copy = env.dir.path().join("copy.db");
    client(
        &env,
        &format!(
            "import os, sqlite3\nsrc = sqlite3.connect(os.environ['STORE']); dst = sqlite3.connect('{}')\nsrc.backup(dst); dst.close()",
            copy.display()
        ),
    );
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(env.state_dir())
        .arg(env.dir.path().join("copy.db.d"))
        .status()
        .expect("cp runs");
    assert!(copied.success());
    let Run { stdout: out, stderr: err, code } =
        shell_on(&copy, "(Get-Service MSExchangePOP3BE).Status; Stop-Service MSExchangePOP3BE");
    assert_eq!((out.as_str(), err.as_str(), code), ("Stopped\n", "", 0));
    assert!(alive(supervisor), "the original's supervisor was not signalled");
    assert_eq!(env.control.status(Service::Pop3Backend), ServiceStatus::Running);
    // A state file naming a live process that is not this store's service
    // (a pid reused by anything at all) is never signalled either.
    let mut bystander = std::process::Command::new("sleep").arg("30").spawn().expect("sleep runs");
    let state = env.dir.path().join("copy.db.d/services/MSExchangePOP3BE.state");
    std::fs::write(&state, format!("supervisor={}\nengine={}\nstatus=Running\n", bystander.id(), bystander.id()))
        .expect("a stale state file");
    let Run { stdout: out, code, .. } =
        shell_on(&copy, "(Get-Service MSExchangePOP3BE).Status; Stop-Service MSExchangePOP3BE");
    assert_eq!((out.as_str(), code), ("Stopped\n", 0));
    assert!(bystander.try_wait().expect("waitable").is_none(), "the bystander still runs");
    let _ = bystander.kill();
    let _ = bystander.wait();
}

#[test]
fn a_lost_state_folder_is_rebuilt_from_the_running_processes() {
    let mut env = Env::pop(false);
    env.start(Service::Pop3Backend);
    let supervisor = env.supervisor_pid(Service::Pop3Backend);
    let engine = env.engine_pid(Service::Pop3Backend);
    std::fs::remove_dir_all(env.state_dir().join("services")).expect("the state folder deleted");
    let Run { stdout: out, stderr: err, code } = shell_on(&env.store, "(Get-Service MSExchangePOP3BE).Status");
    assert_eq!((out.as_str(), err.as_str(), code), ("Running\n", "", 0));
    assert_eq!(env.supervisor_pid(Service::Pop3Backend), supervisor);
    assert_eq!(env.engine_pid(Service::Pop3Backend), engine);
    assert!(env.service_log(Service::Pop3Backend).contains("rebuilt from the running processes of this store"));
    let Run { stderr: err, code, .. } = shell_on(&env.store, "Stop-Service MSExchangePOP3BE");
    assert_eq!((err.as_str(), code), ("", 0));
    wait_until("both processes to end", || !alive(supervisor) && !alive(engine));
}

#[test]
fn an_engine_that_keeps_crashing_is_restarted_after_growing_pauses_and_get_service_says_so() {
    let mut env = Env::pop(false);
    env.start(Service::Pop3Backend);
    // Five crashes are restarted at once; the sixth waits a second.
    let mut engine = 0;
    for n in 1..=6 {
        engine = env.engine_pid(Service::Pop3Backend);
        assert!(engine > 0);
        // SAFETY: kill(2) on the engine this test started.
        assert_eq!(unsafe { libc::kill(engine, libc::SIGKILL) }, 0);
        if n < 6 {
            wait_until("the restart", || {
                let now = env.engine_pid(Service::Pop3Backend);
                now != engine && now != 0 && env.control.status(Service::Pop3Backend) == ServiceStatus::Running
            });
        }
    }
    // Get-Service must look during the pause. The first lasts a second; a
    // loaded machine may take longer to start the shell, so when the pause
    // was over before it looked, crash the engine again: each pause is
    // twice the last.
    let mut crashes = 6;
    let (out, err) = loop {
        wait_until("the pause", || env.control.restarting(Service::Pop3Backend).is_some());
        let Run { stdout: out, stderr: err, code } = shell_on(&env.store, "Get-Service MSExchangePOP3BE");
        assert_eq!(code, 0, "{err}");
        if !out.contains("Running ") || crashes == 9 {
            break (out, err);
        }
        let crashed = engine;
        wait_until("the restart", || {
            engine = env.engine_pid(Service::Pop3Backend);
            engine != crashed && engine != 0 && env.control.status(Service::Pop3Backend) == ServiceStatus::Running
        });
        // SAFETY: kill(2) on the engine this test started.
        assert_eq!(unsafe { libc::kill(engine, libc::SIGKILL) }, 0);
        crashes += 1;
    };
    // Get-Service's Status column is 8 wide, as in Windows PowerShell.
    assert!(out.contains("Start... MSExchangePOP3BE"), "{out}");
    assert!(
        err.starts_with(&format!(
            "WARNING: Service 'Microsoft Exchange POP3 Backend (MSExchangePOP3BE)' terminated unexpectedly {crashes} time(s) in the last 10 minutes; it is restarted after a pause"
        )),
        "{err}"
    );
    wait_until("the service to run again", || env.control.status(Service::Pop3Backend) == ServiceStatus::Running);
    let log = env.service_log(Service::Pop3Backend);
    assert!(
        log.contains("The Microsoft Exchange POP3 Backend service terminated unexpectedly.  It has done this 6 time(s).  The following corrective action will be taken in 1000 milliseconds: Restart the service."),
        "{log}"
    );
}

// ---- private files, secret-free logs ----------------------------------------

/// Every file and folder under `root` that is not 0600 / 0700.
pub(crate) fn loose_files(root: &std::path::Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut loose = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            let mode = meta.permissions().mode() & 0o777;
            let want = if meta.is_dir() { 0o700 } else { 0o600 };
            if mode != want {
                loose.push(format!("{:o} {}", mode, path.display()));
            }
            if meta.is_dir() {
                todo.push(path);
            }
        }
    }
    loose.sort();
    loose
}

#[test]
fn every_file_of_a_store_is_private_under_umask_022() {
    // SAFETY: umask(2) only sets this process's mask (inherited by the
    // shells and services the test starts).
    unsafe { libc::umask(0o022) };
    let mut env = Env::imap(false);
    env.start_pop();
    env.start_imap();
    // Logons write the protocol logs, the mailbox database, the state.
    let out = client(
        &env,
        &format!(
            "import imaplib, os, poplib, ssl\n\
         p = poplib.POP3('127.0.0.1', {}, timeout=20)\n\
         p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD']); p.quit()\n\
         c = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['SSL_PORT']), ssl_context=ssl._create_unverified_context(), timeout=20)\n\
         c.login(os.environ['USER'], os.environ['PASSWORD']); c.select(); c.logout(); print('ok')",
            env.pop.plain
        ),
    );
    assert_eq!(out, "ok\n");
    // The REPL's history.
    let mut cmd = std::process::Command::new(exe());
    cmd.arg("-Store").arg(&env.store).env("NO_COLOR", "1").env("TERM", "xterm");
    let mut repl = Pty::spawn(cmd);
    repl.expect("[PS] CAS01>");
    repl.run("Get-Service MSExchangePOP3 | Out-Null");
    repl.send_line("exit");
    assert_eq!(repl.wait_exit(), Some(0));
    for s in [Service::Imap4, Service::Imap4Backend, Service::Pop3, Service::Pop3Backend] {
        env.control.stop(s, &mut || {}).expect("stopped");
    }
    let state = env.state_dir();
    for expected in [
        "history.txt",
        "mail.db",
        "proxy.key",
        "services/MSExchangePOP3.log",
        "services/MSExchangeIMAP4.state",
        "Logging/Pop3",
        "Logging/Imap4",
        "certs",
    ] {
        assert!(state.join(expected).exists(), "{expected} was made");
    }
    assert_eq!(loose_files(env.dir.path()), Vec::<String>::new());
}

/// PSReadLine's rule: a line holding `password`, `asplaintext`, `token`,
/// `apikey` or `secret` runs and stays for the Up arrow, but never reaches
/// the history file.
#[test]
fn a_line_that_may_hold_a_secret_stays_out_of_the_history_file() {
    let sh = Shell::new();
    let mut cmd = sh.command();
    cmd.env("TERM", "xterm");
    let mut repl = Pty::spawn(cmd);
    repl.expect("[PS] ");
    repl.run("$pw = ConvertTo-SecureString -String 'HistSecret-55' -AsPlainText -Force; 'ma' + 'de'");
    repl.expect("made");
    // Up brings it back for this session.
    repl.send("\x1b[A");
    repl.enter();
    repl.expect("made");
    repl.run("'plain' + 'line'");
    repl.expect("plainline");
    repl.send_line("exit");
    assert_eq!(repl.wait_exit(), Some(0));
    let history = std::fs::read_to_string(mailsh::store::history_path(&sh.store())).expect("the history file");
    assert_eq!(history, "'plain' + 'line'\nexit\n");
}

/// A transcript records every line typed, secrets included: a new one is
/// its owner's only, whatever the umask.
#[test]
fn a_new_transcript_is_private() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: umask(2) only sets this process's mask (inherited by the shell).
    unsafe { libc::umask(0o022) };
    let sh = Shell::new();
    let path = sh.store().with_file_name("session.ps1");
    let Run { stderr: err, code, .. } =
        sh.cmd(&format!("Start-Transcript -Path '{}' | Out-Null; Stop-Transcript | Out-Null", path.display()));
    assert_eq!((err.as_str(), code), ("", 0));
    let mode = std::fs::metadata(&path).expect("the transcript").permissions().mode() & 0o777;
    assert_eq!(format!("{mode:o}"), "600");
}

#[test]
fn an_existing_store_is_tightened_when_opened() {
    use std::os::unix::fs::PermissionsExt;
    let sh = Shell::new();
    sh.mailboxes(&["Bob"]);
    let state = mailsh::store::state_dir_for(&sh.store());
    std::fs::create_dir_all(state.join("Logging/Pop3")).expect("a log folder");
    std::fs::write(state.join("Logging/Pop3/POP320260101-1.LOG"), "x").expect("a log");
    let chmod =
        |p: &std::path::Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    chmod(&sh.store(), 0o644);
    for d in [state.clone(), state.join("Logging"), state.join("Logging/Pop3")] {
        chmod(&d, 0o755);
    }
    chmod(&state.join("Logging/Pop3/POP320260101-1.LOG"), 0o644);
    let r = sh.cmd("Get-Mailbox | Out-Null");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(loose_files(sh.dir.path()), Vec::<String>::new());
}

#[test]
fn a_refused_auth_followed_by_credentials_leaves_no_secret_in_the_protocol_logs() {
    let mut env = Env::imap(true);
    env.update_pop_settings(|s| s.login_type = LoginType::SecureLogin);
    env.start_pop();
    env.start_imap();
    // SecureLogin on plain text: AUTH PLAIN is refused; the client sends
    // its credentials anyway.
    let out = client(
        &env,
        &format!(
            "pop_port, imap_port = {}, {}\n{}",
            env.pop.plain,
            env.plain_port,
            r#"
import base64, os, socket
secret = base64.b64encode(b'\0' + os.environ['USER'].encode() + b'\0' + os.environ['PASSWORD'].encode())
def talk(port, lines):
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    f = s.makefile('rb')
    f.readline()
    for line in lines:
        s.sendall(line + b'\r\n')
        print(f.readline().decode().strip())
    s.close()
talk(pop_port, [b'AUTH PLAIN', secret, b'AUTH PLAIN ' + secret, b'QUIT'])
talk(imap_port, [b'a AUTHENTICATE PLAIN', secret, b'b AUTHENTICATE PLAIN ' + secret, secret + b' NOOP', b'c LOGOUT'])
print(secret.decode())
"#
        ),
    );
    let secret = out.lines().last().expect("the secret").to_string();
    assert_eq!(
        out,
        format!(
            "-ERR Command is not valid in this state.\n-ERR Protocol error. 14\n-ERR Command is not valid in this state.\n\
             +OK Microsoft Exchange Server POP3 server signing off.\n\
             a BAD Command received in Invalid state.\n* BAD Command Error. 12\nb BAD Command received in Invalid state.\n\
             {secret} OK NOOP completed.\n* BYE Microsoft Exchange Server IMAP4 server signing off.\n{secret}\n"
        )
    );
    for s in [Service::Imap4, Service::Pop3] {
        env.control.stop(s, &mut || {}).expect("stopped");
    }
    let mut logs = String::new();
    for dir in ["Logging/Pop3", "Logging/Imap4"] {
        for f in std::fs::read_dir(env.state_dir().join(dir)).expect("logs written").flatten() {
            logs.push_str(&std::fs::read_to_string(f.path()).expect("a log"));
        }
    }
    assert!(logs.contains("AUTH PLAIN") && logs.contains("AUTHENTICATE"), "{logs}");
    assert!(!logs.contains(&secret) && !logs.contains(PASSWORD), "{logs}");
}

// ---- bad input, read-only stores ---------------------------------------------

#[test]
fn input_that_is_not_utf8_gets_a_clean_error() {
    use std::os::unix::ffi::OsStrExt;
    let sh = Shell::new();
    let arg = std::ffi::OsStr::from_bytes(b"Write-Output \"\xff\"");
    let out = sh.command().arg("-Command").arg(arg).stdin(std::process::Stdio::null()).output().expect("mailsh runs");
    assert_eq!(out.status.code(), Some(64));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Cannot process the command because argument 2 is not valid UTF-8: Unable to translate bytes [FF] at index 14 from specified code page to Unicode.\n"
    );
    let script = sh.path("bad.ps1");
    std::fs::write(&script, b"Get-Mailbox\n# caf\xc3\n").expect("script written");
    let out = sh.command().arg("-File").arg(&script).stdin(std::process::Stdio::null()).output().expect("mailsh runs");
    assert_eq!(out.status.code(), Some(64));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "Processing -File '{}' failed: Unable to translate bytes [C3] at index 17 from specified code page to Unicode. Specify a valid path for the -File parameter\n",
            script.display()
        )
    );
    let mut child = sh
        .command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("mailsh starts");
    std::io::Write::write_all(&mut child.stdin.take().expect("piped"), b"Write-Output ok\n\xfe\xff\n")
        .expect("written");
    let out = child.wait_with_output().expect("mailsh ends");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "nothing runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Cannot process the standard input: Unable to translate bytes [FE] at index 16 from specified code page to Unicode.\n"
    );
}

#[test]
fn a_store_this_account_cannot_write_is_read_and_refuses_writes_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let sh = Shell::new();
    sh.mailboxes(&["Bob"]);
    let state = mailsh::store::state_dir_for(&sh.store());
    let chmod =
        |p: &std::path::Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let run = |text: &str| {
        let mut cmd = if root {
            // Root writes anything: the store is read by another account,
            // which the owner let read it.
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", exe()]);
            c
        } else {
            std::process::Command::new(exe())
        };
        let out = cmd
            .arg("-Store")
            .arg(sh.store())
            .args(["-NonInteractive", "-Command", text])
            .env("NO_COLOR", "1")
            .env("HOME", "/tmp")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("mailsh runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        )
    };
    if root {
        for d in [sh.dir.path(), state.as_path()] {
            chmod(d, 0o755);
        }
        chmod(&sh.store(), 0o644);
    } else {
        chmod(&sh.store(), 0o444);
        chmod(sh.dir.path(), 0o555);
    }
    let (out, err, code) = run("(Get-CASMailbox Bob).PopEnabled");
    assert_eq!((out.as_str(), err.as_str(), code), ("True\n", "", Some(0)));
    let (_, err, code) = run("Set-CASMailbox Bob -PopEnabled $false");
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with(&format!(
            "Set-CASMailbox : The configuration store '{}' is read-only for this account: nothing was changed.",
            sh.store().display()
        )),
        "{err}"
    );
    // The transport's configuration: read, and its cmdlets refused the same way.
    let (out, err, code) = run("(Get-ReceiveConnector 'Client Frontend CAS01').MaxMessageSize");
    assert_eq!((err.as_str(), code), ("", Some(0)), "{out}");
    assert!(!out.trim().is_empty(), "{out}");
    for (cmdlet, text) in [
        ("Set-ReceiveConnector", "Set-ReceiveConnector 'Client Frontend CAS01' -Banner '220 hi'"),
        ("New-AcceptedDomain", "New-AcceptedDomain -Name fabrikam -DomainName fabrikam.com"),
    ] {
        let (_, err, code) = run(text);
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.starts_with(&format!(
                "{cmdlet} : The configuration store '{}' is read-only for this account: nothing was changed.",
                sh.store().display()
            )),
            "{err}"
        );
    }
    chmod(sh.dir.path(), 0o700);
}
