//! The REPL's history file, minus what looks like a secret.
//!
//! PSReadLine keeps a line that contains `password`, `asplaintext`,
//! `token`, `apikey` or `secret` (any case) out of its history file: the
//! line is kept for this session only (MemoryOnly). `ConvertTo-SecureString
//! -String 'P@ss' -AsPlainText -Force` and `New-Mailbox ... -Password ...`
//! are what an Exchange administrator types most. PSReadLine then parses
//! such a line to let a few harmless shapes through (`Get-Secret`, a
//! variable named `$token` assigned from one); mailsh keeps every such line
//! out of the file, which errs on the private side.
//!
//! Reedline takes a history that refuses to save a line as it takes a line
//! excluded by prefix: it runs, stays available to the next Up arrow, and
//! is never written.

use reedline::{
    FileBackedHistory, History, HistoryItem, HistoryItemId, HistorySessionId, ReedlineError, ReedlineErrorVariants,
    SearchQuery,
};

/// PSReadLine's default sensitive pattern (`password|asplaintext|token|apikey|secret`).
const SENSITIVE: [&str; 5] = ["password", "asplaintext", "token", "apikey", "secret"];

/// Whether PSReadLine's default handler would keep `line` out of the
/// history file.
pub fn is_sensitive(line: &str) -> bool {
    let lower = line.to_lowercase();
    SENSITIVE.iter().any(|word| lower.contains(word))
}

/// A file-backed history that never stores a sensitive line.
pub struct PrivateHistory(pub FileBackedHistory);

impl History for PrivateHistory {
    fn save(&mut self, h: HistoryItem) -> reedline::Result<HistoryItem> {
        if is_sensitive(&h.command_line) {
            return Err(ReedlineError(ReedlineErrorVariants::OtherHistoryError(
                "a line that may hold a secret is kept out of the history file",
            )));
        }
        self.0.save(h)
    }

    fn load(&self, id: HistoryItemId) -> reedline::Result<HistoryItem> {
        self.0.load(id)
    }

    fn count(&self, query: SearchQuery) -> reedline::Result<i64> {
        self.0.count(query)
    }

    fn search(&self, query: SearchQuery) -> reedline::Result<Vec<HistoryItem>> {
        self.0.search(query)
    }

    fn update(&mut self, id: HistoryItemId, updater: &dyn Fn(HistoryItem) -> HistoryItem) -> reedline::Result<()> {
        self.0.update(id, updater)
    }

    fn clear(&mut self) -> reedline::Result<()> {
        self.0.clear()
    }

    fn delete(&mut self, h: HistoryItemId) -> reedline::Result<()> {
        self.0.delete(h)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.0.sync()
    }

    fn session(&self) -> Option<HistorySessionId> {
        self.0.session()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psreadline_s_sensitive_words_in_any_case() {
        for line in [
            "$pw = ConvertTo-SecureString -String 'x' -AsPlainText -Force",
            "New-Mailbox -Name a -Password $pw",
            "$TOKEN = 'abc'",
            "Set-Thing -ApiKey k",
            "Get-Secret",
        ] {
            assert!(is_sensitive(line), "{line}");
        }
        for line in ["Get-CASMailbox jsmith", "Set-ImapSettings -LoginType SecureLogin", "Get-Service"] {
            assert!(!is_sensitive(line), "{line}");
        }
    }

    #[test]
    fn a_sensitive_line_is_refused_and_never_reaches_the_file() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("history.txt");
        let mut h = PrivateHistory(FileBackedHistory::with_file(100, path.clone()).expect("history"));
        assert!(h.save(HistoryItem::from_command_line("Get-Service")).is_ok());
        assert!(h.save(HistoryItem::from_command_line("ConvertTo-SecureString 'Hist-55' -AsPlainText")).is_err());
        h.sync().expect("written");
        let text = std::fs::read_to_string(&path).expect("the file");
        assert_eq!(text, "Get-Service\n");
    }
}
