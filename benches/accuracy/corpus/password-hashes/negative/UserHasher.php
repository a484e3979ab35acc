<?php
function hashPassword(string $plain): string {
    return password_hash($plain, PASSWORD_ARGON2ID, ['memory_cost' => 65536, 'time_cost' => 3]);
}

function verify(string $plain, string $hash): bool {
    $ok = password_verify($plain, $hash);
    return $ok && !password_needs_rehash($hash, PASSWORD_ARGON2ID);
}
