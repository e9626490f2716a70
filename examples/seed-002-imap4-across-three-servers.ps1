**********************
Windows PowerShell transcript start
Start time: 20261202100000
Username: CONTOSO\administrator
RunAs User: CONTOSO\administrator
Configuration Name: 
Machine: CAS01 (Microsoft Windows NT 10.0.14393.0)
Host Application: C:\Windows\system32\WindowsPowerShell\v1.0\powershell.exe
Process ID: 4242
PSVersion: 5.1.14393.0
PSEdition: Desktop
BuildVersion: 10.0.14393.0
Directory: PostgreSQL
**********************
Transcript started, output file is C:\Users\administrator\Documents\three-servers.txt
PS C:\Users\administrator> Setup.exe /Mode:Install /Roles:ClientAccess /IAcceptExchangeServerLicenseTerms /Address:127.0.0.2
Creating the organization contoso.com in [..] with its first server, CAS01 (cas01.contoso.com).
    Roles: ClientAccess
    Address: 127.0.0.2

The Exchange Server setup operation completed successfully.
PS C:\Users\administrator> Enter-PSSession MBX01
[MBX01]: PS C:\Users\administrator\Documents> Setup.exe /Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms /Address:127.0.0.3
Adding MBX01 (mbx01.contoso.com) to the organization contoso.com in [..].
    Roles: Mailbox
    Address: 127.0.0.3

The Exchange Server setup operation completed successfully.
[MBX01]: PS C:\Users\administrator\Documents> Set-ImapSettings -ProxyTargetPort $ImapProxyPort
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server MBX01.
[MBX01]: PS C:\Users\administrator\Documents> Start-Service MSExchangeIMAP4BE,MSExchangeMailboxReplication
[MBX01]: PS C:\Users\administrator\Documents> Exit-PSSession
PS C:\Users\administrator> Enter-PSSession MBX02
[MBX02]: PS C:\Users\administrator\Documents> Setup.exe /Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms /Address:127.0.0.4
Adding MBX02 (mbx02.contoso.com) to the organization contoso.com in [..].
    Roles: Mailbox
    Address: 127.0.0.4

The Exchange Server setup operation completed successfully.
[MBX02]: PS C:\Users\administrator\Documents> Set-ImapSettings -ProxyTargetPort $ImapProxyPort
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server MBX02.
[MBX02]: PS C:\Users\administrator\Documents> Start-Service MSExchangeIMAP4BE,MSExchangeMailboxReplication
[MBX02]: PS C:\Users\administrator\Documents> Exit-PSSession
PS C:\Users\administrator> Get-ExchangeServer

Name  Site                                                    ServerRole   Edition  AdminDisplayVersion
----  ----                                                    ----------   -------  -------------------
CAS01 contoso.com/Configuration/Sites/Default-First-Site-Name ClientAccess Standard Version 15.0 (Build 1497.2)
MBX01 contoso.com/Configuration/Sites/Default-First-Site-Name Mailbox      Standard Version 15.0 (Build 1497.2)
MBX02 contoso.com/Configuration/Sites/Default-First-Site-Name Mailbox      Standard Version 15.0 (Build 1497.2)
PS C:\Users\administrator> New-Mailbox -Name "John Smith" -Alias jsmith -Database (Get-MailboxDatabase -Server MBX01).Name -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
PS C:\Users\administrator> New-Mailbox -Name "Ann Beck" -Alias ann -Database (Get-MailboxDatabase -Server MBX02).Name -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
PS C:\Users\administrator> Get-Mailbox | Format-Table Name,Alias,ServerName

Name       Alias  ServerName
----       -----  ----------
Ann Beck   ann    mbx02
John Smith jsmith mbx01
PS C:\Users\administrator> Get-Service MSExchangeIMAP4*

Status   Name               DisplayName
------   ----               -----------
Stopped  MSExchangeIMAP4    Microsoft Exchange IMAP4
PS C:\Users\administrator> Get-Service MSExchangeIMAP4BE
Get-Service : Cannot find any service with service name 'MSExchangeIMAP4BE'.
...
PS C:\Users\administrator> Get-Service MSExchangeIMAP4* -ComputerName MBX01,MBX02 | Format-Table MachineName,Name,Status

