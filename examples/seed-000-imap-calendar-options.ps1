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
Transcript started, output file is C:\Users\administrator\Documents\seed-000.txt
[PS] C:\Windows\system32>Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption iCalendar
WARNING: The command completed successfully but no settings of 'CAS01\1' have been modified.
[PS] C:\Windows\system32>Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl 
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.
[PS] C:\Windows\system32>Set-ImapSettings -CalendarItemRetrievalOption InternetUrl
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.
[PS] C:\Windows\system32>Set-Imap4Settings -CalendarItemRetrievalOption Custom
Set-ImapSettings : When CalendarItemRetrievalOption is set to Custom, you must specify an Outlook Web App server URL with the OwaServerUrl parameter.
At line:1 char:1
+ Set-Imap4Settings -CalendarItemRetrievalOption Custom
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : NotSpecified: (:) [Set-ImapSettings], OwaServerUrlRequiredForCustom
    + FullyQualifiedErrorId : OwaServerUrlRequiredForCustom,Set-ImapSettings
[PS] C:\Windows\system32>Set-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl "https://OwaServer01"
WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.
[PS] C:\Windows\system32>Get-ImapSettings | format-list

ProtocolName                      : IMAP4
Name                              : 1
MaxCommandSize                    : 10240
ShowHiddenFoldersEnabled          : False
UnencryptedOrTLSBindings          : {[::]:143, 0.0.0.0:143}
SSLBindings                       : {[::]:993, 0.0.0.0:993}
InternalConnectionSettings        : {cas01.contoso.com:993:SSL, cas01.contoso.com:143:TLS}
ExternalConnectionSettings        : {}
X509CertificateName               : cas01.contoso.com
Banner                            : The Microsoft Exchange IMAP4 service is ready.
LoginType                         : SecureLogin
AuthenticatedConnectionTimeout    : 00:30:00
PreAuthenticatedConnectionTimeout : 00:01:00
MaxConnections                    : 2147483647
MaxConnectionFromSingleIP         : 2147483647
MaxConnectionsPerUser             : 16
MessageRetrievalMimeFormat        : BestBodyFormat
ProxyTargetPort                   : 1993
CalendarItemRetrievalOption       : Custom
OwaServerUrl                      : https://OwaServer01
EnableExactRFC822Size             : False
LiveIdBasicAuthReplacement        : False
SuppressReadReceipt               : False
ProtocolLogEnabled                : False
EnforceCertificateErrors          : False
LogFileLocation                   : [..]/Logging/Imap4
LogFileRollOverSettings           : Daily
LogPerFileSizeQuota               : 0 B (0 bytes)
ExtendedProtectionPolicy          : None
EnableGSSAPIAndNTLMAuth           : True
Server                            : CAS01
AdminDisplayName                  :
ExchangeVersion                   : 0.1 (8.0.535.0)
DistinguishedName                 : CN=1,CN=IMAP4,CN=Protocols,CN=CAS01,CN=Servers,CN=Exchange Administrative Group (FYD
                                    IBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,CN=Microsoft Exchange,C
                                    N=Services,CN=Configuration,DC=contoso,DC=com
Identity                          : CAS01\1
Guid                              : [..]
ObjectCategory                    : contoso.com/Configuration/Schema/ms-Exch-Protocol-Cfg-IMAP-Server
ObjectClass                       : {top, protocolCfg, protocolCfgIMAP}
WhenChanged                       : [..]
WhenCreated                       : [..]
WhenChangedUTC                    : [..]
WhenCreatedUTC                    : [..]
OrganizationId                    :
Id                                : CAS01\1
OriginatingServer                 : cas01.contoso.com
IsValid                           : True
ObjectState                       : Unchanged
AdvertisedCapabilities            : Full
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261121101612
**********************
