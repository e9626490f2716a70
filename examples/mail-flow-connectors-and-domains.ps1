**********************
Windows PowerShell transcript start
Start time: 20261201071500
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
Transcript started, output file is C:\Users\administrator\Documents\mail-flow.txt
[PS] C:\Windows\system32>Get-ReceiveConnector

Identity                            Bindings                  Enabled
--------                            --------                  -------
CAS01\Client Proxy CAS01            {[::]:465, 0.0.0.0:465}   True
CAS01\Default CAS01                 {[::]:2525, 0.0.0.0:2525} True
CAS01\Client Frontend CAS01         {[::]:587, 0.0.0.0:587}   True
CAS01\Default Frontend CAS01        {[::]:25, 0.0.0.0:25}     True
CAS01\Outbound Proxy Frontend CAS01 {[::]:717, 0.0.0.0:717}   True
[PS] C:\Windows\system32>Get-ReceiveConnector "Client Frontend CAS01" | Format-List Name,Bindings,AuthMechanism,PermissionGroups,MaxMessageSize,TransportRole

Name             : Client Frontend CAS01
Bindings         : {[::]:587, 0.0.0.0:587}
AuthMechanism    : Tls, Integrated, BasicAuth, BasicAuthRequireTLS
PermissionGroups : ExchangeUsers
MaxMessageSize   : 36 MB (37,748,736 bytes)
TransportRole    : FrontendTransport
[PS] C:\Windows\system32>Set-ReceiveConnector "Default Frontend CAS01" -MaxMessageSize 25MB -RemoteIPRanges 0.0.0.0/0,192.168.1.300
Set-ReceiveConnector : Cannot process argument transformation on parameter 'RemoteIPRanges'. Cannot convert value "192.168.1.300" to type "Microsoft.Exchange.Data.IPRange". Error: "'192.168.1.300' isn't a valid IP address, range (first-last) or prefix (address/bits)."
At line:1 char:1
+ Set-ReceiveConnector "Default Frontend CAS01" -MaxMessageSize 25MB -RemoteIPRanges 0.0.0.0/0,192.168.1.300
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : InvalidData: (:) [Set-ReceiveConnector], ParameterBindin...mationException
    + FullyQualifiedErrorId : ParameterArgumentTransformationError,Set-ReceiveConnector
 
[PS] C:\Windows\system32>Set-ReceiveConnector "Default Frontend CAS01" -MaxMessageSize 25MB -Banner "220 Contoso mail"
[PS] C:\Windows\system32>Get-ReceiveConnector "Default Frontend CAS01" | Format-List Identity,MaxMessageSize,Banner

Identity       : CAS01\Default Frontend CAS01
MaxMessageSize : 25 MB (26,214,400 bytes)
Banner         : 220 Contoso mail
[PS] C:\Windows\system32>New-ReceiveConnector -Name "Scanners" -Usage Custom -Bindings 0.0.0.0:2025 -RemoteIPRanges 192.168.10.0/24 -PermissionGroups AnonymousUsers -TransportRole FrontendTransport | Format-List Identity,Bindings,RemoteIPRanges,PermissionGroups,AuthMechanism

Identity         : CAS01\Scanners
Bindings         : {0.0.0.0:2025}
RemoteIPRanges   : {192.168.10.0/24}
PermissionGroups : AnonymousUsers
AuthMechanism    : Tls
[PS] C:\Windows\system32>New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com

Name     DomainName   DomainType    Default
----     ----------   ----------    -------
Fabrikam fabrikam.com Authoritative False
[PS] C:\Windows\system32>Set-AcceptedDomain Fabrikam -MakeDefault $true
[PS] C:\Windows\system32>Get-AcceptedDomain

Name        DomainName   DomainType    Default
----        ----------   ----------    -------
contoso.com contoso.com  Authoritative False
Fabrikam    fabrikam.com Authoritative True
[PS] C:\Windows\system32>Get-Queue

Identity         DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain
--------         ------------ ------ ------------ -------- --------- -------------- -------------
CAS01\Submission Undefined    Ready             0        0 Normal                 0 Submission
[PS] C:\Windows\system32>Get-Service MSExchange*Transport

Status   Name               DisplayName
------   ----               -----------
Stopped  MSExchangeFront... Microsoft Exchange Frontend Transport
Stopped  MSExchangeTrans... Microsoft Exchange Transport
[PS] C:\Windows\system32>Stop-Transcript
**********************
Windows PowerShell transcript end
End time: 20261201071700
**********************