MachineName Name              Status
----------- ----              ------
MBX01       MSExchangeIMAP4BE Running
MBX02       MSExchangeIMAP4BE Running
PS C:\Users\administrator> Set-ImapSettings -UnencryptedOrTLSBindings "127.0.0.2:$ImapPort" -SSLBindings "127.0.0.2:$ImapSslPort" -LoginType PlainTextLogin
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.
PS C:\Users\administrator> Start-Service MSExchangeIMAP4
PS C:\Users\administrator> $john = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))
PS C:\Users\administrator> $ann = New-Object System.Management.Automation.PSCredential('ann@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))
PS C:\Users\administrator> Test-ImapConnectivity -MailboxCredential $john -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :
PS C:\Users\administrator> Test-ImapConnectivity -MailboxCredential $ann -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :
PS C:\Users\administrator> Enter-PSSession MBX02
[MBX02]: PS C:\Users\administrator\Documents> net stop MSExchangeIMAP4BE
The Microsoft Exchange IMAP4 Backend service is stopping.
The Microsoft Exchange IMAP4 Backend service was stopped successfully.
[MBX02]: PS C:\Users\administrator\Documents> Exit-PSSession
PS C:\Users\administrator> Get-Service MSExchangeIMAP4BE -ComputerName MBX01,MBX02 | Format-Table MachineName,Name,Status

MachineName Name              Status
----------- ----              ------
MBX01       MSExchangeIMAP4BE Running
MBX02       MSExchangeIMAP4BE Stopped
PS C:\Users\administrator> Test-ImapConnectivity -MailboxCredential $ann -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Failure
Error    : p2 NO LOGIN failed.
PS C:\Users\administrator> Test-ImapConnectivity -MailboxCredential $john -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :
PS C:\Users\administrator> Enter-PSSession MBX02
[MBX02]: PS C:\Users\administrator\Documents> net start MSExchangeIMAP4BE
The Microsoft Exchange IMAP4 Backend service is starting.
The Microsoft Exchange IMAP4 Backend service was started successfully.
[MBX02]: PS C:\Users\administrator\Documents> Exit-PSSession
PS C:\Users\administrator> Test-ImapConnectivity -MailboxCredential $ann -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :
PS C:\Users\administrator> New-MoveRequest -Identity ann -TargetDatabase (Get-MailboxDatabase -Server MBX01).Name

DisplayName              Status       TargetDatabase
-----------              ------       --------------
Ann Beck                 Completed    Mailbox Database [..]
PS C:\Users\administrator> Get-Mailbox | Format-Table Name,Alias,ServerName

Name       Alias  ServerName
----       -----  ----------
Ann Beck   ann    mbx01
John Smith jsmith mbx01
PS C:\Users\administrator> Enter-PSSession MBX09
[MBX09]: PS C:\Users\administrator\Documents> Setup.exe /Mode:Install /Roles:Mailbox /Address:192.0.2.9
Setup: To run Setup unattended, accept the Exchange Server license terms with the /IAcceptExchangeServerLicenseTerms switch.
[MBX09]: PS C:\Users\administrator\Documents> Setup.exe /Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms /Address:192.0.2.9
Adding MBX09 (mbx09.contoso.com) to the organization contoso.com in [..].
    Roles: Mailbox
    Address: 192.0.2.9

The Exchange Server setup operation completed successfully.
[MBX09]: PS C:\Users\administrator\Documents> Exit-PSSession
PS C:\Users\administrator> Enter-PSSession MBX09
Enter-PSSession : Connecting to remote server MBX09 failed with the following error message : MBX09 is at 192.0.2.9, which is not this computer: mailsh runs a server's commands on that server's computer (run mailsh there, with -ServerName MBX09).
...
PS C:\Users\administrator> Stop-Service MSExchangeIMAP4
PS C:\Users\administrator> Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261202101500
**********************
