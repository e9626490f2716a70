**********************
Windows PowerShell transcript start
Start time: 20261121101500
Username: CONTOSO\administrator
RunAs User: CONTOSO\administrator
Configuration Name: 
Machine: EX01 (Microsoft Windows NT 10.0.14393.0)
Host Application: C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe
Process ID: 4242
PSVersion: 5.1.14393.0
PSEdition: Desktop
BuildVersion: 10.0.14393.0
**********************
Transcript started, output file is C:\Users\admin\Documents\PowerShell_transcript.EX01.txt
PS C:\Users\admin> New-Mailbox -Name "Patrick Colon" -Alias pcolon -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
PS C:\Users\admin> Set-CASMailbox pcolon -PopEnabled $false -ImapEnabled 0
PS C:\Users\admin> Get-CASMailbox pcolon | Format-List Name,PopEnabled,ImapEnabled,Guid

Name        : Patrick Colon
PopEnabled  : False
ImapEnabled : False
Guid        : [..]


PS C:\Users\admin> Set-CASMailbox pcolon -Imap $true
Set-CASMailbox : Parameter cannot be processed because the parameter name 'Imap' is ambiguous. Possible matches include: -ImapEnabled -ImapUseProtocolDefaults -ImapEnableExactRFC822Size -ImapSuppressReadReceipt -ImapForceICalForCalendarRetrievalOption -ImapMessagesRetrievalMimeFormat.
At line:1 char:23
+ Set-CASMailbox pcolon -Imap $true
+                       ~~~~~
    + CategoryInfo          : InvalidArgument: (:) [Set-CASMailbox], ParameterBindingException
    + FullyQualifiedErrorId : AmbiguousParameter,Set-CASMailbox
 
PS C:\Users\admin> Get-ImapSettings | Format-List Name,Server,Identity

Name     : 1
Server   : EX01
Identity : EX01\1


PS C:\Users\admin> Get-Service MSExchangePOP3*

Status   Name               DisplayName
------   ----               -----------
Stopped  MSExchangePOP3     Microsoft Exchange POP3
Stopped  MSExchangePOP3BE   Microsoft Exchange POP3 Backend


PS C:\Users\admin> Get-CASMailbox |
>> Select-Object -ExpandProperty PrimarySmtpAddress
pcolon@contoso.com
PS C:\Users\admin> Search-AdminAuditLog -Cmdlets Set-CASMailbox | Format-List CmdletName,ObjectModified,ModifiedProperties,Caller

CmdletName         : Set-CASMailbox
ObjectModified     : contoso.com/Users/Patrick Colon
ModifiedProperties : {ImapEnabled=False, PopEnabled=False}
Caller             : [..]


PS C:\Users\admin> Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
