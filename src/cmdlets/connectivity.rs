//! Test-ImapConnectivity and Test-PopConnectivity: log on through the front
//! end as a client would and report Exchange's columns.

use std::time::Duration;

use super::common::object;
use super::identity::store_err;
use crate::engines::probe::{ConnectionType, ProbeProtocol, ProbeRequest, default_port, probe, service_certificates};
use crate::format::views::CONNECTIVITY;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};
use crate::store::{Protocol, state_dir_for};

static CONNECTION_TYPE: EnumDef = EnumDef {
    type_name: "Microsoft.Exchange.Monitoring.ProtocolConnectionType",
    members: &["Plaintext", "Tls", "Ssl"],
};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = |name: &'static str, what: &'static str| {
        Signature::build(name)
            .synopsis(what)
            .description("Logs on with -MailboxCredential through the front end over -ConnectionType (Plaintext, Tls = STARTTLS, Ssl = implicit TLS), logs off, and reports the latency. The services' own certificate is trusted; -TrustAnySSLCertificate trusts any.")
            .param(Param::new("ClientAccessServer", T::Identity("ServerIdParameter")).position(0).pipeline())
            .param(Param::new("ConnectionType", T::Enum(&CONNECTION_TYPE)).default("Ssl"))
            .param(Param::new("MailboxCredential", T::Credential).help("The mailbox to log on as: Get-Credential, or New-Object System.Management.Automation.PSCredential(...)."))
            .param(Param::new("PortClientAccessServer", T::Int { min: 1, max: 65535 }).help("The port; the first binding of the connection type if omitted."))
            .param(Param::new("PerConnectionTimeout", T::Int { min: 1, max: 3600 }).default("24").help("Seconds."))
            .param(Param::new("Timeout", T::Int { min: 1, max: 3600 }))
            .param(Param::new("TrustAnySSLCertificate", T::Switch))
            .param(Param::new("LightMode", T::Switch).help("Log on and off only (what mailsh always does)."))
            .examples_not_self_contained()
    };
    let imap = sig("Test-ImapConnectivity", "Tests that a mailbox can log on over IMAP4 through the front end.")
        .example(
            "Log on over STARTTLS",
            "Test-ImapConnectivity -MailboxCredential (New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))) -ConnectionType Tls -TrustAnySSLCertificate",
            "",
        );
    let pop = sig("Test-PopConnectivity", "Tests that a mailbox can log on over POP3 through the front end.")
        .example(
            "Log on over implicit TLS",
            "Test-PopConnectivity -MailboxCredential (New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))) -ConnectionType Ssl",
            "",
        );
    vec![
        CmdletDef::run(imap, |a, _, cx, o| test(a, cx, o, ProbeProtocol::Imap4)),
        CmdletDef::run(pop, |a, _, cx, o| test(a, cx, o, ProbeProtocol::Pop3)),
    ]
}

fn test(args: &Args, cx: &mut Session, out: &mut Output, protocol: ProbeProtocol) -> Result<()> {
    let store = cx.store()?;
    let server = store.server().clone();
    let settings = store
        .protocol_settings(if protocol == ProbeProtocol::Imap4 { Protocol::Imap4 } else { Protocol::Pop3 })
        .map_err(store_err)?;
    let connection =
        args.get("ConnectionType").and_then(|v| ConnectionType::from_name(&v.to_text())).unwrap_or(ConnectionType::Ssl);
    let (kind, scenario) = match protocol {
        ProbeProtocol::Imap4 => ("IMAP4", "Test IMAP4 Connectivity"),
        ProbeProtocol::Pop3 => ("POP3", "Test POP3 Connectivity"),
    };
    let (user, password) = match args.get("MailboxCredential") {
        Some(Value::Credential(c)) => (c.user.clone(), c.password.to_string()),
        _ => {
            return Err(ErrorRecord::task(
                format!("No test mailbox credential was given. Use -MailboxCredential to name the mailbox to log on to {kind} with."),
                "TestMailboxCredentialRequired",
            )
            .into());
        }
    };
    // The server's own name means its own bindings; any other is a host.
    let named = args.string("ClientAccessServer");
    let local =
        named.as_deref().is_none_or(|n| n.eq_ignore_ascii_case(&server.name) || n.eq_ignore_ascii_case(&server.fqdn));
    let bindings = match connection {
        ConnectionType::Ssl => &settings.ssl_bindings,
        _ => &settings.unencrypted_or_tls_bindings,
    };
    let bound = bindings.iter().find_map(|b| crate::engines::net::bind::parse_binding(b).ok());
    let host = match (&named, local, bound) {
        (Some(n), false, _) => n.clone(),
        (_, _, Some(addr)) if addr.ip().is_unspecified() => {
            if addr.is_ipv6() {
                "::1".to_string()
            } else {
                "127.0.0.1".to_string()
            }
        }
        (_, _, Some(addr)) => addr.ip().to_string(),
        _ => "127.0.0.1".to_string(),
    };
    let port = args
        .int("PortClientAccessServer")
        .map(|p| p as u16)
        .or_else(|| default_port(&settings, connection))
        .unwrap_or(0);
    let req = ProbeRequest {
        protocol,
        host,
        port,
        connection,
        user,
        password,
        trust_any_certificate: args.switch("TrustAnySSLCertificate"),
        extra_roots: service_certificates(&state_dir_for(&cx.store_path)),
        timeout: Duration::from_secs(args.int("PerConnectionTimeout").unwrap_or(24) as u64),
    };
    let (result, latency, error) = match probe_until_interrupted(req, cx)? {
        Ok(ms) => ("Success", format!("{ms}.00"), String::new()),
        Err(e) => ("Failure", String::new(), e),
    };
    let v = object(
        CONNECTIVITY,
        vec![
            ("ClientAccessServerShortName", Value::str(named.unwrap_or_else(|| server.name.clone()))),
            ("LocalSiteShortName", Value::str("Default-First-Site-Name")),
            ("Scenario", Value::str(scenario)),
            ("Result", Value::str(result)),
            ("LatencyInMillisecondsString", Value::str(latency)),
            ("Error", Value::str(error)),
            ("ClientAccessServer", Value::str(server.fqdn.clone())),
            ("ConnectionType", Value::str(format!("{connection:?}"))),
            ("Port", Value::Int(port as i32)),
        ],
    );
    out.emit(cx, v)
}

/// Runs the probe on its own thread so that Ctrl-C abandons a network wait
/// at once (the thread ends by itself at its timeout).
fn probe_until_interrupted(req: ProbeRequest, cx: &Session) -> Result<std::result::Result<u64, String>> {
    use std::sync::mpsc::RecvTimeoutError;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(probe(&req));
    });
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(r) => return Ok(r),
            Err(RecvTimeoutError::Timeout) => cx.check_interrupt()?,
            Err(RecvTimeoutError::Disconnected) => return Ok(Err("the probe ended without an answer".into())),
        }
    }
}
