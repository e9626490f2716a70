//! The mailbox database on a real temporary SQLite file.

use super::*;

const GUID: &str = "0b0e6c9e-4f6a-4c1e-9d7b-2b9b1c1e0a01";
const MSG: &[u8] = b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";

fn db() -> (tempfile::TempDir, MailDb) {
    let dir = tempfile::tempdir().expect("a temp dir can be made");
    let db = MailDb::open(&dir.path().join("state/mail.db")).expect("the mailbox database opens");
    (dir, db)
}

fn inbox(db: &mut MailDb) -> (MailboxId, Folder) {
    let mbx = db.ensure_mailbox(GUID).expect("mailbox");
    let inbox = db.folder(mbx, "inbox").expect("query").expect("the Inbox exists");
    (mbx, inbox)
}

#[test]
fn a_new_mailbox_has_exchanges_folders() {
    let (_d, mut db) = db();
    let mbx = db.ensure_mailbox(GUID).unwrap();
    assert_eq!(db.ensure_mailbox(GUID).unwrap(), mbx, "a second call finds the same mailbox");
    let names: Vec<String> = db.folders(mbx).unwrap().into_iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        ["Calendar", "Contacts", "Deleted Items", "Drafts", "Inbox", "Junk Email", "Outbox", "Sent Items", "Tasks"]
    );
    let sent = db.folder(mbx, "Sent Items").unwrap().unwrap();
    assert_eq!(sent.special_use.as_deref(), Some("\\Sent"));
    assert!(db.folder(mbx, "Calendar").unwrap().unwrap().hidden);
    let validities: std::collections::HashSet<u32> = db.folders(mbx).unwrap().iter().map(|f| f.uidvalidity).collect();
    assert_eq!(validities.len(), 9, "every folder has its own UIDVALIDITY");
}

#[test]
fn uids_ascend_and_are_never_reused() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let a = db.append(inbox.id, &Flags::default(), 1000, MSG).unwrap();
    let b = db.append(inbox.id, &Flags::system(flag::DELETED), 1001, MSG).unwrap();
    assert_eq!((a.uid, b.uid), (1, 2));
    assert_eq!(a.uidvalidity, inbox.uidvalidity);
    assert_eq!(db.expunge(inbox.id, None).unwrap(), vec![2]);
    let c = db.append(inbox.id, &Flags::default(), 1002, MSG).unwrap();
    assert_eq!(c.uid, 3, "an expunged UID is not given again");
    let state = db.folder_state(inbox.id).unwrap().unwrap();
    assert_eq!((state.uidnext, state.messages), (4, 2));
}

#[test]
fn append_stores_crlf_and_counts_octets() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let r = db.append(inbox.id, &Flags::default(), 5, b"Subject: x\n\nline\n").unwrap();
    assert_eq!(db.message_raw(inbox.id, r.uid).unwrap().unwrap(), b"Subject: x\r\n\r\nline\r\n");
    assert_eq!(db.message_meta(inbox.id, r.uid).unwrap().unwrap().size, 20);
}

#[test]
fn an_append_survives_reopening() {
    let (dir, mut db) = db();
    let (mbx, inbox) = inbox(&mut db);
    db.append(inbox.id, &Flags::default(), 7, MSG).unwrap();
    drop(db);
    let db = MailDb::open(&dir.path().join("state/mail.db")).unwrap();
    let again = db.folder(mbx, "INBOX").unwrap().unwrap();
    assert_eq!(again.uidvalidity, inbox.uidvalidity, "UIDVALIDITY is stable");
    assert_eq!(db.messages(again.id).unwrap().len(), 1);
    let sync: i64 = db.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
}

#[test]
fn store_flags_add_remove_replace() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let uid = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    let kw = Flags { system: flag::SEEN, keywords: vec!["$Forwarded".into()] };
    let out = db.store_flags(inbox.id, &[uid, 99], FlagOp::Add, &kw).unwrap();
    assert_eq!(out.messages.len(), 1, "a missing UID is skipped");
    assert_eq!(out.messages[0].flags, kw);
    assert_eq!(out.modseq, Some(out.messages[0].modseq));
    let out = db
        .store_flags(inbox.id, &[uid], FlagOp::Add, &Flags { system: 0, keywords: vec!["$forwarded".into()] })
        .unwrap();
    assert_eq!(out.messages[0].flags.keywords, vec!["$Forwarded"], "keywords compare without case");
    assert_eq!(out.modseq, None, "nothing changed: no modseq of its own");
    let out = db.store_flags(inbox.id, &[uid], FlagOp::Remove, &Flags::system(flag::SEEN)).unwrap();
    assert_eq!(out.messages[0].flags.system, 0);
    let out = db.store_flags(inbox.id, &[uid], FlagOp::Replace, &Flags::system(flag::FLAGGED | flag::DRAFT)).unwrap();
    assert_eq!(out.messages[0].flags, Flags::system(flag::FLAGGED | flag::DRAFT));
}

