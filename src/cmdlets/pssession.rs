//! Enter-PSSession, Exit-PSSession: a shell works on another server of the
//! organization, as an Exchange administrator opens a session with MBX01
//! to start its services or run its Setup (`[MBX01]: PS>` until
//! Exit-PSSession).
//!
//! mailsh has no remoting: a session runs here, answering for that server
//! (what `-ServerName MBX01` does at start), so it is taken only where
//! that server's computer is this one: a server whose address is not an
//! address of this computer is refused by name. A computer that is not a
//! server yet (Setup has not run on it) can be entered to run Setup.

use std::net::ToSocketAddrs;

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::{Entered, Session};
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let enter = Signature::build("Enter-PSSession")
        .aliases(&["etsn"])
        .synopsis("Works on another server of the organization until Exit-PSSession (a server of this computer).")
        .param(
            Param::new("ComputerName", T::String)
                .position(0)
                .mandatory()
                .aliases(&["Cn"])
                .help("The server (its name or FQDN), or a computer Setup has not run on yet."),
        )
        .examples_not_self_contained()
        .example("Work on MBX01", "Enter-PSSession MBX01", "")
        .class("Microsoft.PowerShell.Commands.EnterPSSessionCommand");
    let exit = Signature::build("Exit-PSSession")
        .aliases(&["exsn"])
        .synopsis("Ends the session Enter-PSSession opened: the shell answers for its own server again.")
        .example("Back to this server", "Exit-PSSession", "")
        .class("Microsoft.PowerShell.Commands.ExitPSSessionCommand");
    vec![CmdletDef::run(enter, enter_session), CmdletDef::run(exit, exit_session)]
}

fn refused(computer: &str, why: String) -> ErrorRecord {
    ErrorRecord::new(
        format!("Connecting to remote server {computer} failed with the following error message : {why}"),
        Category::OpenError,
        "CreateRemoteRunspaceFailed",
        "PSRemotingTransportException",
    )
    .with_target(computer, "String")
}

fn enter_session(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let typed = args.string("ComputerName").unwrap_or_default();
    // A name or an FQDN: its first label is the computer.
    let computer = typed.split('.').next().unwrap_or_default().to_string();
    if !super::setup::is_computer_name(&computer) {
        return Err(refused(&typed, format!("'{typed}' is not a computer name.")).into());
    }
    if let Some(e) = &cx.entered {
        return Err(refused(
            &typed,
            format!("this shell is in a session with {} already: Exit-PSSession first.", e.computer),
        )
        .into());
    }
    let store = cx.store()?;
    let here = store.server().name.clone();
    let known = store.exchange_server(&computer).map_err(|e| ErrorRecord::task(e.to_string(), "StoreUnavailable"))?;
    if !store.is_postgres() && !computer.eq_ignore_ascii_case(&here) {
        return Err(refused(
            &typed,
            format!(
                "this shell's store is one server, {here}: a session with another server needs the organization's directory on PostgreSQL."
            ),
        )
        .into());
    }
    let name = known.as_ref().map_or(computer.to_ascii_uppercase(), |s| s.name.clone());
    if let Some(address) = known.as_ref().and_then(|s| s.address.as_deref())
        && !is_this_computer(address)
    {
        return Err(refused(
            &typed,
            format!(
                "{name} is at {address}, which is not this computer: mailsh runs a server's commands on that server's computer (run mailsh there, with -ServerName {name})."
            ),
        )
        .into());
    }
    cx.entered = Some(Entered { computer: name.clone(), back_to: here });
    answer_for(cx, &name);
    Ok(())
}

fn exit_session(_args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    // Outside a session, as in PowerShell, nothing to do.
    if let Some(e) = cx.entered.take() {
        answer_for(cx, &e.back_to);
    }
    Ok(())
}

/// The shell answers for `name` from its next command: the store opens
/// again as that server, its services and local folder are that server's.
fn answer_for(cx: &mut Session, name: &str) {
    crate::store::answer_for(name);
    cx.create_options.server_name = Some(name.to_string());
    cx.close_store();
}

/// Whether `address` (an IP address or a host name) is one of this
/// computer's: something can be bound there.
fn is_this_computer(address: &str) -> bool {
    (address, 0).to_socket_addrs().is_ok_and(|mut all| all.any(|at| std::net::TcpListener::bind(at).is_ok()))
}
