//! Where-Object (where, ?): a script block, or the simplified
//! `Where-Object ImapEnabled -eq $false` form.

use crate::language::ast::CompareOp;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::eval::collapse;
use crate::runtime::ops::compare;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

const OPERATORS: &[(&str, CompareOp, bool)] = &[
    ("EQ", CompareOp::Eq, false),
    ("NE", CompareOp::Ne, false),
    ("GT", CompareOp::Gt, false),
    ("GE", CompareOp::Ge, false),
    ("LT", CompareOp::Lt, false),
    ("LE", CompareOp::Le, false),
    ("Like", CompareOp::Like, false),
    ("NotLike", CompareOp::NotLike, false),
    ("Match", CompareOp::Match, false),
    ("NotMatch", CompareOp::NotMatch, false),
    ("Contains", CompareOp::Contains, false),
    ("NotContains", CompareOp::NotContains, false),
    ("In", CompareOp::In, false),
    ("NotIn", CompareOp::NotIn, false),
    ("CEQ", CompareOp::Eq, true),
    ("CNE", CompareOp::Ne, true),
    ("CLike", CompareOp::Like, true),
];

pub fn definitions() -> Vec<CmdletDef> {
    let mut sig = Signature::build("Where-Object")
        .aliases(&["where", "?"])
        .synopsis("Keeps the objects for which a condition holds.")
        .param(
            Param::new("FilterScript", T::Object)
                .aliases(&["Property"])
                .position(0)
                .help("A script block ({ $_.ImapEnabled -eq $false }), or a property name with an operator switch."),
        )
        .param(Param::new("Value", T::Object).position(1).help("The value the property is compared with."))
        .param(Param::new("InputObject", T::Object).pipeline());
    for (name, _, _) in OPERATORS {
        sig = sig.param(Param::new(name, T::Switch));
    }
    sig = sig
        .param(Param::new("Not", T::Switch))
        .example("Mailboxes without IMAP4", "Get-CASMailbox | Where-Object { $_.ImapEnabled -eq $false }", "")
        .example("The same, simplified", "Get-CASMailbox | Where-Object ImapEnabled -eq $false", "")
        .example(
            "Names starting with J and POP3 on",
            "Get-CASMailbox | ? { $_.Name -like 'J*' -and $_.PopEnabled }",
            "",
        );
    vec![CmdletDef::run(sig, where_object)]
}

fn where_object(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(v) = input.or(args.get("InputObject")) else {
        return Ok(());
    };
    let keep = match args.get("FilterScript") {
        Some(Value::ScriptBlock(block)) => {
            let block = block.clone();
            collapse(cx.invoke_block(&block, Some(v))?).is_true()
        }
        Some(prop) => {
            let actual = v.property(&prop.to_text());
            match OPERATORS.iter().find(|(name, _, _)| args.switch(name)) {
                Some((_, op, cs)) => {
                    let wanted = args.get("Value").cloned().unwrap_or(Value::Null);
                    compare(*op, &actual, &wanted, *cs)?.is_true()
                }
                None if args.switch("Not") => !actual.is_true(),
                None => actual.is_true(),
            }
        }
        None => v.is_true(),
    };
    if keep {
        out.emit(cx, v.clone())?;
    }
    Ok(())
}
