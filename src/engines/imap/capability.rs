//! What the engine advertises: an extension is listed once it is complete.
//! IMAP4rev2 after login, beside IMAP4rev1 (RFC 9051 A: a client turns it
//! on with ENABLE); before login the list is the back end's and the front
//! end's greeting, IMAP4rev1 only.

use crate::store::AdvertisedCapabilities;

/// Before login. `starttls`: on the plain port before TLS; `login_disabled`:
/// plain-text login is not allowed on this connection (SecureLogin).
pub fn pre_auth(starttls: bool, login_disabled: bool) -> String {
    let mut caps = String::from("IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE");
    if starttls {
        caps.push_str(" STARTTLS");
    }
    if login_disabled {
        caps.push_str(" LOGINDISABLED");
    } else {
        caps.push_str(" AUTH=PLAIN");
    }
    caps
}

/// After login, the full list: every extension that is complete.
pub const FULL: &str = "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE CONDSTORE QRESYNC STATUS=SIZE WITHIN SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES ESEARCH SEARCHRES LIST-EXTENDED LIST-STATUS CREATE-SPECIAL-USE MULTIAPPEND CATENATE QUOTA QUOTA=RES-STORAGE BINARY COMPRESS=DEFLATE APPENDLIMIT=36700160 UTF8=ACCEPT IMAP4rev2";

/// After login, Exchange 2013's list (Set-ImapSettings
/// -AdvertisedCapabilities Exchange2013), for clients that must see exactly
/// Exchange.
pub const EXCHANGE_2013: &str =
    "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE";

/// What CAPABILITY answers after login under the server's setting.
pub fn post_auth(set: AdvertisedCapabilities) -> &'static str {
    match set {
        AdvertisedCapabilities::Full => FULL,
        AdvertisedCapabilities::Exchange2013 => EXCHANGE_2013,
    }
}

/// Whether `name` (upper case) is in the list the setting advertises.
pub fn advertised(set: AdvertisedCapabilities, name: &str) -> bool {
    post_auth(set).split(' ').any(|c| c.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    #[test]
    fn secure_login_hides_auth_plain_until_tls() {
        assert_eq!(super::pre_auth(true, true), "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED");
        assert_eq!(super::pre_auth(false, false), "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN");
    }

    /// RFC 7889 2: APPENDLIMIT=n is the one limit of every folder, which
    /// APPEND and CATENATE enforce (`MAX_MESSAGE`).
    #[test]
    fn appendlimit_is_the_message_limit() {
        let limit = format!(" APPENDLIMIT={} ", crate::engines::imap::backend::session::MAX_MESSAGE);
        assert!(super::FULL.contains(&limit), "{}", super::FULL);
    }
}
