//! PowerShell's error records, and the control flow that carries them.

use crate::language::ast::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ParserError,
    OpenError,
    CloseError,
    ResourceUnavailable,
    ResourceExists,
    PermissionDenied,
    WriteError,
    ReadError,
    ConnectionError,
    OperationStopped,
    InvalidType,
    MetadataError,
    NotImplemented,
    SecurityError,
    LimitsExceeded,
}

impl Category {
    /// The category PowerShell's ErrorCategory names (unknown: NotSpecified).
    pub fn from_name(name: &str) -> Category {
        let all = [
            Category::NotSpecified,
            Category::InvalidArgument,
            Category::InvalidData,
            Category::InvalidOperation,
            Category::ObjectNotFound,
            Category::ParserError,
            Category::OpenError,
            Category::CloseError,
            Category::ResourceUnavailable,
            Category::ResourceExists,
            Category::PermissionDenied,
            Category::WriteError,
            Category::ReadError,
            Category::ConnectionError,
            Category::OperationStopped,
            Category::InvalidType,
            Category::MetadataError,
            Category::NotImplemented,
            Category::SecurityError,
            Category::LimitsExceeded,
        ];
        all.into_iter().find(|c| c.name().eq_ignore_ascii_case(name.trim())).unwrap_or(Category::NotSpecified)
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::NotSpecified => "NotSpecified",
            Category::InvalidArgument => "InvalidArgument",
            Category::InvalidData => "InvalidData",
            Category::InvalidOperation => "InvalidOperation",
            Category::ObjectNotFound => "ObjectNotFound",
            Category::ParserError => "ParserError",
            Category::OpenError => "OpenError",
            Category::CloseError => "CloseError",
            Category::ResourceUnavailable => "ResourceUnavailable",
            Category::ResourceExists => "ResourceExists",
            Category::PermissionDenied => "PermissionDenied",
            Category::WriteError => "WriteError",
            Category::ReadError => "ReadError",
            Category::ConnectionError => "ConnectionError",
            Category::OperationStopped => "OperationStopped",
            Category::InvalidType => "InvalidType",
            Category::MetadataError => "MetadataError",
            Category::NotImplemented => "NotImplemented",
            Category::SecurityError => "SecurityError",
            Category::LimitsExceeded => "LimitsExceeded",
        }
    }
}

/// Where an error happened, resolved against the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// `None` for interactive or -Command input (`At line:1 char:5`), the
    /// script path for -File (`At /path/s.ps1:3 char:5`).
    pub script: Option<String>,
    pub line: usize,
    pub column: usize,
    pub line_text: String,
    pub mark_len: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRecord {
    pub message: String,
    /// The command that raised it, shown as `Cmd : message` and as the
    /// activity in CategoryInfo.
    pub command: Option<String>,
    pub category: Category,
    pub target: String,
    pub target_type: String,
    /// The exception type's short name (`ParameterBindingException`).
    pub reason: String,
    pub error_id: String,
    /// Whether the FullyQualifiedErrorId ends in `,Command`.
    pub qualify_id: bool,
    /// The command's .NET class, when PowerShell names it in the id.
    pub command_class: Option<String>,
    pub span: Option<Span>,
    pub position: Option<Position>,
    /// The exception's full .NET type name; empty means "derived from
    /// `reason`" (see `exception_type`).
    pub exception_type: String,
    /// What `throw` or Write-Error was given, for `$_.TargetObject`.
    pub target_object: Option<Box<super::value::Value>>,
    /// The exception object itself when a script threw one.
    pub exception: Option<std::rc::Rc<super::value::Exception>>,
    /// Raised by `throw` (shown without a command prefix, `OperationStopped`).
    pub thrown: bool,
    /// The .NET exception inside a wrapper (MethodInvocationException,
    /// RuntimeException): `catch [T]` matches it too, as PowerShell's does.
    pub inner: Option<std::rc::Rc<super::value::Exception>>,
    /// Made terminating by -ErrorAction Stop or $ErrorActionPreference:
    /// `catch [ActionPreferenceStopException]` catches it too.
    pub stopped_by_preference: bool,
    /// The activity CategoryInfo names when it is not the command (Write-Error
    /// inside a function is reported against the function).
    pub activity: Option<String>,
    /// A cmdlet's ThrowTerminatingError: it ends the statement (a try
    /// catches it) instead of being written as one record's failure.
    pub terminating: bool,
    /// The innermost statement the error ended: where a trap's `break`
    /// reports it when it passes the error on.
    pub statement_span: Option<Span>,
}

