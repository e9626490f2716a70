//! The grammar on the constructs admins type, and every command line of the
//! seeds exactly as written there.

use super::*;

fn parses(src: &str) -> Script {
    parse_script(src).unwrap_or_else(|e| panic!("{src:?} did not parse: {e:?}"))
}

#[test]
fn arithmetic_keeps_each_operator() {
    let s = parses("2 + 3 * 4 - 1 / 2 % 3");
    let StatementKind::Pipeline(p) = &s.body()[0].kind else { panic!() };
    let PipelineElement::Expression { expr, .. } = &p.elements[0] else { panic!() };
    let ExprKind::Binary { rest, .. } = &expr.kind else { panic!("{expr:?}") };
    let ops: Vec<BinaryOp> = rest.iter().map(|(op, _)| *op).collect();
    assert_eq!(ops, vec![BinaryOp::Add, BinaryOp::Subtract]);
}
