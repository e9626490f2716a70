//! Get-Content, Set-Content and Add-Content: text files line by line (and
//! the `Env:`, `Variable:` and `Function:` drives), as Windows PowerShell
//! 5.1 reads and writes them. Lines are written with Windows line endings
//! (CRLF), as 5.1 writes them; reading splits on CRLF, LF or CR.

use super::common::{long, string_array, write_error};
use super::file_encoding::{ENCODING, Encoding};
use super::paths::{
    Provider, drive_not_found, expand, full_path, io_error, not_found, shown, split_provider, windows_drive,
};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::ConfirmImpact;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

const GET_CLASS: &str = "Microsoft.PowerShell.Commands.GetContentCommand";

fn path_params(sig: Signature) -> Signature {
    let path = Param::new("Path", string_array()).position(0).by_property().help("The files; wildcards expand.");
    sig.param(path)
        .param(
            Param::new("LiteralPath", string_array())
                .aliases(&["PSPath"])
                .by_property()
                .help("The files, taken as written (no wildcards)."),
        )
        .param(Param::new("Filter", T::String).help("Keeps the files whose name matches this wildcard."))
        .param(Param::new("Include", string_array()).help("Keeps the files whose name matches one of these wildcards."))
        .param(
            Param::new("Exclude", string_array())
                .help("Leaves out the files whose name matches one of these wildcards."),
        )
        .param(Param::new("Force", T::Switch))
        .param(
            Param::new("Encoding", T::Enum(&ENCODING)).help(
                "Unicode, UTF8 (with a byte-order mark), UTF32, BigEndianUnicode, Ascii, Byte; Default is UTF-8.",
            ),
        )
        .param(Param::new("Credential", T::Credential))
        .param(Param::new("Stream", T::String))
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = path_params(
        Signature::build("Get-Content")
            .aliases(&["gc", "cat", "type"])
            .class(GET_CLASS)
            .synopsis("Reads a text file: one string per line, or the whole text with -Raw."),
    )
    .param(
        Param::new("ReadCount", long())
            .default("1")
            .help("Lines sent on together as one array; 0 sends all of them at once."),
    )
    .param(Param::new("TotalCount", long()).aliases(&["First", "Head"]).help("Reads only the first lines."))
    .param(
        Param::new("Tail", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 })
            .aliases(&["Last"])
            .help("Reads only the last lines."),
    )
    .param(
        Param::new("Delimiter", T::String)
            .help("Splits the text at this string instead of at line ends (5.1 keeps it at the end of each piece)."),
    )
    .param(Param::new("Raw", T::Switch).help("The whole text as one string, line ends included."))
    .param(Param::new("Wait", T::Switch))
    .example(
        "Read a list of names",
        "Set-Content -Path names.txt -Value 'John Smith', 'Ken Sanchez'; Get-Content -Path names.txt",
        "",
    )
    .example(
        "The last line of a log",
        "Set-Content -Path log.txt -Value 'start', 'stop'; Get-Content -Path log.txt -Tail 1",
        "",
    )
    .example(
        "The whole file as one string",
        "Set-Content -Path notes.txt -Value 'a', 'b'; $text = Get-Content -Path notes.txt -Raw",
        "",
    );
    let set = path_params(
        Signature::build("Set-Content")
            .aliases(&["sc"])
            .class("Microsoft.PowerShell.Commands.SetContentCommand")
            .synopsis("Writes objects to a file, one line each, replacing what it held.")
            .should_process(ConfirmImpact::Medium),
    )
    .param(
        Param::new("Value", super::common::object_array())
            .position(1)
            .pipeline()
            .help("What to write; each object is a line."),
    )
    .param(Param::new("PassThru", T::Switch).help("Outputs what was written."))
    .param(Param::new("NoNewline", T::Switch).help("Writes the values one after another, without line ends."))
    .example("Write a list", "Set-Content -Path names.txt -Value 'John Smith', 'Ken Sanchez'", "")
    .example("From the pipeline", "Get-CASMailbox | ForEach-Object Name | Set-Content -Path names.txt", "");
    let add = path_params(
        Signature::build("Add-Content")
            .aliases(&["ac"])
            .class("Microsoft.PowerShell.Commands.AddContentCommand")
            .synopsis("Appends objects to a file, one line each; creates the file when needed.")
            .should_process(ConfirmImpact::Medium),
    )
    .param(
        Param::new("Value", super::common::object_array())
            .position(1)
            .pipeline()
            .help("What to append; each object is a line."),
    )
    .param(Param::new("PassThru", T::Switch).help("Outputs what was written."))
    .param(Param::new("NoNewline", T::Switch).help("Appends the values one after another, without line ends."))
    .example("Log a line", "Add-Content -Path audit.log -Value \"$(Get-Date -Format s) mailboxes checked\"", "");
    vec![
        powershell_cmdlet!(get, get_content),
        powershell_cmdlet!(set, || Write { values: Vec::new(), append: false }),
        powershell_cmdlet!(add, || Write { values: Vec::new(), append: true }),
    ]
}

