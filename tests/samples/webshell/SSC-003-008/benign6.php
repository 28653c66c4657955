<?php
$_SESSION['seen'] = true;
$total = $_ENV['TOTAL'] ?? 0;
$fn = 'strtoupper';
echo $fn('ok');
