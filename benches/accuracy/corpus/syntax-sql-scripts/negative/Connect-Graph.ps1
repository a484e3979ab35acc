$secret = ConvertTo-SecureString $env:GRAPH_CLIENT_SECRET -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($env:GRAPH_CLIENT_ID, $secret)
Connect-MgGraph -TenantId $env:GRAPH_TENANT_ID -ClientSecretCredential $cred
