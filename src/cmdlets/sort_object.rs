//! Sort-Object (sort): stable sort by properties.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::eval::collapse;
use crate::runtime::ops::compare_scalars;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Sort-Object")
        .aliases(&["sort"])
        .synopsis("Sorts objects by property values.")
        .param(Param::new("Property", T::Properties).position(0))
        .param(Param::new("Descending", T::Switch))
        .param(Param::new("Unique", T::Switch))
        .param(Param::new("CaseSensitive", T::Switch))
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("By display name", "Get-Mailbox | Sort-Object DisplayName", "");
    vec![CmdletDef::stateful(sig, || Box::new(Sort { items: Vec::new() }))]
}

struct Sort {
    items: Vec<Value>,
}

impl Processor for Sort {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = input.or(args.get("InputObject")) {
            self.items.push(v.clone());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let keys_spec: Vec<Value> = args.get("Property").cloned().map(|p| p.into_items()).unwrap_or_default();
        let cs = args.switch("CaseSensitive");
        let descending = args.switch("Descending");
        let mut keyed: Vec<(Vec<Value>, Value)> = Vec::with_capacity(self.items.len());
        for v in std::mem::take(&mut self.items) {
            let mut keys = Vec::new();
            if keys_spec.is_empty() {
                keys.push(v.clone());
            }
            for k in &keys_spec {
                keys.push(match k {
                    Value::ScriptBlock(b) => collapse(cx.invoke_block(b, Some(&v))?),
                    Value::Hashtable(h) => {
                        match h.entries().into_iter().find(|(k, _)| k.to_text().to_ascii_lowercase().starts_with('e')) {
                            Some((_, Value::ScriptBlock(b))) => collapse(cx.invoke_block(&b, Some(&v))?),
                            Some((_, name)) => v.property(&name.to_text()),
                            None => Value::Null,
                        }
                    }
                    name => v.property(&name.to_text()),
                });
            }
            keyed.push((keys, v));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for (x, y) in a.iter().zip(b.iter()) {
                let o = compare_scalars(x, y, cs).unwrap_or(std::cmp::Ordering::Equal);
                if o != std::cmp::Ordering::Equal {
                    return if descending { o.reverse() } else { o };
                }
            }
            std::cmp::Ordering::Equal
        });
        let mut last: Option<Vec<Value>> = None;
        for (k, v) in keyed {
            if args.switch("Unique")
                && last.as_ref().is_some_and(|l| {
                    l.iter().zip(k.iter()).all(|(a, b)| compare_scalars(a, b, cs) == Some(std::cmp::Ordering::Equal))
                })
            {
                continue;
            }
            last = Some(k);
            out.emit(cx, v)?;
        }
        Ok(())
    }
}
