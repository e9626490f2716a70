//! The default view of each object type, as Exchange and PowerShell ship
//! them (format.ps1xml). Column widths marked fixed are streamed row by row.

use crate::runtime::value::{Object, Value};

pub struct ColumnSpec {
    pub label: &'static str,
    pub property: &'static str,
    pub width: Option<usize>,
    /// `Some(true)` right-aligned, `Some(false)` left-aligned whatever the
    /// values; `None`: numbers right, text left.
    pub align: Option<bool>,
    /// A cell computed from the object (a view's script block).
    pub cell: Option<fn(&Object) -> String>,
}

/// A table that starts again under a heading each time a property's value
/// changes: the files of each folder, the members of each type.
pub struct Group {
    pub property: &'static str,
    /// The text before the table's header, blank lines included; `first`
    /// when no table of this view comes just before it.
    pub heading: fn(&Value, bool) -> String,
}

pub enum View {
    Table(&'static [ColumnSpec]),
    Grouped(&'static [ColumnSpec], &'static Group),
    List(&'static [&'static str]),
    /// Each object's text on a line of its own (Select-String's
    /// MatchInfo), a blank line before and after.
    Lines(fn(&Object) -> String),
    /// No registered view: a table of every property when there are four or
    /// fewer, else a list, as PowerShell decides.
    Auto,
}

const fn col(label: &'static str, property: &'static str, width: usize) -> ColumnSpec {
    ColumnSpec { label, property, width: Some(width), align: None, cell: None }
}

const fn auto(label: &'static str, property: &'static str) -> ColumnSpec {
    ColumnSpec { label, property, width: None, align: None, cell: None }
}

/// A column left-aligned whatever its values (a view that says so).
const fn left(label: &'static str, property: &'static str, width: Option<usize>) -> ColumnSpec {
    ColumnSpec { label, property, width, align: Some(false), cell: None }
}

const fn computed(label: &'static str, width: usize, cell: fn(&Object) -> String) -> ColumnSpec {
    ColumnSpec { label, property: label, width: Some(width), align: Some(true), cell: Some(cell) }
}

