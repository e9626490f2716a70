//! Error records as Windows PowerShell 5.1 prints them on the console.

use crate::runtime::errors::{Category, ErrorRecord};

pub fn render_error(rec: &ErrorRecord) -> String {
    let mut out = String::new();
    let position = rec.position.as_ref().map(|p| {
        let at = match &p.script {
            Some(path) => format!("At {}:{} char:{}", path, p.line, p.column),
            None => format!("At line:{} char:{}", p.line, p.column),
        };
        let marker = format!("+ {}{}", " ".repeat(p.column.saturating_sub(1)), "~".repeat(p.mark_len));
        format!("{at}\n+ {}\n{marker}\n", p.line_text)
    });
    if rec.category == Category::ParserError {
        out.push_str(position.as_deref().unwrap_or(""));
        out.push_str(&rec.message);
        out.push('\n');
    } else {
        let prefix = match (&rec.command, rec.error_id.as_str()) {
            (_, "CommandNotFoundException") => format!("{} : ", rec.target),
            (Some(c), _) => format!("{c} : "),
            (None, _) => String::new(),
        };
        out.push_str(&prefix);
        out.push_str(&rec.message);
        out.push('\n');
        out.push_str(position.as_deref().unwrap_or(""));
    }
    out.push_str(&format!("    + CategoryInfo          : {}\n", rec.category_info()));
    out.push_str(&format!("    + FullyQualifiedErrorId : {}\n", rec.fully_qualified_id()));
    out.push_str(" \n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::errors::Position;

    #[test]
    fn unknown_parameter_renders_like_powershell() {
        let mut rec = ErrorRecord::parameter_not_found("NoSuchParam");
        rec.command = Some("Set-CASMailbox".into());
        rec.position = Some(Position {
            script: None,
            line: 1,
            column: 38,
            line_text: "Set-CASMailbox -Identity \"John Smith\" -NoSuchParam $true".into(),
            mark_len: 12,
        });
        let expected = "Set-CASMailbox : A parameter cannot be found that matches parameter name 'NoSuchParam'.
At line:1 char:38
+ Set-CASMailbox -Identity \"John Smith\" -NoSuchParam $true
+                                      ~~~~~~~~~~~~
    + CategoryInfo          : InvalidArgument: (:) [Set-CASMailbox], ParameterBindingException
    + FullyQualifiedErrorId : NamedParameterNotFound,Set-CASMailbox
 
";
        assert_eq!(render_error(&rec), expected);
    }
}
