$clientId = "cf2f1894-3a79-47c0-8da1-ded221ed700e"
$tenantId = "df1e3101-1ce4-4e1e-a790-1a4ddb515740"
$clientSecret = "EkP8Q~EZA4BQOkQ1qJjyrJTP0IiVEltPi1eWl"
$body = @{ client_id = $clientId; scope = "https://graph.microsoft.com/.default"; client_secret = $clientSecret; grant_type = "client_credentials" }
$token = Invoke-RestMethod -Method Post -Uri "https://login.microsoftonline.com/$tenantId/oauth2/v2.0/token" -Body $body
