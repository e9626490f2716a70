//! What POP3 serves: MessageRetrievalSortOrder, calendar items as iCalendar
//! or as an OWA link, per-user overrides (PopUseProtocolDefaults $false).

use crate::support::{Env, message, python};
use mailsh::store::{CalendarItemRetrievalOption, SortOrder};

const MEETING: &str = "From: alice@contoso.com\r\nTo: bob@contoso.com\r\nSubject: Meeting\r\n\
MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=\"utf-8\"\r\n\r\n\
BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:meeting-42\r\nSUMMARY:Plan\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const RETR_ALL: &str = r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
for i in range(1, len(p.list()[1]) + 1):
    print('----', i)
    print(b'\n'.join(p.retr(i)[1]).decode())
p.quit()
"#;

#[test]
fn descending_order_numbers_the_newest_message_first() {
    let mut env = Env::pop(false);
    env.deliver(&message("older", "a\r\n"));
    env.deliver(&message("newer", "b\r\n"));
    env.update_pop_settings(|s| s.message_retrieval_sort_order = SortOrder::Descending);
    env.start_pop();
    let (ok, out, err) = python(&env, RETR_ALL);
    assert!(ok, "{out}\n{err}");
    let first = out.find("Subject: newer").expect("newer served");
    let second = out.find("Subject: older").expect("older served");
    assert!(first < second, "{out}");
}

#[test]
fn calendar_items_become_owa_links_unless_the_user_forces_icalendar() {
    let mut env = Env::pop(false);
    env.deliver(MEETING.as_bytes());
    env.update_pop_settings(|s| s.calendar_item_retrieval_option = CalendarItemRetrievalOption::IntranetUrl);
    env.start_pop();
    let (ok, out, err) = python(&env, RETR_ALL);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("/owa"), "a link to OWA's InternalUrl: {out}");
    assert!(!out.contains("BEGIN:VCALENDAR"), "{out}");
    // Per user, at the next login, no restart: force iCalendar.
    env.update_mailbox(|m| {
        m.cas.pop.use_protocol_defaults = false;
        m.cas.pop.force_ical = true;
    });
    let (ok, out, err) = python(&env, RETR_ALL);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("BEGIN:VCALENDAR"), "{out}");
}
