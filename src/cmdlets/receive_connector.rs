//! Get-ReceiveConnector and Set-ReceiveConnector: the SMTP doors of the
//! two transport services, as Exchange 2013 Setup creates them ("Default
//! Frontend CAS01" on 25, "Client Frontend CAS01" on 587, "Default CAS01"
//! on 2525...). The services read them when they start.

use super::common::{audit, change_in_one_write, insert_new, object};
use super::confirm_texts::{NEW_RECEIVE_CONNECTOR, fill, list};
use super::identity::{server_based_identity, server_named, store_err};
use super::mailbox::quota_arg;
use super::protocol_settings::bindings;
use crate::format::views::RECEIVE_CONNECTOR;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::types::exchange::{EnumValue, PROTOCOL_LOGGING_LEVEL, TRANSPORT_ROLE};
use crate::runtime::value::{Value, now_unix};
use crate::store::transport::{AUTH_MECHANISMS, PERMISSION_GROUPS, ReceiveConnector, parse_ip_range, usage_defaults};
use crate::store::{ProtocolLoggingLevel, ServerInfo, Store, StoreError, TransportRole, Tx};

pub fn definitions() -> Vec<CmdletDef> {
    let identity =
        || Param::new("Identity", T::Identity("ReceiveConnectorIdParameter")).position(0).pipeline().by_property();
    let get = Signature::build("Get-ReceiveConnector")
        .synopsis("Shows the receive connectors: where each transport service listens for SMTP and who may send.")
        .param(identity().help("The connector's name or Server\\Name; wildcards accepted."))
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
        .example("Every receive connector", "Get-ReceiveConnector", "")
        .example(
            "The port clients submit on",
            "Get-ReceiveConnector \"Client Frontend*\" | Format-List Name,Bindings,AuthMechanism",
            "",
        );
    let set = Signature::build("Set-ReceiveConnector")
        .synopsis("Changes a receive connector; restart its transport service to apply it.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_RECEIVE_CONNECTOR)
        .param(identity().mandatory())
        .param(Param::new("Bindings", T::Bindings).help("address:port pairs it listens on ([::]:25, 0.0.0.0:25)."))
        .param(
            Param::new("RemoteIPRanges", T::Strings)
                .help("The client addresses it serves (stored; every address is served today)."),
        )
        .param(
            Param::new("AuthMechanism", T::Strings)
                .help("None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative."),
        )
        .param(
            Param::new("PermissionGroups", T::Strings)
                .help("None, AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers, Partners, Custom."),
        )
        .param(
            Param::new("MaxMessageSize", T::String)
                .help("The largest message accepted (36MB); advertised in EHLO SIZE."),
        )
        .param(Param::new("MaxRecipientsPerMessage", T::Int { min: 1, max: 512_000 }))
        .param(Param::new("Banner", T::String).help("The greeting line, starting with 220; $null for Exchange's own."))
        .param(Param::new("Fqdn", T::String).help("The name in the greeting and EHLO."))
        .param(Param::new("TransportRole", T::Enum(&TRANSPORT_ROLE)))
        .param(Param::new("ProtocolLoggingLevel", T::Enum(&PROTOCOL_LOGGING_LEVEL)))
        .param(Param::new("Enabled", T::Bool))
        .example(
            "Take mail on another port",
            "Set-ReceiveConnector \"Default Frontend CAS01\" -Bindings 0.0.0.0:2025 -MaxMessageSize 20MB",
            "",
        );
    let new = Signature::build("New-ReceiveConnector")
        .synopsis("Creates a receive connector; restart its transport service to open it.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::NEW_RECEIVE_CONNECTOR)
        .param(Param::new("Name", T::String).position(0).mandatory().help("A unique name on its server."))
        .param(Param::new("Server", T::Identity("ServerIdParameter")).help("The server it belongs to; this one unless given."))
        .param(Param::new("Bindings", T::Bindings).mandatory().help("address:port pairs it listens on."))
        .param(Param::new("RemoteIPRanges", T::Strings).help("The clients it serves; every address unless given."))
        .param(Param::new("Usage", T::String).help("Custom (the default), Internet, Internal, Client or Partner: who may send and how they log on."))
        .param(Param::new("TransportRole", T::Enum(&TRANSPORT_ROLE)).help("HubTransport (the default: the Transport service) or FrontendTransport."))
        .param(Param::new("AuthMechanism", T::Strings))
        .param(Param::new("PermissionGroups", T::Strings))
        .param(Param::new("MaxMessageSize", T::String))
        .param(Param::new("MaxRecipientsPerMessage", T::Int { min: 1, max: 512_000 }))
        .param(Param::new("Banner", T::String))
        .param(Param::new("Fqdn", T::String))
        .param(Param::new("ProtocolLoggingLevel", T::Enum(&PROTOCOL_LOGGING_LEVEL)))
        .param(Param::new("Enabled", T::Bool))
        .example(
            "Take Internet mail on port 2025 of the front end",
            "New-ReceiveConnector -Name \"Internet 2025\" -Usage Internet -Bindings 0.0.0.0:2025 -TransportRole FrontendTransport",
            "",
        );
    let remove = Signature::build("Remove-ReceiveConnector")
        .synopsis("Removes a receive connector. Asks for confirmation unless -Confirm:$false.")
        .should_process(crate::runtime::signature::ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_RECEIVE_CONNECTOR)
        .param(identity().mandatory())
        .example("Remove a connector", "Remove-ReceiveConnector \"Outbound Proxy Frontend CAS01\" -Confirm:$false", "");
    vec![
        CmdletDef::run(get, get_connector),
        CmdletDef::run(set, set_connector),
        CmdletDef::run(new, new_connector),
        CmdletDef::run(remove, remove_connector),
    ]
}

fn identity_of(c: &ReceiveConnector) -> String {
    format!("{}\\{}", c.server, c.name)
}

/// -Identity as Exchange shows it to -WhatIf and -Confirm.
fn typed_identity(args: &Args, server: &ServerInfo) -> String {
    args.get("Identity").map(|v| server_based_identity(v, &server.fqdn)).unwrap_or_default()
}

fn strings(v: &[String]) -> Value {
    Value::array(v.iter().map(Value::str).collect())
}

/// `Tls, Integrated, BasicAuth`: a flags enum prints as one line.
fn flags(v: &[String]) -> Value {
    Value::str(if v.is_empty() { "None".to_string() } else { v.join(", ") })
}

fn connector_object(c: &ReceiveConnector) -> Value {
    object(
        RECEIVE_CONNECTOR,
        vec![
            ("AuthMechanism", flags(&c.auth_mechanism)),
            ("Banner", c.banner.clone().map(Value::from).unwrap_or(Value::Null)),
            ("Bindings", strings(&c.bindings)),
            ("Enabled", Value::Bool(c.enabled)),
            ("Fqdn", Value::str(&c.fqdn)),
            ("MaxMessageSize", Value::Bytes(c.max_message_size)),
            ("MaxRecipientsPerMessage", Value::Int(c.max_recipients_per_message as i32)),
            ("PermissionGroups", flags(&c.permission_groups)),
            ("ProtocolLoggingLevel", c.protocol_logging_level.to_value()),
            ("RemoteIPRanges", strings(&c.remote_ip_ranges)),
            ("TransportRole", c.transport_role.to_value()),
            ("Server", Value::str(&c.server)),
            ("Name", Value::str(&c.name)),
            ("Identity", Value::str(identity_of(c))),
            ("Guid", Value::str(&c.guid)),
            ("WhenChanged", Value::date_unix(c.changed)),
            ("WhenCreated", Value::date_unix(c.created)),
        ],
    )
}

/// The connectors -Identity (`Name`, `Server\\Name`, a GUID, wildcards) and
/// -Server name: every server's on a directory, this server's on SQLite.
fn matching(cx: &mut Session, args: &Args) -> Result<(Vec<ReceiveConnector>, ServerInfo)> {
    let on_server = match args.get("Server") {
        Some(_) => Some(server_named(cx, args)?.name),
        None => None,
    };
    let store = cx.store()?;
    let server = store.server().clone();
    let all: Vec<ReceiveConnector> = store
        .receive_connectors()
        .map_err(store_err)?
        .into_iter()
        .filter(|c| on_server.as_ref().is_none_or(|s| c.server.eq_ignore_ascii_case(s)))
        .collect();
    let Some(id) = args.get("Identity") else { return Ok((all, server)) };
    let wanted = match id {
        Value::Object(o) => o.get("Identity").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let (of_server, bare) = match wanted.split_once('\\') {
        Some((srv, name)) => (Some(srv.to_string()), name.to_string()),
        None => (None, wanted.clone()),
    };
    let found: Vec<ReceiveConnector> = all
        .into_iter()
        .filter(|c| of_server.as_ref().is_none_or(|s| c.server.eq_ignore_ascii_case(s) || is_fqdn_of(s, &c.server)))
        .filter(|c| c.name.eq_ignore_ascii_case(&bare) || c.guid == bare || wildcard_match(&bare, &c.name, false))
        .collect();
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&wanted, &server.fqdn).into());
    }
    Ok((found, server))
}

