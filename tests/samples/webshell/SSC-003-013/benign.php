<?php
// health check of the mail relay
$fp = fsockopen('mail.example.org', 25, $errno, $errstr, 5);
if (!$fp) { echo "$errstr ($errno)"; } else { echo fgets($fp); fclose($fp); }
$out = shell_exec('/usr/sbin/postqueue -p');
