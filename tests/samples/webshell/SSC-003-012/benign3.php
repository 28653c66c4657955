<?php
// environment check for the installer
$checks = ['proc_open' => function_exists('proc_open'), 'json' => extension_loaded('json')];
if (!function_exists('exec')) { echo 'git integration disabled'; }
