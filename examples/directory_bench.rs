//! The directory on PostgreSQL against SQLite at a million mailboxes (issue
//! 16's benchmark; not a timed test). Build and run, with a PostgreSQL
//! server this account may create databases on:
//!
//!     cargo build --release --examples
//!     MAILSH_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres \
//!         cargo run --release --example directory_bench      # MAILBOXES=1000000 by default
//!
//! It makes a SQLite store and a scratch database on that server, each with
//! the same mailboxes (one made by the store, the rest copied from it by SQL
//! with their own names, addresses and GUIDs), then measures, alternating
//! the two: `mailsh -Command "Get-CASMailbox <identity>"` as a whole
//! process; a logon through the IMAP4 front end and back end (the real
//! services) of users picked at random; and on PostgreSQL,
//! `Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false`
//! against the same change as one UPDATE in psql. Needs psql (Debian's
//! postgresql-client). With Debian's pgbouncer installed, the get is also
//! measured through PgBouncer in session pooling in front of the same
//! database (as docs/topology.md advises for many one-command shells).
//! Prints a Markdown table for docs/performance.md.
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mailsh::services::{Service, ServiceControl};
use mailsh::store::{CreateOptions, NewMailbox, Store, password};

const PASSWORD: &str = "P@ssw0rd1";

fn mailsh_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    exe.parent().and_then(|d| d.parent()).map(|d| d.join("mailsh")).expect("target folder")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// One store under test: its path or URL, and the folder its server keeps
/// its local files in.
struct Subject {
    label: &'static str,
    store: PathBuf,
    data_home: PathBuf,
}

impl Subject {
    fn shell(&self, script: &str) -> Duration {
        let t = Instant::now();
        let out = Command::new(mailsh_bin())
            .env("MAILSH_STORE", &self.store)
            .env("MAILSH_SERVER", "CAS01")
            .env("XDG_DATA_HOME", &self.data_home)
            .args(["-NonInteractive", "-Command", script])
            .output()
            .expect("mailsh runs");
        let took = t.elapsed();
        assert!(out.status.success(), "{}: {}", self.label, String::from_utf8_lossy(&out.stderr));
        took
    }

    fn control(&self) -> ServiceControl {
        ServiceControl { exe: mailsh_bin(), store_path: self.store.clone() }
    }
}

/// PgBouncer in session pooling in front of the scratch database, on a
/// free loopback port (as the `postgres` account when run as root: it
/// refuses root); stopped when dropped. None without Debian's pgbouncer.
struct Pooler {
    url: String,
    child: std::process::Child,
}

impl Pooler {
    fn start(url: &str, dir: &Path) -> Option<Pooler> {
        let bin = Path::new("/usr/sbin/pgbouncer");
        if !bin.exists() {
            println!("(no /usr/sbin/pgbouncer: the get is not measured through a pooler)");
            return None;
        }
        let (authority, database) = url.split_once("://").map(|(_, r)| r).unwrap_or(url).split_once('/').unwrap();
        let (host, port) = authority.rsplit_once('@').map(|(_, h)| h).unwrap_or(authority).rsplit_once(':').unwrap();
        let folder = dir.join("pgbouncer");
        std::fs::create_dir_all(&folder).unwrap();
        let listen = free_port();
        let ini = folder.join("pgbouncer.ini");
        std::fs::write(folder.join("users.txt"), "\"postgres\" \"\"\n").unwrap();
        std::fs::write(
            &ini,
            format!(
                "[databases]\n{database} = host={host} port={port} dbname={database} user=postgres\n\
                 [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {listen}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {}\npool_mode = session\ndefault_pool_size = 20\n\
                 log_connections = 0\nlog_disconnections = 0\n",
                folder.join("users.txt").display()
            ),
        )
        .unwrap();
        let root = unsafe { libc::geteuid() } == 0;
        let mut command = if root {
            for f in [dir, folder.as_path()] {
                Command::new("chown").arg("postgres").arg(f).status().unwrap();
            }
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        };
        let child = command
            .arg(&ini)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("pgbouncer starts");
        let url = format!("postgresql://postgres@127.0.0.1:{listen}/{database}");
        let began = Instant::now();
        while postgres::Client::connect(&url, postgres::NoTls).is_err() {
            assert!(began.elapsed() < Duration::from_secs(10), "PgBouncer answers");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Pooler { url, child })
    }
}

