<?php
// media library cleanup
foreach (scandir($dir) as $f) { if (filemtime("$dir/$f") < $cutoff) unlink("$dir/$f"); }
