//! Parameter binding as PowerShell does it: named parameters by exact name,
//! alias or unique prefix; switches; splatting; positional arguments;
//! pipeline input by value and by property name; validation attributes;
//! mandatory parameters checked last. Cmdlets and script functions bind
//! through the same code.

use std::rc::Rc;

use super::command::Args;
use super::convert::{convert, validate};
use super::errors::{ErrorRecord, Flow, Result};
use super::session::Session;
use super::signature::{Param, Signature};
use super::value::Value;
use crate::language::ast::{Command, CommandElement, Span};

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

/// One argument as written, evaluated.
enum Given {
    Named { name: String, span: Span, value: Option<(Value, Span)>, colon: bool },
    Positional(Value, Span),
}

/// Binds the arguments written on the command line.
pub fn bind_arguments(sig: &'static Signature, cmd: &Command, cx: &mut Session) -> Result<Args> {
    if let Some(leading) = plain_positional(sig, cmd) {
        return bind_plain_positional(sig, cmd, leading, cx);
    }
    let given = gather(sig, cmd, cx)?;
    bind_given(sig, cmd.span, given, cx)
}

/// `f $a $b`: when every argument is positional and the signature's
/// positional parameters are its first ones, in order, with nothing to
/// gather into a remaining-arguments parameter, binding is filling slots;
/// the number of such leading parameters. (Anything else takes the general
/// path, which gives the same result.)
fn plain_positional(sig: &Signature, cmd: &Command) -> Option<usize> {
    if !cmd.elements.iter().all(|e| matches!(e, CommandElement::Argument(_))) {
        return None;
    }
    let leading = sig.params.iter().enumerate().take_while(|(i, p)| p.position == Some(*i) && !p.remaining).count();
    let later = &sig.params[leading..];
    if later.iter().any(|p| p.position.is_some() || p.remaining) {
        return None;
    }
    if cmd.elements.len() > leading && !sig.collect_unbound {
        return None;
    }
    Some(leading)
}

/// The general path's order: every argument evaluated, then each bound
/// value converted and validated in turn; the ones past the parameters go
/// to `$args`.
fn bind_plain_positional(sig: &'static Signature, cmd: &Command, leading: usize, cx: &mut Session) -> Result<Args> {
    let mut args = Args::new(sig, cmd.span);
    for (i, e) in cmd.elements.iter().enumerate() {
        let CommandElement::Argument(e) = e else { continue };
        let v = cx.eval(e)?;
        if i < leading {
            args.values[i] = Some(v);
        } else {
            args.extra.push(v);
        }
    }
    for (i, e) in cmd.elements.iter().enumerate().take(leading) {
        let (Some(raw), CommandElement::Argument(e)) = (args.values[i].take(), e) else { continue };
        bind_slot(&mut args, i, raw, e.span, cx)?;
    }
    Ok(args)
}

/// A value for parameter `idx`, converted and validated, with where it
/// came from.
fn bind_slot(args: &mut Args, idx: usize, raw: Value, span: Span, cx: &mut Session) -> Result<()> {
    let param = &args.signature.params[idx];
    let converted = convert(param, raw).map_err(|e| e.at(span))?;
    validate(param, &converted, cx).map_err(|e| add_span(e, span))?;
    args.values[idx] = Some(converted);
    args.set_span(idx, span);
    Ok(())
}

/// Evaluates the command's elements in order; a parameter that is not a
/// switch takes the next argument as its value.
fn gather(sig: &'static Signature, cmd: &Command, cx: &mut Session) -> Result<Vec<Given>> {
    let mut out = Vec::with_capacity(cmd.elements.len());
    let mut i = 0;
    while i < cmd.elements.len() {
        match &cmd.elements[i] {
            CommandElement::Parameter { name, span, value } => {
                let value = match value {
                    Some(e) => Some((cx.eval(e)?, e.span)),
                    None => None,
                };
                let colon = value.is_some();
                let takes_value = match resolve_param(sig, name) {
                    Ok(idx) => !sig.params[idx].ty.is_switch(),
                    Err(e) => !sig.collect_unbound || e.error_id != "NamedParameterNotFound",
                };
                let value = match value {
                    Some(v) => Some(v),
                    None if takes_value => match cmd.elements.get(i + 1) {
                        Some(CommandElement::Argument(e)) => {
                            i += 1;
                            Some((cx.eval(e)?, e.span))
                        }
                        _ => None,
                    },
                    None => None,
                };
                out.push(Given::Named { name: name.clone(), span: *span, value, colon });
            }
            CommandElement::Argument(e) => {
                let v = cx.eval(e)?;
                out.push(Given::Positional(v, e.span));
            }
            CommandElement::Splat { variable, span } => match cx.read(variable) {
                Value::Hashtable(t) => {
                    for (k, v) in t.entries() {
                        out.push(Given::Named { name: k.to_text(), span: *span, value: Some((v, *span)), colon: true });
                    }
                }
                Value::Array(a) => {
                    for v in a.snapshot() {
                        out.push(Given::Positional(v, *span));
                    }
                }
                Value::Null => {}
                other => out.push(Given::Positional(other, *span)),
            },
        }
        i += 1;
    }
    Ok(out)
}

