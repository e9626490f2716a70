//! Small cmdlets admins reach for: Clear-Host.

use crate::runtime::command::CmdletDef;
use crate::runtime::signature::Signature;

pub fn definitions() -> Vec<CmdletDef> {
    let clear = Signature::build("Clear-Host").aliases(&["cls", "clear"]).synopsis("Clears the screen.");
    vec![CmdletDef::run(clear, |_, _, cx, _| {
        cx.host.clear_screen();
        Ok(())
    })]
}
