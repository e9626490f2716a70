//! What Get-/Set-ImapSettings and Get-/Set-PopSettings share: one table of
//! settings (parameter, type, property, how to read and write it), the
//! object Exchange shows, validation, and the restart warning.

use super::common::{audit, object, strings, warn_nothing_changed};
use super::identity::store_err;
use crate::runtime::command::{Args, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::types::EnumValue;
use crate::runtime::types::exchange::*;
use crate::runtime::value::{Value, format_bytes};
use crate::store::*;

pub struct Setting {
    pub name: &'static str,
    pub ty: T,
    pub help: &'static str,
    pub get: fn(&ProtocolSettings) -> Value,
    pub set: fn(&mut ProtocolSettings, &Value) -> std::result::Result<(), ErrorRecord>,
    /// Which protocols have it: (IMAP4, POP3).
    pub on: (bool, bool),
}

fn text(v: &Value) -> String {
    v.to_text()
}

fn list(v: &Value) -> Vec<String> {
    v.clone().into_items().iter().map(|i| i.to_text()).collect()
}

const DAY: i64 = 86_400;

pub static SETTINGS: &[Setting] = &[
    Setting {
        name: "MaxCommandSize",
        ty: T::Int { min: 40, max: 16384 },
        help: "Largest command a client may send, in bytes (IMAP4 1024-16384, POP3 40-1024).",
        get: |s| Value::int(s.max_command_size),
        set: |s, v| {
            s.max_command_size = int(v);
            check_command_size(s)
        },
        on: (true, true),
    },
    Setting {
        name: "ShowHiddenFoldersEnabled",
        ty: T::Bool,
        help: "Whether IMAP4 lists the Calendar, Contacts and Tasks folders.",
        get: |s| Value::Bool(s.show_hidden_folders_enabled),
        set: |s, v| {
            s.show_hidden_folders_enabled = v.is_true();
            Ok(())
        },
        on: (true, false),
    },
    Setting {
        name: "AdvertisedCapabilities",
        ty: T::Enum(&ADVERTISED_CAPABILITIES),
        help: "Full (every extension, the default) or Exchange2013 (only what Exchange 2013 lists).",
        get: |s| s.advertised_capabilities.to_value(),
        set: |s, v| {
            s.advertised_capabilities = AdvertisedCapabilities::from_value(v).unwrap_or_default();
            Ok(())
        },
        on: (true, false),
    },
    Setting {
        name: "MessageRetrievalSortOrder",
        ty: T::Enum(&SORT_ORDER),
        help: "The order POP3 lists messages in.",
        get: |s| s.message_retrieval_sort_order.to_value(),
        set: |s, v| {
            s.message_retrieval_sort_order = SortOrder::from_value(v).unwrap_or(SortOrder::Ascending);
            Ok(())
        },
        on: (false, true),
    },
    Setting {
        name: "UnencryptedOrTLSBindings",
        ty: T::Bindings,
        help: "address:port pairs for unencrypted and STARTTLS connections.",
        get: |s| strings(&s.unencrypted_or_tls_bindings),
        set: |s, v| {
            s.unencrypted_or_tls_bindings = bindings("UnencryptedOrTLSBindings", v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "SSLBindings",
        ty: T::Bindings,
        help: "address:port pairs for implicit TLS (SSL) connections.",
        get: |s| strings(&s.ssl_bindings),
        set: |s, v| {
            s.ssl_bindings = bindings("SSLBindings", v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "InternalConnectionSettings",
        ty: T::ConnectionSettings,
        help: "host:port:TLS|SSL shown to internal users.",
        get: |s| strings(&s.internal_connection_settings),
        set: |s, v| {
            s.internal_connection_settings = connection_settings("InternalConnectionSettings", v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "ExternalConnectionSettings",
        ty: T::ConnectionSettings,
        help: "host:port:TLS|SSL shown to external users.",
        get: |s| strings(&s.external_connection_settings),
        set: |s, v| {
            s.external_connection_settings = connection_settings("ExternalConnectionSettings", v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "X509CertificateName",
        ty: T::String,
        help: "The host name of the certificate the service presents.",
        get: |s| Value::str(s.x509_certificate_name.clone()),
        set: |s, v| {
            s.x509_certificate_name = dns_name(v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "Banner",
        ty: T::String,
        help: "The greeting clients see.",
        get: |s| Value::str(s.banner.clone()),
        set: |s, v| {
            s.banner = banner(v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "LoginType",
        ty: T::Enum(&LOGIN_TYPE),
        help: "PlainTextLogin, PlainTextAuthentication or SecureLogin (credentials only after TLS).",
        get: |s| s.login_type.to_value(),
        set: |s, v| {
            s.login_type = LoginType::from_value(v).unwrap_or(LoginType::SecureLogin);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "AuthenticatedConnectionTimeout",
        ty: T::TimeSpan { min: 30, max: DAY },
        help: "Idle time before an authenticated connection is closed (30 s to 1 day).",
        get: |s| Value::timespan_secs(s.authenticated_connection_timeout),
        set: |s, v| {
            s.authenticated_connection_timeout = secs(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "PreAuthenticatedConnectionTimeout",
        ty: T::TimeSpan { min: 30, max: 3600 },
        help: "Idle time before an unauthenticated connection is closed (30 s to 1 hour).",
        get: |s| Value::timespan_secs(s.preauthenticated_connection_timeout),
        set: |s, v| {
            s.preauthenticated_connection_timeout = secs(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "MaxConnections",
        ty: T::Int { min: 1, max: i32::MAX as i64 },
        help: "Connections the server accepts at once.",
        get: |s| Value::int(s.max_connections),
        set: |s, v| {
            s.max_connections = int(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "MaxConnectionFromSingleIP",
        ty: T::Int { min: 1, max: i32::MAX as i64 },
        help: "Connections one address may hold.",
        get: |s| Value::int(s.max_connection_from_single_ip),
        set: |s, v| {
            s.max_connection_from_single_ip = int(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "MaxConnectionsPerUser",
        ty: T::Int { min: 1, max: i32::MAX as i64 },
        help: "Connections one user may hold.",
        get: |s| Value::int(s.max_connections_per_user),
        set: |s, v| {
            s.max_connections_per_user = int(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "MessageRetrievalMimeFormat",
        ty: T::Enum(&MIME_TEXT_FORMAT),
        help: "The format messages are served in.",
        get: |s| s.message_retrieval_mime_format.to_value(),
        set: |s, v| {
            s.message_retrieval_mime_format = MimeTextFormat::from_value(v).unwrap_or(MimeTextFormat::BestBodyFormat);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "ProxyTargetPort",
        ty: T::Int { min: 0, max: 65535 },
        help: "The port on 127.0.0.1 the back end listens on; only this store's front end (proving the store's proxy key) is served there.",
        get: |s| Value::int(s.proxy_target_port),
        set: |s, v| {
            s.proxy_target_port = int(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "CalendarItemRetrievalOption",
        ty: T::Enum(&CALENDAR_ITEM_RETRIEVAL_OPTION),
        help: "iCalendar, intranetUrl, InternetUrl or Custom (needs OwaServerUrl).",
        get: |s| s.calendar_item_retrieval_option.to_value(),
        set: |s, v| {
            s.calendar_item_retrieval_option =
                CalendarItemRetrievalOption::from_value(v).unwrap_or(CalendarItemRetrievalOption::ICalendar);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "OwaServerUrl",
        ty: T::Uri,
        help: "The Outlook Web App URL calendar links use when the option is Custom.",
        get: |s| s.owa_server_url.clone().map(Value::from).unwrap_or(Value::Null),
        set: |s, v| {
            s.owa_server_url = if v.is_null() { None } else { Some(text(v)) };
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "EnableExactRFC822Size",
        ty: T::Bool,
        help: "Report exact message sizes instead of estimates.",
        get: |s| Value::Bool(s.enable_exact_rfc822_size),
        set: |s, v| {
            s.enable_exact_rfc822_size = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "LiveIdBasicAuthReplacement",
        ty: T::Bool,
        help: "Accepted; not used on-premises.",
        get: |s| Value::Bool(s.live_id_basic_auth_replacement),
        set: |s, v| {
            s.live_id_basic_auth_replacement = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "SuppressReadReceipt",
        ty: T::Bool,
        help: "Do not send read receipts when a client downloads a message.",
        get: |s| Value::Bool(s.suppress_read_receipt),
        set: |s, v| {
            s.suppress_read_receipt = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "ProtocolLogEnabled",
        ty: T::Bool,
        help: "Write protocol logs to LogFileLocation.",
        get: |s| Value::Bool(s.protocol_log_enabled),
        set: |s, v| {
            s.protocol_log_enabled = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "EnforceCertificateErrors",
        ty: T::Bool,
        help: "Refuse to start with an invalid certificate.",
        get: |s| Value::Bool(s.enforce_certificate_errors),
        set: |s, v| {
            s.enforce_certificate_errors = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "LogFileLocation",
        ty: T::String,
        help: "The folder for protocol logs.",
        get: |s| Value::str(s.log_file_location.clone()),
        set: |s, v| {
            s.log_file_location = text(v);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "LogFileRollOverSettings",
        ty: T::Enum(&LOG_FILE_ROLL_OVER),
        help: "Hourly, Daily, Weekly or Monthly.",
        get: |s| s.log_file_roll_over_settings.to_value(),
        set: |s, v| {
            s.log_file_roll_over_settings = LogFileRollOver::from_value(v).unwrap_or(LogFileRollOver::Daily);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "LogPerFileSizeQuota",
        ty: T::String,
        help: "Largest protocol log file: 0 (unlimited) or at least 1 MB, e.g. 10MB.",
        get: |s| Value::Bytes(s.log_per_file_size_quota),
        set: |s, v| {
            s.log_per_file_size_quota = byte_size(v)?;
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "ExtendedProtectionPolicy",
        ty: T::Enum(&EXTENDED_PROTECTION),
        help: "None, Allow or Require.",
        get: |s| s.extended_protection_policy.to_value(),
        set: |s, v| {
            s.extended_protection_policy =
                ExtendedProtectionTokenChecking::from_value(v).unwrap_or(ExtendedProtectionTokenChecking::None);
            Ok(())
        },
        on: (true, true),
    },
    Setting {
        name: "EnableGSSAPIAndNTLMAuth",
        ty: T::Bool,
        help: "Offer Kerberos and NTLM (accepted; mailsh offers PLAIN).",
        get: |s| Value::Bool(s.enable_gssapi_and_ntlm_auth),
        set: |s, v| {
            s.enable_gssapi_and_ntlm_auth = v.is_true();
            Ok(())
        },
        on: (true, true),
    },
];

fn int(v: &Value) -> i64 {
    match v.as_i64() {
        Some(n) => n,
        None => v.to_text().parse().unwrap_or(0),
    }
}

fn secs(v: &Value) -> i64 {
    match v {
        Value::TimeSpan(t) => *t / crate::runtime::value::TICKS_PER_SECOND,
        _ => 0,
    }
}

fn check_command_size(s: &ProtocolSettings) -> std::result::Result<(), ErrorRecord> {
    let (min, max) = match s.protocol {
        Protocol::Imap4 => (1024, 16384),
        Protocol::Pop3 => (40, 1024),
    };
    let n = s.max_command_size;
    if n < min || n > max {
        return Err(ErrorRecord::argument_validation(
            "MaxCommandSize",
            &format!("The value {n} is out of range. The valid range is {min} through {max}."),
        ));
    }
    Ok(())
}

pub(super) fn bindings(param: &str, v: &Value) -> std::result::Result<Vec<String>, ErrorRecord> {
    let mut out = Vec::new();
    for b in list(v) {
        let Ok(binding) = crate::engines::net::bind::parse_binding(&b) else {
            return Err(ErrorRecord::argument_transformation(
                param,
                &format!(
                    "Cannot convert value \"{b}\" to type \"Microsoft.Exchange.Data.IPBinding\". Error: \"'{b}' isn't a valid IP address and port number.\""
                ),
            ));
        };
        out.push(binding.to_string());
    }
    Ok(out)
}

fn connection_settings(param: &str, v: &Value) -> std::result::Result<Vec<String>, ErrorRecord> {
    let mut out = Vec::new();
    for c in list(v) {
        let parts: Vec<&str> = c.split(':').collect();
        let ok = match parts.as_slice() {
            [host, port] => !host.is_empty() && port.parse::<u16>().is_ok(),
            [host, port, enc] => {
                !host.is_empty()
                    && port.parse::<u16>().is_ok()
                    && ["tls", "ssl", ""].contains(&enc.to_ascii_lowercase().as_str())
            }
            _ => false,
        };
        if !ok {
            return Err(ErrorRecord::argument_transformation(
                param,
                &format!(
                    "Cannot convert value \"{c}\" to type \"Microsoft.Exchange.Data.ProtocolConnectionSettings\". Error: \"'{c}' isn't valid: use host:port:TLS or host:port:SSL.\""
                ),
            ));
        }
        let normalized = match parts.as_slice() {
            [host, port, enc] if !enc.is_empty() => {
                format!("{host}:{port}:{}", enc.to_ascii_uppercase())
            }
            [host, port, ..] => format!("{host}:{port}"),
            _ => c.clone(),
        };
        out.push(normalized);
    }
    Ok(out)
}

fn dns_name(v: &Value) -> std::result::Result<String, ErrorRecord> {
    let name = text(v);
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
        });
    if valid {
        Ok(name)
    } else {
        Err(ErrorRecord::argument_validation("X509CertificateName", &format!("'{name}' isn't a valid host name.")))
    }
}

fn banner(v: &Value) -> std::result::Result<String, ErrorRecord> {
    let b = text(v);
    if b.chars().count() > 1024 || b.contains(['\r', '\n']) {
        return Err(ErrorRecord::argument_validation(
            "Banner",
            "The banner must be one line of at most 1024 characters.",
        ));
    }
    Ok(b)
}

fn byte_size(v: &Value) -> std::result::Result<u64, ErrorRecord> {
    let bad = || {
        ErrorRecord::argument_transformation(
            "LogPerFileSizeQuota",
            &format!(
                "Cannot convert value \"{}\" to type \"Microsoft.Exchange.Data.Unlimited`1[Microsoft.Exchange.Data.ByteQuantifiedSize]\".",
                text(v)
            ),
        )
    };
    let n = match v {
        Value::Int(n) if *n >= 0 => *n as u64,
        other => {
            let t = other.to_text().replace(' ', "").to_ascii_uppercase();
            let t = t.split('(').next().unwrap_or("").to_string();
            let (digits, mult) = [("TB", 1u64 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
                .iter()
                .find_map(|(suffix, m)| t.strip_suffix(suffix).map(|d| (d.to_string(), *m)))
                .unwrap_or((t.clone(), 1));
            let f: f64 = digits.parse().map_err(|_| bad())?;
            (f * mult as f64) as u64
        }
    };
    if n != 0 && n < (1 << 20) {
        return Err(ErrorRecord::argument_validation(
            "LogPerFileSizeQuota",
            "The value must be 0 (unlimited) or at least 1 MB.",
        ));
    }
    Ok(n)
}

/// Validation across settings, after every change is applied.
/// (The message text is best knowledge of Exchange's; it lives here only.)
fn validate(s: &ProtocolSettings) -> std::result::Result<(), ErrorRecord> {
    if s.calendar_item_retrieval_option == CalendarItemRetrievalOption::Custom
        && s.owa_server_url.as_deref().is_none_or(str::is_empty)
    {
        return Err(ErrorRecord::task(
            "When CalendarItemRetrievalOption is set to Custom, you must specify an Outlook Web App server URL with the OwaServerUrl parameter.",
            "OwaServerUrlRequiredForCustom",
        )
        .with_target("", ""));
    }
    Ok(())
}

pub struct ProtocolCmdlets {
    pub protocol: Protocol,
    /// `IMAP4` / `POP3`
    pub label: &'static str,
    pub type_name: &'static str,
}

pub fn get_signature(name: &'static str, aliases: &'static [&'static str], synopsis: &'static str) -> Signature {
    Signature::build(name)
        .aliases(aliases)
        .synopsis(synopsis)
        .param(
            Param::new("Server", T::Identity("ServerIdParameter"))
                .position(0)
                .pipeline()
                .by_property()
                .help("The server; this server if omitted."),
        )
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility."))
}

pub fn set_signature(
    name: &'static str,
    aliases: &'static [&'static str],
    synopsis: &'static str,
    imap: bool,
) -> Signature {
    let mut sig = Signature::build(name)
        .aliases(aliases)
        .synopsis(synopsis)
        .description("Server-level settings are read when the services start: restart both services (front end and back end) for a change to take effect.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(if imap { super::confirm_texts::SET_IMAP_SETTINGS } else { super::confirm_texts::SET_POP_SETTINGS })
        .writes_store()
        .param(Param::new("Identity", T::Identity("ServerIdParameter")).pipeline().by_property().help("The server; this server if omitted."))
        .param(Param::new("Server", T::Identity("ServerIdParameter")).help("The server; this server if omitted."))
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility."));
    for s in SETTINGS.iter().filter(|s| if imap { s.on.0 } else { s.on.1 }) {
        let mut ty = s.ty;
        if s.name == "MaxCommandSize" {
            ty = if imap { T::Int { min: 1024, max: 16384 } } else { T::Int { min: 40, max: 1024 } };
        }
        sig = sig.param(Param::new(s.name, ty).help(s.help));
    }
    sig
}

/// The one setting Exchange does not have: listed last by Get-ImapSettings.
const MAILSH_ONLY: &str = "AdvertisedCapabilities";

pub fn settings_object(p: &ProtocolCmdlets, s: &ProtocolSettings, server: &ServerInfo, changed: i64) -> Value {
    let imap = p.protocol == Protocol::Imap4;
    let identity = format!("{}\\1", server.name);
    let mut props: Vec<(&'static str, Value)> = vec![("ProtocolName", Value::str(p.label)), ("Name", Value::str("1"))];
    for st in SETTINGS.iter().filter(|st| if imap { st.on.0 } else { st.on.1 }) {
        if st.name == MAILSH_ONLY {
            continue;
        }
        props.push((st.name, (st.get)(s)));
        if st.name == "LogPerFileSizeQuota" {
            // Exchange prints the size with its byte count.
            if let Some(last) = props.last_mut() {
                last.1 = Value::str(format_bytes(s.log_per_file_size_quota));
            }
        }
    }
    let dc: Vec<String> = server.domain.split('.').map(|p| format!("DC={p}")).collect();
    let dn = format!(
        "CN=1,CN={},CN=Protocols,CN={},CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,{}",
        if imap { "IMAP4" } else { "POP3" },
        server.name,
        dc.join(",")
    );
    props.extend([
        ("Server", Value::str(server.name.clone())),
        ("AdminDisplayName", Value::str("")),
        ("ExchangeVersion", Value::str("0.1 (8.0.535.0)")),
        ("DistinguishedName", Value::str(dn)),
        ("Identity", Value::str(identity.clone())),
        ("Guid", Value::str(server.guid.clone())),
        (
            "ObjectCategory",
            Value::str(format!(
                "{}/Configuration/Schema/ms-Exch-Protocol-Cfg-{}-Server",
                server.domain,
                if imap { "IMAP" } else { "POP" }
            )),
        ),
        (
            "ObjectClass",
            Value::array(vec![
                Value::str("top"),
                Value::str("protocolCfg"),
                Value::str(if imap { "protocolCfgIMAP" } else { "protocolCfgPOP" }),
            ]),
        ),
        ("WhenChanged", Value::date_unix(changed)),
        ("WhenCreated", Value::date_unix(server.created)),
        ("WhenChangedUTC", Value::date_unix(changed)),
        ("WhenCreatedUTC", Value::date_unix(server.created)),
        ("OrganizationId", Value::str("")),
        ("Id", Value::str(identity)),
        ("OriginatingServer", Value::str(server.fqdn.clone())),
        ("IsValid", Value::Bool(true)),
        ("ObjectState", Value::str("Unchanged")),
    ]);
    if imap {
        // mailsh's own setting, after Exchange's properties.
        props.push((MAILSH_ONLY, s.advertised_capabilities.to_value()));
    }
    object(p.type_name, props)
}

/// The server named by -Identity / -Server (`MBX01`, its FQDN, or
/// `MBX01\1`), any server of the organization; this server when neither
/// is given.
fn check_server(cx: &mut Session, args: &Args) -> Result<ServerInfo> {
    let store = cx.store()?;
    let this = store.server().clone();
    let mut server = this.clone();
    for key in ["Identity", "Server"] {
        if let Some(v) = args.get(key) {
            let named = match v {
                Value::Object(o) => o.get("Server").map(|s| s.to_text()).unwrap_or_else(|| v.to_text()),
                other => other.to_text(),
            };
            let bare = named.split('\\').next().unwrap_or("");
            let Some(found) = store.exchange_server(bare).map_err(store_err)? else {
                return Err(ErrorRecord::object_not_found(&named, &this.fqdn).into());
            };
            server = ServerInfo {
                name: found.name,
                fqdn: found.fqdn,
                domain: this.domain.clone(),
                guid: found.guid,
                created: found.created,
            };
        }
    }
    Ok(server)
}

pub fn get(p: &ProtocolCmdlets, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = check_server(cx, args)?;
    let store = cx.store()?;
    let settings = store.protocol_settings_of(&server.guid, p.protocol).map_err(store_err)?;
    let changed = store.protocol_settings_changed(&server.guid, p.protocol).map_err(store_err)?;
    out.emit(cx, settings_object(p, &settings, &server, changed))
}

pub fn set(p: &ProtocolCmdlets, args: &Args, cx: &mut Session) -> Result<()> {
    let server = check_server(cx, args)?;
    let identity = format!("{}\\1", server.name);
    let imap = p.protocol == Protocol::Imap4;
    // Exchange's text names no target ("Setting IMAP setting.").
    let text = if imap { super::confirm_texts::SET_IMAP_SETTINGS } else { super::confirm_texts::SET_POP_SETTINGS };
    if !cx.should_process_text(args, text)? {
        return Ok(());
    }
    let user = cx.user.clone();
    // Inner errors (a bad value, Custom without a URL) leave the record as
    // it was: nothing is written before every check has passed.
    let outcome = cx
        .store()?
        .write(|tx| {
            let current = Store::protocol_settings_for_update(tx, &server.guid, p.protocol)?;
            let mut next = current.clone();
            let mut changed = Vec::new();
            for st in SETTINGS.iter().filter(|st| if imap { st.on.0 } else { st.on.1 }) {
                if let Some(v) = args.get(st.name) {
                    let before = crate::format::cell::cell_text(&(st.get)(&next));
                    if let Err(e) = (st.set)(&mut next, v) {
                        return Ok(Err(e.at(args.span_of(st.name))));
                    }
                    let after = crate::format::cell::cell_text(&(st.get)(&next));
                    if before != after {
                        changed.push((st.name.to_string(), before, after));
                    }
                }
            }
            if let Err(e) = validate(&next) {
                return Ok(Err(e));
            }
            if changed.is_empty() {
                return Ok(Ok(false));
            }
            Store::save_protocol_settings(tx, &server.guid, &next)?;
            audit(tx, &user, args, &identity, changed)?;
            Ok(Ok(true))
        })
        .map_err(store_err)??;
    if outcome {
        cx.warn(&format!(
            "Changes to {} settings will only take effect after all Microsoft Exchange {} services are restarted on server {}.",
            p.label, p.label, server.name
        ));
    } else {
        warn_nothing_changed(cx, &identity);
    }
    Ok(())
}
