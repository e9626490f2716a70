//! Expressions: the precedence levels, unary and postfix operators, and the
//! primary expressions (numbers, collections, script blocks, type literals).

use std::rc::Rc;

use pest::iterators::Pair;

use super::{Builder, PResult, Rule, error, span};
use crate::language::ast::*;

impl Builder {
    /// Any expression rule, at any level.
    pub(crate) fn expression(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        match pair.as_rule() {
            Rule::expression | Rule::arg_expression => match pair.into_inner().next() {
                Some(inner) => self.expression(inner),
                None => Ok(Expr::str("", sp)),
            },
            Rule::logical
            | Rule::bitwise
            | Rule::comparison
            | Rule::additive
            | Rule::multiplicative
            | Rule::format_expr
            | Rule::range_expr
            | Rule::logical_nc
            | Rule::bitwise_nc
            | Rule::comparison_nc
            | Rule::additive_nc
            | Rule::multiplicative_nc
            | Rule::format_nc
            | Rule::range_nc => self.binary_level(pair),
            Rule::array_literal => {
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    items.push(self.expression(p)?);
                }
                if items.len() == 1 {
                    Ok(items.pop().unwrap_or_else(|| Expr::str("", sp)))
                } else {
                    Ok(Expr::new(ExprKind::Array(items), sp))
                }
            }
            Rule::unary => self.unary(pair),
            Rule::postfix_expr | Rule::primary_postfix => self.postfix(pair),
            Rule::signed_number => self.signed_number(pair),
            Rule::expression_element => match pair.into_inner().next() {
                Some(e) => self.expression(e),
                None => Ok(Expr::str("", sp)),
            },
            _ => self.primary(pair),
        }
    }

    /// `operand (op operand)*` of one precedence level, kept flat.
    fn binary_level(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else { return Ok(Expr::str("", sp)) };
        let first = self.expression(first)?;
        let mut rest = Vec::new();
        while let Some(op) = inner.next() {
            let operator = binary_op(op.as_str()).ok_or_else(|| {
                error(
                    format!("Unexpected token '{}' in expression or statement.", op.as_str()),
                    "UnexpectedToken",
                    span(&op),
                )
            })?;
            let Some(rhs) = inner.next() else {
                return Err(error(
                    format!("You must provide a value expression following the '{}' operator.", op.as_str()),
                    "ExpectedValueExpression",
                    span(&op),
                ));
            };
            rest.push((operator, self.expression(rhs)?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Expr::new(ExprKind::Binary { first: Box::new(first), rest }, sp))
    }

    fn unary(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else { return Ok(Expr::str("", sp)) };
        match first.as_rule() {
            Rule::unary_op => {
                let op = match first.as_str().trim_start_matches(['-', '\u{2013}', '\u{2014}', '\u{2015}']) {
                    "!" => UnaryOp::Not,
                    "," => UnaryOp::Comma,
                    "+" => UnaryOp::Plus,
                    "" => UnaryOp::Negate,
                    w => match w.to_ascii_lowercase().as_str() {
                        "not" => UnaryOp::Not,
                        "bnot" => UnaryOp::BitNot,
                        "split" => UnaryOp::Split,
                        "join" => UnaryOp::Join,
                        _ => UnaryOp::Negate,
                    },
                };
                let operand = self.operand_of(inner.next(), first.as_str(), sp)?;
                Ok(Expr::new(ExprKind::Unary(op, Box::new(operand)), sp))
            }
            Rule::pre_incdec => {
                let operand = self.operand_of(inner.next(), first.as_str(), sp)?;
                let increment = first.as_str() == "++";
                Ok(Expr::new(ExprKind::IncDec { target: Box::new(operand), increment, prefix: true }, sp))
            }
            Rule::cast => {
                let ty = match first.into_inner().next() {
                    Some(a) if a.as_rule() == Rule::attribute => {
                        let attribute = self.attribute(a)?;
                        let operand = self.operand_of(inner.next(), "]", sp)?;
                        return Ok(Expr::new(ExprKind::Attributed(attribute, Box::new(operand)), sp));
                    }
                    Some(t) => self.type_literal(t),
                    None => return Ok(Expr::str("", sp)),
                };
                let operand = self.operand_of(inner.next(), "]", sp)?;
                Ok(Expr::new(ExprKind::Cast(ty, Box::new(operand)), sp))
            }
            _ => self.expression(first),
        }
    }

    fn operand_of(&self, pair: Option<Pair<Rule>>, op: &str, sp: Span) -> PResult<Expr> {
        match pair {
            Some(p) => self.expression(p),
            None => Err(error(
                format!("Missing expression after unary operator '{op}'."),
                "MissingExpressionAfterOperator",
                sp,
            )),
        }
    }

    pub(crate) fn postfix(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else { return Ok(Expr::str("", Span::default())) };
        let mut e = self.primary(first)?;
        for post in inner {
            let sp = Span::new(e.span.start, post.as_span().end());
            match post.as_rule() {
                Rule::member_access | Rule::static_access => {
                    let is_static = post.as_rule() == Rule::static_access;
                    let mut parts = post.into_inner();
                    let name = match parts.next().and_then(|m| m.into_inner().next()) {
                        Some(n) if n.as_rule() == Rule::member_ident => {
                            MemberName::Name(Rc::from(n.as_str()), Rc::from(n.as_str().to_lowercase().as_str()))
                        }
                        Some(n) => match self.primary(n)? {
                            Expr { kind: ExprKind::Str(s), .. } => {
                                MemberName::Name(s.clone(), Rc::from(s.to_lowercase().as_str()))
                            }
                            other => MemberName::Dynamic(Box::new(other)),
                        },
                        None => MemberName::Name(Rc::from(""), Rc::from("")),
                    };
                    let call = match parts.next() {
                        Some(args) => {
                            let mut list = Vec::new();
                            for a in args.into_inner() {
                                list.push(self.expression(a)?);
                            }
                            Some(list)
                        }
                        None => None,
                    };
                    e = Expr::new(ExprKind::Member { target: Box::new(e), name, call, is_static }, sp);
                }
                Rule::index_access => {
                    let Some(idx) = post.into_inner().next() else {
                        return Err(error(
                            "Array index expression is missing or not valid.",
                            "MissingArrayIndexExpression",
                            sp,
                        ));
                    };
                    let idx = self.expression(idx)?;
                    e = Expr::new(ExprKind::Index { target: Box::new(e), index: Box::new(idx) }, sp);
                }
                Rule::post_incdec => {
                    let increment = post.as_str() == "++";
                    e = Expr::new(ExprKind::IncDec { target: Box::new(e), increment, prefix: false }, sp);
                }
                _ => {}
            }
        }
        Ok(e)
    }

    pub(crate) fn primary(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let kind = match pair.as_rule() {
            Rule::number => return self.number(pair.as_str(), sp),
            Rule::signed_number => return self.signed_number(pair),
            Rule::literal_string | Rule::expandable_string | Rule::here_expandable | Rule::here_literal => {
                return self.string(pair);
            }
            Rule::variable => ExprKind::Variable(self.variable_ref(pair)?),
            Rule::sub_expression => ExprKind::SubExpr(self.inner_statements(pair)?),
            Rule::array_expression => ExprKind::ArrayExpr(self.inner_statements(pair)?),
            Rule::paren_expression => match pair.into_inner().next() {
                Some(st) => ExprKind::Paren(Box::new(self.pipeline_stmt(st)?)),
                None => return Err(error("An expression was expected after '('.", "ExpectedExpression", sp)),
            },
            Rule::script_block => {
                let raw = pair.as_str();
                let text = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("").to_string();
                let block = match pair.into_inner().next() {
                    Some(body) => self.block_body(body, text, sp)?,
                    None => ScriptBlock::empty(text, sp),
                };
                ExprKind::ScriptBlock(Rc::new(block))
            }
            Rule::hashtable => {
                let mut entries = Vec::new();
                let mut seen: Vec<String> = Vec::new();
                for entry in pair.into_inner().filter(|p| p.as_rule() == Rule::hash_entry) {
                    let mut parts = entry.into_inner();
                    let (Some(key), Some(value)) = (parts.next(), parts.next()) else { continue };
                    let key = match key.into_inner().next() {
                        Some(k) if k.as_rule() == Rule::hash_key_word => Expr::str(k.as_str(), span(&k)),
                        Some(k) => self.expression(k)?,
                        None => Expr::str("", sp),
                    };
                    if let ExprKind::Str(text) = &key.kind {
                        let lower = text.to_lowercase();
                        if seen.contains(&lower) {
                            return Err(error(
                                format!("Duplicate keys '{text}' are not allowed in hash literals."),
                                "DuplicateKeyInHashLiteral",
                                key.span,
                            ));
                        }
                        seen.push(lower);
                    }
                    entries.push((key, self.statement(value)?));
                }
                ExprKind::Hashtable(entries)
            }
            Rule::type_literal => ExprKind::TypeLiteral(self.type_literal(pair)),
            Rule::postfix_expr | Rule::primary_postfix => return self.postfix(pair),
            _ => return self.expression(pair),
        };
        Ok(Expr::new(kind, sp))
    }

    fn inner_statements(&self, pair: Pair<Rule>) -> PResult<Vec<Statement>> {
        match pair.into_inner().find(|p| p.as_rule() == Rule::statement_list) {
            Some(list) => self.statement_list(list),
            None => Ok(vec![]),
        }
    }

    pub(crate) fn signed_number(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        let text = pair.as_str();
        let negative = text.starts_with(['-', '\u{2013}', '\u{2014}', '\u{2015}']);
        let digits = text.trim_start_matches(['-', '\u{2013}', '\u{2014}', '\u{2015}']);
        let e = self.number(digits, sp)?;
        if !negative {
            return Ok(e);
        }
        Ok(match e.kind {
            ExprKind::Number(n) => Expr::new(ExprKind::Number(negate(n)), sp),
            other => Expr::new(ExprKind::Unary(UnaryOp::Negate, Box::new(Expr::new(other, sp))), sp),
        })
    }

    /// A numeric literal with PowerShell's typing: Int32 if it fits, else
    /// Int64, else Decimal, else Double; `L` long, `D` decimal, `KB`.. multiply.
    pub(crate) fn number(&self, text: &str, sp: Span) -> PResult<Expr> {
        let lower = text.to_ascii_lowercase();
        let (body, factor) = split_multiplier(&lower);
        let (body, suffix) = match body.as_bytes().last() {
            Some(b'l') if !body.starts_with("0x") || body.len() > 2 => (&body[..body.len() - 1], Some('l')),
            Some(b'd') if !body.starts_with("0x") => (&body[..body.len() - 1], Some('d')),
            _ => (body, None),
        };
        let bad = || error(format!("The numeric constant {text} is not valid."), "BadNumericConstant", sp);
        let number = if let Some(hex) = body.strip_prefix("0x") {
            let v = u64::from_str_radix(hex, 16).map_err(|_| bad())?;
            // Hex literals keep their bit pattern: 0xFFFFFFFF is -1 as an Int32.
            let n = if v <= u32::MAX as u64 && suffix != Some('l') {
                Number::Int(v as u32 as i32)
            } else {
                Number::Long(v as i64)
            };
            scale(n, factor).ok_or_else(bad)?
        } else if suffix == Some('d') {
            let (mantissa, scale_digits) = decimal_digits(body).ok_or_else(bad)?;
            let m = mantissa.checked_mul(factor as i128).ok_or_else(bad)?;
            Number::Decimal(m, scale_digits)
        } else if body.contains(['.', 'e']) {
            let f: f64 = body.parse().map_err(|_| bad())?;
            let v = f * factor as f64;
            if suffix == Some('l') {
                if v.fract() != 0.0 || v.abs() > i64::MAX as f64 {
                    return Err(bad());
                }
                Number::Long(v as i64)
            } else {
                Number::Double(v)
            }
        } else {
            match body.parse::<i64>() {
                Ok(n) => {
                    let n = n.checked_mul(factor).ok_or_else(bad)?;
                    if suffix == Some('l') || i32::try_from(n).is_err() {
                        Number::Long(n)
                    } else {
                        Number::Int(n as i32)
                    }
                }
                Err(_) if suffix == Some('l') => return Err(bad()),
                Err(_) => match body.parse::<i128>() {
                    Ok(n) if n.checked_mul(factor as i128).is_some_and(|v| v.abs() < 10i128.pow(28)) => {
                        Number::Decimal(n * factor as i128, 0)
                    }
                    _ => Number::Double(body.parse::<f64>().map_err(|_| bad())? * factor as f64),
                },
            }
        };
        Ok(Expr::new(ExprKind::Number(number), sp))
    }

    pub(crate) fn type_literal(&self, pair: Pair<Rule>) -> TypeName {
        let sp = span(&pair);
        match pair.into_inner().next() {
            // Errors about the type mark it with its brackets, as PowerShell does.
            Some(spec) => TypeName { span: sp, namespaces: self.namespaces(), ..type_spec(spec) },
            None => {
                TypeName { name: String::new(), generic_args: vec![], array_ranks: vec![], span: sp, namespaces: None }
            }
        }
    }
}

fn type_spec(pair: Pair<Rule>) -> TypeName {
    let sp = span(&pair);
    let mut t = TypeName { name: String::new(), generic_args: vec![], array_ranks: vec![], span: sp, namespaces: None };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::type_name => t.name = p.as_str().to_string(),
            Rule::type_generic => {
                for arg in p.into_inner() {
                    if let Some(spec) = arg.into_inner().next() {
                        t.generic_args.push(type_spec(spec));
                    }
                }
            }
            Rule::type_array => t.array_ranks.push(p.as_str().matches(',').count() as u8 + 1),
            _ => {}
        }
    }
    t
}

