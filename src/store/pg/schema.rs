//! The directory's tables on PostgreSQL, as versioned steps: the same
//! meaning as `store::schema` for what is ported (the organization and this
//! server, the protocol settings, mailboxes with their CAS settings and
//! quotas, the admin audit log, accepted domains and the transport
//! settings), in PostgreSQL's types. The version lives in
//! `mailsh_schema`; the pending steps run in one transaction (PostgreSQL's
//! DDL is transactional), under the directory's write lock, so that two
//! servers opening a new directory at once migrate it once (`Pg::migrate`).
//!
//! The two lists are numbered independently: a step that adds a directory
//! column is written once in each (`store::pg::tests` checks that every
//! column of `MAILBOX_COLUMNS` and `CAS_COLUMNS` exists here).
//!
//! SQLite's `COLLATE NOCASE` (ASCII case folding) is `lower()` here: the
//! unique indexes are on `lower(column)`, and lookups compare `lower()`.
//! Those columns are `COLLATE "C"` (byte order, as SQLite compares), so that
//! names list in the same order whatever the database's own collation: a
//! language's collation (ICU's en-US) would put `USER_1` before `user-1`
//! before `user1`, where SQLite's NOCASE puts them the other way round.
//! Flags are `boolean`, counts and times `bigint` (Unix seconds, as in
//! SQLite), lists and the protocol settings JSON text, as in SQLite.

