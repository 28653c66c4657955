<?php
// cookie encryption helper
$plain = openssl_decrypt($_COOKIE['s'], 'aes-256-cbc', $key, 0, $iv);
$data = json_decode($plain, true);
for ($i = 0; $i < strlen($h); $i++) { $r[$i] = $h[$i] ^ $m[$i]; }
