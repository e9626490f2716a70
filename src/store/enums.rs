//! Exchange's enumerations as Rust enums, each with the static description
//! the binder uses (member names in .NET order, full type name for errors).
//! The .NET type names are best knowledge; they live here only.

use serde::{Deserialize, Serialize};

use crate::runtime::value::{EnumDef, Value};

macro_rules! exchange_enum {
    ($name:ident, $def:ident, $type_name:expr, [$($variant:ident = $text:expr),+ $(,)?]) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        pub static $def: EnumDef = EnumDef { type_name: $type_name, members: &[$($text),+] };

        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The member name as Exchange prints it.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Case-insensitive lookup of an exact member name.
            pub fn from_name(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.name().eq_ignore_ascii_case(text))
            }
            pub fn to_value(self) -> Value {
                let index = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
                Value::Enum(&$def, index as u16)
            }
            /// From a bound enum value (the binder already checked the member).
            pub fn from_value(v: &Value) -> Option<$name> {
                match v {
                    Value::Enum(_, i) => Self::ALL.get(*i as usize).copied(),
                    other => Self::from_name(&other.to_text()),
                }
            }
        }
    };
}

exchange_enum!(
    CalendarItemRetrievalOption,
    CALENDAR_ITEM_RETRIEVAL_OPTION,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.CalendarItemRetrievalOptions",
    [ICalendar = "iCalendar", IntranetUrl = "intranetUrl", InternetUrl = "InternetUrl", Custom = "Custom"]
);

exchange_enum!(
    LoginType,
    LOGIN_TYPE,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.LoginOptions",
    [
        PlainTextLogin = "PlainTextLogin",
        PlainTextAuthentication = "PlainTextAuthentication",
        SecureLogin = "SecureLogin"
    ]
);

exchange_enum!(
    MimeTextFormat,
    MIME_TEXT_FORMAT,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.MimeTextFormat",
    [
        TextOnly = "TextOnly",
        HtmlOnly = "HtmlOnly",
        HtmlAndTextAlternative = "HtmlAndTextAlternative",
        TextEnrichedOnly = "TextEnrichedOnly",
        TextEnrichedAndTextAlternative = "TextEnrichedAndTextAlternative",
        BestBodyFormat = "BestBodyFormat",
        Tnef = "Tnef"
    ]
);

exchange_enum!(
    AdvertisedCapabilities,
    ADVERTISED_CAPABILITIES,
    "Mailsh.Configuration.AdvertisedCapabilities",
    [Full = "Full", Exchange2013 = "Exchange2013"]
);

impl Default for AdvertisedCapabilities {
    /// Every extension mailsh implements.
    fn default() -> Self {
        AdvertisedCapabilities::Full
    }
}

exchange_enum!(
    SortOrder,
    SORT_ORDER,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.SortOrder",
    [Ascending = "Ascending", Descending = "Descending"]
);

exchange_enum!(
    LogFileRollOver,
    LOG_FILE_ROLL_OVER,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.LogFileRollOver",
    [Hourly = "Hourly", Daily = "Daily", Weekly = "Weekly", Monthly = "Monthly"]
);

exchange_enum!(
    ExtendedProtectionTokenChecking,
    EXTENDED_PROTECTION,
    "Microsoft.Exchange.Data.Directory.ExtendedProtectionTokenCheckingMode",
    [None = "None", Allow = "Allow", Require = "Require"]
);

exchange_enum!(
    StartupType,
    STARTUP_TYPE,
    "System.ServiceProcess.ServiceStartMode",
    [Automatic = "Automatic", Manual = "Manual", Disabled = "Disabled"]
);

exchange_enum!(
    Protocol,
    PROTOCOL,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.Protocol",
    [Imap4 = "IMAP4", Pop3 = "POP3"]
);
