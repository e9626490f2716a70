//! Invoke-Expression (iex): text parsed and run as a script in the current
//! scope; positions in its errors count from the text's own first line, as
//! PowerShell's do.

use std::rc::Rc;

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Flow, Result};
use crate::runtime::session::{Session, Source};
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Invoke-Expression")
        .aliases(&["iex"])
        .class("Microsoft.PowerShell.Commands.InvokeExpressionCommand")
        .synopsis("Runs text as PowerShell code, in the current scope.")
        .param(Param::new("Command", T::String).position(0).mandatory().pipeline().help("The code to run."))
        .example("A command built as text", "$cmd = 'Get-CASMailbox -ResultSize 1'; Invoke-Expression $cmd", "");
    vec![powershell_cmdlet!(sig, invoke_expression)]
}

fn invoke_expression(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let text = args.string("Command").unwrap_or_default();
    let source = Rc::new(Source { text: text.clone(), path: None, first_line: 1 });
    let script = match crate::language::parse_script(&text) {
        Ok(s) => s,
        Err(e) => {
            let saved = std::mem::replace(&mut cx.source, source);
            let p = cx.position(e.span);
            cx.source = saved;
            let marks = format!("{}{}", " ".repeat(p.column.saturating_sub(1)), "~".repeat(p.mark_len));
            return Err(ErrorRecord::new(
                format!("At line:{} char:{}\n+ {}\n+ {marks}\n{}", p.line, p.column, p.line_text, e.message),
                Category::ParserError,
                "ParseException",
                "ParseException",
            )
            .into());
        }
    };
    if script.has_named_blocks() {
        return Err(ErrorRecord::new(
            "Invoke-Expression runs plain statements in mailsh; begin, process and end blocks are not supported here.",
            Category::NotImplemented,
            "NamedBlocksNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    let saved = std::mem::replace(&mut cx.source, source);
    let result = cx.exec_list(script.body(), &mut |cx: &mut Session, v: Value| out.emit(cx, v));
    // Errors that leave the text are placed in it before the outer script's text comes back.
    let place = |cx: &Session, mut rec: Box<ErrorRecord>| {
        if rec.position.is_none() {
            rec.position = rec.span.map(|s| cx.position(s));
        }
        rec
    };
    let result = match result {
        Err(Flow::Error(rec)) => Err(Flow::Error(place(cx, rec))),
        Err(Flow::ScriptStop(rec)) => Err(Flow::ScriptStop(place(cx, rec))),
        other => other,
    };
    cx.source = saved;
    result
}
