//! The grammar on the constructs admins type, and every command line of the
//! seeds exactly as written there. What each construct does is the
//! conformance corpus's business (tests/language/); here, the tree's shape.

use super::*;

fn parses(src: &str) -> Script {
    parse_script(src).unwrap_or_else(|e| panic!("{src:?} did not parse: {e:?}"))
}

fn fails(src: &str) -> ParseError {
    match parse_script(src) {
        Ok(s) => panic!("{src:?} parsed: {s:?}"),
        Err(e) => e,
    }
}

fn one_pipeline(script: &Script) -> &Pipeline {
    assert_eq!(script.body().len(), 1, "{script:?}");
    match &script.body()[0].kind {
        StatementKind::Pipeline(p) => p,
        other => panic!("not a pipeline: {other:?}"),
    }
}

fn with_command<T>(src: &str, check: impl FnOnce(&Command) -> T) -> T {
    let script = parses(src);
    match &one_pipeline(&script).elements[0] {
        PipelineElement::Command(c) => check(c),
        other => panic!("not a command: {other:?}"),
    }
}

fn with_expression<T>(src: &str, check: impl FnOnce(&Expr) -> T) -> T {
    let script = parses(src);
    match &one_pipeline(&script).elements[0] {
        PipelineElement::Expression { expr, .. } => check(expr),
        other => panic!("not an expression: {other:?}"),
    }
}

