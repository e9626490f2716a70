//! Calendar items and hidden folders (exchange-cmdlets.md section 9):
//! iCalendar by default, an OWA link under intranetUrl, the per-user
//! ForceICal override, and Calendar/Contacts/Tasks shown only with
//! ShowHiddenFoldersEnabled.

use crate::support::{Env, python};
use mailsh::store::{CalendarItemRetrievalOption, Store};

const INVITE: &[u8] = b"From: alice@contoso.com\r\nSubject: Meeting\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCome.\r\n--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nUID:meet-1\r\nEND:VCALENDAR\r\n--b--\r\n";

const FETCH: &str = r#"
import os, imaplib
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
m.login(os.environ['USER'], os.environ['PASSWORD'])
m.select('INBOX')
typ, data = m.fetch('1', '(BODY.PEEK[])')
print(data[0][1].decode())
typ, boxes = m.list()
for b in boxes: print(b.decode())
"#;

fn force_ical(env: &Env) {
    let mut store = Store::open_existing(&env.store).expect("store");
    store
        .write(|tx| {
            let mut m = Store::mailbox_for_update(tx, 1)?.expect("mailbox 1");
            m.cas.imap.use_protocol_defaults = false;
            m.cas.imap.force_ical = true;
            Store::update_mailbox(tx, &m)?;
            Ok(())
        })
        .expect("updated");
}

#[test]
fn icalendar_by_default_and_no_hidden_folders() {
    let mut env = Env::imap(false);
    env.deliver(INVITE);
    env.start_imap();
    let (ok, out, err) = python(&env, FETCH);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("BEGIN:VCALENDAR"), "{out}");
    assert!(!out.contains("\"Calendar\"") && !out.contains("Contacts") && !out.contains("Tasks"), "{out}");
}

#[test]
fn intranet_url_serves_a_link_unless_the_user_forces_icalendar() {
    let mut env = Env::imap_with(|s| {
        s.login_type = mailsh::store::LoginType::PlainTextLogin;
        s.calendar_item_retrieval_option = CalendarItemRetrievalOption::IntranetUrl;
        s.show_hidden_folders_enabled = true;
    });
    env.deliver(INVITE);
    env.start_imap();
    let (ok, out, err) = python(&env, FETCH);
    assert!(ok, "{out}\n{err}");
    assert!(!out.contains("BEGIN:VCALENDAR"), "{out}");
    assert!(out.contains("This meeting request can be opened in Outlook Web App:\r\nhttps://cas01.contoso.com/owa/?ae=Item&t=IPM.Appointment&id=meet-1"), "{out}");
    assert!(out.contains("\"Calendar\"") && out.contains("\"Contacts\"") && out.contains("\"Tasks\""), "{out}");
    // Per-user settings are read at each login.
    force_ical(&env);
    let (ok, out, err) = python(&env, FETCH);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("BEGIN:VCALENDAR"), "{out}");
}
