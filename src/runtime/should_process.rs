//! PowerShell's ShouldProcess, in one place for every command that changes
//! state. A cmdlet declares it in its signature (`should_process()`, a
//! `ConfirmImpact`, Exchange's confirmation text); the binder gives it
//! -WhatIf and -Confirm; at the point of change the cmdlet asks
//! `cx.should_process(args, target)` and this module decides, from the
//! switches and `$WhatIfPreference` / `$ConfirmPreference`, whether to
//! describe, ask or go ahead. "Yes to All" and "No to All" hold for the rest
//! of that command's invocation.

use std::cell::Cell;
use std::rc::Rc;

use super::command::Args;
use super::errors::{Category, ErrorRecord, Flow, Result};
use super::session::Session;
use super::signature::ConfirmImpact;

/// An answer that holds for the rest of one command's invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToAll {
    #[default]
    Ask,
    Yes,
    No,
}

/// Shared by one pipeline stage across its records.
pub type Invocation = Rc<Cell<ToAll>>;

pub const CAPTION: &str = "Confirm";
pub const QUERY: &str = "Are you sure you want to perform this action?";
pub const CHOICES: &str = "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is \"Y\"): ";
const HELP: &str = "Y - Continue with only the next step of the operation.\n\
A - Continue with all the steps of the operation.\n\
N - Skip this operation and proceed with the next operation.\n\
L - Skip this operation and all subsequent operations.\n\
S - Pause the current pipeline and return to the command prompt. Type \"exit\" to resume the pipeline.\n";
/// mailsh has no nested prompt to suspend into: said, and asked again.
const NO_SUSPEND: &str = "Suspend is not supported: mailsh has no nested prompt. Answer Y, A, N or L.\n";

/// What Windows PowerShell says when a prompt is needed and nobody can
/// answer (-NonInteractive, or input that is not a terminal).
pub fn non_interactive() -> ErrorRecord {
    ErrorRecord::new(
        "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.",
        Category::InvalidOperation,
        "System.Management.Automation.PSInvalidOperationException",
        "PSInvalidOperationException",
    )
}

/// The text -WhatIf prints and -Confirm asks about: the signature's own
/// (Exchange's cmdlets), else PowerShell's `Performing the operation ...`.
pub fn operation_text(args: &Args, action: Option<&str>, target: &str) -> String {
    match (action, args.signature.confirm_message) {
        (None, Some(template)) => template.replace("{target}", target),
        (action, _) => {
            let action = action.unwrap_or(args.signature.name);
            format!("Performing the operation \"{action}\" on target \"{target}\".")
        }
    }
}

impl Session {
    /// ShouldProcess(target): true when the change may go ahead; false
    /// after a -WhatIf description or a "No"; an error when a confirmation
    /// is needed and nobody can answer; Ctrl-C at the question stops the
    /// pipeline.
    pub fn should_process(&mut self, args: &Args, target: &str) -> Result<bool> {
        let text = operation_text(args, None, target);
        self.should_process_text(args, &text)
    }

    /// ShouldProcess(target, action), as PowerShell's file cmdlets call it
    /// (`Remove File`, `Set Content`...).
    pub fn should_process_action(&mut self, args: &Args, action: &str, target: &str) -> Result<bool> {
        let text = operation_text(args, Some(action), target);
        self.should_process_text(args, &text)
    }

    /// Whether -WhatIf (or `$WhatIfPreference`) is in force for this call.
    pub fn what_if_in_force(&self, args: &Args) -> bool {
        match args.get("WhatIf") {
            Some(v) => v.is_true(),
            None => self.get_var("WhatIfPreference").is_true(),
        }
    }

    /// Whether this call must ask: -Confirm, or a ConfirmImpact at or above
    /// `$ConfirmPreference` (-Confirm:$false never asks).
    pub fn confirm_in_force(&self, args: &Args) -> bool {
        match args.get("Confirm") {
            Some(v) => v.is_true(),
            None => self.impact_asks(args.signature.confirm_impact),
        }
    }

    /// Whether a change of this impact asks under `$ConfirmPreference`.
    pub fn impact_asks(&self, impact: ConfirmImpact) -> bool {
        let preference = match self.get_var("ConfirmPreference").to_text().to_ascii_lowercase().as_str() {
            "none" => return false,
            "low" => ConfirmImpact::Low,
            "medium" => ConfirmImpact::Medium,
            _ => ConfirmImpact::High,
        };
        impact != ConfirmImpact::None && impact >= preference
    }

    pub fn should_process_text(&mut self, args: &Args, text: &str) -> Result<bool> {
        if self.what_if_in_force(args) {
            self.print(&format!("What if: {text}\n"));
            return Ok(false);
        }
        if !self.confirm_in_force(args) {
            return Ok(true);
        }
        match self.to_all.get() {
            ToAll::Yes => return Ok(true),
            ToAll::No => return Ok(false),
            ToAll::Ask => {}
        }
        self.confirm_prompt(&format!("{QUERY}\n{text}"))
    }

    /// Asks `question` under PowerShell's `Confirm` caption; answers Y/A/N/L
    /// (A and L for the rest of the invocation), `?` for help.
    pub fn confirm_prompt(&mut self, question: &str) -> Result<bool> {
        if !self.host.interactive() || self.non_interactive {
            return Err(non_interactive().into());
        }
        self.print(&format!("\n{CAPTION}\n{question}\n"));
        loop {
            let Some(answer) = self.host.read_line(CHOICES) else {
                // Ctrl-C (or the end of input) at the question: nothing is
                // done and the pipeline stops, as PowerShell's does.
                return Err(self.prompt_abandoned());
            };
            if let Some(t) = self.transcript.as_mut() {
                t.append(&format!("{CHOICES}{answer}\n"));
            }
            match answer.trim().to_ascii_lowercase().as_str() {
                "" | "y" | "yes" => return Ok(true),
                "a" | "yes to all" => {
                    self.to_all.set(ToAll::Yes);
                    return Ok(true);
                }
                "n" | "no" => return Ok(false),
                "l" | "no to all" => {
                    self.to_all.set(ToAll::No);
                    return Ok(false);
                }
                "?" => self.print(HELP),
                "s" | "suspend" => self.print(NO_SUSPEND),
                _ => {}
            }
        }
    }

    /// Ctrl-C at a prompt: the flag it set is consumed, the cursor goes to
    /// a new line, and what asked stops quietly.
    pub fn prompt_abandoned(&mut self) -> Flow {
        self.interrupted();
        self.print("\n");
        Flow::Interrupted
    }

    /// Runs `f` as one command's invocation: its "to all" answers are its own.
    pub(crate) fn in_invocation<T>(&mut self, invocation: &Invocation, f: impl FnOnce(&mut Session) -> T) -> T {
        let outer = std::mem::replace(&mut self.to_all, invocation.clone());
        let r = f(self);
        self.to_all = outer;
        r
    }
}