#[test]
fn pruned_expunges_are_answered_by_what_is_gone() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let uids: Vec<u32> = (0..6).map(|_| db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid).collect();
    db.delete_messages(inbox.id, &[uids[0]]).unwrap();
    let seen = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    db.delete_messages(inbox.id, &[uids[2]]).unwrap();
    db.delete_messages(inbox.id, &[uids[3]]).unwrap();
    assert_eq!(db.changes_since(inbox.id, seen).unwrap().expunged, [(3, 4)], "exact while the record is whole");
    db.prune_expunged(inbox.id, 1).unwrap();
    assert_eq!(db.expunged_since(inbox.id, seen).unwrap(), [(1, 1), (3, 4)], "below the floor: every UID gone");
    let last = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    assert_eq!(db.expunged_since(inbox.id, last - 1).unwrap(), [(4, 4)], "above it: the kept row");
    assert!(db.expunged_since(inbox.id, last).unwrap().is_empty());
    let highest = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    db.prune_expunged(inbox.id, 0).unwrap();
    assert_eq!(db.folder_state(inbox.id).unwrap().unwrap().highest_modseq, highest, "pruning changes no modseq");
}

#[test]
fn changes_since_reports_new_changed_and_expunged() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let one = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    let two = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    let seen = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    assert!(db.changes_since(inbox.id, seen).unwrap().changed.is_empty());
    let three = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    db.store_flags(inbox.id, &[one], FlagOp::Add, &Flags::system(flag::SEEN)).unwrap();
    db.delete_messages(inbox.id, &[two]).unwrap();
    let c = db.changes_since(inbox.id, seen).unwrap();
    assert_eq!(c.changed.iter().map(|m| m.uid).collect::<Vec<_>>(), vec![one, three]);
    assert_eq!(c.expunged, vec![(two, two)]);
    assert!(db.changes_since(inbox.id, c.highest_modseq).unwrap().changed.is_empty());
}

