<?php
$clean = htmlspecialchars($_GET['q']);
$fn = function (string $s): string { return trim($s); };
$v = $fn($clean);
