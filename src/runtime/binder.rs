//! Parameter binding as PowerShell does it: named parameters by exact name,
//! alias or unique prefix; switches; positional arguments; pipeline input by
//! value and by property name; mandatory parameters checked last.

use super::command::Args;
use super::convert::convert;
use super::errors::{ErrorRecord, Flow, Result};
use super::session::Session;
use super::signature::{Param, Signature};
use super::value::Value;
use crate::language::ast::{Command, CommandElement, Expr, Span};

/// Resolves a typed parameter name: an exact name or alias wins, else a
/// unique prefix; otherwise PowerShell's unknown or ambiguous error.
pub fn resolve_param(sig: &Signature, typed: &str) -> std::result::Result<usize, ErrorRecord> {
    if let Some(i) = sig.params.iter().position(|p| p.matches_exactly(typed)) {
        return Ok(i);
    }
    let matches: Vec<usize> =
        sig.params.iter().enumerate().filter(|(_, p)| p.matches_prefix(typed)).map(|(i, _)| i).collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(ErrorRecord::parameter_not_found(typed)),
        many => {
            let names: Vec<&str> = many.iter().map(|i| sig.params[*i].name).collect();
            Err(ErrorRecord::ambiguous_parameter(typed, &names))
        }
    }
}

/// Binds the arguments written on the command line.
pub fn bind_arguments(sig: &'static Signature, cmd: &Command, cx: &mut Session) -> Result<Args> {
    let mut args = Args::new(sig, cmd.span);
    let mut positional: Vec<(Value, Span)> = Vec::new();
    let mut i = 0;
    while i < cmd.elements.len() {
        match &cmd.elements[i] {
            CommandElement::Parameter { name, span, value } => {
                let idx = resolve_param(sig, name).map_err(|e| e.at(*span))?;
                let param = &sig.params[idx];
                let (raw, vspan) = if param.ty.is_switch() {
                    match value {
                        Some(expr) => (cx.eval(expr)?, expr.span),
                        None => (Value::Bool(true), *span),
                    }
                } else if let Some(expr) = value {
                    (cx.eval(expr)?, expr.span)
                } else {
                    match cmd.elements.get(i + 1) {
                        Some(CommandElement::Argument(expr)) => {
                            i += 1;
                            (eval_argument(cx, expr)?, expr.span)
                        }
                        _ => {
                            return Err(ErrorRecord::missing_argument(param.name, param.ty.type_name())
                                .at(*span)
                                .into());
                        }
                    }
                };
                if args.values[idx].is_some() {
                    return Err(ErrorRecord::parameter_bound_twice(param.name).at(*span).into());
                }
                let converted = convert(param, raw).map_err(|e| e.at(vspan))?;
                args.values[idx] = Some(converted);
                args.spans[idx] = Some(vspan);
            }
            CommandElement::Argument(expr) => {
                let v = eval_argument(cx, expr)?;
                positional.push((v, expr.span));
            }
        }
        i += 1;
    }
    bind_positional(sig, &mut args, positional)?;
    Ok(args)
}

/// Arguments evaluate as expressions; a parenthesised pipeline's objects
/// become an array when there are several.
fn eval_argument(cx: &mut Session, expr: &Expr) -> Result<Value> {
    cx.eval(expr)
}

fn bind_positional(sig: &'static Signature, args: &mut Args, positional: Vec<(Value, Span)>) -> Result<()> {
    let mut slots: Vec<(usize, &Param)> = sig.params.iter().enumerate().filter(|(_, p)| p.position.is_some()).collect();
    slots.sort_by_key(|(_, p)| p.position);
    let free: Vec<(usize, &Param)> = slots.into_iter().filter(|(i, _)| args.values[*i].is_none()).collect();
    let mut slots = free.into_iter();
    let mut rest = positional.into_iter();
    while let Some((value, span)) = rest.next() {
        let Some((idx, param)) = slots.next() else {
            return Err(ErrorRecord::positional_not_found(&value.to_text()).at(span).into());
        };
        let value = if param.remaining {
            let mut all = vec![value];
            all.extend(rest.by_ref().map(|(v, _)| v));
            if all.len() == 1 { all.pop().unwrap_or(Value::Null) } else { Value::Array(all) }
        } else {
            value
        };
        let converted = convert(param, value).map_err(|e| e.at(span))?;
        args.values[idx] = Some(converted);
        args.spans[idx] = Some(span);
    }
    Ok(())
}