#[test]
fn expunge_can_be_limited_to_uids() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    for _ in 0..3 {
        db.append(inbox.id, &Flags::system(flag::DELETED), 1, MSG).unwrap();
    }
    assert_eq!(db.expunge(inbox.id, Some(&[3, 1])).unwrap(), vec![1, 3]);
    assert_eq!(db.messages(inbox.id).unwrap().iter().map(|m| m.uid).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn copy_and_move_give_new_uids_in_the_destination() {
    let (_d, mut db) = db();
    let (mbx, inbox) = inbox(&mut db);
    let junk = db.folder(mbx, "Junk Email").unwrap().unwrap();
    db.append(junk.id, &Flags::default(), 1, MSG).unwrap();
    let a = db.append(inbox.id, &Flags::system(flag::SEEN), 42, MSG).unwrap().uid;
    let b = db.append(inbox.id, &Flags::default(), 43, MSG).unwrap().uid;
    assert!(
        matches!(db.copy_messages(inbox.id, &[b, a, 77], junk.id), Err(MailError::Expunged)),
        "a message that is gone fails the whole copy"
    );
    assert_eq!(db.messages(junk.id).unwrap().len(), 1, "and nothing was copied");
    assert!(matches!(db.move_messages(inbox.id, &[a, 77], junk.id), Err(MailError::Expunged)));
    assert_eq!(db.messages(inbox.id).unwrap().len(), 2, "nor moved");
    let copied = db.copy_messages(inbox.id, &[b, a], junk.id).unwrap();
    assert_eq!(copied.uidvalidity, junk.uidvalidity);
    assert_eq!(copied.pairs, vec![(a, 2), (b, 3)]);
    let meta = db.message_meta(junk.id, 2).unwrap().unwrap();
    assert_eq!((meta.flags.system, meta.internal_date), (flag::SEEN, 42));
    let moved = db.move_messages(inbox.id, &[a], junk.id).unwrap();
    assert_eq!(moved.pairs, vec![(a, 4)]);
    assert_eq!(db.messages(inbox.id).unwrap().len(), 1);
    assert_eq!(db.messages(junk.id).unwrap().len(), 4);
}

#[test]
fn folders_create_rename_delete() {
    let (_d, mut db) = db();
    let (mbx, _) = inbox(&mut db);
    let f = db.create_folder(mbx, "Projects/2026").unwrap();
    assert_eq!(f.name, "Projects/2026");
    assert!(db.folder(mbx, "Projects").unwrap().is_some(), "parents are created");
    assert!(matches!(db.create_folder(mbx, "Projects"), Err(MailError::FolderExists)));
    assert!(matches!(db.create_folder(mbx, "a//b"), Err(MailError::BadFolderName)));
    let inbox_child = db.create_folder(mbx, "INBOX/Receipts").unwrap();
    assert_eq!(inbox_child.name, "Inbox/Receipts");
    let before = db.folder(mbx, "Projects").unwrap().unwrap();
    db.rename_folder(mbx, "Projects", "Work").unwrap();
    assert!(db.folder(mbx, "Work/2026").unwrap().is_some(), "children follow");
    assert_ne!(db.folder(mbx, "Work").unwrap().unwrap().uidvalidity, before.uidvalidity);
    assert!(matches!(db.delete_folder(mbx, "Work"), Err(MailError::HasChildren)));
    db.delete_folder(mbx, "Work/2026").unwrap();
    db.delete_folder(mbx, "Work").unwrap();
    assert!(matches!(db.delete_folder(mbx, "Sent Items"), Err(MailError::ProtectedFolder)));
    assert!(matches!(db.rename_folder(mbx, "Drafts", "X"), Err(MailError::ProtectedFolder)));
    // A re-created folder never repeats an old UIDVALIDITY.
    let again = db.create_folder(mbx, "Work").unwrap();
    assert!(db.folders(mbx).unwrap().iter().filter(|f| f.uidvalidity == again.uidvalidity).count() == 1);
}

#[test]
fn renaming_the_inbox_moves_its_messages() {
    let (_d, mut db) = db();
    let (mbx, inbox) = inbox(&mut db);
    db.append(inbox.id, &Flags::default(), 1, MSG).unwrap();
    db.rename_folder(mbx, "INBOX", "Old Mail").unwrap();
    let old = db.folder(mbx, "Old Mail").unwrap().unwrap();
    assert_eq!(db.messages(old.id).unwrap().len(), 1);
    assert!(db.messages(inbox.id).unwrap().is_empty());
}

#[test]
fn pop_snapshot_and_delete_at_quit() {
    let (_d, mut db) = db();
    let u1 = db.deliver(GUID, MSG).unwrap();
    let u2 = db.deliver(GUID, b"Subject: two\r\n\r\nx\r\n").unwrap();
    let snap = db.inbox_snapshot(GUID).unwrap();
    assert_eq!(snap.messages, vec![PopMessage { uid: u1, size: MSG.len() as u64 }, PopMessage { uid: u2, size: 19 }]);
    assert_eq!(snap.uidl(u2), format!("{}.{}", snap.uidvalidity, u2));
    assert_eq!(db.delete_messages(snap.folder_id, &[u1, 999]).unwrap(), vec![u1]);
    let again = db.inbox_snapshot(GUID).unwrap();
    assert_eq!(again.messages.len(), 1);
    assert_eq!(again.uidvalidity, snap.uidvalidity);
}

#[test]
fn deliver_many_is_one_transaction_with_ascending_uids() {
    let (_d, mut db) = db();
    let uids = db.deliver_many(GUID, &[MSG, MSG, MSG]).unwrap();
    assert_eq!(uids, vec![1, 2, 3]);
    assert_eq!(db.inbox_snapshot(GUID).unwrap().messages.len(), 3);
}

#[test]
fn renaming_a_non_ascii_folder_moves_its_children() {
    let (_d, mut db) = db();
    let (mbx, _) = inbox(&mut db);
    db.create_folder(mbx, "Entwürfe/2026").unwrap();
    assert!(matches!(db.delete_folder(mbx, "Entwürfe"), Err(MailError::HasChildren)));
    db.rename_folder(mbx, "Entwürfe", "Archiv").unwrap();
    assert!(db.folder(mbx, "Archiv/2026").unwrap().is_some());
}

#[test]
fn recent_messages_belong_to_the_first_session_that_claims_them() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let a = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    assert_eq!(db.folder_status(inbox.id).unwrap().recent, 1);
    assert_eq!(db.claim_recent(inbox.id).unwrap(), vec![a]);
    assert!(db.claim_recent(inbox.id).unwrap().is_empty(), "claimed once");
    let b = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    assert_eq!(db.folder_status(inbox.id).unwrap().recent, 1);
    assert_eq!(db.claim_recent(inbox.id).unwrap(), vec![b]);
}

