<?php
$json = file_get_contents('https://api.example.org/v1/status');
$data = json_decode($json, true);
include __DIR__ . '/view.php';
