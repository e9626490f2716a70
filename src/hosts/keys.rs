//! Keys as PSReadLine has them where reedline differs: Enter on a line found
//! by Ctrl-R runs it (reedline only puts it in the editor). The Emacs key
//! map does the rest; this wrapper watches for the history search and, on
//! its Enter, raises reedline's break signal so that the found line comes
//! back from `read_line` (`Signal::ExternalBreak`) to be run. It also tells
//! the Tab round (`tab_cycle.rs`) which way to go: Tab forward, Shift-Tab
//! back, Shift-Tab sent as a step of the round while one is on (reedline
//! shows a menu the line only on MenuNext).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reedline::{EditMode, Emacs, PromptEditMode, ReedlineEvent, ReedlineRawEvent};

/// The menu Tab and Shift-Tab open (`tab_cycle.rs`).
pub const TAB_CYCLE: &str = "tab_cycle";

/// Tab: start a round or take its next step (or move in an open menu).
pub fn tab() -> ReedlineEvent {
    ReedlineEvent::UntilFound(vec![ReedlineEvent::Menu(TAB_CYCLE.to_string()), ReedlineEvent::MenuNext])
}

/// Shift-Tab: start a round from the last match (or move back in an open menu).
pub fn shift_tab() -> ReedlineEvent {
    ReedlineEvent::UntilFound(vec![ReedlineEvent::Menu(TAB_CYCLE.to_string()), ReedlineEvent::MenuPrevious])
}

pub struct ShellKeys {
    inner: Emacs,
    searching: bool,
    run_found: Arc<AtomicBool>,
    /// The Tab round: whether one is on, and which way its next step goes.
    cycling: Arc<AtomicBool>,
    backwards: Arc<AtomicBool>,
}

impl ShellKeys {
    /// `run_found` is the editor's break signal; `cycling` and `backwards`
    /// are shared with the Tab round.
    pub fn new(
        inner: Emacs,
        run_found: Arc<AtomicBool>,
        cycling: Arc<AtomicBool>,
        backwards: Arc<AtomicBool>,
    ) -> ShellKeys {
        ShellKeys { inner, searching: false, run_found, cycling, backwards }
    }
}

impl EditMode for ShellKeys {
    fn parse_event(&mut self, event: ReedlineRawEvent) -> ReedlineEvent {
        let mut parsed = self.inner.parse_event(event);
        if parsed == tab() {
            self.backwards.store(false, Ordering::Relaxed);
        } else if parsed == shift_tab() {
            self.backwards.store(true, Ordering::Relaxed);
            if self.cycling.load(Ordering::Relaxed) {
                parsed = ReedlineEvent::MenuNext;
            }
        }
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