#[test]
fn a_folder_created_again_gets_a_greater_uidvalidity_even_within_a_second() {
    let (_d, mut db) = db();
    let (mbx, _) = inbox(&mut db);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let f = db.create_folder(mbx, "Scratch").unwrap();
        seen.push(f.uidvalidity);
        db.delete_folder(mbx, "Scratch").unwrap();
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    db.create_folder(mbx, "Other").unwrap();
    db.rename_folder(mbx, "Other", "Scratch").unwrap();
    assert!(db.folder(mbx, "Scratch").unwrap().unwrap().uidvalidity > seen[4], "a renamed folder too");
}

#[test]
fn the_uidvalidity_counter_starts_above_anything_handed_out_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.db");
    let now = now_unix();
    {
        // A database as schema 3 left it: values ran ahead of the clock when
        // folders were made in a burst; one of them (now + 8) was deleted.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        assert!(crate::store::migrate::apply(&mut conn, &schema::MIGRATIONS[..3]).is_ok());
        conn.execute("INSERT INTO mailbox (id, guid, created) VALUES (1, ?1, ?2)", params![GUID, now]).unwrap();
        for (i, name) in ["Inbox", "Drafts", "Sent Items"].iter().enumerate() {
            conn.execute(
                "INSERT INTO folder (mailbox_id, name, uidvalidity) VALUES (1, ?1, ?2)",
                params![name, now + i as i64],
            )
            .unwrap();
        }
    }
    let mut db = MailDb::open(&path).unwrap();
    let mbx = db.find_mailbox(GUID).unwrap().unwrap();
    let created = db.create_folder(mbx, "New").unwrap();
    assert!(created.uidvalidity as i64 > now + 1000, "{} vs {now}", created.uidvalidity);
    let version: i64 = db.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, schema::MIGRATIONS.len() as i64);
}

#[test]
fn parents_made_on_the_way_are_not_subscribed() {
    let (_d, mut db) = db();
    let (mbx, _) = inbox(&mut db);
    db.create_folder(mbx, "par/child/leaf").unwrap();
    let sub = |db: &MailDb, n: &str| db.subscriptions(mbx).unwrap().iter().any(|s| s == n);
    assert!(!sub(&db, "par") && !sub(&db, "par/child") && sub(&db, "par/child/leaf"));
    assert!(sub(&db, "Sent Items") && sub(&db, "Inbox"), "Exchange's folders are subscribed");
    db.create_folder(mbx, "x").unwrap();
    assert!(sub(&db, "x"));
}

/// RFC 3501 6.3.6: "a server MUST NOT unilaterally remove an existing
/// mailbox name from the subscription list even if a mailbox by that name no
/// longer exists"; RFC 9051 6.3.6: RENAME "doesn't update subscription
/// information on the original name".
#[test]
fn subscriptions_are_names_that_outlive_their_folders() {
    let (_d, mut db) = db();
    let (mbx, _) = inbox(&mut db);
    db.subscribe(mbx, "news/never-made").unwrap();
    db.subscribe(mbx, "inbox").unwrap();
    db.create_folder(mbx, "gone").unwrap();
    db.delete_folder(mbx, "gone").unwrap();
    db.create_folder(mbx, "old/kid").unwrap();
    db.subscribe(mbx, "old/").unwrap();
    db.rename_folder(mbx, "old", "new/er").unwrap();
    let subs = db.subscriptions(mbx).unwrap();
    for name in ["news/never-made", "Inbox", "gone", "old", "old/kid", "new/er", "new/er/kid"] {
        assert!(subs.iter().any(|s| s == name), "{name} in {subs:?}");
    }
    assert!(!subs.iter().any(|s| s == "new"), "the level RENAME added on the way is not subscribed: {subs:?}");
    db.unsubscribe(mbx, &["old/kid", "not-subscribed"]).unwrap();
    assert!(!db.subscriptions(mbx).unwrap().iter().any(|s| s == "old/kid"));
    assert!(matches!(db.subscribe(mbx, "a//b"), Err(MailError::BadFolderName)));
    db.delete_mailbox(GUID).unwrap();
    let left: i64 = db.conn.query_row("SELECT count(*) FROM subscription", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "a removed mailbox takes its subscriptions");
}