pub const MIGRATIONS: &[&str] = &[
    // 1: the directory of one organization.
    r#"
    CREATE TABLE server (
        id          integer PRIMARY KEY CHECK (id = 1),
        name        text NOT NULL,
        fqdn        text NOT NULL,
        domain      text NOT NULL,
        guid        text NOT NULL,
        created     bigint NOT NULL
    );
    CREATE TABLE protocol_settings (
        protocol    text PRIMARY KEY,
        settings    text NOT NULL,
        changed     bigint NOT NULL
    );
    CREATE TABLE mailbox (
        id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        guid                    text NOT NULL,
        name                    text COLLATE "C" NOT NULL,
        alias                   text COLLATE "C" NOT NULL,
        display_name            text COLLATE "C" NOT NULL,
        first_name              text,
        last_name               text,
        upn                     text COLLATE "C" NOT NULL,
        primary_smtp            text COLLATE "C" NOT NULL,
        email_addresses         text NOT NULL,
        password_hash           text,
        created                 bigint NOT NULL,
        changed                 bigint NOT NULL,
        imap_enabled            boolean NOT NULL DEFAULT true,
        pop_enabled             boolean NOT NULL DEFAULT true,
        mapi_enabled            boolean NOT NULL DEFAULT true,
        owa_enabled             boolean NOT NULL DEFAULT true,
        activesync_enabled      boolean NOT NULL DEFAULT true,
        ews_enabled             boolean NOT NULL DEFAULT true,
        ecp_enabled             boolean NOT NULL DEFAULT true,
        mapihttp_enabled        boolean NOT NULL DEFAULT true,
        owa_for_devices_enabled boolean NOT NULL DEFAULT true,
        imap_use_protocol_defaults boolean NOT NULL DEFAULT true,
        imap_mime_format        text NOT NULL DEFAULT 'BestBodyFormat',
        imap_exact_size         boolean NOT NULL DEFAULT false,
        imap_suppress_read_receipt boolean NOT NULL DEFAULT false,
        imap_force_ical         boolean NOT NULL DEFAULT false,
        pop_use_protocol_defaults boolean NOT NULL DEFAULT true,
        pop_mime_format         text NOT NULL DEFAULT 'BestBodyFormat',
        pop_exact_size          boolean NOT NULL DEFAULT false,
        pop_suppress_read_receipt boolean NOT NULL DEFAULT false,
        pop_force_ical          boolean NOT NULL DEFAULT false,
        activesync_allowed_ids  text NOT NULL DEFAULT '[]',
        activesync_blocked_ids  text NOT NULL DEFAULT '[]',
        ews_allow_list          text NOT NULL DEFAULT '[]',
        ews_block_list          text NOT NULL DEFAULT '[]',
        issue_warning_quota     bigint,
        prohibit_send_quota     bigint,
        prohibit_send_receive_quota bigint
    );
    CREATE UNIQUE INDEX mailbox_guid_key ON mailbox (guid);
    CREATE UNIQUE INDEX mailbox_name_key ON mailbox (lower(name));
    CREATE UNIQUE INDEX mailbox_alias_key ON mailbox (lower(alias));
    CREATE UNIQUE INDEX mailbox_upn_key ON mailbox (lower(upn));
    CREATE UNIQUE INDEX mailbox_primary_smtp_key ON mailbox (lower(primary_smtp));
    CREATE INDEX mailbox_display_name ON mailbox (lower(display_name));
    CREATE TABLE audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_date    bigint NOT NULL,
        caller      text NOT NULL,
        cmdlet      text NOT NULL,
        object_id   text NOT NULL,
        parameters  text NOT NULL,
        modified    text NOT NULL,
        succeeded   boolean NOT NULL DEFAULT true
    );
    CREATE INDEX audit_log_date ON audit_log (run_date);
    "#,
    // 2: accepted domains and the transport settings (Get-/Set-
    // TransportConfig, Get-/Set-TransportService), with Exchange 2013's
    // defaults: 10 MB limits; messages expire after 2 days, retried every
    // 15 minutes, delivered into 20 mailboxes at once. A directory made
    // before this step gets its organization's domain as the default
    // accepted domain here; a new one gets it from `seed_pg`.
    r#"
    CREATE TABLE accepted_domain (
        name            text COLLATE "C" NOT NULL,
        guid            text NOT NULL,
        domain_name     text COLLATE "C" NOT NULL,
        domain_type     text NOT NULL,
        is_default      boolean NOT NULL,
        created         bigint NOT NULL,
        changed         bigint NOT NULL
    );
    CREATE UNIQUE INDEX accepted_domain_guid_key ON accepted_domain (guid);
    CREATE UNIQUE INDEX accepted_domain_by_name ON accepted_domain (lower(name));
    CREATE UNIQUE INDEX accepted_domain_by_domain ON accepted_domain (lower(domain_name));
    INSERT INTO accepted_domain (name, guid, domain_name, domain_type, is_default, created, changed)
        SELECT domain, gen_random_uuid()::text, domain, 'Authoritative', true, created, created FROM server;
    CREATE TABLE transport_config (
        id                  integer PRIMARY KEY CHECK (id = 1),
        max_receive_size    bigint NOT NULL,
        max_send_size       bigint NOT NULL,
        changed             bigint NOT NULL
    );
    INSERT INTO transport_config (id, max_receive_size, max_send_size, changed)
        VALUES (1, 10485760, 10485760, extract(epoch FROM now())::bigint);
    CREATE TABLE transport_service (
        id                                  integer PRIMARY KEY CHECK (id = 1),
        message_expiration_timeout          bigint NOT NULL,
        message_retry_interval              bigint NOT NULL,
        max_concurrent_mailbox_deliveries   bigint NOT NULL,
        changed                             bigint NOT NULL
    );
    INSERT INTO transport_service (id, message_expiration_timeout, message_retry_interval,
        max_concurrent_mailbox_deliveries, changed)
        VALUES (1, 172800, 900, 20, extract(epoch FROM now())::bigint);
    "#,
    // Forwarding (Set-Mailbox -ForwardingSmtpAddress,
    // -DeliverToMailboxAndForward).
    r#"
    ALTER TABLE mailbox ADD COLUMN forwarding_smtp_address text;
    ALTER TABLE mailbox ADD COLUMN deliver_to_mailbox_and_forward boolean NOT NULL DEFAULT false;
    "#,
    // The Transport's logs (Set-TransportService), as SQLite's migration 9.
    r#"
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_enabled bigint NOT NULL DEFAULT 1;
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_age bigint NOT NULL DEFAULT 2592000;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_age bigint NOT NULL DEFAULT 2592000;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_age bigint NOT NULL DEFAULT 2592000;
    "#,
    // The organization's Exchange servers, and the protocol settings by
    // server, as SQLite's migration 10.
    r#"
    CREATE TABLE exchange_server (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name        text COLLATE "C" NOT NULL,
        fqdn        text NOT NULL,
        roles       text NOT NULL,
        guid        text NOT NULL UNIQUE,
        created     bigint NOT NULL
    );
    CREATE UNIQUE INDEX exchange_server_by_name ON exchange_server (lower(name));
    INSERT INTO exchange_server (name, fqdn, roles, guid, created)
        SELECT name, fqdn, 'Mailbox, ClientAccess', guid, created FROM server;
    ALTER TABLE protocol_settings ADD COLUMN server_guid text;
    UPDATE protocol_settings SET server_guid = (SELECT guid FROM server WHERE id = 1);
    ALTER TABLE protocol_settings ALTER COLUMN server_guid SET NOT NULL;
    ALTER TABLE protocol_settings DROP CONSTRAINT protocol_settings_pkey;
    ALTER TABLE protocol_settings ADD PRIMARY KEY (server_guid, protocol);
    "#,
    // DelayNotificationTimeout, as SQLite's migration 11.
    r#"
    ALTER TABLE transport_service ADD COLUMN delay_notification_timeout bigint NOT NULL DEFAULT 14400;
    "#,
    // Set-Mailbox -ForwardingAddress, as SQLite's migration 12.
    r#"
    ALTER TABLE mailbox ADD COLUMN forwarding_address text;
    "#,
    // What each server's services read: their startup types (Set-Service
    // -StartupType) and the server's virtual directories (SQLite's
    // `service`, `owa_virtual_directory` and `ecp_virtual_directory`, which
    // belong to its one server); and the directory's change counter: every
    // write transaction bumps it, and a server's services poll it (as
    // SQLite's `PRAGMA data_version`) to notice changes made from any
    // server.
    r#"
    CREATE TABLE owa_virtual_directory (
        server_guid     text NOT NULL,
        name            text NOT NULL,
        internal_url    text,
        external_url    text,
        changed         bigint NOT NULL,
        PRIMARY KEY (server_guid, name)
    );
    CREATE TABLE ecp_virtual_directory (
        server_guid     text NOT NULL,
        name            text NOT NULL,
        internal_url    text,
        external_url    text,
        changed         bigint NOT NULL,
        PRIMARY KEY (server_guid, name)
    );
    INSERT INTO owa_virtual_directory (server_guid, name, internal_url, external_url, changed)
        SELECT guid, 'owa (Default Web Site)', 'https://' || fqdn || '/owa', NULL, created FROM exchange_server;
    INSERT INTO ecp_virtual_directory (server_guid, name, internal_url, external_url, changed)
        SELECT guid, 'ecp (Default Web Site)', 'https://' || fqdn || '/ecp', NULL, created FROM exchange_server;
    CREATE TABLE service (
        server_guid     text NOT NULL,
        name            text NOT NULL,
        startup_type    text NOT NULL,
        PRIMARY KEY (server_guid, name)
    );
    CREATE TABLE directory_change (
        id          integer PRIMARY KEY CHECK (id = 1),
        version     bigint NOT NULL
    );
    INSERT INTO directory_change (id, version) VALUES (1, 0);
    "#,
    // Mailbox databases, as SQLite's migration 15.
    r#"
    CREATE TABLE mailbox_database (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        guid            text NOT NULL UNIQUE,
        name            text COLLATE "C" NOT NULL,
        server_guid     text NOT NULL,
        edb_file_path   text NOT NULL,
        mounted         boolean NOT NULL,
        created         bigint NOT NULL
    );
    CREATE UNIQUE INDEX mailbox_database_by_name ON mailbox_database (lower(name));
    ALTER TABLE mailbox ADD COLUMN database_guid text;
    CREATE INDEX mailbox_by_database ON mailbox (database_guid);
    ALTER TABLE exchange_server ADD COLUMN first_database_made boolean NOT NULL DEFAULT false;
    "#,
    // A server's address (SQLite's migration 16), and the organization's
    // secrets: the key every server's front ends prove to every server's
    // back ends (`engines::net::proxy_auth`), made on first use.
    r#"
    ALTER TABLE exchange_server ADD COLUMN address text;
    CREATE TABLE organization_secret (
        name    text PRIMARY KEY,
        value   text NOT NULL
    );
    "#,
    // What each server's supervisors publish of their services
    // (Get-Service -ComputerName), with when they last said so.
    r#"
    CREATE TABLE service_state (
        server_guid text NOT NULL,
        name        text NOT NULL,
        status      text NOT NULL,
        seen        bigint NOT NULL,
        PRIMARY KEY (server_guid, name)
    );
    "#,
    // Move requests, as SQLite's migration 17.
    r#"
    CREATE TABLE move_request (
        mailbox_guid    text PRIMARY KEY,
        source_database text NOT NULL,
        target_database text NOT NULL,
        status          text NOT NULL,
        items           bigint NOT NULL DEFAULT 0,
        bytes           bigint NOT NULL DEFAULT 0,
        created         bigint NOT NULL,
        completed       bigint,
        message         text
    );
    "#,
    // Mail flow and the admin center on the directory: each server's
    // receive connectors (Exchange keeps them on the server object, so two
    // servers each have their "Default Frontend <name>"), made by Rust for
    // each server by its roles (`transport_defaults_made`); the
    // organization's send connectors; the role groups' members; each
    // server's web site settings (IIS's, so a server's own). Recipients
    // are found by any of their addresses through an index of the
    // lower-cased SMTP addresses of `email_addresses` (a JSON list of
    // `smtp:user@domain`), so a RCPT costs one index probe among a million
    // mailboxes. The mailbox table's pages are left half free, so that a
    // change of settings no index holds (Set-CASMailbox) rewrites a row in
    // its own page and touches none of its nine indexes (PostgreSQL's HOT
    // update): a million mailboxes' bulk change took 41 s with full pages
    // and 4.5 s so (docs/performance.md), for twice the table's size.
    r#"
    CREATE TABLE receive_connector (
        server_guid                 text NOT NULL,
        name                        text COLLATE "C" NOT NULL,
        guid                        text NOT NULL UNIQUE,
        transport_role              text NOT NULL,
        bindings                    text NOT NULL,
        remote_ip_ranges            text NOT NULL,
        auth_mechanism              text NOT NULL,
        permission_groups           text NOT NULL,
        max_message_size            bigint NOT NULL,
        max_recipients_per_message  bigint NOT NULL,
        banner                      text,
        fqdn                        text NOT NULL,
        protocol_logging_level      text NOT NULL,
        enabled                     boolean NOT NULL,
        created                     bigint NOT NULL,
        changed                     bigint NOT NULL
    );
    CREATE UNIQUE INDEX receive_connector_by_name ON receive_connector (server_guid, lower(name));
    ALTER TABLE exchange_server ADD COLUMN transport_defaults_made boolean NOT NULL DEFAULT false;
    CREATE TABLE send_connector (
        id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name                    text COLLATE "C" NOT NULL,
        guid                    text NOT NULL UNIQUE,
        address_spaces          text NOT NULL,
        smart_hosts             text NOT NULL,
        port                    bigint NOT NULL,
        dns_routing_enabled     boolean NOT NULL,
        max_message_size        bigint,
        fqdn                    text,
        protocol_logging_level  text NOT NULL,
        comment                 text NOT NULL,
        enabled                 boolean NOT NULL,
        created                 bigint NOT NULL,
        changed                 bigint NOT NULL,
        require_tls             boolean NOT NULL DEFAULT false,
        tls_auth_level          text,
        tls_domain              text,
        smart_host_auth         text NOT NULL DEFAULT 'None',
        auth_user               text,
        auth_password           text
    );
    CREATE UNIQUE INDEX send_connector_by_name ON send_connector (lower(name));
    CREATE TABLE role_group_member (
        role_group    text NOT NULL,
        mailbox_id    bigint NOT NULL REFERENCES mailbox (id) ON DELETE CASCADE,
        PRIMARY KEY (role_group, mailbox_id)
    );
    CREATE INDEX role_group_member_mailbox ON role_group_member (mailbox_id);
    CREATE TABLE web_site (
        server_guid         text PRIMARY KEY,
        http_binding        text NOT NULL,
        session_timeout     bigint NOT NULL
    );
    CREATE FUNCTION mailsh_smtp_addresses(addresses text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $f$ SELECT coalesce(array_agg(lower(substr(a, strpos(a, ':') + 1))), '{}')
               FROM json_array_elements_text(addresses::json) AS a
               WHERE lower(a) LIKE 'smtp:%' $f$;
    CREATE INDEX mailbox_by_smtp_address ON mailbox USING gin (mailsh_smtp_addresses(email_addresses));
    ALTER TABLE mailbox SET (fillfactor = 50);
    "#,
    // The Transport's log size limits, as SQLite's migration 18.
    r#"
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_directory_size bigint NOT NULL DEFAULT 1048576000;
    ALTER TABLE transport_service ADD COLUMN message_tracking_log_max_file_size bigint NOT NULL DEFAULT 10485760;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_directory_size bigint NOT NULL DEFAULT 262144000;
    ALTER TABLE transport_service ADD COLUMN receive_protocol_log_max_file_size bigint NOT NULL DEFAULT 10485760;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_directory_size bigint NOT NULL DEFAULT 262144000;
    ALTER TABLE transport_service ADD COLUMN send_protocol_log_max_file_size bigint NOT NULL DEFAULT 10485760;
    "#,
    // Where a server's running Transport service takes mail from the
    // organization's other servers (its Frontend Transports, and Transports
    // relaying to a mailbox database of this server): host:port, published
    // by the service when it binds.
    r#"
    ALTER TABLE service_state ADD COLUMN endpoint text;
    "#,
    // Where the Transport asks DNS for the mail exchangers of a send
    // connector that routes by DNS (Set-TransportService).
    r#"
    ALTER TABLE transport_service ADD COLUMN external_dns_adapter_enabled boolean NOT NULL DEFAULT true;
    ALTER TABLE transport_service ADD COLUMN external_dns_servers text NOT NULL DEFAULT '[]';
    "#,
    // Distribution groups and their members, as SQLite's migration 20;
    // a group's SMTP addresses are indexed as a mailbox's are.
    r#"
    CREATE TABLE distribution_group (
        id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        guid                            text NOT NULL UNIQUE,
        name                            text COLLATE "C" NOT NULL,
        alias                           text COLLATE "C" NOT NULL,
        display_name                    text COLLATE "C" NOT NULL,
        primary_smtp                    text COLLATE "C" NOT NULL,
        email_addresses                 text NOT NULL,
        security_enabled                boolean NOT NULL,
        require_sender_authentication   boolean NOT NULL,
        managed_by                      text NOT NULL,
        notes                           text NOT NULL,
        created                         bigint NOT NULL,
        changed                         bigint NOT NULL
    );
    CREATE UNIQUE INDEX distribution_group_by_name ON distribution_group (lower(name));
    CREATE UNIQUE INDEX distribution_group_by_alias ON distribution_group (lower(alias));
    CREATE UNIQUE INDEX distribution_group_by_primary_smtp ON distribution_group (lower(primary_smtp));
    CREATE INDEX distribution_group_by_smtp_address ON distribution_group
        USING gin (mailsh_smtp_addresses(email_addresses));
    CREATE TABLE distribution_group_member (
        group_id        bigint NOT NULL REFERENCES distribution_group (id) ON DELETE CASCADE,
        mailbox_id      bigint REFERENCES mailbox (id) ON DELETE CASCADE,
        member_group_id bigint REFERENCES distribution_group (id) ON DELETE CASCADE,
        CHECK ((mailbox_id IS NULL) <> (member_group_id IS NULL))
    );
    CREATE UNIQUE INDEX distribution_group_member_mailbox ON distribution_group_member (group_id, mailbox_id);
    CREATE UNIQUE INDEX distribution_group_member_group ON distribution_group_member (group_id, member_group_id);
    CREATE INDEX distribution_group_member_by_mailbox ON distribution_group_member (mailbox_id);
    CREATE INDEX distribution_group_member_by_group ON distribution_group_member (member_group_id);
    "#,
];
