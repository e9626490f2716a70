//! Random scripts built from the grammar's constructs, some of them then
//! damaged by a stray character, go through the parser, the highlighter, the
//! completer and the evaluator (on a real store): none may panic, and each
//! ends within its time limit (a watchdog presses Ctrl-C, as an admin would).

use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use super::complete::ShellCompleter;
use super::highlight::highlight_line;
use super::session::{new_session, run_shown};
use crate::language::parse_script;
use crate::runtime::session::{SilentHost, Source};
use crate::store::CreateOptions;

/// xorshift64: the same scripts on every run, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ATOMS: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "3.5",
    "1e3",
    "0x1F",
    "10kb",
    "2147483647",
    "7d",
    "$null",
    "$true",
    "$false",
    "'a'",
    "'b,c'",
    "\"x$a\"",
    "\"$($b)\"",
    "''",
    "$a",
    "$b",
    "$_",
    "$args",
    "$input",
    "$Error",
    "$Matches",
    "$PSVersionTable",
    "$env:HOME",
    "@()",
    "@(1,2,3)",
    "@{a=1;b='x'}",
    "[ordered]@{z=1}",
    "(1..3)",
    "(Get-Date)",
    "[datetime]'2020-01-02'",
    "[timespan]'1:02:03'",
    "[guid]::Empty",
    "'2020-01-02'",
    "[char]65",
    "'A B'",
    "@'\nhere\n'@",
];

const BINARY: &[&str] = &[
    "+",
    "-",
    "*",
    "/",
    "%",
    "-eq",
    "-ne",
    "-gt",
    "-lt",
    "-le",
    "-ge",
    "-like",
    "-notlike",
    "-match",
    "-notmatch",
    "-replace",
    "-split",
    "-join",
    "-contains",
    "-in",
    "-notin",
    "-is",
    "-as",
    "-band",
    "-bor",
    "-bxor",
    "-shl",
    "-shr",
    "-and",
    "-or",
    "-xor",
    "-f",
    "..",
    "-ceq",
    "-ilike",
];

const CASTS: &[&str] = &[
    "[int]",
    "[long]",
    "[double]",
    "[decimal]",
    "[string]",
    "[bool]",
    "[char]",
    "[byte]",
    "[datetime]",
    "[timespan]",
    "[array]",
    "[hashtable]",
    "[regex]",
    "[version]",
    "[guid]",
    "[void]",
    "[int[]]",
    "[string[]]",
    "[PSCustomObject]",
    "[math]::Abs",
    "[math]::Round",
];

const MEMBERS: &[&str] = &[
    ".Length",
    ".Count",
    ".ToUpper()",
    ".ToString()",
    ".Split(',')",
    ".Substring(1)",
    ".GetType().Name",
    "[0]",
    "[-1]",
    "[1..2]",
    ".Keys",
    ".Values",
    ".Add(1)",
    ".Contains('a')",
    ".Replace('a','b')",
    ".Trim()",
    ".AddDays(1)",
    ".Year",
    ".TotalSeconds",
    ".Name",
    ".PadLeft(3)",
    ".IndexOf('a')",
    ".ToCharArray()",
    ".Clone()",
];

const COMMANDS: &[&str] = &[
    "Write-Output",
    "ForEach-Object { $_ }",
    "Where-Object { $_ }",
    "Select-Object -First 2",
    "Sort-Object",
    "Measure-Object",
    "Group-Object",
    "Format-Table",
    "Format-List",
    "Out-String",
    "ConvertTo-Json",
    "Out-Null",
    "Select-Object -ExpandProperty Name",
    "Get-CASMailbox",
    "Get-Mailbox",
    "Get-ImapSettings",
    "Get-PopSettings",
    "Write-Warning",
    "Write-Error",
    "Write-Verbose",
    "Write-Host",
    "Get-Service",
    "Get-Date -Format yyyy",
    "Get-Command",
    "Get-Help",
    "Measure-Object -Sum",
    "Sort-Object -Descending",
    "Get-Unknown-Thing",
];

fn expr(r: &mut Rng, depth: usize) -> String {
    if depth == 0 {
        return r.pick(ATOMS).to_string();
    }
    match r.below(9) {
        0 | 1 => format!("{} {} {}", expr(r, depth - 1), r.pick(BINARY), expr(r, depth - 1)),
        2 => format!("{}{}", r.pick(CASTS), atom_or_paren(r, depth)),
        3 => format!("{}{}", atom_or_paren(r, depth), r.pick(MEMBERS)),
        4 => format!("({})", pipeline(r, depth - 1)),
        5 => format!("$({})", statement(r, depth - 1)),
        6 => format!("@({}, {})", expr(r, depth - 1), expr(r, depth - 1)),
        7 => format!("& {{ {} }}", statement(r, depth - 1)),
        _ => format!("{}{}", r.pick(&["-not ", "!", "-", "-join ", "-split ", ","]), atom_or_paren(r, depth)),
    }
}

fn atom_or_paren(r: &mut Rng, depth: usize) -> String {
    if r.below(2) == 0 { r.pick(ATOMS).to_string() } else { format!("({})", expr(r, depth - 1)) }
}

fn pipeline(r: &mut Rng, depth: usize) -> String {
    let mut p = if r.below(2) == 0 { expr(r, depth) } else { format!("{} {}", r.pick(COMMANDS), expr(r, 0)) };
    for _ in 0..r.below(3) {
        p.push_str(" | ");
        p.push_str(r.pick(COMMANDS));
    }
    if r.below(6) == 0 {
        p.push_str(r.pick(&[" 2>&1", " 2>$null", " *>&1", " 3>&1", " > $null"]));
    }
    p
}