fn split_multiplier(text: &str) -> (&str, i64) {
    for (suffix, factor) in [("kb", 1i64 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("tb", 1 << 40), ("pb", 1 << 50)] {
        if let Some(body) = text.strip_suffix(suffix) {
            return (body, factor);
        }
    }
    (text, 1)
}

fn scale(n: Number, factor: i64) -> Option<Number> {
    if factor == 1 {
        return Some(n);
    }
    let v = match n {
        Number::Int(i) => (i as i64).checked_mul(factor)?,
        Number::Long(l) => l.checked_mul(factor)?,
        other => return Some(other),
    };
    Some(if let Ok(i) = i32::try_from(v) { Number::Int(i) } else { Number::Long(v) })
}

/// `12.50` as mantissa 1250 and scale 2.
fn decimal_digits(text: &str) -> Option<(i128, u32)> {
    if text.contains('e') {
        let f: f64 = text.parse().ok()?;
        let s = format!("{f}");
        return decimal_digits(&s);
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{int}{frac}");
    let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    Some((mantissa, frac.len() as u32))
}

fn negate(n: Number) -> Number {
    match n {
        Number::Int(i) => i.checked_neg().map(Number::Int).unwrap_or(Number::Long(-(i as i64))),
        Number::Long(l) => l.checked_neg().map(Number::Long).unwrap_or(Number::Double(-(l as f64))),
        Number::Double(f) => Number::Double(-f),
        Number::Decimal(m, s) => Number::Decimal(-m, s),
    }
}

/// The operator a token names; `None` for a token that is not one.
fn binary_op(text: &str) -> Option<BinaryOp> {
    let word = text.trim_start_matches(['-', '\u{2013}', '\u{2014}', '\u{2015}']).to_ascii_lowercase();
    let plain = match word.as_str() {
        "+" => Some(BinaryOp::Add),
        "" => Some(BinaryOp::Subtract),
        "*" => Some(BinaryOp::Multiply),
        "/" => Some(BinaryOp::Divide),
        "%" => Some(BinaryOp::Modulo),
        ".." => Some(BinaryOp::Range),
        "f" => Some(BinaryOp::Format),
        "and" => Some(BinaryOp::And),
        "or" => Some(BinaryOp::Or),
        "xor" => Some(BinaryOp::Xor),
        "band" => Some(BinaryOp::BitAnd),
        "bor" => Some(BinaryOp::BitOr),
        "bxor" => Some(BinaryOp::BitXor),
        "is" => Some(BinaryOp::Is),
        "isnot" => Some(BinaryOp::IsNot),
        "as" => Some(BinaryOp::As),
        "join" => Some(BinaryOp::Join),
        "shl" => Some(BinaryOp::ShiftLeft),
        "shr" => Some(BinaryOp::ShiftRight),
        _ => None,
    };
    if plain.is_some() {
        return plain;
    }
    let (case, base) = match word.as_bytes().first() {
        Some(b'c') if is_comparison(&word[1..]) => (Case::Sensitive, &word[1..]),
        Some(b'i') if is_comparison(&word[1..]) => (Case::Insensitive, &word[1..]),
        _ => (Case::Default, word.as_str()),
    };
    let cmp = |op| Some(BinaryOp::Compare(op, case));
    match base {
        "eq" => cmp(CompareOp::Eq),
        "ne" => cmp(CompareOp::Ne),
        "gt" => cmp(CompareOp::Gt),
        "ge" => cmp(CompareOp::Ge),
        "lt" => cmp(CompareOp::Lt),
        "le" => cmp(CompareOp::Le),
        "like" => cmp(CompareOp::Like),
        "notlike" => cmp(CompareOp::NotLike),
        "match" => cmp(CompareOp::Match),
        "notmatch" => cmp(CompareOp::NotMatch),
        "contains" => cmp(CompareOp::Contains),
        "notcontains" => cmp(CompareOp::NotContains),
        "in" => cmp(CompareOp::In),
        "notin" => cmp(CompareOp::NotIn),
        "replace" => Some(BinaryOp::Replace(case)),
        "split" => Some(BinaryOp::Split(case)),
        _ => None,
    }
}

fn is_comparison(word: &str) -> bool {
    matches!(
        word,
        "eq" | "ne"
            | "gt"
            | "ge"
            | "lt"
            | "le"
            | "like"
            | "notlike"
            | "match"
            | "notmatch"
            | "contains"
            | "notcontains"
            | "in"
            | "notin"
            | "replace"
            | "split"
    )
}
