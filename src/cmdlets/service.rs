//! Get-Service, Start-Service, Stop-Service, Restart-Service, Set-Service:
//! the four Exchange mail services, as Windows' service cmdlets show them.

use super::common::{audit, object};
use super::identity::store_err;
use crate::format::views::SERVICE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::{has_wildcard, wildcard_match};
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::types::EnumValue;
use crate::runtime::types::exchange::STARTUP_TYPE;
use crate::runtime::value::Value;
use crate::services::{Service, ServiceControl, ServiceStatus};
use crate::store::{StartupType, Store};

/// What a ServiceController shows (Tab completion after Get-Service |).
const SERVICE_PROPERTIES: &[&str] = &[
    "Status",
    "Name",
    "DisplayName",
    "ServiceName",
    "StartType",
    "CanStop",
    "CanPauseAndContinue",
    "CanShutdown",
    "DependentServices",
    "ServicesDependedOn",
    "ServiceType",
    "MachineName",
];

pub fn definitions() -> Vec<CmdletDef> {
    let name = || Param::new("Name", T::Strings).aliases(&["ServiceName"]).position(0).pipeline().by_property();
    let get = Signature::build("Get-Service")
        .aliases(&["gsv"])
        .class("Microsoft.PowerShell.Commands.GetServiceCommand")
        .outputs(|| SERVICE_PROPERTIES)
        .synopsis("Shows the Exchange mail services and whether they run.")
        .param(name().help("Service names; wildcards accepted (MSExchange*)."))
        .param(Param::new("DisplayName", T::Strings))
        .param(Param::new("ComputerName", T::Strings).aliases(&["Cn"]).help(
            "Servers of the organization (name or FQDN; . or localhost for this one): another server's services as its supervisors published them in the directory.",
        ))
        .examples_not_self_contained()
        .example("The IMAP4 and POP3 services", "Get-Service MSExchange*", "")
        .example("Another server's", "Get-Service MSExchange* -ComputerName MBX01", "");
    let start = Signature::build("Start-Service")
        .aliases(&["sasv"])
        .class("Microsoft.PowerShell.Commands.StartServiceCommand")
        .should_process(ConfirmImpact::Medium)
        .synopsis("Starts a service; returns once it listens. Starting a running service does nothing.")
        .param(name().mandatory())
        .param(Param::new("DisplayName", T::Strings))
        .param(Param::new("PassThru", T::Switch))
        .examples_not_self_contained()
        .example("Start the IMAP4 front end", "Start-service msExchangeIMAP4", "")
        .example("Start the IMAP4 back end", "Start-service msExchangeIMAP4BE", "");
    let stop = Signature::build("Stop-Service")
        .aliases(&["spsv"])
        .class("Microsoft.PowerShell.Commands.StopServiceCommand")
        .should_process(ConfirmImpact::Medium)
        .synopsis("Stops a service: open sessions are told goodbye and the process exits.")
        .param(name().mandatory())
        .param(Param::new("DisplayName", T::Strings))
        .param(Param::new("Force", T::Switch))
        .param(Param::new("PassThru", T::Switch))
        .examples_not_self_contained()
        .example("Stop the IMAP4 front end", "Stop-service msExchangeIMAP4", "")
        .example("Stop the IMAP4 back end", "Stop-service msExchangeIMAP4BE", "");
    let restart = Signature::build("Restart-Service")
        .class("Microsoft.PowerShell.Commands.RestartServiceCommand")
        .should_process(ConfirmImpact::Medium)
        .synopsis("Stops and starts a service, so that it reads its settings again.")
        .param(name().mandatory())
        .param(Param::new("DisplayName", T::Strings))
        .param(Param::new("Force", T::Switch))
        .param(Param::new("PassThru", T::Switch))
        .examples_not_self_contained()
        .example("Apply new POP3 settings", "Restart-Service MSExchangePOP3,MSExchangePOP3BE", "");
    let set = Signature::build("Set-Service")
        .class("Microsoft.PowerShell.Commands.SetServiceCommand")
        .should_process(ConfirmImpact::Medium)
        .synopsis("Sets a service's startup type: Automatic, Manual (the default) or Disabled (it cannot be started).")
        .param(Param::new("Name", T::String).aliases(&["ServiceName"]).position(0).mandatory().pipeline().by_property())
        .param(Param::new("StartupType", T::Enum(&STARTUP_TYPE)))
        .param(Param::new("PassThru", T::Switch))
        .examples_not_self_contained()
        .example("Keep POP3 from being started", "Set-Service MSExchangePOP3 -StartupType Disabled", "");
    vec![
        CmdletDef::run(get, get_service),
        CmdletDef::run(start, |a, i, cx, o| control(a, i, cx, o, Action::Start)),
        CmdletDef::run(stop, |a, i, cx, o| control(a, i, cx, o, Action::Stop)),
        CmdletDef::run(restart, |a, i, cx, o| control(a, i, cx, o, Action::Restart)),
        CmdletDef::run(set, set_service),
    ]
}

