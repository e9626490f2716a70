//! Test-ImapConnectivity / Test-PopConnectivity: log on through the front
//! end as a client would (Plaintext, Tls = STARTTLS/STLS, Ssl = implicit
//! TLS), log off, and report the latency or the error. A small blocking
//! client: the cmdlets call it directly.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};

use crate::store::tls_client::{CertCheck, roots};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeProtocol {
    Imap4,
    Pop3,
}

/// -ConnectionType.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionType {
    Plaintext,
    /// STARTTLS (IMAP) / STLS (POP3) on the plain port.
    Tls,
    /// TLS from the first byte.
    Ssl,
}

impl ConnectionType {
    pub fn from_name(name: &str) -> Option<ConnectionType> {
        match name.to_ascii_lowercase().as_str() {
            "plaintext" => Some(ConnectionType::Plaintext),
            "tls" => Some(ConnectionType::Tls),
            "ssl" => Some(ConnectionType::Ssl),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub protocol: ProbeProtocol,
    pub host: String,
    pub port: u16,
    pub connection: ConnectionType,
    pub user: String,
    pub password: String,
    /// -TrustAnySSLCertificate.
    pub trust_any_certificate: bool,
    /// PEM certificates trusted besides the system's (e.g. the service's
    /// self-signed one in `<state>/certs/`).
    pub extra_roots: Vec<PathBuf>,
    /// -PerConnectionTimeout.
    pub timeout: Duration,
}

/// The port a probe of this connection type uses when none is given: the
/// first UnencryptedOrTLSBindings port (Plaintext, Tls) or SSLBindings port
/// (Ssl) of the protocol's settings.
pub fn default_port(settings: &crate::store::ProtocolSettings, connection: ConnectionType) -> Option<u16> {
    let bindings = match connection {
        ConnectionType::Ssl => &settings.ssl_bindings,
        _ => &settings.unencrypted_or_tls_bindings,
    };
    bindings.iter().find_map(|b| crate::engines::net::bind::parse_binding(b).ok()).map(|a| a.port())
}

/// The certificates the services present (`<state>/certs/*.pem`), to trust
/// them without -TrustAnySSLCertificate.
pub fn service_certificates(state_dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir(state_dir.join("certs"))
        .map(|dir| dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pem")).collect())
        .unwrap_or_default()
}

/// The latency in milliseconds, or the error text for the Error column.
pub fn probe(req: &ProbeRequest) -> Result<u64, String> {
    let began = Instant::now();
    let addr = (req.host.as_str(), req.port)
        .to_socket_addrs()
        .map_err(|e| format!("{}:{}: {e}", req.host, req.port))?
        .next()
        .ok_or_else(|| format!("{}: no address", req.host))?;
    let tcp = TcpStream::connect_timeout(&addr, req.timeout).map_err(|e| format!("{addr}: {e}"))?;
    tcp.set_read_timeout(Some(req.timeout)).map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(req.timeout)).map_err(|e| e.to_string())?;
    let mut conn = match req.connection {
        ConnectionType::Ssl => Conn::Tls(Box::new(tls_wrap(req, tcp)?)),
        _ => Conn::Plain(tcp),
    };
    match req.protocol {
        ProbeProtocol::Pop3 => pop3(req, &mut conn)?,
        ProbeProtocol::Imap4 => imap4(req, &mut conn)?,
    }
    Ok(began.elapsed().as_millis() as u64)
}

fn pop3(req: &ProbeRequest, conn: &mut Conn) -> Result<(), String> {
    expect_ok_pop(conn.line()?)?;
    if req.connection == ConnectionType::Tls {
        conn.send("STLS")?;
        expect_ok_pop(conn.line()?)?;
        conn.upgrade(req)?;
    }
    conn.send(&format!("USER {}", req.user))?;
    expect_ok_pop(conn.line()?)?;
    conn.send_secret(&format!("PASS {}", req.password))?;
    expect_ok_pop(conn.line()?)?;
    conn.send("QUIT")?;
    expect_ok_pop(conn.line()?)
}

fn expect_ok_pop(line: String) -> Result<(), String> {
    if line.starts_with("+OK") { Ok(()) } else { Err(line) }
}

fn imap4(req: &ProbeRequest, conn: &mut Conn) -> Result<(), String> {
    let greeting = conn.line()?;
    if !greeting.starts_with("* OK") {
        return Err(greeting);
    }
    if req.connection == ConnectionType::Tls {
        conn.send("p1 STARTTLS")?;
        imap_tagged(conn, "p1")?;
        conn.upgrade(req)?;
    }
    conn.send_secret(&format!("p2 LOGIN {} {}", quoted(&req.user), quoted(&req.password)))?;
    imap_tagged(conn, "p2")?;
    conn.send("p3 LOGOUT")?;
    imap_tagged(conn, "p3")
}

/// Reads to the tagged response; OK or the line as the error.
fn imap_tagged(conn: &mut Conn, tag: &str) -> Result<(), String> {
    loop {
        let line = conn.line()?;
        if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
            return if rest.starts_with("OK") { Ok(()) } else { Err(line) };
        }
    }
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(crate) enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    Gone,
}

impl Conn {
    fn io(&mut self) -> Result<&mut dyn ReadWrite, String> {
        match self {
            Conn::Plain(s) => Ok(s),
            Conn::Tls(s) => Ok(s.as_mut()),
            Conn::Gone => Err("the connection was lost".into()),
        }
    }

