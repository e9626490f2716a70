//! mailsh's own command line, in powershell.exe's style:
//! `mailsh [-Store PATH] [-ServerName NAME] [-NoProfile] [-NonInteractive]
//!  [-File PATH | -Command TEXT | -Replay PATH... [-Update]]`.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::batch;
use super::console::Console;
use crate::store::CreateOptions;

#[derive(Debug, Default)]
pub struct Options {
    pub store: Option<PathBuf>,
    pub server_name: Option<String>,
    pub domain: Option<String>,
    pub file: Option<String>,
    pub command: Option<String>,
    pub replay: Vec<String>,
    pub update: bool,
    pub non_interactive: bool,
    pub help: bool,
    pub version: bool,
    /// -Setup, with -Mode and -Roles (`hosts::setup`).
    pub setup: bool,
    pub mode: Option<String>,
    pub roles: Option<String>,
    /// -Address: where other servers reach this one's back ends.
    pub address: Option<String>,
}

const USAGE: &str = "Usage: mailsh [-Store PATH] [-ServerName NAME] [-Domain DOMAIN] [-NoProfile] [-NonInteractive]
              [-File PATH | -Command TEXT | -Command - | -Replay PATH... [-Update]]

  With no -File or -Command, mailsh starts the interactive shell when standard
  input is a terminal, and otherwise runs the script it reads from it.

  -Store PATH        the configuration store (default: $MAILSH_STORE, else
                     $XDG_DATA_HOME/mailsh/config.db or ~/.local/share/mailsh/config.db)
  -ServerName NAME   this server's name when the store is created ($MAILSH_SERVER, else the host name)
  -Domain DOMAIN     the organization's domain when the store is created ($MAILSH_DOMAIN)
  -File PATH         run a .ps1 script
  -Command TEXT      run commands (- reads them from standard input)
  -Replay PATH...    replay .ps1 transcripts (files or folders) and compare their output
  -Update            with -Replay: rewrite the expected output of failing transcripts
                     (with -Store postgresql://..., each transcript runs in a scratch
                     database made and dropped on that server: the account needs CREATEDB)
  -NonInteractive    never prompt: a missing mandatory parameter is an error

       mailsh -Setup -Mode Install -Roles ClientAccess,Mailbox -ServerName NAME [-Address ADDRESS] -Store postgresql://...
       mailsh -Setup -Mode Uninstall -ServerName NAME -Store postgresql://...

  -Setup             adds this server to the organization whose directory is on
                     PostgreSQL (the first one creates it), or takes it out
  -Address ADDRESS   where the other servers reach this one's back ends (an IP
                     address or host name); they then speak TLS to them
";

/// Parses mailsh's arguments; parameter names are case-insensitive and may
/// be shortened to a unique prefix, as powershell.exe allows.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let names = [
        "Store",
        "ServerName",
        "Domain",
        "File",
        "Command",
        "Replay",
        "Update",
        "NoProfile",
        "NonInteractive",
        "NoLogo",
        "ExecutionPolicy",
        "InputFormat",
        "OutputFormat",
        "Help",
        "Version",
        "Setup",
        "Mode",
        "Roles",
        "Address",
    ];
    // Setup's own are taken only in full, so that the short forms admins
    // type (-f for -File, -se for -ServerName) keep their meaning.
    let whole_only = ["Setup", "Mode", "Roles", "Address"];
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let Some(flag) = a.strip_prefix("--").or_else(|| a.strip_prefix('-')) else {
            if !o.replay.is_empty() {
                o.replay.push(a.clone());
                i += 1;
                continue;
            }
            // A bare argument is a script path, as `powershell s.ps1` takes it.
            if o.file.is_none() && o.command.is_none() {
                o.file = Some(a.clone());
                i += 1;
                continue;
            }
            return Err(format!("Unexpected argument '{a}'."));
        };
        if flag == "?" || flag == "h" {
            o.help = true;
            i += 1;
            continue;
        }
        let lower = flag.to_ascii_lowercase();
        let matches: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !whole_only.contains(n) && n.to_ascii_lowercase().starts_with(&lower))
            .collect();
        let name = match (names.iter().find(|n| n.eq_ignore_ascii_case(flag)), matches.as_slice()) {
            (Some(exact), _) => *exact,
            (None, [one]) => *one,
            (None, []) => return Err(format!("Unknown parameter '-{flag}'.")),
            (None, many) => {
                return Err(format!("Parameter '-{flag}' is ambiguous: {}.", many.join(", ")));
            }
        };
        let mut value = || -> Result<String, String> {
            i += 1;
            args.get(i).cloned().ok_or_else(|| format!("Missing a value for -{name}."))
        };
        match name {
            "Store" => o.store = Some(PathBuf::from(value()?)),
            "ServerName" => o.server_name = Some(value()?),
            "Domain" => o.domain = Some(value()?),
            "File" => o.file = Some(value()?),
            "Command" => {
                // Everything after -Command is the command, as in powershell.exe.
                let rest: Vec<String> = args[i + 1..].to_vec();
                if rest.is_empty() {
                    return Err("Missing a value for -Command.".into());
                }
                o.command = Some(rest.join(" "));
                i = args.len();
                continue;
            }
            "Replay" => o.replay.push(value()?),
            "Update" => o.update = true,
            "NonInteractive" => o.non_interactive = true,
            "ExecutionPolicy" | "InputFormat" | "OutputFormat" => {
                value()?;
            }
            "Help" => o.help = true,
            "Version" => o.version = true,
            "Setup" => o.setup = true,
            "Mode" => o.mode = Some(value()?),
            "Roles" => o.roles = Some(value()?),
            "Address" => o.address = Some(value()?),
            _ => {}
        }
        i += 1;
    }
    Ok(o)
}

