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
Transcript started, output file is C:\Users\administrator\Documents\seed-001.txt
[PS] C:\Windows\system32>New-Mailbox -Name "John Smith" -Alias jsmith -FirstName John -LastName Smith -UserPrincipalName jsmith@contoso.com -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)

Name                      Alias                ServerName       ProhibitSendQuota
----                      -----                ----------       -----------------
John Smith                jsmith               cas01            Unlimited
[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -IMAPEnabled $false
[PS] C:\Windows\system32>Get-CASMailbox "John Smith"

Name                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled
----                 ----------------- ---------- ---------- ----------- -----------
John Smith           True              True       True       False       True
[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -IMAPEnabled $false
WARNING: The command completed successfully but no settings of 'contoso.com/Users/John Smith' have been modified.
[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -IMAPEnabled $true
[PS] C:\Windows\system32>Get-CASMailbox "John Smith" | Format-List Name,ImapEnabled,PopEnabled,MAPIEnabled

Name        : John Smith
ImapEnabled : True
PopEnabled  : True
MAPIEnabled : True
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
