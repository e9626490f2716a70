//! The default view of each object type, as Exchange and PowerShell ship
//! them (format.ps1xml). Column widths marked fixed are streamed row by row.

use crate::runtime::value::Object;

pub struct ColumnSpec {
    pub label: &'static str,
    pub property: &'static str,
    pub width: Option<usize>,
}

pub enum View {
    Table(&'static [ColumnSpec]),
    List(&'static [&'static str]),
    /// No registered view: a table of every property when there are four or
    /// fewer, else a list, as PowerShell decides.
    Auto,
}

const fn col(label: &'static str, property: &'static str, width: usize) -> ColumnSpec {
    ColumnSpec { label, property, width: Some(width) }
}

const fn auto(label: &'static str, property: &'static str) -> ColumnSpec {
    ColumnSpec { label, property, width: None }
}

pub const CAS_MAILBOX: &str = "Microsoft.Exchange.Data.Directory.Management.CASMailbox";
pub const MAILBOX: &str = "Microsoft.Exchange.Data.Directory.Management.Mailbox";
pub const MAILBOX_STATISTICS: &str = "Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics";
pub const IMAP_SETTINGS: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.Imap4AdConfiguration";
pub const POP_SETTINGS: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.Pop3AdConfiguration";
pub const SERVICE: &str = "System.ServiceProcess.ServiceController";
pub const OWA_VDIR: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory";
pub const AUDIT_ENTRY: &str = "Microsoft.Exchange.Management.SystemConfigurationTasks.AdminAuditLogEvent";
pub const CONNECTIVITY: &str = "Microsoft.Exchange.Monitoring.CasTransactionOutcome";
pub const COMMAND_INFO: &str = "System.Management.Automation.CmdletInfo";
pub const MEASURE_INFO: &str = "Microsoft.PowerShell.Commands.GenericMeasureInfo";
pub const GROUP_INFO: &str = "Microsoft.PowerShell.Commands.GroupInfo";
pub const GROUP_INFO_NO_ELEMENT: &str = "Microsoft.PowerShell.Commands.GroupInfoNoElement";
pub const HELP_INFO: &str = "MamlCommandHelpInfo";

static CAS_MAILBOX_TABLE: [ColumnSpec; 6] = [
    col("Name", "Name", 20),
    col("ActiveSyncEnabled", "ActiveSyncEnabled", 17),
    col("OWAEnabled", "OWAEnabled", 10),
    col("PopEnabled", "PopEnabled", 10),
    col("ImapEnabled", "ImapEnabled", 11),
    col("MapiEnabled", "MAPIEnabled", 11),
];

static MAILBOX_TABLE: [ColumnSpec; 4] = [
    col("Name", "Name", 25),
    col("Alias", "Alias", 20),
    col("ServerName", "ServerName", 16),
    col("ProhibitSendQuota", "ProhibitSendQuota", 17),
];

static PROTOCOL_TABLE: [ColumnSpec; 4] = [
    col("UnencryptedOrTLSBindings", "UnencryptedOrTLSBindings", 25),
    col("SSLBindings", "SSLBindings", 25),
    col("LoginType", "LoginType", 19),
    auto("X509CertificateName", "X509CertificateName"),
];

static SERVICE_TABLE: [ColumnSpec; 3] =
    [col("Status", "Status", 8), col("Name", "Name", 18), col("DisplayName", "DisplayName", 38)];

static OWA_TABLE: [ColumnSpec; 3] =
    [auto("Name", "Name"), auto("Server", "Server"), auto("InternalUrl", "InternalUrl")];

static CONNECTIVITY_TABLE: [ColumnSpec; 6] = [
    col("CasServer", "ClientAccessServerShortName", 15),
    col("LocalSite", "LocalSiteShortName", 15),
    col("Scenario", "Scenario", 25),
    col("Result", "Result", 10),
    col("Latency(MS)", "LatencyInMillisecondsString", 11),
    auto("Error", "Error"),
];

static COMMAND_TABLE: [ColumnSpec; 4] = [
    col("CommandType", "CommandType", 15),
    col("Name", "Name", 50),
    col("Version", "Version", 10),
    auto("Source", "Source"),
];

static GROUP_TABLE: [ColumnSpec; 3] = [col("Count", "Count", 5), col("Name", "Name", 25), auto("Group", "Group")];

static GROUP_NO_ELEMENT_TABLE: [ColumnSpec; 2] = [col("Count", "Count", 5), auto("Name", "Name")];

static MAILBOX_STATISTICS_TABLE: [ColumnSpec; 4] = [
    col("DisplayName", "DisplayName", 20),
    col("ItemCount", "ItemCount", 9),
    col("StorageLimitStatus", "StorageLimitStatus", 18),
    auto("LastLogonTime", "LastLogonTime"),
];

static MEASURE_LIST: [&str; 6] = ["Count", "Average", "Sum", "Maximum", "Minimum", "Property"];

pub fn default_view(o: &Object) -> View {
    match o.type_name() {
        CAS_MAILBOX => View::Table(&CAS_MAILBOX_TABLE),
        MAILBOX => View::Table(&MAILBOX_TABLE),
        MAILBOX_STATISTICS => View::Table(&MAILBOX_STATISTICS_TABLE),
        IMAP_SETTINGS | POP_SETTINGS => View::Table(&PROTOCOL_TABLE),
        SERVICE => View::Table(&SERVICE_TABLE),
        OWA_VDIR => View::Table(&OWA_TABLE),
        CONNECTIVITY => View::Table(&CONNECTIVITY_TABLE),
        COMMAND_INFO => View::Table(&COMMAND_TABLE),
        GROUP_INFO => View::Table(&GROUP_TABLE),
        GROUP_INFO_NO_ELEMENT => View::Table(&GROUP_NO_ELEMENT_TABLE),
        MEASURE_INFO => View::List(&MEASURE_LIST),
        _ => View::Auto,
    }
}
