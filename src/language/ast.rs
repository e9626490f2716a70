//! The typed syntax tree. It knows nothing of pest: `parse` builds it, the
//! runtime walks it, and every node keeps its span so errors can point at it.
//! Names the runtime looks up often (variables, members) carry their
//! lower-case key, computed once here instead of at every lookup.

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
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A script, a script block, or a function body: param() then begin /
/// process / end (plain statements are the end block).
#[derive(Debug)]
pub struct ScriptBlock {
    pub attributes: Vec<Attribute>,
    pub params: Option<ParamBlock>,
    pub begin: Option<Vec<Statement>>,
    pub process: Option<Vec<Statement>>,
    pub end: Option<Vec<Statement>>,
    /// A `dynamicparam` block: mailsh runs it and refuses any parameters it
    /// defines.
    pub dynamicparam: Option<Vec<Statement>>,
    /// The text between the braces, for display (`{ $_.Name }`).
    pub text: String,
    pub span: Span,
}

pub type Script = ScriptBlock;

impl ScriptBlock {
    /// A block with no statements (`{}`), its source text and place.
    pub fn empty(text: String, span: Span) -> ScriptBlock {
        ScriptBlock {
            attributes: vec![],
            params: None,
            begin: None,
            process: None,
            end: Some(vec![]),
            dynamicparam: None,
            text,
            span,
        }
    }
    /// The statements of a block without named blocks.
    pub fn body(&self) -> &[Statement] {
        self.end.as_deref().unwrap_or(&[])
    }
    pub fn has_named_blocks(&self) -> bool {
        self.begin.is_some() || self.process.is_some()
    }
    /// Whether `[CmdletBinding()]` or a `[Parameter()]` makes it advanced.
    pub fn is_advanced(&self) -> bool {
        let attr = |a: &Attribute| a.is("CmdletBinding");
        self.attributes.iter().any(attr)
            || self.params.as_ref().is_some_and(|p| {
                p.attributes.iter().any(attr) || p.params.iter().any(|d| d.attributes.iter().any(|a| a.is("Parameter")))
            })
    }
}

#[derive(Debug)]
pub struct ParamBlock {
    pub attributes: Vec<Attribute>,
    pub params: Vec<ParamDecl>,
    pub span: Span,
}

#[derive(Debug)]
pub struct ParamDecl {
    pub name: VarRef,
    pub attributes: Vec<Attribute>,
    /// The type literal written before the variable, if any (`[string]`).
    pub ty: Option<TypeName>,
    pub default: Option<Expr>,
    pub span: Span,
}

/// `[Parameter(Mandatory, Position = 0)]`, `[ValidateSet('a', 'b')]`.
#[derive(Debug)]
pub struct Attribute {
    pub name: String,
    pub positional: Vec<Expr>,
    /// Named arguments; `None` is the bare form (`Mandatory` means `$true`).
    pub named: Vec<(String, Option<Expr>)>,
    pub span: Span,
}

impl Attribute {
    pub fn is(&self, name: &str) -> bool {
        let short = self.name.rsplit('.').next().unwrap_or(&self.name);
        let short = short.strip_suffix("Attribute").unwrap_or(short);
        short.eq_ignore_ascii_case(name)
    }
}

/// A type as written: `int`, `string[]`, `System.Collections.Generic.List[string]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeName {
    pub name: String,
    pub generic_args: Vec<TypeName>,
    /// One entry per `[]` (its rank).
    pub array_ranks: Vec<u8>,
    pub span: Span,
    /// The script's `using namespace` names, tried before the name when it
    /// is not found as written.
    pub namespaces: Option<Rc<[Rc<str>]>>,
}