#[test]
fn subscribed_folders_stay_subscribed_through_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.db");
    {
        // A database as schema 8 left it: subscriptions as folder flags.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        assert!(crate::store::migrate::apply(&mut conn, &schema::MIGRATIONS[..8]).is_ok());
        conn.execute("INSERT INTO mailbox (id, guid, created) VALUES (1, ?1, 0)", params![GUID]).unwrap();
        for (i, (name, subscribed)) in
            [("Inbox", true), ("par", false), ("par/kid", true), ("Olde\u{301}", true)].iter().enumerate()
        {
            conn.execute(
                "INSERT INTO folder (mailbox_id, name, uidvalidity, subscribed) VALUES (1, ?1, ?2, ?3)",
                params![name, i as i64 + 1, subscribed],
            )
            .unwrap();
        }
    }
    let db = MailDb::open(&path).unwrap();
    let mbx = db.find_mailbox(GUID).unwrap().unwrap();
    assert_eq!(
        db.subscriptions(mbx).unwrap(),
        ["Inbox", "Olde\u{301}", "Outbox", "par/kid"],
        "the flags carried over, a name stored decomposed in the form its folder has (and the Outbox step 11 added)"
    );
    assert_eq!(db.folders(mbx).unwrap().len(), 5);
}

#[test]
fn a_snapshot_does_not_see_what_commits_during_it() {
    let (dir, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    db.append(inbox.id, &Flags::default(), 1, MSG).unwrap();
    let mut other = MailDb::open(&dir.path().join("state/mail.db")).unwrap();
    let (before, during) = db
        .snapshot(|s| {
            let before = s.messages(inbox.id)?.len();
            other.append(inbox.id, &Flags::default(), 2, MSG)?;
            other.expunge(inbox.id, None)?;
            other.delete_messages(inbox.id, &[1])?;
            let during = (s.messages(inbox.id)?.len(), s.message(inbox.id, 1, true)?.and_then(|m| m.raw));
            Ok((before, during))
        })
        .unwrap();
    assert_eq!(before, 1);
    assert_eq!(during, (1, Some(MSG.to_vec())), "the message and its bytes, as of the snapshot");
    assert_eq!(db.messages(inbox.id).unwrap().len(), 1, "after it: the new one, not the deleted one");
}

#[test]
fn open_folder_claims_or_reports_recent_and_status_agrees() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    db.append(inbox.id, &Flags::system(flag::SEEN), 1, MSG).unwrap();
    db.append(inbox.id, &Flags::system(flag::DELETED), 1, MSG).unwrap();
    let status = db.folder_status(inbox.id).unwrap();
    assert_eq!((status.messages, status.recent, status.unseen, status.deleted, status.uidnext), (2, 2, 1, 1, 3));
    let examined = db.open_folder(inbox.id, false).unwrap();
    assert_eq!((examined.recent.clone(), examined.uids.clone(), examined.folder.uidnext), (vec![1, 2], vec![1, 2], 3));
    assert_eq!(examined.first_unseen, Some(1), "message 1 is \\Seen");
    assert_eq!(db.folder_status(inbox.id).unwrap().recent, 2, "EXAMINE claims nothing");
    assert_eq!(db.open_folder(inbox.id, true).unwrap().recent, vec![1, 2]);
    assert_eq!(db.open_folder(inbox.id, true).unwrap().recent, Vec::<u32>::new(), "claimed once");
    assert_eq!(db.folder_status(inbox.id).unwrap().recent, 0);
    assert!(matches!(db.open_folder(9999, true), Err(MailError::NoSuchFolder)));
}

#[test]
fn flag_modseqs_count_from_arrival_or_the_last_change_of_that_flag() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let a = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    let b = db.append(inbox.id, &Flags::default(), 1, MSG).unwrap().uid;
    let arrival_b = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    db.store_flags(inbox.id, &[a], FlagOp::Add, &Flags { system: flag::FLAGGED, keywords: vec!["$Junk".into()] })
        .unwrap();
    let flagged_at = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    let seen = db.flag_modseqs(inbox.id, "\\Seen").unwrap();
    assert_eq!((seen.of(a), seen.of(b)), (arrival_b - 1, arrival_b), "never changed: arrival");
    let flagged = db.flag_modseqs(inbox.id, "\\FLAGGED").unwrap();
    assert_eq!(flagged.of(a), flagged_at);
    assert_eq!(db.flag_modseqs(inbox.id, "$junk").unwrap().of(a), flagged_at, "keywords too, any case");
    // A message stored before migration 7 has no arrival modseq: its last
    // change stands in.
    db.conn.execute("UPDATE message SET created_modseq = 0 WHERE uid = ?1", [b]).unwrap();
    db.store_flags(inbox.id, &[b], FlagOp::Add, &Flags::system(flag::DRAFT)).unwrap();
    let last = db.folder_state(inbox.id).unwrap().unwrap().highest_modseq;
    assert_eq!(db.flag_modseqs(inbox.id, "\\Seen").unwrap().of(b), last);
}

