//! Search-AdminAuditLog: who changed what, when.

use super::common::object;
use super::identity::store_err;
use crate::format::views::AUDIT_ENTRY;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::audit::AuditQuery;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Search-AdminAuditLog")
        .synopsis("Searches the administrator audit log: every successful cmdlet that changes something, newest first.")
        .param(Param::new("Cmdlets", T::Strings).help("Only these cmdlets."))
        .param(Param::new("ObjectIds", T::Strings).help("Only changes to these objects (their identity)."))
        .param(Param::new("StartDate", T::DateTime))
        .param(Param::new("EndDate", T::DateTime))
        .param(Param::new("ResultSize", T::Int { min: 1, max: 250_000 }).default("1000"))
        .example("Who changed IMAP4 access", "Search-AdminAuditLog -Cmdlets Set-CASMailbox", "");
    vec![CmdletDef::run(sig, search)]
}

fn search(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let query = AuditQuery {
        cmdlets: args.strings("Cmdlets").unwrap_or_default(),
        object_ids: args.strings("ObjectIds").unwrap_or_default(),
        start: match args.get("StartDate") {
            Some(Value::DateTime(t)) => Some(t.unix_secs()),
            _ => None,
        },
        end: match args.get("EndDate") {
            Some(Value::DateTime(t)) => Some(t.unix_secs()),
            _ => None,
        },
        limit: args.int("ResultSize").unwrap_or(1000) as usize,
    };
    let entries = cx.store()?.search_audit(&query).map_err(store_err)?;
    for e in entries {
        let params: Vec<Value> = e.parameters.iter().map(|(k, v)| Value::str(format!("{k}={v}"))).collect();
        let modified: Vec<Value> = e.modified.iter().map(|(k, _, new)| Value::str(format!("{k}={new}"))).collect();
        let old: Vec<Value> = e.modified.iter().map(|(k, old, _)| Value::str(format!("{k}={old}"))).collect();
        let v = object(
            AUDIT_ENTRY,
            vec![
                ("RunDate", Value::date_unix(e.run_date)),
                ("Caller", Value::str(e.caller)),
                ("CmdletName", Value::str(e.cmdlet)),
                ("ObjectModified", Value::str(e.object_id)),
                ("CmdletParameters", Value::array(params)),
                ("ModifiedProperties", Value::array(modified)),
                ("OriginalProperties", Value::array(old)),
                ("Succeeded", Value::Bool(e.succeeded)),
            ],
        );
        out.emit(cx, v)?;
    }
    Ok(())
}
