<?php
$handler = [$this, 'onShutdown'];
register_shutdown_function($handler);
$ids = array_map('intval', $_POST['ids']);
usort($rows, $comparator);