impl Drop for Pooler {
    fn drop(&mut self) {
        // runuser passes the signal on to PgBouncer.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// The mailbox table's columns, each as the copy of mailbox `i` writes it:
/// the identity columns made from `i`, the rest the template's.
fn copy_columns(columns: &[String], pg: bool) -> (String, String) {
    let hex = |width: usize| {
        if pg { format!("lpad(to_hex(i), {width}, '0')") } else { format!("printf('%0{width}x', i)") }
    };
    let (names, exprs): (Vec<String>, Vec<String>) = columns
        .iter()
        .filter(|c| *c != "id")
        .map(|c| {
            let e = match c.as_str() {
                "guid" => format!("{} || '-0000-4000-8000-' || {}", hex(8), hex(12)),
                "name" | "alias" => "'user' || i".to_string(),
                "display_name" => "'User ' || i".to_string(),
                "upn" | "primary_smtp" => "'user' || i || '@contoso.com'".to_string(),
                "email_addresses" => "'[\"SMTP:user' || i || '@contoso.com\"]'".to_string(),
                other => format!("t.{other}"),
            };
            (c.clone(), e)
        })
        .unzip();
    (names.join(", "), exprs.join(", "))
}

/// The template mailbox, through the store (its password hash, database,
/// CAS settings as New-Mailbox makes them).
fn template(store_path: &Path) {
    let mut store = Store::open_or_create(
        store_path,
        &CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()), ..Default::default() },
    )
    .expect("store");
    let hash = password::hash(PASSWORD).expect("hash");
    store
        .write(|tx| {
            Store::insert_mailbox(
                tx,
                &NewMailbox {
                    name: "template".into(),
                    alias: "template".into(),
                    display_name: "template".into(),
                    upn: "template@contoso.com".into(),
                    primary_smtp: "template@contoso.com".into(),
                    password_hash: Some(hash.clone()),
                    ..Default::default()
                },
            )
        })
        .expect("template mailbox");
}

fn populate_sqlite(path: &Path, n: u64) {
    template(path);
    let conn = rusqlite::Connection::open(path).expect("open");
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('mailbox')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (names, exprs) = copy_columns(&columns, false);
    conn.execute(
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
             INSERT INTO mailbox ({names}) SELECT {exprs} FROM n, mailbox t WHERE t.alias = 'template'"
        ),
        [n as i64 - 1],
    )
    .expect("mailboxes copied");
}

fn populate_postgres(url: &str, n: u64) {
    template(Path::new(url));
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let columns: Vec<String> = client
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'mailbox' \
             AND table_schema = current_schema() ORDER BY ordinal_position",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let (names, exprs) = copy_columns(&columns, true);
    client
        .execute(
            &format!(
                "INSERT INTO mailbox ({names}) SELECT {exprs} FROM generate_series(1, $1::bigint) AS i, \
                 mailbox t WHERE t.alias = 'template'"
            ),
            &[&(n as i64 - 1)],
        )
        .expect("mailboxes copied");
    client.batch_execute("VACUUM ANALYZE mailbox").expect("analyzed");
}

fn psql(url: &str, sql: &str) -> Duration {
    let t = Instant::now();
    let out = Command::new("psql").arg(url).args(["-qAt", "-c", sql]).output().expect("psql runs");
    let took = t.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    took
}

/// One IMAP logon through the front end: connect, greeting, LOGIN to its
/// tagged OK (what is timed), then LOGOUT.
fn logon(port: u16, user: &str) -> Duration {
    let t = Instant::now();
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    let mut line = String::new();
    reader.read_line(&mut line).expect("greeting");
    write!(writer, "a LOGIN {user} {PASSWORD}\r\n").expect("login sent");
    loop {
        line.clear();
        reader.read_line(&mut line).expect("reply");
        if line.starts_with("a ") {
            break;
        }
    }
    let took = t.elapsed();
    assert!(line.starts_with("a OK"), "{user}: {line}");
    let _ = writer.write_all(b"b LOGOUT\r\n");
    took
}

