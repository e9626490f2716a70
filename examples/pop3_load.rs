//! POP3 load benchmark: logins per second and RETR throughput on a
//! 10,000-message maildrop, through the real front end and back end.
//!
//! ```text
//! cargo build --release && cargo run --release --example pop3_load -- [--messages N] [--clients C] [--seconds S]
//! ```
//! Results and the machine they were measured on: docs/performance.md (POP3).
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mailsh::services::{Service, ServiceControl};
use mailsh::store::mail::{MailDb, mail_db_path};
use mailsh::store::{CreateOptions, LoginType, NewMailbox, Protocol, Store, password};

const USER: &str = "load@contoso.com";
const PASSWORD: &str = "L0ad-Test!";

#[path = "support/mailmix.rs"]
mod mailmix;

/// `mailload`'s default seed: the same messages as the benchmark harness.
const SEED: u64 = 1;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let messages = arg("--messages", 10_000) as usize;
    let clients = arg("--clients", 8) as usize;
    let seconds = arg("--seconds", 5);
    let exe = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("mailsh"))
        .filter(|p| p.exists())
        .ok_or("build the binary first: cargo build --release")?;
    let dir = tempfile::tempdir()?;
    let store_path = dir.path().join("store.db");
    let mut store = Store::open_or_create(&store_path, &CreateOptions::default())?;
    let port = free_port();
    let mut settings = store.protocol_settings(Protocol::Pop3)?;
    settings.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{port}")];
    settings.ssl_bindings = vec![format!("127.0.0.1:{}", free_port())];
    settings.proxy_target_port = free_port() as i64;
    settings.login_type = LoginType::PlainTextLogin;
    settings.max_connections_per_user = 1000;
    let hash = password::hash(PASSWORD)?;
    let server = store.server().guid.clone();
    let mailbox = store.write(|tx| {
        Store::save_protocol_settings(tx, &server, &settings)?;
        Store::insert_mailbox(
            tx,
            &NewMailbox {
                name: "Load".into(),
                alias: "load".into(),
                display_name: "Load".into(),
                upn: USER.into(),
                primary_smtp: USER.into(),
                password_hash: Some(hash.clone()),
                ..Default::default()
            },
        )
    })?;

    print!("delivering {messages} messages ... ");
    std::io::stdout().flush()?;
    let began = Instant::now();
    let mut db = MailDb::open(&mail_db_path(&store_path))?;
    // The benchmark's realistic mix (as `mailload populate`), in one
    // transaction.
    let all: Vec<Vec<u8>> = (0..messages).map(|i| mailmix::message(SEED, i as u64).data).collect();
    let bytes: u64 = all.iter().map(|m| m.len() as u64).sum();
    let refs: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
    db.deliver_many(&mailbox.guid, &refs)?;
    drop(db);
    println!("{:.1} s ({:.1} MB)", began.elapsed().as_secs_f64(), bytes as f64 / 1e6);

    let control = ServiceControl { exe, store_path: store_path.clone() };
    control.start(Service::Pop3Backend, &mut || {})?;
    let _stop = Stopper(control.clone());
    control.start(Service::Pop3, &mut || {})?;

    // Logins: each client connects, logs on (front end + back end, Inbox
    // snapshot of `messages` messages), and quits, in a loop.
    let done = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let began = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (done, count) = (done.clone(), count.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if login_quit(port).is_ok() {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    done.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let logins = count.load(Ordering::Relaxed) as f64 / began.elapsed().as_secs_f64();
    println!("logins/s (USER/PASS + QUIT, {clients} clients, {messages}-message maildrop): {logins:.0}");

    // RETR throughput: one session retrieves every message.
    let mut s = Session::log_on(port)?;
    let began = Instant::now();
    s.command("LIST")?;
    let listed = s.block()?;
    let list_ms = began.elapsed().as_secs_f64() * 1000.0;
    let began = Instant::now();
    let mut received = 0u64;
    for n in 1..=listed {
        s.command(&format!("RETR {n}"))?;
        received += s.block_bytes()?;
    }
    let secs = began.elapsed().as_secs_f64();
    s.command("QUIT")?;
    println!("LIST of {listed} messages: {list_ms:.0} ms");
    println!(
        "RETR: {listed} messages in {secs:.2} s = {:.0} messages/s, {:.1} MB/s",
        listed as f64 / secs,
        received as f64 / 1e6 / secs
    );
    Ok(())
}

struct Stopper(ServiceControl);

impl Drop for Stopper {
    fn drop(&mut self) {
        let _ = self.0.stop(Service::Pop3, &mut || {});
        let _ = self.0.stop(Service::Pop3Backend, &mut || {});
    }
}

fn login_quit(port: u16) -> std::io::Result<()> {
    let mut s = Session::log_on(port)?;
    s.command("QUIT")?;
    s.status()?;
    Ok(())
}

struct Session {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Session {
    fn log_on(port: u16) -> std::io::Result<Session> {
        let tcp = TcpStream::connect(("127.0.0.1", port))?;
        tcp.set_nodelay(true)?;
        let mut s = Session { writer: tcp.try_clone()?, reader: BufReader::new(tcp) };
        s.status()?;
        s.command(&format!("USER {USER}"))?;
        s.status()?;
        s.command(&format!("PASS {PASSWORD}"))?;
        s.status()?;
        Ok(s)
    }

    fn command(&mut self, line: &str) -> std::io::Result<()> {
        self.writer.write_all(format!("{line}\r\n").as_bytes())
    }

    fn status(&mut self) -> std::io::Result<String> {
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        if line.starts_with("+OK") { Ok(line) } else { Err(std::io::Error::other(line)) }
    }

    /// A multi-line answer; returns its line count.
    fn block(&mut self) -> std::io::Result<usize> {
        self.status()?;
        let mut n = 0;
        let mut line = Vec::new();
        loop {
            line.clear();
            self.reader.read_until(b'\n', &mut line)?;
            if line == b".\r\n" || line.is_empty() {
                return Ok(n);
            }
            n += 1;
        }
    }

    /// A multi-line answer; returns its byte count.
    fn block_bytes(&mut self) -> std::io::Result<u64> {
        self.status()?;
        let mut total = 0;
        let mut line = Vec::new();
        loop {
            line.clear();
            self.reader.read_until(b'\n', &mut line)?;
            if line == b".\r\n" || line.is_empty() {
                return Ok(total);
            }
            total += line.len() as u64;
        }
    }
}