/// With the directory on PostgreSQL the services are this server's: the
/// store is opened first, which settles which server this shell answers
/// for (and so the local folder of its services, `store::state_dir_for`).
pub fn services_ready(cx: &mut Session) -> Result<()> {
    if cx.directory_on_postgres() {
        cx.store()?;
    }
    Ok(())
}

pub fn service_control(cx: &Session) -> ServiceControl {
    ServiceControl { exe: cx.exe.clone(), store_path: cx.store_path.clone() }
}

/// `Display Name (Name)`, as the service cmdlets' messages name a service.
pub fn long_name(s: Service) -> String {
    format!("{} ({})", s.display_name(), s.name())
}

pub fn service_object(cx: &mut Session, s: Service) -> Result<Value> {
    let status = service_control(cx).status(s);
    let startup = cx.store()?.startup_type(s.name()).map_err(store_err)?;
    Ok(service_value(s, status, startup, "."))
}

/// A ServiceController of `machine` ("." for this computer).
pub fn service_value(s: Service, status: ServiceStatus, startup: StartupType, machine: &str) -> Value {
    object(
        SERVICE,
        vec![
            ("Status", Value::str(status.name())),
            ("Name", Value::str(s.name())),
            ("DisplayName", Value::str(s.display_name())),
            ("ServiceName", Value::str(s.name())),
            ("StartType", startup.to_value()),
            ("CanStop", Value::Bool(status == ServiceStatus::Running)),
            ("CanPauseAndContinue", Value::Bool(false)),
            ("CanShutdown", Value::Bool(status == ServiceStatus::Running)),
            ("DependentServices", Value::array(vec![])),
            ("ServicesDependedOn", Value::array(vec![])),
            ("ServiceType", Value::str("Win32OwnProcess")),
            ("MachineName", Value::str(machine)),
        ],
    )
}

fn not_found(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot find any service with service name '{name}'."),
        Category::ObjectNotFound,
        "NoServiceFoundForGivenName",
        "ServiceCommandException",
    )
    .with_target(name, "String")
}

fn not_found_display(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot find any service with display name '{name}'."),
        Category::ObjectNotFound,
        "NoServiceFoundForGivenName",
        "ServiceCommandException",
    )
    .with_target(name, "String")
}

/// The services of this server's roles, as Windows lists the services
/// installed: a SQLite store's one server has both roles; a server of a
/// directory on PostgreSQL has those Setup gave it (a Client Access server
/// has no MSExchangeIMAP4BE, a Mailbox server no MSExchangeIMAP4).
pub fn installed(cx: &mut Session) -> Vec<Service> {
    let roles = cx
        .store()
        .ok()
        .and_then(|s| s.exchange_server(&s.server().name.clone()).ok().flatten())
        .map_or(crate::store::servers::Roles::BOTH, |s| s.roles);
    Service::of_roles(roles)
}

/// The services named by -Name / -DisplayName (wildcards allowed), or by a
/// ServiceController object down the pipeline. Misses are reported and
/// skipped, as PowerShell does.
fn selected(args: &Args, input: Option<&Value>, cx: &mut Session) -> Vec<Service> {
    let here = installed(cx);
    select_among(args, input, cx, &here)
}

/// `selected` among the services `here` (this server's, or another's).
pub fn select_among(args: &Args, input: Option<&Value>, cx: &mut Session, here: &[Service]) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    let mut push = |s: Service| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let names = match input {
        Some(Value::Object(o)) => o.get("Name").map(|n| vec![n.to_text()]),
        Some(other) => Some(vec![other.to_text()]),
        None => args.strings("Name"),
    };
    let mut missing = Vec::new();
    if let Some(names) = names {
        for n in names {
            let hits: Vec<Service> = here.iter().copied().filter(|s| wildcard_match(&n, s.name(), false)).collect();
            if hits.is_empty() && !has_wildcard(&n) {
                missing.push(not_found(&n));
            }
            hits.into_iter().for_each(&mut push);
        }
    }
    if let Some(names) = args.strings("DisplayName") {
        for n in names {
            let hits: Vec<Service> =
                here.iter().copied().filter(|s| wildcard_match(&n, s.display_name(), false)).collect();
            if hits.is_empty() && !has_wildcard(&n) {
                missing.push(not_found_display(&n));
            }
            hits.into_iter().for_each(&mut push);
        }
    }
    if !args.has("Name") && !args.has("DisplayName") && input.is_none() {
        here.iter().copied().for_each(&mut push);
    }
    for mut e in missing {
        e.command = Some(args.name().to_string());
        e.command_class = args.signature.class.map(str::to_string);
        e.span = Some(args.command_span);
        let action = args
            .get("ErrorAction")
            .map(crate::runtime::session::Action::from_value)
            .unwrap_or_else(|| cx.error_action_preference());
        cx.write_error(e, action);
    }
    out.sort_by_key(|s| s.name());
    out
}

