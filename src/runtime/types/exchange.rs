//! Exchange's enumerations (declared by the store, which keeps them by
//! name) as the shell's values: the `EnumDef` each parameter type and each
//! property value points to, and the conversion both ways.

use crate::store::{AcceptedDomainType, ProtocolLoggingLevel, TransportRole};
use crate::store::{
    AdvertisedCapabilities, CalendarItemRetrievalOption, ExchangeEnum, ExtendedProtectionTokenChecking,
    LogFileRollOver, LoginType, MimeTextFormat, Protocol, SortOrder, StartupType,
};

use super::super::value::{EnumDef, Value};

/// An Exchange enumeration as a shell value.
pub trait EnumValue: ExchangeEnum {
    /// The description the binder, the formatter and GetType() read.
    fn def() -> &'static EnumDef;

    fn to_value(self) -> Value {
        Value::Enum(Self::def(), self.index() as u16)
    }

    /// From a bound enum value (the binder already checked the member), or
    /// from a member name in any case.
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Enum(_, i) => Self::from_index(*i as usize),
            other => {
                let text = other.to_text();
                Self::MEMBERS.iter().position(|m| m.eq_ignore_ascii_case(&text)).and_then(Self::from_index)
            }
        }
    }
}

macro_rules! enum_values {
    ($($ty:ident => $def:ident),+ $(,)?) => {
        $(
            pub static $def: EnumDef =
                EnumDef { type_name: <$ty as ExchangeEnum>::TYPE_NAME, members: <$ty as ExchangeEnum>::MEMBERS };

            impl EnumValue for $ty {
                fn def() -> &'static EnumDef {
                    &$def
                }
            }
        )+
    };
}

enum_values!(
    CalendarItemRetrievalOption => CALENDAR_ITEM_RETRIEVAL_OPTION,
    LoginType => LOGIN_TYPE,
    MimeTextFormat => MIME_TEXT_FORMAT,
    AdvertisedCapabilities => ADVERTISED_CAPABILITIES,
    SortOrder => SORT_ORDER,
    LogFileRollOver => LOG_FILE_ROLL_OVER,
    ExtendedProtectionTokenChecking => EXTENDED_PROTECTION,
    StartupType => STARTUP_TYPE,
    Protocol => PROTOCOL,
    TransportRole => TRANSPORT_ROLE,
    AcceptedDomainType => ACCEPTED_DOMAIN_TYPE,
    ProtocolLoggingLevel => PROTOCOL_LOGGING_LEVEL,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_goes_to_a_value_and_back_by_position_and_by_name() {
        let v = MimeTextFormat::HtmlOnly.to_value();
        assert_eq!(v.to_text(), "HtmlOnly");
        assert_eq!(MimeTextFormat::from_value(&v), Some(MimeTextFormat::HtmlOnly));
        assert_eq!(MimeTextFormat::from_value(&Value::str("textonly")), Some(MimeTextFormat::TextOnly));
        assert_eq!(MimeTextFormat::from_value(&Value::str("Rtf")), None);
        assert_eq!(STARTUP_TYPE.type_name, "System.ServiceProcess.ServiceStartMode");
    }
}
