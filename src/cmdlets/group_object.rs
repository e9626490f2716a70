//! Group-Object (group): objects grouped by a property's value.

use super::common::object;
use crate::format::views::{GROUP_INFO, GROUP_INFO_NO_ELEMENT};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Group-Object")
        .aliases(&["group"])
        .synopsis("Groups objects that share a property value.")
        .param(Param::new("Property", T::Properties).position(0))
        .param(Param::new("NoElement", T::Switch))
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("How many mailboxes have IMAP4 on", "Get-CASMailbox | Group-Object ImapEnabled", "");
    vec![CmdletDef::stateful(sig, || Box::new(Group { groups: Vec::new() }))]
}

struct Group {
    groups: Vec<(String, Vec<Value>)>,
}

impl Processor for Group {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        let key: Vec<String> = match args.get("Property") {
            Some(p) => p.clone().into_items().iter().map(|name| v.property(&name.to_text()).to_text()).collect(),
            None => vec![v.to_text()],
        };
        let key = key.join(", ");
        match self.groups.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            Some((_, items)) => items.push(v.clone()),
            None => self.groups.push((key, vec![v.clone()])),
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        for (name, items) in std::mem::take(&mut self.groups) {
            let props = vec![("Count", Value::int(items.len() as i64)), ("Name", Value::str(name))];
            let v = if args.switch("NoElement") {
                object(GROUP_INFO_NO_ELEMENT, props)
            } else {
                let mut props = props;
                props.push(("Group", Value::array(items)));
                object(GROUP_INFO, props)
            };
            out.emit(cx, v)?;
        }
        Ok(())
    }
}