pub fn default_store_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILSH_STORE").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    crate::store::data_home().join("mailsh").join("config.db")
}

pub fn create_options(o: &Options) -> CreateOptions {
    CreateOptions {
        server_name: o.server_name.clone().or_else(|| std::env::var("MAILSH_SERVER").ok().filter(|s| !s.is_empty())),
        domain: o.domain.clone().or_else(|| std::env::var("MAILSH_DOMAIN").ok().filter(|s| !s.is_empty())),
        roles: None,
        address: None,
    }
}

/// The program, from the operating system's arguments: every one must be
/// UTF-8 (mailsh's language is text), else PowerShell's exit status for a
/// bad command line, 64, with the bytes named.
pub fn main_os(args: &[std::ffi::OsString]) -> i32 {
    let mut text = Vec::with_capacity(args.len());
    for (n, a) in args.iter().enumerate() {
        match super::batch::utf8_text(a.as_encoded_bytes().to_vec()) {
            Ok(s) => text.push(s),
            Err(why) => {
                eprintln!("Cannot process the command because argument {} is not valid UTF-8: {why}", n + 1);
                return 64;
            }
        }
    }
    main(&text)
}

/// The stack the shell runs on: deep recursion in a script (up to the
/// call-depth limit) and deeply nested expressions need more than a main
/// thread's 8 MiB; it is only reserved, not used.
const SHELL_STACK: usize = 1 << 30;

/// The program: returns the exit status.
pub fn main(args: &[String]) -> i32 {
    let owned = args.to_vec();
    let spawned = std::thread::Builder::new().name("mailsh".into()).stack_size(SHELL_STACK).spawn(move || run(&owned));
    match spawned {
        Ok(handle) => handle.join().unwrap_or(101),
        Err(_) => run(args),
    }
}

fn run(args: &[String]) -> i32 {
    let o = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return 64;
        }
    };
    if o.help {
        print!("{USAGE}");
        return 0;
    }
    if o.version {
        println!("mailsh {}", env!("CARGO_PKG_VERSION"));
        return 0;
    }
    let store = o.store.clone().unwrap_or_else(default_store_path);
    if o.setup {
        return super::setup::run(&o, &store);
    }
    if !o.replay.is_empty() {
        return super::replay::run(&o.replay, o.update, o.store.as_deref());
    }
    let ahead = crate::runtime::session::open_store_ahead(&store, &create_options(&o));
    let stdin_tty = std::io::stdin().is_terminal();
    let interactive_shell = o.file.is_none() && o.command.is_none() && stdin_tty;
    let prompts = stdin_tty && !o.non_interactive;
    let interrupt = catch_ctrl_c(!interactive_shell);
    let console = Console::new(prompts, interrupt.clone());
    let mut cx = super::session::new_session(store, create_options(&o), Box::new(console));
    cx.store_ahead(ahead);
    cx.interrupt = interrupt;
    cx.non_interactive = o.non_interactive;
    if interactive_shell {
        return super::repl::run(&mut cx);
    }
    match (&o.file, &o.command) {
        (Some(path), _) => batch::run_file(&mut cx, path),
        (None, Some(cmd)) if cmd.trim() == "-" => batch::run_stdin(&mut cx),
        (None, Some(cmd)) => batch::run_text(&mut cx, cmd, None),
        (None, None) => batch::run_stdin(&mut cx),
    }
}

/// Ctrl-C sets a flag that what runs checks between records and
/// iterations, and that ends a prompt: the command stops, never the shell.
/// In batch a second Ctrl-C, while the first is not yet seen (a command
/// stuck in a system call), ends the program with 130 as a shell would.
fn catch_ctrl_c(batch: bool) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if batch {
        let _ = signal_hook::flag::register_conditional_shutdown(libc::SIGINT, 130, flag.clone());
    }
    let _ = signal_hook::flag::register(libc::SIGINT, flag.clone());
    flag
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn command_takes_the_rest_of_the_line() {
        let o = parse_args(&args(&["-NoProfile", "-command", "Get-CASMailbox", "|", "fl"])).unwrap();
        assert_eq!(o.command.as_deref(), Some("Get-CASMailbox | fl"));
    }

    #[test]
    fn prefixes_and_case_are_accepted() {
        let o = parse_args(&args(&["-sto", "/tmp/x.db", "-NonInter", "-f", "s.ps1"])).unwrap();
        assert_eq!(o.store, Some(PathBuf::from("/tmp/x.db")));
        assert!(o.non_interactive);
        assert_eq!(o.file.as_deref(), Some("s.ps1"));
    }

    #[test]
    fn replay_takes_several_paths() {
        let o = parse_args(&args(&["-Replay", "examples", "tests/transcripts", "-Update"])).unwrap();
        assert_eq!(o.replay, vec!["examples".to_string(), "tests/transcripts".to_string()]);
        assert!(o.update);
    }
}
