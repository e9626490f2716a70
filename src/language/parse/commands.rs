//! Commands in argument mode: names, parameters, arguments, splatting and
//! redirections.

use std::rc::Rc;

use pest::iterators::Pair;

use super::{Builder, PResult, Rule, error, span};
use crate::language::ast::*;

impl Builder {
    pub(crate) fn expression_element(&self, pair: Pair<Rule>) -> PResult<PipelineElement> {
        let mut expr = None;
        let mut redirections = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::redirection => redirections.push(self.redirection(p)?),
                _ => expr = Some(self.expression(p)?),
            }
        }
        let expr = expr.ok_or_else(|| error("An expression was expected.", "ExpectedExpression", Span::default()))?;
        Ok(PipelineElement::Expression { expr, redirections })
    }

    pub(crate) fn command(&self, pair: Pair<Rule>) -> PResult<Command> {
        let sp = span(&pair);
        let mut inner = pair.into_inner();
        let head = match inner.next() {
            Some(h) if h.as_rule() == Rule::invocation => {
                let mut parts = h.into_inner();
                let dot = parts.next().is_some_and(|op| op.as_str() == ".");
                let target = match parts.next() {
                    Some(t) if t.as_rule() == Rule::command_name => Expr::str(t.as_str(), span(&t)),
                    Some(t) => self.expression(t)?,
                    None => return Err(error("Missing expression after '&'.", "MissingExpression", sp)),
                };
                CommandHead::Invoke { dot, target: Box::new(target) }
            }
            Some(h) => CommandHead::name(h.as_str(), span(&h)),
            None => return Err(error("An empty pipe element is not allowed.", "EmptyPipeElement", sp)),
        };
        let mut elements: Vec<CommandElement> = Vec::new();
        let mut redirections = Vec::new();
        // `-Name:` followed by a separate argument takes it as its value.
        let mut colon_pending = false;
        for p in inner {
            match p.as_rule() {
                Rule::redirection => redirections.push(self.redirection(p)?),
                Rule::parameter => {
                    let psp = span(&p);
                    let mut name = String::new();
                    let mut value = None;
                    let mut colon = false;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::param_name => name = q.as_str().to_string(),
                            Rule::param_colon => colon = true,
                            Rule::colon_value => {
                                if let Some(a) = q.into_inner().next() {
                                    value = Some(self.argument(a)?);
                                }
                            }
                            _ => {}
                        }
                    }
                    colon_pending = colon && value.is_none();
                    elements.push(CommandElement::Parameter { name, span: psp, value });
                }
                Rule::splat => {
                    let ssp = span(&p);
                    let var = match p.into_inner().next() {
                        Some(v) => self.var_name(v)?,
                        None => VarRef::new("", VarScope::Any),
                    };
                    elements.push(CommandElement::Splat { variable: var, span: ssp });
                    colon_pending = false;
                }
                Rule::argument => {
                    let arg = self.argument(p)?;
                    if colon_pending && let Some(CommandElement::Parameter { value, span, .. }) = elements.last_mut() {
                        *span = span.to(arg.span);
                        *value = Some(arg);
                        colon_pending = false;
                        continue;
                    }
                    elements.push(CommandElement::Argument(arg));
                }
                _ => {}
            }
        }
        // The pair may end in the spaces before a `|`; errors mark the text only.
        let end = elements
            .iter()
            .map(|e| match e {
                CommandElement::Parameter { span, value, .. } => {
                    value.as_ref().map(|v| v.span.end).unwrap_or(span.end).max(span.end)
                }
                CommandElement::Argument(a) => a.span.end,
                CommandElement::Splat { span, .. } => span.end,
            })
            .chain(redirections.iter().map(|r: &Redirection| r.span.end))
            .max()
            .unwrap_or(match &head {
                CommandHead::Name { span, .. } => span.end,
                CommandHead::Invoke { target, .. } => target.span.end,
            });
        Ok(Command { head, elements, redirections, span: Span::new(sp.start, end.min(sp.end)) })
    }

    /// An argument-mode value: one item, or `a, b, c` as an array.
    pub(crate) fn argument(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let mut items = Vec::new();
        for p in pair.into_inner() {
            items.push(self.arg_item(p)?);
        }
        if items.len() == 1 {
            Ok(items.pop().unwrap_or_else(|| Expr::str("", sp)))
        } else {
            Ok(Expr::new(ExprKind::Array(items), sp))
        }
    }

    fn arg_item(&self, pair: Pair<Rule>) -> PResult<Expr> {
        match pair.as_rule() {
            Rule::bareword | Rule::var_bareword => self.bareword(pair),
            Rule::signed_number => self.signed_number(pair),
            Rule::arg_number => match pair.into_inner().next() {
                Some(n) => self.signed_number(n),
                None => Ok(Expr::str("", Span::default())),
            },
            _ => self.expression(pair),
        }
    }

    /// A bare word: plain text, or expandable when it holds `$var`/`$(...)`.
    pub(crate) fn bareword(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let mut parts: Vec<StringPart> = Vec::new();
        let mut text = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::bare_text => text.push_str(p.as_str()),
                Rule::bare_var => self.variable_part(p, &mut parts, &mut text)?,
                Rule::bare_subexpr => self.subexpression_part(p, &mut parts, &mut text)?,
                _ => {}
            }
        }
        if parts.is_empty() {
            return Ok(Expr::new(ExprKind::Str(Rc::from(text.as_str())), sp));
        }
        flush(&mut parts, &mut text);
        Ok(Expr::new(ExprKind::Expandable(parts), sp))
    }

    fn redirection(&self, pair: Pair<Rule>) -> PResult<Redirection> {
        let sp = span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            return Err(error(
                "Missing file specification after redirection operator.",
                "MissingFileSpecification",
                sp,
            ));
        };
        if inner.as_rule() == Rule::redir_merge {
            let text = inner.as_str();
            let from = stream_of(text.chars().next().filter(|c| *c != '>'));
            if !text.ends_with('1') || from == Stream::Output {
                return Err(error(
                    format!("The '{text}' operator is reserved for future use."),
                    "RedirectionNotSupported",
                    sp,
                ));
            }
            return Ok(Redirection { from, to: RedirectTarget::Output, span: sp });
        }
        let mut op = "";
        let mut target = None;
        for p in inner.into_inner() {
            match p.as_rule() {
                Rule::redir_op => op = p.as_str(),
                Rule::redir_target => {
                    if let Some(t) = p.into_inner().next() {
                        target = Some(match t.as_rule() {
                            Rule::bareword => self.bareword(t)?,
                            _ => self.expression(t)?,
                        });
                    }
                }
                _ => {}
            }
        }
        if op == "<" {
            return Err(error("The '<' operator is reserved for future use.", "RedirectionNotSupported", sp));
        }
        let Some(path) = target else {
            return Err(error(
                "Missing file specification after redirection operator.",
                "MissingFileSpecification",
                sp,
            ));
        };
        let append = op.ends_with(">>");
        let from = stream_of(op.chars().next().filter(|c| *c != '>'));
        Ok(Redirection { from, to: RedirectTarget::File { path, append }, span: sp })
    }
}

fn stream_of(c: Option<char>) -> Stream {
    match c {
        Some('*') => Stream::All,
        Some('2') => Stream::Error,
        Some('3') => Stream::Warning,
        Some('4') => Stream::Verbose,
        Some('5') => Stream::Debug,
        Some('6') => Stream::Information,
        _ => Stream::Output,
    }
}

pub(crate) fn flush(parts: &mut Vec<StringPart>, text: &mut String) {
    if !text.is_empty() {
        parts.push(StringPart::Text(Rc::from(std::mem::take(text).as_str())));
    }
}