fn get_service(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    services_ready(cx)?;
    if let Some(computers) = args.strings("ComputerName") {
        for computer in computers {
            match super::service_remote::Remote::open(cx, &computer)? {
                Some(remote) => {
                    for s in select_among(args, input, cx, &remote.installed) {
                        out.emit(cx, remote.object(s, &computer))?;
                    }
                }
                None => local_services(args, input, cx, out, &computer)?,
            }
        }
        return Ok(());
    }
    local_services(args, input, cx, out, ".")
}

/// This server's services, named as `machine`.
fn local_services(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output, machine: &str) -> Result<()> {
    for s in selected(args, input, cx) {
        // A service whose engine keeps crashing is StartPending, and says
        // why in a warning (the table keeps Get-Service's columns).
        if let Some(r) = service_control(cx).restarting(s) {
            cx.warn(&format!(
                "Service '{}' terminated unexpectedly {} time(s) in the last 10 minutes; it is restarted after a pause that doubles with each crash, up to 60 seconds (next attempt in {} second(s)). Its log: {}",
                long_name(s),
                r.crashes,
                r.next_in.as_secs_f64().ceil() as u64,
                r.log.display()
            ));
        }
        let status = service_control(cx).status(s);
        let startup = cx.store()?.startup_type(s.name()).map_err(store_err)?;
        out.emit(cx, service_value(s, status, startup, machine))?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Start,
    Stop,
    Restart,
}

fn service_error(s: Service, started: bool, reason: &str) -> ErrorRecord {
    let (verb, id, category) = if started {
        ("started", "CouldNotStartService", Category::OpenError)
    } else {
        ("stopped", "CouldNotStopService", Category::CloseError)
    };
    ErrorRecord::new(
        format!("Service '{}' cannot be {verb} due to the following error: {reason}", long_name(s)),
        category,
        id,
        "ServiceCommandException",
    )
    .with_target("System.ServiceProcess.ServiceController", "ServiceController")
}

pub fn start_one(cx: &mut Session, s: Service) -> std::result::Result<(), String> {
    let control = service_control(cx);
    let mut warned = Vec::new();
    let result = control.start(s, &mut || warned.push(()));
    for _ in warned {
        cx.warn(&format!("Waiting for service '{}' to start...", long_name(s)));
    }
    result.map_err(|e| e.to_string())
}

pub fn stop_one(cx: &mut Session, s: Service) -> std::result::Result<(), String> {
    let control = service_control(cx);
    let mut warned = Vec::new();
    let result = control.stop(s, &mut || warned.push(()));
    for _ in warned {
        cx.warn(&format!("Waiting for service '{}' to stop...", long_name(s)));
    }
    result.map_err(|e| e.to_string())
}

fn control(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output, action: Action) -> Result<()> {
    services_ready(cx)?;
    for s in selected(args, input, cx) {
        if !cx.should_process(args, &long_name(s))? {
            continue;
        }
        if matches!(action, Action::Stop | Action::Restart)
            && let Err(reason) = stop_one(cx, s)
        {
            return Err(service_error(s, false, &reason).into());
        }
        if matches!(action, Action::Start | Action::Restart)
            && let Err(reason) = start_one(cx, s)
        {
            return Err(service_error(s, true, &reason).into());
        }
        if args.switch("PassThru") {
            let v = service_object(cx, s)?;
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

fn set_service(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    services_ready(cx)?;
    let name = args.string("Name").unwrap_or_default();
    let Some(s) = Service::from_name(&name) else {
        return Err(not_found(&name).into());
    };
    if !cx.should_process(args, &long_name(s))? {
        return Ok(());
    }
    if let Some(startup) = args.get("StartupType").and_then(StartupType::from_value) {
        let user = cx.user.clone();
        let store = cx.store()?;
        let server_guid = store.server().guid.clone();
        let old = store.startup_type(s.name()).map_err(store_err)?;
        if old != startup {
            store
                .write(|tx| {
                    Store::set_startup_type(tx, &server_guid, s.name(), startup)?;
                    audit(
                        tx,
                        &user,
                        args,
                        s.name(),
                        vec![("StartupType".into(), old.name().into(), startup.name().into())],
                    )
                })
                .map_err(store_err)?;
        }
    }
    if args.switch("PassThru") {
        let v = service_object(cx, s)?;
        out.emit(cx, v)?;
    }
    Ok(())
}
