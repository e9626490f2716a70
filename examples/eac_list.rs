//! The Exchange admin center's mailbox list at 100,000 mailboxes: the
//! first page and a search, each fetched over HTTPS from the real W3SVC
//! service by a signed-in administrator, on one kept-alive connection.
//! Prints the median, 90th percentile and maximum of each.
//!
//! ```text
//! cargo build --release && cargo run --release --example eac_list -- [--mailboxes N] [--requests R]
//! ```
//! Results and the machine they were measured on: docs/performance.md (The EAC's mailbox list).
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mailsh::services::{Service, ServiceControl};
use mailsh::store::owa::{VirtualDirectory, VirtualDirectoryKind};
use mailsh::store::role_groups::{ORGANIZATION_MANAGEMENT, role_group};
use mailsh::store::web::WebSite;
use mailsh::store::{CreateOptions, NewMailbox, Store, password};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

const PASSWORD: &str = "P@ssw0rd1";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

/// One HTTP/1.1 connection over TLS, kept alive.
struct Http {
    stream: BufReader<StreamOwned<ClientConnection, TcpStream>>,
    cookies: Vec<String>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Http {
    fn connect(port: u16, cert: &std::path::Path) -> Http {
        let mut roots = RootCertStore::empty();
        for c in CertificateDer::pem_file_iter(cert).unwrap() {
            roots.add(c.unwrap()).unwrap();
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let tls = ClientConnection::new(Arc::new(config), name).unwrap();
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_nodelay(true).unwrap();
        Http { stream: BufReader::new(StreamOwned::new(tls, tcp)), cookies: Vec::new() }
    }

    fn request(&mut self, method: &str, path: &str, form: Option<&str>) -> Reply {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en-US\r\n");
        if !self.cookies.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", self.cookies.join("; ")));
        }
        if let Some(body) = form {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
        } else {
            head.push_str("\r\n");
        }
        let s = self.stream.get_mut();
        s.write_all(head.as_bytes()).unwrap();
        s.flush().unwrap();
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).unwrap();
        let status = status_line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
        }
        let length: usize =
            headers.iter().find(|(k, _)| k == "content-length").map(|(_, v)| v.parse().unwrap()).unwrap_or(0);
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body).unwrap();
        for (k, v) in &headers {
            if k == "set-cookie" {
                let pair = v.split(';').next().unwrap().to_string();
                let name = pair.split('=').next().unwrap().to_string();
                self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
                if !v.contains("Max-Age=0") {
                    self.cookies.push(pair);
                }
            }
        }
        Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
    }
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({} requests)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count = arg("--mailboxes", 100_000);
    let requests = arg("--requests", 100) as usize;
    let exe = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("mailsh"))
        .filter(|p| p.exists())
        .ok_or("build the binary first: cargo build --release")?;
    let dir = tempfile::tempdir()?;
    let store_path = dir.path().join("store.db");
    let options =
        CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()), ..Default::default() };
    let mut store = Store::open_or_create(&store_path, &options)?;
    let began = Instant::now();
    let hash = password::hash(PASSWORD)?;
    let admin = store.write(|tx| {
        Store::insert_mailbox(
            tx,
            &NewMailbox {
                name: "Administrator".into(),
                alias: "administrator".into(),
                display_name: "Administrator".into(),
                upn: "administrator@contoso.com".into(),
                primary_smtp: "administrator@contoso.com".into(),
                password_hash: Some(hash.clone()),
                ..Default::default()
            },
        )
    })?;
    let mut made = 0;
    while made < count {
        let upto = (made + 10_000).min(count);
        store.write(|tx| {
            for i in made..upto {
                let name = format!("User {i:06}");
                let address = format!("user{i:06}@contoso.com");
                Store::insert_mailbox(
                    tx,
                    &NewMailbox {
                        name: name.clone(),
                        alias: format!("user{i:06}"),
                        display_name: name,
                        upn: address.clone(),
                        primary_smtp: address,
                        ..Default::default()
                    },
                )?;
            }
            Ok(())
        })?;
        made = upto;
    }
    let https = free_port();
    let server = store.server().guid.clone();
    store.write(|tx| {
        let group = role_group(ORGANIZATION_MANAGEMENT).expect("a built-in group");
        Store::add_role_group_member(tx, group, admin.id)?;
        Store::save_virtual_directory(
            tx,
            &server,
            VirtualDirectoryKind::Ecp,
            &VirtualDirectory {
                name: "ecp (Default Web Site)".into(),
                internal_url: Some(format!("https://127.0.0.1:{https}/ecp")),
                external_url: None,
                changed: 0,
            },
        )?;
        let site = WebSite { http_binding: format!("127.0.0.1:{}", free_port()), session_timeout: 900 };
        Store::save_web_site(tx, &server, &site)
    })?;
    println!("{count} mailboxes made in {:.1} s", began.elapsed().as_secs_f64());
    drop(store);
    let control = ServiceControl { exe, store_path: store_path.clone() };
    control.start(Service::W3svc, &mut || {})?;
    let cert = mailsh::store::state_dir_for(&store_path).join("certs").join("cas01.contoso.com.pem");
    let mut http = Http::connect(https, &cert);
    let form = http.request("GET", "/ecp/auth/signin", None);
    let at = form.body.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = form.body[at..at + 64].to_string();
    let signed = http.request(
        "POST",
        "/ecp/auth/signin",
        Some(&format!("csrf={csrf}&username=administrator&password=P%40ssw0rd1")),
    );
    assert_eq!(signed.status, 303, "{:?} {}", signed.headers, signed.body);
    let pages = [
        ("first page", "/ecp/recipients/mailboxes".to_string(), ">1 - 50<"),
        ("search 'User 0777'", "/ecp/recipients/mailboxes?search=User%200777".to_string(), "0 selected of 100 total"),
        (
            "last page by address, descending",
            format!("/ecp/recipients/mailboxes?sort=email&desc=1&page={}", (count + 1).div_ceil(50) - 1),
            "selected of",
        ),
    ];
    for (name, path, expect) in pages {
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let t = Instant::now();
            let r = http.request("GET", &path, None);
            times.push(t.elapsed());
            assert!(r.status == 200 && r.body.contains(expect), "{name}: {} {}", r.status, r.body);
        }
        summary(name, times);
    }
    control.stop(Service::W3svc, &mut || {})?;
    Ok(())
}