pub const EXCHANGE_SERVER: &str = "Microsoft.Exchange.Data.Directory.Management.ExchangeServer";
pub const CAS_MAILBOX: &str = "Microsoft.Exchange.Data.Directory.Management.CASMailbox";
pub const MAILBOX: &str = "Microsoft.Exchange.Data.Directory.Management.Mailbox";
pub const MOVE_REQUEST: &str = "Microsoft.Exchange.Management.RecipientTasks.MoveRequest";
pub const MOVE_REQUEST_STATISTICS: &str = "Microsoft.Exchange.Management.MailboxReplication.MoveRequestStatistics";
pub const MAILBOX_DATABASE: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase";
pub const MAILBOX_STATISTICS: &str = "Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics";
pub const IMAP_SETTINGS: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.Imap4AdConfiguration";
pub const POP_SETTINGS: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.Pop3AdConfiguration";
pub const SERVICE: &str = "System.ServiceProcess.ServiceController";
pub const RECEIVE_CONNECTOR: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector";
pub const SEND_CONNECTOR: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig";
pub const MESSAGE_TRACKING_EVENT: &str = "Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent";
pub const ACCEPTED_DOMAIN: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain";
pub const QUEUE: &str = "Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo";
pub const QUEUED_MESSAGE: &str = "Microsoft.Exchange.Data.QueueViewer.ExtensibleMessageInfo";
pub const TRANSPORT_CONFIG: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportConfigContainer";
pub const TRANSPORT_SERVICE: &str = "Microsoft.Exchange.Data.Directory.Management.TransportServer";
pub const OWA_VDIR: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory";
pub const ROLE_GROUP: &str = "Microsoft.Exchange.Management.RbacTasks.RoleGroup";
pub const DISTRIBUTION_GROUP: &str = "Microsoft.Exchange.Data.Directory.Management.DistributionGroup";
pub const ROLE_GROUP_MEMBER: &str = "Microsoft.Exchange.Data.Directory.Management.ReducedRecipient";
pub const ECP_VDIR: &str = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADEcpVirtualDirectory";
pub const AUDIT_ENTRY: &str = "Microsoft.Exchange.Management.SystemConfigurationTasks.AdminAuditLogEvent";
pub const CONNECTIVITY: &str = "Microsoft.Exchange.Monitoring.CasTransactionOutcome";
pub const COMMAND_INFO: &str = "System.Management.Automation.CmdletInfo";
pub const MEASURE_INFO: &str = "Microsoft.PowerShell.Commands.GenericMeasureInfo";
pub const GROUP_INFO: &str = "Microsoft.PowerShell.Commands.GroupInfo";
pub const GROUP_INFO_NO_ELEMENT: &str = "Microsoft.PowerShell.Commands.GroupInfoNoElement";
pub const HELP_INFO: &str = "MamlCommandHelpInfo";
pub const DICTIONARY_ENTRY: &str = "System.Collections.DictionaryEntry";
pub const RUNTIME_TYPE: &str = "System.RuntimeType";
pub const TIMESPAN: &str = "System.TimeSpan";
pub const GUID: &str = "System.Guid";
pub const FILE_INFO: &str = "System.IO.FileInfo";
pub const DIRECTORY_INFO: &str = "System.IO.DirectoryInfo";
pub const MEMBER_DEFINITION: &str = "Microsoft.PowerShell.Commands.MemberDefinition";
pub const MATCH_INFO: &str = "Microsoft.PowerShell.Commands.MatchInfo";
pub const PS_METHOD: &str = "System.Management.Automation.PSMethod";
pub const PATH_INFO: &str = "System.Management.Automation.PathInfo";
pub const PS_VARIABLE: &str = "System.Management.Automation.PSVariable";

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

/// Exchange's `Get-ExchangeServer`: Name, Site, ServerRole, Edition,
/// AdminDisplayVersion.
static EXCHANGE_SERVER_TABLE: [ColumnSpec; 5] = [
    auto("Name", "Name"),
    auto("Site", "Site"),
    auto("ServerRole", "ServerRole"),
    auto("Edition", "Edition"),
    auto("AdminDisplayVersion", "AdminDisplayVersion"),
];

/// Exchange's `Get-MailboxDatabase`: Name, Server, Recovery, ReplicationType.
static MAILBOX_DATABASE_TABLE: [ColumnSpec; 4] = [
    col("Name", "Name", 30),
    col("Server", "Server", 15),
    col("Recovery", "Recovery", 15),
    auto("ReplicationType", "ReplicationType"),
];

/// Exchange's `Get-MoveRequest`: DisplayName, Status, TargetDatabase.
static MOVE_REQUEST_TABLE: [ColumnSpec; 3] =
    [col("DisplayName", "DisplayName", 24), col("Status", "Status", 12), auto("TargetDatabase", "TargetDatabase")];

/// Exchange's `Get-MoveRequestStatistics`.
static MOVE_REQUEST_STATISTICS_TABLE: [ColumnSpec; 5] = [
    col("DisplayName", "DisplayName", 20),
    col("StatusDetail", "StatusDetail", 14),
    col("TotalMailboxSize", "TotalMailboxSize", 24),
    col("TotalArchiveSize", "TotalArchiveSize", 16),
    auto("PercentComplete", "PercentComplete"),
];

static SERVICE_TABLE: [ColumnSpec; 3] =
    [col("Status", "Status", 8), col("Name", "Name", 18), col("DisplayName", "DisplayName", 38)];

/// Exchange's `Get-RoleGroup`: Name, AssignedRoles, RoleAssignments, ManagedBy.
static ROLE_GROUP_TABLE: [ColumnSpec; 4] = [
    col("Name", "Name", 29),
    col("AssignedRoles", "AssignedRoles", 29),
    col("RoleAssignments", "RoleAssignments", 29),
    auto("ManagedBy", "ManagedBy"),
];

