//! The interactive shell: reedline with history beside the store, Ctrl-R
//! search, tab completion, highlighting and multi-line input.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use reedline::{
    DefaultHinter, EditCommand, Emacs, FileBackedHistory, HistoryItem, KeyCode, KeyModifiers, Prompt, PromptEditMode,
    PromptHistorySearch, PromptHistorySearchStatus, Reedline, ReedlineEvent, ReedlineMenu, Signal, ValidationResult,
    Validator, default_emacs_keybindings,
};

use super::batch::{exit_code, report_parse_error};
use super::complete::{ShellCompleter, Variables, variables_of};
use super::highlight::ShellHighlighter;
use super::keys;
use crate::language::diagnose::ends_in_continuation;
use crate::language::parse_script;
use crate::runtime::pipeline::Outcome;
use crate::runtime::session::{Session, Source};
use crate::store::state_dir_for;

/// `[PS] CAS01>`, as the Exchange Management Shell prompts (no space after `>`).
pub fn prompt_text(server: &str) -> String {
    format!("[PS] {server}>")
}

/// `[MBX01]: PS>` in a session Enter-PSSession opened, as PowerShell puts
/// the computer before a remote session's prompt.
pub fn session_prompt(computer: &str) -> String {
    format!("[{computer}]: PS>")
}

struct ShellPrompt {
    text: String,
}

impl Prompt for ShellPrompt {
    fn render_prompt_left(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.text)
    }
    fn render_prompt_right(&self) -> Cow<'_, str> {
        Cow::Borrowed("")
    }
    fn render_prompt_indicator(&self, _mode: PromptEditMode) -> Cow<'_, str> {
        Cow::Borrowed("")
    }
    fn render_prompt_multiline_indicator(&self) -> Cow<'_, str> {
        Cow::Borrowed(">> ")
    }
    fn render_prompt_history_search_indicator(&self, search: PromptHistorySearch) -> Cow<'_, str> {
        let prefix = match search.status {
            PromptHistorySearchStatus::Passing => "",
            PromptHistorySearchStatus::Failing => "failing ",
        };
        Cow::Owned(format!("({prefix}bck-i-search: {}) ", search.term))
    }
}

/// An open quote, brace, trailing pipe or line-continuation backtick asks for another line (`>> `).
struct ShellValidator;

impl Validator for ShellValidator {
    fn validate(&self, line: &str) -> ValidationResult {
        if ends_in_continuation(line) {
            return ValidationResult::Incomplete;
        }
        match parse_script(line) {
            Err(e) if e.incomplete => ValidationResult::Incomplete,
            _ => ValidationResult::Complete,
        }
    }
}

fn editor(cx: &Session, variables: Variables) -> Reedline {
    let flag = || Arc::new(AtomicBool::new(false));
    let (run_found, cycling, backwards) = (flag(), flag(), flag());
    let mut keybindings = default_emacs_keybindings();
    // Tab and Shift-Tab complete in place, a match at a time (PSReadLine's
    // TabCompleteNext / TabCompletePrevious, its Windows default).
    keybindings.add_binding(KeyModifiers::NONE, KeyCode::Tab, keys::tab());
    for modifiers in [KeyModifiers::SHIFT, KeyModifiers::NONE] {
        keybindings.add_binding(modifiers, KeyCode::BackTab, keys::shift_tab());
    }
    // Ctrl+Space shows the matches as a menu (PSReadLine's MenuComplete).
    keybindings.add_binding(
        KeyModifiers::CONTROL,
        KeyCode::Char(' '),
        ReedlineEvent::UntilFound(vec![ReedlineEvent::Menu("completion_menu".to_string()), ReedlineEvent::MenuNext]),
    );
    let menu = Box::new(super::completion_menu::CompletionMenu::new("completion_menu"));
    let round = Box::new(super::tab_cycle::TabCycle::new(keys::TAB_CYCLE, cycling.clone(), backwards.clone()));
    let mut line_editor = Reedline::create()
        .with_completer(Box::new(ShellCompleter::new(cx.store_path.clone(), variables)))
        .with_menu(ReedlineMenu::EngineCompleter(round))
        .with_menu(ReedlineMenu::EngineCompleter(menu))
        .with_quick_completions(true)
        .with_partial_completions(true)
        .with_edit_mode(Box::new(keys::ShellKeys::new(Emacs::new(keybindings), run_found.clone(), cycling, backwards)))
        .with_break_signal(run_found)
        .with_highlighter(Box::new(ShellHighlighter))
        .with_validator(Box::new(ShellValidator))
        .with_hinter(Box::new(
            DefaultHinter::default().with_style(nu_ansi_term::Style::new().fg(nu_ansi_term::Color::DarkGray)),
        ));
    // The store's folder; with the directory on PostgreSQL, this server's
    // local folder (the store is open, so the server is known).
    // The history (which may hold what was typed at a prompt) is the
    // owner's alone: made 0600 before the line editor makes it with the
    // umask's mode.
    let dir = state_dir_for(&cx.store_path);
    if crate::store::private::create_dir_all(&dir).is_ok()
        && crate::store::private::touch(&crate::store::history_path(&cx.store_path)).is_ok()
        && let Ok(history) = FileBackedHistory::with_file(10_000, crate::store::history_path(&cx.store_path))
    {
        line_editor = line_editor.with_history(Box::new(super::history::PrivateHistory(history)));
    }
    line_editor
}

pub fn run(cx: &mut Session) -> i32 {
    let server = match cx.store() {
        Ok(s) => s.server().name.clone(),
        Err(e) => {
            eprintln!("{}", e.message);
            return 1;
        }
    };
    let variables = Variables::default();
    let mut line_editor = editor(cx, variables.clone());
    loop {
        let prompt = ShellPrompt {
            text: match &cx.entered {
                Some(e) => session_prompt(&e.computer),
                None => prompt_text(&server),
            },
        };
        if let Ok(mut v) = variables.lock() {
            *v = variables_of(cx);
        }
        let signal = match line_editor.read_line(&prompt) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        };
        let line = match signal {
            Signal::Success(line) => {
                // Written as it is typed (PSReadLine's SaveIncrementally):
                // a killed shell keeps its history, and two shells on one
                // store both keep theirs.
                let _ = line_editor.sync_history();
                line
            }
            // Enter on a line Ctrl-R found: run it, and keep it in the history
            // as reedline does for a line submitted.
            Signal::ExternalBreak(line) => {
                // reedline keeps a broken-off line in its editor: the next
                // prompt starts empty.
                line_editor.run_edit_commands(&[EditCommand::Clear]);
                println!();
                if !line.trim().is_empty() {
                    let _ = line_editor.history_mut().save(HistoryItem::from_command_line(&line));
                    let _ = line_editor.sync_history();
                }
                line
            }
            Signal::CtrlC => continue,
            Signal::CtrlD => return exit_code(cx, Outcome::Completed).min(0),
            _ => continue,
        };
        if let Some(t) = cx.transcript.as_mut() {
            t.command(&prompt.text, &line);
        }
        if line.trim().is_empty() {
            continue;
        }
        // A Ctrl-C from before this line is not meant for it.
        cx.interrupt.store(false, std::sync::atomic::Ordering::Relaxed);
        cx.source = Rc::new(Source { text: line.clone(), path: None, first_line: 1 });
        match parse_script(&line) {
            Ok(script) => match super::session::run_shown(cx, &script) {
                Outcome::Exit(code) => return code,
                Outcome::Completed | Outcome::Stopped | Outcome::Interrupted => {}
            },
            Err(e) => report_parse_error(cx, &e),
        }
    }
}