#[test]
fn a_queued_delivery_is_stored_once_however_often_it_is_retried() {
    let (_d, mut db) = db();
    let mut directory = |_: &str| Ok(Listing::Receives(None));
    let first = db
        .deliver_once(GUID, "queue-guid/bob@contoso.com", 1_700_000_000, b"Subject: x\n\nbody\n", &mut directory)
        .unwrap();
    let again = db
        .deliver_once(GUID, "queue-guid/bob@contoso.com", 1_700_000_000, b"Subject: x\n\nbody\n", &mut directory)
        .unwrap();
    assert_eq!(first, Delivered::Now(1));
    assert_eq!(again, Delivered::Already(1));
    let other = db.deliver_once(GUID, "queue-guid/alice@contoso.com", 1_700_000_000, MSG, &mut directory).unwrap();
    assert_eq!(other, Delivered::Now(2), "another recipient's key is another delivery");
    let (_, inbox) = inbox(&mut db);
    let raw = db.message_raw(inbox.id, 1).unwrap().unwrap();
    assert_eq!(raw, b"Subject: x\r\n\r\nbody\r\n", "stored as CRLF");
    assert_eq!(db.messages(inbox.id).unwrap().len(), 2);
}

#[test]
fn a_delivery_to_a_mailbox_the_directory_no_longer_holds_stores_nothing_and_creates_no_mailbox() {
    let (_d, mut db) = db();
    let mut asked = Vec::new();
    let mut directory = |guid: &str| {
        asked.push(guid.to_string());
        Ok(if guid == GUID { Listing::Receives(None) } else { Listing::Gone })
    };
    let batch = [
        Delivery { guid: "gone-guid".into(), key: "q/gone@contoso.com".into(), internal_date: 5, raw: MSG.to_vec() },
        Delivery { guid: GUID.into(), key: "q/bob@contoso.com".into(), internal_date: 5, raw: MSG.to_vec() },
        Delivery { guid: "gone-guid".into(), key: "q2/gone@contoso.com".into(), internal_date: 5, raw: MSG.to_vec() },
    ];
    let out = db.deliver_all(&batch, &mut directory).unwrap();
    assert_eq!(out, vec![Delivered::NoMailbox, Delivered::Now(1), Delivered::NoMailbox]);
    assert_eq!(asked, vec!["gone-guid".to_string(), GUID.to_string()], "each mailbox asked once a batch");
    assert_eq!(db.find_mailbox("gone-guid").unwrap(), None, "no orphan mailbox");
    // Even a mailbox the database still has (its removal could not delete
    // it) gets nothing once the directory has no such mailbox.
    let mut gone = |_: &str| Ok(Listing::Gone);
    let out = db.deliver_once(GUID, "q3/bob@contoso.com", 5, MSG, &mut gone).unwrap();
    assert_eq!(out, Delivered::NoMailbox);
    let (_, inbox) = inbox(&mut db);
    assert_eq!(db.messages(inbox.id).unwrap().len(), 1);
}

#[test]
fn a_removal_racing_a_delivery_leaves_no_mailbox_behind() {
    // Remove-Mailbox deletes the directory row, then the mail. Here the
    // directory still holds the mailbox when delivery asks, and the
    // removal's delete of the mail starts inside the delivery's
    // transaction: it waits for the commit, then takes the delivered
    // message with the mailbox.
    let (_d, mut db) = db();
    let path = db.path().to_path_buf();
    let mut removal = None;
    let mut directory = |_: &str| {
        let path = path.clone();
        removal =
            Some(std::thread::spawn(move || MailDb::open(&path).and_then(|mut other| other.delete_mailbox(GUID))));
        Ok(Listing::Receives(None))
    };
    let out = db.deliver_once(GUID, "q/bob@contoso.com", 5, MSG, &mut directory).unwrap();
    assert_eq!(out, Delivered::Now(1));
    let removed = removal.expect("the removal ran").join().expect("the thread");
    assert!(removed.unwrap(), "the removal deleted the mailbox delivery had just stored into");
    assert_eq!(db.find_mailbox(GUID).unwrap(), None);
}

