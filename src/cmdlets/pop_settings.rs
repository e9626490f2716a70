//! Get-PopSettings / Set-PopSettings.

use super::protocol_settings::{ProtocolCmdlets, get, get_signature, set, set_signature};
use crate::format::views::POP_SETTINGS;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::value::Value;
use crate::store::Protocol;

const POP: ProtocolCmdlets = ProtocolCmdlets { protocol: Protocol::Pop3, label: "POP3", type_name: POP_SETTINGS };

pub fn definitions() -> Vec<CmdletDef> {
    let get_sig = get_signature("Get-PopSettings", &["Get-Pop3Settings"], "Shows the POP3 settings of a server.")
        .example("Every POP3 setting", "Get-PopSettings | Format-List", "");
    let set_sig =
        set_signature("Set-PopSettings", &["Set-Pop3Settings"], "Changes the POP3 settings of a server.", false)
            .example("Serve calendar items as iCalendar", "Set-PopSettings -CalendarItemRetrievalOption iCalendar", "")
            .example("Newest messages first", "Set-PopSettings -MessageRetrievalSortOrder Descending", "");
    vec![CmdletDef::run(get_sig, run_get), CmdletDef::run(set_sig, run_set)]
}

fn run_get(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    get(&POP, args, cx, out)
}

fn run_set(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    set(&POP, args, cx)
}
