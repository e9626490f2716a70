//! Regular expressions for -match, -replace, -split, switch -Regex and
//! [regex]: .NET's syntax on the regex crate, with compiled patterns cached
//! (a loop matching one pattern a million times compiles it once), and
//! .NET's replacement syntax (`$1`, `${name}`, `$&`, `$$`).
//! The regex crate has no look-around or backreferences: a pattern using
//! them is refused with an error that names the construct.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::super::errors::{Category, ErrorRecord};
use super::super::value::{Table, Value};

const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<(String, bool), Rc<regex::Regex>>> = RefCell::new(HashMap::new());
}

/// .NET syntax the regex crate spells differently.
pub fn translate(pattern: &str, _ignore_case: bool) -> String {
    // `(?<name>...)` is accepted by both; `\A`, `\z`, `\b`, classes alike.
    pattern.replace("\\Z", "\\z")
}

/// Compiles with .NET RegexOptions named as -split takes them
/// (`Multiline`, `Singleline`, `IgnorePatternWhitespace`, `ExplicitCapture`).
pub fn compile_with(pattern: &str, ignore_case: bool, options: &str) -> Result<Rc<regex::Regex>, ErrorRecord> {
    let mut flags = String::new();
    let o = options.to_ascii_lowercase();
    if o.contains("multiline") {
        flags.push('m');
    }
    if o.contains("singleline") {
        flags.push('s');
    }
    if o.contains("ignorepatternwhitespace") {
        flags.push('x');
    }
    if flags.is_empty() {
        return compile(pattern, ignore_case);
    }
    compile(&format!("(?{flags}){pattern}"), ignore_case)
}

/// Compiles (or reuses) a pattern; PowerShell's error for a bad one.
pub fn compile(pattern: &str, ignore_case: bool) -> Result<Rc<regex::Regex>, ErrorRecord> {
    let key = (pattern.to_string(), ignore_case);
    if let Some(re) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(re);
    }
    let re = regex::RegexBuilder::new(&translate(pattern, ignore_case))
        .case_insensitive(ignore_case)
        .build()
        .map_err(|e| invalid_pattern(pattern, &e))?;
    let re = Rc::new(re);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_SIZE {
            c.clear();
        }
        c.insert(key, re.clone());
    });
    Ok(re)
}

fn invalid_pattern(pattern: &str, e: &regex::Error) -> ErrorRecord {
    let text = e.to_string();
    let detail = if text.contains("look-around") {
        "look-ahead and look-behind are not supported by mailsh's regular expressions".to_string()
    } else if text.contains("backreferences") {
        "backreferences are not supported by mailsh's regular expressions".to_string()
    } else {
        text.lines().last().unwrap_or("").trim().trim_start_matches("error: ").to_string()
    };
    ErrorRecord::new(
        format!("The regular expression pattern {pattern} is not valid."),
        Category::InvalidOperation,
        "InvalidRegularExpression",
        "RuntimeException",
    )
    .with_target(detail, "")
    .unqualified()
}

/// `$Matches` for a successful match: group numbers and names to text.
pub fn matches_table(re: &regex::Regex, caps: &regex::Captures) -> Value {
    let t = Table::new(false);
    // .NET lists named groups after numbered ones; keys 0..n then names.
    let names: Vec<Option<&str>> = re.capture_names().collect();
    let all: Vec<_> = caps.iter().enumerate().collect();
    for (i, m) in all.into_iter().rev() {
        let Some(m) = m else { continue };
        match names.get(i).copied().flatten() {
            Some(name) => t.insert(Value::str(name), Value::str(m.as_str())),
            None => t.insert(Value::Int(i as i32), Value::str(m.as_str())),
        }
    }
    Value::Hashtable(Rc::new(t))
}

/// `-replace`: every match replaced, `$1`/`${name}`/`$&`/`$$` expanded.
pub fn replace(input: &str, re: &regex::Regex, replacement: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last = 0;
    for caps in re.captures_iter(input) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&input[last..m.start()]);
        expand(replacement, &caps, re, input, &mut out);
        last = m.end();
    }
    out.push_str(&input[last..]);
    out
}