/// A change names one connector: a bare name that several servers' connectors
/// share is refused, as Exchange refuses an identity that matches several
/// objects; `Server\Name` or -Server picks one. (Get- lists them all.)
fn one_per_name(found: &[ReceiveConnector], args: &Args) -> Result<()> {
    let Some(id) = args.get("Identity").map(|v| v.to_text()) else { return Ok(()) };
    let bare = !id.contains('\\') && !id.contains(['*', '?']) && args.get("Server").is_none();
    let servers = found.iter().map(|c| c.server.to_lowercase()).collect::<std::collections::BTreeSet<_>>();
    if bare && servers.len() > 1 {
        return Err(ErrorRecord::new(
            format!("The operation couldn't be performed because '{id}' matches multiple entries."),
            crate::runtime::errors::Category::InvalidArgument,
            "ManagementObjectAmbiguousException",
            "ManagementObjectAmbiguousException",
        )
        .into());
    }
    Ok(())
}

/// `mbx01.contoso.com` names the server MBX01.
fn is_fqdn_of(fqdn: &str, name: &str) -> bool {
    fqdn.split_once('.').is_some_and(|(host, _)| host.eq_ignore_ascii_case(name))
}

fn get_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let (found, _) = matching(cx, args)?;
    for c in found {
        out.emit(cx, connector_object(&c))?;
    }
    Ok(())
}

