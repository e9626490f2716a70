//! Transcripts in Windows PowerShell's layout: a header block, each command
//! after its prompt, everything the console showed, a closing block.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use super::value::{format_compact_datetime, now_unix};

pub const STARS: &str = "**********************";

pub struct Transcript {
    pub path: PathBuf,
    file: File,
    pub include_invocation_header: bool,
}

pub struct HeaderInfo<'a> {
    pub user: &'a str,
    pub machine: &'a str,
    pub host_application: &'a str,
    /// The console's columns, so a replay lays tables and lists out alike.
    pub width: usize,
}

impl Transcript {
    pub fn start(
        path: PathBuf,
        append: bool,
        include_invocation_header: bool,
        info: &HeaderInfo,
    ) -> std::io::Result<Transcript> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // A transcript holds every line typed, passwords given to
        // ConvertTo-SecureString included: a new one is readable by its
        // owner only (an existing file keeps the mode its owner gave it).
        let mut file =
            crate::store::private::options().create(true).write(true).append(append).truncate(!append).open(&path)?;
        let os =
            std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_string()).unwrap_or_default();
        let header = format!(
            "{STARS}\nWindows PowerShell transcript start\nStart time: {}\nUsername: {user}\nRunAs User: {user}\nConfiguration Name: \nMachine: {machine} (Linux {os})\nHost Application: {host}\nConsole Width: {width}\nProcess ID: {pid}\nPSVersion: 5.1.14393.0\nPSEdition: Desktop\nBuildVersion: 10.0.14393.0\n{STARS}\n",
            format_compact_datetime(now_unix()),
            user = info.user,
            machine = info.machine,
            host = info.host_application,
            width = info.width,
            pid = std::process::id(),
        );
        file.write_all(header.as_bytes())?;
        Ok(Transcript { path, file, include_invocation_header })
    }

    /// Everything the console shows goes here too. A failing disk must not
    /// stop the shell, so write errors are ignored.
    pub fn append(&mut self, text: &str) {
        let _ = self.file.write_all(text.as_bytes());
    }

    /// The prompt and the command as typed.
    pub fn command(&mut self, prompt: &str, text: &str) {
        if self.include_invocation_header {
            let stamp = format_compact_datetime(now_unix());
            self.append(&format!("{STARS}\nCommand start time: {stamp}\n{STARS}\n"));
        }
        self.append(&format!("{prompt}{text}\n"));
    }

    pub fn stop(mut self) {
        let footer = format!(
            "{STARS}\nWindows PowerShell transcript end\nEnd time: {}\n{STARS}\n",
            format_compact_datetime(now_unix())
        );
        self.append(&footer);
        let _ = self.file.flush();
    }
}
