$password = Read-Host -AsSecureString -Prompt 'Database password'
$plain = Get-Secret -Name 'erp-db' -Vault 'CorpVault' -AsPlainText
Write-Host "Secret length: $($plain.Length)"
