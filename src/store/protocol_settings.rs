//! The server-wide IMAP4 and POP3 settings (Get-/Set-ImapSettings,
//! Get-/Set-PopSettings), stored as one JSON document per protocol so that a
//! Set replaces the whole record atomically.

use serde::{Deserialize, Serialize};

use super::enums::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolSettings {
    pub protocol: Protocol,
    pub calendar_item_retrieval_option: CalendarItemRetrievalOption,
    pub owa_server_url: Option<String>,
    pub login_type: LoginType,
    /// `address:port`, `[v6]:port`.
    pub unencrypted_or_tls_bindings: Vec<String>,
    pub ssl_bindings: Vec<String>,
    /// `host:port:TLS|SSL`.
    pub internal_connection_settings: Vec<String>,
    pub external_connection_settings: Vec<String>,
    pub x509_certificate_name: String,
    pub banner: String,
    /// Seconds.
    pub authenticated_connection_timeout: i64,
    /// Seconds.
    pub preauthenticated_connection_timeout: i64,
    pub max_connections: i64,
    pub max_connection_from_single_ip: i64,
    pub max_connections_per_user: i64,
    pub max_command_size: i64,
    pub message_retrieval_mime_format: MimeTextFormat,
    /// POP3 only.
    pub message_retrieval_sort_order: SortOrder,
    /// IMAP4 only.
    pub show_hidden_folders_enabled: bool,
    /// Where the back end listens for the front end.
    pub proxy_target_port: i64,
    pub enable_exact_rfc822_size: bool,
    pub live_id_basic_auth_replacement: bool,
    pub suppress_read_receipt: bool,
    pub protocol_log_enabled: bool,
    pub enforce_certificate_errors: bool,
    pub log_file_location: String,
    pub log_file_roll_over_settings: LogFileRollOver,
    /// Bytes; 0 is unlimited.
    pub log_per_file_size_quota: u64,
    pub extended_protection_policy: ExtendedProtectionTokenChecking,
    pub enable_gssapi_and_ntlm_auth: bool,
    /// IMAP4 only: what CAPABILITY lists (Full, or Exchange 2013's list for
    /// clients that must see exactly Exchange). Absent in stores written
    /// before it existed: Full.
    #[serde(default)]
    pub advertised_capabilities: AdvertisedCapabilities,
}

impl ProtocolSettings {
    /// Exchange 2013's defaults for a new server.
    pub fn defaults(protocol: Protocol, fqdn: &str, log_root: &str) -> ProtocolSettings {
        let (plain, ssl, proxy, max_cmd, banner, log_dir) = match protocol {
            Protocol::Imap4 => (143, 993, 1993, 10240, "The Microsoft Exchange IMAP4 service is ready.", "Imap4"),
            Protocol::Pop3 => (110, 995, 1995, 512, "The Microsoft Exchange POP3 service is ready.", "Pop3"),
        };
        ProtocolSettings {
            protocol,
            calendar_item_retrieval_option: CalendarItemRetrievalOption::ICalendar,
            owa_server_url: None,
            login_type: LoginType::SecureLogin,
            unencrypted_or_tls_bindings: vec![format!("[::]:{plain}"), format!("0.0.0.0:{plain}")],
            ssl_bindings: vec![format!("[::]:{ssl}"), format!("0.0.0.0:{ssl}")],
            internal_connection_settings: vec![format!("{fqdn}:{ssl}:SSL"), format!("{fqdn}:{plain}:TLS")],
            external_connection_settings: vec![],
            x509_certificate_name: fqdn.to_string(),
            banner: banner.to_string(),
            authenticated_connection_timeout: 30 * 60,
            preauthenticated_connection_timeout: 60,
            max_connections: i32::MAX as i64,
            max_connection_from_single_ip: i32::MAX as i64,
            max_connections_per_user: 16,
            max_command_size: max_cmd,
            message_retrieval_mime_format: MimeTextFormat::BestBodyFormat,
            message_retrieval_sort_order: SortOrder::Ascending,
            show_hidden_folders_enabled: false,
            proxy_target_port: proxy,
            enable_exact_rfc822_size: false,
            live_id_basic_auth_replacement: false,
            suppress_read_receipt: false,
            protocol_log_enabled: false,
            enforce_certificate_errors: false,
            log_file_location: format!("{log_root}/Logging/{log_dir}"),
            log_file_roll_over_settings: LogFileRollOver::Daily,
            log_per_file_size_quota: 0,
            extended_protection_policy: ExtendedProtectionTokenChecking::None,
            advertised_capabilities: AdvertisedCapabilities::Full,
            enable_gssapi_and_ntlm_auth: true,
        }
    }
}