#[test]
fn a_message_streams_in_pieces_from_one_lookup() {
    let (_d, mut db) = db();
    let (_, inbox) = inbox(&mut db);
    let big: Vec<u8> = [&b"Subject: big\r\n\r\n"[..], &b"0123456789\r\n".repeat(1000)].concat();
    let r = db.append(inbox.id, &Flags::default(), 5, &big).unwrap();
    let info = db.snapshot(|db| db.stream_info(inbox.id, r.uid)).unwrap().expect("the message exists");
    assert_eq!(info.size, big.len() as u64);
    assert_eq!((info.renders, info.header_len), (None, None), "no summarizer: no metadata");
    for chunk in [1, 7, 4096, big.len(), 1 << 20] {
        let mut pieces = Vec::new();
        db.snapshot(|db| {
            db.raw_chunks(&info, chunk, |p| {
                pieces.push(p.to_vec());
                true
            })
        })
        .unwrap();
        assert!(pieces.iter().all(|p| p.len() <= chunk), "pieces of at most {chunk}");
        assert_eq!(pieces.concat(), big, "pieces of {chunk}");
    }
    let mut first = Vec::new();
    db.raw_chunks(&info, 100, |p| {
        first.extend_from_slice(p);
        false
    })
    .unwrap();
    assert_eq!(first, &big[..100], "stops when told");
    assert_eq!(db.stream_info(inbox.id, r.uid + 1).unwrap(), None, "no such message");
}

#[test]
fn the_mailbox_database_is_read_through_a_memory_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let db = MailDb::open(&dir.path().join("mail.db")).unwrap();
    let size: i64 = db.conn.query_row("PRAGMA mmap_size", [], |r| r.get(0)).unwrap();
    assert_eq!(size, super::MMAP_SIZE);
}

#[test]
fn a_writer_waits_for_another_connections_commit_in_short_steps_and_ten_seconds_in_all() {
    let waits: Vec<std::time::Duration> = (0..).map_while(super::writer_wait).collect();
    assert_eq!(waits[0], std::time::Duration::from_micros(100));
    let total: std::time::Duration = waits.iter().sum();
    assert_eq!(total.as_millis(), 10_002);
    // Another connection holding the write lock for a few milliseconds
    // delays the second writer; it does not fail it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    let steps: &[&str] = &["CREATE TABLE t (x INTEGER)"];
    let mut first = super::open_durable(&path, steps).unwrap();
    let mut second = super::open_durable(&path, steps).unwrap();
    let tx = first.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
    let writer = std::thread::spawn(move || {
        let tx = second.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
    });
    std::thread::sleep(std::time::Duration::from_millis(5));
    tx.commit().unwrap();
    writer.join().unwrap();
    let n: i64 = first.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}

/// The folders' counts the triggers keep agree with a count of the
/// messages after every kind of change: append, copy, move, flags,
/// expunge, the Inbox renamed (its messages moved), a folder deleted with
/// its messages, a delivery.
#[test]
fn a_mailboxs_usage_from_its_folders_counts_agrees_with_its_messages_after_every_change() {
    let (_dir, mut db) = db();
    let (mbx, inbox) = inbox(&mut db);
    let recount = |db: &MailDb| -> Usage {
        let (items, bytes): (i64, i64) = db
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(m.size), 0) FROM message m JOIN folder f ON f.id = m.folder_id
                 JOIN mailbox b ON b.id = f.mailbox_id WHERE b.guid = ?1",
                [GUID],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        Usage { items: items as u64, bytes: bytes as u64 }
    };
    let check = |db: &MailDb, step: &str| {
        assert_eq!(db.mailbox_usage(GUID).unwrap(), recount(db), "after {step}");
    };
    let big = [MSG, b"Subject: two\r\n\r\nsecond message, longer\r\n".as_slice(), b"Subject: 3\r\n\r\n3\r\n"];
    let uids = db.append_many(inbox.id, 1_700_000_000, &big).unwrap();
    check(&db, "append");
    assert_eq!(db.mailbox_usage(GUID).unwrap().items, 3);
    let work = db.create_folder(mbx, "Work").unwrap();
    db.copy_messages(inbox.id, &uids[..2], work.id).unwrap();
    check(&db, "copy");
    db.move_messages(inbox.id, &uids[2..], work.id).unwrap();
    check(&db, "move");
    db.store_flags(work.id, &[1, 2], FlagOp::Add, &Flags::system(flag::DELETED)).unwrap();
    check(&db, "flags");
    db.expunge(work.id, None).unwrap();
    check(&db, "expunge");
    db.rename_folder(mbx, "INBOX", "Old mail").unwrap();
    check(&db, "the Inbox renamed");
    db.delete_folder(mbx, "Work").unwrap();
    check(&db, "a folder deleted");
    db.deliver_once(GUID, "m1/bob@contoso.com", 1_700_000_001, MSG, &mut |_| Ok(Listing::Receives(None))).unwrap();
    check(&db, "a delivery");
    assert_eq!(db.mailbox_usage(GUID).unwrap().items, 3);
}

