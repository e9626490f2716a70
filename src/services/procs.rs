//! Process facts from /proc, so a recycled pid is never taken for one of
//! our services, and a zombie is never taken for a live one.

use std::path::Path;

/// Is `pid` a live (not zombie) process whose command line holds `marker`
/// and `name`?
pub fn is_our_process(pid: i32, marker: &str, name: &str) -> bool {
    if pid <= 0 {
        return false;
    }
    let proc_dir = Path::new("/proc").join(pid.to_string());
    let Ok(stat) = std::fs::read_to_string(proc_dir.join("stat")) else { return false };
    // The state letter follows the parenthesised command name.
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    if matches!(state, Some('Z') | Some('X') | None) {
        return false;
    }
    let Ok(cmdline) = std::fs::read(proc_dir.join("cmdline")) else { return false };
    let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
    args.contains(&marker.as_bytes()) && args.contains(&name.as_bytes())
}

pub fn signal(pid: i32, sig: i32) -> bool {
    // SAFETY: kill(2) with a pid we checked belongs to us; no memory involved.
    pid > 0 && unsafe { libc::kill(pid, sig) } == 0
}