impl std::fmt::Display for ErrorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorRecord {}

impl ErrorRecord {
    pub fn new(message: impl Into<String>, category: Category, error_id: &str, reason: &str) -> ErrorRecord {
        ErrorRecord {
            message: message.into(),
            command: None,
            category,
            target: String::new(),
            target_type: String::new(),
            reason: reason.to_string(),
            error_id: error_id.to_string(),
            qualify_id: true,
            command_class: None,
            span: None,
            position: None,
            exception_type: String::new(),
            target_object: None,
            exception: None,
            thrown: false,
            inner: None,
            stopped_by_preference: false,
            activity: None,
            terminating: false,
            statement_span: None,
        }
    }

    /// The exception's full .NET type name.
    pub fn exception_type(&self) -> String {
        if let Some(e) = &self.exception {
            return e.type_name.to_string();
        }
        if !self.exception_type.is_empty() {
            return self.exception_type.clone();
        }
        super::exceptions::full_name(&self.reason)
    }

    /// The exception as `$_.Exception` shows it.
    pub fn exception_value(&self) -> super::value::Exception {
        match &self.exception {
            Some(e) => (**e).clone(),
            None => {
                let mut e = super::value::Exception::new(&self.exception_type(), &self.message);
                e.inner = self.inner.clone();
                e.thrown = self.thrown;
                e
            }
        }
    }

    /// The .NET exception this error wraps (`$_.Exception.InnerException`).
    pub fn with_inner(mut self, type_name: &str, message: &str) -> Self {
        self.inner = Some(std::rc::Rc::new(super::value::Exception::new(type_name, message)));
        self
    }

    pub fn with_exception_type(mut self, full_name: &str) -> Self {
        self.exception_type = full_name.to_string();
        self
    }

    pub fn with_target(mut self, target: impl Into<String>, target_type: &str) -> Self {
        self.target = target.into();
        self.target_type = target_type.to_string();
        self
    }

    pub fn at(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    pub fn unqualified(mut self) -> Self {
        self.qualify_id = false;
        self
    }

    pub fn fully_qualified_id(&self) -> String {
        match (&self.command, self.qualify_id) {
            (Some(c), true) => format!("{},{}", self.error_id, self.command_class.as_deref().unwrap_or(c)),
            _ => self.error_id.clone(),
        }
    }

    /// `{Category}: ({Target}:{Type}) [{Activity}], {Reason}`, each long part
    /// shortened as PowerShell does.
    pub fn category_info(&self) -> String {
        format!(
            "{}: ({}:{}) [{}], {}",
            self.category.name(),
            shorten(&self.target),
            shorten(&self.target_type),
            shorten(self.activity.as_deref().or(self.command.as_deref()).unwrap_or("")),
            shorten(&self.reason)
        )
    }

    // ---- the messages PowerShell and Exchange print -----------------------

    pub fn command_not_found(name: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("The term '{name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."),
            Category::ObjectNotFound,
            "CommandNotFoundException",
            "CommandNotFoundException",
        )
        .with_target(name, "String")
        .unqualified()
    }

