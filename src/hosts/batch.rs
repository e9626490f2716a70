//! Batch: a script from -File, -Command, or standard input.

use std::io::Read;
use std::rc::Rc;

use crate::format::error_record::render_error;
use crate::language::diagnose::ends_in_continuation;
use crate::language::{ParseError, parse_script};
use crate::runtime::errors::{Category, ErrorRecord};
use crate::runtime::pipeline::Outcome;
use crate::runtime::session::{Session, Source};

/// The exit status of a run: `exit N`, or 1 when an error record was
/// written (mailsh is stricter than PowerShell here, for CI), else 0.
pub fn exit_code(cx: &Session, outcome: Outcome) -> i32 {
    if outcome == Outcome::Interrupted {
        eprintln!("{}", crate::runtime::errors::Flow::Interrupted);
    }
    match outcome {
        Outcome::Exit(n) => n,
        Outcome::Stopped | Outcome::Interrupted => 1,
        Outcome::Completed => (cx.total_errors > 0) as i32,
    }
}

/// A parse error as PowerShell prints it, position first.
pub fn report_parse_error(cx: &mut Session, e: &ParseError) {
    let mut rec =
        ErrorRecord::new(e.message.clone(), Category::ParserError, e.error_id, "ParentContainsErrorRecordException")
            .unqualified();
    rec.position = Some(cx.position(e.span));
    cx.total_errors += 1;
    cx.statement_errors += 1;
    let text = render_error(&rec);
    cx.print_err(&text, None);
}

/// Parses the whole text first: a parse error anywhere runs nothing, as
/// PowerShell does for -File and -Command.
pub fn run_text(cx: &mut Session, text: &str, path: Option<String>) -> i32 {
    cx.source = Rc::new(Source { text: text.to_string(), path, first_line: 1 });
    match parse_script(text) {
        Ok(script) => {
            let outcome = super::session::run_shown(cx, &script);
            exit_code(cx, outcome)
        }
        Err(e) => {
            report_parse_error(cx, &e);
            1
        }
    }
}

pub fn run_file(cx: &mut Session, path: &str) -> i32 {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "The argument '{path}' to the -File parameter does not exist. Provide the path to an existing '.ps1' file as an argument to the -File parameter."
            );
            return 64;
        }
        Err(e) => {
            eprintln!("Processing -File '{path}' failed: {e}. Specify a valid path for the -File parameter");
            return 64;
        }
    };
    let text = match utf8_text(bytes) {
        Ok(text) => text,
        Err(why) => {
            eprintln!("Processing -File '{path}' failed: {why} Specify a valid path for the -File parameter");
            return 64;
        }
    };
    let shown = std::fs::canonicalize(path).map(|p| p.display().to_string()).unwrap_or_else(|_| path.to_string());
    cx.set_script_path(&shown);
    run_text(cx, text.trim_start_matches('\u{feff}'), Some(shown))
}

/// The text of `bytes`, which must be UTF-8. Else .NET's message for
/// bytes its strict UTF-8 decoder cannot translate (what PowerShell shows
/// with it), naming the first bad bytes and their offset.
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let err = e.utf8_error();
        let bytes = e.as_bytes();
        let at = err.valid_up_to();
        let end = err.error_len().map(|n| at + n).unwrap_or(bytes.len());
        let shown: Vec<String> = bytes[at..end].iter().map(|b| format!("[{b:02X}]")).collect();
        format!("Unable to translate bytes {} at index {at} from specified code page to Unicode.", shown.join(" "))
    })
}

/// Standard input, statement by statement as the lines arrive: a statement
/// that does not parse is reported and skipped; the others run.
pub fn run_stdin(cx: &mut Session) -> i32 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("Cannot process the standard input: {e}.");
        return 1;
    }
    let all = match utf8_text(bytes) {
        Ok(text) => text,
        Err(why) => {
            eprintln!("Cannot process the standard input: {why}");
            return 1;
        }
    };
    let mut pending = String::new();
    let mut start_line = 1;
    for (line_no, line) in (1..).zip(all.trim_start_matches('\u{feff}').split_inclusive('\n')) {
        if pending.is_empty() {
            start_line = line_no;
        }
        pending.push_str(line);
        if ends_in_continuation(&pending) {
            continue;
        }
        match parse_script(&pending) {
            Ok(script) => {
                cx.source = Rc::new(Source { text: pending.clone(), path: None, first_line: start_line });
                let outcome = super::session::run_shown(cx, &script);
                if outcome != Outcome::Completed {
                    return exit_code(cx, outcome);
                }
                pending.clear();
            }
            Err(e) if e.incomplete => continue,
            Err(e) => {
                cx.source = Rc::new(Source { text: pending.clone(), path: None, first_line: start_line });
                report_parse_error(cx, &e);
                pending.clear();
            }
        }
    }
    if !pending.trim().is_empty()
        && let Err(e) = parse_script(&pending)
    {
        cx.source = Rc::new(Source { text: pending.clone(), path: None, first_line: start_line });
        report_parse_error(cx, &e);
    }
    exit_code(cx, Outcome::Completed)
}
