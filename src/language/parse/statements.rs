//! Statements: script blocks and their param() blocks, compound statements,
//! flow statements, and the pipeline-or-assignment statement.

use std::rc::Rc;

use pest::iterators::Pair;

use super::{Builder, PResult, Rule, error, span};
use crate::language::ast::*;

impl Builder {
    /// `param(...)` then named blocks or plain statements.
    pub(crate) fn block_body(&self, pair: Pair<Rule>, text: String, sp: Span) -> PResult<ScriptBlock> {
        let mut block = ScriptBlock {
            attributes: vec![],
            params: None,
            begin: None,
            process: None,
            end: None,
            dynamicparam: None,
            text,
            span: sp,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::param_block => {
                    let pb = self.param_block(p)?;
                    block.params = Some(pb);
                }
                Rule::named_blocks => {
                    for nb in p.into_inner() {
                        let mut parts = nb.into_inner();
                        let (Some(kw), Some(body)) = (parts.next(), parts.next()) else { continue };
                        let statements = self.statement_block(body)?;
                        let slot = match kw.as_str().to_ascii_lowercase().as_str() {
                            "begin" => &mut block.begin,
                            "process" => &mut block.process,
                            "dynamicparam" => &mut block.dynamicparam,
                            _ => &mut block.end,
                        };
                        if slot.is_some() {
                            return Err(error(
                                format!("Script command clause '{}' has already been defined.", kw.as_str()),
                                "DuplicateScriptCommandClause",
                                span(&kw),
                            ));
                        }
                        *slot = Some(statements);
                    }
                }
                Rule::statement_list => block.end = Some(self.statement_list(p)?),
                _ => {}
            }
        }
        if let Some(pb) = &mut block.params {
            block.attributes = std::mem::take(&mut pb.attributes);
        }
        if block.end.is_none() && !block.has_named_blocks() {
            block.end = Some(vec![]);
        }
        Ok(block)
    }

    pub(crate) fn param_block(&self, pair: Pair<Rule>) -> PResult<ParamBlock> {
        let sp = span(&pair);
        let mut attributes = Vec::new();
        let mut params = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::attribute => attributes.push(self.attribute(p)?),
                Rule::param_list => params = self.param_list(p)?,
                _ => {}
            }
        }
        Ok(ParamBlock { attributes, params, span: sp })
    }

    pub(crate) fn param_list(&self, pair: Pair<Rule>) -> PResult<Vec<ParamDecl>> {
        let mut params: Vec<ParamDecl> = Vec::new();
        for decl in pair.into_inner().filter(|p| p.as_rule() == Rule::parameter_decl) {
            let sp = span(&decl);
            let mut attributes = Vec::new();
            let mut ty = None;
            let mut name = None;
            let mut default = None;
            for p in decl.into_inner() {
                match p.as_rule() {
                    Rule::attribute => attributes.push(self.attribute(p)?),
                    Rule::type_literal => ty = Some(self.type_literal(p)),
                    Rule::variable => name = Some(self.variable_ref(p)?),
                    Rule::arg_expression => default = Some(self.expression(p)?),
                    _ => {}
                }
            }
            let Some(name) = name else { continue };
            if params.iter().any(|d| d.name.key == name.key) {
                return Err(error(
                    format!("Duplicate parameter ${} in parameter list.", name.name),
                    "DuplicateFormalParameter",
                    sp,
                ));
            }
            params.push(ParamDecl { name, attributes, ty, default, span: sp });
        }
        Ok(params)
    }

    pub(crate) fn attribute(&self, pair: Pair<Rule>) -> PResult<Attribute> {
        let sp = span(&pair);
        let mut name = String::new();
        let mut positional = Vec::new();
        let mut named = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::type_name => name = p.as_str().to_string(),
                Rule::attribute_args => {
                    for arg in p.into_inner().filter(|a| a.as_rule() == Rule::attribute_arg) {
                        let Some(inner) = arg.into_inner().next() else { continue };
                        if inner.as_rule() == Rule::attribute_named {
                            let mut parts = inner.into_inner();
                            let key = parts.next().map(|k| k.as_str().to_string()).unwrap_or_default();
                            let value = match parts.next() {
                                Some(v) => Some(self.expression(v)?),
                                None => None,
                            };
                            named.push((key, value));
                        } else {
                            positional.push(self.expression(inner)?);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Attribute { name, positional, named, span: sp })
    }

    pub(crate) fn statement_block(&self, pair: Pair<Rule>) -> PResult<Vec<Statement>> {
        match pair.into_inner().next() {
            Some(list) => self.statement_list(list),
            None => Ok(vec![]),
        }
    }

    pub(crate) fn statement_list(&self, pair: Pair<Rule>) -> PResult<Vec<Statement>> {
        pair.into_inner().filter(|p| p.as_rule() == Rule::statement).map(|p| self.statement(p)).collect()
    }

    pub(crate) fn statement(&self, pair: Pair<Rule>) -> PResult<Statement> {
        let sp = span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            return Ok(Statement { kind: StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }), span: sp });
        };
        self.statement_inner(inner)
    }

    /// A statement from the rule that makes it (also used for `$x = if ...`).
    pub(crate) fn statement_inner(&self, inner: Pair<Rule>) -> PResult<Statement> {
        let sp = span(&inner);
        if inner.as_rule() == Rule::unsupported_stmt
            && let Some(using) = self.using_stmt(inner.as_str(), sp)?
        {
            return Ok(using);
        }
        self.statements.set(self.statements.get() + 1);
        let kind = match inner.as_rule() {
            Rule::if_stmt => self.if_stmt(inner)?,
            Rule::labeled_stmt => return self.labeled_stmt(inner),
            Rule::function_stmt => self.function_stmt(inner)?,
            Rule::trap_stmt => self.trap_stmt(inner)?,
            Rule::try_stmt => self.try_stmt(inner)?,
            Rule::unsupported_stmt => return Err(self.unsupported(inner)),
            Rule::data_stmt => {
                let mut name = None;
                let mut body = vec![];
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::label_name => name = Some(VarRef::new(p.as_str(), VarScope::Any)),
                        Rule::statement_block => body = self.statement_block(p)?,
                        _ => {}
                    }
                }
                StatementKind::Data { name, body }
            }
            Rule::flow_stmt => match inner.into_inner().next() {
                Some(flow) => self.flow_stmt(flow)?,
                None => StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }),
            },
            Rule::pipeline_stmt => return self.pipeline_stmt(inner),
            Rule::statement => return self.statement(inner),
            _ => StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }),
        };
        Ok(Statement { kind, span: sp })
    }

    /// `using namespace System.Text`: the namespace joins the ones type
    /// names are tried in, and the statement does nothing when run. Only
    /// before any other statement, as PowerShell requires; `using module`
    /// and `using assembly` are refused by name. `None`: not a `using`.
    fn using_stmt(&self, text: &str, sp: Span) -> PResult<Option<Statement>> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if !words.first().is_some_and(|w| w.eq_ignore_ascii_case("using")) {
            return Ok(None);
        }
        if self.statements.get() > 0 {
            return Err(error(
                "A 'using' statement must appear before any other statements in a script.",
                "UsingMustBeAtStartOfScript",
                sp,
            ));
        }
        match words.as_slice() {
            [_, kind, name] if kind.eq_ignore_ascii_case("namespace") => {
                self.namespaces.borrow_mut().push(std::rc::Rc::from(name.trim_end_matches(';')));
                Ok(Some(Statement { kind: StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }), span: sp }))
            }
            [_, kind, ..] if kind.eq_ignore_ascii_case("module") || kind.eq_ignore_ascii_case("assembly") => {
                Err(error(
                    format!(
                        "The 'using {}' statement is not supported by mailsh: it loads no modules or assemblies.",
                        kind.to_ascii_lowercase()
                    ),
                    "UsingNotSupported",
                    sp,
                ))
            }
            _ => Err(error("The 'using' statement is not valid: write 'using namespace Name'.", "UsingInvalid", sp)),
        }
    }

    fn unsupported(&self, pair: Pair<Rule>) -> super::super::diagnose::ParseError {
        let kw = pair.into_inner().next();
        let (word, sp) = match &kw {
            Some(k) => (k.as_str().to_string(), span(k)),
            None => (String::new(), Span::default()),
        };
        match word.to_ascii_lowercase().as_str() {
            "from" | "define" | "var" => error(
                format!("The '{word}' keyword is not supported in this version of the language."),
                "ReservedKeywordNotAllowed",
                sp,
            ),
            "until" | "in" | "else" | "elseif" | "catch" | "finally" | "param" | "begin" | "process" | "end" => {
                error(format!("Unexpected token '{word}' in expression or statement."), "UnexpectedToken", sp)
            }
            _ => error(
                format!(
                    "The '{word}' keyword is not supported by mailsh; this script uses a part of the PowerShell language that mailsh does not run."
                ),
                "KeywordNotSupportedByMailsh",
                sp,
            ),
        }
    }

    fn condition(&self, pair: Pair<Rule>) -> PResult<Box<Statement>> {
        let sp = span(&pair);
        match pair.into_inner().next() {
            Some(p) => Ok(Box::new(self.pipeline_stmt(p)?)),
            None => Ok(Box::new(Statement {
                kind: StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }),
                span: sp,
            })),
        }
    }

    fn if_stmt(&self, pair: Pair<Rule>) -> PResult<StatementKind> {
        let mut clauses = Vec::new();
        let mut otherwise = None;
        let mut pending: Option<Box<Statement>> = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::condition => pending = Some(self.condition(p)?),
                Rule::statement_block => {
                    if let Some(c) = pending.take() {
                        clauses.push((c, self.statement_block(p)?));
                    }
                }
                Rule::elseif_clause => {
                    let mut cond = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::condition => cond = Some(self.condition(q)?),
                            Rule::statement_block => {
                                if let Some(c) = cond.take() {
                                    clauses.push((c, self.statement_block(q)?));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::else_clause => {
                    if let Some(b) = p.into_inner().find(|q| q.as_rule() == Rule::statement_block) {
                        otherwise = Some(self.statement_block(b)?);
                    }
                }
                _ => {}
            }
        }
        Ok(StatementKind::If { clauses, otherwise })
    }

    fn labeled_stmt(&self, pair: Pair<Rule>) -> PResult<Statement> {
        let sp = span(&pair);
        let mut label: Option<Rc<str>> = None;
        for p in pair.into_inner() {
            let kind = match p.as_rule() {
                Rule::label => {
                    label = Some(Rc::from(p.as_str().trim_start_matches(':')));
                    continue;
                }
                Rule::switch_stmt => self.switch_stmt(p, label.take())?,
                Rule::foreach_stmt => self.foreach_stmt(p, label.take())?,
                Rule::for_stmt => self.for_stmt(p, label.take())?,
                Rule::while_stmt => {
                    let mut condition = None;
                    let mut body = vec![];
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::condition => condition = Some(self.condition(q)?),
                            Rule::statement_block => body = self.statement_block(q)?,
                            _ => {}
                        }
                    }
                    let condition = condition.ok_or_else(|| missing_condition("while", sp))?;
                    StatementKind::While { label: label.take(), condition, body }
                }
                Rule::do_stmt => {
                    let mut condition = None;
                    let mut body = vec![];
                    let mut until = false;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::condition => condition = Some(self.condition(q)?),
                            Rule::statement_block => body = self.statement_block(q)?,
                            Rule::do_until => until = true,
                            _ => {}
                        }
                    }
                    let condition = condition.ok_or_else(|| missing_condition("do", sp))?;
                    StatementKind::Do { label: label.take(), body, condition, until }
                }
                _ => continue,
            };
            return Ok(Statement { kind, span: sp });
        }
        Err(error("Unexpected token in expression or statement.", "UnexpectedToken", sp))
    }

    fn foreach_stmt(&self, pair: Pair<Rule>, label: Option<Rc<str>>) -> PResult<StatementKind> {
        let sp = span(&pair);
        let mut variable = None;
        let mut collection = None;
        let mut body = vec![];
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::foreach_flag => {
                    return Err(error(
                        format!(
                            "The foreach '{}' parameter is only allowed in a workflow, which mailsh does not run.",
                            p.as_str()
                        ),
                        "ParallelNotSupported",
                        span(&p),
                    ));
                }
                Rule::variable => variable = Some(self.variable_ref(p)?),
                Rule::pipeline_stmt => collection = Some(Box::new(self.pipeline_stmt(p)?)),
                Rule::statement_block => body = self.statement_block(p)?,
                _ => {}
            }
        }
        let (Some(variable), Some(collection)) = (variable, collection) else {
            return Err(error("Missing expression after 'in' in loop.", "MissingForeachExpression", sp));
        };
        Ok(StatementKind::Foreach { label, variable, collection, body })
    }

    fn for_stmt(&self, pair: Pair<Rule>, label: Option<Rc<str>>) -> PResult<StatementKind> {
        let mut init = None;
        let mut condition = None;
        let mut iterator = None;
        let mut body = vec![];
        for p in pair.into_inner() {
            let part = |b: &Self, p: Pair<Rule>| -> PResult<Option<Box<Statement>>> {
                match p.into_inner().next() {
                    Some(s) => Ok(Some(Box::new(b.pipeline_stmt(s)?))),
                    None => Ok(None),
                }
            };
            match p.as_rule() {
                Rule::for_init => init = part(self, p)?,
                Rule::for_cond => condition = part(self, p)?,
                Rule::for_iter => iterator = part(self, p)?,
                Rule::statement_block => body = self.statement_block(p)?,
                _ => {}
            }
        }
        Ok(StatementKind::For { label, init, condition, iterator, body })
    }

    fn switch_stmt(&self, pair: Pair<Rule>, label: Option<Rc<str>>) -> PResult<StatementKind> {
        let sp = span(&pair);
        let mut mode = SwitchMode::Exact;
        let mut case_sensitive = false;
        let mut file = false;
        let mut input = None;
        let mut clauses = Vec::new();
        let mut default = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::switch_option => {
                    let word = p.as_str().trim_start_matches(['-', '\u{2013}', '\u{2014}', '\u{2015}']).to_lowercase();
                    let pick = |full: &str| full.starts_with(&word);
                    if pick("regex") {
                        mode = SwitchMode::Regex;
                    } else if pick("wildcard") {
                        mode = SwitchMode::Wildcard;
                    } else if pick("exact") {
                        mode = SwitchMode::Exact;
                    } else if pick("casesensitive") {
                        case_sensitive = true;
                    } else if pick("file") {
                        file = true;
                    } else if pick("parallel") {
                        return Err(error(
                            "The switch '-Parallel' parameter is only allowed in a workflow, which mailsh does not run.",
                            "ParallelNotSupported",
                            span(&p),
                        ));
                    } else {
                        return Err(error(
                            format!("Invalid switch statement parameter '{}'.", p.as_str()),
                            "InvalidSwitchFlag",
                            span(&p),
                        ));
                    }
                }
                Rule::condition => input = Some(SwitchInput::Value(self.condition(p)?)),
                Rule::switch_file => {
                    let arg = p.into_inner().next();
                    if let Some(a) = arg {
                        input = Some(SwitchInput::File(self.argument(a)?));
                    }
                }
                Rule::switch_body => {
                    for clause in p.into_inner().filter(|c| c.as_rule() == Rule::switch_clause) {
                        let mut parts = clause.into_inner();
                        let (Some(test), Some(body)) = (parts.next(), parts.next()) else { continue };
                        let body = self.statement_block(body)?;
                        let inner = test.into_inner().next();
                        match inner {
                            Some(t) if t.as_rule() == Rule::default_kw => {
                                if default.is_some() {
                                    return Err(error(
                                        "The switch statement has multiple default clauses.",
                                        "MultipleSwitchDefault",
                                        span(&t),
                                    ));
                                }
                                default = Some(body);
                            }
                            Some(t) => {
                                let test = match t.as_rule() {
                                    Rule::bareword => self.bareword(t)?,
                                    _ => self.expression(t)?,
                                };
                                clauses.push(SwitchClause { test, body });
                            }
                            None => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let input = match input {
            Some(SwitchInput::File(e)) if file => SwitchInput::File(e),
            Some(SwitchInput::File(_)) | None => {
                return Err(error(
                    "Missing condition in switch statement clause.",
                    "MissingSwitchConditionExpression",
                    sp,
                ));
            }
            Some(v) => v,
        };
        Ok(StatementKind::Switch(Box::new(SwitchStatement { label, mode, case_sensitive, input, clauses, default })))
    }

    fn function_stmt(&self, pair: Pair<Rule>) -> PResult<StatementKind> {
        let sp = span(&pair);
        let mut is_filter = false;
        let mut name = String::new();
        let mut paren_params = None;
        let mut body = None;
        let text = pair.as_str();
        let body_text = match (text.find('{'), text.rfind('}')) {
            (Some(a), Some(b)) if a < b => text[a + 1..b].to_string(),
            _ => String::new(),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::function_kw => is_filter = p.as_str().eq_ignore_ascii_case("filter"),
                Rule::function_name => name = p.as_str().to_string(),
                Rule::function_params => {
                    let sp = span(&p);
                    let params = match p.into_inner().next() {
                        Some(list) => self.param_list(list)?,
                        None => vec![],
                    };
                    paren_params = Some(ParamBlock { attributes: vec![], params, span: sp });
                }
                Rule::block_body => body = Some(self.block_body(p, body_text.clone(), sp)?),
                _ => {}
            }
        }
        let mut body = body.unwrap_or_else(|| ScriptBlock::empty(body_text, sp));
        if let Some(pp) = paren_params {
            if body.params.is_some() {
                return Err(error(
                    "A parameter list cannot be given both after the function name and in a param() block.",
                    "OnlyOneParameterListAllowed",
                    sp,
                ));
            }
            body.params = Some(pp);
        }
        Ok(StatementKind::Function(Rc::new(FunctionDef {
            name: name.into(),
            is_filter,
            body: Rc::new(body),
            span: sp,
        })))
    }

    fn try_stmt(&self, pair: Pair<Rule>) -> PResult<StatementKind> {
        let sp = span(&pair);
        let mut body = vec![];
        let mut catches = Vec::new();
        let mut finally = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::statement_block => body = self.statement_block(p)?,
                Rule::catch_clause => {
                    let csp = span(&p);
                    let mut types = Vec::new();
                    let mut cbody = vec![];
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::type_literal => types.push(self.type_literal(q)),
                            Rule::statement_block => cbody = self.statement_block(q)?,
                            _ => {}
                        }
                    }
                    if catches.iter().any(|c: &CatchClause| c.types.is_empty()) {
                        return Err(error(
                            "The catch block that catches every exception must be the last one.",
                            "EmptyCatchNotLast",
                            csp,
                        ));
                    }
                    catches.push(CatchClause { types, body: cbody, span: csp });
                }
                Rule::finally_clause => {
                    if let Some(b) = p.into_inner().find(|q| q.as_rule() == Rule::statement_block) {
                        finally = Some(self.statement_block(b)?);
                    }
                }
                _ => {}
            }
        }
        if catches.is_empty() && finally.is_none() {
            return Err(error(
                "The Try statement is missing its Catch or Finally block.",
                "MissingCatchOrFinally",
                Span::new(sp.end, sp.end),
            ));
        }
        Ok(StatementKind::Try { body, catches, finally })
    }

    fn trap_stmt(&self, pair: Pair<Rule>) -> PResult<StatementKind> {
        let mut types = Vec::new();
        let mut body = vec![];
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::type_literal => types.push(self.type_literal(p)),
                Rule::statement_block => body = self.statement_block(p)?,
                _ => {}
            }
        }
        Ok(StatementKind::Trap { types, body: Rc::new(body) })
    }

    fn flow_stmt(&self, pair: Pair<Rule>) -> PResult<StatementKind> {
        let rule = pair.as_rule();
        let mut label = None;
        let mut pipeline = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::flow_label => {
                    if let Some(inner) = p.into_inner().next() {
                        label = Some(Box::new(match inner.as_rule() {
                            Rule::label_name => Expr::str(inner.as_str(), span(&inner)),
                            _ => self.expression(inner)?,
                        }));
                    }
                }
                Rule::pipeline_stmt => pipeline = Some(self.pipeline_of(p)?),
                _ => {}
            }
        }
        Ok(match rule {
            Rule::break_stmt => StatementKind::Break(label),
            Rule::continue_stmt => StatementKind::Continue(label),
            Rule::return_stmt => StatementKind::Return(pipeline),
            Rule::throw_stmt => StatementKind::Throw(pipeline),
            _ => StatementKind::Exit(pipeline),
        })
    }

    /// A pipeline where only a pipeline may stand (return, throw, exit).
    fn pipeline_of(&self, pair: Pair<Rule>) -> PResult<Pipeline> {
        let sp = span(&pair);
        let st = self.pipeline_stmt(pair)?;
        match st.kind {
            StatementKind::Pipeline(p) => Ok(p),
            other => {
                // `return $x = 1`: the assignment runs, nothing is returned.
                let statement = Statement { kind: other, span: sp };
                let expr = Expr::new(ExprKind::SubExpr(vec![statement]), sp);
                Ok(Pipeline { elements: vec![PipelineElement::Expression { expr, redirections: vec![] }], span: sp })
            }
        }
    }

    /// A pipeline, or an assignment when `=` follows the head expression.
    pub(crate) fn pipeline_stmt(&self, pair: Pair<Rule>) -> PResult<Statement> {
        let sp = span(&pair);
        let mut parts = pair.into_inner();
        let Some(head) = parts.next() else {
            return Ok(Statement { kind: StatementKind::Pipeline(Pipeline { elements: vec![], span: sp }), span: sp });
        };
        let tail = match parts.next() {
            Some(t) if t.as_rule() == Rule::assign_tail => return self.assignment(head, t, sp),
            other => other,
        };
        let mut elements = vec![match head.as_rule() {
            Rule::expression_element => self.expression_element(head)?,
            _ => PipelineElement::Command(self.command(head)?),
        }];
        if let Some(rest) = tail {
            for c in rest.into_inner().filter(|c| c.as_rule() == Rule::command) {
                elements.push(PipelineElement::Command(self.command(c)?));
            }
        }
        Ok(Statement { kind: StatementKind::Pipeline(Pipeline { elements, span: sp }), span: sp })
    }

    fn assignment(&self, head: Pair<Rule>, tail: Pair<Rule>, sp: Span) -> PResult<Statement> {
        let head_span = span(&head);
        let mut inner = head.into_inner();
        let expr_pair = inner.next();
        if inner.next().is_some() {
            return Err(invalid_assignment(head_span));
        }
        let Some(expr_pair) = expr_pair else { return Err(invalid_assignment(head_span)) };
        let lhs = self.expression(expr_pair)?;
        let targets = match lhs.kind {
            ExprKind::Array(items) => items.into_iter().map(assign_target).collect::<PResult<Vec<_>>>()?,
            _ => vec![assign_target(lhs)?],
        };
        let mut tparts = tail.into_inner();
        let op = match tparts.next().map(|o| o.as_str().to_string()).as_deref() {
            Some("+=") => AssignOp::Add,
            Some("-=") | Some("\u{2013}=") => AssignOp::Subtract,
            Some("*=") => AssignOp::Multiply,
            Some("/=") => AssignOp::Divide,
            Some("%=") => AssignOp::Modulo,
            _ => AssignOp::Set,
        };
        if targets.len() > 1 && op != AssignOp::Set {
            return Err(invalid_assignment(head_span));
        }
        let value = match tparts.next().and_then(|v| v.into_inner().next()) {
            Some(v) => self.statement_inner(v)?,
            None => {
                return Err(error(
                    "You must provide a value expression following the '=' operator.",
                    "ExpectedValueExpression",
                    Span::new(sp.end, sp.end),
                ));
            }
        };
        Ok(Statement { kind: StatementKind::Assignment(Assignment { targets, op, value: Box::new(value) }), span: sp })
    }
}

