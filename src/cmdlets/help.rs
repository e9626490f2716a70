//! Get-Help and Get-Command, and docs/cmdlets.md: all read the signatures.

use super::about_topics::{self, TOPICS, Topic};
use super::common::object;
use super::registry;
use crate::format::format_text;
use crate::format::views::COMMAND_INFO;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let help = Signature::build("Get-Help")
        .aliases(&["help", "man"])
        .synopsis("Shows help for a cmdlet, from its declaration: syntax, parameters, examples.")
        .param(Param::new("Name", T::String).position(0).help("The cmdlet or alias."))
        .param(Param::new("Full", T::Switch))
        .param(Param::new("Detailed", T::Switch))
        .param(Param::new("Examples", T::Switch))
        .param(Param::new("Parameter", T::String))
        .example("Help for Set-CASMailbox", "Get-Help Set-CASMailbox -Examples", "")
        .example("One parameter", "Get-Help Set-ImapSettings -Parameter CalendarItemRetrievalOption", "");
    let command = Signature::build("Get-Command")
        .aliases(&["gcm"])
        .synopsis("Lists the cmdlets and aliases mailsh knows.")
        .param(Param::new("Name", T::Strings).position(0).help("Names; wildcards accepted."))
        .param(Param::new("Noun", T::Strings))
        .param(Param::new("Verb", T::Strings))
        .example("Every CAS mailbox cmdlet", "Get-Command *CASMailbox", "");
    vec![CmdletDef::run(help, get_help), CmdletDef::run(command, get_command)]
}

fn find_def(name: &str) -> std::result::Result<&'static CmdletDef, ErrorRecord> {
    registry().find(name).ok_or_else(|| {
        ErrorRecord::new(
            format!("Get-Help could not find {name} in a help file in this session."),
            Category::ResourceUnavailable,
            "HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand",
            "HelpNotFoundException",
        )
        .with_target(name, "String")
        .unqualified()
    })
}

/// The commands a wildcard name (`*CAS*`) matches, sorted; none for a
/// plain name.
fn wildcard_matches(name: &str) -> Vec<Found> {
    if !crate::runtime::ops::has_wildcard(name) {
        return Vec::new();
    }
    let mut found: Vec<Found> =
        registry().all().iter().filter(|d| wildcard_match(name, d.signature.name, false)).map(Found::Command).collect();
    found.sort_by_key(|f| f.name().to_ascii_lowercase());
    found.extend(TOPICS.iter().filter(|t| wildcard_match(name, t.name, false)).map(Found::Topic));
    found
}

/// What a help name matched: a command, or an about_ topic.
#[derive(Clone, Copy)]
enum Found {
    Command(&'static CmdletDef),
    Topic(&'static Topic),
}

impl Found {
    fn name(&self) -> &'static str {
        match self {
            Found::Command(d) => d.signature.name,
            Found::Topic(t) => t.name,
        }
    }
}

fn get_help(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(name) = args.string("Name") else {
        let text = "\nTOPIC\n    mailsh help\n\nSHORT DESCRIPTION\n    mailsh runs the Exchange Management Shell cmdlets that decide who may reach a mailbox and how.\n\nLONG DESCRIPTION\n    Get-Command lists every cmdlet. Get-Help <cmdlet> shows its syntax;\n    -Examples, -Full and -Parameter <name> show more. <cmdlet> -? works too.\n\n";
        return out.emit(cx, format_text(text.to_string()));
    };
    let found = match wildcard_matches(&name).as_slice() {
        [] => match about_topics::find(&name) {
            Some(t) => Found::Topic(t),
            None => Found::Command(find_def(&name)?),
        },
        [one] => *one,
        many => {
            // Several: PowerShell lists them, one line each.
            for f in many {
                let (category, synopsis) = match f {
                    Found::Command(d) => ("Cmdlet", d.signature.synopsis),
                    Found::Topic(t) => ("HelpFile", t.synopsis),
                };
                let row = super::common::custom_object(
                    "HelpInfoShort",
                    vec![
                        ("Name".into(), Value::str(f.name())),
                        ("Category".into(), Value::str(category)),
                        ("Synopsis".into(), Value::str(synopsis)),
                    ],
                );
                out.emit(cx, row)?;
            }
            return Ok(());
        }
    };
    let def = match found {
        Found::Command(d) => d,
        Found::Topic(t) => return out.emit(cx, format_text(about_topics::text(t))),
    };
    let sig = &def.signature;
    let text = if let Some(p) = args.string("Parameter") {
        let params: Vec<&Param> = sig.params.iter().filter(|x| wildcard_match(&p, x.name, false)).collect();
        if params.is_empty() {
            return Err(ErrorRecord::new(
                format!("No parameter matches criteria {p}."),
                Category::InvalidArgument,
                "NoParmsFound,Microsoft.PowerShell.Commands.GetHelpCommand",
                "ArgumentException",
            )
            .unqualified()
            .into());
        }
        let mut t = String::from("\n");
        for p in params {
            t.push_str(&parameter_block(p));
        }
        t
    } else if args.switch("Examples") {
        format!("\nNAME\n    {}\n\nSYNOPSIS\n    {}\n\n{}", sig.name, sig.synopsis, examples_text(sig))
    } else {
        help_text(sig, args.switch("Full") || args.switch("Detailed"))
    };
    out.emit(cx, format_text(text))
}

pub fn syntax(sig: &Signature) -> String {
    let mut parts = vec![sig.name.to_string()];
    let mut params: Vec<&Param> = sig.params.iter().filter(|p| !p.common).collect();
    params.sort_by_key(|p| p.position.unwrap_or(usize::MAX));
    for p in params {
        let ty = format!("<{}>", p.ty.type_name());
        let s = match (p.ty.is_switch(), p.position.is_some(), p.mandatory) {
            (true, _, _) => format!("[-{}]", p.name),
            (false, true, true) => format!("[-{}] {ty}", p.name),
            (false, true, false) => format!("[[-{}] {ty}]", p.name),
            (false, false, true) => format!("-{} {ty}", p.name),
            (false, false, false) => format!("[-{} {ty}]", p.name),
        };
        parts.push(s);
    }
    if sig.should_process {
        parts.push("[-WhatIf]".into());
        parts.push("[-Confirm]".into());
    }
    parts.push("[<CommonParameters>]".into());
    parts.join(" ")
}

fn pipeline_text(p: &Param) -> &'static str {
    match (p.from_pipeline, p.from_property) {
        (true, true) => "true (ByValue, ByPropertyName)",
        (true, false) => "true (ByValue)",
        (false, true) => "true (ByPropertyName)",
        (false, false) => "false",
    }
}

