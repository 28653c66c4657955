<?php
$name = __DIR__ . '/cache/' . md5($key) . '.json';
file_put_contents($name, json_encode(['q' => $_GET['q'] ?? '']));
