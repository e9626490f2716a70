//! Add-PSSnapin, Get-PSSnapin and Import-Module, as the first lines of
//! Exchange admin scripts use them: `Add-PSSnapin
//! Microsoft.Exchange.Management.PowerShell.SnapIn` loads the Exchange
//! cmdlets in a plain PowerShell console. mailsh's Exchange cmdlets are
//! always there, so the Exchange snap-ins are accepted as loaded; any other
//! snap-in or module is refused with PowerShell's message for one that is
//! not installed.

use super::common::write_error;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::compare::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, custom_object};

/// The Exchange 2013 snap-ins and what Get-PSSnapin says of them.
const EXCHANGE_SNAPINS: &[(&str, &str)] = &[
    ("Microsoft.Exchange.Management.PowerShell.SnapIn", "Admin Tasks for the Exchange Server"),
    ("Microsoft.Exchange.Management.PowerShell.E2010", "Admin Tasks for the Exchange Server"),
    ("Microsoft.Exchange.Management.PowerShell.Setup", "Setup Tasks for the Exchange Server"),
    ("Microsoft.Exchange.Management.PowerShell.Support", "Support Tasks for the Exchange Server"),
];

pub fn definitions() -> Vec<CmdletDef> {
    let add = Signature::build("Add-PSSnapin")
        .aliases(&["asnp"])
        .synopsis("Accepts the Exchange snap-ins (their cmdlets are built into mailsh); refuses any other snap-in.")
        .param(Param::new("Name", T::Strings).position(0).mandatory().by_property())
        .param(Param::new("PassThru", T::Switch))
        .example(
            "The first line of a scheduled Exchange script",
            "Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn",
            "",
        )
        .class("Microsoft.PowerShell.Commands.AddPSSnapinCommand");
    let get = Signature::build("Get-PSSnapin")
        .aliases(&["gsnp"])
        .synopsis("Lists the snap-ins: the core one and the Exchange ones.")
        .param(Param::new("Name", T::Strings).position(0))
        .param(Param::new("Registered", T::Switch))
        .example("The Exchange snap-ins", "Get-PSSnapin Microsoft.Exchange*", "")
        .class("Microsoft.PowerShell.Commands.GetPSSnapinCommand");
    let import = Signature::build("Import-Module")
        .aliases(&["ipmo"])
        .synopsis("Refuses every module: mailsh has none to load (its cmdlets are built in).")
        .param(Param::new("Name", T::Strings).position(0).mandatory().pipeline())
        .param(Param::new("Force", T::Switch))
        .param(Param::new("DisableNameChecking", T::Switch))
        .param(Param::new("PassThru", T::Switch))
        .class("Microsoft.PowerShell.Commands.ImportModuleCommand");
    vec![
        powershell_cmdlet!(add, add_snapin),
        powershell_cmdlet!(get, get_snapin),
        powershell_cmdlet!(import, import_module),
    ]
}

fn snapin_object(name: &str, description: &str) -> Value {
    let obj = custom_object(vec![
        ("Name".into(), Value::str(name)),
        ("PSVersion".into(), crate::runtime::types::version(&[1, 0])),
        ("Description".into(), Value::str(description)),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name("System.Management.Automation.PSSnapInInfo");
    }
    obj
}

fn add_snapin(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for name in args.strings("Name").unwrap_or_default() {
        let found: Vec<&(&str, &str)> =
            EXCHANGE_SNAPINS.iter().filter(|(n, _)| wildcard_match(&name, n, false)).collect();
        if found.is_empty() {
            write_error(
                cx,
                args,
                ErrorRecord::new(
                    format!("The Windows PowerShell snap-in '{name}' is not installed on this computer."),
                    Category::InvalidArgument,
                    "AddPSSnapInRead",
                    "PSArgumentException",
                )
                .with_target(&name, "String"),
            )?;
            continue;
        }
        if args.switch("PassThru") {
            for (n, d) in found {
                out.emit(cx, snapin_object(n, d))?;
            }
        }
    }
    Ok(())
}

fn get_snapin(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let mut all = vec![(
        "Microsoft.PowerShell.Core",
        "This Windows PowerShell snap-in contains cmdlets used to manage components of Windows PowerShell.",
    )];
    all.extend(EXCHANGE_SNAPINS.iter().copied());
    let names = args.strings("Name").unwrap_or_default();
    for (n, d) in all {
        if names.is_empty() || names.iter().any(|p| wildcard_match(p, n, false)) {
            out.emit(cx, snapin_object(n, d))?;
        }
    }
    Ok(())
}

fn import_module(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    for name in args.strings("Name").unwrap_or_default() {
        write_error(
            cx,
            args,
            ErrorRecord::new(
                format!(
                    "The specified module '{name}' was not loaded because no valid module file was found in any module directory."
                ),
                Category::ResourceUnavailable,
                "Modules_ModuleNotFound",
                "FileNotFoundException",
            )
            .with_target(&name, "String"),
        )?;
    }
    Ok(())
}