    pub(crate) fn send(&mut self, line: &str) -> Result<(), String> {
        let io = self.io()?;
        io.write_all(format!("{line}\r\n").as_bytes()).and_then(|_| io.flush()).map_err(|e| e.to_string())
    }

    /// Bytes as they are (a message's data).
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> Result<(), String> {
        let io = self.io()?;
        io.write_all(bytes).and_then(|_| io.flush()).map_err(|e| e.to_string())
    }

    /// Like send; kept apart so that no error text ever quotes the line.
    pub(crate) fn send_secret(&mut self, line: &str) -> Result<(), String> {
        self.send(line).map_err(|_| "the connection was lost while logging on".to_string())
    }

    /// One response line, read a byte at a time so that nothing is read
    /// ahead of a TLS upgrade.
    pub(crate) fn line(&mut self) -> Result<String, String> {
        let io = self.io()?;
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match io.read(&mut byte) {
                Ok(0) => return Err("The server closed the connection.".into()),
                Ok(_) if byte[0] == b'\n' => break,
                Ok(_) => out.push(byte[0]),
                // A signal to the process (a terminal resize in the REPL)
                // interrupts a read with a timeout even under SA_RESTART.
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.to_string()),
            }
            if out.len() > 64 * 1024 {
                return Err("The server's response is too long.".into());
            }
        }
        if out.last() == Some(&b'\r') {
            out.pop();
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn upgrade(&mut self, req: &ProbeRequest) -> Result<(), String> {
        self.upgrade_to(&req.host, req.trust_any_certificate, &req.extra_roots)
    }

    /// STARTTLS: the same connection, encrypted from here on.
    pub(crate) fn upgrade_to(&mut self, host: &str, trust_any: bool, extra_roots: &[PathBuf]) -> Result<(), String> {
        match std::mem::replace(self, Conn::Gone) {
            Conn::Plain(tcp) => {
                *self = Conn::Tls(Box::new(tls_client(host, trust_any, extra_roots, tcp)?));
                Ok(())
            }
            _ => Err("the connection is already encrypted".into()),
        }
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn tls_wrap(req: &ProbeRequest, tcp: TcpStream) -> Result<StreamOwned<ClientConnection, TcpStream>, String> {
    tls_client(&req.host, req.trust_any_certificate, &req.extra_roots, tcp)
}

/// A TLS client on `tcp` for `host`: its certificate checked against the
/// system's roots and `extra_roots` (or any accepted, `trust_any`).
pub(crate) fn tls_client(
    host: &str,
    trust_any: bool,
    extra_roots: &[PathBuf],
    tcp: TcpStream,
) -> Result<StreamOwned<ClientConnection, TcpStream>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = if trust_any {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(CertCheck::any(&provider))).with_no_client_auth()
    } else {
        builder.with_root_certificates(roots(extra_roots)).with_no_client_auth()
    };
    let name = ServerName::try_from(host.to_string()).map_err(|e| format!("{host}: {e}"))?;
    let mut client = ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut tcp = tcp;
    while client.is_handshaking() {
        client.complete_io(&mut tcp).map_err(|e| e.to_string())?;
    }
    Ok(StreamOwned::new(client, tcp))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signal landing while the probe waits for an answer (in read(2),
    /// under the read timeout) is not a failure.
    #[test]
    fn a_signal_during_a_read_is_retried() {
        extern "C" fn ignore(_: libc::c_int) {}
        // SAFETY: installs a handler that does nothing, for a signal only
        // this test sends.
        unsafe { libc::signal(libc::SIGUSR2, ignore as *const () as libc::sighandler_t) };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let tcp = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
        let (started, thread) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            // SAFETY: plain queries about the calling thread.
            let _ = started.send(unsafe { (libc::pthread_self(), libc::gettid()) });
            Conn::Plain(tcp).line()
        });
        let (handle, tid) = thread.recv().unwrap();
        // Wait until the reader sleeps in read(2), then signal it.
        let stat = format!("/proc/self/task/{tid}/stat");
        let began = Instant::now();
        while !std::fs::read_to_string(&stat)
            .is_ok_and(|s| s.rsplit_once(')').is_some_and(|(_, r)| r.starts_with(" S")))
        {
            assert!(began.elapsed().as_secs() < 20, "the reader never blocked");
            std::thread::yield_now();
        }
        // SAFETY: the thread is alive: it is blocked reading until we write.
        assert_eq!(unsafe { libc::pthread_kill(handle, libc::SIGUSR2) }, 0);
        server.write_all(b"+OK ready\r\n").unwrap();
        assert_eq!(reader.join().unwrap(), Ok("+OK ready".to_string()));
    }

    #[test]
    fn default_ports_come_from_the_bindings() {
        let s = crate::store::ProtocolSettings::defaults(crate::store::Protocol::Pop3, "cas01.contoso.com", "/x");
        assert_eq!(default_port(&s, ConnectionType::Plaintext), Some(110));
        assert_eq!(default_port(&s, ConnectionType::Tls), Some(110));
        assert_eq!(default_port(&s, ConnectionType::Ssl), Some(995));
        assert_eq!(ConnectionType::from_name("SSL"), Some(ConnectionType::Ssl));
    }
}