/// Binds already-evaluated arguments.
fn bind_given(sig: &'static Signature, span: Span, given: Vec<Given>, cx: &mut Session) -> Result<Args> {
    let mut args = Args::new(sig, span);
    let mut positional: Vec<(Value, Span)> = Vec::new();
    for g in given {
        match g {
            Given::Positional(v, s) => positional.push((v, s)),
            Given::Named { name, span, value, colon } => {
                let idx = match resolve_param(sig, &name) {
                    Ok(i) => i,
                    Err(e) if sig.collect_unbound && e.error_id == "NamedParameterNotFound" => {
                        // A simple function: `-x 1` goes to $args as written.
                        args.extra.push(Value::str(format!("-{name}{}", if colon { ":" } else { "" })));
                        if let Some((v, _)) = value {
                            args.extra.push(v);
                        }
                        continue;
                    }
                    Err(e) => return Err(e.at(span).into()),
                };
                let param = &sig.params[idx];
                let (raw, vspan) = match value {
                    Some(v) => v,
                    None if param.ty.is_switch() => (Value::Bool(true), span),
                    None => {
                        return Err(ErrorRecord::missing_argument(param.name, &param.ty.full_type_name())
                            .at(span)
                            .into());
                    }
                };
                if args.values[idx].is_some() {
                    return Err(ErrorRecord::parameter_bound_twice(param.name).at(span).into());
                }
                bind_slot(&mut args, idx, raw, vspan, cx)?;
            }
        }
    }
    bind_positional(sig, &mut args, positional, cx)?;
    Ok(args)
}

fn add_span(f: Flow, span: Span) -> Flow {
    match f {
        Flow::Error(rec) => Flow::Error(Box::new(rec.at(span))),
        other => other,
    }
}

/// Binds `values` as positional arguments (`& $block 1 2`, `$sb.Invoke()`).
pub fn bind_values(sig: &'static Signature, span: Span, values: Vec<Value>, cx: &mut Session) -> Result<Args> {
    let given = values.into_iter().map(|v| Given::Positional(v, span)).collect();
    bind_given(sig, span, given, cx)
}

fn bind_positional(
    sig: &'static Signature,
    args: &mut Args,
    positional: Vec<(Value, Span)>,
    cx: &mut Session,
) -> Result<()> {
    if positional.is_empty() {
        return Ok(());
    }
    let mut slots: Vec<(usize, &Param)> =
        sig.params.iter().enumerate().filter(|(i, p)| p.position.is_some() && args.values[*i].is_none()).collect();
    slots.sort_by_key(|(_, p)| p.position);
    let mut slots = slots.into_iter();
    let mut rest = positional.into_iter();
    while let Some((value, span)) = rest.next() {
        let Some((idx, param)) = slots.next() else {
            if sig.collect_unbound {
                args.extra.push(value);
                args.extra.extend(rest.by_ref().map(|(v, _)| v));
                break;
            }
            if let Some((ridx, rparam)) = sig.params.iter().enumerate().find(|(_, p)| p.remaining) {
                let mut all = match args.values[ridx].take() {
                    Some(Value::Array(a)) => a.snapshot(),
                    Some(v) => vec![v],
                    None => vec![],
                };
                all.push(value);
                all.extend(rest.by_ref().map(|(v, _)| v));
                args.values[ridx] = Some(convert(rparam, Value::array(all)).map_err(|e| e.at(span))?);
                break;
            }
            return Err(ErrorRecord::positional_not_found(&value.to_text()).at(span).into());
        };
        let value = if param.remaining {
            let mut all = vec![value];
            all.extend(rest.by_ref().map(|(v, _)| v));
            if all.len() == 1 { all.pop().unwrap_or(Value::Null) } else { Value::array(all) }
        } else {
            value
        };
        bind_slot(args, idx, value, span, cx)?;
    }
    Ok(())
}

/// Binds one pipeline object: by value first, then by property name.
/// `Ok(None)` when the object fits no parameter.
pub fn bind_input(args: &Args, input: &Value, cx: &mut Session) -> Result<Option<Args>> {
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
            validate(p, &v, cx)?;
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
                let v = convert(p, v)?;
                validate(p, &v, cx)?;
                bound.values[i] = Some(v);
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
/// does (secrets without echo); elsewhere it is an error.
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
        let secret = matches!(p.ty, super::signature::ParamType::SecureString);
        let prompt = format!("{}: ", p.name);
        let Some(line) = cx.read_answer(&prompt, secret) else {
            // Ctrl-C at the prompt: the command is abandoned, quietly.
            if cx.interrupt.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(cx.prompt_abandoned());
            }
            return Err(error());
        };
        if line.trim().is_empty() {
            return Err(ErrorRecord::argument_validation(
                p.name,
                "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
            )
            .at(args.command_span)
            .into());
        }
        let raw = if secret { Value::SecureString(Rc::from(line.as_str())) } else { Value::str(&line) };
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
