//! A value as text: PowerShell's string conversion (`[string]$x`, string
//! expansion), with .NET Framework's number formatting.

use std::fmt::Write as _;

use super::{Object, Value};

impl Value {
    /// PowerShell's string conversion ([string]$x): invariant culture,
    /// arrays joined by spaces ($OFS's default).
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Switch(b) => {
                if *b {
                    "True".into()
                } else {
                    "False".into()
                }
            }
            Value::Int(n) => n.to_string(),
            Value::Long(n) => n.to_string(),
            Value::Double(f) => format_double(*f),
            Value::Decimal(d) => crate::runtime::dotnet::number_format::decimal_to_string(*d),
            Value::Byte(b) => b.to_string(),
            Value::Char(c) => c.to_string(),
            Value::Str(s) => s.to_string(),
            Value::Array(a) => a.items().iter().map(|v| v.to_text()).collect::<Vec<_>>().join(" "),
            Value::Hashtable(t) => t.type_name().into(),
            Value::Object(o) => object_text(o),
            Value::ScriptBlock(b) => b.text.clone(),
            Value::Enum(d, i) => d.name(*i as usize).to_string(),
            Value::TimeSpan(t) => super::time::format_timespan_ticks(*t),
            Value::DateTime(d) => d.invariant_text(),
            Value::Guid(g) => format_guid(g.bits()),
            Value::SecureString(_) => "System.Security.SecureString".into(),
            Value::Credential(_) => "System.Management.Automation.PSCredential".into(),
            Value::Bytes(b) => super::time::format_bytes(*b),
            Value::Type(t) => t.to_string(),
            Value::ErrorRecord(e) => e.message.clone(),
            Value::Exception(e) => e.message.to_string(),
            Value::Regex(r) => r.pattern.clone(),
            Value::Ref(_) => "System.Management.Automation.PSReference".into(),
            Value::Enumerator(_) => "System.Array+SZArrayEnumerator".into(),
        }
    }
}

/// The string form of the object types cmdlets make whose .NET ToString()
/// is neither their Identity nor their Name (a PathInfo prints its Path, a
/// MatchInfo `file:line:text`): set once by the cmdlets.
static STRING_FORM: std::sync::OnceLock<fn(&Object) -> Option<String>> = std::sync::OnceLock::new();

pub fn set_string_form(form: fn(&Object) -> Option<String>) {
    let _ = STRING_FORM.set(form);
}

/// How an object prints when it stands in a string: a PSCustomObject as
/// `@{a=1; b=2}`, an Exchange object as its Identity (or Name).
fn object_text(o: &Object) -> String {
    if let Some(text) = o.own_text() {
        return text;
    }
    if let Some(form) = STRING_FORM.get()
        && let Some(text) = form(o)
    {
        return text;
    }
    let type_name = o.type_name();
    if type_name == "System.Version" {
        let parts: Vec<String> = ["Major", "Minor", "Build", "Revision"]
            .iter()
            .filter_map(|n| o.get(n).and_then(|v| v.as_i64()))
            .filter(|n| *n >= 0)
            .map(|n| n.to_string())
            .collect();
        return parts.join(".");
    }
    if type_name.starts_with("System.Management.Automation.")
        && type_name.ends_with("Record")
        && let Some(m) = o.get("Message")
    {
        return m.to_text();
    }
    if type_name == "System.Management.Automation.PathInfo" {
        return o.get("Path").map(|p| p.to_text()).unwrap_or_default();
    }
    if type_name == "System.Management.Automation.PSCustomObject" || type_name.starts_with("Selected.") {
        let mut s = String::from("@{");
        for (i, (k, v)) in o.properties().iter().enumerate() {
            if i > 0 {
                s.push_str("; ");
            }
            let _ = write!(s, "{k}={}", v.to_text());
        }
        s.push('}');
        return s;
    }
    for key in ["Identity", "Name", "DisplayName"] {
        if let Some(v) = o.get(key)
            && !v.is_null()
        {
            return v.to_text();
        }
    }
    type_name
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`
pub fn format_guid(g: u128) -> String {
    let h = format!("{g:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// A double as .NET Framework's ToString() prints it: 15 significant
/// digits, fixed notation for exponents from -5 to 14, else `1E+15`.
pub fn format_double(f: f64) -> String {
    crate::runtime::dotnet::number_format::double_to_string(f)
}

/// A double in a table cell or list (the same text; kept apart because
/// format strings may differ later).
pub fn format_float_for_display(f: f64) -> String {
    format_double(f)
}

pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
