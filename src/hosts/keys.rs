//! Keys as PSReadLine has them where reedline differs: Enter on a line found
//! by Ctrl-R runs it (reedline only puts it in the editor). The Emacs key
//! map does the rest; this wrapper watches for the history search and, on
//! its Enter, raises reedline's break signal so that the found line comes
//! back from `read_line` (`Signal::ExternalBreak`) to be run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reedline::{EditMode, Emacs, PromptEditMode, ReedlineEvent, ReedlineRawEvent};

pub struct ShellKeys {
    inner: Emacs,
    searching: bool,
    run_found: Arc<AtomicBool>,
}

impl ShellKeys {
    /// `run_found` is the editor's break signal.
    pub fn new(inner: Emacs, run_found: Arc<AtomicBool>) -> ShellKeys {
        ShellKeys { inner, searching: false, run_found }
    }
}

impl EditMode for ShellKeys {
    fn parse_event(&mut self, event: ReedlineRawEvent) -> ReedlineEvent {
        let parsed = self.inner.parse_event(event);
        match &parsed {
            ReedlineEvent::SearchHistory => self.searching = true,
            ReedlineEvent::Enter | ReedlineEvent::Submit | ReedlineEvent::SubmitOrNewline if self.searching => {
                self.searching = false;
                self.run_found.store(true, Ordering::Relaxed);
            }
            ReedlineEvent::Esc | ReedlineEvent::CtrlC | ReedlineEvent::CtrlD => self.searching = false,
            _ => {}
        }
        parsed
    }

    fn edit_mode(&self) -> PromptEditMode {
        self.inner.edit_mode()
    }
}
