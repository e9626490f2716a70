//! ForEach-Object (foreach, %): runs a script block for each object.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("ForEach-Object")
        .aliases(&["foreach", "%"])
        .synopsis("Runs a script block for each object ($_ is the object), or reads one property of each.")
        .param(
            Param::new("Process", T::Object)
                .aliases(&["MemberName"])
                .position(0)
                .help("A script block, or a property name."),
        )
        .param(Param::new("Begin", T::ScriptBlock))
        .param(Param::new("End", T::ScriptBlock))
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("ArgumentList", T::Object).aliases(&["Args"]))
        .example(
            "Disable POP3 one by one",
            "Get-CASMailbox | ForEach-Object { Set-CASMailbox $_.Identity -PopEnabled $false }",
            "",
        )
        .example("Names only", "Get-Mailbox | % Name", "");
    vec![CmdletDef::stateful(sig, || Box::new(ForEach { begun: false }))]
}

struct ForEach {
    begun: bool,
}

impl ForEach {
    fn begin_once(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if self.begun {
            return Ok(());
        }
        self.begun = true;
        if let Some(Value::ScriptBlock(b)) = args.get("Begin") {
            let b = b.clone();
            for v in cx.invoke_block(&b, None)? {
                out.emit(cx, v)?;
            }
        }
        Ok(())
    }
}

impl Processor for ForEach {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        self.begin_once(args, cx, out)?;
        let input = input.or(args.get("InputObject"));
        match args.get("Process") {
            Some(Value::ScriptBlock(b)) => {
                let b = b.clone();
                for v in cx.invoke_block(&b, input)? {
                    out.emit(cx, v)?;
                }
            }
            Some(name) => {
                if let Some(v) = input {
                    let name = name.to_text();
                    let p = v.property(&name);
                    if p.is_null() {
                        // `ForEach-Object ToUpper`: a method of that name, called.
                        let extra = args.get("ArgumentList").map(|a| a.clone().into_items()).unwrap_or_default();
                        if let Ok(Some(r)) = crate::runtime::members::call(cx, v, &name, extra) {
                            out.emit_all(cx, r.into_items_for_pipeline())?;
                        }
                    } else {
                        out.emit_all(cx, p.into_items_for_pipeline())?;
                    }
                }
            }
            None => {}
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        self.begin_once(args, cx, out)?;
        if let Some(Value::ScriptBlock(b)) = args.get("End") {
            let b = b.clone();
            for v in cx.invoke_block(&b, None)? {
                out.emit(cx, v)?;
            }
        }
        Ok(())
    }
}
