**********************
Windows PowerShell transcript start
Start time: 20261121101500
Username: CONTOSO\administrator
RunAs User: CONTOSO\administrator
Configuration Name: 
Machine: CAS01 (Microsoft Windows NT 10.0.14393.0)
Host Application: C:\Windows\system32\WindowsPowerShell\v1.0\powershell.exe -noexit -command ". 'C:\Program Files\Microsoft\Exchange Server\V15\bin\RemoteExchange.ps1'; Connect-ExchangeServer -auto -ClientApplication:ManagementShell "
Process ID: 4242
PSVersion: 5.1.14393.0
PSEdition: Desktop
BuildVersion: 10.0.14393.0
**********************
Transcript started, output file is C:\Users\administrator\Documents\seed-002.txt
[PS] C:\Windows\system32>New-Mailbox -Name "John Smith" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>Set-ImapSettings -UnencryptedOrTLSBindings "127.0.0.1:$ImapPort" -SSLBindings "127.0.0.1:$ImapSslPort" -ProxyTargetPort $ImapProxyPort -LoginType PlainTextLogin
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.
[PS] C:\Windows\system32>Get-Service MSExchangeIMAP4*

Status   Name               DisplayName
------   ----               -----------
Stopped  MSExchangeIMAP4    Microsoft Exchange IMAP4
Stopped  MSExchangeIMAP4BE  Microsoft Exchange IMAP4 Backend

[PS] C:\Windows\system32>Start-service msExchangeIMAP4
[PS] C:\Windows\system32>Start-service msExchangeIMAP4BE
[PS] C:\Windows\system32>Get-Service MSExchangeIMAP4*

Status   Name               DisplayName
------   ----               -----------
Running  MSExchangeIMAP4    Microsoft Exchange IMAP4
Running  MSExchangeIMAP4BE  Microsoft Exchange IMAP4 Backend

[PS] C:\Windows\system32>$cred = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))
[PS] C:\Windows\system32>Test-ImapConnectivity -MailboxCredential $cred -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :


[PS] C:\Windows\system32>Test-ImapConnectivity -MailboxCredential $cred -ConnectionType Ssl | Format-List Scenario,Result,Error

Scenario : Test IMAP4 Connectivity
Result   : Success
Error    :


[PS] C:\Windows\system32>Stop-service msExchangeIMAP4
[PS] C:\Windows\system32>Stop-service msExchangeIMAP4BE
[PS] C:\Windows\system32>net start msExchangeIMAP4
The Microsoft Exchange IMAP4 service is starting.
The Microsoft Exchange IMAP4 service was started successfully.

[PS] C:\Windows\system32>net start msExchangeIMAP4BE
The Microsoft Exchange IMAP4 Backend service is starting.
The Microsoft Exchange IMAP4 Backend service was started successfully.

[PS] C:\Windows\system32>net start msExchangeIMAP4BE
The requested service has already been started.

More help is available by typing NET HELPMSG 2182.

[PS] C:\Windows\system32>net start
These Windows services are started:

   Microsoft Exchange IMAP4
   Microsoft Exchange IMAP4 Backend

The command completed successfully.

[PS] C:\Windows\system32>Net Stop MSExchangeIMAP4
The Microsoft Exchange IMAP4 service is stopping.
The Microsoft Exchange IMAP4 service was stopped successfully.

[PS] C:\Windows\system32>Net Stop MSExchangeIMAP4BE
The Microsoft Exchange IMAP4 Backend service is stopping.
The Microsoft Exchange IMAP4 Backend service was stopped successfully.

[PS] C:\Windows\system32>Net Stop MSExchangeIMAP4BE
The Microsoft Exchange IMAP4 Backend service is not started.

More help is available by typing NET HELPMSG 3521.

[PS] C:\Windows\system32>net start msExchangeFoo
The service name is invalid.

More help is available by typing NET HELPMSG 2185.

[PS] C:\Windows\system32>Get-Service MSExchangeIMAP4*

Status   Name               DisplayName
------   ----               -----------
Stopped  MSExchangeIMAP4    Microsoft Exchange IMAP4
Stopped  MSExchangeIMAP4BE  Microsoft Exchange IMAP4 Backend

[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
