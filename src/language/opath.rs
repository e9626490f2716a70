//! OPATH filters, as Exchange's -Filter takes them:
//! `"ImapEnabled -eq $false -and Name -like 'J*'"`.

use pest::iterators::Pair;

use super::parse::{Rule, parse_rule};

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Compare { property: String, op: FilterOp, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    Eq,
    Ne,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Parses a filter, or returns the position (0-based) where it went wrong.
pub fn parse_filter(text: &str) -> Result<Filter, usize> {
    let mut pairs = parse_rule(Rule::opath, text).map_err(|e| match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    })?;
    let top = pairs.next().and_then(|p| p.into_inner().next()).ok_or(0usize)?;
    Ok(node(top))
}

fn node(pair: Pair<Rule>) -> Filter {
    match pair.as_rule() {
        Rule::opath_or => {
            let mut parts: Vec<Filter> = pair.into_inner().filter(|p| p.as_rule() != Rule::or_kw).map(node).collect();
            if parts.len() == 1 { parts.pop().unwrap_or(Filter::And(vec![])) } else { Filter::Or(parts) }
        }
        Rule::opath_and => {
            let mut parts: Vec<Filter> = pair.into_inner().filter(|p| p.as_rule() != Rule::and_kw).map(node).collect();
            if parts.len() == 1 { parts.pop().unwrap_or(Filter::And(vec![])) } else { Filter::And(parts) }
        }
        Rule::opath_not => {
            let negated = pair.as_str().trim_start().starts_with(['-', '\u{2013}']);
            let inner = pair.into_inner().next().map(node).unwrap_or(Filter::And(vec![]));
            if negated { Filter::Not(Box::new(inner)) } else { inner }
        }
        Rule::opath_cmp => {
            let mut parts = pair.into_inner();
            let property = parts.next().map(|p| p.as_str().to_string()).unwrap_or_default();
            // The operator's dash may be any of the dashes Word puts in a
            // pasted command (one to three bytes): skip it as a character.
            let op = match parts
                .next()
                .map(|p| p.as_str().chars().skip(1).collect::<String>().to_ascii_lowercase())
                .as_deref()
            {
                Some("ne") => FilterOp::Ne,
                Some("like") => FilterOp::Like,
                Some("notlike") => FilterOp::NotLike,
                Some("gt") => FilterOp::Gt,
                Some("ge") => FilterOp::Ge,
                Some("lt") => FilterOp::Lt,
                Some("le") => FilterOp::Le,
                _ => FilterOp::Eq,
            };
            let raw = parts.next().map(|p| p.as_str()).unwrap_or("");
            let value =
                if raw.len() >= 2 && (raw.starts_with(['\'', '"', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}'])) {
                    let mut chars = raw.chars();
                    chars.next();
                    chars.next_back();
                    chars.as_str().to_string()
                } else {
                    raw.to_string()
                };
            Filter::Compare { property, op, value }
        }
        _ => pair.into_inner().next().map(node).unwrap_or(Filter::And(vec![])),
    }
}

impl Filter {
    /// Every property the filter names, to check them against the object type.
    pub fn properties(&self) -> Vec<&str> {
        match self {
            Filter::And(v) | Filter::Or(v) => v.iter().flat_map(|f| f.properties()).collect(),
            Filter::Not(f) => f.properties(),
            Filter::Compare { property, .. } => vec![property.as_str()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_after_a_long_dash_is_read_not_cut_in_the_middle_of_a_character() {
        for dash in ['\u{2013}', '\u{2014}', '\u{2015}'] {
            let f = parse_filter(&format!("Name {dash}eq 'J'")).unwrap();
            assert_eq!(f, Filter::Compare { property: "Name".into(), op: FilterOp::Eq, value: "J".into() });
        }
        let f = parse_filter("Name\u{2014}ne \"J\"").unwrap();
        assert!(matches!(f, Filter::Compare { op: FilterOp::Ne, .. }));
    }

    #[test]
    fn the_reference_filter_parses() {
        let f = parse_filter("ImapEnabled -eq False").unwrap();
        assert_eq!(f, Filter::Compare { property: "ImapEnabled".into(), op: FilterOp::Eq, value: "False".into() });
        let f = parse_filter("ImapEnabled -eq $false -and Name -like 'J*'").unwrap();
        assert!(matches!(f, Filter::And(ref v) if v.len() == 2));
        assert!(parse_filter("ImapEnabled -eq").is_err());
        let f = parse_filter("-not (PopEnabled -eq $true) -or Name -eq x").unwrap();
        assert!(matches!(f, Filter::Or(ref v) if matches!(v[0], Filter::Not(_))));
    }
}
