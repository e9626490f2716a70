//! The Shell side of the EAC: the role groups (Get-RoleGroup,
//! Get-/Add-/Remove-RoleGroupMember) with Exchange's layouts, messages and
//! audit rows, Get-/Set-EcpVirtualDirectory, and the W3SVC service started
//! and stopped like the mail services, serving where the directory says.

use mailsh::services::{Service, ServiceControl};
use mailsh::store::Store;
use mailsh::store::web::WebSite;

use super::http::Curl;
use crate::support::{Shell, assert_text, free_port, shell_on};

#[test]
fn role_groups_start_empty_and_members_come_and_go_with_exchange_s_messages() {
    let s = Shell::new();
    s.mailboxes(&["David"]);
    let r = s.cmd("Get-RoleGroup | Format-Table Name -AutoSize");
    assert_text(
        &r.stdout,
        "\nName\n----\nOrganization Management\nRecipient Management\nView-Only Organization Management\n\n",
    );
    assert_eq!(s.cmd("Get-RoleGroupMember 'Organization Management'").stdout, "", "a new store has no member");
    let r =
        s.cmd("Add-RoleGroupMember 'Recipient Management' -Member David; Get-RoleGroupMember 'Recipient Management'");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_text(
        &r.stdout,
        "\nName                                                        RecipientType\n\
         ----                                                        -------------\n\
         David                                                       UserMailbox\n\n",
    );
    let r = s.cmd("Add-RoleGroupMember 'Recipient Management' -Member David");
    assert!(
        r.stderr.contains(
            "The recipient \"contoso.com/Users/David\" is already a member of the group \"contoso.com/Microsoft Exchange Security Groups/Recipient Management\"."
        ),
        "{}",
        r.stderr
    );
    let r = s.cmd("(Get-RoleGroup 'Recipient Management').Members");
    assert_eq!(r.stdout, "David\n");
    let r = s.cmd("Remove-RoleGroupMember 'Recipient Management' -Member David -Confirm:$false; Remove-RoleGroupMember 'Recipient Management' -Member David -Confirm:$false");
    assert!(
        r.stderr.contains("The recipient \"contoso.com/Users/David\" isn't a member of the group \"contoso.com/Microsoft Exchange Security Groups/Recipient Management\"."),
        "{}",
        r.stderr
    );
    let r = s.cmd("Get-RoleGroup 'Help Desk'");
    assert!(
        r.stderr.contains(
            "The operation couldn't be performed because object 'Help Desk' couldn't be found on 'cas01.contoso.com'."
        ),
        "{}",
        r.stderr
    );
    let r = s.cmd("Search-AdminAuditLog | Where-Object CmdletName -like '*RoleGroupMember' | ForEach-Object { $_.CmdletName + ' ' + $_.ObjectModified }");
    assert_eq!(r.stdout, "Remove-RoleGroupMember Recipient Management\nAdd-RoleGroupMember Recipient Management\n");
    // A deleted mailbox leaves every group.
    let r = s.cmd("Add-RoleGroupMember 'Organization Management' -Member David; Remove-Mailbox David -Confirm:$false; (Get-RoleGroupMember 'Organization Management' | Measure-Object).Count");
    assert_eq!(r.stdout, "0\n", "{}", r.stderr);
}

#[test]
fn the_ecp_virtual_directory_is_shown_and_changed_as_exchange_does() {
    let s = Shell::new();
    let r = s.cmd("Get-EcpVirtualDirectory | Format-List Name,Server,Identity,InternalUrl,ExternalUrl");
    assert_text(
        &r.stdout,
        "\nName        : ecp (Default Web Site)\nServer      : CAS01\nIdentity    : CAS01\\ecp (Default Web Site)\nInternalUrl : https://cas01.contoso.com/ecp\nExternalUrl :\n\n\n",
    );
    let r = s.cmd(
        "Set-EcpVirtualDirectory 'CAS01\\ecp (Default Web Site)' -ExternalUrl https://mail.contoso.com/ecp; (Get-EcpVirtualDirectory).ExternalUrl; (Search-AdminAuditLog -Cmdlets Set-EcpVirtualDirectory).ModifiedProperties",
    );
    assert_eq!(r.stdout, "https://mail.contoso.com/ecp\nExternalUrl=https://mail.contoso.com/ecp\n", "{}", r.stderr);
}

/// Stops W3SVC when the test ends, even when it fails.
struct StopOnDrop(ServiceControl);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.stop(Service::W3svc, &mut || {});
    }
}

#[test]
fn w3svc_starts_and_stops_like_the_mail_services_and_serves_where_the_directory_says() {
    let s = Shell::new();
    let (https, http) = (free_port(), free_port());
    let store = s.store();
    let _stop = StopOnDrop(ServiceControl { exe: crate::support::exe().into(), store_path: store.clone() });
    assert_eq!(
        s.cmd("Get-Service W3SVC | Format-Table -HideTableHeaders").stdout.trim(),
        "Stopped  W3SVC              World Wide Web Publishing Service"
    );
    let mut opened = Store::open_existing(&store).unwrap();
    let server = opened.server().guid.clone();
    let site = WebSite { http_binding: format!("127.0.0.1:{http}"), session_timeout: 900 };
    opened.write(|tx| Store::save_web_site(tx, &server, &site)).unwrap();
    // Plain HTTP is refused by name.
    let r = shell_on(
        &store,
        "Set-EcpVirtualDirectory 'ecp (Default Web Site)' -InternalUrl http://127.0.0.1/ecp; Start-Service W3SVC",
    );
    assert!(
        r.stderr.contains("Service 'World Wide Web Publishing Service (W3SVC)' cannot be started due to the following error: The ECP virtual directory's URL 'http://127.0.0.1/ecp' is not HTTPS"),
        "{}",
        r.stderr
    );
    let r = shell_on(
        &store,
        &format!(
            "Set-EcpVirtualDirectory 'ecp (Default Web Site)' -InternalUrl https://127.0.0.1:{https}/ecp; net start W3SVC"
        ),
    );
    assert_text(
        &r.stdout,
        "The World Wide Web Publishing Service service is starting.\nThe World Wide Web Publishing Service service was started successfully.\n\n",
    );
    assert_eq!(shell_on(&store, "(Get-Service W3SVC).Status").stdout, "Running\n");
    let page = Curl::new("en").get(&format!("https://127.0.0.1:{https}/ecp/auth/signin"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Exchange admin center"));
    let r = Curl::new("en").get(&format!("http://127.0.0.1:{http}/ecp"));
    assert_eq!(r.header("location"), [format!("https://127.0.0.1:{https}/ecp")]);
    // The certificate is the mail services' (the store's, in <store>.d/certs).
    let certs: Vec<_> =
        std::fs::read_dir(mailsh::store::state_dir_for(&store).join("certs")).unwrap().flatten().collect();
    assert!(certs.iter().any(|e| e.file_name().to_string_lossy() == "cas01.contoso.com.pem"), "{certs:?}");
    let r = shell_on(&store, "Restart-Service W3SVC; (Get-Service W3SVC).Status; net stop W3SVC");
    assert_text(
        &r.stdout,
        "Running\nThe World Wide Web Publishing Service service is stopping.\nThe World Wide Web Publishing Service service was stopped successfully.\n\n",
    );
    assert_eq!(shell_on(&store, "(Get-Service W3SVC).Status").stdout, "Stopped\n");
    assert!(std::net::TcpStream::connect(("127.0.0.1", https)).is_err(), "no longer listening");
}
