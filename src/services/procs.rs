//! Process facts from /proc. A service process is recognised by its
//! command line: the hidden flag, the service name and the store id
//! (`store::instance_id`), so a recycled pid, a zombie, or the service of a
//! copy of the store is never taken for this store's service.

use std::path::Path;

use super::STORE_ID_FLAG;

/// A live (not zombie) process's arguments.
fn arguments(pid: i32) -> Option<Vec<Vec<u8>>> {
    if pid <= 0 {
        return None;
    }
    let proc_dir = Path::new("/proc").join(pid.to_string());
    let stat = std::fs::read_to_string(proc_dir.join("stat")).ok()?;
    // The state letter follows the parenthesised command name.
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    if matches!(state, Some('Z') | Some('X') | None) {
        return None;
    }
    let cmdline = std::fs::read(proc_dir.join("cmdline")).ok()?;
    Some(cmdline.split(|&b| b == 0).map(<[u8]>::to_vec).collect())
}

fn matches(args: &[Vec<u8>], flag: &str, name: &str, store_id: &str) -> bool {
    let id_follows_flag = args.windows(2).any(|w| w[0] == STORE_ID_FLAG.as_bytes() && w[1] == store_id.as_bytes());
    args.iter().any(|a| a == flag.as_bytes()) && args.iter().any(|a| a == name.as_bytes()) && id_follows_flag
}

/// Is `pid` a live process of this store's service `name`, started with
/// `flag` (the supervisor's or the engine's)?
pub fn is_service_process(pid: i32, flag: &str, name: &str, store_id: &str) -> bool {
    arguments(pid).is_some_and(|args| matches(&args, flag, name, store_id))
}

/// The live processes of this store's service `name` started with `flag`.
pub fn find(flag: &str, name: &str, store_id: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut found: Vec<i32> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
        .filter(|&pid| is_service_process(pid, flag, name, store_id))
        .collect();
    found.sort_unstable();
    found
}

/// The parent of `pid`.
pub fn parent(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

pub fn signal(pid: i32, sig: i32) -> bool {
    // SAFETY: kill(2) with a pid we checked belongs to us; no memory involved.
    pid > 0 && unsafe { libc::kill(pid, sig) } == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_is_ours_only_with_the_flag_the_name_and_the_store_id() {
        let args: Vec<Vec<u8>> =
            ["/bin/mailsh", "--mailsh-service", "MSExchangePOP3", "--store", "/s/c.db", "--store-id", "g.1.2"]
                .iter()
                .map(|a| a.as_bytes().to_vec())
                .collect();
        assert!(matches(&args, "--mailsh-service", "MSExchangePOP3", "g.1.2"));
        assert!(!matches(&args, "--mailsh-service", "MSExchangePOP3", "g.1.3"), "a copy of the store");
        assert!(!matches(&args, "--mailsh-engine", "MSExchangePOP3", "g.1.2"));
        assert!(!matches(&args, "--mailsh-service", "MSExchangeIMAP4", "g.1.2"));
        // This test process is no service of any store.
        assert!(!is_service_process(std::process::id() as i32, "--mailsh-service", "MSExchangePOP3", "g.1.2"));
        assert_eq!(parent(std::process::id() as i32), Some(unsafe { libc::getppid() }));
    }
}
