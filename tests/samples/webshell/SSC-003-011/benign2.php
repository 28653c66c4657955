<?php
$dir = '/var/backups';
$name = basename($_GET['f'] ?? '');
if (!preg_match('/^[a-z0-9_.-]+$/', $name)) { exit; }
readfile($dir . '/' . $name);
