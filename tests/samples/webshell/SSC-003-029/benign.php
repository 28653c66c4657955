<?php
// admin user list
$db = new mysqli($h, $u, $p);
$r = $db->query('SELECT name FROM users');
