//! The completion menu as PSReadLine behaves: no marker left before the
//! line in the scrollback, and nothing at all when nothing matches (no
//! "NO RECORDS FOUND", no menu left open to swallow the next Enter). The
//! grid itself is reedline's ColumnarMenu.

use reedline::{ColumnarMenu, Completer, Editor, Menu, MenuBuilder, MenuEvent, MenuSettings, Painter, Suggestion};

pub struct CompletionMenu {
    inner: ColumnarMenu,
}

impl CompletionMenu {
    pub fn new(name: &str) -> CompletionMenu {
        CompletionMenu { inner: ColumnarMenu::default().with_name(name).with_marker("") }
    }

    /// An empty answer closes the menu at once.
    fn close_if_empty(&mut self) {
        if self.inner.is_active() && !self.inner.results_are_provisional() && self.inner.get_values().is_empty() {
            self.inner.handle_menu_event(&MenuEvent::Deactivate);
        }
    }
}

impl Menu for CompletionMenu {
    fn settings(&self) -> &MenuSettings {
        self.inner.settings()
    }
    fn is_active(&self) -> bool {
        self.inner.is_active()
    }
    fn set_active(&mut self, active: bool) {
        self.inner.set_active(active)
    }
    fn clear_input(&mut self) {
        self.inner.clear_input()
    }
    fn on_activate(&mut self) {
        self.inner.on_activate()
    }
    fn on_deactivate(&mut self) {
        self.inner.on_deactivate()
    }
    fn handle_menu_event(&mut self, event: &MenuEvent) {
        self.inner.handle_menu_event(event)
    }
    fn menu_event(&mut self, event: MenuEvent) {
        self.inner.menu_event(event)
    }
    fn can_quick_complete(&self) -> bool {
        self.inner.can_quick_complete()
    }
    fn can_partially_complete(
        &mut self,
        values_updated: bool,
        editor: &mut Editor,
        completer: &mut dyn Completer,
    ) -> bool {
        self.inner.can_partially_complete(values_updated, editor, completer)
    }
    fn update_values(&mut self, editor: &mut Editor, completer: &mut dyn Completer) {
        self.inner.update_values(editor, completer);
        self.close_if_empty();
    }
    fn reset_position(&mut self) {
        self.inner.reset_position()
    }
    fn reload(&mut self, updated: bool, editor: &mut Editor, completer: &mut dyn Completer) {
        self.inner.reload(updated, editor, completer);
        self.close_if_empty();
    }
    fn update_working_details(&mut self, editor: &mut Editor, completer: &mut dyn Completer, painter: &Painter) {
        self.inner.update_working_details(editor, completer, painter);
        self.close_if_empty();
    }
    fn replace_in_buffer(&self, editor: &mut Editor) {
        self.inner.replace_in_buffer(editor)
    }
    fn menu_required_lines(&self, terminal_columns: u16) -> u16 {
        self.inner.menu_required_lines(terminal_columns)
    }
    fn menu_string(&self, available_lines: u16, use_ansi_coloring: bool) -> String {
        self.inner.menu_string(available_lines, use_ansi_coloring)
    }
    fn min_rows(&self) -> u16 {
        self.inner.min_rows()
    }
    fn get_values(&self) -> &[Suggestion] {
        self.inner.get_values()
    }
    fn results_are_provisional(&self) -> bool {
        self.inner.results_are_provisional()
    }
    fn is_awaiting_first_answer(&self) -> bool {
        self.inner.is_awaiting_first_answer()
    }
    fn is_visible(&self) -> bool {
        self.inner.is_visible() && !self.inner.get_values().is_empty()
    }
    fn set_cursor_pos(&mut self, pos: (u16, u16)) {
        self.inner.set_cursor_pos(pos)
    }
}
