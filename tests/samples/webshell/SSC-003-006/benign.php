<?php
$pages = ['home' => 'home.php', 'about' => 'about.php'];
$p = $pages[$_GET['page'] ?? 'home'] ?? 'home.php';
include __DIR__ . '/pages/' . $p;