    pub fn parameter_not_found(name: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("A parameter cannot be found that matches parameter name '{name}'."),
            Category::InvalidArgument,
            "NamedParameterNotFound",
            "ParameterBindingException",
        )
    }

    pub fn ambiguous_parameter(name: &str, matches: &[&str]) -> ErrorRecord {
        let list: Vec<String> = matches.iter().map(|m| format!("-{m}")).collect();
        ErrorRecord::new(
            format!(
                "Parameter cannot be processed because the parameter name '{name}' is ambiguous. Possible matches include: {}.",
                list.join(" ")
            ),
            Category::InvalidArgument,
            "AmbiguousParameter",
            "ParameterBindingException",
        )
    }

    pub fn argument_transformation(param: &str, detail: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("Cannot process argument transformation on parameter '{param}'. {detail}"),
            Category::InvalidData,
            "ParameterArgumentTransformationError",
            "ParameterBindingArgumentTransformationException",
        )
    }

    pub fn argument_validation(param: &str, detail: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("Cannot validate argument on parameter '{param}'. {detail}"),
            Category::InvalidData,
            "ParameterArgumentValidationError",
            "ParameterBindingValidationException",
        )
    }

    pub fn missing_argument(param: &str, type_name: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!(
                "Missing an argument for parameter '{param}'. Specify a parameter of type '{type_name}' and try again."
            ),
            Category::InvalidArgument,
            "MissingArgument",
            "ParameterBindingException",
        )
    }

    pub fn missing_mandatory(names: &[&str]) -> ErrorRecord {
        ErrorRecord::new(
            format!("Cannot process command because of one or more missing mandatory parameters: {}.", names.join(" ")),
            Category::InvalidArgument,
            "MissingMandatoryParameter",
            "ParameterBindingException",
        )
    }

    pub fn positional_not_found(arg: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("A positional parameter cannot be found that accepts argument '{arg}'."),
            Category::InvalidArgument,
            "PositionalParameterNotFound",
            "ParameterBindingException",
        )
    }

    pub fn input_not_bound() -> ErrorRecord {
        ErrorRecord::new(
            "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.",
            Category::InvalidArgument,
            "InputObjectNotBound",
            "ParameterBindingException",
        )
    }

    pub fn parameter_bound_twice(name: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!(
                "Cannot bind parameter because parameter '{name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\"."
            ),
            Category::InvalidArgument,
            "ParameterAlreadyBound",
            "ParameterBindingException",
        )
    }

    /// Exchange's "couldn't be found" for an identity that resolves to nothing.
    pub fn object_not_found(identity: &str, server_fqdn: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!(
                "The operation couldn't be performed because object '{identity}' couldn't be found on '{server_fqdn}'."
            ),
            Category::NotSpecified,
            "ManagementObjectNotFoundException",
            "ManagementObjectNotFoundException",
        )
    }

    pub fn object_ambiguous(identity: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("The operation couldn't be performed because '{identity}' matches multiple entries."),
            Category::NotSpecified,
            "ManagementObjectAmbiguousException",
            "ManagementObjectAmbiguousException",
        )
    }

    /// An Exchange task failure with a free-form message.
    pub fn task(message: impl Into<String>, error_id: &str) -> ErrorRecord {
        ErrorRecord::new(message, Category::NotSpecified, error_id, error_id)
    }

    pub fn invalid_operation(message: impl Into<String>, error_id: &str) -> ErrorRecord {
        ErrorRecord::new(message, Category::InvalidOperation, error_id, "RuntimeException").unqualified()
    }
}

fn shorten(part: &str) -> String {
    let chars: Vec<char> = part.chars().collect();
    if chars.len() <= 40 {
        return part.to_string();
    }
    let head: String = chars[..15].iter().collect();
    let tail: String = chars[chars.len() - 15..].iter().collect();
    format!("{head}...{tail}")
}

/// What stops the normal flow of a script.
#[derive(Debug, thiserror::Error)]
pub enum Flow {
    /// A statement-terminating error: the statement stops here; without a
    /// try or trap around it, the error is written and the next statement runs.
    #[error("{0}")]
    Error(Box<ErrorRecord>),
    /// A script-terminating error (`throw`, `-ErrorAction Stop`): unwinds to
    /// the nearest try or trap, else ends the script.
    #[error("{0}")]
    ScriptStop(Box<ErrorRecord>),
    /// `exit N`.
    #[error("exit {0}")]
    Exit(i32),
    /// `break [label]`: ends the loop or switch (the named one).
    #[error("break")]
    Break(Option<std::rc::Rc<str>>),
    /// `continue [label]`: the next iteration of the loop (the named one).
    #[error("continue")]
    Continue(Option<std::rc::Rc<str>>),
    /// `return`: ends the function or script block (its output is written).
    #[error("return")]
    Return,
    /// Select-Object -First has what it needs: upstream commands stop quietly.
    #[error("pipeline stopped")]
    StopUpstream,
    /// Ctrl-C: what runs stops and the prompt comes back.
    #[error("The pipeline has been stopped.")]
    Interrupted,
}

impl Flow {
    /// The error record of a terminating error, if this is one.
    pub fn record(&self) -> Option<&ErrorRecord> {
        match self {
            Flow::Error(r) | Flow::ScriptStop(r) => Some(r),
            _ => None,
        }
    }
}

impl From<ErrorRecord> for Flow {
    fn from(e: ErrorRecord) -> Flow {
        Flow::Error(Box::new(e))
    }
}

pub type Result<T, E = Flow> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_category_parts_are_shortened_in_the_middle() {
        let e = ErrorRecord::new("m", Category::NotSpecified, "X", "ManagementObjectNotFoundExceptionAndMoreTextHere");
        assert_eq!(e.category_info(), "NotSpecified: (:) [], ManagementObjec...AndMoreTextHere");
    }
}
