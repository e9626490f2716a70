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
Transcript started, output file is C:\Users\administrator\Documents\seed-004-services.txt
[PS] C:\Windows\system32>New-Mailbox -Name "John Smith" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>Set-PopSettings -UnencryptedOrTLSBindings "127.0.0.1:$PopPort" -SSLBindings "127.0.0.1:$PopSslPort" -ProxyTargetPort $PopProxyPort -LoginType PlainTextLogin
WARNING: Changes to POP3 settings will only take effect after all Microsoft Exchange POP3 services are restarted on server CAS01.
[PS] C:\Windows\system32>Start-Service MSExchangePOP3BE,MSExchangePOP3
[PS] C:\Windows\system32>$cred = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))
[PS] C:\Windows\system32>Test-PopConnectivity -MailboxCredential $cred -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test POP3 Connectivity
Result   : Success
Error    :


[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -POPEnabled $false
[PS] C:\Windows\system32>Restart-Service MSExchangePOP3,MSExchangePOP3BE
[PS] C:\Windows\system32>Test-PopConnectivity -MailboxCredential $cred -ConnectionType Plaintext | Format-List Scenario,Result,Error

Scenario : Test POP3 Connectivity
Result   : Failure
Error    : -ERR Logon failure: unknown user name or bad password.


[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -POPEnabled $true
[PS] C:\Windows\system32>Restart-Service MSExchangePOP3,MSExchangePOP3BE
[PS] C:\Windows\system32>Test-PopConnectivity -MailboxCredential $cred -ConnectionType Ssl | Format-List Scenario,Result,Error

Scenario : Test POP3 Connectivity
Result   : Success
Error    :


[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -MAPIEnabled $false
[PS] C:\Windows\system32>Test-PopConnectivity -MailboxCredential $cred -ConnectionType Tls | Format-List Scenario,Result,Error

Scenario : Test POP3 Connectivity
Result   : Success
Error    :


[PS] C:\Windows\system32>Get-Service MSExchangePOP3*

Status   Name               DisplayName
------   ----               -----------
Running  MSExchangePOP3     Microsoft Exchange POP3
Running  MSExchangePOP3BE   Microsoft Exchange POP3 Backend

[PS] C:\Windows\system32>Stop-Service MSExchangePOP3,MSExchangePOP3BE
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