/// What a user leaves in the Outbox is found by the look at every
/// mailbox's Outbox, then filed in Sent Items, read, once; an Outbox
/// emptied is not visited. A mailbox from before step 11 gets an Outbox
/// whose UIDVALIDITY none of its folders had.
#[test]
fn the_outbox_is_looked_at_and_a_message_filed_in_sent_items_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        assert!(crate::store::migrate::apply(&mut conn, &schema::MIGRATIONS[..10]).is_ok());
        conn.execute(
            "INSERT INTO mailbox (id, guid, created, last_uidvalidity) VALUES (1, ?1, 0, 2000000000)",
            params![GUID],
        )
        .unwrap();
        conn.execute("INSERT INTO folder (mailbox_id, name, uidvalidity) VALUES (1, 'Sent Items', 2000000000)", [])
            .unwrap();
    }
    let mut db = MailDb::open(&path).unwrap();
    let mbx = db.find_mailbox(GUID).unwrap().unwrap();
    let outbox = db.folder(mbx, OUTBOX).unwrap().unwrap();
    assert_eq!(outbox.uidvalidity, 2_000_000_001);
    assert!(db.outbox_waiting(None, 10).unwrap().is_empty());
    db.append(outbox.id, &Flags::default(), 5, b"Subject: one\r\n\r\nx\r\n").unwrap();
    db.append(outbox.id, &Flags::default(), 6, b"Subject: two\r\n\r\ny\r\n").unwrap();
    let waiting = db.outbox_waiting(None, 10).unwrap();
    assert_eq!(
        waiting.iter().map(|i| (i.mailbox_guid.as_str(), i.uid, i.uidvalidity)).collect::<Vec<_>>(),
        [(GUID, 1, 2_000_000_001), (GUID, 2, 2_000_000_001)]
    );
    // Paged: the first, then what is after it.
    assert_eq!(db.outbox_waiting(None, 1).unwrap(), waiting[..1]);
    assert_eq!(db.outbox_waiting(Some(&waiting[0]), 1).unwrap(), waiting[1..]);
    assert!(db.outbox_waiting(Some(&waiting[1]), 1).unwrap().is_empty());
    assert!(db.file_as_sent(&waiting[0]).unwrap());
    assert!(!db.file_as_sent(&waiting[0]).unwrap(), "filed once");
    assert_eq!(db.outbox_waiting(None, 10).unwrap(), waiting[1..]);
    let sent = db.folder(mbx, SENT_ITEMS).unwrap().unwrap();
    let filed = db.messages(sent.id).unwrap();
    assert_eq!(filed.len(), 1);
    assert!(filed[0].flags.has(flag::SEEN));
    assert!(db.file_as_sent(&waiting[1]).unwrap());
    assert!(db.outbox_waiting(None, 10).unwrap().is_empty());
    let usage = db.mailbox_usage(GUID).unwrap();
    assert_eq!(usage.items, 2, "the counts follow the messages");
}

/// A mailbox at its ProhibitSendReceiveQuota takes no copy from the queue
/// (Exchange's STOREDRV.Deliver "mailbox full"), weighed with the copies
/// stored before it in the same batch; one already delivered stays so.
#[test]
fn a_delivery_to_a_full_mailbox_stores_nothing() {
    let (_d, mut db) = db();
    let size = to_crlf(MSG).len() as u64;
    let mut directory = |_: &str| Ok(Listing::Receives(Some(size + 1)));
    let batch = [
        Delivery { guid: GUID.into(), key: "q/1".into(), internal_date: 5, raw: MSG.to_vec() },
        Delivery { guid: GUID.into(), key: "q/2".into(), internal_date: 5, raw: MSG.to_vec() },
        Delivery { guid: GUID.into(), key: "q/3".into(), internal_date: 5, raw: MSG.to_vec() },
    ];
    let out = db.deliver_all(&batch, &mut directory).unwrap();
    assert_eq!(out, vec![Delivered::Now(1), Delivered::Now(2), Delivered::Full]);
    let out = db.deliver_all(&batch[..1], &mut directory).unwrap();
    assert_eq!(out, vec![Delivered::Already(1)], "what was delivered stays delivered");
    let (_, inbox) = inbox(&mut db);
    assert_eq!(db.messages(inbox.id).unwrap().len(), 2);
}