fn params(c: &Command) -> Vec<String> {
    c.elements
        .iter()
        .filter_map(|e| match e {
            CommandElement::Parameter { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

fn args(c: &Command) -> Vec<&ExprKind> {
    c.elements
        .iter()
        .filter_map(|e| match e {
            CommandElement::Argument(a) => Some(&a.kind),
            _ => None,
        })
        .collect()
}

/// An argument as text: literal parts kept, expansions marked.
fn text(k: &ExprKind) -> String {
    match k {
        ExprKind::Str(s) => s.to_string(),
        ExprKind::Expandable(parts) => parts
            .iter()
            .map(|p| match p {
                StringPart::Text(t) => t.to_string(),
                StringPart::Variable(v, _) => format!("${}", v.name),
                StringPart::SubExpr(_) => "$(...)".into(),
            })
            .collect(),
        other => format!("{other:?}"),
    }
}

fn texts(c: &Command) -> Vec<String> {
    args(c).into_iter().map(text).collect()
}

#[test]
fn every_seed_command_line_parses() {
    let lines = [
        "Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption iCalendar",
        "Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl ",
        "Set-ImapSettings -CalendarItemRetrievalOption InternetUrl",
        "Set-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl \"https://OwaServer01\"",
        "Get-ImapSettings | format-list",
        "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $true",
        "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false",
        "Start-service msExchangeIMAP4",
        "Start-service msExchangeIMAP4BE",
        "Stop-service msExchangeIMAP4",
        "Stop-service msExchangeIMAP4BE",
        "net start msExchangeIMAP4",
        "net start msExchangeIMAP4BE",
        "Net Stop MSExchangeIMAP4",
        "Net Stop MSExchangeIMAP4BE",
        "Set-CASMailbox -Identity \"Ken Sanchez\" -MAPIEnabled $false",
        "Set-CASMailbox -Identity \"Esther Valle\" -MAPIEnabled $true",
        "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $true",
        "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $false",
    ];
    for l in lines {
        parses(l);
    }
    with_command("Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl ", |c| {
        assert_eq!(params(c), ["Identity", "CalendarItemRetrievalOption"]);
        assert_eq!(texts(c), ["CAS01", "IntranetUrl"]);
    });
    with_command("Set-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl \"https://OwaServer01\"", |c| {
        assert_eq!(texts(c)[1], "https://OwaServer01")
    });
    with_command("Net Stop MSExchangeIMAP4BE", |c| {
        assert_eq!(c.name(), Some("Net"));
        assert_eq!(texts(c), ["Stop", "MSExchangeIMAP4BE"]);
    });
    // The seeds' placeholder is PowerShell's redirection operator: refused
    // as PowerShell refuses it, not run with a strange argument.
    assert_eq!(fails("Get-CASMailbox <identity>").message, "The '<' operator is reserved for future use.");
}

#[test]
fn parameters_take_values_with_space_or_colon() {
    for src in ["A (B) -F", "A {x} C", "A $(x) -F", "A @{a=1} -F", "A @(1) x", "A $x.y(1) z", "A $x[0] z", "A -C:x -F"]
    {
        with_command(src, |c| assert_eq!(c.elements.len(), 2, "{src}"));
    }
    with_command("Remove-Mailbox jdoe -Confirm:$false -Force", |c| {
        assert_eq!(params(c), ["Confirm", "Force"]);
        let CommandElement::Parameter { value: Some(v), .. } = &c.elements[1] else { panic!("{c:?}") };
        assert!(matches!(&v.kind, ExprKind::Variable(r) if r.is("false")));
    });
    with_command("Set-CASMailbox @p -WhatIf", |c| {
        assert!(matches!(&c.elements[0], CommandElement::Splat { variable, .. } if variable.is("p")));
    });
}

#[test]
fn bare_words_stay_text_in_argument_mode() {
    with_command("Set-ImapSettings -SSLBindings 0.0.0.0:993 -X509CertificateName mail.contoso.com", |c| {
        assert_eq!(texts(c), ["0.0.0.0:993", "mail.contoso.com"])
    });
    with_command("Write-Output 2+2 -1 1.5.3", |c| {
        assert_eq!(texts(c)[0], "2+2");
        assert!(matches!(args(c)[1], ExprKind::Number(Number::Int(-1))));
        assert_eq!(texts(c)[2], "1.5.3");
    });
    with_command("Set-ImapSettings -MaxCommandSize 4096 -Banner x 10kb", |c| {
        assert!(matches!(args(c)[0], ExprKind::Number(Number::Int(4096))));
        assert!(matches!(args(c)[2], ExprKind::Number(Number::Int(10240))));
    });
    with_command("Get-Service MSExchange*", |c| assert_eq!(texts(c), ["MSExchange*"]));
}

#[test]
fn arrays_hashtables_and_nested_pipelines() {
    with_command("Set-ImapSettings -UnencryptedOrTLSBindings '[::]:1143','0.0.0.0:1143'", |c| {
        assert!(matches!(args(c)[0], ExprKind::Array(v) if v.len() == 2))
    });
    with_command("Set-CASMailbox jdoe -EwsAllowList @{Add='a'; Remove='b'}", |c| {
        assert!(matches!(args(c)[1], ExprKind::Hashtable(v) if v.len() == 2))
    });
    with_command("New-Mailbox -Name x -Password (ConvertTo-SecureString -String 'x' -AsPlainText -Force)", |c| {
        assert!(matches!(args(c)[1], ExprKind::Paren(_)))
    });
    with_command("Write-Output @(1, 2)", |c| assert!(matches!(args(c)[0], ExprKind::ArrayExpr(v) if v.len() == 1)));
}

#[test]
fn strings_quote_and_expand() {
    with_command("Write-Output 'it''s' \"a `\"b`\" $name $($x.Count) ``\"", |c| {
        assert_eq!(texts(c), ["it's", "a \"b\" $name $(...) `"])
    });
    with_command("Set-CASMailbox -Identity \u{201C}John Smith\u{201D} -ImapEnabled $false", |c| {
        assert_eq!(texts(c)[0], "John Smith")
    });
    with_expression("@\"\nHello $name\n\"@", |e| assert_eq!(text(&e.kind), "Hello $name"));
    with_expression("@'\nno $expansion\n'@", |e| assert_eq!(text(&e.kind), "no $expansion"));
}

/// Operators of one precedence level form one flat chain, in order; a
/// higher-precedence operator binds tighter.
#[test]
fn arithmetic_keeps_each_operator_and_precedence() {
    with_expression("2 + 3 * 4 - 1 / 2 % 3", |e| {
        let ExprKind::Binary { rest, .. } = &e.kind else { panic!("{e:?}") };
        let ops: Vec<BinaryOp> = rest.iter().map(|(op, _)| *op).collect();
        assert_eq!(ops, [BinaryOp::Add, BinaryOp::Subtract]);
        let ExprKind::Binary { rest: product, .. } = &rest[0].1.kind else { panic!("{rest:?}") };
        assert_eq!(product[0].0, BinaryOp::Multiply);
    });
    with_expression("$a -eq $false -and $b -like 'J*' -or -not $c", |e| {
        let ExprKind::Binary { rest, .. } = &e.kind else { panic!("{e:?}") };
        let ops: Vec<BinaryOp> = rest.iter().map(|(op, _)| *op).collect();
        assert_eq!(ops, [BinaryOp::And, BinaryOp::Or]);
    });
    with_expression("'{0}' -f 1, 2", |e| {
        let ExprKind::Binary { rest, .. } = &e.kind else { panic!("{e:?}") };
        assert!(matches!(&rest[0], (BinaryOp::Format, r) if matches!(&r.kind, ExprKind::Array(v) if v.len() == 2)));
    });
    for op in [
        "-eq",
        "-ne",
        "-gt",
        "-ge",
        "-lt",
        "-le",
        "-like",
        "-notlike",
        "-match",
        "-notmatch",
        "-contains",
        "-notcontains",
        "-in",
        "-notin",
        "-replace",
        "-split",
        "-join",
        "-is",
        "-isnot",
        "-as",
        "-band",
        "-bor",
        "-bxor",
        "-shl",
        "-shr",
        "-xor",
        "-f",
        "..",
        "-CEQ",
        "-IEQ",
        "-creplace",
        "-isplit",
    ] {
        parses(&format!("$a {op} 1"));
    }
    for unary in ["-not $a", "!$a", "-bnot 5", "-join $a", "-split $a", ",1", "++$i", "$i--", "[int]$a", "-$a"] {
        parses(unary);
    }
}

#[test]
fn statements_separate_on_newlines_semicolons_and_continue_with_backticks() {
    let script =
        parses("Get-CASMailbox; Get-Mailbox\n# a comment\n<# block\ncomment #>\nGet-Service `\n  MSExchangeIMAP4\n");
    assert_eq!(script.body().len(), 3);
    let script = parses("$m = Get-CASMailbox \"John Smith\"\n$m.ImapEnabled\nexit 3");
    assert!(matches!(script.body()[0].kind, StatementKind::Assignment(_)));
    assert!(matches!(&script.body()[2].kind, StatementKind::Exit(Some(_))));
    assert_eq!(one_pipeline(&parses("Get-CASMailbox |\n  Format-List")).elements.len(), 2);
}

#[test]
fn names_are_case_insensitive_and_keep_their_spelling() {
    with_command("format-list -property Name", |c| {
        assert_eq!(c.name(), Some("format-list"));
        assert_eq!(params(c), ["property"]);
    });
    let script = parses("$PSItem; $psitem");
    let keys: Vec<String> = script
        .body()
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Pipeline(p) => match &p.elements[0] {
                PipelineElement::Expression { expr: Expr { kind: ExprKind::Variable(v), .. }, .. } => v.key.to_string(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys, ["psitem", "psitem"]);
}

#[test]
fn control_flow_statements() {
    let script = parses(
        "if ($a -gt 1) { 'x' }\nelseif ($b) { 'y' } else { 'z' }\nforeach ($m in Get-CASMailbox) {\n  $m.Name\n}\nGet-CASMailbox | foreach { $_.Name }\nforeach { 1 }",
    );
    let body = script.body();
    assert_eq!(body.len(), 4);
    assert!(matches!(&body[0].kind, StatementKind::If { clauses, otherwise: Some(_) } if clauses.len() == 2));
    assert!(
        matches!(&body[1].kind, StatementKind::Foreach { variable, body, .. } if variable.is("m") && body.len() == 1)
    );
    assert!(matches!(&body[2].kind, StatementKind::Pipeline(p) if p.elements.len() == 2));
    assert!(matches!(&body[3].kind, StatementKind::Pipeline(_)));
    let script = parses(
        ":outer for ($i = 0; $i -lt 3; $i++) { while ($true) { break outer } }\ndo { $x++ } until ($x -ge 3)\nswitch -Wildcard ($n) { 'a*' { 1 } default { 2 } }",
    );
    let body = script.body();
    assert!(matches!(&body[0].kind, StatementKind::For { label: Some(l), .. } if &**l == "outer"));
    assert!(matches!(&body[1].kind, StatementKind::Do { until: true, .. }));
    assert!(
        matches!(&body[2].kind, StatementKind::Switch(s) if s.mode == SwitchMode::Wildcard && s.clauses.len() == 1 && s.default.is_some())
    );
    let script =
        parses("try { 1 } catch [System.IO.IOException], [System.Exception] { 2 } finally { 3 }\ntrap { continue }");
    assert!(
        matches!(&script.body()[0].kind, StatementKind::Try { catches, finally: Some(_), .. } if catches[0].types.len() == 2)
    );
    assert!(matches!(&script.body()[1].kind, StatementKind::Trap { .. }));
}

#[test]
fn functions_declare_parameters_and_blocks() {
    let script = parses(
        "function Set-Imap {\n [CmdletBinding(SupportsShouldProcess)]\n param(\n  [Parameter(Mandatory, ValueFromPipeline)] [string] $Identity,\n  [ValidateSet('On','Off')] $State = 'On',\n  [switch] $Force\n )\n begin { } process { $Identity } end { }\n}\nfilter Double { $_ * 2 }",
    );
    let StatementKind::Function(f) = &script.body()[0].kind else { panic!() };
    assert_eq!(&*f.name, "Set-Imap");
    assert!(f.body.is_advanced());
    let p = f.body.params.as_ref().expect("a param block");
    let names: Vec<&str> = p.params.iter().map(|d| &*d.name.name).collect();
    assert_eq!(names, ["Identity", "State", "Force"]);
    assert_eq!(p.params[0].ty.as_ref().map(|t| t.name.as_str()), Some("string"));
    assert!(p.params[1].default.is_some());
    assert!(f.body.begin.is_some() && f.body.process.is_some() && f.body.end.is_some());
    assert!(matches!(&script.body()[1].kind, StatementKind::Function(f) if f.is_filter));
}

#[test]
fn redirections_are_parsed_per_stream() {
    with_command("Get-CASMailbox nobody 2>$null 3>&1 *> all.txt >> out.txt", |c| {
        let r: Vec<Stream> = c.redirections.iter().map(|r| r.from).collect();
        assert_eq!(r, [Stream::Error, Stream::Warning, Stream::All, Stream::Output]);
        assert!(matches!(c.redirections[1].to, RedirectTarget::Output));
        assert!(matches!(c.redirections[3].to, RedirectTarget::File { append: true, .. }));
    });
}

#[test]
fn errors_name_the_place_and_know_when_input_is_incomplete() {
    let e = fails("Set-CASMailbox -Identity \"John");
    assert!(e.incomplete);
    assert_eq!(e.message, "The string is missing the terminator: \".");
    assert_eq!(e.span.start, 25);
    assert!(fails("Get-CASMailbox | Where-Object {").incomplete);
    assert!(fails("Get-CASMailbox |").incomplete);
    assert!(fails("if ($a) {").incomplete);
    let e = fails("Get-CASMailbox | | fl");
    assert!(!e.incomplete);
    assert_eq!(e.message, "An empty pipe element is not allowed.");
    assert_eq!(fails("Get-CASMailbox )").message, "Unexpected token ')' in expression or statement.");
    assert_eq!(fails("$x = 1 +").message, "You must provide a value expression following the '+' operator.");
}

/// Every PowerShell keyword is a keyword: the ones mailsh does not run are
/// parse errors that name them, so the script does not run at all.
#[test]
fn unimplemented_keywords_are_refused_by_name() {
    for (src, word) in [
        ("class Foo { }", "class"),
        ("workflow W { }", "workflow"),
        ("using module ActiveDirectory", "using module"),
        ("configuration C { }", "configuration"),
    ] {
        let e = fails(src);
        assert!(!e.incomplete, "{src}");
        assert!(e.message.contains(word), "{src}: {}", e.message);
    }
    // Refused wherever it stands, so nothing before it runs either.
    assert!(fails("Set-CASMailbox jsmith -ImapEnabled $false\nclass Foo { }").message.contains("class"));
}

/// pest's recursion needs more stack than a test thread's 2 MiB for the
/// deepest nesting allowed; the shell runs on a large stack for this reason.
fn on_a_large_stack(f: fn()) {
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(f).expect("a test thread");
    if let Err(e) = worker.join() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn nesting_beyond_the_limit_is_refused_not_overflowed() {
    on_a_large_stack(nesting_limits);
}

fn nesting_limits() {
    let deep = format!("{}1{}", "(".repeat(MAX_NESTING + 5), ")".repeat(MAX_NESTING + 5));
    let e = fails(&deep);
    assert!(!e.incomplete);
    let fine = format!("{}1{}", "(".repeat(MAX_NESTING / 2), ")".repeat(MAX_NESTING / 2));
    parses(&fine);
    // A long flat chain is not nesting.
    parses(&vec!["1"; 5_000].join(" + "));
}

#[test]
fn text_that_would_make_the_parser_backtrack_for_ever_is_refused_within_its_allowance() {
    // Each unclosed `{to(e).a(` doubles the paths the grammar tries: 40 of
    // them are beyond any machine without the allowance.
    let text = "{to(e).a(".repeat(40);
    let e = parse_script(&text).unwrap_err();
    assert_eq!(e.error_id, "ParserGaveUp");
    assert!(e.message.starts_with("The parser gave up on this text"), "{}", e.message);
    // A long ordinary script is well inside it.
    let script =
        "Set-CASMailbox -Identity \"John Smith\" -ImapEnabled $false | Out-Null; $n = (1..10 | % { $_ * 2 })\n"
            .repeat(400);
    assert!(parse_script(&script).is_ok());
}
