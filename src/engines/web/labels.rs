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

pub struct Labels {
    pub title: &'static str,
    pub sign_in: &'static str,
    pub sign_in_hint: &'static str,
    pub user_name: &'static str,
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
    /// `{first}`, `{last}`, `{total}`.
    pub items: &'static str,
    pub edit: &'static str,
    pub user_mailbox_dialog: &'static str,
    pub general: &'static str,
    pub mailbox_features: &'static str,
    pub email_connectivity: &'static str,
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
    /// How a protocol and its state are joined ("IMAP4: Enabled").
    pub state_separator: &'static str,
    pub server_name: &'static str,
    pub server_role: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub start_execution: &'static str,
    pub end_execution: &'static str,
    pub status: &'static str,
    pub completed: &'static str,
    pub failed: &'static str,
    pub no_commands: &'static str,
    pub logon_method: &'static str,
    pub plain_bindings: &'static str,
    pub ssl_bindings: &'static str,
    pub certificate_name: &'static str,
    pub banner: &'static str,
    pub authenticated_timeout: &'static str,
    pub unauthenticated_timeout: &'static str,
    pub max_connections: &'static str,
    pub max_from_ip: &'static str,
    pub max_per_user: &'static str,
    pub retrieval_format: &'static str,
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

pub static EN: Labels = Labels {
    title: "Exchange admin center",
    sign_in: "sign in",
    sign_in_hint: "Domain\\user name, user principal name or email address:",
    user_name: "User name",
    password: "Password",
    sign_in_refused: "The user name or password you entered isn't correct, or you don't have permission to use the Exchange admin center. Try entering them again.",
    sign_in_busy: "The server is busy. Try again in a moment.",
    session_expired: "Your session has expired. Please sign in again.",
    sign_out: "sign out",
    forbidden: "You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
    form_expired: "This page has expired or was not sent by the Exchange admin center. Nothing was changed.",
    not_found: "The page you requested couldn't be found.",
    recipients: "recipients",
    mailboxes: "mailboxes",
    servers: "servers",
    servers_tab: "servers",
    command_logging: "Show Command Logging",
    search: "search",
    display_name: "DISPLAY NAME",
    mailbox_type: "MAILBOX TYPE",
    email_address: "EMAIL ADDRESS",
    user_mailbox: "User",
    previous: "previous",
    next: "next",
    items: "{first} - {last} of {total} total",
    edit: "Edit",
    user_mailbox_dialog: "User Mailbox",
    general: "general",
    mailbox_features: "mailbox features",
    email_connectivity: "Email Connectivity",
    name: "Name:",
    alias: "Alias:",
    upn: "User logon name:",
    enabled: "Enabled",
    disabled: "Disabled",
    enable: "Enable",
    disable: "Disable",
    save: "Save",
    cancel: "Cancel",
    saved: "Your changes have been saved.",
    read_only: "You have read-only access: changes can't be made here.",
    mapi_warning: "Are you sure you want to disable MAPI? Users won't be able to use Outlook to access their mailbox.",
    yes: "Yes",
    no: "No",
    state_separator: ": ",
    server_name: "NAME",
    server_role: "SERVER ROLE",
    version: "VERSION",
    command: "Command",
    start_execution: "Start Execution",
    end_execution: "End Execution",
    status: "Status",
    completed: "Completed",
    failed: "Failed",
    no_commands: "No cmdlets have been run in this browser session.",
    logon_method: "Logon input format:",
    plain_bindings: "Unencrypted or TLS connections (address:port, comma-separated):",
    ssl_bindings: "Secure connections (SSL) (address:port, comma-separated):",
    certificate_name: "X.509 certificate name:",
    banner: "Banner:",
    authenticated_timeout: "Time-out for authenticated connections (hh:mm:ss):",
    unauthenticated_timeout: "Time-out for unauthenticated connections (hh:mm:ss):",
    max_connections: "Maximum connections:",
    max_from_ip: "Maximum connections from a single IP address:",
    max_per_user: "Maximum connections from a single user:",
    retrieval_format: "Message MIME format:",
    calendar_items: "Calendar items retrieval:",
    owa_url: "Outlook Web App server URL (Custom):",
    restart_note: "Changes to {protocol} settings only take effect after the Microsoft Exchange {protocol} services are restarted on server {server}.",
    email_address_section: "email address",
    display_name_field: "Display name:",
    first_name: "First name:",
    last_name: "Last name:",
    addresses_hint: "Each email address type can have one default reply address. The default reply address is displayed in bold.",
    address_type: "TYPE",
    new_address: "Email address:",
    add: "Add",
    remove: "Remove",
    make_reply_address: "Make this the reply address",
    new: "New",
    delete: "Delete",
    new_user_mailbox: "new user mailbox",
    new_password: "New password:",
    delete_warning: "Deleting an Active Directory user with a mailbox will also delete the mailbox. Are you sure you want to delete “{name}”?",
};

pub static FR: Labels = Labels {
    title: "Centre d’administration Exchange",
    sign_in: "se connecter",
    sign_in_hint: "Domaine\\nom d’utilisateur, nom d’utilisateur principal ou adresse de messagerie :",
    user_name: "Nom d’utilisateur",
    password: "Mot de passe",
    sign_in_refused: "Le nom d’utilisateur ou le mot de passe que vous avez entré est incorrect, ou vous n’êtes pas autorisé à utiliser le Centre d’administration Exchange. Essayez de les entrer à nouveau.",
    sign_in_busy: "Le serveur est occupé. Réessayez dans un instant.",
    session_expired: "Votre session a expiré. Veuillez vous connecter à nouveau.",
    sign_out: "se déconnecter",
    forbidden: "Vous ne disposez pas des autorisations suffisantes pour effectuer cette opération.",
    form_expired: "Cette page a expiré ou n’a pas été envoyée par le Centre d’administration Exchange. Rien n’a été modifié.",
    not_found: "La page demandée est introuvable.",
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
    previous: "précédent",
    next: "suivant",
    items: "{first} - {last} sur {total} au total",
    edit: "Modifier",
    user_mailbox_dialog: "Boîte aux lettres utilisateur",
    general: "Général",
    mailbox_features: "Fonctionnalités de boîte aux lettres",
    email_connectivity: "Connectivité de messagerie",
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
    mapi_warning: "Voulez-vous vraiment désactiver MAPI ? Les utilisateurs ne pourront plus accéder à leur boîte aux lettres avec Outlook.",
    yes: "Oui",
    no: "Non",
    state_separator: " : ",
    server_name: "NOM",
    server_role: "RÔLE DE SERVEUR",
    version: "VERSION",
    command: "Commande",
    start_execution: "Début de l’exécution",
    end_execution: "Fin de l’exécution",
    status: "État",
    completed: "Terminé",
    failed: "Échec",
    no_commands: "Aucune cmdlet n’a été exécutée dans cette session de navigateur.",
    logon_method: "Format d’entrée de connexion :",
    plain_bindings: "Connexions non chiffrées ou TLS (adresse:port, séparées par des virgules) :",
    ssl_bindings: "Connexions sécurisées (SSL) (adresse:port, séparées par des virgules) :",
    certificate_name: "Nom du certificat X.509 :",
    banner: "Bannière :",
    authenticated_timeout: "Délai d’expiration des connexions authentifiées (hh:mm:ss) :",
    unauthenticated_timeout: "Délai d’expiration des connexions non authentifiées (hh:mm:ss) :",
    max_connections: "Nombre maximal de connexions :",
    max_from_ip: "Nombre maximal de connexions à partir d’une même adresse IP :",
    max_per_user: "Nombre maximal de connexions pour un même utilisateur :",
    retrieval_format: "Format MIME des messages :",
    calendar_items: "Récupération des éléments de calendrier :",
    owa_url: "URL du serveur Outlook Web App (Custom) :",
    restart_note: "Les modifications des paramètres {protocol} ne prennent effet qu’après le redémarrage des services Microsoft Exchange {protocol} sur le serveur {server}.",
    email_address_section: "Adresse de messagerie",
    display_name_field: "Nom d’affichage :",
    first_name: "Prénom :",
    last_name: "Nom de famille :",
    addresses_hint: "Chaque type d’adresse de messagerie peut avoir une adresse de réponse par défaut. L’adresse de réponse par défaut est affichée en gras.",
    address_type: "TYPE",
    new_address: "Adresse de messagerie :",
    add: "Ajouter",
    remove: "Supprimer",
    make_reply_address: "Définir comme adresse de réponse",
    new: "Nouveau",
    delete: "Supprimer",
    new_user_mailbox: "nouvelle boîte aux lettres utilisateur",
    new_password: "Nouveau mot de passe :",
    delete_warning: "La suppression d’un utilisateur Active Directory avec une boîte aux lettres supprime également la boîte aux lettres. Voulez-vous vraiment supprimer « {name} » ?",
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
