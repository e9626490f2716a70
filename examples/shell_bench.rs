//! Shell and store benchmarks (not timed tests). Build and run:
//!
//!     cargo build --release && cargo run --release --example shell_bench
//!
//! Needs the sqlite3 command-line shell for the comparisons
//! (`apt-get install sqlite3`). Prints a Markdown table for docs/performance.md.
// A benchmark that meets an error has nothing left to measure: it stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mailsh::store::{CreateOptions, NewMailbox, Store};

fn mailsh_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("MAILSH_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("own path");
    exe.parent().and_then(|d| d.parent()).map(|d| d.join("mailsh")).expect("target folder")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn mailsh(store: &Path, script: &str) {
    let out = Command::new(mailsh_bin())
        .env("MAILSH_STORE", store)
        .args(["-NonInteractive", "-Command", script])
        .output()
        .expect("mailsh runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn sqlite3(store: &Path, sql: &str) {
    let out = Command::new("sqlite3").arg(store).arg(sql).output().expect("sqlite3 runs (apt-get install sqlite3)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("mailsh-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let store_path = dir.join("config.db");
    let n: usize = std::env::var("MAILBOXES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    {
        let mut store = Store::open_or_create(
            &store_path,
            &CreateOptions {
                server_name: Some("CAS01".into()),
                domain: Some("contoso.com".into()),
                ..Default::default()
            },
        )
        .expect("store");
        store
            .write(|tx| {
                for i in 0..n {
                    let name = format!("user{i:06}");
                    Store::insert_mailbox(
                        tx,
                        &NewMailbox {
                            name: name.clone(),
                            alias: name.clone(),
                            display_name: name.clone(),
                            upn: format!("{name}@contoso.com"),
                            primary_smtp: format!("{name}@contoso.com"),
                            ..Default::default()
                        },
                    )?;
                }
                Ok(())
            })
            .expect("mailboxes inserted");
    }
    println!("| measure | mailsh | sqlite3 CLI | ratio |\n| --- | --- | --- | --- |");

    let cold = time(21, || mailsh(&store_path, "Get-ImapSettings | fl"));
    let cold_sql = time(21, || sqlite3(&store_path, "SELECT settings FROM protocol_settings WHERE protocol = 'IMAP4'"));
    println!(
        "| cold start: `Get-ImapSettings \\| fl` | {} | {} | {:.2}x |",
        ms(cold),
        ms(cold_sql),
        cold.as_secs_f64() / cold_sql.as_secs_f64()
    );

    let script_path = dir.join("statements.ps1");
    let mut script = String::from("$n = 0\n");
    for _ in 0..10_000 {
        script.push_str("$n = $n + 1\n");
    }
    std::fs::write(&script_path, &script).expect("script written");
    let t = time(5, || {
        let out = Command::new(mailsh_bin())
            .env("MAILSH_STORE", &store_path)
            .arg("-File")
            .arg(&script_path)
            .output()
            .expect("runs");
        assert!(out.status.success());
    });
    println!(
        "| 10,001-statement script (`$n = $n + 1`) | {} ({:.0} statements/s) | | |",
        ms(t),
        10_001.0 / t.as_secs_f64()
    );

    let bulk = time(3, || {
        sqlite3(&store_path, "UPDATE mailbox SET pop_enabled = 1");
        let t = Instant::now();
        mailsh(&store_path, "Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false");
        let _ = t;
    });
    let reset = time(3, || sqlite3(&store_path, "UPDATE mailbox SET pop_enabled = 1"));
    let bulk_sql = time(3, || {
        sqlite3(&store_path, "UPDATE mailbox SET pop_enabled = 1");
        sqlite3(&store_path, "UPDATE mailbox SET pop_enabled = 0");
    });
    let (bulk, bulk_sql) = (bulk.saturating_sub(reset), bulk_sql.saturating_sub(reset));
    println!(
        "| {n} mailboxes: `Get-CASMailbox -ResultSize Unlimited \\| Set-CASMailbox -PopEnabled $false` vs `UPDATE mailbox SET pop_enabled = 0` | {} | {} | {:.2}x |",
        ms(bulk),
        ms(bulk_sql),
        bulk.as_secs_f64() / bulk_sql.as_secs_f64()
    );
    let count = time(3, || mailsh(&store_path, "Get-CASMailbox -ResultSize Unlimited | Measure-Object"));
    let count_sql = time(3, || sqlite3(&store_path, "SELECT count(*) FROM mailbox"));
    println!(
        "| {n} mailboxes: `Get-CASMailbox -ResultSize Unlimited \\| Measure-Object` vs `SELECT count(*)` | {} | {} | {:.2}x |",
        ms(count),
        ms(count_sql),
        count.as_secs_f64() / count_sql.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