/// Whether a file's name passes -Filter, -Include and -Exclude.
pub fn name_passes(args: &Args, path: &std::path::Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some(f) = args.string("Filter")
        && !wildcard_match(&f, &name, false)
    {
        return false;
    }
    if let Some(inc) = args.strings("Include")
        && !inc.is_empty()
        && !inc.iter().any(|p| wildcard_match(p, &name, false))
    {
        return false;
    }
    if let Some(exc) = args.strings("Exclude")
        && exc.iter().any(|p| wildcard_match(p, &name, false))
    {
        return false;
    }
    true
}

/// The targets of -Path or -LiteralPath, with the errors for those that do
/// not exist written as PowerShell writes them; `must_exist` false keeps
/// a missing literal path (Set-Content creates it).
pub enum Target {
    File(std::path::PathBuf),
    Drive(Provider, String),
}

pub fn targets(args: &Args, cx: &mut Session, must_exist: bool) -> Result<Vec<Target>> {
    let literal = args.has("LiteralPath");
    let list = super::paths::required_paths(args, if literal { "LiteralPath" } else { "Path" })?;
    let mut out = Vec::new();
    for given in list {
        let (provider, rest) = split_provider(&given);
        if provider != Provider::FileSystem {
            out.push(Target::Drive(provider, rest.to_string()));
            continue;
        }
        if let Some(d) = windows_drive(rest) {
            write_error(cx, args, drive_not_found(d))?;
            continue;
        }
        let wild = !literal && crate::runtime::ops::has_wildcard(rest);
        let found = expand(rest, literal);
        if !wild {
            let p = found.into_iter().next().unwrap_or_else(|| full_path(rest));
            if must_exist && p.symlink_metadata().is_err() {
                write_error(cx, args, not_found(&shown(&p)))?;
                continue;
            }
            out.push(Target::File(p));
            continue;
        }
        out.extend(found.into_iter().filter(|p| name_passes(args, p)).map(Target::File));
    }
    Ok(out)
}