/// Exchange's `Get-RoleGroupMember`: Name, RecipientType.
static ROLE_GROUP_MEMBER_TABLE: [ColumnSpec; 2] = [col("Name", "Name", 59), auto("RecipientType", "RecipientType")];

/// Exchange's `Get-DistributionGroup`: Name, DisplayName, GroupType,
/// PrimarySmtpAddress.
static DISTRIBUTION_GROUP_TABLE: [ColumnSpec; 4] = [
    auto("Name", "Name"),
    auto("DisplayName", "DisplayName"),
    auto("GroupType", "GroupType"),
    auto("PrimarySmtpAddress", "PrimarySmtpAddress"),
];

static OWA_TABLE: [ColumnSpec; 3] =
    [auto("Name", "Name"), auto("Server", "Server"), auto("InternalUrl", "InternalUrl")];

/// Exchange's `Get-ReceiveConnector`: Identity, Bindings, Enabled.
static RECEIVE_CONNECTOR_TABLE: [ColumnSpec; 3] =
    [auto("Identity", "Identity"), auto("Bindings", "Bindings"), auto("Enabled", "Enabled")];

/// Exchange's `Get-SendConnector`: Identity, AddressSpaces, Enabled.
static SEND_CONNECTOR_TABLE: [ColumnSpec; 3] =
    [auto("Identity", "Identity"), auto("AddressSpaces", "AddressSpaces"), auto("Enabled", "Enabled")];

/// Exchange's `Get-MessageTrackingLog`: EventId, Source, Sender,
/// Recipients, MessageSubject.
static MESSAGE_TRACKING_TABLE: [ColumnSpec; 5] = [
    auto("EventId", "EventId"),
    auto("Source", "Source"),
    auto("Sender", "Sender"),
    auto("Recipients", "Recipients"),
    auto("MessageSubject", "MessageSubject"),
];

/// Exchange's `Get-AcceptedDomain`: Name, DomainName, DomainType, Default.
static ACCEPTED_DOMAIN_TABLE: [ColumnSpec; 4] = [
    auto("Name", "Name"),
    auto("DomainName", "DomainName"),
    auto("DomainType", "DomainType"),
    auto("Default", "Default"),
];

/// Exchange's `Get-Queue` columns.
static QUEUE_TABLE: [ColumnSpec; 8] = [
    auto("Identity", "Identity"),
    auto("DeliveryType", "DeliveryType"),
    auto("Status", "Status"),
    auto("MessageCount", "MessageCount"),
    auto("Velocity", "Velocity"),
    auto("RiskLevel", "RiskLevel"),
    auto("OutboundIPPool", "OutboundIPPool"),
    auto("NextHopDomain", "NextHopDomain"),
];

static QUEUED_MESSAGE_TABLE: [ColumnSpec; 7] = [
    auto("Identity", "Identity"),
    auto("FromAddress", "FromAddress"),
    auto("Status", "Status"),
    auto("Size", "Size"),
    auto("SCL", "SCL"),
    auto("Queue", "Queue"),
    auto("Subject", "Subject"),
];

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

static DICTIONARY_TABLE: [ColumnSpec; 2] = [left("Name", "Name", Some(30)), left("Value", "Value", None)];

static TYPE_TABLE: [ColumnSpec; 4] =
    [auto("IsPublic", "IsPublic"), auto("IsSerial", "IsSerial"), auto("Name", "Name"), auto("BaseType", "BaseType")];

/// A TimeSpan's properties, in the order its list view shows them.
pub static TIMESPAN_LIST: [&str; 11] = [
    "Days",
    "Hours",
    "Minutes",
    "Seconds",
    "Milliseconds",
    "Ticks",
    "TotalDays",
    "TotalHours",
    "TotalMinutes",
    "TotalSeconds",
    "TotalMilliseconds",
];

