//! ConvertTo-Csv and Export-Csv, as Windows PowerShell 5.1 writes them;
//! ConvertFrom-Csv and Import-Csv, which read CSV back into PSCustomObjects
//! whose properties are all strings.

use super::common::{string_array, write_error};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let to = Signature::build("ConvertTo-Csv")
        .synopsis("Converts objects to CSV lines.")
        .param(Param::new("InputObject", T::Object).position(0).pipeline())
        .param(Param::new("NoTypeInformation", T::Switch).aliases(&["NTI"]))
        .param(Param::new("Delimiter", T::String).position(1))
        .example(
            "IMAP4 access as CSV",
            "Get-CASMailbox | Select-Object Name,ImapEnabled | ConvertTo-Csv -NoTypeInformation",
            "",
        );
    let export = Signature::build("Export-Csv")
        .synopsis("Writes objects to a CSV file.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .param(Param::new("Path", T::String).position(0).mandatory())
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("NoTypeInformation", T::Switch).aliases(&["NTI"]))
        .param(Param::new("Delimiter", T::String).position(1))
        .param(Param::new("Append", T::Switch))
        .param(Param::new("Encoding", T::String))
        .example(
            "Save IMAP4 access",
            "Get-CASMailbox | Select-Object Name,ImapEnabled | Export-Csv imap.csv -NoTypeInformation",
            "",
        );
    let from = Signature::build("ConvertFrom-Csv")
        .class("Microsoft.PowerShell.Commands.ConvertFromCsvCommand")
        .synopsis("Reads CSV lines into objects: one per line after the header, each column a string property.")
        .param(Param::new("InputObject", string_array()).position(0).mandatory().pipeline().by_property())
        .param(Param::new("Delimiter", T::String).position(1).help("The column separator (a comma if omitted)."))
        .param(Param::new("UseCulture", T::Switch).help("The culture's list separator: a comma in en-US."))
        .param(Param::new("Header", string_array()).help("Column names for lines that have no header line."))
        .example("Two columns", "'Name,Alias', 'John Smith,jsmith' | ConvertFrom-Csv", "");
    let import = Signature::build("Import-Csv")
        .aliases(&["ipcsv"])
        .class("Microsoft.PowerShell.Commands.ImportCsvCommand")
        .synopsis("Reads a CSV file into objects: one per line after the header, each column a string property.")
        .param(Param::new("Path", string_array()).position(0).pipeline().by_property())
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(Param::new("Delimiter", T::String).position(1).help("The column separator (a comma if omitted)."))
        .param(Param::new("UseCulture", T::Switch))
        .param(Param::new("Header", string_array()).help("Column names for files that have no header line."))
        .param(Param::new("Encoding", T::Enum(&super::file_encoding::ENCODING)))
        .example(
            "Create mailboxes from a file",
            "Set-Content -Path users.csv -Value 'Name,Alias', 'Ann Beebe,annb'; Import-Csv -Path users.csv | ForEach-Object { New-Mailbox -Name $_.Name -Alias $_.Alias -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) }",
            "",
        )
        .example("A semicolon-separated file", "Set-Content -Path access.csv -Value 'Name;Pop', 'Ann Beebe;False'; Import-Csv -Path access.csv -Delimiter ';'", "");
    vec![
        CmdletDef::stateful(to, || Box::new(Csv { lines: Vec::new(), header: None, export: false })),
        CmdletDef::stateful(export, || Box::new(Csv { lines: Vec::new(), header: None, export: true })),
        powershell_cmdlet!(from, || FromCsv { text: String::new() }),
        powershell_cmdlet!(import, import_csv),
    ]
}

/// The one-character delimiter of -Delimiter (a comma by default).
fn delimiter(args: &Args) -> Result<char> {
    match args.string("Delimiter") {
        None => Ok(','),
        Some(d) => {
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(ErrorRecord::argument_transformation(
                    "Delimiter",
                    &format!(
                        "Cannot convert value \"{d}\" to type \"System.Char\". Error: \"String must be exactly one character long.\""
                    ),
                ).into()),
            }
        }
    }
}

/// CSV records: fields split at `sep`, `"` quoting (with `""` for a quote,
/// and line ends inside quotes), blank lines skipped.
pub fn parse_records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut any = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() || field.trim().is_empty() => {
                field.clear();
                quoted = true;
                any = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if any || !field.is_empty() || !fields.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut fields));
                }
                any = false;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            other => {
                field.push(other);
                any = true;
            }
        }
    }
    if any || !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(fields);
    }
    records
}

