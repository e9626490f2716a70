//! Versioned migrations, applied in order when a store is opened. The
//! version lives in SQLite's `user_version`; each step runs in one
//! transaction, so a store is never left half-migrated.

pub const MIGRATIONS: &[&str] = &[
    // 1: the server, its protocol settings, mailboxes, OWA directories,
    // services and the admin audit log.
    r#"
    CREATE TABLE server (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        name        TEXT NOT NULL,
        fqdn        TEXT NOT NULL,
        domain      TEXT NOT NULL,
        guid        TEXT NOT NULL,
        created     INTEGER NOT NULL
    );
    CREATE TABLE protocol_settings (
        protocol    TEXT PRIMARY KEY,
        settings    TEXT NOT NULL,
        changed     INTEGER NOT NULL
    );
    CREATE TABLE mailbox (
        id                      INTEGER PRIMARY KEY,
        guid                    TEXT NOT NULL UNIQUE,
        name                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
        alias                   TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name            TEXT NOT NULL COLLATE NOCASE,
        first_name              TEXT,
        last_name               TEXT,
        upn                     TEXT NOT NULL UNIQUE COLLATE NOCASE,
        primary_smtp            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        email_addresses         TEXT NOT NULL,
        password_hash           TEXT,
        created                 INTEGER NOT NULL,
        changed                 INTEGER NOT NULL,
        imap_enabled            INTEGER NOT NULL DEFAULT 1,
        pop_enabled             INTEGER NOT NULL DEFAULT 1,
        mapi_enabled            INTEGER NOT NULL DEFAULT 1,
        owa_enabled             INTEGER NOT NULL DEFAULT 1,
        activesync_enabled      INTEGER NOT NULL DEFAULT 1,
        ews_enabled             INTEGER NOT NULL DEFAULT 1,
        ecp_enabled             INTEGER NOT NULL DEFAULT 1,
        mapihttp_enabled        INTEGER NOT NULL DEFAULT 1,
        owa_for_devices_enabled INTEGER NOT NULL DEFAULT 1,
        imap_use_protocol_defaults INTEGER NOT NULL DEFAULT 1,
        imap_mime_format        TEXT NOT NULL DEFAULT 'BestBodyFormat',
        imap_exact_size         INTEGER NOT NULL DEFAULT 0,
        imap_suppress_read_receipt INTEGER NOT NULL DEFAULT 0,
        imap_force_ical         INTEGER NOT NULL DEFAULT 0,
        pop_use_protocol_defaults INTEGER NOT NULL DEFAULT 1,
        pop_mime_format         TEXT NOT NULL DEFAULT 'BestBodyFormat',
        pop_exact_size          INTEGER NOT NULL DEFAULT 0,
        pop_suppress_read_receipt INTEGER NOT NULL DEFAULT 0,
        pop_force_ical          INTEGER NOT NULL DEFAULT 0,
        activesync_allowed_ids  TEXT NOT NULL DEFAULT '[]',
        activesync_blocked_ids  TEXT NOT NULL DEFAULT '[]',
        ews_allow_list          TEXT NOT NULL DEFAULT '[]',
        ews_block_list          TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX mailbox_display_name ON mailbox(display_name);
    CREATE TABLE owa_virtual_directory (
        name          TEXT PRIMARY KEY COLLATE NOCASE,
        internal_url  TEXT,
        external_url  TEXT,
        changed       INTEGER NOT NULL
    );
    CREATE TABLE service (
        name          TEXT PRIMARY KEY COLLATE NOCASE,
        startup_type  TEXT NOT NULL DEFAULT 'Manual'
    );
    CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        run_date    INTEGER NOT NULL,
        caller      TEXT NOT NULL,
        cmdlet      TEXT NOT NULL,
        object_id   TEXT NOT NULL,
        parameters  TEXT NOT NULL,
        modified    TEXT NOT NULL,
        succeeded   INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX audit_log_date ON audit_log(run_date);
    "#,
    // 2: Set-Mailbox's storage quotas, in bytes; NULL is Unlimited (the
    // default, as Get-Mailbox showed before).
    r#"
    ALTER TABLE mailbox ADD COLUMN issue_warning_quota INTEGER;
    ALTER TABLE mailbox ADD COLUMN prohibit_send_quota INTEGER;
    ALTER TABLE mailbox ADD COLUMN prohibit_send_receive_quota INTEGER;
    "#,
    // 3: mail flow: receive connectors (one row each, multi-valued
    // properties as JSON lists), accepted domains, and the organization's
    // transport settings. The defaults Exchange creates are written when a
    // store is opened and has none (`transport::ensure_defaults`).
    r#"
    CREATE TABLE receive_connector (
        name                        TEXT PRIMARY KEY COLLATE NOCASE,
        guid                        TEXT NOT NULL,
        transport_role              TEXT NOT NULL,
        bindings                    TEXT NOT NULL,
        remote_ip_ranges            TEXT NOT NULL,
        auth_mechanism              TEXT NOT NULL,
        permission_groups           TEXT NOT NULL,
        max_message_size            INTEGER NOT NULL,
        max_recipients_per_message  INTEGER NOT NULL,
        banner                      TEXT,
        fqdn                        TEXT NOT NULL,
        protocol_logging_level      TEXT NOT NULL,
        enabled                     INTEGER NOT NULL,
        created                     INTEGER NOT NULL,
        changed                     INTEGER NOT NULL
    );
    CREATE TABLE accepted_domain (
        name            TEXT PRIMARY KEY COLLATE NOCASE,
        guid            TEXT NOT NULL,
        domain_name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
        domain_type     TEXT NOT NULL,
        is_default      INTEGER NOT NULL,
        created         INTEGER NOT NULL,
        changed         INTEGER NOT NULL
    );
    CREATE TABLE transport_defaults (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        written         INTEGER NOT NULL
    );
    "#,
    // 4: the organization's transport settings (Get-/Set-TransportConfig):
    // message size limits, 10 MB each as Exchange 2013 installs them.
    r#"
    CREATE TABLE transport_config (
        id                  INTEGER PRIMARY KEY CHECK (id = 1),
        max_receive_size    INTEGER NOT NULL,
        max_send_size       INTEGER NOT NULL,
        changed             INTEGER NOT NULL
    );
    INSERT INTO transport_config (id, max_receive_size, max_send_size, changed)
        VALUES (1, 10485760, 10485760, CAST(strftime('%s', 'now') AS INTEGER));
    "#,
    // 5: the Exchange admin center. Its virtual directory (Get-/Set-
    // EcpVirtualDirectory; the row of an existing store is made here, a new
    // store's by `seed`), the web site's own settings that Exchange leaves
    // to IIS (the HTTP binding that redirects to HTTPS, the sign-in's
    // inactivity timeout), and the members of the role groups that decide
    // who may sign in (the groups themselves are `role_groups::ROLE_GROUPS`).
    r#"
    CREATE TABLE ecp_virtual_directory (
        name          TEXT PRIMARY KEY COLLATE NOCASE,
        internal_url  TEXT,
        external_url  TEXT,
        changed       INTEGER NOT NULL
    );
    INSERT INTO ecp_virtual_directory (name, internal_url, external_url, changed)
        SELECT 'ecp (Default Web Site)', 'https://' || fqdn || '/ecp', NULL, created FROM server;
    CREATE TABLE web_site (
        id                  INTEGER PRIMARY KEY CHECK (id = 1),
        http_binding        TEXT NOT NULL,
        session_timeout     INTEGER NOT NULL
    );
    INSERT INTO web_site (id, http_binding, session_timeout) VALUES (1, '0.0.0.0:80', 900);
    CREATE TABLE role_group_member (
        role_group    TEXT NOT NULL,
        mailbox_id    INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
        PRIMARY KEY (role_group, mailbox_id)
    ) WITHOUT ROWID;
    CREATE INDEX role_group_member_mailbox ON role_group_member(mailbox_id);
    "#,
    // 6: the Transport service's own settings (Get-/Set-TransportService),
    // as Exchange 2013 installs them: MessageExpirationTimeout 2 days,
    // MessageRetryInterval 15 minutes (seconds here), and
    // MaxConcurrentMailboxDeliveries 20.
    r#"
    CREATE TABLE transport_service (
        id                                  INTEGER PRIMARY KEY CHECK (id = 1),
        message_expiration_timeout          INTEGER NOT NULL,
        message_retry_interval              INTEGER NOT NULL,
        max_concurrent_mailbox_deliveries   INTEGER NOT NULL,
        changed                             INTEGER NOT NULL
    );
    INSERT INTO transport_service (id, message_expiration_timeout, message_retry_interval,
        max_concurrent_mailbox_deliveries, changed)
        VALUES (1, 172800, 900, 20, CAST(strftime('%s', 'now') AS INTEGER));
    "#,
    // 7: send connectors (New-SendConnector): how mail leaves the
    // organization. Address spaces (`SMTP:*;1`) and smart hosts as JSON
    // lists; max_message_size NULL is Unlimited.
    r#"
    CREATE TABLE send_connector (
        id                      INTEGER PRIMARY KEY,
        name                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
        guid                    TEXT NOT NULL UNIQUE,
        address_spaces          TEXT NOT NULL,
        smart_hosts             TEXT NOT NULL,
        port                    INTEGER NOT NULL,
        dns_routing_enabled     INTEGER NOT NULL,
        max_message_size        INTEGER,
        fqdn                    TEXT,
        protocol_logging_level  TEXT NOT NULL,
        comment                 TEXT NOT NULL,
        enabled                 INTEGER NOT NULL,
        created                 INTEGER NOT NULL,
        changed                 INTEGER NOT NULL
    );
    "#,
    // 8: forwarding (Set-Mailbox -ForwardingSmtpAddress,
    // -DeliverToMailboxAndForward), applied by the Transport at delivery.
    r#"
    ALTER TABLE mailbox ADD COLUMN forwarding_smtp_address TEXT;
    ALTER TABLE mailbox ADD COLUMN deliver_to_mailbox_and_forward INTEGER NOT NULL DEFAULT 0;
    "#,
    // 9: the Transport's logs (Set-TransportService): MessageTrackingLogEnabled
    // and the age after which its logs are deleted, 30 days each as
    // Exchange 2013 installs them (seconds here; 0 keeps them).
    r#"
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_enabled INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_age INTEGER NOT NULL DEFAULT 2592000;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_age INTEGER NOT NULL DEFAULT 2592000;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_age INTEGER NOT NULL DEFAULT 2592000;
    "#,
    // 10: the organization's Exchange servers and their roles
    // (Get-ExchangeServer; `mailsh -Setup` adds one to a directory on
    // PostgreSQL). The store's own server is the first, with both roles.
    // The IMAP4 and POP3 settings belong to a server (Get-ImapSettings
    // -Server), by its GUID.
    r#"
    CREATE TABLE exchange_server (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        fqdn        TEXT NOT NULL,
        roles       TEXT NOT NULL,
        guid        TEXT NOT NULL UNIQUE,
        created     INTEGER NOT NULL
    );
    INSERT INTO exchange_server (name, fqdn, roles, guid, created)
        SELECT name, fqdn, 'Mailbox, ClientAccess', guid, created FROM server;
    CREATE TABLE protocol_settings_by_server (
        server_guid TEXT NOT NULL,
        protocol    TEXT NOT NULL,
        settings    TEXT NOT NULL,
        changed     INTEGER NOT NULL,
        PRIMARY KEY (server_guid, protocol)
    );
    INSERT INTO protocol_settings_by_server (server_guid, protocol, settings, changed)
        SELECT (SELECT guid FROM server WHERE id = 1), protocol, settings, changed FROM protocol_settings;
    DROP TABLE protocol_settings;
    ALTER TABLE protocol_settings_by_server RENAME TO protocol_settings;
    "#,
    // 11: DelayNotificationTimeout (Set-TransportService): a sender is
    // told once that a message is still waiting after it, 4 hours as
    // Exchange 2013 installs it.
    r#"
    ALTER TABLE transport_service ADD COLUMN delay_notification_timeout INTEGER NOT NULL DEFAULT 14400;
    "#,
    // 12: Set-Mailbox -ForwardingAddress (the GUID of a mailbox).
    r#"
    ALTER TABLE mailbox ADD COLUMN forwarding_address TEXT;
    "#,
    // 13: a send connector's TLS: RequireTLS, TlsAuthLevel, TlsDomain.
    r#"
    ALTER TABLE send_connector ADD COLUMN require_tls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE send_connector ADD COLUMN tls_auth_level TEXT;
    ALTER TABLE send_connector ADD COLUMN tls_domain TEXT;
    "#,
    // 14: logging on to the smart hosts (SmartHostAuthMechanism,
    // AuthenticationCredential).
    r#"
    ALTER TABLE send_connector ADD COLUMN smart_host_auth TEXT NOT NULL DEFAULT 'None';
    ALTER TABLE send_connector ADD COLUMN auth_user TEXT;
    ALTER TABLE send_connector ADD COLUMN auth_password TEXT;
    "#,
    // 15: mailbox databases (Get-/New-/Remove-MailboxDatabase,
    // Mount-/Dismount-Database): each on one server, each mailbox in one.
    // The server's first database is made in Rust on the next open
    // (`Store::ensure_first_database`), which places every mailbox in it.
    r#"
    CREATE TABLE mailbox_database (
        id              INTEGER PRIMARY KEY,
        guid            TEXT NOT NULL UNIQUE,
        name            TEXT NOT NULL COLLATE NOCASE UNIQUE,
        server_guid     TEXT NOT NULL,
        edb_file_path   TEXT NOT NULL,
        mounted         INTEGER NOT NULL,
        created         INTEGER NOT NULL
    );
    ALTER TABLE mailbox ADD COLUMN database_guid TEXT;
    CREATE INDEX mailbox_by_database ON mailbox (database_guid);
    ALTER TABLE exchange_server ADD COLUMN first_database_made INTEGER NOT NULL DEFAULT 0;
    "#,
    // 16: the address other servers reach a server's back ends at
    // (Setup's -Address); none: loopback, as one server has always been.
    r#"
    ALTER TABLE exchange_server ADD COLUMN address TEXT;
    "#,
    // 17: move requests (New-MoveRequest): a mailbox moving between
    // mailbox databases.
    r#"
    CREATE TABLE move_request (
        mailbox_guid    TEXT PRIMARY KEY,
        source_database TEXT NOT NULL,
        target_database TEXT NOT NULL,
        status          TEXT NOT NULL,
        items           INTEGER NOT NULL DEFAULT 0,
        bytes           INTEGER NOT NULL DEFAULT 0,
        created         INTEGER NOT NULL,
        completed       INTEGER,
        message         TEXT
    );
    "#,
    // 18: the Transport's log size limits (Set-TransportService), as
    // Exchange 2013 installs them: message tracking 1000 MB in all, 10 MB a
    // file; the SMTP receive and send logs 250 MB in all, 10 MB a file. A
    // folder's limit may be Unlimited (-1).
    r#"
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_directory_size INTEGER NOT NULL DEFAULT 1048576000;
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_file_size INTEGER NOT NULL DEFAULT 10485760;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_directory_size INTEGER NOT NULL DEFAULT 262144000;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_file_size INTEGER NOT NULL DEFAULT 10485760;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_directory_size INTEGER NOT NULL DEFAULT 262144000;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_file_size INTEGER NOT NULL DEFAULT 10485760;
    "#,
    // 19: where the Transport asks DNS for the mail exchangers of a send
    // connector that routes by DNS (Set-TransportService): the system's
    // resolvers (ExternalDNSAdapterEnabled, the default) or the servers
    // listed (ExternalDNSServers, a JSON list).
    r#"
    ALTER TABLE transport_service ADD COLUMN external_dns_adapter_enabled INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE transport_service ADD COLUMN external_dns_servers TEXT NOT NULL DEFAULT '[]';
    "#,
    // 20: distribution groups (New-DistributionGroup) and their members,
    // mailboxes or other groups: one row per membership, gone with either
    // side (a removed mailbox leaves every group). Addresses as a JSON
    // list, as a mailbox's.
    r#"
    CREATE TABLE distribution_group (
        id                              INTEGER PRIMARY KEY,
        guid                            TEXT NOT NULL UNIQUE,
        name                            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        alias                           TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name                    TEXT NOT NULL,
        primary_smtp                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
        email_addresses                 TEXT NOT NULL,
        security_enabled                INTEGER NOT NULL,
        require_sender_authentication   INTEGER NOT NULL,
        managed_by                      TEXT NOT NULL,
        notes                           TEXT NOT NULL,
        created                         INTEGER NOT NULL,
        changed                         INTEGER NOT NULL
    );
    CREATE TABLE distribution_group_member (
        group_id        INTEGER NOT NULL REFERENCES distribution_group(id) ON DELETE CASCADE,
        mailbox_id      INTEGER REFERENCES mailbox(id) ON DELETE CASCADE,
        member_group_id INTEGER REFERENCES distribution_group(id) ON DELETE CASCADE,
        CHECK ((mailbox_id IS NULL) <> (member_group_id IS NULL))
    );
    CREATE UNIQUE INDEX distribution_group_member_mailbox ON distribution_group_member (group_id, mailbox_id);
    CREATE UNIQUE INDEX distribution_group_member_group ON distribution_group_member (group_id, member_group_id);
    CREATE INDEX distribution_group_member_by_mailbox ON distribution_group_member (mailbox_id);
    CREATE INDEX distribution_group_member_by_group ON distribution_group_member (member_group_id);
    "#,
];
