//! `net start` / `net stop`, with the Windows texts admins know
//! (display names in messages, whatever name was typed).

use super::service::{installed, service_control, services_ready, start_one, stop_one};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::services::{Service, ServiceStatus};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("net")
        .synopsis("net start | net stop NAME: starts or stops a service; net start alone lists those running.")
        .description("NAME is the service name or its display name, in any case. Errors print Windows' texts and make the command fail ($LASTEXITCODE 2).")
        .param(Param::new("Command", T::String).position(0).help("start or stop"))
        .param(Param::new("Arguments", T::Object).position(1).remaining().help("The service (name or display name)."))
        .examples_not_self_contained()
        .example("Start the IMAP4 front end", "net start msExchangeIMAP4", "")
        .example("Stop the IMAP4 back end", "Net Stop MSExchangeIMAP4BE", "");
    vec![CmdletDef::run(sig, net)]
}

/// One of this server's services, by name or display name.
fn find(cx: &mut Session, name: &str) -> Option<Service> {
    let name = name.trim().trim_matches('"');
    let found = Service::from_name(name)
        .or_else(|| Service::ALL.into_iter().find(|s| s.display_name().eq_ignore_ascii_case(name)))?;
    installed(cx).contains(&found).then_some(found)
}

/// net.exe reports failures as text on standard error and a non-zero exit.
fn fail(cx: &mut Session, text: &str) -> Result<()> {
    cx.print_err(text, None);
    cx.total_errors += 1;
    cx.statement_errors += 1;
    let _ = cx.set_var("LASTEXITCODE", Value::Int(2));
    Ok(())
}

fn net(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    services_ready(cx)?;
    let verb = args.string("Command").unwrap_or_default().to_ascii_lowercase();
    let target =
        args.get("Arguments").map(|v| v.clone().into_items().iter().map(|i| i.to_text()).collect::<Vec<_>>().join(" "));
    let _ = cx.set_var("LASTEXITCODE", Value::Int(0));
    match (verb.as_str(), target) {
        ("start", None) => {
            let control = service_control(cx);
            let mut running: Vec<&str> = installed(cx)
                .into_iter()
                .filter(|s| control.status(*s) == ServiceStatus::Running)
                .map(|s| s.display_name())
                .collect();
            running.sort();
            let mut text = String::from("These Windows services are started:\n\n");
            for name in running {
                text.push_str(&format!("   {name}\n"));
            }
            text.push_str("\nThe command completed successfully.\n\n");
            cx.print(&text);
            let _ = out;
            Ok(())
        }
        ("start", Some(name)) => {
            let Some(s) = find(cx, &name) else {
                return fail(
                    cx,
                    "The service name is invalid.\n\nMore help is available by typing NET HELPMSG 2185.\n\n",
                );
            };
            if service_control(cx).status(s) == ServiceStatus::Running {
                return fail(
                    cx,
                    "The requested service has already been started.\n\nMore help is available by typing NET HELPMSG 2182.\n\n",
                );
            }
            let disabled = cx.store()?.startup_type(s.name()).ok() == Some(crate::store::StartupType::Disabled);
            if disabled {
                return fail(
                    cx,
                    "System error 1058 has occurred.\n\nThe service cannot be started, either because it is disabled or because it has no enabled devices associated with it.\n\n",
                );
            }
            cx.print(&format!("The {} service is starting.\n", s.display_name()));
            match start_one(cx, s) {
                Ok(()) => {
                    cx.print(&format!("The {} service was started successfully.\n\n", s.display_name()));
                    Ok(())
                }
                Err(reason) => fail(
                    cx,
                    &format!(
                        "The {} service could not be started.\n\n{reason}\n\nMore help is available by typing NET HELPMSG 3534.\n\n",
                        s.display_name()
                    ),
                ),
            }
        }
        ("stop", Some(name)) => {
            let Some(s) = find(cx, &name) else {
                return fail(
                    cx,
                    "The service name is invalid.\n\nMore help is available by typing NET HELPMSG 2185.\n\n",
                );
            };
            if service_control(cx).status(s) == ServiceStatus::Stopped {
                return fail(
                    cx,
                    &format!(
                        "The {} service is not started.\n\nMore help is available by typing NET HELPMSG 3521.\n\n",
                        s.display_name()
                    ),
                );
            }
            cx.print(&format!("The {} service is stopping.\n", s.display_name()));
            match stop_one(cx, s) {
                Ok(()) => {
                    cx.print(&format!("The {} service was stopped successfully.\n\n", s.display_name()));
                    Ok(())
                }
                Err(reason) => {
                    fail(cx, &format!("The {} service could not be stopped.\n\n{reason}\n\n", s.display_name()))
                }
            }
        }
        ("stop", None) => fail(cx, "The syntax of this command is:\n\nNET STOP\nservice\n\n"),
        _ => fail(cx, "The syntax of this command is:\n\nNET\n    [ START | STOP ]\n\n"),
    }
}