/// Binds one pipeline object: by value first, then by property name.
/// `Ok(None)` when the object fits no parameter.
pub fn bind_input(args: &Args, input: &Value) -> std::result::Result<Option<Args>, ErrorRecord> {
    let sig = args.signature;
    let mut bound = args.clone();
    let mut any = false;
    let mut accepts = false;
    for (i, p) in sig.params.iter().enumerate() {
        if args.values[i].is_some() || !(p.from_pipeline || p.from_property) {
            continue;
        }
        accepts = true;
        if p.from_pipeline
            && let Ok(v) = convert(p, input.clone())
        {
            bound.values[i] = Some(v);
            any = true;
            continue;
        }
        if p.from_property {
            let found = std::iter::once(p.name)
                .chain(p.aliases.iter().copied())
                .map(|n| input.property(n))
                .find(|v| !v.is_null());
            if let Some(v) = found {
                bound.values[i] = Some(convert(p, v)?);
                any = true;
            }
        }
    }
    if !accepts || !any {
        return Ok(None);
    }
    Ok(Some(bound))
}

/// Whether the signature takes pipeline input at all.
pub fn takes_pipeline_input(sig: &Signature) -> bool {
    sig.params.iter().any(|p| p.from_pipeline || p.from_property)
}

pub fn missing_mandatory(args: &Args) -> Vec<&'static Param> {
    args.signature
        .params
        .iter()
        .zip(args.values.iter())
        .filter(|(p, v)| p.mandatory && v.is_none())
        .map(|(p, _)| p)
        .collect()
}

/// Fills missing mandatory parameters: the REPL asks for them as PowerShell
/// does; elsewhere it is an error.
pub fn complete_mandatory(args: &mut Args, position: usize, cx: &mut Session) -> Result<()> {
    let missing = missing_mandatory(args);
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|p| p.name).collect();
    let span = args.command_span;
    let error = || -> Flow { ErrorRecord::missing_mandatory(&names).at(span).into() };
    if !cx.host.interactive() || cx.non_interactive {
        return Err(error());
    }
    cx.print(&format!(
        "cmdlet {} at command pipeline position {position}\nSupply values for the following parameters:\n",
        args.signature.name
    ));
    for p in missing {
        let Some(line) = cx.host.read_line(&format!("{}: ", p.name)) else {
            return Err(error());
        };
        if let Some(t) = cx.transcript.as_mut() {
            t.append(&format!("{}: {line}\n", p.name));
        }
        if line.trim().is_empty() {
            return Err(ErrorRecord::argument_validation(
                p.name,
                "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
            )
            .at(args.command_span)
            .into());
        }
        let raw = if matches!(p.ty, super::signature::ParamType::SecureString) {
            Value::SecureString(line.as_str().into())
        } else {
            Value::Str(line)
        };
        let v = convert(p, raw).map_err(|e| e.at(args.command_span))?;
        args.set(p.name, v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::signature::ParamType;

    fn sig() -> Signature {
        Signature::build("Set-CASMailbox")
            .param(Param::new("Identity", ParamType::Identity("MailboxIdParameter")))
            .param(Param::new("ImapEnabled", ParamType::Bool))
            .param(Param::new("ImapUseProtocolDefaults", ParamType::Bool))
            .param(Param::new("ImapEnableExactRFC822Size", ParamType::Bool))
            .finish()
    }

    #[test]
    fn exact_names_beat_prefixes() {
        let s = sig();
        assert_eq!(s.params[resolve_param(&s, "imapenabled").unwrap()].name, "ImapEnabled");
        assert_eq!(s.params[resolve_param(&s, "IMAPUse").unwrap()].name, "ImapUseProtocolDefaults");
    }

    #[test]
    fn ambiguous_prefixes_list_every_match() {
        let s = sig();
        let e = resolve_param(&s, "Imap").unwrap_err();
        assert_eq!(
            e.message,
            "Parameter cannot be processed because the parameter name 'Imap' is ambiguous. Possible matches include: -ImapEnabled -ImapUseProtocolDefaults -ImapEnableExactRFC822Size."
        );
    }

    #[test]
    fn unknown_names_are_reported_as_typed() {
        let s = sig();
        let e = resolve_param(&s, "NoSuchParam").unwrap_err();
        assert_eq!(e.message, "A parameter cannot be found that matches parameter name 'NoSuchParam'.");
    }

    #[test]
    fn common_parameters_resolve_by_alias() {
        let s = sig();
        assert_eq!(s.params[resolve_param(&s, "ea").unwrap()].name, "ErrorAction");
    }
}
