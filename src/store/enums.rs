//! Exchange's enumerations as Rust enums: member names in .NET order and
//! the full .NET type name (best knowledge; they live here only). The store
//! keeps them by name; how the shell shows them as values is the runtime's
//! (`runtime::types::exchange`).

use serde::{Deserialize, Serialize};

/// What an Exchange enumeration tells about itself.
pub trait ExchangeEnum: Copy + Sized + 'static {
    /// The .NET type name, for error messages and GetType().
    const TYPE_NAME: &'static str;
    /// The member names in .NET order.
    const MEMBERS: &'static [&'static str];
    /// The member's position in `MEMBERS`.
    fn index(self) -> usize;
    /// The member at a position of `MEMBERS`.
    fn from_index(index: usize) -> Option<Self>;
}

macro_rules! exchange_enum {
    ($name:ident, $type_name:expr, [$($variant:ident = $text:expr),+ $(,)?]) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl ExchangeEnum for $name {
            const TYPE_NAME: &'static str = $type_name;
            const MEMBERS: &'static [&'static str] = &[$($text),+];
            fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }
            fn from_index(index: usize) -> Option<Self> {
                Self::ALL.get(index).copied()
            }
        }

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
        }
    };
}

exchange_enum!(
    CalendarItemRetrievalOption,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.CalendarItemRetrievalOptions",
    [ICalendar = "iCalendar", IntranetUrl = "intranetUrl", InternetUrl = "InternetUrl", Custom = "Custom"]
);

exchange_enum!(
    LoginType,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.LoginOptions",
    [
        PlainTextLogin = "PlainTextLogin",
        PlainTextAuthentication = "PlainTextAuthentication",
        SecureLogin = "SecureLogin"
    ]
);

exchange_enum!(
    MimeTextFormat,
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
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.SortOrder",
    [Ascending = "Ascending", Descending = "Descending"]
);

exchange_enum!(
    LogFileRollOver,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.LogFileRollOver",
    [Hourly = "Hourly", Daily = "Daily", Weekly = "Weekly", Monthly = "Monthly"]
);

exchange_enum!(
    ExtendedProtectionTokenChecking,
    "Microsoft.Exchange.Data.Directory.ExtendedProtectionTokenCheckingMode",
    [None = "None", Allow = "Allow", Require = "Require"]
);

exchange_enum!(
    StartupType,
    "System.ServiceProcess.ServiceStartMode",
    [Automatic = "Automatic", Manual = "Manual", Disabled = "Disabled"]
);

exchange_enum!(
    Protocol,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.Protocol",
    [Imap4 = "IMAP4", Pop3 = "POP3"]
);

exchange_enum!(
    TransportRole,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole",
    [FrontendTransport = "FrontendTransport", HubTransport = "HubTransport"]
);

exchange_enum!(
    AcceptedDomainType,
    "Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomainType",
    [Authoritative = "Authoritative", ExternalRelay = "ExternalRelay", InternalRelay = "InternalRelay"]
);

exchange_enum!(
    ProtocolLoggingLevel,
    "Microsoft.Exchange.Data.ProtocolLoggingLevel",
    [None = "None", Verbose = "Verbose"]
);
