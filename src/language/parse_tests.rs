//! The grammar on every construct admins type, and every command line of
//! the seeds exactly as written there.

use super::*;

fn one_command(src: &str) -> Command {
    let script = parse_script(src).unwrap_or_else(|e| panic!("{src:?} did not parse: {e:?}"));
    assert_eq!(script.statements.len(), 1, "{src:?}");
    match &script.statements[0] {
        Statement::Pipeline(p) => match &p.elements[0] {
            PipelineElement::Command(c) => c.clone(),
            other => panic!("not a command: {other:?}"),
        },
        other => panic!("not a pipeline: {other:?}"),
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

fn args(c: &Command) -> Vec<ExprKind> {
    c.elements
        .iter()
        .filter_map(|e| match e {
            CommandElement::Argument(a) => Some(a.kind.clone()),
            _ => None,
        })
        .collect()
}

fn text(k: &ExprKind) -> String {
    match k {
        ExprKind::Str(s) => s.clone(),
        ExprKind::Expandable(parts) => parts
            .iter()
            .map(|p| match p {
                StringPart::Text(t) => t.clone(),
                StringPart::Variable(v) => format!("${v}"),
                StringPart::SubExpr(_) => "$(...)".into(),
            })
            .collect(),
        other => format!("{other:?}"),
    }
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
        "Get-CASMailbox <identity>",
        "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $true",
        "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $false",
    ];
    for l in lines {
        parse_script(l).unwrap_or_else(|e| panic!("seed line {l:?} did not parse: {e:?}"));
    }
    let c = one_command("Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl ");
    assert_eq!(params(&c), vec!["Identity", "CalendarItemRetrievalOption"]);
    assert_eq!(args(&c).iter().map(text).collect::<Vec<_>>(), vec!["CAS01", "IntranetUrl"]);
    let c = one_command("Set-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl \"https://OwaServer01\"");
    assert_eq!(text(&args(&c)[1]), "https://OwaServer01");
    let c = one_command("Net Stop MSExchangeIMAP4BE");
    assert_eq!(c.name, "Net");
    assert_eq!(args(&c).iter().map(text).collect::<Vec<_>>(), vec!["Stop", "MSExchangeIMAP4BE"]);
}

#[test]
fn parameters_take_values_with_space_or_colon() {
    for src in ["A (B) -F", "A {x} C", "A $(x) -F", "A @{a=1} -F", "A @(1) x", "A $x.y(1) z", "A $x[0] z", "A -C:x -F"]
    {
        let c = one_command(src);
        assert_eq!(c.elements.len(), 2, "{src}");
    }
    let c = one_command("Remove-Mailbox jdoe -Confirm:$false -Force");
    assert_eq!(params(&c), vec!["Confirm", "Force"]);
    match &c.elements[1] {
        CommandElement::Parameter { value: Some(v), .. } => {
            assert!(matches!(v.kind, ExprKind::Variable(ref n) if n == "false"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bare_words_stay_text_in_argument_mode() {
    let c = one_command("Set-ImapSettings -SSLBindings 0.0.0.0:993 -X509CertificateName mail.contoso.com");
    assert_eq!(args(&c).iter().map(text).collect::<Vec<_>>(), vec!["0.0.0.0:993", "mail.contoso.com"]);
    let c = one_command("Write-Output 2+2");
    assert_eq!(text(&args(&c)[0]), "2+2");
    let c = one_command("Set-ImapSettings -MaxCommandSize 4096 -Banner x");
    assert!(matches!(args(&c)[0], ExprKind::Int(4096)));
    let c = one_command("Get-Service MSExchange*");
    assert_eq!(text(&args(&c)[0]), "MSExchange*");
}

#[test]
fn arrays_hashtables_and_nested_pipelines() {
    let c = one_command("Set-ImapSettings -UnencryptedOrTLSBindings '[::]:1143','0.0.0.0:1143'");
    assert!(matches!(&args(&c)[0], ExprKind::Array(v) if v.len() == 2));
    let c = one_command("Set-CASMailbox jdoe -EwsAllowList @{Add='a'; Remove='b'}");
    assert!(matches!(&args(&c)[1], ExprKind::Hashtable(v) if v.len() == 2 && v[0].0 == "Add"));
    let c = one_command("New-Mailbox -Name x -Password (ConvertTo-SecureString -String 'x' -AsPlainText -Force)");
    assert!(matches!(&args(&c)[1], ExprKind::Paren(_)));
    let c = one_command("Write-Output @(1, 2)");
    assert!(matches!(&args(&c)[0], ExprKind::ArrayExpr(v) if v.len() == 1));
}

#[test]
fn strings_quote_and_expand() {
    let c = one_command("Write-Output 'it''s' \"a `\"b`\" $name $($x.Count) ``\"");
    assert_eq!(text(&args(&c)[0]), "it's");
    assert_eq!(text(&args(&c)[1]), "a \"b\" $name $(...) `");
    let c = one_command("Set-CASMailbox -Identity \u{201C}John Smith\u{201D} -ImapEnabled $false");
    assert_eq!(text(&args(&c)[0]), "John Smith");
}

#[test]
fn script_blocks_hold_expressions_with_precedence() {
    let src = "Get-CASMailbox | Where-Object { $_.ImapEnabled -eq $false -and $_.Name -like 'J*' }";
    let script = parse_script(src).unwrap();
    let Statement::Pipeline(p) = &script.statements[0] else { panic!() };
    assert_eq!(p.elements.len(), 2);
    let PipelineElement::Command(w) = &p.elements[1] else { panic!() };
    let ExprKind::ScriptBlock(b) = &args(w)[0] else { panic!() };
    let Statement::Pipeline(inner) = &b.statements[0] else { panic!() };
    let PipelineElement::Expression(e) = &inner.elements[0] else { panic!() };
    assert!(matches!(e.kind, ExprKind::Binary(BinaryOp::And, _, _)), "{:?}", e.kind);
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
        "-in",
        "-CEQ",
        "-IEQ",
    ] {
        parse_script(&format!("$a {op} 1")).unwrap_or_else(|e| panic!("{op}: {e:?}"));
    }
    parse_script("-not $a").unwrap();
    parse_script("!$a -or $b").unwrap();
}

#[test]
fn statements_separate_on_newlines_semicolons_and_continue_with_backticks() {
    let script = parse_script(
        "Get-CASMailbox; Get-Mailbox\n# a comment\n<# block\ncomment #>\nGet-Service `\n  MSExchangeIMAP4\n",
    )
    .unwrap();
    assert_eq!(script.statements.len(), 3);
    let script = parse_script("$m = Get-CASMailbox \"John Smith\"\n$m.ImapEnabled\nexit 3").unwrap();
    assert!(matches!(script.statements[0], Statement::Assignment { .. }));
    assert!(
        matches!(&script.statements[2], Statement::Exit { code: Some(e), .. } if matches!(e.kind, ExprKind::Int(3)))
    );
    let script = parse_script("Get-CASMailbox |\n  Format-List").unwrap();
    assert_eq!(script.statements.len(), 1);
}

#[test]
fn names_are_case_insensitive_and_keep_their_spelling() {
    let c = one_command("format-list -property Name");
    assert_eq!(c.name, "format-list");
    assert_eq!(params(&c), vec!["property"]);
}

#[test]
fn errors_name_the_place_and_know_when_input_is_incomplete() {
    let e = parse_script("Set-CASMailbox -Identity \"John").unwrap_err();
    assert!(e.incomplete);
    assert_eq!(e.message, "The string is missing the terminator: \".");
    assert_eq!(e.span.start, 25);
    assert!(parse_script("Get-CASMailbox | Where-Object {").unwrap_err().incomplete);
    assert!(parse_script("Get-CASMailbox |").unwrap_err().incomplete);
    let e = parse_script("Get-CASMailbox | | fl").unwrap_err();
    assert!(!e.incomplete);
    assert_eq!(e.message, "An empty pipe element is not allowed.");
    let e = parse_script("Get-CASMailbox )").unwrap_err();
    assert_eq!(e.message, "Unexpected token ')' in expression or statement.");
}

/// Random text from the characters PowerShell treats specially never makes
/// the parser, its diagnostics, the highlighter or the completer panic.
#[test]
fn random_input_never_panics() {
    const PIECES: &[&str] = &[
        "Get-CASMailbox",
        "Set-ImapSettings",
        " ",
        " ",
        "-",
        "-Identity",
        "-Imap",
        ":",
        "$",
        "$_",
        "$true",
        "(",
        ")",
        "{",
        "}",
        "@(",
        "@{",
        "[",
        "]",
        "'",
        "''",
        "\"",
        "`",
        "`\n",
        "\n",
        ";",
        "|",
        ",",
        ".",
        "=",
        "+=",
        "#",
        "<#",
        "#>",
        "1",
        "10kb",
        "0.0.0.0:993",
        "-eq",
        "-not",
        "!",
        "-like",
        "exit",
        "é",
        "\u{201C}",
        "\u{2013}",
        "x",
        "Name",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut completer = crate::hosts::complete::ShellCompleter::new(std::path::PathBuf::from("/nonexistent/mailsh.db"));
    for _ in 0..5_000 {
        let n = (next() % 12) as usize + 1;
        let text: String = (0..n).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
        let _ = parse_script(&text);
        let _ = crate::hosts::highlight::highlight_line(&text);
        let pos = text
            .char_indices()
            .map(|(i, _)| i)
            .nth((next() % (text.chars().count() as u64 + 1)) as usize)
            .unwrap_or(text.len());
        let _ = completer.candidates(&text, pos);
        let _ = crate::language::opath::parse_filter(&text);
    }
}

#[test]
fn if_and_foreach_are_statements_but_foreach_in_a_pipeline_is_a_command() {
    let script = parse_script("if ($a -gt 1) { 'x' }\nelseif ($b) { 'y' } else { 'z' }\nforeach ($m in Get-CASMailbox) {\n  $m.Name\n}\nGet-CASMailbox | foreach { $_.Name }\nforeach { 1 }").unwrap();
    assert_eq!(script.statements.len(), 4);
    assert!(matches!(&script.statements[0], Statement::If { clauses, otherwise: Some(_), .. } if clauses.len() == 2));
    assert!(
        matches!(&script.statements[1], Statement::Foreach { variable, body, .. } if variable == "m" && body.len() == 1)
    );
    assert!(matches!(&script.statements[2], Statement::Pipeline(p) if p.elements.len() == 2));
    assert!(matches!(&script.statements[3], Statement::Pipeline(_)));
    assert!(parse_script("if ($a) {").unwrap_err().incomplete);
}