/// A flags parameter: each name must be a member (case-insensitive, given
/// back in Exchange's spelling); `None` alone means no flag.
fn flag_names(param: &str, v: &Value, members: &[&str], type_name: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for item in v.clone().into_items() {
        for name in item.to_text().split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let Some(member) = members.iter().find(|m| m.eq_ignore_ascii_case(name)) else {
                return Err(ErrorRecord::argument_transformation(
                    param,
                    &format!(
                        "Cannot convert value \"{name}\" to type \"{type_name}\". Error: \"Unable to match the identifier name {name} to a valid enumerator name. Specify one of the following enumerator names and try again:\n{}\"",
                        members.join(", ")
                    ),
                )
                .into());
            };
            if *member != "None" && !out.iter().any(|o| o == member) {
                out.push(member.to_string());
            }
        }
    }
    Ok(out)
}

fn set_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let (found, server) = matching(cx, args)?;
    one_per_name(&found, args)?;
    let shown = typed_identity(args, &server);
    for c in found {
        let identity = identity_of(&c);
        // The settings are checked before anything is asked or written...
        apply(args, &mut c.clone())?;
        if !cx.should_process(args, &shown)? {
            continue;
        }
        // ...then applied to the connector as the write transaction reads
        // it, so that another shell's change made meanwhile is kept.
        let read = |tx: &Tx| {
            Store::receive_connector_for_update(tx, &c.guid, &c.server)?
                .ok_or_else(|| StoreError::Conflict(format!("The receive connector \"{identity}\" was removed.")))
        };
        let change = |c: &mut ReceiveConnector| {
            c.changed = now_unix();
            apply(args, c)
        };
        change_in_one_write(cx, args, &identity, read, change, |tx, c| {
            Store::save_receive_connector(tx, c).map(|_| ())
        })?;
    }
    Ok(())
}

