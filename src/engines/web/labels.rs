//! Every text the EAC's pages show, one table per language: English, and
//! French as the Exchange 2013 help pages (the seeds) quote the French
//! EAC. The language is the browser's (Accept-Language), English when it
//! asks for neither.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The first of English or French the header prefers (by q-value, then
    /// order); English when it names neither.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.unwrap_or_default().split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let lang = match primary {
                "fr" => Lang::Fr,
                "en" => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// One language's texts. The English table is Exchange 2013 CU23's own:
/// each value is the English text of the resource named beside it, read
/// from the Exchange admin center's resources
/// (`Microsoft.Exchange.Management.ControlPanel.dll`: `Strings`,
/// `ClientStrings`, `EditMailbox`) or, where the page shows a cmdlet's
/// text, from `Microsoft.Exchange.Management.dll`'s `Strings`, as
/// published in github.com/PiratesRE/exchange_diff and
/// github.com/evilashz/exchange-server-27065 (byte-identical). A value
/// marked "mailsh's own" has no Exchange resource: either the text is not
/// in those binaries (the sign-in page is OWA's logon.aspx, whose strings
/// are in `Microsoft.Exchange.Clients.Strings.dll`, published in neither),
/// or Exchange's EAC has no such element (paging, the certificate name,
/// calendar items and the Outlook Web App URL, which Exchange 2013 sets
/// only in the Shell).
pub struct Labels {
    pub title: &'static str,
    pub sign_in: &'static str,
    pub sign_in_hint: &'static str,
    pub password: &'static str,
    pub sign_in_refused: &'static str,
    pub sign_in_busy: &'static str,
    pub session_expired: &'static str,
    pub sign_out: &'static str,
    pub forbidden: &'static str,
    pub form_expired: &'static str,
    pub not_found: &'static str,
    pub recipients: &'static str,
    pub mailboxes: &'static str,
    pub servers: &'static str,
    pub servers_tab: &'static str,
    pub command_logging: &'static str,
    pub search: &'static str,
    pub display_name: &'static str,
    pub mailbox_type: &'static str,
    pub email_address: &'static str,
    pub user_mailbox: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    /// `{selected}`, `{total}`: the list's status line.
    pub selected_of_total: &'static str,
    /// `{first}`, `{last}`: the rows this page shows.
    pub page_range: &'static str,
    pub edit: &'static str,
    pub user_mailbox_dialog: &'static str,
    pub general: &'static str,
    pub mailbox_features: &'static str,
    pub email_connectivity: &'static str,
    /// Email Connectivity's four lines, each followed by the state.
    pub owa_feature: &'static str,
    pub imap_feature: &'static str,
    pub pop_feature: &'static str,
    pub mapi_feature: &'static str,
    pub name: &'static str,
    pub alias: &'static str,
    pub upn: &'static str,
    pub enabled: &'static str,
    pub disabled: &'static str,
    pub enable: &'static str,
    pub disable: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub saved: &'static str,
    pub read_only: &'static str,
    pub mapi_warning: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub server_name: &'static str,
    pub server_roles: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub start_time: &'static str,
    pub status: &'static str,
    pub completed: &'static str,
    pub failed: &'static str,
    pub no_commands: &'static str,
    pub logon_method: &'static str,
    /// LoginType's members, in `LoginType::MEMBERS` order.
    pub login_types: [&'static str; 3],
    pub plain_bindings: &'static str,
    pub ssl_bindings: &'static str,
    /// How the bindings' boxes are typed.
    pub bindings_hint: &'static str,
    pub certificate_name: &'static str,
    pub banner: &'static str,
    pub authenticated_timeout: &'static str,
    pub unauthenticated_timeout: &'static str,
    pub max_connections: &'static str,
    pub max_from_ip: &'static str,
    pub max_per_user: &'static str,
    pub max_command_size: &'static str,
    pub retrieval_format: &'static str,
    /// MessageRetrievalMimeFormat's members, in `MimeTextFormat::MEMBERS` order.
    pub mime_formats: [&'static str; 7],
    /// POP3's MessageRetrievalSortOrder.
    pub sort_order: &'static str,
    /// Its members, in `SortOrder::MEMBERS` order.
    pub sort_orders: [&'static str; 2],
    pub calendar_items: &'static str,
    pub owa_url: &'static str,
    /// `{protocol}`, `{server}`: shown beside the settings' form.
    pub restart_note: &'static str,
    pub email_address_section: &'static str,
    pub display_name_field: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub addresses_hint: &'static str,
    pub address_type: &'static str,
    pub new_address: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
    pub make_reply_address: &'static str,
    pub new: &'static str,
    pub delete: &'static str,
    pub new_user_mailbox: &'static str,
    pub new_password: &'static str,
    /// `{name}`: the mailbox's display name.
    pub delete_warning: &'static str,
}

/// Above each text, the Exchange resource it is (`Strings:` and
/// `ClientStrings:` are the EAC's, `EditMailbox:` its field help, `Tasks:`
/// the cmdlets' `Microsoft.Exchange.Management.Tasks.Strings`), or
/// "mailsh's own" and why.
pub static EN: Labels = Labels {
    // ClientStrings:EnterpriseMainHeader
    title: "Exchange admin center",
    // mailsh's own (logon.aspx, unpublished)
    sign_in: "sign in",
    // mailsh's own (logon.aspx, unpublished; Exchange labels the box by the OWA directory's LogonFormat)
    sign_in_hint: "Domain\\user name, user principal name or email address:",
    // Strings:AdminPasswordLabel
    password: "Password:",
    // mailsh's own (logon.aspx, unpublished)
    sign_in_refused: "The user name or password you entered isn't correct, or you don't have permission to use the Exchange admin center. Try entering them again.",
    // mailsh's own (the bounded password pool)
    sign_in_busy: "The server is busy. Try again in a moment.",
    // Strings:SessionTimeout
    session_expired: "The session has expired. Please sign in and try again.",
    // Strings:SignOff
    sign_out: "Sign out",
    // Strings:NoPermissionToView
    forbidden: "You don't have permissions to view this page.",
    // Strings:InvalidCanary (the EAC's CSRF check)
    form_expired: "Sorry, your request couldn't be completed. Try deleting the cookies from your browser, and then sign in again. If the problem continues, contact your helpdesk.",
    // Strings:UrlNotFoundMessage
    not_found: "The specified page couldn't be found.",
    // Strings:UsersAndGroups
    recipients: "recipients",
    // Strings:Mailboxes
    mailboxes: "mailboxes",
    // Strings:ServerManagement
    servers: "servers",
    // Strings:ServerManagement
    servers_tab: "servers",
    // Strings:CmdLogButtonText
    command_logging: "Show Command Logging",
    // Strings:SearchButtonText
    search: "search",
    // Strings:DisplayName
    display_name: "DISPLAY NAME",
    // Strings:MailboxType
    mailbox_type: "MAILBOX TYPE",
    // Strings:EmailAddressesText
    email_address: "EMAIL ADDRESS",
    // Strings:UserMailboxText
    user_mailbox: "User",
    // Strings:PreviousePage
    previous: "Previous page",
    // Strings:NextPage
    next: "Next page",
    // Strings:ListViewStatusText
    selected_of_total: "{selected} selected of {total} total",
    // mailsh's own (Exchange's list scrolls; mailsh's pages)
    page_range: "{first} - {last}",
    // Strings:EditCommandText
    edit: "Edit",
    // Strings:EditMailboxTitle
    user_mailbox_dialog: "User Mailbox",
    // Strings:General
    general: "general",
    // Strings:MailboxFeatures
    mailbox_features: "mailbox features",
    // Strings:EmailConnectivityFeatures
    email_connectivity: "Email Connectivity",
    // Strings:OWAFeatureLabel
    owa_feature: "Outlook Web App:",
    // Strings:IMAPFeatureLabel
    imap_feature: "IMAP:",
    // Strings:POPFeatureLabel
    pop_feature: "POP3:",
    // Strings:MAPIFeatureLabel
    mapi_feature: "MAPI:",
    // Strings:NameLabel
    name: "Name:",
    // Strings:AliasLabel
    alias: "Alias:",
    // Strings:UserLogonNameLabel
    upn: "User logon name:",
    // ClientStrings:EnabledDisplayText
    enabled: "Enabled",
    // ClientStrings:DisabledDisplayText
    disabled: "Disabled",
    // ClientStrings:EnableCommandText
    enable: "Enable",
    // ClientStrings:DisableCommandText
    disable: "Disable",
    // Strings:CommitButtonText
    save: "save",
    // Strings:CancelButtonText
    cancel: "cancel",
    // mailsh's own (Exchange closes the dialog)
    saved: "Your changes have been saved.",
    // mailsh's own (Exchange hides the controls)
    read_only: "You have read-only access: changes can't be made here.",
    // Strings:DisableMAPIConfirmationText
    mapi_warning: "Are you sure you want to disable MAPI?",
    // ClientStrings:Yes (the message box's buttons)
    yes: "yes",
    // ClientStrings:No
    no: "no",
    // ClientStrings:ServerNameColumnText
    server_name: "NAME",
    // Strings:ServerRolesColumnHeader
    server_roles: "SERVER ROLES",
    // Strings:VersionColumnHeader
    version: "VERSION",
    // Strings:CmdLogCommand
    command: "Command",
    // Strings:CmdLogStartTime
    start_time: "Start Time",
    // Strings:CmdLogStatus
    status: "Status",
    // Strings:CmdletCompletedState
    completed: "Completed",
    // Strings:CmdletFailedState
    failed: "Failed",
    // mailsh's own (Exchange shows an empty list)
    no_commands: "No cmdlets have been run in this browser session.",
    // Strings:PopImapLogon
    logon_method: "Logon method:",
    login_types: [
        // Strings:PopImapBasicLogon (PlainTextLogin)
        "Basic authentication (Plain text)",
        // Strings:PopImapIntegratedLogon (PlainTextAuthentication)
        "Integrated Windows authentication (Plain text)",
        // Strings:PopImapSecureLogon (SecureLogin)
        "Secure TLS connection",
    ],
    // Strings:PopImapTls
    plain_bindings: "TLS or unencrypted connections:",
    // Strings:PopImapSsl
    ssl_bindings: "Secure Sockets Layer (SSL) connections:",
    // mailsh's own (Exchange edits a list of LOCAL IP ADDRESSES / PORT)
    bindings_hint: "address:port, comma-separated",
    // mailsh's own (Shell-only in Exchange 2013)
    certificate_name: "X.509 certificate name:",
    // Strings:PopImapBannerLabel
    banner: "Banner string:",
    // Strings:PopImapAuthTimeout
    authenticated_timeout: "Authenticated time-out (seconds):",
    // Strings:PopImapUnauthTimeout
    unauthenticated_timeout: "Unauthenticated time-out (seconds):",
    // Strings:PopImapMax
    max_connections: "Maximum connections:",
    // Strings:PopImapMaxIp
    max_from_ip: "Maximum connections from a single IP address:",
    // Strings:PopImapMaxUser
    max_per_user: "Maximum connections from a single user:",
    // Strings:PopImapMaxSize
    max_command_size: "Maximum command size (bytes):",
    // Strings:PopImapMIMELabel
    retrieval_format: "Message MIME format:",
    mime_formats: [
        // Strings:PopImapTextOnly
        "Text",
        // Strings:PopImapHtmlOnly
        "HTML",
        // Strings:PopImapHtmlAndTextAlternative
        "HTML and alternative text",
        // Strings:PopImapTextEnrichedOnly
        "Enriched text",
        // Strings:PopImapTextEnrichedAndTextAlternative
        "Enriched text and alternative text",
        // Strings:PopImapBestBodyFormat
        "Best body format",
        // Strings:PopImapTnef
        "TNEF",
    ],
    // Strings:PopImapSortLabel
    sort_order: "Message sort order:",
    sort_orders: [
        // Strings:PopImapAscending
        "Ascending",
        // Strings:PopImapDescending
        "Descending",
    ],
    // mailsh's own (Shell-only in Exchange 2013)
    calendar_items: "Calendar items retrieval:",
    // mailsh's own (Shell-only in Exchange 2013)
    owa_url: "Outlook Web App server URL (Custom):",
    // Tasks:ChangesTakeEffectAfterRestartingPopImapService (the cmdlet's warning)
    restart_note: "Changes to {protocol} settings will only take effect after all Microsoft Exchange {protocol} services are restarted on server {server}.",
    // Strings:EditEmailAddressCaption
    email_address_section: "email address",
    // Strings:DisplayNameLabel
    display_name_field: "Display name:",
    // Strings:FirstNameLabel
    first_name: "First name:",
    // Strings:LastNameLabel
    last_name: "Last name:",
    // EditMailbox:EditMailbox_EmailAddresses
    addresses_hint: "You can add, change, or delete an email address associated with the user. The user's primary email address is displayed in bold type, but they'll receive email sent to any address in this list.",
    // Strings:EmailAddressesType
    address_type: "TYPE",
    // Strings:ProxyAddressTitle
    new_address: "Email address:",
    // Strings:AddCommandText
    add: "Add",
    // Strings:RemoveCommandText
    remove: "Remove",
    // Strings:EmailAddressReply
    make_reply_address: "Make this the reply address",
    // Strings:NewCommandText
    new: "New",
    // Strings:DeleteCommandText
    delete: "Delete",
    // Strings:NewUserMailboxCaption
    new_user_mailbox: "new user mailbox",
    // Strings:PasswordLabel
    new_password: "New password:",
    // Strings:DeleteOtherMailboxConfirmSingle (a mailbox without a Microsoft account)
    delete_warning: "Are you sure you want to delete \"{name}\"?",
};

/// The seeds' words where they quote the French EAC (see the test below);
/// the rest translates the English table.
pub static FR: Labels = Labels {
    title: "Centre d’administration Exchange",
    sign_in: "se connecter",
    sign_in_hint: "Domaine\\nom d’utilisateur, nom d’utilisateur principal ou adresse de messagerie :",
    password: "Mot de passe :",
    sign_in_refused: "Le nom d’utilisateur ou le mot de passe que vous avez entré est incorrect, ou vous n’êtes pas autorisé à utiliser le Centre d’administration Exchange. Essayez de les entrer à nouveau.",
    sign_in_busy: "Le serveur est occupé. Réessayez dans un instant.",
    session_expired: "La session a expiré. Connectez-vous et réessayez.",
    sign_out: "Se déconnecter",
    forbidden: "Vous n’avez pas les autorisations nécessaires pour afficher cette page.",
    form_expired: "Désolé, votre demande n’a pas pu aboutir. Supprimez les cookies de votre navigateur, puis reconnectez-vous. Si le problème persiste, contactez votre support technique.",
    not_found: "La page spécifiée est introuvable.",
    recipients: "Destinataires",
    mailboxes: "Boîtes aux lettres",
    servers: "Serveurs",
    servers_tab: "Serveurs",
    command_logging: "Afficher la journalisation des commandes",
    search: "rechercher",
    display_name: "NOM D’AFFICHAGE",
    mailbox_type: "TYPE DE BOÎTE AUX LETTRES",
    email_address: "ADRESSE DE MESSAGERIE",
    user_mailbox: "Utilisateur",
    previous: "Page précédente",
    next: "Page suivante",
    selected_of_total: "{selected} sélectionné(s) sur {total} au total",
    page_range: "{first} - {last}",
    edit: "Modifier",
    user_mailbox_dialog: "Boîte aux lettres utilisateur",
    general: "Général",
    mailbox_features: "Fonctionnalités de boîte aux lettres",
    email_connectivity: "Connectivité de messagerie",
    owa_feature: "Outlook Web App :",
    imap_feature: "IMAP4 :",
    pop_feature: "POP3 :",
    mapi_feature: "MAPI :",
    name: "Nom :",
    alias: "Alias :",
    upn: "Nom d’ouverture de session :",
    enabled: "Activé",
    disabled: "Désactivé",
    enable: "Activer",
    disable: "Désactiver",
    save: "Enregistrer",
    cancel: "Annuler",
    saved: "Vos modifications ont été enregistrées.",
    read_only: "Votre accès est en lecture seule : aucune modification n’est possible ici.",
    mapi_warning: "Voulez-vous vraiment désactiver MAPI ?",
    yes: "Oui",
    no: "Non",
    server_name: "NOM",
    server_roles: "RÔLES DE SERVEUR",
    version: "VERSION",
    command: "Commande",
    start_time: "Heure de début",
    status: "État",
    completed: "Terminé",
    failed: "Échec",
    no_commands: "Aucune cmdlet n’a été exécutée dans cette session de navigateur.",
    logon_method: "Méthode d’ouverture de session :",
    login_types: [
        "Authentification de base (texte brut)",
        "Authentification Windows intégrée (texte brut)",
        "Connexion TLS sécurisée",
    ],
    plain_bindings: "Connexions TLS ou non chiffrées :",
    ssl_bindings: "Connexions SSL (Secure Sockets Layer) :",
    bindings_hint: "adresse:port, séparées par des virgules",
    certificate_name: "Nom du certificat X.509 :",
    banner: "Chaîne de bannière :",
    authenticated_timeout: "Délai d’expiration authentifié (secondes) :",
    unauthenticated_timeout: "Délai d’expiration non authentifié (secondes) :",
    max_connections: "Nombre maximal de connexions :",
    max_from_ip: "Nombre maximal de connexions à partir d’une même adresse IP :",
    max_per_user: "Nombre maximal de connexions pour un même utilisateur :",
    max_command_size: "Taille maximale des commandes (octets) :",
    retrieval_format: "Format MIME des messages :",
    mime_formats: [
        "Texte",
        "HTML",
        "HTML et texte de remplacement",
        "Texte enrichi",
        "Texte enrichi et texte de remplacement",
        "Meilleur format de corps",
        "TNEF",
    ],
    sort_order: "Ordre de tri des messages :",
    sort_orders: ["Croissant", "Décroissant"],
    calendar_items: "Récupération des éléments de calendrier :",
    owa_url: "URL du serveur Outlook Web App (Custom) :",
    restart_note: "Les modifications des paramètres {protocol} ne prendront effet qu’après le redémarrage de tous les services Microsoft Exchange {protocol} sur le serveur {server}.",
    email_address_section: "Adresse de messagerie",
    display_name_field: "Nom d’affichage :",
    first_name: "Prénom :",
    last_name: "Nom de famille :",
    addresses_hint: "Vous pouvez ajouter, modifier ou supprimer une adresse de messagerie associée à l’utilisateur. L’adresse de messagerie principale de l’utilisateur est affichée en gras, mais il reçoit les messages envoyés à toutes les adresses de cette liste.",
    address_type: "TYPE",
    new_address: "Adresse de messagerie :",
    add: "Ajouter",
    remove: "Supprimer",
    make_reply_address: "Définir comme adresse de réponse",
    new: "Nouveau",
    delete: "Supprimer",
    new_user_mailbox: "nouvelle boîte aux lettres utilisateur",
    new_password: "Nouveau mot de passe :",
    delete_warning: "Voulez-vous vraiment supprimer « {name} » ?",
};

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_browser_s_preference_picks_the_language() {
        assert_eq!(Lang::from_accept_language(Some("fr-FR,fr;q=0.9,en;q=0.8")), Lang::Fr);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9,fr;q=0.8")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("de-DE,fr;q=0.5")), Lang::Fr);
        assert_eq!(Lang::from_accept_language(Some("de-DE")), Lang::En);
        assert_eq!(Lang::from_accept_language(None), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en;q=0.2, fr;q=0.7")), Lang::Fr);
    }

    /// The English texts the seeds' steps and checks name, each Exchange
    /// 2013 CU23's resource (named in the table above).
    #[test]
    fn english_labels_are_exchange_s_resources() {
        let en = Lang::En.labels();
        assert_eq!(
            [
                en.recipients,
                en.mailboxes,
                en.edit,
                en.general,
                en.email_address_section,
                en.mailbox_features,
                en.email_connectivity,
                en.imap_feature,
                en.pop_feature,
                en.mapi_feature,
                en.enabled,
                en.disabled,
                en.enable,
                en.disable,
                en.save,
                en.cancel,
                en.mapi_warning,
                en.yes,
                en.no,
                en.display_name,
                en.mailbox_type,
                en.email_address,
                en.server_roles,
                en.command_logging,
                en.start_time,
            ],
            [
                "recipients",
                "mailboxes",
                "Edit",
                "general",
                "email address",
                "mailbox features",
                "Email Connectivity",
                "IMAP:",
                "POP3:",
                "MAPI:",
                "Enabled",
                "Disabled",
                "Enable",
                "Disable",
                "save",
                "cancel",
                "Are you sure you want to disable MAPI?",
                "yes",
                "no",
                "DISPLAY NAME",
                "MAILBOX TYPE",
                "EMAIL ADDRESS",
                "SERVER ROLES",
                "Show Command Logging",
                "Start Time",
            ]
        );
        assert_eq!(en.delete_warning, "Are you sure you want to delete \"{name}\"?");
        assert_eq!(
            en.restart_note,
            "Changes to {protocol} settings will only take effect after all Microsoft Exchange {protocol} services are restarted on server {server}."
        );
        assert_eq!(
            en.form_expired,
            "Sorry, your request couldn't be completed. Try deleting the cookies from your browser, and then sign in again. If the problem continues, contact your helpdesk."
        );
    }

    #[test]
    fn french_labels_are_the_seeds_words() {
        let fr = Lang::Fr.labels();
        let seeds = [
            fr.recipients,
            fr.mailboxes,
            fr.edit,
            fr.mailbox_features,
            fr.email_connectivity,
            fr.enabled,
            fr.disabled,
            fr.enable,
            fr.disable,
            fr.save,
        ];
        assert_eq!(
            seeds,
            [
                "Destinataires",
                "Boîtes aux lettres",
                "Modifier",
                "Fonctionnalités de boîte aux lettres",
                "Connectivité de messagerie",
                "Activé",
                "Désactivé",
                "Activer",
                "Désactiver",
                "Enregistrer"
            ]
        );
    }
}