fn expand(rep: &str, caps: &regex::Captures, re: &regex::Regex, input: &str, out: &mut String) {
    let bytes = rep.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 >= bytes.len() {
            let ch = rep[i..].chars().next().unwrap_or('$');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let next = bytes[i + 1];
        match next {
            b'$' => {
                out.push('$');
                i += 2;
            }
            b'&' => {
                out.push_str(caps.get(0).map(|m| m.as_str()).unwrap_or(""));
                i += 2;
            }
            b'`' => {
                out.push_str(&input[..caps.get(0).map(|m| m.start()).unwrap_or(0)]);
                i += 2;
            }
            b'\'' => {
                out.push_str(&input[caps.get(0).map(|m| m.end()).unwrap_or(input.len())..]);
                i += 2;
            }
            b'_' => {
                out.push_str(input);
                i += 2;
            }
            b'{' => match rep[i + 2..].find('}') {
                Some(end) => {
                    let name = &rep[i + 2..i + 2 + end];
                    let group = match name.parse::<usize>() {
                        Ok(n) => caps.get(n),
                        Err(_) => caps.name(name),
                    };
                    match group {
                        Some(g) => out.push_str(g.as_str()),
                        None if re.capture_names().flatten().any(|n| n == name) || name.parse::<usize>().is_ok() => {}
                        None => out.push_str(&rep[i..i + 3 + end]),
                    }
                    i += 3 + end;
                }
                None => {
                    out.push('$');
                    i += 1;
                }
            },
            b'0'..=b'9' => {
                // The longest group number that exists, as .NET reads it.
                let digits: String = rep[i + 1..].chars().take_while(|c| c.is_ascii_digit()).collect();
                let mut taken = digits.len();
                while taken > 0 {
                    if let Ok(n) = digits[..taken].parse::<usize>()
                        && n < re.captures_len()
                    {
                        break;
                    }
                    taken -= 1;
                }
                if taken == 0 {
                    out.push('$');
                    i += 1;
                } else {
                    let n: usize = digits[..taken].parse().unwrap_or(0);
                    if let Some(g) = caps.get(n) {
                        out.push_str(g.as_str());
                    }
                    i += 1 + taken;
                }
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
}

/// Regex.Split: pieces between matches, captured groups included; `max`
/// pieces at most (0 is no limit), the last one holding the rest.
pub fn split(input: &str, re: &regex::Regex, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut pieces = 0;
    let mut last = 0;
    for caps in re.captures_iter(input) {
        if max > 0 && pieces + 1 >= max {
            break;
        }
        let Some(m) = caps.get(0) else { continue };
        if m.start() == m.end() && (m.start() == 0 || m.start() == input.len()) {
            continue;
        }
        out.push(input[last..m.start()].to_string());
        pieces += 1;
        for g in caps.iter().skip(1).flatten() {
            out.push(g.as_str().to_string());
        }
        last = m.end();
    }
    out.push(input[last..].to_string());
    out
}

/// Split on a literal delimiter (`-split ".", 0, "SimpleMatch"`).
pub fn split_literal(input: &str, delim: &str, max: usize, ignore_case: bool) -> Vec<String> {
    if delim.is_empty() {
        return input.chars().map(|c| c.to_string()).collect();
    }
    let escaped = regex::escape(delim);
    match compile(&escaped, ignore_case) {
        Ok(re) => split(input, &re, max),
        Err(_) => vec![input.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_use_dotnet_syntax() {
        let re = compile(r"(\w+)@(\w+)", true).unwrap();
        assert_eq!(replace("jsmith@contoso", &re, "$2\\$1"), "contoso\\jsmith");
        assert_eq!(replace("ab", &compile("b", false).unwrap(), "[$&$$]"), "a[b$]");
        let named = compile(r"(?<user>\w+)@", false).unwrap();
        assert_eq!(replace("ken@x", &named, "${user}-"), "ken-x");
    }

    #[test]
    fn split_keeps_empty_pieces_and_captures() {
        let re = compile(",", true).unwrap();
        assert_eq!(split("a,,b", &re, 0), vec!["a", "", "b"]);
        assert_eq!(split("a,b,c", &re, 2), vec!["a", "b,c"]);
        let cap = compile("(,)", true).unwrap();
        assert_eq!(split("a,b", &cap, 0), vec!["a", ",", "b"]);
    }
}
