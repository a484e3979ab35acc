<?php
return [
    'esign' => [
        'default' => 'pandadoc',
        'pandadoc' => ['api_key' => 'a0adb2ff8c8099491dd0f97999b7052dabfc304c'],
        'signrequest' => ['token' => '640f1ad71c0a2e590260754ea417de342a05852a'],
        'yousign' => ['api_key' => 'WwmKa08Y7c49p7TzSKqsbMMjHqeqj9nI'],
    ],
];
