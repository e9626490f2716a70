//! A PostgreSQL server for the directory's tests, and a fresh database on
//! it per test (`directory()`). With MAILSH_TEST_POSTGRES set (CI sets it
//! to the server `.ci/run` started, `postgresql://user@host:port/db`), that
//! server is used and a test fails when it cannot be reached; without it,
//! the test support starts one from Debian's binaries
//! (/usr/lib/postgresql/*/bin) in a temporary folder, on a loopback port,
//! as the `postgres` account when the tests run as root. It ends with the
//! test process (PR_SET_PDEATHSIG). Nothing sleeps for a fixed time: the
//! wait is on a connection, with a deadline.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::free_port;

/// The URL of a new, empty database for one test.
pub fn directory() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = server();
    let name = format!("mailsh_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut admin = ::postgres::Client::connect(server, ::postgres::NoTls).expect("the test server answers");
    // A language's collation (ICU's en-US), as a real server's databases
    // have, rather than the byte order of the test cluster's C locale: the
    // directory must order and compare names the same under either. A
    // server built without ICU gets its default.
    let icu = format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'"
    );
    if admin.batch_execute(&icu).is_err() {
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("a test database");
    }
    with_database(server, &name)
}

/// The test server's URL (its maintenance database), for what makes
/// databases of its own there (the replayer's scratch ones).
pub fn server_url() -> String {
    server().to_string()
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let rest = head.split_once("://").map(|(_, r)| r).unwrap_or(head);
    let authority_end = rest.find('/').map(|i| i + head.len() - rest.len()).unwrap_or(head.len());
    format!("{}/{name}{query}", &head[..authority_end])
}

/// The server's URL (its maintenance database), started once per process;
/// a server that cannot be reached fails every test that needs it, at once
/// after the first.
fn server() -> &'static str {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| match std::env::var("MAILSH_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) {
        Some(url) => match wait_for(&url) {
            Ok(()) => Ok(url),
            Err(e) => Err(format!("MAILSH_TEST_POSTGRES is set ({url}) but PostgreSQL cannot be reached: {e}")),
        },
        None => start_local(),
    });
    match server {
        Ok(url) => url,
        Err(e) => panic!("{e}"),
    }
}

/// Connects until the server answers or the deadline passes.
fn wait_for(url: &str) -> Result<(), String> {
    let began = Instant::now();
    loop {
        match ::postgres::Client::connect(url, ::postgres::NoTls) {
            Ok(_) => return Ok(()),
            Err(e) if began.elapsed() > Duration::from_secs(30) => {
                let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
                return Err(format!("{e}{cause}"));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("postgres").exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "the directory's tests need PostgreSQL: install Debian's postgresql package, or set \
             MAILSH_TEST_POSTGRES to a server's URL"
        )
    })
}

/// The account the server runs as: `postgres` when the tests run as root
/// (PostgreSQL refuses root), else the tests' own.
fn account() -> Option<(libc::uid_t, libc::gid_t)> {
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let name = std::ffi::CString::new("postgres").unwrap();
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(!pw.is_null(), "the tests run as root and there is no postgres account to run PostgreSQL as");
    Some(unsafe { ((*pw).pw_uid, (*pw).pw_gid) })
}

/// Runs as `account` (set before exec) and, for the server, dies with the
/// thread that started it: the credentials change first, since changing
/// them clears the parent-death signal.
fn as_account(cmd: &mut Command, account: Option<(libc::uid_t, libc::gid_t)>, die_with_parent: bool) {
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = account
                && (libc::setgroups(0, std::ptr::null()) != 0 || libc::setgid(gid) != 0 || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            if die_with_parent && libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Folders of earlier runs whose process is gone.
fn remove_stale(tmp: &Path) {
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("mailsh-test-pg-")
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn start_local() -> Result<String, String> {
    let bin = bin_dir();
    let account = account();
    let tmp = std::env::temp_dir();
    remove_stale(&tmp);
    let data = tmp.join(format!("mailsh-test-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir(&data).unwrap();
    if let Some((uid, gid)) = account {
        std::os::unix::fs::chown(&data, Some(uid), Some(gid)).unwrap();
    }
    let mut initdb = Command::new(bin.join("initdb"));
    initdb
        .args(["-D"])
        .arg(&data)
        .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        .stdout(Stdio::null());
    as_account(&mut initdb, account, false);
    let out = initdb.output().expect("initdb runs");
    assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    let port = free_port();
    // Spawned from a thread that lives as long as the process, so the
    // parent-death signal comes when the tests end, not when a test does.
    let (started, wait) = std::sync::mpsc::channel();
    let data_arg = data.clone();
    std::thread::spawn(move || {
        let mut server = Command::new(bin.join("postgres"));
        server
            .arg("-D")
            .arg(&data_arg)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .arg("-k")
            .arg(&data_arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        as_account(&mut server, account, true);
        let child = server.spawn();
        let ok = child.is_ok();
        let _ = started.send(child.map(|_| ()).map_err(|e| e.to_string()));
        if ok {
            loop {
                std::thread::park();
            }
        }
    });
    wait.recv().unwrap().map_err(|e| format!("PostgreSQL did not start: {e}"))?;
    let url = format!("postgresql://postgres@127.0.0.1:{port}/postgres");
    wait_for(&url).map_err(|e| format!("the test PostgreSQL server did not answer: {e}"))?;
    Ok(url)
}

#[test]
fn a_url_names_another_database() {
    assert_eq!(with_database("postgresql://u@h:5/postgres", "x"), "postgresql://u@h:5/x");
    assert_eq!(
        with_database("postgresql://u@h:5/postgres?sslmode=disable", "x"),
        "postgresql://u@h:5/x?sslmode=disable"
    );
    assert_eq!(with_database("postgresql://u@h:5", "x"), "postgresql://u@h:5/x");
}
