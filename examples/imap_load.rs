//! IMAP4 load benchmark against the real services (front end + back end),
//! over loopback: logins per second, FETCH and APPEND throughput on a
//! 10,000-message Inbox, and memory per idle authenticated connection at
//! 1,000 connections.
//!
//! Run: cargo build --release && cargo run --release --example imap_load
//! (the example starts target/release/mailsh, next to its own folder).
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mailsh::services::{Service, ServiceControl};
use mailsh::store::mail::{MailDb, mail_db_path};
use mailsh::store::{CreateOptions, LoginType, NewMailbox, Protocol, Store, password};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const USER: &str = "bench@contoso.com";
const PASSWORD: &str = "P@ssw0rd!";
const MESSAGES: usize = 10_000;
const IDLE_CONNECTIONS: usize = 1_000;
/// `mailload`'s default seed: the same messages as the benchmark harness.
const SEED: u64 = 1;

type Conn = BufReader<TcpStream>;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

#[path = "support/mailmix.rs"]
mod mailmix;

/// Message `i` of the benchmark's realistic mix (mean 15 KB: 55 % plain
/// text, 30 % multipart/alternative, 15 % with an attachment), the same
/// bytes `mailload populate` appends with its default seed.
fn sample(i: usize) -> Vec<u8> {
    mailmix::message(SEED, i as u64).data
}

async fn line(c: &mut Conn) -> String {
    let mut l = String::new();
    let _ = c.read_line(&mut l).await;
    l
}

/// Sends a command and reads until its tagged answer; returns bytes read.
async fn command(c: &mut Conn, tag: &str, text: &str) -> usize {
    let _ = c.get_mut().write_all(format!("{tag} {text}\r\n").as_bytes()).await;
    wait_tag(c, tag).await
}

async fn wait_tag(c: &mut Conn, tag: &str) -> usize {
    let mut total = 0;
    loop {
        let mut l = Vec::new();
        let n = c.read_until(b'\n', &mut l).await.unwrap_or(0);
        if n == 0 {
            return total;
        }
        total += n;
        // Skip literal bodies.
        if let Some(open) = l.iter().rposition(|b| *b == b'{')
            && l.ends_with(b"}\r\n")
            && let Ok(len) = std::str::from_utf8(&l[open + 1..l.len() - 3]).unwrap_or("x").parse::<usize>()
        {
            let mut skip = vec![0u8; len];
            let _ = tokio::io::AsyncReadExt::read_exact(c, &mut skip).await;
            total += len;
        }
        if l.starts_with(format!("{tag} ").as_bytes()) {
            return total;
        }
    }
}

async fn login(port: u16) -> Option<Conn> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let _ = tcp.set_nodelay(true);
    let mut c = BufReader::new(tcp);
    line(&mut c).await;
    let _ = c.get_mut().write_all(format!("a LOGIN {USER} \"{PASSWORD}\"\r\n").as_bytes()).await;
    let answer = line(&mut c).await;
    answer.starts_with("a OK").then_some(c)
}

fn rss_kib(pid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0)))
        .unwrap_or(0)
}

