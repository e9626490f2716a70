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
Transcript started, output file is C:\Users\administrator\Documents\seed-004.txt
[PS] C:\Windows\system32>New-Mailbox -Name "John Smith" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -POPEnabled $false
[PS] C:\Windows\system32>Get-CASMailbox "John Smith" | Format-List Name,PopEnabled

Name       : John Smith
PopEnabled : False
[PS] C:\Windows\system32>Set-CASMailbox -Identity "John Smith" -POPEnabled $true
[PS] C:\Windows\system32>Get-CASMailbox "John Smith" | Format-List Name,PopEnabled

Name       : John Smith
PopEnabled : True
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
