//! Get-ImapSettings / Set-ImapSettings (and Exchange's Set-Imap4Settings spelling).

use super::protocol_settings::{ProtocolCmdlets, get, get_signature, set, set_signature};
use crate::format::views::IMAP_SETTINGS;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::value::Value;
use crate::store::Protocol;

const IMAP: ProtocolCmdlets = ProtocolCmdlets { protocol: Protocol::Imap4, label: "IMAP4", type_name: IMAP_SETTINGS };

pub fn definitions() -> Vec<CmdletDef> {
    let get_sig = get_signature("Get-ImapSettings", &["Get-Imap4Settings"], "Shows the IMAP4 settings of a server.")
        .example(
            "Check the calendar options",
            "Get-ImapSettings | format-list",
            "Shows every IMAP4 setting, CalendarItemRetrievalOption and OwaServerUrl among them.",
        );
    let set_sig =
        set_signature("Set-ImapSettings", &["Set-Imap4Settings"], "Changes the IMAP4 settings of a server.", true)
            .example(
                "Serve calendar items as iCalendar",
                "Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption iCalendar",
                "",
            )
            .example(
                "Link to Outlook Web App on the intranet",
                "Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl",
                "",
            )
            .example(
                "Link to Outlook Web App on the Internet",
                "Set-ImapSettings -CalendarItemRetrievalOption InternetUrl",
                "",
            )
            .example(
                "Link to a given Outlook Web App server",
                "Set-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl \"https://OwaServer01\"",
                "Custom needs OwaServerUrl.",
            )
            .example("Require TLS before credentials", "Set-ImapSettings -LoginType SecureLogin", "");
    vec![CmdletDef::run(get_sig, run_get), CmdletDef::run(set_sig, run_set)]
}

fn run_get(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    get(&IMAP, args, cx, out)
}

fn run_set(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    set(&IMAP, args, cx)
}