fn block(r: &mut Rng, depth: usize) -> String {
    let n = r.below(3) + 1;
    let body: Vec<String> = (0..n).map(|_| statement(r, depth)).collect();
    format!("{{ {} }}", body.join("; "))
}

fn statement(r: &mut Rng, depth: usize) -> String {
    if depth == 0 {
        return pipeline(r, 0);
    }
    let d = depth - 1;
    match r.below(16) {
        0 => format!("$a = {}", pipeline(r, d)),
        1 => format!("$b {} {}", r.pick(&["+=", "-=", "*=", "/=", "%="]), expr(r, d)),
        2 => {
            format!("if ({}) {} elseif ({}) {} else {}", expr(r, d), block(r, d), expr(r, d), block(r, d), block(r, d))
        }
        3 => format!("foreach ($i in {}) {}", expr(r, d), block(r, d)),
        4 => format!("for ($i = 0; $i -lt {}; $i++) {}", r.below(5), block(r, d)),
        5 => format!("while ({}) {{ {}; break }}", expr(r, d), statement(r, d)),
        // Mostly a loop that ends; sometimes one that only Ctrl-C ends.
        6 => {
            let test = if r.below(8) == 0 { expr(r, d) } else { format!("{} -or $true", expr(r, d)) };
            format!("do {} until ({test})", block(r, d))
        }
        7 => format!(
            "switch {}({}) {{ {} {} default {} }}",
            r.pick(&["", "-Wildcard ", "-Regex ", "-Exact "]),
            expr(r, d),
            r.pick(ATOMS),
            block(r, d),
            block(r, d)
        ),
        8 => format!("try {} catch [System.Exception] {} finally {}", block(r, d), block(r, d), block(r, d)),
        9 => format!("trap {{ {}; continue }} {}", statement(r, d), statement(r, d)),
        10 => format!(
            "function f{} {{ param([Parameter(Mandatory)]$x, [int]$y = 2) {} }}; f{} {} -y {}",
            d,
            statement(r, d),
            d,
            r.pick(ATOMS),
            r.below(4)
        ),
        11 => format!("throw {}", r.pick(ATOMS)),
        12 => r.pick(&["break", "continue", "return 5", "exit 3", "$a, $b = 1, 2", "$a++", "--$b"]).to_string(),
        13 => format!("$h = @{{}}; $h[{}] = {}", r.pick(ATOMS), expr(r, d)),
        14 => format!("$ErrorActionPreference = '{}'", r.pick(&["Stop", "Continue", "SilentlyContinue"])),
        _ => pipeline(r, d),
    }
}

/// A stray character, or a piece cut out, where an admin's typing slips.
fn damage(r: &mut Rng, text: &str) -> String {
    const STRAY: &[&str] = &["(", ")", "{", "}", "'", "\"", "`", "$", "@", "|", ";", "[", "]", "\n", "#", "<#", ","];
    let cut = text.char_indices().map(|(i, _)| i).collect::<Vec<_>>();
    if cut.is_empty() {
        return text.to_string();
    }
    let at = cut[r.below(cut.len())];
    if r.below(2) == 0 {
        format!("{}{}{}", &text[..at], r.pick(STRAY), &text[at..])
    } else {
        let end = cut.iter().copied().find(|&i| i > at + r.below(8)).unwrap_or(text.len());
        format!("{}{}", &text[..at], &text[end..])
    }
}

/// The CPU time this thread has used (the scripts run on it).
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given, which we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// How long one script may run before the watchdog interrupts it.
const TIME_LIMIT: Duration = Duration::from_millis(500);

fn random_scripts_neither_panic_nor_hang() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = dir.path().join("fuzz.db");
    let mut completer = ShellCompleter::new(store.clone(), Default::default());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut cx = new_session(store, CreateOptions::default(), Box::new(SilentHost));
    let interrupt = cx.interrupt.clone();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        loop {
            match finished.recv_timeout(TIME_LIMIT) {
                Ok(()) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => interrupt.store(true, Ordering::Relaxed),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    for n in 0..1_000 {
        let mut text = statement(&mut rng, 3);
        if rng.below(4) == 0 {
            text = damage(&mut rng, &text);
        }
        let _ = highlight_line(&text);
        let pos = text.char_indices().map(|(i, _)| i).nth(rng.below(text.chars().count() + 1)).unwrap_or(text.len());
        let _ = completer.candidates(&text, pos);
        let _ = crate::language::opath::parse_filter(&text);
        if let Ok(script) = parse_script(&text) {
            cx.source = std::rc::Rc::new(Source { text: text.clone(), path: None, first_line: 1 });
            let started = std::time::Instant::now();
            let cpu_before = thread_cpu_time();
            let _ = run_shown(&mut cx, &script);
            // The interrupt is honoured at the next statement or iteration:
            // a script that outlives its limit by far is one that ignores it
            // (and keeps computing). Counted in this thread's CPU time: on a
            // loaded machine the wall clock runs several times faster.
            let cpu = thread_cpu_time().saturating_sub(cpu_before);
            assert!(cpu < TIME_LIMIT * 5, "script {n} ran {cpu:?} of CPU ({:?} in all): {text}", started.elapsed());
            if std::env::var_os("MAILSH_FUZZ_SLOW").is_some() && started.elapsed() > Duration::from_millis(200) {
                eprintln!("{:?} {text}", started.elapsed());
            }
            let _ = done.send(());
        }
        cx.interrupt.store(false, Ordering::Relaxed);
    }
    drop(done);
    let _ = watchdog.join();
}

/// Runs on a stack as large as the shell's own thread has.
#[test]
fn random_scripts_from_the_grammar() {
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(random_scripts_neither_panic_nor_hang);
    if let Err(e) = worker.expect("a test thread").join() {
        std::panic::resume_unwind(e);
    }
}
