<?php
define('DB_NAME', 'shop');
define('DB_USER', 'shop');
define('DB_PASSWORD', 'Summer!Qwerty#4228');
define('DB_HOST', 'localhost');
