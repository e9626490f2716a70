//! The language's speed against python3 on the same loops (a benchmark, not
//! a timed test). Build and run:
//!
//!     cargo build --release && cargo run --release --example language_bench
//!
//! Each loop runs in one mailsh process and in one python3 process, three
//! times in alternation; each program times its own loop (start-up aside,
//! which is noise at these sizes) and prints its result, then the
//! milliseconds the loop took. The results must agree; the median times
//! are compared.
//! Prints a Markdown table for docs/performance.md.
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

fn mailsh_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILSH_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("own path");
    exe.parent().and_then(|d| d.parent()).map(|d| d.join("mailsh")).expect("target folder")
}

struct Case {
    name: &'static str,
    mailsh: &'static str,
    python: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "for loop, 1,000,000 iterations of `$s += $i`",
        mailsh: "$s = 0; for ($i = 0; $i -lt 1000000; $i++) { $s += $i }; $s",
        python: "s = 0\nfor i in range(1000000):\n    s += i\nprint(s)",
    },
    Case {
        name: "foreach over 100,000 strings with -like and -replace",
        mailsh: "$names = foreach ($i in 1..100000) { \"user$i@contoso.com\" }\n$n = 0\nforeach ($m in $names) { if ($m -like 'user1*') { $n++ }; $x = $m -replace '@contoso\\.com$', '@fabrikam.com' }\n$n",
        python: "import re, fnmatch\nnames = ['user%d@contoso.com' % i for i in range(1, 100001)]\nn = 0\nfor m in names:\n    if fnmatch.fnmatch(m.lower(), 'user1*'):\n        n += 1\n    x = re.sub(r'@contoso\\.com$', '@fabrikam.com', m, flags=re.I)\nprint(n)",
    },
    Case {
        name: "10,000 calls of a function with two parameters",
        mailsh: "function Add-Two($a, $b) { $a + $b }\n$t = 0; for ($i = 0; $i -lt 10000; $i++) { $t = Add-Two $t $i }; $t",
        python: "def add_two(a, b):\n    return a + b\nt = 0\nfor i in range(10000):\n    t = add_two(t, i)\nprint(t)",
    },
];

/// Runs a timed program: its result and the loop's own time.
fn run(program: &mut Command) -> (Duration, String) {
    let out = program.output().expect("the interpreter runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines: Vec<&str> = text.trim().lines().collect();
    let ms: f64 = lines.pop().and_then(|l| l.trim().parse().ok()).expect("the loop's time in ms");
    (Duration::from_secs_f64(ms / 1000.0), lines.join("\n"))
}

fn mailsh(script: &str) -> Command {
    let timed = format!("$started = [datetime]::UtcNow\n{script}\n([datetime]::UtcNow - $started).TotalMilliseconds");
    let mut c = Command::new(mailsh_bin());
    c.args(["-NoProfile", "-NonInteractive", "-Command", &timed]);
    c.env("MAILSH_STORE", std::env::temp_dir().join("mailsh-language-bench.db"));
    c
}

fn python(script: &str) -> Command {
    let timed =
        format!("import time\nstarted = time.perf_counter()\n{script}\nprint((time.perf_counter() - started) * 1000)");
    let mut c = Command::new("python3");
    c.args(["-c", &timed]);
    c
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs per case, alternating the two interpreters; the median is reported (the
/// loops are short, so single runs vary with the machine's load).
const RUNS: usize = 7;

fn main() {
    println!("| loop | mailsh | python3 | ratio |");
    println!("|---|---:|---:|---:|");
    for case in CASES {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..RUNS {
            let (t, a) = run(&mut mailsh(case.mailsh));
            let (u, b) = run(&mut python(case.python));
            assert_eq!(a, b, "{}: mailsh and python3 disagree", case.name);
            ours.push(t);
            theirs.push(u);
        }
        let (ours, theirs) = (median(ours), median(theirs));
        let ratio = ours.as_secs_f64() / theirs.as_secs_f64().max(1e-6);
        println!("| {} | {:.1} ms | {:.1} ms | {:.1}x |", case.name, ms(ours), ms(theirs), ratio);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