fn main() {
    let server = std::env::var("MAILSH_BENCH_POSTGRES")
        .expect("MAILSH_BENCH_POSTGRES: the URL of a PostgreSQL server this account may create databases on");
    let n: u64 = std::env::var("MAILBOXES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("mailsh-directory-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let database = format!("mailsh_bench_{}", std::process::id());
    let url = mailsh::store::pg::create_scratch_database(&server, &database).expect("a scratch database");
    mailsh::store::use_data_home(&dir.join("pg-data"));
    mailsh::store::answer_for("CAS01");
    let lite = Subject { label: "SQLite", store: dir.join("config.db"), data_home: dir.join("lite-data") };
    let pg = Subject { label: "PostgreSQL", store: PathBuf::from(&url), data_home: dir.join("pg-data") };

    let t = Instant::now();
    populate_sqlite(&lite.store, n);
    println!("SQLite: {n} mailboxes in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    populate_postgres(&url, n);
    println!("PostgreSQL: {n} mailboxes in {:.1} s", t.elapsed().as_secs_f64());

    // Get-CASMailbox of one mailbox, the whole process, alternating.
    let pooler = Pooler::start(&url, &dir);
    let pooled = pooler.as_ref().map(|p| Subject {
        label: "PostgreSQL through PgBouncer",
        store: PathBuf::from(&p.url),
        data_home: dir.join("pg-data"),
    });
    let (mut lite_get, mut pg_get, mut pooled_get) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..21u64 {
        let who = format!("Get-CASMailbox user{} | Out-Null", 1 + (k * 7919 + 500_000) % (n - 1));
        lite_get.push(lite.shell(&who));
        pg_get.push(pg.shell(&who));
        if let Some(p) = &pooled {
            pooled_get.push(p.shell(&who));
        }
    }
    drop(pooler);

    // Logons through the front end, users at random, alternating in
    // blocks after a warm-up of each.
    let mut ports = Vec::new();
    for s in [&lite, &pg] {
        let (plain, ssl, proxy) = (free_port(), free_port(), free_port());
        s.shell(&format!(
            "Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.1:{plain} -SSLBindings 127.0.0.1:{ssl} \
             -ProxyTargetPort {proxy} -LoginType PlainTextLogin -WarningAction SilentlyContinue"
        ));
        let control = s.control();
        control.start(Service::Imap4Backend, &mut || {}).expect("back end starts");
        control.start(Service::Imap4, &mut || {}).expect("front end starts");
        ports.push(plain);
    }
    let mut seed: u64 = 0x9e37_79b9;
    let mut user = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        format!("user{}@contoso.com", 1 + (seed >> 33) % (n - 1))
    };
    for &port in &ports {
        for _ in 0..50 {
            logon(port, &user());
        }
    }
    let (mut lite_logon, mut pg_logon) = (Vec::new(), Vec::new());
    for _ in 0..8 {
        for _ in 0..50 {
            lite_logon.push(logon(ports[0], &user()));
        }
        for _ in 0..50 {
            pg_logon.push(logon(ports[1], &user()));
        }
    }
    for s in [&lite, &pg] {
        let control = s.control();
        let _ = control.stop(Service::Imap4, &mut || {});
        let _ = control.stop(Service::Imap4Backend, &mut || {});
    }

    // The bulk change against one UPDATE, each from every mailbox enabled.
    let (mut bulk, mut update) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        psql(&url, "UPDATE mailbox SET pop_enabled = true");
        bulk.push(pg.shell("Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false"));
        psql(&url, "UPDATE mailbox SET pop_enabled = true");
        update.push(psql(&url, "UPDATE mailbox SET pop_enabled = false"));
    }
    let lite_bulk = lite.shell("Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false");

    println!("\n| measure ({n} mailboxes) | SQLite | PostgreSQL | PostgreSQL / SQLite |\n| --- | --- | --- | --- |");
    let row = |what: &str, a: Duration, b: Duration| {
        println!("| {what} | {} | {} | {:.2}x |", ms(a), ms(b), b.as_secs_f64() / a.as_secs_f64());
    };
    let lite_get = median(lite_get);
    row("`Get-CASMailbox <identity>`, whole process (median of 21)", lite_get, median(pg_get));
    if !pooled_get.is_empty() {
        row("`Get-CASMailbox <identity>`, through PgBouncer (session pooling)", lite_get, median(pooled_get));
    }
    let p90 = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() * 9 / 10]
    };
    row("IMAP4 logon through the front end (median of 400)", median(lite_logon.clone()), median(pg_logon.clone()));
    row("IMAP4 logon, 90th percentile", p90(lite_logon), p90(pg_logon));
    let (bulk, update) = (median(bulk), median(update));
    println!(
        "\n| {n} mailboxes on PostgreSQL | mailsh | psql | ratio |\n| --- | --- | --- | --- |\n\
         | `Get-CASMailbox -ResultSize Unlimited \\| Set-CASMailbox -PopEnabled $false` vs `UPDATE mailbox SET pop_enabled = false` | {} | {} | {:.2}x |",
        ms(bulk),
        ms(update),
        bulk.as_secs_f64() / update.as_secs_f64()
    );
    println!("(the same bulk change on SQLite: {})", ms(lite_bulk));
    let _ = mailsh::store::pg::drop_scratch_database(&server, &database);
    let _ = std::fs::remove_dir_all(&dir);
}
