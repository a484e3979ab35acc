<?php
require __DIR__ . '/vendor/autoload.php';

use Twilio\Rest\Client;

$accountSid = 'AC312edad1c3642bfc76703a306a658d12';
$apiKeySid  = 'SK5abf29cbf2e909b3d9f4cb94af9ed751';
$apiSecret  = 'XQW3sivHs9oQdEjuvtROt2G6qP2HjM3A';

$client = new Client($apiKeySid, $apiSecret, $accountSid);
$client->messages->create($argv[1], [
    'from' => '+15005550006',
    'body' => $argv[2],
]);