/// Applies the settings given to `c`; what changed, for the audit record.
/// The first bad value fails the cmdlet before anything is written.
fn apply(args: &Args, c: &mut ReceiveConnector) -> Result<Vec<(String, String, String)>> {
    let before = c.clone();
    let mut changed: Vec<(String, String, String)> = Vec::new();
    let mut note = |name: &str, old: String, new: String| {
        if old != new {
            changed.push((name.to_string(), old, new));
        }
    };
    if let Some(v) = args.get("Bindings") {
        c.bindings = bindings("Bindings", v)?;
        if c.bindings.is_empty() {
            return Err(ErrorRecord::argument_validation("Bindings", "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.").into());
        }
        note("Bindings", before.bindings.join(","), c.bindings.join(","));
    }
    if let Some(v) = args.get("RemoteIPRanges") {
        c.remote_ip_ranges = v.clone().into_items().iter().map(|i| i.to_text().trim().to_string()).collect();
        if let Some(bad) = c.remote_ip_ranges.iter().find(|r| parse_ip_range(r).is_none()) {
            return Err(ErrorRecord::argument_transformation(
                "RemoteIPRanges",
                &format!(
                    "Cannot convert value \"{bad}\" to type \"Microsoft.Exchange.Data.IPRange\". Error: \"'{bad}' isn't a valid IP address, range (first-last) or prefix (address/bits).\""
                ),
            )
            .into());
        }
        note("RemoteIPRanges", before.remote_ip_ranges.join(","), c.remote_ip_ranges.join(","));
    }
    if let Some(v) = args.get("AuthMechanism") {
        c.auth_mechanism = flag_names(
            "AuthMechanism",
            v,
            AUTH_MECHANISMS,
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthMechanisms",
        )?;
        note("AuthMechanism", before.auth_mechanism.join(", "), c.auth_mechanism.join(", "));
    }
    if let Some(v) = args.get("PermissionGroups") {
        c.permission_groups = flag_names(
            "PermissionGroups",
            v,
            PERMISSION_GROUPS,
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.PermissionGroups",
        )?;
        note("PermissionGroups", before.permission_groups.join(", "), c.permission_groups.join(", "));
    }
    if let Some(v) = args.get("MaxMessageSize") {
        let Some(size) = quota_arg("MaxMessageSize", v)? else {
            return Err(ErrorRecord::argument_transformation(
                "MaxMessageSize",
                "Cannot convert value \"Unlimited\" to type \"Microsoft.Exchange.Data.ByteQuantifiedSize\".",
            )
            .into());
        };
        c.max_message_size = size;
        note("MaxMessageSize", before.max_message_size.to_string(), size.to_string());
    }
    if let Some(n) = args.int("MaxRecipientsPerMessage") {
        c.max_recipients_per_message = n as u32;
        note("MaxRecipientsPerMessage", before.max_recipients_per_message.to_string(), n.to_string());
    }
    if let Some(v) = args.get("Banner") {
        c.banner = if v.is_null() || v.to_text().is_empty() { None } else { Some(v.to_text()) };
        note("Banner", before.banner.clone().unwrap_or_default(), c.banner.clone().unwrap_or_default());
    }
    if let Some(fqdn) = args.string("Fqdn") {
        c.fqdn = fqdn;
        note("Fqdn", before.fqdn.clone(), c.fqdn.clone());
    }
    if let Some(role) = args.get("TransportRole").and_then(TransportRole::from_value) {
        c.transport_role = role;
        note("TransportRole", before.transport_role.name().into(), role.name().into());
    }
    if let Some(level) = args.get("ProtocolLoggingLevel").and_then(ProtocolLoggingLevel::from_value) {
        c.protocol_logging_level = level;
        note("ProtocolLoggingLevel", before.protocol_logging_level.name().into(), level.name().into());
    }
    if let Some(enabled) = args.bool("Enabled") {
        c.enabled = enabled;
        note("Enabled", before.enabled.to_string(), enabled.to_string());
    }
    Ok(changed)
}

fn new_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = match args.get("Server") {
        Some(_) => server_named(cx, args)?,
        None => {
            let store = cx.store()?;
            let this = store.server().name.clone();
            store
                .exchange_server(&this)
                .map_err(store_err)?
                .ok_or_else(|| ErrorRecord::object_not_found(&this, &this))?
        }
    };
    let usage = args.string("Usage").unwrap_or_else(|| "Custom".to_string());
    let Some((groups, auth)) = usage_defaults(&usage) else {
        return Err(ErrorRecord::argument_transformation(
            "Usage",
            &format!(
                "Cannot convert value \"{usage}\" to type \"Microsoft.Exchange.Management.SystemConfigurationTasks.NewReceiveConnector+UsageType\". Error: \"Unable to match the identifier name {usage} to a valid enumerator name. Specify one of the following enumerator names and try again:\nCustom, Internet, Internal, Client, Partner\""
            ),
        )
        .into());
    };
    let now = now_unix();
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut c = ReceiveConnector {
        server: server.name.clone(),
        name: args.string("Name").unwrap_or_default(),
        guid: crate::store::new_guid(),
        transport_role: TransportRole::HubTransport,
        bindings: Vec::new(),
        remote_ip_ranges: owned(&["::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255"]),
        auth_mechanism: owned(auth),
        permission_groups: owned(groups),
        max_message_size: crate::store::transport::DEFAULT_MAX_MESSAGE_SIZE,
        max_recipients_per_message: 200,
        banner: None,
        fqdn: server.fqdn.clone(),
        protocol_logging_level: ProtocolLoggingLevel::None,
        enabled: true,
        created: now,
        changed: now,
    };
    apply(args, &mut c)?;
    let identity = identity_of(&c);
    let text = fill(
        NEW_RECEIVE_CONNECTOR,
        &[("target", &c.name), ("bindings", &list(&c.bindings)), ("ranges", &list(&c.remote_ip_ranges))],
    );
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    insert_new(cx, args, &identity, |tx| Store::insert_receive_connector(tx, &server.guid, &c))?;
    out.emit(cx, connector_object(&c))
}

fn remove_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let (found, server) = matching(cx, args)?;
    one_per_name(&found, args)?;
    let shown = typed_identity(args, &server);
    for c in found {
        let identity = identity_of(&c);
        if !cx.should_process(args, &shown)? {
            continue;
        }
        let user = cx.user.clone();
        cx.store()?
            .write(|tx| {
                Store::delete_receive_connector(tx, &c.guid)?;
                audit(tx, &user, args, &identity, vec![])
            })
            .map_err(store_err)?;
    }
    Ok(())
}
