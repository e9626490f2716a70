//! fetchmail, the real client both protocols' tests download with: one run
//! over STARTTLS / STLS on the plain port, delivering to an mbox.

use std::process::Command;

use super::{Env, PASSWORD, USER};

/// Whether fetchmail is installed; says on stderr that the test is skipped
/// when it is not.
pub fn fetchmail_installed() -> bool {
    let installed = Command::new("fetchmail").arg("--version").output().is_ok();
    if !installed {
        eprintln!("fetchmail is not installed (apt-get install -y fetchmail); skipping");
    }
    installed
}

/// Runs fetchmail once against `env`'s plain port (`protocol`: fetchmail's
/// name for it, `options`: what follows the port on the poll line) and
/// fails the test unless it succeeds. Returns the mbox it delivered to and
/// its verbose log.
pub fn fetchmail(env: &Env, protocol: &str, options: &str) -> (String, String) {
    let out_dir = env.dir.path().join("fetched");
    std::fs::create_dir_all(&out_dir).expect("folder");
    let mbox = out_dir.join("mbox");
    let rc = env.dir.path().join("fetchmailrc");
    std::fs::write(
        &rc,
        format!(
            "poll 127.0.0.1 protocol {protocol} port {}{options}\n  user \"{USER}\" password \"{PASSWORD}\" sslproto tls1.2+ no sslcertck\n  mda \"cat >> {}\"\n",
            env.plain_port,
            mbox.display()
        ),
    )
    .expect("rc");
    // fetchmail refuses a run control file others may read.
    let mut perms = std::fs::metadata(&rc).expect("rc").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(&rc, perms).expect("chmod");
    let out = Command::new("fetchmail")
        .args(["-f"])
        .arg(&rc)
        .args(["--nodetach", "--nosyslog", "-v", "--idfile"])
        .arg(out_dir.join("ids"))
        .env("HOME", env.dir.path())
        .output()
        .expect("fetchmail runs");
    let log = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{log}");
    (std::fs::read_to_string(&mbox).unwrap_or_default(), log)
}
