//! The .NET exception types a script meets: their full names, and which
//! derives from which, so that `catch [System.ArgumentException]` catches
//! an ArgumentNullException as .NET does.

/// (type, base type); `System.Exception` is the root.
const HIERARCHY: &[(&str, &str)] = &[
    ("System.SystemException", "System.Exception"),
    ("System.ApplicationException", "System.Exception"),
    ("System.ArgumentException", "System.SystemException"),
    ("System.ArgumentNullException", "System.ArgumentException"),
    ("System.ArgumentOutOfRangeException", "System.ArgumentException"),
    ("System.InvalidOperationException", "System.SystemException"),
    ("System.ObjectDisposedException", "System.InvalidOperationException"),
    ("System.NotSupportedException", "System.SystemException"),
    ("System.NotImplementedException", "System.SystemException"),
    ("System.FormatException", "System.SystemException"),
    ("System.InvalidCastException", "System.SystemException"),
    ("System.ArithmeticException", "System.SystemException"),
    ("System.DivideByZeroException", "System.ArithmeticException"),
    ("System.OverflowException", "System.ArithmeticException"),
    ("System.NullReferenceException", "System.SystemException"),
    ("System.IndexOutOfRangeException", "System.SystemException"),
    ("System.Collections.Generic.KeyNotFoundException", "System.SystemException"),
    ("System.TimeoutException", "System.SystemException"),
    ("System.UnauthorizedAccessException", "System.SystemException"),
    ("System.IO.IOException", "System.SystemException"),
    ("System.IO.FileNotFoundException", "System.IO.IOException"),
    ("System.IO.DirectoryNotFoundException", "System.IO.IOException"),
    ("System.IO.PathTooLongException", "System.IO.IOException"),
    ("System.Net.WebException", "System.InvalidOperationException"),
    ("System.Runtime.InteropServices.ExternalException", "System.SystemException"),
    ("System.ComponentModel.Win32Exception", "System.Runtime.InteropServices.ExternalException"),
    ("System.Net.Sockets.SocketException", "System.ComponentModel.Win32Exception"),
    ("System.Management.Automation.RuntimeException", "System.SystemException"),
    ("System.Management.Automation.ParameterBindingException", "System.Management.Automation.RuntimeException"),
    (
        "System.Management.Automation.ParameterBindingArgumentTransformationException",
        "System.Management.Automation.ParameterBindingException",
    ),
    (
        "System.Management.Automation.ParameterBindingValidationException",
        "System.Management.Automation.ParameterBindingException",
    ),
    ("System.Management.Automation.CommandNotFoundException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.SessionStateException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.ItemNotFoundException", "System.Management.Automation.SessionStateException"),
    (
        "System.Management.Automation.SessionStateUnauthorizedAccessException",
        "System.Management.Automation.SessionStateException",
    ),
    ("System.Management.Automation.DriveNotFoundException", "System.Management.Automation.SessionStateException"),
    ("System.Management.Automation.ActionPreferenceStopException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.MethodException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.MethodInvocationException", "System.Management.Automation.MethodException"),
    ("System.Management.Automation.PipelineStoppedException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.ParseException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.MetadataException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.ValidationMetadataException", "System.Management.Automation.MetadataException"),
    (
        "System.Management.Automation.ArgumentTransformationMetadataException",
        "System.Management.Automation.MetadataException",
    ),
    ("System.Management.Automation.PSArgumentException", "System.ArgumentException"),
    ("System.Management.Automation.PSArgumentNullException", "System.ArgumentNullException"),
    ("System.Management.Automation.PSInvalidOperationException", "System.InvalidOperationException"),
    ("System.Management.Automation.PSInvalidCastException", "System.InvalidCastException"),
    ("System.Management.Automation.PSNotSupportedException", "System.NotSupportedException"),
    ("System.Management.Automation.SetValueInvocationException", "System.Management.Automation.SetValueException"),
    ("System.Management.Automation.SetValueException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.GetValueException", "System.Management.Automation.RuntimeException"),
    ("System.Management.Automation.PropertyNotFoundException", "System.Management.Automation.RuntimeException"),
    ("Microsoft.PowerShell.Commands.WriteErrorException", "System.SystemException"),
    ("Microsoft.Exchange.Data.LocalizedException", "System.Exception"),
    (
        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
        "Microsoft.Exchange.Data.LocalizedException",
    ),
    (
        "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException",
        "Microsoft.Exchange.Data.LocalizedException",
    ),
    ("Microsoft.Exchange.Configuration.Tasks.TaskException", "Microsoft.Exchange.Data.LocalizedException"),
    ("Microsoft.Exchange.Data.DataValidationException", "Microsoft.Exchange.Data.LocalizedException"),
];

/// The full name of an exception from its short name (as error records carry
/// it in CategoryInfo); an unknown short name is taken from PowerShell's
/// namespace.
pub fn full_name(short: &str) -> String {
    if short.contains('.') {
        return short.to_string();
    }
    if short == "Exception" {
        return "System.Exception".into();
    }
    if let Some(t) = resolve(&format!("System.{short}")) {
        return t.to_string();
    }
    known_types()
        .find(|t| t.rsplit('.').next() == Some(short))
        .map(str::to_string)
        .unwrap_or_else(|| format!("System.Management.Automation.{short}"))
}

fn known_types() -> impl Iterator<Item = &'static str> {
    std::iter::once("System.Exception").chain(HIERARCHY.iter().map(|(t, _)| *t))
}

/// The known exception type a script names (`IOException`,
/// `System.IO.IOException`), with .NET's "System." namespace assumed.
pub fn resolve(written: &str) -> Option<&'static str> {
    let wanted = written.trim_start_matches('[').trim_end_matches(']');
    known_types()
        .find(|t| t.eq_ignore_ascii_case(wanted))
        .or_else(|| known_types().find(|t| t.strip_prefix("System.").is_some_and(|r| r.eq_ignore_ascii_case(wanted))))
}

/// Whether an exception of type `thrown` is caught by `catch [wanted]`.
pub fn derives_from(thrown: &str, wanted: &str) -> bool {
    let mut current = thrown.to_string();
    for _ in 0..16 {
        if current.eq_ignore_ascii_case(wanted) {
            return true;
        }
        match HIERARCHY.iter().find(|(t, _)| t.eq_ignore_ascii_case(&current)) {
            Some((_, base)) => current = base.to_string(),
            None => return wanted.eq_ignore_ascii_case("System.Exception"),
        }
    }
    false
}

/// Whether `name` is an exception type mailsh knows (for `[X]::new()` and
/// `New-Object`).
pub fn is_exception_type(name: &str) -> bool {
    resolve(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_exceptions_are_caught_by_their_bases() {
        assert!(derives_from("System.ArgumentNullException", "System.ArgumentException"));
        assert!(derives_from("System.Management.Automation.ItemNotFoundException", "System.Exception"));
        assert!(!derives_from("System.ArgumentException", "System.IO.IOException"));
    }

    #[test]
    fn short_names_resolve_in_the_system_namespace() {
        assert_eq!(resolve("ArgumentException"), Some("System.ArgumentException"));
        assert_eq!(resolve("System.IO.IOException"), Some("System.IO.IOException"));
        assert_eq!(full_name("ParameterBindingException"), "System.Management.Automation.ParameterBindingException");
        assert_eq!(
            full_name("ManagementObjectNotFoundException"),
            "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException"
        );
    }
}
