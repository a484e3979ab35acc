$ErrorActionPreference = 'Stop'
$cred = Get-Credential -UserName 'CORP\svc_deploy' -Message 'Deployment account'
Invoke-Command -ComputerName web01, web02 -Credential $cred -ScriptBlock {
    Restart-WebAppPool -Name 'Portal'
}
