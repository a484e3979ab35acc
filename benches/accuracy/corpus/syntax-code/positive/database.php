<?php

return [
    'default' => 'mysql',
    'connections' => [
        'mysql' => [
            'driver' => 'mysql',
            'host' => '127.0.0.1',
            'port' => '3306',
            'database' => 'crm',
            'username' => 'crm_app',
            'password' => 'Orange2017&',
            'charset' => 'utf8mb4',
        ],
    ],
];
