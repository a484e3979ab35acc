<?php

return [
    'name' => 'Acme Portal',
    'env' => 'production',
    'debug' => false,
    'url' => 'https://portal.acme.example',
    'key' => 'base64:OtDv6A+hciFPnohOq0gWi2NsJbdrrZEJCeXhdhnB1gY=',
    'cipher' => 'AES-256-CBC',
];
