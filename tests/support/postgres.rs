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
fn remove_stale(tmp: &Path, prefix: &str) {
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix(&format!("{prefix}-"))
            && pid.parse::<u32>().is_ok()
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn start_local() -> Result<String, String> {
    start_cluster("mailsh-test-pg", None).map(|port| format!("postgresql://postgres@127.0.0.1:{port}/postgres"))
}

/// What a cluster started with TLS needs: its files, written into its data
/// folder, and the access rules that refuse plain TCP.
struct TlsSetup {
    password: &'static str,
    cert_pem: String,
    key_pem: String,
}

/// Starts a cluster in `<tmp>/<prefix>-<pid>` on a free loopback port, as
/// `start_local` describes; with `tls`, TCP connections must use TLS and a
/// password (SCRAM), and the server presents `tls`'s certificate. Its port.
fn start_cluster(prefix: &str, tls: Option<TlsSetup>) -> Result<u16, String> {
    let bin = bin_dir();
    let account = account();
    let tmp = std::env::temp_dir();
    remove_stale(&tmp, prefix);
    let data = tmp.join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir(&data).unwrap();
    let own = |path: &Path| {
        if let Some((uid, gid)) = account {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
        }
    };
    own(&data);
    let pgdata = data.join("pgdata");
    let mut initdb = Command::new(bin.join("initdb"));
    initdb.args(["-D"]).arg(&pgdata).args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    if let Some(t) = &tls {
        let pwfile = data.join("pwfile");
        std::fs::write(&pwfile, t.password).unwrap();
        own(&pwfile);
        initdb.arg(format!("--pwfile={}", pwfile.display()));
    }
    initdb.stdout(Stdio::null());
    as_account(&mut initdb, account, false);
    let out = initdb.output().expect("initdb runs");
    assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    let port = free_port();
    let mut settings = vec!["-p".to_string(), port.to_string(), "-c".into(), "listen_addresses=127.0.0.1".into()];
    settings.extend(["-c".into(), "fsync=off".into()]);
    if let Some(t) = &tls {
        use std::os::unix::fs::PermissionsExt;
        for (name, text) in [("server.crt", &t.cert_pem), ("server.key", &t.key_pem)] {
            let path = pgdata.join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            own(&path);
        }
        let hba =
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n";
        std::fs::write(pgdata.join("pg_hba.conf"), hba).unwrap();
        settings.extend(["-c".into(), "ssl=on".into()]);
    }
    let mut server = Command::new(bin.join("postgres"));
    server.arg("-D").arg(&pgdata).args(&settings).arg("-k").arg(&data);
    spawn_for_the_tests(server, account).map_err(|e| format!("PostgreSQL did not start: {e}"))?;
    // Its Unix socket takes any local account (trust), TLS or not.
    let local = format!(
        "postgresql://postgres@%2F{}:{port}/postgres",
        data.display().to_string().trim_start_matches('/').replace('/', "%2F")
    );
    wait_for(&local).map_err(|e| format!("the test PostgreSQL server did not answer: {e}"))?;
    Ok(port)
}

/// Starts a server program (as `account`, its output dropped) that ends
/// with the tests: spawned from a thread that lives as long as the
/// process, so the parent-death signal comes when the tests end, not when
/// a test does.
fn spawn_for_the_tests(mut cmd: Command, account: Option<(libc::uid_t, libc::gid_t)>) -> Result<(), String> {
    let (started, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        as_account(&mut cmd, account, true);
        let child = cmd.spawn();
        let ok = child.is_ok();
        let _ = started.send(child.map(|_| ()).map_err(|e| e.to_string()));
        if ok {
            loop {
                std::thread::park();
            }
        }
    });
    wait.recv().map_err(|e| e.to_string())?
}

/// A PostgreSQL server that takes TCP connections over TLS only, with a
/// password, presenting a certificate for `localhost` (not for 127.0.0.1)
/// signed by a test CA: how a directory on another computer is reached.
pub struct TlsDirectory {
    pub port: u16,
    pub password: &'static str,
    /// The CA's certificate, PEM.
    pub ca: std::path::PathBuf,
    /// Another CA's, which did not sign the server's.
    pub other_ca: std::path::PathBuf,
}