impl TypeName {
    /// The type as PowerShell writes it back (`System.String[]`).
    pub fn text(&self) -> String {
        let mut s = self.name.clone();
        if !self.generic_args.is_empty() {
            s.push('[');
            let args: Vec<String> = self.generic_args.iter().map(TypeName::text).collect();
            s.push_str(&args.join(","));
            s.push(']');
        }
        for rank in &self.array_ranks {
            s.push('[');
            for _ in 1..*rank {
                s.push(',');
            }
            s.push(']');
        }
        s
    }
}

#[derive(Debug)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug)]
pub enum StatementKind {
    Pipeline(Pipeline),
    Assignment(Assignment),
    If {
        clauses: Vec<(Box<Statement>, Vec<Statement>)>,
        otherwise: Option<Vec<Statement>>,
    },
    Switch(Box<SwitchStatement>),
    Foreach {
        label: Option<Rc<str>>,
        variable: VarRef,
        collection: Box<Statement>,
        body: Vec<Statement>,
    },
    For {
        label: Option<Rc<str>>,
        init: Option<Box<Statement>>,
        condition: Option<Box<Statement>>,
        iterator: Option<Box<Statement>>,
        body: Vec<Statement>,
    },
    While {
        label: Option<Rc<str>>,
        condition: Box<Statement>,
        body: Vec<Statement>,
    },
    /// `do { } while (c)` (`until` false) or `do { } until (c)`.
    Do {
        label: Option<Rc<str>>,
        body: Vec<Statement>,
        condition: Box<Statement>,
        until: bool,
    },
    Function(Rc<FunctionDef>),
    Try {
        body: Vec<Statement>,
        catches: Vec<CatchClause>,
        finally: Option<Vec<Statement>>,
    },
    Trap {
        types: Vec<TypeName>,
        body: Rc<Vec<Statement>>,
    },
    /// `data [name] { ... }`: its output, into `$name` when named.
    Data {
        name: Option<VarRef>,
        body: Vec<Statement>,
    },
    Break(Option<Box<Expr>>),
    Continue(Option<Box<Expr>>),
    Return(Option<Pipeline>),
    Throw(Option<Pipeline>),
    Exit(Option<Pipeline>),
}

#[derive(Debug)]
pub struct Assignment {
    /// One target, or several for `$a, $b = 1, 2`.
    pub targets: Vec<AssignTarget>,
    pub op: AssignOp,
    pub value: Box<Statement>,
}

