//! .NET enumerations scripts name: `[ConsoleColor]::Red`,
//! `[MidpointRounding]::AwayFromZero`, `[StringSplitOptions]::RemoveEmptyEntries`.

use super::super::value::EnumDef;

pub static CONSOLE_COLOR: EnumDef = EnumDef {
    type_name: "System.ConsoleColor",
    members: &[
        "Black",
        "DarkBlue",
        "DarkGreen",
        "DarkCyan",
        "DarkRed",
        "DarkMagenta",
        "DarkYellow",
        "Gray",
        "DarkGray",
        "Blue",
        "Green",
        "Cyan",
        "Red",
        "Magenta",
        "Yellow",
        "White",
    ],
};

pub static MIDPOINT_ROUNDING: EnumDef =
    EnumDef { type_name: "System.MidpointRounding", members: &["ToEven", "AwayFromZero"] };

pub static STRING_SPLIT_OPTIONS: EnumDef =
    EnumDef { type_name: "System.StringSplitOptions", members: &["None", "RemoveEmptyEntries"] };

pub static DAY_OF_WEEK: EnumDef = EnumDef {
    type_name: "System.DayOfWeek",
    members: &["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

pub static DATE_TIME_KIND: EnumDef =
    EnumDef { type_name: "System.DateTimeKind", members: &["Unspecified", "Utc", "Local"] };

pub static ERROR_CATEGORY: EnumDef = EnumDef {
    type_name: "System.Management.Automation.ErrorCategory",
    members: &[
        "NotSpecified",
        "OpenError",
        "CloseError",
        "DeviceError",
        "DeadlockDetected",
        "InvalidArgument",
        "InvalidData",
        "InvalidOperation",
        "InvalidResult",
        "InvalidType",
        "MetadataError",
        "NotImplemented",
        "NotInstalled",
        "ObjectNotFound",
        "OperationStopped",
        "OperationTimeout",
        "SyntaxError",
        "ParserError",
        "PermissionDenied",
        "ResourceBusy",
        "ResourceExists",
        "ResourceUnavailable",
        "ReadError",
        "WriteError",
        "FromStdErr",
        "SecurityError",
        "ProtocolError",
        "ConnectionError",
        "AuthenticationError",
        "LimitsExceeded",
        "QuotaExceeded",
        "NotEnabled",
    ],
};

/// Enumerations by the names PowerShell resolves (short or full).
pub fn by_name(lower: &str) -> Option<&'static EnumDef> {
    let all: [&'static EnumDef; 7] = [
        &CONSOLE_COLOR,
        &MIDPOINT_ROUNDING,
        &STRING_SPLIT_OPTIONS,
        &DAY_OF_WEEK,
        &DATE_TIME_KIND,
        &ERROR_CATEGORY,
        &super::super::signature::ACTION_PREFERENCE,
    ];
    all.into_iter().find(|d| {
        let full = d.type_name.to_ascii_lowercase();
        full == lower || full.rsplit('.').next() == Some(lower) || full.strip_prefix("system.") == Some(lower)
    })
}
