//! The one declaration each cmdlet makes of itself. The binder, Get-Help,
//! tab completion and docs/cmdlets.md all read it; nothing is written twice.

use super::types::TypeRef;
use super::value::EnumDef;

/// What a parameter accepts; conversion and its error messages follow it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamType {
    /// `[bool]`: $true/$false or a number, never a string.
    Bool,
    /// `[switch]`: present or not; a value only as `-Name:$false`.
    Switch,
    Int {
        min: i64,
        max: i64,
    },
    /// A number or `Unlimited` (Exchange's Unlimited<T>).
    Unlimited,
    String,
    /// A multi-valued property; also takes `@{Add=...; Remove=...}`.
    Strings,
    Enum(&'static EnumDef),
    /// A [Flags] enum: one member or several (`OnSuccess, OnFailure`, or
    /// an array), bound to an array of members.
    Flags(&'static EnumDef),
    /// `[d.]hh:mm:ss`, bounded in seconds.
    TimeSpan {
        min: i64,
        max: i64,
    },
    /// An identity parameter (MailboxIdParameter, ServerIdParameter...):
    /// a string, or an object whose identity it takes.
    Identity(&'static str),
    /// An identity that $null clears (Set-Mailbox -ForwardingAddress).
    IdentityOrNull(&'static str),
    ScriptBlock,
    SecureString,
    Credential,
    /// An absolute URI.
    Uri,
    /// `address:port` bindings (IPBinding), multi-valued.
    Bindings,
    /// `host:port:TLS|SSL` (ProtocolConnectionSettings), multi-valued.
    ConnectionSettings,
    DateTime,
    Hashtable,
    /// Anything, unconverted (`-InputObject`, `-Value`).
    Object,
    /// Strings naming properties, or script blocks / hashtables computing them.
    Properties,
    /// A script function's typed parameter (`[int]$Count`): PowerShell's
    /// conversion to that type.
    Typed(&'static TypeRef),
}

impl ParamType {
    /// The type name as Get-Help and the binder's messages print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamType::Bool => "Boolean",
            ParamType::Switch => "SwitchParameter",
            ParamType::Int { .. } => "Int32",
            ParamType::Unlimited => "Unlimited",
            ParamType::String => "String",
            ParamType::Strings => "MultiValuedProperty",
            ParamType::Enum(def) | ParamType::Flags(def) => def.type_name.rsplit('.').next().unwrap_or(def.type_name),
            ParamType::TimeSpan { .. } => "EnhancedTimeSpan",
            ParamType::Identity(name) | ParamType::IdentityOrNull(name) => name,
            ParamType::ScriptBlock => "ScriptBlock",
            ParamType::SecureString => "SecureString",
            ParamType::Credential => "PSCredential",
            ParamType::Uri => "Uri",
            ParamType::Bindings => "MultiValuedProperty",
            ParamType::ConnectionSettings => "MultiValuedProperty",
            ParamType::DateTime => "ExDateTime",
            ParamType::Hashtable => "Hashtable",
            ParamType::Object => "Object",
            ParamType::Properties => "Object[]",
            ParamType::Typed(t) => t.short_name(),
        }
    }

    /// The full .NET type name PowerShell's binding messages print.
    pub fn full_type_name(&self) -> String {
        match self {
            ParamType::Bool => "System.Boolean".into(),
            ParamType::Switch => "System.Management.Automation.SwitchParameter".into(),
            ParamType::Int { .. } => "System.Int32".into(),
            ParamType::String => "System.String".into(),
            ParamType::Strings | ParamType::Bindings | ParamType::ConnectionSettings => {
                "Microsoft.Exchange.Data.MultiValuedProperty".into()
            }
            ParamType::Enum(def) | ParamType::Flags(def) => def.type_name.into(),
            ParamType::Identity(name) | ParamType::IdentityOrNull(name) => {
                format!("Microsoft.Exchange.Configuration.Tasks.{name}")
            }
            ParamType::ScriptBlock => "System.Management.Automation.ScriptBlock".into(),
            ParamType::SecureString => "System.Security.SecureString".into(),
            ParamType::Credential => "System.Management.Automation.PSCredential".into(),
            ParamType::Uri => "System.Uri".into(),
            ParamType::DateTime => "System.DateTime".into(),
            ParamType::Hashtable => "System.Collections.Hashtable".into(),
            ParamType::Object => "System.Object".into(),
            ParamType::Properties => "System.Object[]".into(),
            ParamType::Typed(t) => t.full_name(),
            other => other.type_name().into(),
        }
    }

    pub fn is_switch(&self) -> bool {
        matches!(self, ParamType::Switch)
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub ty: ParamType,
    /// Zero-based position for positional binding.
    pub position: Option<usize>,
    pub mandatory: bool,
    pub from_pipeline: bool,
    pub from_property: bool,
    /// Takes every remaining positional argument (Write-Output's objects).
    pub remaining: bool,
    pub help: &'static str,
    /// Shown in Get-Help, never enforced: Exchange prints them as defaults.
    pub default: &'static str,
    /// Common parameters are listed apart in help and docs.
    pub common: bool,
    /// A script function's [Validate...()] attributes.
    pub validators: &'static [Validator],
    /// Names of parameter sets this parameter belongs to (empty: all).
    pub sets: &'static [&'static str],
}

/// A script parameter's validation attribute.
#[derive(Debug, Clone)]
pub enum Validator {
    /// [ValidateSet('a','b')]
    Set(Vec<String>),
    /// [ValidateRange(min, max)]
    Range(super::value::Value, super::value::Value),
    NotNull,
    NotNullOrEmpty,
    /// [ValidatePattern('regex')]
    Pattern(String),
    /// [ValidateLength(min, max)]
    Length(i64, i64),
    /// [ValidateCount(min, max)]
    Count(i64, i64),
    /// [ValidateScript({ ... })]
    Script(std::rc::Rc<crate::language::ast::ScriptBlock>),
}

// Script blocks in validators are only read on the thread that made them.
unsafe impl Sync for Validator {}
unsafe impl Send for Validator {}

impl Param {
    pub const fn new(name: &'static str, ty: ParamType) -> Param {
        Param {
            name,
            aliases: &[],
            ty,
            position: None,
            mandatory: false,
            from_pipeline: false,
            from_property: false,
            remaining: false,
            help: "",
            default: "",
            common: false,
            validators: &[],
            sets: &[],
        }
    }
    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Param {
        self.aliases = aliases;
        self
    }
    pub const fn position(mut self, p: usize) -> Param {
        self.position = Some(p);
        self
    }
    pub const fn mandatory(mut self) -> Param {
        self.mandatory = true;
        self
    }
    pub const fn pipeline(mut self) -> Param {
        self.from_pipeline = true;
        self
    }
    pub const fn by_property(mut self) -> Param {
        self.from_property = true;
        self
    }
    pub const fn remaining(mut self) -> Param {
        self.remaining = true;
        self
    }
    pub const fn help(mut self, text: &'static str) -> Param {
        self.help = text;
        self
    }
    pub const fn default(mut self, text: &'static str) -> Param {
        self.default = text;
        self
    }
    const fn common(mut self) -> Param {
        self.common = true;
        self
    }

    pub fn matches_exactly(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    pub fn matches_prefix(&self, prefix: &str) -> bool {
        let p = prefix.to_ascii_lowercase();
        self.name.to_ascii_lowercase().starts_with(&p)
            || self.aliases.iter().any(|a| a.to_ascii_lowercase().starts_with(&p))
    }
}

#[derive(Debug, Clone)]
pub struct Example {
    pub title: &'static str,
    pub code: &'static str,
    pub remarks: &'static str,
}

#[derive(Debug, Clone)]
pub struct Signature {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub synopsis: &'static str,
    pub description: &'static str,
    pub params: Vec<Param>,
    pub examples: Vec<Example>,
    /// Supports -WhatIf and -Confirm.
    pub should_process: bool,
    /// Runs its examples in `cargo test` (false for those that need services
    /// or a terminal).
    pub test_examples: bool,
    /// The .NET class PowerShell names in FullyQualifiedErrorId for its own
    /// cmdlets (`Microsoft.PowerShell.Commands.StartServiceCommand`);
    /// Exchange cmdlets are named by their cmdlet name.
    pub class: Option<&'static str>,
    /// A simple (not advanced) script function: arguments no parameter
    /// takes, named or not, go to `$args` instead of being refused.
    pub collect_unbound: bool,
    /// How a change is rated for -Confirm ($ConfirmPreference): High,
    /// Medium or Low.
    pub confirm_impact: ConfirmImpact,
    /// What -WhatIf prints and -Confirm asks about, `{target}` standing for
    /// the object (Exchange's texts); None: PowerShell's `Performing the
    /// operation "<cmdlet>" on target "<target>".`
    pub confirm_message: Option<&'static str>,
    /// Writes the configuration store: fed by a pipeline, its records are
    /// grouped into larger transactions.
    pub writes_store: bool,
    /// The properties of the objects it outputs ([OutputType]), for Tab
    /// completion of -Property and the like after it in a pipeline.
    pub output_properties: Option<fn() -> &'static [&'static str]>,
    /// Keeps where each argument came from, for errors a cmdlet points at
    /// one of them (`Args::span_of`); script functions never ask, so their
    /// calls skip it.
    pub argument_spans: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfirmImpact {
    None,
    Low,
    Medium,
    High,
}

pub static ACTION_PREFERENCE: EnumDef = EnumDef {
    type_name: "System.Management.Automation.ActionPreference",
    members: &["SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"],
};

impl Signature {
    pub fn build(name: &'static str) -> Signature {
        Signature {
            name,
            aliases: &[],
            synopsis: "",
            description: "",
            params: Vec::new(),
            examples: Vec::new(),
            should_process: false,
            test_examples: true,
            class: None,
            collect_unbound: false,
            confirm_impact: ConfirmImpact::Medium,
            confirm_message: None,
            writes_store: false,
            output_properties: None,
            argument_spans: true,
        }
    }
    pub fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
    pub fn synopsis(mut self, text: &'static str) -> Self {
        self.synopsis = text;
        self
    }
    pub fn description(mut self, text: &'static str) -> Self {
        self.description = text;
        self
    }
    pub fn param(mut self, p: Param) -> Self {
        self.params.push(p);
        self
    }
    pub fn example(mut self, title: &'static str, code: &'static str, remarks: &'static str) -> Self {
        self.examples.push(Example { title, code, remarks });
        self
    }
    /// Supports -WhatIf and -Confirm (SupportsShouldProcess), asking
    /// unprompted when `impact` is at or above `$ConfirmPreference`.
    pub fn should_process(mut self, impact: ConfirmImpact) -> Self {
        self.should_process = true;
        self.confirm_impact = impact;
        self
    }
    /// The operation text of -WhatIf and -Confirm, `{target}` for the object.
    pub fn confirm_message(mut self, template: &'static str) -> Self {
        self.confirm_message = Some(template);
        self
    }
    /// The properties of the objects it outputs (see `output_properties`).
    pub fn outputs(mut self, properties: fn() -> &'static [&'static str]) -> Self {
        self.output_properties = Some(properties);
        self
    }
    /// Writes the configuration store (see `writes_store`).
    pub fn writes_store(mut self) -> Self {
        self.writes_store = true;
        self
    }
    pub fn class(mut self, class: &'static str) -> Self {
        self.class = Some(class);
        self
    }
    /// The help examples need what the help-example test cannot give them
    /// (running services, a terminal, a transcript): Get-Help shows them,
    /// the test does not run them.
    pub fn examples_not_self_contained(mut self) -> Self {
        self.test_examples = false;
        self
    }

    /// The declared parameters followed by the common ones every cmdlet has.
    pub fn finish(mut self) -> Self {
        use ParamType::*;
        let mut common = vec![
            Param::new("Verbose", Switch).aliases(&["vb"]).common(),
            Param::new("Debug", Switch).aliases(&["db"]).common(),
            Param::new("ErrorAction", Enum(&ACTION_PREFERENCE)).aliases(&["ea"]).common(),
            Param::new("WarningAction", Enum(&ACTION_PREFERENCE)).aliases(&["wa"]).common(),
            Param::new("ErrorVariable", String).aliases(&["ev"]).common(),
            Param::new("WarningVariable", String).aliases(&["wv"]).common(),
            Param::new("OutVariable", String).aliases(&["ov"]).common(),
            Param::new("OutBuffer", Int { min: 0, max: i32::MAX as i64 }).aliases(&["ob"]).common(),
            Param::new("InformationAction", Enum(&ACTION_PREFERENCE)).aliases(&["infa"]).common(),
            Param::new("InformationVariable", String).aliases(&["iv"]).common(),
            Param::new("PipelineVariable", String).aliases(&["pv"]).common(),
        ];
        if self.should_process {
            common.push(Param::new("WhatIf", Switch).aliases(&["wi"]).common());
            common.push(Param::new("Confirm", Switch).aliases(&["cf"]).common());
        }
        self.params.extend(common);
        self
    }

    pub fn param_named(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }
}