#[derive(Debug)]
pub struct AssignTarget {
    /// Validation attributes the variable keeps for later assignments.
    pub attributes: Vec<Attribute>,
    /// Type constraints written before it (`[int]$x = ...`), outermost first.
    pub types: Vec<TypeName>,
    pub target: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

#[derive(Debug)]
pub struct SwitchStatement {
    pub label: Option<Rc<str>>,
    pub mode: SwitchMode,
    pub case_sensitive: bool,
    pub input: SwitchInput,
    pub clauses: Vec<SwitchClause>,
    pub default: Option<Vec<Statement>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchMode {
    Exact,
    Wildcard,
    Regex,
}

#[derive(Debug)]
pub enum SwitchInput {
    Value(Box<Statement>),
    /// `switch -File path`: each line of the file.
    File(Expr),
}

#[derive(Debug)]
pub struct SwitchClause {
    pub test: Expr,
    pub body: Vec<Statement>,
}

#[derive(Debug)]
pub struct CatchClause {
    pub types: Vec<TypeName>,
    pub body: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug)]
pub struct FunctionDef {
    pub name: Rc<str>,
    pub is_filter: bool,
    pub body: Rc<ScriptBlock>,
    pub span: Span,
}

/// `head | command | command ...`; only the head may be an expression.
#[derive(Debug)]
pub struct Pipeline {
    pub elements: Vec<PipelineElement>,
    pub span: Span,
}

#[derive(Debug)]
pub enum PipelineElement {
    Command(Command),
    Expression { expr: Expr, redirections: Vec<Redirection> },
}

#[derive(Debug)]
pub struct Command {
    pub head: CommandHead,
    pub elements: Vec<CommandElement>,
    pub redirections: Vec<Redirection>,
    pub span: Span,
}

#[derive(Debug)]
pub enum CommandHead {
    /// `Get-CASMailbox`, `.\script.ps1`; `key` is the name in lower case,
    /// made once here because commands are looked up by it on every run.
    Name { name: String, key: String, span: Span },
    /// `& target` (call) or `. target` (dot-source).
    Invoke { dot: bool, target: Box<Expr> },
}

impl CommandHead {
    pub fn name(name: &str, span: Span) -> CommandHead {
        CommandHead::Name { name: name.to_string(), key: name.to_lowercase(), span }
    }
}

impl Command {
    /// The name as typed, or the invoked expression's text.
    pub fn name(&self) -> Option<&str> {
        match &self.head {
            CommandHead::Name { name, .. } => Some(name),
            CommandHead::Invoke { .. } => None,
        }
    }
    pub fn name_span(&self) -> Span {
        match &self.head {
            CommandHead::Name { span, .. } => *span,
            CommandHead::Invoke { target, .. } => target.span,
        }
    }
}

#[derive(Debug)]
pub enum CommandElement {
    /// `-Name`, `-Name:value` (value set), or `-Name:` followed by a
    /// separate argument (the parser joins them).
    Parameter {
        name: String,
        span: Span,
        value: Option<Expr>,
    },
    Argument(Expr),
    /// `@params`: a hashtable's entries as named parameters, an array's items
    /// as positional arguments.
    Splat {
        variable: VarRef,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    All,
    Output,
    Error,
    Warning,
    Verbose,
    Debug,
    Information,
}

#[derive(Debug)]
pub struct Redirection {
    pub from: Stream,
    pub to: RedirectTarget,
    pub span: Span,
}

#[derive(Debug)]
pub enum RedirectTarget {
    /// `> file` (`append` for `>>`); `$null` discards.
    File { path: Expr, append: bool },
    /// `2>&1`: into the success stream.
    Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarScope {
    /// No qualifier: the nearest scope that has it.
    Any,
    Global,
    Script,
    Local,
    Private,
    Env,
    /// `$variable:name`
    Variable,
    /// `$function:name`
    Function,
}

/// A variable as written, with its lookup key.
#[derive(Debug, Clone, PartialEq)]
pub struct VarRef {
    /// The name without `$` or scope, as typed.
    pub name: Rc<str>,
    /// `name` in lower case.
    pub key: Rc<str>,
    pub scope: VarScope,
    /// One of `AUTOMATIC_VARIABLES`: reading or assigning it takes the
    /// runtime's checks by name; any other variable goes straight to its
    /// scope.
    pub automatic: bool,
}

/// The automatic variables whose reading or assigning differs from a plain
/// variable's: constants, read-only ones, and a call's own variables
/// (`$args`, `$PSBoundParameters` ...) made when first read.
pub const AUTOMATIC_VARIABLES: [&str; 15] = [
    "true",
    "false",
    "null",
    "?",
    "error",
    "home",
    "pid",
    "shellid",
    "input",
    "psitem",
    "pwd",
    "args",
    "psboundparameters",
    "myinvocation",
    "pscmdlet",
];

impl VarRef {
    pub fn new(name: &str, scope: VarScope) -> VarRef {
        let key: Rc<str> = Rc::from(name.to_lowercase().as_str());
        let automatic = AUTOMATIC_VARIABLES.contains(&&*key);
        VarRef { name: Rc::from(name), key, scope, automatic }
    }
    pub fn is(&self, lower: &str) -> bool {
        &*self.key == lower
    }
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i32),
    Long(i64),
    Double(f64),
    /// A `d`-suffixed literal, kept as its digits for exact decimal parsing.
    Decimal(i128, u32),
}

#[derive(Debug)]
pub enum ExprKind {
    Number(Number),
    /// A single-quoted string or an argument-mode bare word.
    Str(Rc<str>),
    /// A double-quoted string or a bare word with `$var` and `$(...)` parts.
    Expandable(Vec<StringPart>),
    Variable(VarRef),
    Member {
        target: Box<Expr>,
        name: MemberName,
        call: Option<Vec<Expr>>,
        is_static: bool,
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
    /// `( pipeline )`
    Paren(Box<Statement>),
    Hashtable(Vec<(Expr, Statement)>),
    ScriptBlock(Rc<ScriptBlock>),
    TypeLiteral(TypeName),
    Cast(TypeName, Box<Expr>),
    /// `[ValidateRange(1, 5)]$x`: valid only left of `=` (an assignment
    /// target takes the attribute); anywhere else an error when evaluated.
    Attributed(Attribute, Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    /// Operators of one precedence level, applied left to right: a flat
    /// chain, so a long `1 + 1 + ...` is no deeper than one operator.
    Binary {
        first: Box<Expr>,
        rest: Vec<(BinaryOp, Expr)>,
    },
    /// `++$x`, `$x--` ...
    IncDec {
        target: Box<Expr>,
        increment: bool,
        prefix: bool,
    },
}

#[derive(Debug)]
pub enum MemberName {
    /// A plain name, with its lower-case key.
    Name(Rc<str>, Rc<str>),
    /// `.$prop`, `."name"`, `.($expr)`.
    Dynamic(Box<Expr>),
}

#[derive(Debug)]
pub enum StringPart {
    Text(Rc<str>),
    Variable(VarRef, Span),
    SubExpr(Vec<Statement>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Negate,
    Plus,
    BitNot,
    /// `,x`: a one-item array.
    Comma,
    Split,
    Join,
}

/// Case handling of string operators: `-eq` (default, insensitive), `-ieq`, `-ceq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Default,
    Insensitive,
    Sensitive,
}

impl Case {
    pub fn sensitive(self) -> bool {
        self == Case::Sensitive
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    And,
    Or,
    Xor,
    BitAnd,
    BitOr,
    BitXor,
    Compare(CompareOp, Case),
    Replace(Case),
    Split(Case),
    Join,
    Is,
    IsNot,
    As,
    ShiftLeft,
    ShiftRight,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Format,
    Range,
}

/// Comparison operators (`BinaryOp::Compare`).
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
    /// The operator as PowerShell names it in messages (`-eq`, `+`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::And => "-and",
            BinaryOp::Or => "-or",
            BinaryOp::Xor => "-xor",
            BinaryOp::BitAnd => "-band",
            BinaryOp::BitOr => "-bor",
            BinaryOp::BitXor => "-bxor",
            BinaryOp::Compare(op, _) => op.symbol(),
            BinaryOp::Replace(_) => "-replace",
            BinaryOp::Split(_) => "-split",
            BinaryOp::Join => "-join",
            BinaryOp::Is => "-is",
            BinaryOp::IsNot => "-isnot",
            BinaryOp::As => "-as",
            BinaryOp::ShiftLeft => "-shl",
            BinaryOp::ShiftRight => "-shr",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::Format => "-f",
            BinaryOp::Range => "..",
        }
    }
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "-eq",
            CompareOp::Ne => "-ne",
            CompareOp::Gt => "-gt",
            CompareOp::Ge => "-ge",
            CompareOp::Lt => "-lt",
            CompareOp::Le => "-le",
            CompareOp::Like => "-like",
            CompareOp::NotLike => "-notlike",
            CompareOp::Match => "-match",
            CompareOp::NotMatch => "-notmatch",
            CompareOp::Contains => "-contains",
            CompareOp::NotContains => "-notcontains",
            CompareOp::In => "-in",
            CompareOp::NotIn => "-notin",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
    pub fn str(text: &str, span: Span) -> Expr {
        Expr { kind: ExprKind::Str(Rc::from(text)), span }
    }
}
