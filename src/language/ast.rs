//! The typed syntax tree. It knows nothing of pest: `parse` builds it, the
//! runtime walks it, and every node keeps its span so errors can point at it.

use std::rc::Rc;

/// Byte offsets into the source text of one parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

#[derive(Debug, Clone)]
pub struct Script {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone)]
pub enum Statement {
    Pipeline(Pipeline),
    Assignment {
        variable: String,
        op: AssignOp,
        value: Pipeline,
        span: Span,
    },
    Exit {
        code: Option<Expr>,
        span: Span,
    },
    /// `if (c) {..} elseif (c) {..} else {..}`: conditions with their bodies.
    If {
        clauses: Vec<(Statement, Vec<Statement>)>,
        otherwise: Option<Vec<Statement>>,
        span: Span,
    },
    /// `foreach ($item in collection) {..}`
    Foreach {
        variable: String,
        collection: Box<Statement>,
        body: Vec<Statement>,
        span: Span,
    },
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Pipeline(p) => p.span,
            Statement::Assignment { span, .. }
            | Statement::Exit { span, .. }
            | Statement::If { span, .. }
            | Statement::Foreach { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Subtract,
}

/// `head | command | command ...`; only the head may be an expression.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub elements: Vec<PipelineElement>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum PipelineElement {
    Command(Command),
    Expression(Expr),
}

#[derive(Debug, Clone)]
pub struct Command {
    pub name: String,
    pub name_span: Span,
    pub elements: Vec<CommandElement>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum CommandElement {
    /// `-Name`, or `-Name:value` when `value` is set.
    Parameter {
        name: String,
        span: Span,
        value: Option<Expr>,
    },
    Argument(Expr),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Int(i64),
    Double(f64),
    /// A single-quoted string or an argument-mode bare word.
    Str(String),
    /// A double-quoted string with `$var` and `$(...)` parts.
    Expandable(Vec<StringPart>),
    Variable(String),
    Member {
        target: Box<Expr>,
        name: String,
        call: Option<Vec<Expr>>,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `a, b, c`
    Array(Vec<Expr>),
    /// `@( ... )`
    ArrayExpr(Vec<Statement>),
    /// `$( ... )`
    SubExpr(Vec<Statement>),
    /// `( statement )`
    Paren(Box<Statement>),
    Hashtable(Vec<(String, Statement)>),
    ScriptBlock(Rc<ScriptBlock>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum StringPart {
    Text(String),
    Variable(String),
    SubExpr(Vec<Statement>),
}

#[derive(Debug)]
pub struct ScriptBlock {
    pub statements: Vec<Statement>,
    /// The text between the braces, for display (`{ $_.Name }`).
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Negate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    And,
    Or,
    Xor,
    Compare(CompareOp, bool),
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// Comparison operators; the bool beside them in `BinaryOp::Compare` is
/// `true` for the case-sensitive `-c...` forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Like,
    NotLike,
    Match,
    NotMatch,
    Contains,
    NotContains,
    In,
    NotIn,
}

impl BinaryOp {
    /// PowerShell's precedence: logical operators lowest (all equal), then
    /// comparisons, then additive, then multiplicative.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => 1,
            BinaryOp::Compare(..) => 2,
            BinaryOp::Add | BinaryOp::Subtract => 3,
            BinaryOp::Multiply | BinaryOp::Divide | BinaryOp::Modulo => 4,
        }
    }
}
