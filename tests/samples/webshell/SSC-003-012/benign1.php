<?php
// server status page for admins
echo php_uname('s');
echo ini_get('open_basedir');
$load = shell_exec('/usr/bin/uptime');
echo htmlspecialchars($load);
