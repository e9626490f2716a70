**********************
Windows PowerShell transcript start
Machine: CAS01 (Microsoft Windows NT 6.3.9600.0)
**********************
[PS] CAS01>Get-CASMailbox "John Smith" | fl Name,PopEnabled

Name       : John Smith
PopEnabled : True

[PS] CAS01>Set-CASMailbox -Identity "John Smith" -PopEnabled $false
[PS] CAS01>Get-Service MSExchangePOP3*

Status   Name               DisplayName
------   ----               -----------
Running  MSExchangePOP3     Microsoft Exchange POP3

**********************
Windows PowerShell transcript end
**********************
