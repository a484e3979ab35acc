$ErrorActionPreference = 'Stop'
$user = 'CORP\svc_deploy'
$password = ConvertTo-SecureString "Com281*lumeX" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($user, $password)
Invoke-Command -ComputerName web01, web02 -Credential $cred -ScriptBlock {
    Restart-WebAppPool -Name 'Portal'
}
