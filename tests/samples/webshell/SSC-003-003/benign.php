<?php
$action = $_GET['action'] ?? 'index';
if (!in_array($action, ['index', 'view'], true)) { $action = 'index'; }
$controller->{$action . 'Action'}((int) $_GET['id']);