fn allowed_values(p: &Param) -> Option<String> {
    match p.ty {
        T::Enum(def) | T::Flags(def) => Some(def.members.join(", ")),
        T::Bool => Some("$true, $false".into()),
        _ => None,
    }
}

fn parameter_block(p: &Param) -> String {
    let mut t = format!("    -{} <{}>\n", p.name, p.ty.type_name());
    if !p.help.is_empty() {
        t.push_str(&format!("        {}\n", p.help));
    }
    if let Some(values) = allowed_values(p) {
        t.push_str(&format!("        Allowed values: {values}\n"));
    }
    t.push('\n');
    t.push_str(&format!("        Required?                    {}\n", p.mandatory));
    t.push_str(&format!(
        "        Position?                    {}\n",
        p.position.map(|n| (n + 1).to_string()).unwrap_or_else(|| "named".into())
    ));
    t.push_str(&format!("        Default value                {}\n", p.default));
    t.push_str(&format!("        Accept pipeline input?       {}\n", pipeline_text(p)));
    t.push_str("        Accept wildcard characters?  false\n");
    if !p.aliases.is_empty() {
        t.push_str(&format!("        Aliases                      {}\n", p.aliases.join(", ")));
    }
    t.push('\n');
    t
}

fn examples_text(sig: &Signature) -> String {
    let mut t = String::new();
    for (i, e) in sig.examples.iter().enumerate() {
        t.push_str(&format!("    -------------------------- EXAMPLE {} --------------------------\n\n", i + 1));
        t.push_str(&format!("    PS C:\\>{}\n\n    {}\n", e.code, e.title));
        if !e.remarks.is_empty() {
            t.push_str(&format!("    {}\n", e.remarks));
        }
        t.push('\n');
    }
    t
}

fn help_text(sig: &Signature, full: bool) -> String {
    let mut t =
        format!("\nNAME\n    {}\n\nSYNOPSIS\n    {}\n\n\nSYNTAX\n    {}\n\n\n", sig.name, sig.synopsis, syntax(sig));
    if !sig.description.is_empty() {
        t.push_str(&format!("DESCRIPTION\n    {}\n\n\n", sig.description));
    }
    if full {
        t.push_str("PARAMETERS\n");
        for p in sig.params.iter().filter(|p| !p.common) {
            t.push_str(&parameter_block(p));
        }
        t.push_str("    <CommonParameters>\n        This cmdlet supports the common parameters: Verbose, Debug,\n        ErrorAction, WarningAction, ErrorVariable, WarningVariable,\n        OutBuffer and OutVariable.\n\n");
        t.push_str(&examples_text(sig));
    }
    if !sig.aliases.is_empty() {
        t.push_str(&format!("ALIASES\n    {}\n\n", sig.aliases.join(", ")));
    }
    let lower = sig.name;
    t.push_str(&format!(
        "REMARKS\n    To see the examples, type: \"get-help {lower} -examples\".\n    For more information, type: \"get-help {lower} -detailed\".\n    For technical information, type: \"get-help {lower} -full\".\n\n"
    ));
    t
}