static GUID_TABLE: [ColumnSpec; 1] = [auto("Guid", "Guid")];

/// FileSystem.format.ps1xml's children view: Mode, the last write as
/// `{0,10}  {1,8}` of its short date and time, the length of files, Name;
/// grouped by folder.
static CHILDREN_TABLE: [ColumnSpec; 4] = [
    left("Mode", "Mode", Some(7)),
    computed("LastWriteTime", 25, last_write_cell),
    computed("Length", 14, length_cell),
    left("Name", "Name", None),
];

static CHILDREN_GROUP: Group = Group { property: "PSParentPath", heading: directory_heading };

fn last_write_cell(o: &Object) -> String {
    match o.get("LastWriteTime") {
        Some(Value::DateTime(d)) => {
            let date = crate::runtime::ops::format::format_value(&Value::DateTime(d), Some("d"));
            let time = crate::runtime::ops::format::format_value(&Value::DateTime(d), Some("t"));
            format!("{date:>10}  {time:>8}")
        }
        _ => String::new(),
    }
}

fn length_cell(o: &Object) -> String {
    if o.is_type(DIRECTORY_INFO) {
        return String::new();
    }
    o.get("Length").map(|v| v.to_text()).unwrap_or_default()
}

/// Two blank lines before and after `    Directory: X` (after another
/// folder's table, its closing blank line is the first of the two).
fn directory_heading(parent: &Value, first: bool) -> String {
    let text = parent.to_text();
    let path = text.strip_prefix("Microsoft.PowerShell.Core\\FileSystem::").unwrap_or(&text);
    format!("{}\n    Directory: {path}\n\n\n", if first { "\n" } else { "" })
}

static MEMBER_TABLE: [ColumnSpec; 3] =
    [left("Name", "Name", None), left("MemberType", "MemberType", None), left("Definition", "Definition", None)];

static MEMBER_GROUP: Group = Group { property: "TypeName", heading: type_heading };

fn type_heading(type_name: &Value, _first: bool) -> String {
    format!("\n   TypeName: {}\n\n", type_name.to_text())
}

/// A MatchInfo's text: `path:line:text` for a file (the path relative to
/// `relative_to` when it is inside it), the line alone for piped text;
/// with context, `> ` marks the match and `  ` the lines around it.
pub fn match_info_text(o: &Object, relative_to: Option<&str>) -> String {
    let path = o.get("Path").map(|v| v.to_text()).unwrap_or_default();
    let line_no = o.get("LineNumber").and_then(|v| v.as_i64()).unwrap_or(0);
    let line = o.get("Line").map(|v| v.to_text()).unwrap_or_default();
    let context = o.get("Context").filter(|c| !c.is_null());
    let shown_path = match relative_to {
        Some(dir) => match path.strip_prefix(dir) {
            Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/').to_string(),
            _ => path.clone(),
        },
        None => path.clone(),
    };
    let stream = path == "InputStream";
    let fmt = |n: i64, text: &str| if stream { text.to_string() } else { format!("{shown_path}:{n}:{text}") };
    let Some(ctx) = context else { return fmt(line_no, &line) };
    let before = ctx.property("DisplayPreContext").into_items();
    let after = ctx.property("DisplayPostContext").into_items();
    let mut out = Vec::new();
    for (k, b) in before.iter().enumerate() {
        out.push(format!("  {}", fmt(line_no - (before.len() - k) as i64, &b.to_text())));
    }
    out.push(format!("> {}", fmt(line_no, &line)));
    for (k, a) in after.iter().enumerate() {
        out.push(format!("  {}", fmt(line_no + 1 + k as i64, &a.to_text())));
    }
    out.join("\n")
}

/// A method without its parentheses (`'abc'.ToUpper`): PowerShell's one
/// column of overload definitions.
fn method_display(o: &Object) -> String {
    let overloads = o.get("OverloadDefinitions").map(|v| v.into_items()).unwrap_or_default();
    let mut text = String::from("OverloadDefinitions\n-------------------");
    for d in overloads {
        text.push('\n');
        text.push_str(&d.to_text());
    }
    text
}

