<?php
$ver = shell_exec('git rev-parse HEAD 2>&1');
echo htmlspecialchars($ver);
$page = (int) $_GET['p'];