fn get_content(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let enc = Encoding::from_arg(args.get("Encoding"))?;
    if args.switch("Wait") {
        return Err(ErrorRecord::new(
            "Get-Content -Wait is not supported by mailsh: it would wait forever in a script. Read the file again instead.",
            Category::NotImplemented,
            "WaitNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    for t in targets(args, cx, true)? {
        match t {
            Target::File(p) => read_file(args, cx, out, &p, enc)?,
            Target::Drive(provider, name) => match drive_value(cx, &provider, &name) {
                Some(v) => out.emit(cx, v)?,
                None => write_error(cx, args, not_found(&name))?,
            },
        }
    }
    Ok(())
}

/// The value behind `Env:\NAME`, `Variable:\name` or `Function:\name`.
pub fn drive_value(cx: &Session, provider: &Provider, name: &str) -> Option<Value> {
    match provider {
        Provider::Env => std::env::var(name).ok().map(Value::from),
        Provider::Variable => cx.has_var(name).then(|| cx.get_var(name)),
        Provider::Function => cx.scopes.function(&name.to_lowercase()).map(|f| Value::ScriptBlock(f.body.clone())),
        _ => None,
    }
}

fn read_file(args: &Args, cx: &mut Session, out: &mut Output, path: &std::path::Path, enc: Encoding) -> Result<()> {
    let shown_path = shown(path);
    if path.is_dir() {
        return write_error(
            cx,
            args,
            io_error(
                &shown_path,
                &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
                "GetContentReaderUnauthorizedAccessError",
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return write_error(cx, args, not_found(&shown_path)),
        Err(e) => return write_error(cx, args, io_error(&shown_path, &e, "GetContentReaderIOError")),
    };
    let total = args.get("TotalCount").and_then(Value::as_i64).unwrap_or(-1);
    let tail = args.int("Tail");
    if enc == Encoding::Byte {
        let items: Vec<Value> = bytes.into_iter().map(Value::Byte).collect();
        return emit_pieces(args, cx, out, items, total, tail);
    }
    let text = enc.decode(&bytes);
    if args.switch("Raw") {
        if text.is_empty() {
            return Ok(());
        }
        return out.emit(cx, Value::str(text));
    }
    let pieces = match args.string("Delimiter") {
        Some(d) if !d.is_empty() => split_keeping(&text, &d),
        _ => lines(&text),
    };
    emit_pieces(args, cx, out, pieces.into_iter().map(Value::from).collect(), total, tail)
}

/// Lines as .NET's ReadLine splits them: at CRLF, LF or CR; a final line
/// end does not start another line.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(std::mem::take(&mut current));
            }
            '\n' => out.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `-Delimiter`: pieces that each end with the delimiter (the last may not).
fn split_keeping(text: &str, delim: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(delim) {
        out.push(rest[..i + delim.len()].to_string());
        rest = &rest[i + delim.len()..];
    }
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

fn emit_pieces(
    args: &Args,
    cx: &mut Session,
    out: &mut Output,
    mut items: Vec<Value>,
    total: i64,
    tail: Option<i64>,
) -> Result<()> {
    if total >= 0 {
        items.truncate(total as usize);
    }
    if let Some(n) = tail
        && n >= 0
        && (n as usize) < items.len()
    {
        items.drain(..items.len() - n as usize);
    }
    let read_count = args.get("ReadCount").and_then(Value::as_i64).unwrap_or(1);
    match read_count {
        n if n <= 0 => {
            if !items.is_empty() {
                out.emit(cx, Value::array(items))?;
            }
            Ok(())
        }
        1 => out.emit_all(cx, items),
        n => {
            for chunk in items.chunks(n as usize) {
                out.emit(cx, Value::array(chunk.to_vec()))?;
            }
            Ok(())
        }
    }
}

/// Set-Content and Add-Content: the values of every record, written when
/// the pipeline ends.
struct Write {
    values: Vec<Value>,
    append: bool,
}

impl Processor for Write {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        let _ = input;
        if let Some(v) = args.get("Value").cloned() {
            self.values.extend(v.into_items());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let enc = Encoding::from_arg(args.get("Encoding"))?;
        let values = std::mem::take(&mut self.values);
        let operation = if self.append { "Add Content" } else { "Set Content" };
        for t in targets(args, cx, false)? {
            match t {
                Target::File(p) => {
                    let target = format!("Path: {}", shown(&p));
                    if !cx.should_process_action(args, operation, &target)? {
                        continue;
                    }
                    if let Err(e) = write_file(&p, &values, enc, self.append, args.switch("NoNewline")) {
                        write_error(cx, args, e)?;
                        continue;
                    }
                }
                Target::Drive(provider, name) => {
                    let v = match values.as_slice() {
                        [one] => one.clone(),
                        many => Value::array(many.to_vec()),
                    };
                    set_drive_value(cx, args, &provider, &name, v, self.append)?;
                }
            }
        }
        if args.switch("PassThru") {
            out.emit_all(cx, values)?;
        }
        Ok(())
    }
}

fn set_drive_value(
    cx: &mut Session,
    args: &Args,
    provider: &Provider,
    name: &str,
    v: Value,
    append: bool,
) -> Result<()> {
    match provider {
        Provider::Env => {
            let text = if append {
                format!("{}{}", std::env::var(name).unwrap_or_default(), v.to_text())
            } else {
                v.to_text()
            };
            cx.set_var(&format!("env:{name}"), Value::str(text))?;
            Ok(())
        }
        Provider::Variable if !append => {
            cx.set_var(name, v)?;
            Ok(())
        }
        other => write_error(
            cx,
            args,
            ErrorRecord::new(
                format!("mailsh cannot write content to the {} drive.", other.drive()),
                Category::NotImplemented,
                "NotSupported",
                "PSNotSupportedException",
            ),
        ),
    }
}

/// Writes (or appends) values as lines, in `enc`; a new file starts with
/// the encoding's byte-order mark.
#[allow(clippy::result_large_err)] // the record goes to write_error as it is
fn write_file(
    path: &std::path::Path,
    values: &[Value],
    enc: Encoding,
    append: bool,
    no_newline: bool,
) -> std::result::Result<(), ErrorRecord> {
    use std::io::Write as _;
    let shown_path = shown(path);
    if path.is_dir() {
        return Err(io_error(
            &shown_path,
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            "GetContentWriterUnauthorizedAccessError",
        ));
    }
    let mut bytes = Vec::new();
    let fresh = !append || std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true);
    if fresh {
        bytes.extend_from_slice(enc.preamble());
    }
    if enc == Encoding::Byte {
        for v in values {
            match crate::runtime::types::cast(v.clone(), &crate::runtime::types::TypeRef::Byte) {
                Ok(Value::Byte(b)) => bytes.push(b),
                _ => {
                    return Err(ErrorRecord::new(
                        format!("Cannot convert value \"{}\" to type \"System.Byte\".", v.to_text()),
                        Category::InvalidArgument,
                        "InvalidCastFromAnyTypeToByte",
                        "PSInvalidCastException",
                    ));
                }
            }
        }
    } else {
        let mut text = String::new();
        for v in values {
            text.push_str(&v.to_text());
            if !no_newline {
                text.push_str("\r\n");
            }
        }
        bytes.extend(enc.encode(&text));
    }
    let open = if append {
        std::fs::OpenOptions::new().create(true).append(true).open(path)
    } else {
        std::fs::File::create(path)
    };
    let mut f = open.map_err(|e| {
        let id = if e.kind() == std::io::ErrorKind::NotFound {
            "GetContentWriterDirectoryNotFoundError"
        } else if e.kind() == std::io::ErrorKind::PermissionDenied {
            "GetContentWriterUnauthorizedAccessError"
        } else {
            "GetContentWriterIOError"
        };
        io_error(&shown_path, &e, id)
    })?;
    f.write_all(&bytes).map_err(|e| io_error(&shown_path, &e, "GetContentWriterIOError"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_any_line_end() {
        assert_eq!(lines("a\r\nb\nc\rd"), vec!["a", "b", "c", "d"]);
        assert_eq!(lines("a\r\n"), vec!["a"]);
        assert_eq!(lines("a\r\n\r\n"), vec!["a", ""]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn a_delimiter_stays_at_the_end_of_each_piece() {
        assert_eq!(split_keeping("a,b,c", ","), vec!["a,", "b,", "c"]);
        assert_eq!(split_keeping("a,b,", ","), vec!["a,", "b,"]);
    }
}
