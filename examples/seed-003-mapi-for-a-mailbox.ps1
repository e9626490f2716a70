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
Transcript started, output file is C:\Users\administrator\Documents\seed-003.txt
[PS] C:\Windows\system32>New-Mailbox -Name "Ken Sanchez" -Alias ksanchez -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>New-Mailbox -Name "Esther Valle" -Alias evalle -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>Set-CASMailbox -Identity "Ken Sanchez" -MAPIEnabled $false
[PS] C:\Windows\system32>Set-CASMailbox -Identity "Esther Valle" -MAPIEnabled $true
WARNING: The command completed successfully but no settings of 'contoso.com/Users/Esther Valle' have been modified.
[PS] C:\Windows\system32>Get-CASMailbox "Ken Sanchez"

Name                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled
----                 ----------------- ---------- ---------- ----------- -----------
Ken Sanchez          True              True       True       True        False
[PS] C:\Windows\system32>Get-CASMailbox "Esther Valle"

Name                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled
----                 ----------------- ---------- ---------- ----------- -----------
Esther Valle         True              True       True       True        True
[PS] C:\Windows\system32>Get-CASMailbox -Filter "MAPIEnabled -eq $false" | Format-Table Name,MAPIEnabled,ImapEnabled,PopEnabled,OWAEnabled -AutoSize

Name        MAPIEnabled ImapEnabled PopEnabled OWAEnabled
----        ----------- ----------- ---------- ----------
Ken Sanchez False       True        True       True
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