pub fn tls_directory() -> &'static TlsDirectory {
    static SERVER: OnceLock<TlsDirectory> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (ca_pem, issuer) = test_ca("mailsh test CA");
        let (other_pem, _) = test_ca("another CA");
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
        params.use_authority_key_identifier_extension = true;
        params.extended_key_usages.push(rcgen::ExtendedKeyUsagePurpose::ServerAuth);
        let cert = params.signed_by(&key, &issuer).unwrap();
        let password = "Dir3ct0ry!";
        let setup = TlsSetup { password, cert_pem: cert.pem(), key_pem: key.serialize_pem() };
        let port = start_cluster("mailsh-test-pgtls", Some(setup)).unwrap_or_else(|e| panic!("{e}"));
        let folder = std::env::temp_dir().join(format!("mailsh-test-pgtls-{}", std::process::id()));
        let (ca, other_ca) = (folder.join("ca.pem"), folder.join("other-ca.pem"));
        std::fs::write(&ca, ca_pem).unwrap();
        std::fs::write(&other_ca, other_pem).unwrap();
        TlsDirectory { port, password, ca, other_ca }
    })
}

fn test_ca(name: &str) -> (String, rcgen::Issuer<'static, rcgen::KeyPair>) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::DigitalSignature];
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), rcgen::Issuer::new(params, key))
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

/// PgBouncer (Debian's package) in front of the database `url` names, in
/// session pooling, on a free loopback port: a client's session gets one
/// of the pool's server connections, which outlives it (reset with
/// `DISCARD ALL`) and serves the next client, catalog caches warm. Runs
/// as the server's account (PgBouncer refuses root) until the tests end.
/// The URL to give mailsh.
pub fn through_pgbouncer(url: &str) -> String {
    let bin = Path::new("/usr/sbin/pgbouncer");
    assert!(bin.exists(), "the pooled directory's test needs PgBouncer: install Debian's pgbouncer package");
    let (head, _) = url.split_once('?').unwrap_or((url, ""));
    let authority = head.split_once("://").map(|(_, r)| r).unwrap_or(head);
    let (server, database) = authority.split_once('/').expect("a database in the URL");
    let hostport = server.rsplit_once('@').map(|(_, h)| h).unwrap_or(server);
    let (host, port) = hostport.rsplit_once(':').expect("a port in the URL");
    let account = account();
    let listen = free_port();
    let tmp = std::env::temp_dir();
    remove_stale(&tmp, "mailsh-test-pgbouncer");
    let mine = tmp.join(format!("mailsh-test-pgbouncer-{}", std::process::id()));
    let folder = mine.join(listen.to_string());
    std::fs::create_dir_all(&folder).unwrap();
    if let Some((uid, gid)) = account {
        for f in [&mine, &folder] {
            std::os::unix::fs::chown(f, Some(uid), Some(gid)).unwrap();
        }
    }
    let ini = folder.join("pgbouncer.ini");
    std::fs::write(
        &ini,
        format!(
            "[databases]\n{database} = host={host} port={port} dbname={database} user=postgres\n\
             [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {listen}\nunix_socket_dir =\n\
             auth_type = trust\nauth_file = {users}\npool_mode = session\nmax_client_conn = 200\n\
             default_pool_size = 40\nlogfile = {log}\n",
            users = folder.join("users.txt").display(),
            log = folder.join("pgbouncer.log").display(),
        ),
    )
    .unwrap();
    std::fs::write(folder.join("users.txt"), "\"postgres\" \"\"\n").unwrap();
    let mut pooler = Command::new(bin);
    pooler.arg(&ini);
    spawn_for_the_tests(pooler, account).unwrap_or_else(|e| panic!("PgBouncer did not start: {e}"));
    let pooled = format!("postgresql://postgres@127.0.0.1:{listen}/{database}");
    wait_for(&pooled).unwrap_or_else(|e| panic!("PgBouncer did not answer: {e}"));
    pooled
}