/// Objects from CSV text: the first record names the columns (unless
/// -Header does); a `#TYPE` line is skipped.
fn objects_from(text: &str, args: &Args) -> Result<Vec<Value>> {
    let sep = delimiter(args)?;
    let mut records = parse_records(text, sep).into_iter().peekable();
    if records.peek().is_some_and(|r| r.len() == 1 && r[0].starts_with("#TYPE")) {
        records.next();
    }
    let header: Vec<String> = match args.strings("Header") {
        Some(h) => h,
        None => match records.next() {
            Some(h) => h,
            None => return Ok(vec![]),
        },
    };
    for (i, name) in header.iter().enumerate() {
        if header[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Err(ErrorRecord::new(
                format!("The member \"{name}\" is already present."),
                Category::NotSpecified,
                "AlreadyPresentPSMemberInfoInternalCollectionAdd",
                "ExtendedTypeSystemException",
            )
            .into());
        }
    }
    Ok(records
        .map(|r| {
            let props = header
                .iter()
                .enumerate()
                .map(|(i, name)| (name.clone(), r.get(i).map(Value::str).unwrap_or(Value::Null)))
                .collect();
            crate::runtime::value::custom_object(props)
        })
        .collect())
}

/// ConvertFrom-Csv: lines from every record, read as one text at the end.
struct FromCsv {
    text: String,
}

impl Processor for FromCsv {
    fn process(&mut self, args: &Args, _input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        for line in args.get("InputObject").cloned().map(Value::into_items).unwrap_or_default() {
            self.text.push_str(&line.to_text());
            self.text.push('\n');
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let objects = objects_from(&self.text, args)?;
        out.emit_all(cx, objects)
    }
}

fn import_csv(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let enc = super::file_encoding::Encoding::from_arg(args.get("Encoding"))?;
    for t in super::content::targets(args, cx, true)? {
        let super::content::Target::File(p) = t else {
            return Err(ErrorRecord::new(
                "Import-Csv reads files only.",
                Category::NotImplemented,
                "NotSupported",
                "PSNotSupportedException",
            )
            .into());
        };
        let bytes = match std::fs::read(&p) {
            Ok(b) => b,
            Err(e) => {
                write_error(cx, args, super::paths::io_error(&super::paths::shown(&p), &e, "FileOpenFailure"))?;
                continue;
            }
        };
        let objects = objects_from(&enc.decode(&bytes), args)?;
        out.emit_all(cx, objects)?;
    }
    Ok(())
}

struct Csv {
    lines: Vec<String>,
    header: Option<Vec<String>>,
    export: bool,
}

fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A collection in a cell prints as its type name, as PowerShell's does.
fn cell(v: &Value) -> String {
    match v {
        Value::Array(_) => "System.Object[]".to_string(),
        other => other.to_text(),
    }
}

impl Processor for Csv {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        let sep = args.string("Delimiter").unwrap_or_else(|| ",".into());
        let (names, type_name): (Vec<String>, String) = match v {
            Value::Object(o) => (o.names(), o.type_name().to_string()),
            Value::Hashtable(_) => (vec![], "System.Collections.Hashtable".into()),
            other => (vec!["Length".into()], other.type_name()),
        };
        let mut new_lines = Vec::new();
        if self.header.is_none() {
            if !args.switch("NoTypeInformation") {
                new_lines.push(format!("#TYPE {type_name}"));
            }
            new_lines.push(names.iter().map(|n| field(n)).collect::<Vec<_>>().join(&sep));
            self.header = Some(names.clone());
        }
        let header = self.header.clone().unwrap_or_default();
        new_lines.push(header.iter().map(|n| field(&cell(&v.property(n)))).collect::<Vec<_>>().join(&sep));
        if self.export {
            self.lines.extend(new_lines);
        } else {
            for l in new_lines {
                out.emit(cx, Value::str(l))?;
            }
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, _out: &mut Output) -> Result<()> {
        if !self.export {
            return Ok(());
        }
        let path = args.string("Path").unwrap_or_default();
        let shown = super::paths::shown(&super::paths::full_path(&path));
        if !cx.should_process(args, &shown)? {
            return Ok(());
        }
        let mut text = self.lines.join("\r\n");
        text.push_str("\r\n");
        Ok(super::common::write_text_file(&path, &text, args.switch("Append"))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_separators_quotes_and_line_ends() {
        let r = parse_records("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n\n", ',');
        assert_eq!(r, vec![vec!["a", "b"], vec!["x, y", "say \"hi\""], vec!["two\nlines", "z"]]);
        assert_eq!(parse_records("a;;c", ';'), vec![vec!["a", "", "c"]]);
    }
}