/// A MatchInfo on the console: its path relative to the current folder.
fn match_info_display(o: &Object) -> String {
    let here = std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default();
    match_info_text(o, Some(&here))
}

static PATH_TABLE: [ColumnSpec; 1] = [left("Path", "Path", None)];

static VARIABLE_TABLE: [ColumnSpec; 2] = [left("Name", "Name", Some(30)), left("Value", "Value", None)];

/// Types that share one view (and so one table): FileInfo and DirectoryInfo.
pub fn view_family(type_name: &str) -> &str {
    match type_name {
        FILE_INFO | DIRECTORY_INFO => FILE_INFO,
        other => other,
    }
}

pub fn default_view(o: &Object) -> View {
    match o.type_name().as_str() {
        FILE_INFO | DIRECTORY_INFO => View::Grouped(&CHILDREN_TABLE, &CHILDREN_GROUP),
        MEMBER_DEFINITION => View::Grouped(&MEMBER_TABLE, &MEMBER_GROUP),
        MATCH_INFO => View::Lines(match_info_display),
        PS_METHOD => View::Lines(method_display),
        PATH_INFO => View::Table(&PATH_TABLE),
        PS_VARIABLE => View::Table(&VARIABLE_TABLE),
        DICTIONARY_ENTRY => View::Table(&DICTIONARY_TABLE),
        RUNTIME_TYPE => View::Table(&TYPE_TABLE),
        TIMESPAN => View::List(&TIMESPAN_LIST),
        GUID => View::Table(&GUID_TABLE),
        CAS_MAILBOX => View::Table(&CAS_MAILBOX_TABLE),
        EXCHANGE_SERVER => View::Table(&EXCHANGE_SERVER_TABLE),
        MAILBOX_DATABASE => View::Table(&MAILBOX_DATABASE_TABLE),
        MOVE_REQUEST => View::Table(&MOVE_REQUEST_TABLE),
        MOVE_REQUEST_STATISTICS => View::Table(&MOVE_REQUEST_STATISTICS_TABLE),
        MAILBOX => View::Table(&MAILBOX_TABLE),
        MAILBOX_STATISTICS => View::Table(&MAILBOX_STATISTICS_TABLE),
        IMAP_SETTINGS | POP_SETTINGS => View::Table(&PROTOCOL_TABLE),
        SERVICE => View::Table(&SERVICE_TABLE),
        OWA_VDIR | ECP_VDIR => View::Table(&OWA_TABLE),
        ROLE_GROUP => View::Table(&ROLE_GROUP_TABLE),
        ROLE_GROUP_MEMBER => View::Table(&ROLE_GROUP_MEMBER_TABLE),
        DISTRIBUTION_GROUP => View::Table(&DISTRIBUTION_GROUP_TABLE),
        QUEUE => View::Table(&QUEUE_TABLE),
        QUEUED_MESSAGE => View::Table(&QUEUED_MESSAGE_TABLE),
        RECEIVE_CONNECTOR => View::Table(&RECEIVE_CONNECTOR_TABLE),
        SEND_CONNECTOR => View::Table(&SEND_CONNECTOR_TABLE),
        MESSAGE_TRACKING_EVENT => View::Table(&MESSAGE_TRACKING_TABLE),
        ACCEPTED_DOMAIN => View::Table(&ACCEPTED_DOMAIN_TABLE),
        CONNECTIVITY => View::Table(&CONNECTIVITY_TABLE),
        COMMAND_INFO => View::Table(&COMMAND_TABLE),
        GROUP_INFO => View::Table(&GROUP_TABLE),
        GROUP_INFO_NO_ELEMENT => View::Table(&GROUP_NO_ELEMENT_TABLE),
        MEASURE_INFO => View::List(&MEASURE_LIST),
        _ => View::Auto,
    }
}