fn get_command(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let names = args.strings("Name");
    let nouns = args.strings("Noun");
    let verbs = args.strings("Verb");
    let matches = |list: &Option<Vec<String>>, text: &str| {
        list.as_ref().is_none_or(|l| l.iter().any(|p| wildcard_match(p, text, false)))
    };
    let mut found = 0;
    for def in registry().all() {
        let name = def.signature.name;
        let (verb, noun) = name.split_once('-').unwrap_or((name, ""));
        if matches(&names, name) && matches(&nouns, noun) && matches(&verbs, verb) {
            found += 1;
            out.emit(cx, command_info("Cmdlet", name))?;
        }
        if nouns.is_none() && verbs.is_none() {
            for a in def.signature.aliases {
                if names.as_ref().is_some_and(|l| l.iter().any(|p| wildcard_match(p, a, false))) {
                    found += 1;
                    out.emit(cx, command_info("Alias", &format!("{a} -> {name}")))?;
                }
            }
        }
    }
    if found == 0
        && let Some(n) = names.as_ref().and_then(|l| l.iter().find(|n| !n.contains('*')))
    {
        return Err(ErrorRecord::command_not_found(n).into());
    }
    Ok(())
}

fn command_info(kind: &str, name: &str) -> Value {
    object(
        COMMAND_INFO,
        vec![
            ("CommandType", Value::str(kind)),
            ("Name", Value::str(name)),
            ("Version", Value::str(env!("CARGO_PKG_VERSION"))),
            ("Source", Value::str("mailsh")),
        ],
    )
}

/// docs/cmdlets.md, generated from the same signatures as Get-Help.
pub fn cmdlets_markdown() -> String {
    let mut t = String::from(
        "# mailsh cmdlets\n\nGenerated from the cmdlet signatures (`cargo test` fails when this file is stale; `UPDATE_DOCS=1 cargo test --test main docs::` rewrites it). Every cmdlet also takes the common parameters: Verbose, Debug, ErrorAction, WarningAction, ErrorVariable, WarningVariable, OutVariable, OutBuffer.\n\n",
    );
    for def in registry().all() {
        let sig = &def.signature;
        t.push_str(&format!("- [{}](#{})\n", sig.name, sig.name.to_ascii_lowercase()));
    }
    t.push('\n');
    for def in registry().all() {
        let sig = &def.signature;
        t.push_str(&format!("## {}\n\n{}\n\n", sig.name, sig.synopsis));
        if !sig.description.is_empty() {
            t.push_str(&format!("{}\n\n", sig.description));
        }
        if !sig.aliases.is_empty() {
            t.push_str(&format!(
                "Aliases: {}\n\n",
                sig.aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        t.push_str(&format!("```\n{}\n```\n\n", syntax(sig)));
        let params: Vec<&Param> = sig.params.iter().filter(|p| !p.common).collect();
        if !params.is_empty() {
            t.push_str("| Parameter | Type | Position | Required | Pipeline | Description |\n| --- | --- | --- | --- | --- | --- |\n");
            for p in params {
                let mut desc = p.help.to_string();
                if let Some(v) = allowed_values(p) {
                    if !desc.is_empty() {
                        desc.push(' ');
                    }
                    desc.push_str(&format!("Values: {v}."));
                }
                if !p.aliases.is_empty() {
                    desc.push_str(&format!(" Aliases: {}.", p.aliases.join(", ")));
                }
                t.push_str(&format!(
                    "| -{} | {} | {} | {} | {} | {} |\n",
                    p.name,
                    p.ty.type_name(),
                    p.position.map(|n| (n + 1).to_string()).unwrap_or_else(|| "named".into()),
                    if p.mandatory { "yes" } else { "no" },
                    pipeline_text(p),
                    desc.replace('|', "\\|").trim()
                ));
            }
            t.push('\n');
        }
        for e in &sig.examples {
            t.push_str(&format!("**{}**\n\n```powershell\n{}\n```\n\n", e.title, e.code));
            if !e.remarks.is_empty() {
                t.push_str(&format!("{}\n\n", e.remarks));
            }
        }
    }
    t
}
