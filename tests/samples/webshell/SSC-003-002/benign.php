<?php
// DB migration runner
$pdo->exec($_POST['confirm'] === 'yes' ? $sql : 'SELECT 1');
$out = shell_exec('/usr/bin/uptime');
echo htmlspecialchars($out);
