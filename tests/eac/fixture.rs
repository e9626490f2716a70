//! A store with the services' Env (IMAP4 and POP3 on ports of their own)
//! plus what the EAC needs: John Smith (the seeds' mailbox), one member of
//! each role group and one of none, the ECP virtual directory's InternalUrl
//! on a free loopback port, the HTTP redirect on another, and W3SVC started.

use mailsh::services::Service;
use mailsh::store::Store;
use mailsh::store::web::WebSite;

use crate::support::{Env, Run, free_port, shell_on};

pub const PASSWORD: &str = "P@ssw0rd1";

pub struct Eac {
    pub env: Env,
    pub https: u16,
    pub http: u16,
}

impl Eac {
    /// `session_timeout`: seconds a signed-in browser may stay idle.
    pub fn start(session_timeout: i64) -> Eac {
        let mut env = Env::imap(false);
        let (https, http) = (free_port(), free_port());
        // IIS's own settings have no Exchange cmdlet: written as setup would.
        let mut store = Store::open_existing(&env.store).unwrap();
        let server = store.server().guid.clone();
        let site = WebSite { http_binding: format!("127.0.0.1:{http}"), session_timeout };
        store.write(|tx| Store::save_web_site(tx, &server, &site)).unwrap();
        let mut script = String::new();
        for (name, alias) in [
            ("John Smith", "jsmith"),
            ("Administrator", "administrator"),
            ("Rita Recipients", "rita"),
            ("Vera Viewer", "vera"),
            ("Nora Nobody", "nora"),
        ] {
            script.push_str(&format!(
                "New-Mailbox -Name '{name}' -Alias {alias} -Password (ConvertTo-SecureString '{PASSWORD}' -AsPlainText -Force) | Out-Null\n"
            ));
        }
        script.push_str(
            "Add-RoleGroupMember 'Organization Management' -Member Administrator\n\
             Add-RoleGroupMember 'Recipient Management' -Member rita\n\
             Add-RoleGroupMember 'View-Only Organization Management' -Member vera\n",
        );
        script.push_str(&format!(
            "Set-EcpVirtualDirectory 'CAS01\\ecp (Default Web Site)' -InternalUrl https://127.0.0.1:{https}/ecp\n"
        ));
        let r = shell_on(&env.store, &script);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        env.start(Service::W3svc);
        Eac { env, https, http }
    }

    pub fn shell(&self, text: &str) -> Run {
        shell_on(&self.env.store, text)
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.https)
    }

    pub fn guid_of(&self, name: &str) -> String {
        let store = Store::open_existing(&self.env.store).unwrap();
        store.resolve_mailboxes(name, 1).unwrap().remove(0).guid
    }

    pub fn w3svc_log(&self) -> String {
        self.env.service_log(Service::W3svc)
    }
}
