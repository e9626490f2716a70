//! What IMAP4's and POP3's access tests share: a mailbox whose protocol is
//! turned off must be refused exactly as a wrong password is, and an open
//! session must be closed when its access is turned off. Each protocol
//! brings its client scripts and its switch (`Env::set_imap_enabled`,
//! `Env::set_pop_enabled`).

use std::time::Instant;

use super::{Env, Script, python};

/// Logs on with `wrong` (a wrong password), then with `login` while
/// access is off, then with access on again (no restart in between): the
/// refusal of a disabled mailbox must be the wrong password's to the byte.
/// Returns the wrong password's answer and the last one.
pub fn refused_exactly_like_a_wrong_password(
    env: &Env,
    login: &str,
    wrong: &str,
    set_enabled: fn(&Env, bool),
) -> (String, String) {
    let (ok, out_wrong, err) = python(env, wrong);
    assert!(ok, "{err}");
    set_enabled(env, false);
    let (ok, out_disabled, err) = python(env, login);
    assert!(ok, "{err}");
    assert_eq!(out_disabled, out_wrong, "no restart needed, and indistinguishable");
    set_enabled(env, true);
    let (ok, out, err) = python(env, login);
    assert!(ok, "{err}");
    (out_wrong, out)
}

/// `client` logs on, prints `in`, then `closed after N` when the server
/// closes its connection (or `still open` at its own timeout); access is
/// turned off once it is in, and it must be closed within `within` seconds.
pub fn turning_access_off_closes_the_session(env: &Env, client: &str, set_enabled: fn(&Env, bool), within: f64) {
    let mut client = Script::spawn(env, client);
    client.wait_for("in");
    let turned_off = Instant::now();
    set_enabled(env, false);
    let text = client.output();
    assert!(text.contains("closed after"), "{text}");
    assert!(turned_off.elapsed().as_secs_f64() < within, "{text}");
}