/// What may stand left of `=`: a variable, a property, an index, each with
/// type constraints (`[int]$x`).
fn assign_target(mut e: Expr) -> PResult<AssignTarget> {
    let mut types = Vec::new();
    let mut attributes = Vec::new();
    loop {
        match e.kind {
            ExprKind::Cast(t, inner) => {
                types.push(t);
                e = *inner;
            }
            ExprKind::Attributed(a, inner) => {
                attributes.push(a);
                e = *inner;
            }
            ExprKind::Variable(_) => return Ok(AssignTarget { attributes, types, target: e }),
            ExprKind::Index { .. } | ExprKind::Member { call: None, .. } if attributes.is_empty() => {
                if matches!(e.kind, ExprKind::Member { .. }) && !types.is_empty() {
                    return Err(invalid_assignment(e.span));
                }
                return Ok(AssignTarget { attributes, types, target: e });
            }
            _ => return Err(invalid_assignment(e.span)),
        }
    }
}

fn invalid_assignment(span: Span) -> super::super::diagnose::ParseError {
    error(
        "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
        "InvalidLeftHandSide",
        span,
    )
}

fn missing_condition(keyword: &str, span: Span) -> super::super::diagnose::ParseError {
    error(format!("Missing condition in {keyword} statement."), "MissingCondition", span)
}
