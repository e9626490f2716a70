//! Versioned migrations of the mailbox database, applied in order when it is
//! opened. The version lives in SQLite's `user_version`; each step runs in one
//! transaction, so the file is never left half-migrated.

pub const MIGRATIONS: &[&str] = &[
    // 1: mailboxes (keyed by the config store's Mailbox.guid), folders with
    // their UID bookkeeping, messages, and the record of expunged UIDs that
    // lets other sessions (and other processes) learn about deletions.
    r#"
    CREATE TABLE mailbox (
        id              INTEGER PRIMARY KEY,
        guid            TEXT NOT NULL UNIQUE,
        created         INTEGER NOT NULL
    );
    CREATE TABLE folder (
        id              INTEGER PRIMARY KEY,
        mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        special_use     TEXT,
        hidden          INTEGER NOT NULL DEFAULT 0,
        uidvalidity     INTEGER NOT NULL,
        uidnext         INTEGER NOT NULL DEFAULT 1,
        highest_modseq  INTEGER NOT NULL DEFAULT 1,
        subscribed      INTEGER NOT NULL DEFAULT 1,
        UNIQUE (mailbox_id, name)
    );
    CREATE TABLE message (
        folder_id       INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
        uid             INTEGER NOT NULL,
        modseq          INTEGER NOT NULL,
        flags           INTEGER NOT NULL DEFAULT 0,
        keywords        TEXT NOT NULL DEFAULT '',
        internal_date   INTEGER NOT NULL,
        size            INTEGER NOT NULL,
        raw             BLOB NOT NULL,
        PRIMARY KEY (folder_id, uid)
    );
    CREATE INDEX message_modseq ON message (folder_id, modseq);
    CREATE TABLE expunged (
        folder_id       INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
        uid             INTEGER NOT NULL,
        modseq          INTEGER NOT NULL,
        PRIMARY KEY (folder_id, uid)
    );
    CREATE INDEX expunged_modseq ON expunged (folder_id, modseq);
    "#,
    // 2: \Recent (RFC 3501): messages at or above a folder's recent floor are
    // recent to the next session that selects the folder read-write, which
    // then raises the floor to UIDNEXT.
    r#"
    ALTER TABLE folder ADD COLUMN recent_floor INTEGER NOT NULL DEFAULT 1;
    "#,
    // 3: a covering index for the per-message metadata, so a POP3 login's
    // snapshot and an IMAP SELECT read the index, not rows that hold the
    // message bytes.
    r#"
    CREATE INDEX message_meta ON message (folder_id, uid, modseq, flags, keywords, internal_date, size);
    "#,
    // 4: UIDVALIDITY from a counter per mailbox that never goes back, so
    // a folder deleted and created again within one second gets a new one.
    // Before, the value was max(highest existing + 1, now): a deleted
    // folder's value could run ahead of the clock by the folders created in
    // the same burst and be handed out again. The counter starts above every
    // existing value and a day ahead of the clock, which no burst reaches.
    r#"
    ALTER TABLE mailbox ADD COLUMN last_uidvalidity INTEGER NOT NULL DEFAULT 0;
    UPDATE mailbox SET last_uidvalidity = max(
        coalesce((SELECT max(uidvalidity) FROM folder WHERE folder.mailbox_id = mailbox.id), 0),
        CAST(strftime('%s', 'now') AS INTEGER) + 86400);
    "#,
    // 5: metadata computed once per message (ENVELOPE, BODY,
    // BODYSTRUCTURE, the header block, MIME part offsets, which settings may
    // change it), so FETCH, SEARCH on header fields and POP3 never parse the
    // text; and the size and structure as served under a setting value that
    // rewrites the message (calendar links, MIME format), computed once per
    // value. Rows are removed with their message. Existing messages are
    // summarised by `MailDb::backfill_info` when a back end starts.
    r#"
    CREATE TABLE message_info (
        folder_id       INTEGER NOT NULL,
        uid             INTEGER NOT NULL,
        renders         INTEGER NOT NULL,
        parts           BLOB NOT NULL,
        envelope        BLOB NOT NULL,
        body            BLOB NOT NULL,
        bodystructure   BLOB NOT NULL,
        header          BLOB NOT NULL,
        PRIMARY KEY (folder_id, uid),
        FOREIGN KEY (folder_id, uid) REFERENCES message (folder_id, uid) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE message_rendition (
        folder_id       INTEGER NOT NULL,
        uid             INTEGER NOT NULL,
        variant         TEXT NOT NULL,
        size            INTEGER NOT NULL,
        body            BLOB NOT NULL,
        bodystructure   BLOB NOT NULL,
        PRIMARY KEY (folder_id, uid, variant),
        FOREIGN KEY (folder_id, uid) REFERENCES message (folder_id, uid) ON DELETE CASCADE
    ) WITHOUT ROWID;
    "#,
    // 6: the expunged record is pruned (`expunged.rs`); a folder's
    // expunged_floor is the highest modseq whose expunges were forgotten,
    // so a question about removals since an older modseq is answered from
    // the UIDs that are no longer there.
    r#"
    ALTER TABLE folder ADD COLUMN expunged_floor INTEGER NOT NULL DEFAULT 0;
    "#,
    // 7: per-flag modseqs (`flag_modseq.rs`): when each flag of a message
    // last changed, and when the message arrived. A message from before has
    // 0 there and counts as arrived at its last change, the most that can be
    // known; no UPDATE, which would rewrite every message's bytes.
    r#"
    ALTER TABLE message ADD COLUMN created_modseq INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE flag_modseq (
        folder_id       INTEGER NOT NULL,
        uid             INTEGER NOT NULL,
        flag            TEXT NOT NULL,
        modseq          INTEGER NOT NULL,
        PRIMARY KEY (folder_id, uid, flag),
        FOREIGN KEY (folder_id, uid) REFERENCES message (folder_id, uid) ON DELETE CASCADE
    ) WITHOUT ROWID;
    "#,
    // 8: deliveries from the transport queue, keyed by the queued
    // message and recipient, written in the same transaction as the message:
    // a delivery retried after a crash finds its row and stores nothing
    // twice.
    r#"
    CREATE TABLE delivery (
        mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
        delivery_key    TEXT NOT NULL,
        uid             INTEGER NOT NULL,
        delivered       INTEGER NOT NULL,
        PRIMARY KEY (mailbox_id, delivery_key)
    ) WITHOUT ROWID;
    "#,
    // 9: subscriptions are names, not folder flags (RFC 3501 6.3.6, RFC
    // 9051 6.3.7): a client may subscribe a name that has no folder, and a
    // name stays subscribed when its folder is deleted or renamed away. The
    // subscribed folders' names are carried over as stored (a folder
    // created before names were put in NFC keeps its form, and so does its
    // subscription, which still names it).
    r#"
    CREATE TABLE subscription (
        mailbox_id      INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        PRIMARY KEY (mailbox_id, name)
    ) WITHOUT ROWID;
    INSERT INTO subscription (mailbox_id, name) SELECT mailbox_id, name FROM folder WHERE subscribed = 1;
    ALTER TABLE folder DROP COLUMN subscribed;
    "#,
    // 10: each folder's count and size of messages, kept by triggers on
    // every insert and delete (whichever path makes them: APPEND, COPY,
    // MOVE, EXPUNGE, delivery, a move's import), so a mailbox's size for
    // its quotas is a sum over its folders, not over its messages: every
    // recipient of every message the transport takes is weighed against
    // ProhibitSendReceiveQuota. A folder deleted takes its counts with it.
    r#"
    ALTER TABLE folder ADD COLUMN items INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE folder ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE folder SET
        items = (SELECT count(*) FROM message WHERE folder_id = folder.id),
        bytes = (SELECT coalesce(sum(size), 0) FROM message WHERE folder_id = folder.id);
    CREATE TRIGGER message_counted AFTER INSERT ON message BEGIN
        UPDATE folder SET items = items + 1, bytes = bytes + NEW.size WHERE id = NEW.folder_id;
    END;
    CREATE TRIGGER message_uncounted AFTER DELETE ON message BEGIN
        UPDATE folder SET items = items - 1, bytes = bytes - OLD.size WHERE id = OLD.folder_id;
    END;
    CREATE TRIGGER message_recounted AFTER UPDATE OF folder_id, size ON message BEGIN
        UPDATE folder SET items = items - 1, bytes = bytes - OLD.size WHERE id = OLD.folder_id;
        UPDATE folder SET items = items + 1, bytes = bytes + NEW.size WHERE id = NEW.folder_id;
    END;
    "#,
    // 11: the Outbox, one of Exchange's default folders: what a user
    // leaves there is sent by the Mailbox Transport Submission service
    // (`outbox.rs`). Every mailbox without one gets it, with a UIDVALIDITY
    // no folder of it had (as `folders::next_uidvalidity` gives them);
    // a user's own folder of that name becomes the Outbox. The services
    // visit only the Outboxes that hold something.
    r#"
    INSERT OR IGNORE INTO subscription (mailbox_id, name) SELECT id, 'Outbox' FROM mailbox
        WHERE NOT EXISTS (SELECT 1 FROM folder WHERE mailbox_id = mailbox.id AND name = 'Outbox');
    UPDATE mailbox SET last_uidvalidity = max(last_uidvalidity + 1, min(CAST(strftime('%s', 'now') AS INTEGER), 2147483647))
        WHERE NOT EXISTS (SELECT 1 FROM folder WHERE mailbox_id = mailbox.id AND name = 'Outbox');
    INSERT INTO folder (mailbox_id, name, special_use, hidden, uidvalidity)
        SELECT id, 'Outbox', NULL, 0, last_uidvalidity FROM mailbox
        WHERE NOT EXISTS (SELECT 1 FROM folder WHERE mailbox_id = mailbox.id AND name = 'Outbox');
    CREATE INDEX folder_outbox_waiting ON folder (id) WHERE name = 'Outbox' AND items > 0;
    "#,
];
