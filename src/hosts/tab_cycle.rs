//! Tab as PSReadLine has it on Windows (TabCompleteNext / TabCompletePrevious):
//! the word is replaced in place by the first match, each further Tab puts
//! the next one in its place (Shift-Tab the one before), round and round;
//! no menu is drawn and Enter runs the line as it stands. Typing anything
//! ends the round; the next Tab completes the word as it then is.
//!
//! reedline has no such mode, so this is a menu that paints nothing. The
//! engine gives a menu the editor before it paints only through
//! `can_partially_complete` (on opening and on MenuNext), so every step is
//! taken there; the direction comes from the key (`ShellKeys` sets it,
//! Shift-Tab arriving as MenuNext too).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reedline::{Completer, Editor, Menu, MenuEvent, MenuSettings, Painter, Suggestion, UndoBehavior};

pub struct TabCycle {
    settings: MenuSettings,
    /// Shared with `ShellKeys`, which sends Shift-Tab here while a round is on.
    active: Arc<AtomicBool>,
    /// The matches for the word as typed, asked once per round.
    matches: Vec<Suggestion>,
    /// Which match the line shows; None before the first step.
    shown: Option<usize>,
    /// Where the word (or the match put in its place) lies in the line.
    start: usize,
    end: usize,
    /// Set by the key: Shift-Tab steps back.
    backwards: Arc<AtomicBool>,
}

impl TabCycle {
    pub fn new(name: &str, active: Arc<AtomicBool>, backwards: Arc<AtomicBool>) -> TabCycle {
        TabCycle {
            settings: MenuSettings::default().with_name(name).with_marker(""),
            active,
            matches: Vec::new(),
            shown: None,
            start: 0,
            end: 0,
            backwards,
        }
    }

    fn reset(&mut self) {
        self.matches.clear();
        self.shown = None;
    }

    /// The next match (or the one before) in place of the last.
    fn step(&mut self, editor: &mut Editor, completer: &mut dyn Completer) {
        if self.shown.is_none() {
            let line = editor.get_buffer().to_string();
            let pos = editor.line_buffer().insertion_point();
            self.matches = completer.complete(&line, pos).suggestions().to_vec();
            let Some(first) = self.matches.first() else {
                // Nothing matches: the line stays as it is, and so does Enter.
                self.set_active(false);
                return;
            };
            self.start = first.span.start.min(line.len());
            self.end = first.span.end.clamp(self.start, line.len());
        }
        let n = self.matches.len();
        let back = self.backwards.load(Ordering::Relaxed);
        let next = match (self.shown, back) {
            (None, false) => 0,
            (None, true) => n - 1,
            (Some(i), false) => (i + 1) % n,
            (Some(i), true) => (i + n - 1) % n,
        };
        self.shown = Some(next);
        let value = self.matches[next].value.clone();
        let (start, end) = (self.start, self.end.min(editor.get_buffer().len()));
        editor.edit_buffer(
            |buffer| {
                buffer.replace_range(start..end, &value);
                buffer.set_insertion_point(start + value.len());
            },
            UndoBehavior::CreateUndoPoint,
        );
        self.end = start + value.len();
    }
}

impl Menu for TabCycle {
    fn settings(&self) -> &MenuSettings {
        &self.settings
    }
    fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }
    fn set_active(&mut self, active: bool) {
        self.active.store(active, Ordering::Relaxed);
    }
    fn clear_input(&mut self) {}
    fn menu_event(&mut self, event: MenuEvent) {
        match event {
            MenuEvent::Activate(_) => {
                self.set_active(true);
                self.reset();
            }
            // Typing (or any edit) ends the round.
            MenuEvent::Deactivate | MenuEvent::Edit(_) => {
                self.set_active(false);
                self.reset();
            }
            // Steps are taken in `can_partially_complete`, which sees the line.
            _ => {}
        }
    }
    fn can_quick_complete(&self) -> bool {
        false
    }
    fn can_partially_complete(
        &mut self,
        _values_updated: bool,
        editor: &mut Editor,
        completer: &mut dyn Completer,
    ) -> bool {
        if self.is_active() {
            self.step(editor, completer);
        }
        false
    }
    fn update_values(&mut self, _editor: &mut Editor, _completer: &mut dyn Completer) {}
    fn reset_position(&mut self) {}
    fn update_working_details(&mut self, _editor: &mut Editor, _completer: &mut dyn Completer, _painter: &Painter) {}
    /// The match is in the line already.
    fn replace_in_buffer(&self, _editor: &mut Editor) {}
    fn menu_required_lines(&self, _terminal_columns: u16) -> u16 {
        0
    }
    fn menu_string(&self, _available_lines: u16, _use_ansi_coloring: bool) -> String {
        String::new()
    }
    fn min_rows(&self) -> u16 {
        0
    }
    /// None offered to the engine: Enter is never the menu's to take.
    fn get_values(&self) -> &[Suggestion] {
        &[]
    }
    fn is_visible(&self) -> bool {
        false
    }
}