fn engine_pid(store: &std::path::Path, s: Service) -> i32 {
    let text = std::fs::read_to_string(
        mailsh::store::state_dir_for(store).join("services").join(format!("{}.state", s.name())),
    )
    .unwrap_or_default();
    text.lines().find_map(|l| l.strip_prefix("engine=")).and_then(|p| p.parse().ok()).unwrap_or(0)
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store_path = dir.path().join("store.db");
    let (plain, ssl, proxy) = (free_port(), free_port(), free_port());
    let mut store = Store::open_or_create(
        &store_path,
        &CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()), ..Default::default() },
    )
    .expect("store");
    let mut s = store.protocol_settings(Protocol::Imap4).expect("settings");
    let hash = password::hash(PASSWORD).expect("hash");
    let server = store.server().guid.clone();
    let mailbox = store
        .write(|tx| {
            s.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{plain}")];
            s.ssl_bindings = vec![format!("127.0.0.1:{ssl}")];
            s.proxy_target_port = proxy as i64;
            s.login_type = LoginType::PlainTextLogin;
            s.max_connection_from_single_ip = 100_000;
            s.max_connections_per_user = 100_000;
            Store::save_protocol_settings(tx, &server, &s)?;
            Store::insert_mailbox(
                tx,
                &NewMailbox {
                    name: "Bench".into(),
                    alias: "bench".into(),
                    display_name: "Bench".into(),
                    upn: USER.into(),
                    primary_smtp: USER.into(),
                    password_hash: Some(hash.clone()),
                    ..Default::default()
                },
            )
        })
        .expect("mailbox");
    drop(store);
    let seed = Instant::now();
    let bodies: Vec<Vec<u8>> = (0..MESSAGES).map(sample).collect();
    let refs: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
    MailDb::open(&mail_db_path(&store_path)).and_then(|mut db| db.deliver_many(&mailbox.guid, &refs)).expect("seeded");
    let total: usize = bodies.iter().map(Vec::len).sum();
    println!(
        "seeded {MESSAGES} realistic messages ({:.1} MB, mean {} bytes) in {:.1} s",
        total as f64 / 1e6,
        total / MESSAGES,
        seed.elapsed().as_secs_f64()
    );

    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent()?.parent().map(|d| d.join("mailsh")))
        .unwrap_or_else(|| PathBuf::from("mailsh"));
    let control = ServiceControl { exe, store_path: store_path.clone() };
    control.start(Service::Imap4Backend, &mut || {}).expect("back end starts");
    control.start(Service::Imap4, &mut || {}).expect("front end starts");

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        // Logins per second: 8 clients connect, log in, log out, for 5 s.
        let began = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            tasks.push(tokio::spawn(async move {
                let mut n = 0u32;
                while began.elapsed() < Duration::from_secs(5) {
                    if let Some(mut c) = login(plain).await {
                        command(&mut c, "z", "LOGOUT").await;
                        n += 1;
                    }
                }
                n
            }));
        }
        let mut logins = 0;
        for t in tasks {
            logins += t.await.unwrap_or(0);
        }
        println!("logins: {:.0}/s (8 clients, connect + LOGIN + LOGOUT through the front end)", logins as f64 / began.elapsed().as_secs_f64());

        let Some(mut c) = login(plain).await else {
            println!("login failed");
            return;
        };
        command(&mut c, "s", "SELECT INBOX").await;
        let t = Instant::now();
        let bytes = command(&mut c, "f1", "FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)").await;
        let secs = t.elapsed().as_secs_f64();
        println!("FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE): {:.0} messages/s ({:.2} s, {} KiB)", MESSAGES as f64 / secs, secs, bytes / 1024);
        let t = Instant::now();
        let bytes = command(&mut c, "f2", "FETCH 1:* BODY.PEEK[]").await;
        let secs = t.elapsed().as_secs_f64();
        println!("FETCH 1:* BODY.PEEK[]: {:.0} messages/s, {:.1} MiB/s ({:.2} s)", MESSAGES as f64 / secs, bytes as f64 / secs / 1048576.0, secs);
        let t = Instant::now();
        command(&mut c, "f3", "UID FETCH 1:* (FLAGS)").await;
        println!("UID FETCH 1:* (FLAGS): {:.2} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        command(&mut c, "f4", "SEARCH HEADER Subject \"message 9999\"").await;
        println!("SEARCH HEADER Subject over {MESSAGES}: {:.2} s", t.elapsed().as_secs_f64());

        let msg = sample(0);
        let appends = 300;
        let t = Instant::now();
        for i in 0..appends {
            let mut cmd = format!("p{i} APPEND INBOX {{{}+}}\r\n", msg.len()).into_bytes();
            cmd.extend_from_slice(&msg);
            cmd.extend_from_slice(b"\r\n");
            let _ = c.get_mut().write_all(&cmd).await;
            wait_tag(&mut c, &format!("p{i}")).await;
        }
        let secs = t.elapsed().as_secs_f64();
        println!("APPEND (one client, {} bytes, durable): {:.0}/s", msg.len(), appends as f64 / secs);
        command(&mut c, "z", "LOGOUT").await;

        // Memory per idle authenticated connection.
        let fe = engine_pid(&store_path, Service::Imap4);
        let be = engine_pid(&store_path, Service::Imap4Backend);
        let before = rss_kib(fe) + rss_kib(be);
        let mut idle = Vec::with_capacity(IDLE_CONNECTIONS);
        for _ in 0..IDLE_CONNECTIONS {
            if let Some(c) = login(plain).await {
                idle.push(c);
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = rss_kib(fe) + rss_kib(be);
        println!(
            "idle authenticated connections: {} open; front end + back end RSS {} KiB -> {} KiB: {:.1} KiB per connection",
            idle.len(),
            before,
            after,
            (after.saturating_sub(before)) as f64 / idle.len().max(1) as f64
        );
        drop(idle);
    });
    let _ = control.stop(Service::Imap4, &mut || {});
    let _ = control.stop(Service::Imap4Backend, &mut || {});
}
