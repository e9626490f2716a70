**********************
Windows PowerShell transcript start
Start time: 20261201080000
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
Transcript started, output file is C:\Users\administrator\Documents\mail-flow-send.txt
[PS] C:\Windows\system32>New-Mailbox -Name "John Smith" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>Set-ReceiveConnector "Default Frontend CAS01" -Bindings "127.0.0.1:$SmtpPort"
[PS] C:\Windows\system32>Set-ReceiveConnector "Client Frontend CAS01" -Bindings "127.0.0.1:$SubmissionPort"
[PS] C:\Windows\system32>Set-ReceiveConnector "Outbound Proxy Frontend CAS01" -Bindings "127.0.0.1:$OutboundProxyPort"
[PS] C:\Windows\system32>Set-ReceiveConnector "Default CAS01" -Bindings "127.0.0.1:$TransportPort"
[PS] C:\Windows\system32>Set-ReceiveConnector "Client Proxy CAS01" -Bindings "127.0.0.1:$ClientProxyPort"
[PS] C:\Windows\system32>Get-ReceiveConnector "Default Frontend CAS01" | Format-List Identity,PermissionGroups,MaxMessageSize

Identity         : CAS01\Default Frontend CAS01
PermissionGroups : AnonymousUsers, ExchangeServers, ExchangeLegacyServers
MaxMessageSize   : 36 MB (37,748,736 bytes)


[PS] C:\Windows\system32>New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com -DomainType InternalRelay

Name     DomainName   DomainType    Default
----     ----------   ----------    -------
Fabrikam fabrikam.com InternalRelay False

[PS] C:\Windows\system32>New-SendConnector -Name "To Fabrikam" -Usage Custom -AddressSpaces fabrikam.com -SmartHosts mail.fabrikam.com

Identity    AddressSpaces         Enabled
--------    -------------         -------
To Fabrikam {SMTP:fabrikam.com;1} True

[PS] C:\Windows\system32>Start-Service MSExchangeTransport,MSExchangeDelivery,MSExchangeFrontEndTransport
[PS] C:\Windows\system32>Send-MailMessage -From administrator@contoso.com -To jsmith@contoso.com -Subject "Mail flow test" -Body "Sent from the Exchange Management Shell." -SmtpServer localhost -Port $SmtpPort
[PS] C:\Windows\system32>Get-MessageTrackingLog -Recipients jsmith@contoso.com -EventId RECEIVE | Format-List EventId,Source,Sender,Recipients,MessageSubject,ConnectorId

EventId        : RECEIVE
Source         : SMTP
Sender         : administrator@contoso.com
Recipients     : {jsmith@contoso.com}
MessageSubject : Mail flow test
ConnectorId    : CAS01\Default CAS01


[PS] C:\Windows\system32>Send-MailMessage -From administrator@contoso.com -To nobody@contoso.com -Subject "Mail flow test" -SmtpServer localhost -Port $SmtpPort
Send-MailMessage : Mailbox unavailable. The server response was: 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
At line:1 char:1
+ Send-MailMessage -From administrator@contoso.com -To nobody@contoso.com -Subject "Mail flow test" -SmtpServer localhost -Port $SmtpPort
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : InvalidOperation: (System.Net.Mail.SmtpClient:SmtpClient) [Send-MailMessage], SmtpFailedRecipientException
    + FullyQualifiedErrorId : SmtpException,Microsoft.PowerShell.Commands.SendMailMessage

[PS] C:\Windows\system32>Stop-Service MSExchangeFrontEndTransport,MSExchangeDelivery,MSExchangeTransport
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261201080200
**********************
